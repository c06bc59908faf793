"""`proposal-docs status`: open cases by due date, unnumbered replies, totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .number import letter_name
from ..rules.deadlines import STATE_LABELS, WorkdayCalendar, deadlines_of, open_rehandle, state_of
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
    open_rows: list[StatusRow]  # cases awaiting a reply, or a further reply (二次办理)
    unnumbered: list[tuple[dt.date, str, CaseFile]]  # (date, which letter, case) of letters without 文号
    totals: dict[str, int]
    returned: list[CaseFile]  # 退办, by return date


def status(repo: Repository, today: dt.date) -> Status:
    calendar = WorkdayCalendar()
    rows, unnumbered, returned = [], [], []
    totals = {label: 0 for label in STATE_LABELS.values()}
    for item in repo.all_cases():
        deadlines = deadlines_of(item.case, repo.project, calendar)
        rehandle = open_rehandle(item.case, repo.project, calendar)
        state = state_of(item.case, deadlines, today, rehandle)
        totals[STATE_LABELS[state]] += 1
        if item.case.returned:
            returned.append(item)
        elif rehandle is not None:
            rows.append(StatusRow(item, rehandle.due, (rehandle.due - today).days, state))
        elif item.case.reply is None or item.case.reply.date > today:  # not sent yet on that day
            rows.append(StatusRow(item, deadlines.due, (deadlines.due - today).days, state))
        unnumbered += [(letter.date, letter_name(item.case, path), item)
                       for path, letter in item.case.letters() if not letter.doc_number]
    rows.sort(key=lambda r: (r.due, r.item.rel))
    unnumbered.sort(key=lambda u: (u[0], u[2].rel, u[1]))
    returned.sort(key=lambda i: (i.case.returned.date, i.rel))
    totals = {"合计": sum(totals.values()), **totals}
    return Status(rows, unnumbered, totals, returned)


def describe(item: CaseFile) -> str:
    case = item.case
    return f"{case.session} 第{case.number}号（{LABELS[case.role]}）"
