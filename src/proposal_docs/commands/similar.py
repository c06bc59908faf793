"""`proposal-docs similar FILE | --title TEXT`: the earlier cases most like this one, so that an
earlier answer can be the start of a new reply (rules/similarity.py says how they are compared).

Only the years whose files changed since the last run are read and validated; the others come
from their digests under build/.cache/similar (engine/similarcache.py), so that the answer on ten
years of cases takes well under a second. Pydantic and YAML are not even imported when nothing
changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.similarcache import SimilarCache, YearDigest, listings
from ..model.findings import Finding
from ..model.layout import BUILD_DIR, year_folders
from ..rules.comparable import Comparable, comparable
from ..rules.similarity import Match, build_index, similar_to


class NotACase(Exception):
    """FILE is not a case file of the repository, or it is invalid (then findings say why)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class Corpus:
    """Every valid case of the repository as `similar` compares them."""

    root: Path
    years: dict[int, YearDigest] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # YAML under cases/ but outside any year folder (never read)

    @property
    def items(self) -> list[Comparable]:
        """Year by year, each in reading order: the order ties keep, whichever way a year came."""
        return [item for _, digest in sorted(self.years.items()) for item in digest.cases]

    @property
    def left_out(self) -> set[str]:
        """The files not compared because of their errors."""
        return self.outside.union(*(digest.left_out for digest in self.years.values()))


def _read(root: Path, unread: set[int], cache=None):
    """The repository without the given years, read, validated and checked (the one way files are read)."""
    from ..rules.checking import load_repository  # pydantic and YAML: only when a file must be read

    # the unread years' document numbers are not given: the rules' findings decide nothing here, as
    # a finding never takes a valid case out of all_cases()
    return load_repository(root, cache, dict.fromkeys(unread, []))


def load(root: Path) -> Corpus:
    """The valid cases of every year: from the year's digest while none of its files changed, else
    read and validated (a year's cases are valid or not by its own files and the project file
    alone). When build/ exists and no file had to be left out, what was read is kept: its digests,
    and the parse cache as `build` keeps it."""
    build_dir = root / BUILD_DIR
    store = SimilarCache(build_dir)
    now = listings(root)  # before anything is read: a file changed meanwhile is read again next time
    problems: list = []
    year_folders(root, problems)  # what lies outside the year folders, never read, is still left out
    corpus = Corpus(root, outside={rel for rel, _, level, _ in problems if level == "error"})
    for year, listing in now.items():
        digest = store.get(year, listing)
        if digest is not None:
            corpus.years[year] = digest
    if corpus.years and len(corpus.years) == len(now):
        return corpus
    from ..engine.parsecache import ParseCache

    cache = ParseCache(build_dir / ".cache" / "parsed")
    repo = _read(root, set(corpus.years), cache)
    read = {}
    for number, year in repo.years.items():
        read[number] = YearDigest([comparable(item, year) for item in year.cases])
    for number in set(now) - set(corpus.years) - set(read):  # a year folder that gave no year (a bad year.yaml)
        read[number] = YearDigest()
    for number, digest in read.items():
        compared = {item.rel for item in digest.cases}
        digest.left_out = sorted({f.file for f in repo.findings
                                  if f.is_error and f.file.startswith(f"cases/{number}/") and f.file not in compared})
    corpus.years.update(read)
    if not corpus.left_out and build_dir.is_dir():  # like build: invalid input leaves build/ untouched
        cache.save()
        for number, digest in read.items():
            if number in now:
                store.put(number, now[number], digest)
    return corpus


def find_case(corpus: Corpus, file: Path) -> Comparable:
    try:
        rel = file.resolve().relative_to(corpus.root.resolve()).as_posix()
    except ValueError:
        raise NotACase(f"{file} 不在文档仓库 {corpus.root} 中") from None
    for item in corpus.items:
        if item.rel == rel:
            return item
    # not among the valid cases: its year (and what lies outside the year folders) read again to say why
    parts = rel.split("/")
    others = {year for year in corpus.years if len(parts) < 3 or parts[:2] != ["cases", str(year)]}
    problems = [f for f in _read(corpus.root, others).findings if f.file == rel and f.is_error]
    if problems:
        raise NotACase(f"{rel} 有 {len(problems)} 个错误，请先修正（proposal-docs check）", problems)
    raise NotACase(f"{rel} 不是案件文件（应为 cases/<年度>/ 下除 year.yaml 外的 .yaml 文件）")


def similar_cases(corpus: Corpus, *, item: Comparable | None = None, title: str | None = None,
                  limit: int = 5) -> list[Match]:
    """The cases of other sessions most like the case (its title and reply) or like the title."""
    index = build_index(corpus.items)
    if item is not None:
        return similar_to(index, item.title, item.text, exclude_session=(item.year, item.session),
                          exclude_file=item.rel, limit=limit)
    return similar_to(index, title or "", limit=limit)


@dataclass(frozen=True)
class Row:
    percent: int
    year: int
    session: str
    number: int
    title: str
    outcome: str
    doc_number: str
    file: str


def rows(matches: list[Match]) -> list[Row]:
    return [Row(m.percent, m.item.year, m.item.session_name, m.item.number, m.item.title, m.item.outcome,
                m.item.doc_number, m.item.rel) for m in matches]


def as_json(found: list[Row]) -> str:
    keys = ("similarity", "year", "session", "number", "title", "outcome", "doc_number", "file")
    return json.dumps([dict(zip(keys, (r.percent / 100, r.year, r.session, r.number, r.title, r.outcome,
                                       r.doc_number or None, r.file))) for r in found],
                      ensure_ascii=False, indent=2)
