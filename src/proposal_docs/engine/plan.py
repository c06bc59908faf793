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
FOLDERS = {"reply": "答复函", "co_opinion": "会办意见", "feedback_form": "征询意见表", "return_request": "退办申请函"}
CASE_TEMPLATES = ("reply", "co_opinion", "feedback_form", "return_request")  # per case (or recipient, or round)
TEMPLATES = (*CASE_TEMPLATES, "archive_index", "summary")
LETTER_TEMPLATES = ("reply", "co_opinion", "return_request")  # the letters the archive index counts the pages of


@dataclass(frozen=True)
class Output:
    path: str  # relative to build/, forward slashes
    template: str  # one of TEMPLATES
    year: int
    case_file: str | None = None  # repository-relative path of its case, for per-case documents
    recipient: str | None = None  # reply_to: each
    body: Body | None = None  # for year aggregates
    round: int = 1  # which reply of the case: 1 the reply, 2 the first followup (再次答复), …

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


def round_suffix(round: int) -> str:
    """How a file name tells a later reply from the first: -再次答复, -第3次答复."""
    return "" if round == 1 else "-再次答复" if round == 2 else f"-第{round}次答复"


def case_outputs(item: CaseFile, y: int, reply_to: str) -> list[Output]:
    """The documents of one case: none before it is answered (or returned); a reply and its form
    for every round of handling (二次办理 adds a 再次答复 and its own form)."""
    case = item.case
    stem = case_stem(case)
    if case.returned:
        return [Output(f"{y}/{FOLDERS['return_request']}/{stem}.docx", "return_request", y, item.rel)]
    if case.reply is None:
        return []
    if case.role is Role.co:
        return [Output(f"{y}/{FOLDERS['co_opinion']}/{stem}.docx", "co_opinion", y, item.rel)]
    outputs = []
    for round in range(1, len(case.rounds) + 1):
        name = stem + round_suffix(round)
        if reply_to == "each" and len(case.proposers) > 1:
            outputs += [Output(f"{y}/{FOLDERS['reply']}/{name}-{safe_name(person, 10)}.docx", "reply", y, item.rel,
                               recipient=person, round=round) for person in case.proposers]
        else:
            outputs.append(Output(f"{y}/{FOLDERS['reply']}/{name}.docx", "reply", y, item.rel, round=round))
        outputs.append(Output(f"{y}/{FOLDERS['feedback_form']}/{name}.docx", "feedback_form", y, item.rel, round=round))
    return outputs


def counted_letters(item: CaseFile, y: int, reply_to: str) -> list[Output]:
    """The letters whose pages the archive index records for a case, one per round (for
    reply_to: each, the first recipient's copy)."""
    letters: dict[int, Output] = {}
    for output in case_outputs(item, y, reply_to):
        if output.template in LETTER_TEMPLATES:
            letters.setdefault(output.round, output)
    return list(letters.values())


def letter_key(output: Output) -> str:
    """Which letter of which case a page count belongs to: the case file, with #N for round N > 1."""
    return output.case_file if output.round == 1 else f"{output.case_file}#{output.round}"


def inputs_of(output: Output, repo: Repository) -> list[str]:
    """Repository-relative files whose content the output depends on (besides its template)."""
    files = [PROJECT_FILE, f"cases/{output.year}/year.yaml"]
    if output.case_file:
        return files + [output.case_file]
    year = repo.years[output.year]
    return files + sorted(item.rel for item in year.cases if item.case.body is output.body)
