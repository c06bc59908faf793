"""The build plan: every document the repository asks for, with its name and its inputs.

An ``Output`` is plain data (picklable for worker processes): which template, which case file or
year, and which files its content depends on. Deciding *what* to build lives here; *how* a
document reads is the templates' and ``render.contexts``' business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.models import Body, Case, Role
from ..model.layout import PROJECT_FILE
from ..model.repository import CaseFile, Repository

KIND_WORD = {Body.cppcc: "提案", Body.npc: "建议"}
BODY_TITLE = {Body.cppcc: "政协提案", Body.npc: "人大建议"}
FOLDERS = {"reply": "答复函", "co_opinion": "会办意见", "feedback_form": "征询意见表"}
CASE_TEMPLATES = ("reply", "co_opinion", "feedback_form")  # one document per case (or recipient)
TEMPLATES = (*CASE_TEMPLATES, "archive_index", "summary")
LETTER_TEMPLATES = ("reply", "co_opinion")  # the letters the archive index counts the pages of


@dataclass(frozen=True)
class Output:
    path: str  # relative to build/, forward slashes
    template: str  # one of TEMPLATES
    year: int
    case_file: str | None = None  # repository-relative path of its case, for per-case documents
    recipient: str | None = None  # reply_to: each
    body: Body | None = None  # for year aggregates

    @property
    def is_aggregate(self) -> bool:
        return self.case_file is None


def templates_of(output: Output) -> tuple[str, ...]:
    """The templates an output is rendered from: its own, and for the archive index the letters,
    whose rendered pages are its 页数 column (render/pages.py)."""
    if output.template == "archive_index":
        return (output.template, *LETTER_TEMPLATES)
    return (output.template,)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that works on Windows, macOS and Linux, and still reads like the title."""
    name = _UNSAFE.sub("_", text).strip(" .")
    if len(name) > limit:
        name = name[:limit].rstrip(" .") + "…"
    return name or "_"


def case_stem(case: Case) -> str:
    return f"{KIND_WORD[case.body]}第{case.number:03d}号-{safe_name(case.title)}"


def plan(repo: Repository) -> list[Output]:
    outputs: list[Output] = []
    for year in repo.years.values():
        for item in year.cases:
            outputs += case_outputs(item, year.year, repo.project.reply_to)
        for body in sorted({item.case.body for item in year.cases}):
            outputs.append(Output(f"{year.year}/归档文件目录-{BODY_TITLE[body]}.docx", "archive_index", year.year, body=body))
            outputs.append(Output(f"{year.year}/办理工作总结-{BODY_TITLE[body]}.docx", "summary", year.year, body=body))
    return sorted(outputs, key=lambda o: o.path)


def case_outputs(item: CaseFile, y: int, reply_to: str) -> list[Output]:
    """The documents of one case: none before it is answered."""
    case = item.case
    if case.reply is None:
        return []
    stem = case_stem(case)
    if case.role is Role.co:
        return [Output(f"{y}/{FOLDERS['co_opinion']}/{stem}.docx", "co_opinion", y, item.rel)]
    if reply_to == "each" and len(case.proposers) > 1:
        outputs = [Output(f"{y}/{FOLDERS['reply']}/{stem}-{safe_name(name, 10)}.docx", "reply", y, item.rel,
                          recipient=name) for name in case.proposers]
    else:
        outputs = [Output(f"{y}/{FOLDERS['reply']}/{stem}.docx", "reply", y, item.rel)]
    return outputs + [Output(f"{y}/{FOLDERS['feedback_form']}/{stem}.docx", "feedback_form", y, item.rel)]


def counted_letter(item: CaseFile, y: int, reply_to: str) -> Output | None:
    """The letter whose pages the archive index records for a case (for reply_to: each, the first)."""
    return next((o for o in case_outputs(item, y, reply_to) if o.template in LETTER_TEMPLATES), None)


def inputs_of(output: Output, repo: Repository) -> list[str]:
    """Repository-relative files whose content the output depends on (besides its template)."""
    files = [PROJECT_FILE, f"cases/{output.year}/year.yaml"]
    if output.case_file:
        return files + [output.case_file]
    year = repo.years[output.year]
    return files + sorted(item.rel for item in year.cases if item.case.body is output.body)
