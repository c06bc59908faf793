"""`proposal-docs new`: a new case file with the next free number, every field commented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model.casefile import NewCase, write_new_case
from ..model.layout import SetupError
from ..model.models import Body, Kind
from ..model.repository import Repository, Year


class NumberTaken(Exception):
    """The case cannot be made as asked (its number is taken, its date is not the year's)."""


def year_of_session(repo: Repository, session: str, year: int | None = None) -> Year:
    """The year whose year.yaml defines the session (the latest one, unless a year is given)."""
    candidates = [y for y in repo.years.values() if session in y.file.sessions and (year is None or y.year == year)]
    if not candidates:
        known = sorted({key for y in repo.years.values() for key in y.file.sessions})
        raise SetupError(f"会议“{session}”不在任何 year.yaml 中，可选：{'、'.join(known) or '（无）'}")
    return max(candidates, key=lambda y: y.year)


def used_numbers(year: Year, session: str) -> set[int]:
    return {item.case.number for item in year.cases if item.case.session == session}


def next_number(year: Year, session: str) -> int:
    return max(used_numbers(year, session), default=0) + 1


def kind_of(year: Year, session: str) -> Kind:
    return Kind.proposal if year.file.sessions[session].body is Body.cppcc else Kind.suggestion


def new_case(repo: Repository, session: str, assigned: dt.date | None, *, today: dt.date, number: int | None = None,
             title: str | None = None, proposers: list[str] | None = None, role: str = "lead") -> Path:
    """assigned: the 交办日期 given, else today when today is in the session's year."""
    year = year_of_session(repo, session)
    if number is not None and number in used_numbers(year, session):
        raise NumberTaken(f"{session} 第{number}号已有案件文件")
    if assigned is None:
        if today.year != year.year:  # last year's session: today would be a wrong 交办日期
            raise NumberTaken(f"会议“{session}”属于 {year.year} 年度，今天是 {today.isoformat()}：请用 --assigned 写明交办日期")
        assigned = today
    new = NewCase(kind=kind_of(year, session), session=session, number=number or next_number(year, session),
                  assigned=assigned, role=role)
    if title:
        new.title = title
    if proposers:
        new.proposers = proposers
    return write_new_case(repo.root / "cases" / str(year.year), new)
