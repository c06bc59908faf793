"""`proposal-docs similar FILE | --title TEXT`: the earlier cases most like this one, so that an
earlier answer can be the start of a new reply (rules/similarity.py says how they are compared)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..engine.parsecache import ParseCache
from ..model.findings import Finding
from ..model.layout import BUILD_DIR
from ..model.models import Case, Role
from ..model.repository import CaseFile, Repository
from ..rules.checking import load_repository
from ..rules.similarity import Match, build_index, case_text, similar_to


class NotACase(Exception):
    """FILE is not a case file of the repository, or it is invalid (then findings say why)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


def load(root: Path) -> Repository:
    """The repository, unchanged files taken from build's parse cache (and what was parsed anew
    kept there for the next run, as `build` does)."""
    cache = ParseCache(root / BUILD_DIR / ".cache" / "parsed")
    repo = load_repository(root, cache)
    if not repo.errors and (root / BUILD_DIR).is_dir():  # like build: invalid input leaves build/ untouched
        cache.save()
    return repo


def find_case(repo: Repository, file: Path) -> CaseFile:
    try:
        rel = file.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        raise NotACase(f"{file} 不在文档仓库 {repo.root} 中") from None
    for item in repo.all_cases():
        if item.rel == rel:
            return item
    problems = [f for f in repo.findings if f.file == rel and f.is_error]
    if problems:
        raise NotACase(f"{rel} 有 {len(problems)} 个错误，请先修正（proposal-docs check）", problems)
    raise NotACase(f"{rel} 不是案件文件（应为 cases/<年度>/ 下除 year.yaml 外的 .yaml 文件）")


def similar_cases(repo: Repository, *, item: CaseFile | None = None, title: str | None = None,
                  limit: int = 5) -> list[Match]:
    """The cases of other sessions most like the case (its title and reply) or like the title."""
    index = build_index(list(repo.all_cases()))
    if item is not None:
        year = int(item.rel.split("/")[1])
        return similar_to(index, *case_text(item), exclude_session=(year, item.case.session),
                          exclude_file=item.rel, limit=limit)
    return similar_to(index, title or "", limit=limit)


def outcome(case: Case) -> str:
    """What became of a case, in a word or two: 答复类别 (of the last reply), 会办意见, 退办, 未答复."""
    if case.returned:
        return "退办"
    if case.reply is None:
        return "未答复"
    if case.role is Role.co:
        return "会办意见"
    last = case.rounds[-1][0]
    again = "再次答复 " if case.followups else ""
    return f"{again}{last.category}类" if last.category else f"{again or '已答复'}".strip()


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


def rows(repo: Repository, matches: list[Match]) -> list[Row]:
    result = []
    for match in matches:
        case = match.item.case
        year = repo.years.get(match.year)
        session = year.file.sessions[case.session].name if year and case.session in year.file.sessions else case.session
        result.append(Row(match.percent, match.year, session, case.number, case.title, outcome(case),
                          (case.reply.doc_number or "") if case.reply else "", match.item.rel))
    return result


def as_json(found: list[Row]) -> str:
    keys = ("similarity", "year", "session", "number", "title", "outcome", "doc_number", "file")
    return json.dumps([dict(zip(keys, (r.percent / 100, r.year, r.session, r.number, r.title, r.outcome,
                                       r.doc_number or None, r.file))) for r in found],
                      ensure_ascii=False, indent=2)
