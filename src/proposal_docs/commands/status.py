"""`proposal-docs status`: open cases by due date, unnumbered replies, totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..rules.deadlines import STATE_LABELS, WorkdayCalendar, deadlines_of, state_of
from ..model.models import LABELS
from ..model.repository import CaseFile, Repository


@dataclass(frozen=True)
class StatusRow:
    item: CaseFile
    due: dt.date
    days_left: int
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Status:
    open_rows: list[StatusRow]
    unnumbered: list[CaseFile]
    totals: dict[str, int]


def status(repo: Repository, today: dt.date) -> Status:
    calendar = WorkdayCalendar()
    rows, unnumbered = [], []
    totals = {label: 0 for label in STATE_LABELS.values()}
    for item in repo.all_cases():
        deadlines = deadlines_of(item.case, repo.project, calendar)
        state = state_of(item.case, deadlines, today)
        totals[STATE_LABELS[state]] += 1
        if item.case.reply is None:
            rows.append(StatusRow(item, deadlines.due, (deadlines.due - today).days, state))
        elif not item.case.reply.doc_number:
            unnumbered.append(item)
    rows.sort(key=lambda r: (r.due, r.item.rel))
    unnumbered.sort(key=lambda i: (i.case.reply.date, i.rel))
    totals = {"合计": sum(totals.values()), **totals}
    return Status(rows, unnumbered, totals)


def describe(item: CaseFile) -> str:
    case = item.case
    return f"{case.session} 第{case.number}号（{LABELS[case.role]}）"
