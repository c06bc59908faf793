"""All files of a document repository as one validated object.

``read_repository`` reads proposal-docs.yaml, every cases/<year>/year.yaml and every case file,
validates each against its model and returns a ``Repository`` holding the valid models and every
finding of reading and validation. The rules that compare fields and files come after it
(``rules.load_repository``); nothing here knows about them, or about today's date.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Protocol

from .findings import Finding
from .layout import PROJECT_FILE, YEAR_FILE, SetupError, case_file_names, linked_outside, year_folders
from .loading import LoadError, Source, decode, parse_yaml, read_bytes
from .validation import validate
from .models import Case, Project, YearFile


@dataclass
class CaseFile:
    path: Path
    source: Source
    case: Case
    rel: str = field(init=False)  # repository-relative, "/"-separated: asked for thousands of times a build

    def __post_init__(self) -> None:
        self.rel = self.source.path


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
    digests: dict[str, str] = field(default_factory=dict)  # sha256 of every file read, by path
    unfiled: list[CaseFile] = field(default_factory=list)  # valid cases in a year folder whose year.yaml is not
    # years a build left unread because none of their files changed since the last complete build,
    # with the (document number, case file) of each of their numbered replies, as that build recorded them
    unread: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def all_cases(self) -> Iterator[CaseFile]:
        for year in self.years.values():
            yield from year.cases

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def _unreadable(rel: str, exc: OSError) -> Finding:
    return Finding(rel, 0, 0, "", "error", "unreadable", f"无法读取文件：{exc.strerror}")


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


class ParsedFiles(Protocol):
    """Where the parse of unchanged files is kept between runs (the build engine's cache).

    It holds what YAML reading made of a file, keyed by the file's content hash; validation runs
    again on every read, so a cache entry can never let an invalid case through.
    """

    def get(self, rel: str, digest: str) -> tuple[Any, Source] | None: ...

    def put(self, rel: str, digest: str, parsed: tuple[Any, Source]) -> None: ...


class _Reader:
    """Reads, parses and validates files, remembering each one's content hash."""

    def __init__(self, root: Path, cache: ParsedFiles | None = None):
        self.root = root
        self.cache = cache
        self.digests: dict[str, str] = {}

    def load(self, rel: str, model, findings: list[Finding], context: dict | None = None):
        """The model of the file at root/rel (None if invalid), its source, and its findings added."""
        try:
            raw = read_bytes(os.path.join(self.root, rel), rel)  # a string: no Path made per file
        except LoadError as exc:
            findings.append(exc.finding)
            return None, Source(rel)
        digest = hashlib.sha256(raw).hexdigest()
        self.digests[rel] = digest
        parsed = self.cache.get(rel, digest) if self.cache else None
        if parsed is None:
            try:
                parsed = parse_yaml(decode(raw, rel), rel)
            except LoadError as exc:
                findings.append(exc.finding)
                return None, Source(rel)
            if self.cache:
                self.cache.put(rel, digest, parsed)
        data, source = parsed
        result, problems = validate(model, data, source, context)
        findings.extend(problems)
        return result, source


def read_project(root: Path, reader: _Reader | None = None) -> tuple[Project, Source]:
    findings: list[Finding] = []
    if target := linked_outside(root, root / PROJECT_FILE):  # as a case file's link: /dev/zero, a file of the clerk's
        raise SetupError(f"{PROJECT_FILE} 是指向仓库外（{target}）的链接，未读取：请把项目文件本身放进仓库")
    project, source = (reader or _Reader(root)).load(PROJECT_FILE, Project, findings)
    if project is None:
        raise SetupError(f"{PROJECT_FILE} 无效", findings)
    return project, source


def read_repository(root: Path, cache: ParsedFiles | None = None,
                    unread: dict[int, list[tuple[str, str]]] | None = None) -> Repository:
    """All files under root, read and validated; with cache, unchanged files are not parsed again.

    unread: years not to read at all (see Repository.unread); only `build` passes them.
    """
    unread = unread or {}
    reader = _Reader(root, cache)
    project, project_source = read_project(root, reader)
    findings: list[Finding] = []
    years: dict[int, Year] = {}
    unfiled: list[CaseFile] = []
    files_read = 1
    problems: list = []  # what the cases/ tree holds that is not read (model.layout.Problem)
    for folder in year_folders(root, problems):
        number = int(folder.name)
        if number in unread:
            continue
        names = case_file_names(folder, problems)
        if names is None:  # the folder cannot be listed (said in problems): nothing in it is read
            continue
        year_path = folder / YEAR_FILE
        year: Year | None = None
        if not year_path.exists():
            findings.append(Finding(_rel(root, folder) + "/" + YEAR_FILE, 0, 0, "", "error", "missing-year-file",
                                    f"缺少年度文件 {YEAR_FILE}（会议和年度总结的信息）"))
        elif target := linked_outside(root, year_path):  # as a case file's link: /dev/zero, a file of the clerk's
            findings.append(Finding(_rel(root, folder) + "/" + YEAR_FILE, 0, 0, "", "error", "link-outside",
                                    f"是指向仓库外（{target}）的链接，未读取：请把年度文件本身放进仓库"))
        else:
            files_read += 1
            year_file, source = reader.load(f"cases/{folder.name}/{YEAR_FILE}", YearFile, findings)
            if year_file is not None:
                year = Year(number, source, year_file)
                if year_file.year != number:
                    findings.append(source.finding(("year",), f"年度 {year_file.year} 与目录名 {number} 不一致",
                                                   code="year-mismatch"))
        folder_rel = f"cases/{folder.name}/"
        for name in names:
            files_read += 1
            rel = folder_rel + name
            case, source = reader.load(rel, Case, findings, {"categories": project.categories})
            if case is None:
                continue
            item = CaseFile(folder / name, source, case)
            (year.cases if year is not None else unfiled).append(item)
        if year is not None:
            years[number] = year
    findings += [Finding(rel, 0, 0, "", level, code, message) for rel, code, level, message in problems]
    return Repository(root, project, project_source, years, findings, files_read, reader.digests, unfiled, unread)
