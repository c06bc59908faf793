"""All files of a document repository as one validated object.

``load_repository`` reads proposal-docs.yaml, every cases/<year>/year.yaml and every case file,
validates each against its model, applies the consistency rules and returns a ``Repository``
holding the valid models and every finding. Nothing here knows about dates relative to today.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import __version__, warm
from .cache import ParseCache
from .findings import Finding, sort_findings
from .layout import PROJECT_FILE, YEAR_FILE, SetupError, case_file_names, year_folders
from .loading import LoadError, Source, decode, parse_yaml, read_bytes, validate
from .models import Case, Project, YearFile
from .rules import case_rules, repository_rules

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
    parse_cache: ParseCache | None = None

    def save_parse_cache(self) -> None:
        """Written by each one-shot build; the build server writes its caches when it stops."""
        if self.parse_cache is not None and not warm.enabled:
            self.parse_cache.save(keep=set(self.digests))

    def all_cases(self) -> Iterator[CaseFile]:
        for year in self.years.values():
            yield from year.cases

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def _unreadable(rel: str, exc: OSError) -> Finding:
    return Finding(rel, 0, 0, "", "error", "unreadable", f"无法读取文件:{exc.strerror}")


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


class _Reader:
    """Reads, parses and validates files, remembering each one's content hash."""

    def __init__(self, root: Path, stats: dict[str, tuple[int, int]] | None = None):
        self.root = root
        self.cache: ParseCache | None = None
        self.digests: dict[str, str] = {}
        self.stats = stats or {}  # size and mtime of each file when the build's snapshot was taken
        self.prefix = os.path.join(root, "")  # root and a separator: joined to a thousand names per build

    def load(self, rel: str, model, findings: list[Finding], context: dict | None = None):
        """The model of the file at root/rel (None if invalid), its source, and its findings added."""
        key = self.prefix + rel
        digest = warm.known_digest(key, self.stats.get(rel))  # build server: unchanged files are not read
        cached = self.cache.get(rel, digest) if digest and self.cache else None
        if cached is None:
            path = self.root / rel
            try:
                stat = path.stat()  # before reading: a write in between is then seen next time
                raw = read_bytes(path, rel)
            except (OSError, LoadError) as exc:
                findings.append(exc.finding if isinstance(exc, LoadError) else _unreadable(rel, exc))
                return None, Source(rel)
            digest = hashlib.sha256(raw).hexdigest()
            warm.remember_digest(key, stat.st_size, stat.st_mtime_ns, digest)
            cached = self.cache.get(rel, digest) if self.cache else None
            if cached is None:
                cached = self._parse(raw, rel, model, context)
                if self.cache:
                    self.cache.put(rel, digest, cached)
        self.digests[rel] = digest
        result, source, problems = cached
        findings.extend(problems)
        return result, source

    @staticmethod
    def _parse(raw: bytes, rel: str, model, context: dict | None):
        try:
            data, source = parse_yaml(decode(raw, rel), rel)
        except LoadError as exc:
            return None, Source(rel), [exc.finding]
        result, problems = validate(model, data, source, context)
        return result, source, problems


def load_project(root: Path, reader: _Reader | None = None) -> tuple[Project, Source]:
    findings: list[Finding] = []
    project, source = (reader or _Reader(root)).load(PROJECT_FILE, Project, findings)
    if project is None:
        raise SetupError(f"{PROJECT_FILE} 无效", findings)
    return project, source


def _checked_case(path: Path, source: Source, case: Case, year: Year | None) -> tuple[CaseFile, list[Finding]]:
    item = CaseFile(path, source, case)
    return item, list(case_rules(item, year))


def load_repository(root: Path, cache_file: Path | None = None, snapshot=None) -> Repository:
    """All files under root; with cache_file, unchanged files are taken from the last run's parse.

    snapshot: stamp.snapshot_inputs taken before this load, whose sizes and times may then stand
    for the files' own (the build server skips reading files that did not move since it last did).
    """
    reader = _Reader(root, {rel: (size, mtime) for rel, size, mtime in snapshot or ()})
    project, project_source = load_project(root, reader)
    if cache_file is not None:
        salt = f"{__version__}:{reader.digests[PROJECT_FILE]}"
        reader.cache = warm.memo(("parse cache", cache_file, salt), lambda: ParseCache(cache_file, salt),
                                 owner=cache_file)
    findings: list[Finding] = []
    years: dict[int, Year] = {}
    files_read = 1
    for folder in year_folders(root):
        number = int(folder.name)
        year_path = folder / YEAR_FILE
        year: Year | None = None
        if not year_path.is_file():
            findings.append(Finding(_rel(root, folder) + "/" + YEAR_FILE, 0, 0, "", "error", "missing-year-file",
                                    f"缺少年度文件 {YEAR_FILE}(会议和年度总结的信息)"))
        else:
            files_read += 1
            year_file, source = reader.load(f"cases/{folder.name}/{YEAR_FILE}", YearFile, findings)
            if year_file is not None:
                year = Year(number, source, year_file)
                if year_file.year != number:
                    findings.append(source.finding(("year",), f"年度 {year_file.year} 与目录名 {number} 不一致",
                                                   code="year-mismatch"))
        year_digest = reader.digests.get(f"cases/{folder.name}/{YEAR_FILE}")
        folder_rel = f"cases/{folder.name}/"
        for name in case_file_names(folder):
            files_read += 1
            rel = folder_rel + name
            case, source = reader.load(rel, Case, findings, {"categories": project.categories})
            if case is None:
                continue
            # the build server keeps the checked case while neither it nor its year file changes
            where = reader.prefix + rel  # a CaseFile knows its absolute path: not to be shared between repositories
            item, problems = warm.memo(("checked case", where, reader.digests[rel], year_digest),
                                       lambda: _checked_case(folder / name, source, case, year), owner=where)
            findings.extend(problems)
            if year is not None:
                year.cases.append(item)
        if year is not None:
            years[number] = year
    repo = Repository(root, project, project_source, years, findings, files_read, reader.digests, reader.cache)
    findings.extend(repository_rules(repo))
    repo.findings = sort_findings(findings)
    return repo
