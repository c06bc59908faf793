"""`proposal-docs new`: a new case file with the next free number, every field commented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model.casefile import NewCase, case_text, write_new_case
from ..model.layout import SetupError
from ..model.loading import parse_yaml
from ..model.validation import validate
from ..model.models import Body, Case, Kind
from ..model.repository import CaseFile, Repository, Year
from ..rules.consistency import case_rules


class NumberTaken(Exception):
    """The case cannot be made as asked (its number is taken, its date is not the year's, a value given is invalid)."""


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


def problems_of(new: NewCase, categories: dict, year: Year | None = None) -> list[str]:
    """The errors `check` would report in the file `new` or `import` is about to write: the models',
    then the case's own consistency (a 会办 case without its 主办单位); `new`'s placeholder aside."""
    data, source = parse_yaml(case_text(new), "new")
    case, findings = validate(Case, data, source, {"categories": categories})
    if case is not None:
        findings = [f for f in case_rules(CaseFile(Path(), source, case), year)
                    if f.level == "error" and f.code != "placeholder"]
    return [f"{f.field}：{f.message}" if f.field else f.message for f in findings]


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
    problems = problems_of(new, repo.project.categories, year)
    if problems:  # a title or name given on the command line that check would refuse
        raise NumberTaken("；".join(problems))
    return write_new_case(repo.root / "cases" / str(year.year), new)
