"""All files of a document repository as one validated object.

``load_repository`` reads proposal-docs.yaml, every cases/<year>/year.yaml and every case file,
validates each against its model, applies the consistency rules and returns a ``Repository``
holding the valid models and every finding. Nothing here knows about dates relative to today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .findings import Finding, sort_findings
from .loading import LoadError, Source, load_yaml, validate
from .models import Case, Project, YearFile
from .rules import case_rules, repository_rules

PROJECT_FILE = "proposal-docs.yaml"
YEAR_FILE = "year.yaml"


class SetupError(Exception):
    """The repository itself cannot be used (no or invalid project file): exit code 2."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class CaseFile:
    path: Path
    source: Source
    case: Case

    @property
    def rel(self) -> str:
        return self.source.path


@dataclass
class Year:
    year: int
    source: Source
    file: YearFile
    cases: list[CaseFile] = field(default_factory=list)


@dataclass
class Repository:
    root: Path
    project: Project
    project_source: Source
    years: dict[int, Year]
    findings: list[Finding]
    files_read: int

    def all_cases(self) -> Iterator[CaseFile]:
        for year in self.years.values():
            yield from year.cases

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def find_root(start: Path) -> Path:
    """The nearest folder up the tree that holds proposal-docs.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise SetupError(f"在 {start} 及其上级目录中找不到 {PROJECT_FILE}:请在文档仓库内运行,或用 --root 指定")


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _load(path: Path, root: Path, model, findings: list[Finding], context: dict | None = None):
    rel = _rel(root, path)
    try:
        data, source = load_yaml(path, rel)
    except LoadError as exc:
        findings.append(exc.finding)
        return None, Source(rel)
    result, problems = validate(model, data, source, context)
    findings.extend(problems)
    return result, source


def load_project(root: Path) -> tuple[Project, Source]:
    findings: list[Finding] = []
    project, source = _load(root / PROJECT_FILE, root, Project, findings)
    if project is None:
        raise SetupError(f"{PROJECT_FILE} 无效", findings)
    return project, source


def case_paths(year_dir: Path) -> list[Path]:
    return sorted(p for p in year_dir.glob("*.yaml") if p.name != YEAR_FILE and p.is_file())


def year_dirs(root: Path) -> list[Path]:
    cases = root / "cases"
    if not cases.is_dir():
        return []
    return sorted(p for p in cases.iterdir() if p.is_dir() and p.name.isdigit() and len(p.name) == 4)


def load_repository(root: Path) -> Repository:
    project, project_source = load_project(root)
    findings: list[Finding] = []
    years: dict[int, Year] = {}
    files_read = 1
    for folder in year_dirs(root):
        number = int(folder.name)
        year_path = folder / YEAR_FILE
        year: Year | None = None
        if not year_path.is_file():
            findings.append(Finding(_rel(root, folder) + "/" + YEAR_FILE, 0, 0, "", "error", "missing-year-file",
                                    f"缺少年度文件 {YEAR_FILE}(会议和年度总结的信息)"))
        else:
            files_read += 1
            year_file, source = _load(year_path, root, YearFile, findings)
            if year_file is not None:
                year = Year(number, source, year_file)
                if year_file.year != number:
                    findings.append(source.finding(("year",), f"年度 {year_file.year} 与目录名 {number} 不一致",
                                                   code="year-mismatch"))
        for path in case_paths(folder):
            files_read += 1
            case, source = _load(path, root, Case, findings, {"categories": project.categories})
            if case is None:
                continue
            item = CaseFile(path, source, case)
            findings.extend(case_rules(item, year))
            if year is not None:
                year.cases.append(item)
        if year is not None:
            years[number] = year
    repo = Repository(root, project, project_source, years, findings, files_read)
    findings.extend(repository_rules(repo))
    repo.findings = sort_findings(findings)
    return repo
