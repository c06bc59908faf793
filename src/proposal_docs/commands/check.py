"""`proposal-docs check`: every validation finding plus what the deadlines say today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..rules.deadlines import WorkdayCalendar, deadline_findings
from ..engine.plan import name_clashes, plan
from ..model.findings import Finding, sort_findings
from ..model.layout import PROJECT_FILE
from ..model.repository import Repository


@dataclass
class CheckResult:
    repo: Repository
    findings: list[Finding]

    @property
    def failed(self) -> bool:
        return any(f.is_error for f in self.findings)


def deadline_report(repo: Repository, today: dt.date) -> list[Finding]:
    calendar = WorkdayCalendar()
    found: list[Finding] = []
    for item in repo.all_cases():
        found += deadline_findings(item.case, item.source, repo.project, calendar, today)
    for year in sorted(calendar.unknown_years):
        found.append(Finding(PROJECT_FILE, 0, 0, "deadlines", "warning", "calendar-unknown",
                             f"{year}年的法定节假日安排尚未收录，工作日按周一至周五计算"))
    return found


def check(repo: Repository, today: dt.date) -> CheckResult:
    """repo: as rules.checking.load_repository read it (the day to check on needs its settings)."""
    from ..render.checks import template_findings  # rendering libraries load only here

    root = repo.root
    clashes = [] if repo.errors else name_clashes(repo, plan(repo))  # documents written to one file name
    findings = sort_findings(repo.findings + clashes + deadline_report(repo, today) + template_findings(root))
    return CheckResult(repo, findings)
