"""Open deadlines: what is still owed, by whom and by when.

One list serves the 催办 digest (`remind`) and the clerks' calendar (build/deadlines.ics): a
reply (or a co case's opinion) not yet sent, a first contact with the proposer not yet made, a
second reply (二次办理) not yet sent after a 不满意 feedback. A deadline stops being open when what
it asks for is done; a returned case (退办) owes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..model.models import Case, Project, Role
from ..model.repository import CaseFile, Repository
from .deadlines import WorkdayCalendar, deadlines_of, open_rehandle

# kind → what is owed, as a clerk calls it
KIND_LABELS = {"reply": "答复", "co_opinion": "会办意见", "first_contact": "办前沟通", "rehandle": "再次答复"}


@dataclass(frozen=True)
class OpenDeadline:
    item: CaseFile
    kind: str  # a key of KIND_LABELS
    due: dt.date
    warn_days: int
    extended: bool = False  # the reply's deadline is an approved extension's

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind] + ("（延期）" if self.extended else "")

    def days_left(self, on: dt.date) -> int:
        return (self.due - on).days


def case_open_deadlines(item: CaseFile, project: Project, calendar: WorkdayCalendar) -> list[OpenDeadline]:
    case = item.case
    if case.returned:  # 退办: handed back, nothing is owed
        return []
    d = deadlines_of(case, project, calendar)
    found = []
    if case.reply is None:
        kind = "co_opinion" if case.role is Role.co else "reply"
        found.append(OpenDeadline(item, kind, d.due, d.warn_days, case.extension is not None))
        if d.first_contact_due and case.role is not Role.co and not case.communications:
            found.append(OpenDeadline(item, "first_contact", d.first_contact_due, d.warn_days))
    rehandle = open_rehandle(case, project, calendar)  # 二次办理 after a 不满意 feedback
    if rehandle is not None:
        found.append(OpenDeadline(item, "rehandle", rehandle.due, d.warn_days))
    return found


def open_deadlines(repo: Repository, calendar: WorkdayCalendar | None = None) -> Iterator[OpenDeadline]:
    calendar = calendar or WorkdayCalendar()
    for item in repo.all_cases():
        yield from case_open_deadlines(item, repo.project, calendar)


@dataclass(frozen=True)
class Handler:
    unit: str
    name: str
    phone: str


NO_UNIT, NO_NAME = "未指定科室", "未指定承办人"


def handler_of(case: Case) -> Handler:
    h = case.handler
    return Handler(h.unit or NO_UNIT, h.name, h.phone or "") if h else Handler(NO_UNIT, NO_NAME, "")


@dataclass
class Person:
    handler: Handler
    items: list[OpenDeadline]


@dataclass
class Unit:
    name: str
    people: list[Person]

    @property
    def items(self) -> list[OpenDeadline]:
        return [d for person in self.people for d in person.items]


def _order(deadline: OpenDeadline) -> tuple:
    return deadline.due, deadline.item.rel, deadline.kind


def due_items(deadlines: Iterable[OpenDeadline], on: dt.date, within: int | None = None) -> list[Unit]:
    """Overdue deadlines and those due within `within` days (default: each body's warn_days),
    by handler unit, then by person: oldest first everywhere, so the longest overdue leads."""
    by_person: dict[Handler, list[OpenDeadline]] = {}
    for deadline in deadlines:
        if deadline.days_left(on) <= (deadline.warn_days if within is None else within):
            by_person.setdefault(handler_of(deadline.item.case), []).append(deadline)
    units: dict[str, list[Person]] = {}
    for handler, items in by_person.items():
        units.setdefault(handler.unit, []).append(Person(handler, sorted(items, key=_order)))
    for people in units.values():
        people.sort(key=lambda p: (_order(p.items[0]), p.handler.name))
    result = [Unit(name, people) for name, people in units.items()]
    result.sort(key=lambda u: (min(_order(p.items[0]) for p in u.people), u.name))
    return result
