"""`proposal-docs check`: every validation finding plus what the deadlines say today."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..rules.deadlines import WorkdayCalendar, deadline_findings
from ..engine.plan import name_clashes, plan
from ..model.findings import Finding, sort_findings
from ..files import find_program
from ..model.layout import BUILD_DIR, PROJECT_FILE
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


def committed_outputs(root: Path) -> list[Finding]:
    """An error when git tracks files under build/: what a pull request commits there (a letter with
    words of its own, a link) would sit among the documents the build makes, and in CI's artifact.
    Nothing to say outside a git repository, or without git."""
    git = find_program("git")  # by its full path: never a git.exe committed in the repository
    if git is None:
        return []
    try:
        listed = subprocess.run([git, "ls-files", "-z", "--", f"{BUILD_DIR}/"], cwd=root, capture_output=True,
                                stdin=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return []
    tracked = [name for name in listed.stdout.decode("utf-8", "replace").split("\0") if name]
    if listed.returncode != 0 or not tracked:
        return []
    more = f"等 {len(tracked):,} 个文件" if len(tracked) > 1 else ""
    return [Finding(f"{BUILD_DIR}/", 0, 0, "", "error", "committed-build",
                    f"{tracked[0]}{more}被提交到了 git。{BUILD_DIR}/ 由本工具生成，不应提交："
                    f"提交进来的文书或链接会混在生成的文书中。请运行 git rm -r --cached {BUILD_DIR} 后提交")]


def check(repo: Repository, today: dt.date) -> CheckResult:
    """repo: as rules.checking.load_repository read it (the day to check on needs its settings)."""
    from ..render.checks import template_findings  # rendering libraries load only here

    root = repo.root
    clashes = [] if repo.errors else name_clashes(repo, plan(repo))  # documents written to one file name
    findings = sort_findings(repo.findings + clashes + deadline_report(repo, today) + template_findings(root)
                             + committed_outputs(root))
    return CheckResult(repo, findings)
