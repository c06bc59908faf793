"""The repository as every command starts from it: read and validated (model.repository), then
its cases and files checked against each other (consistency)."""


from __future__ import annotations

from pathlib import Path

from ..model.findings import sort_findings
from ..model.repository import ParsedFiles, Repository, read_repository
from .consistency import case_rules, repository_rules


def load_repository(root: Path, cache: ParsedFiles | None = None,
                    unread: dict[int, list[tuple[str, str]]] | None = None) -> Repository:
    """Every file under root read, validated and checked; findings sorted by file and line.

    unread: years `build` leaves unread (model.repository.Repository.unread); their document
    numbers still take part in the check for duplicates.
    """
    repo = read_repository(root, cache, unread)
    findings = list(repo.findings)
    for year in repo.years.values():
        for item in year.cases:
            findings.extend(case_rules(item, year))
    for item in repo.unfiled:
        findings.extend(case_rules(item, None))
    findings.extend(repository_rules(repo))
    repo.findings = sort_findings(findings)
    return repo
