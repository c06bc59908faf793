"""The build plan: every document the repository asks for, with its name and its inputs.

An ``Output`` is plain data (picklable for worker processes): which template, which case file or
year, and which files its content depends on. Deciding *what* to build lives here; *how* a
document reads is the templates' and ``render.contexts``' business.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from ..model.findings import Finding
from ..model.models import Body, Case, Role
from ..model.layout import PROJECT_FILE
from ..model.repository import CaseFile, Repository, Year

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


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\x80-\x9f]+')
# invisible characters that reorder or hide text: a name must read as it sorts and compares
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
NAME_BYTES = 240  # a file name's limit is 255 bytes (UTF-8) or 255 UTF-16 units; room left for .pdf/.html


def safe_name(text: str, limit: int = 40) -> str:
    """A file name that works on Windows, macOS and Linux, and still reads like the title."""
    name = _UNSAFE.sub("_", _INVISIBLE.sub("", text)).strip(" .")
    if len(name) > limit:
        name = name[:limit].rstrip(" .") + "…"
    if name.split(".")[0].upper() in _RESERVED:  # names Windows keeps for devices
        name = "_" + name
    return name or "_"


def fitted(stem: str, suffix: str = ".docx") -> str:
    """stem + suffix within NAME_BYTES: a longer stem (a 250-digit number) is cut and a hash of the
    whole stem appended, so that two long names stay two names."""
    name = stem + suffix
    if len(name.encode("utf-8")) <= NAME_BYTES:
        return name
    tag = "~" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:10]
    room = NAME_BYTES - len((tag + suffix).encode("utf-8"))
    return stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .") + tag + suffix


def session_labels(year: Year) -> dict[str, str | None]:
    """Each session's part in its cases' file names: None when it is the year's only session of its
    body (the number alone names the case), else its name — or its key, if two share a name."""
    by_body: dict[Body, dict[str, str]] = defaultdict(dict)
    for key, session in year.file.sessions.items():
        by_body[session.body][key] = safe_name(session.name, 30)
    labels: dict[str, str | None] = {}
    for sessions in by_body.values():
        names = [_folded(name) for name in sessions.values()]
        for key, name in sessions.items():
            labels[key] = None if len(sessions) == 1 else name if names.count(_folded(name)) == 1 else safe_name(key, 30)
    return labels


def case_stem(case: Case, label: str | None = None) -> str:
    """label: session_labels' word for the case's session."""
    session = f"{label}-" if label else ""
    return f"{session}{KIND_WORD[case.body]}第{case.number:03d}号-{safe_name(case.title)}"


def plan(repo: Repository) -> list[Output]:
    outputs: list[Output] = []
    for year in repo.years.values():
        labels = session_labels(year)
        for item in year.cases:
            outputs += case_outputs(item, year.year, repo.project.reply_to, labels.get(item.case.session))
        for body in sorted({item.case.body for item in year.cases}):
            outputs.append(Output(f"{year.year}/归档文件目录-{BODY_TITLE[body]}.docx", "archive_index", year.year, body=body))
            outputs.append(Output(f"{year.year}/办理工作总结-{BODY_TITLE[body]}.docx", "summary", year.year, body=body))
    return sorted(outputs, key=lambda o: o.path)


def round_suffix(round: int) -> str:
    """How a file name tells a later reply from the first: -再次答复, -第3次答复."""
    return "" if round == 1 else "-再次答复" if round == 2 else f"-第{round}次答复"


def recipient_names(proposers: list[str]) -> list[str]:
    """Each proposer's part of a reply's file name (reply_to: each), unique within the case even when
    names sanitise alike (张/三, 张:三) or share a long prefix: a later one gets -2, -3, …"""
    taken: set[str] = set()
    result = []
    for name in proposers:
        base = candidate = safe_name(name, 10)
        n = 1
        while _folded(candidate) in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(_folded(candidate))
        result.append(candidate)
    return result


# case_outputs by (file, year, reply_to, label), with the case they were made of: a build asks for
# one case's documents three times (the plan, the letters' pages, the archive index's rows)
_made: dict[tuple[str, int, str, str | None], tuple[Case, list[Output]]] = {}


def case_outputs(item: CaseFile, y: int, reply_to: str, label: str | None = None) -> list[Output]:
    """The documents of one case: none before it is answered (or returned); a reply and its form
    for every round of handling (二次办理 adds a 再次答复 and its own form). label: see case_stem."""
    key = (item.rel, y, reply_to, label)
    made = _made.get(key)
    if made is None or made[0] is not item.case:  # the very case object, not an equal one: no hashing
        made = _made[key] = (item.case, _case_outputs(item, y, reply_to, label))
    return list(made[1])


def _case_outputs(item: CaseFile, y: int, reply_to: str, label: str | None) -> list[Output]:
    case = item.case
    stem = case_stem(case, label)
    if case.returned:
        return [Output(f"{y}/{FOLDERS['return_request']}/{fitted(stem)}", "return_request", y, item.rel)]
    if case.reply is None:
        return []
    if case.role is Role.co:
        return [Output(f"{y}/{FOLDERS['co_opinion']}/{fitted(stem)}", "co_opinion", y, item.rel)]
    outputs = []
    for round in range(1, len(case.rounds) + 1):
        name = stem + round_suffix(round)
        if reply_to == "each" and len(case.proposers) > 1:
            outputs += [Output(f"{y}/{FOLDERS['reply']}/{fitted(f'{name}-{part}')}", "reply", y, item.rel,
                               recipient=person, round=round)
                        for person, part in zip(case.proposers, recipient_names(case.proposers))]
        else:
            outputs.append(Output(f"{y}/{FOLDERS['reply']}/{fitted(name)}", "reply", y, item.rel, round=round))
        outputs.append(Output(f"{y}/{FOLDERS['feedback_form']}/{fitted(name)}", "feedback_form", y, item.rel,
                              round=round))
    return outputs


def counted_letters(item: CaseFile, y: int, reply_to: str, label: str | None = None) -> list[Output]:
    """The letters whose pages the archive index records for a case, one per round (for
    reply_to: each, the first recipient's copy)."""
    letters: dict[int, Output] = {}
    for output in case_outputs(item, y, reply_to, label):
        if output.template in LETTER_TEMPLATES:
            letters.setdefault(output.round, output)
    return list(letters.values())


def letter_key(output: Output) -> str:
    """Which letter of which case a page count belongs to: the case file, with #N for round N > 1."""
    return output.case_file if output.round == 1 else f"{output.case_file}#{output.round}"


def _folded(path: str) -> str:
    """How Windows and macOS compare names: case and Unicode composition do not matter."""
    return unicodedata.normalize("NFC", path).casefold()


def name_clashes(repo: Repository, outputs: list[Output]) -> list[Finding]:
    """Two documents that would be written to one file (on a case-insensitive disk too): an error on
    each case file involved. Names are unique by construction; what is left is two cases with one
    number in one session, which the consistency rules name as well."""
    by_name: dict[str, list[Output]] = defaultdict(list)
    for output in outputs:
        by_name[_folded(output.path)].append(output)
    sources = {item.rel: item.source for item in repo.all_cases()}
    found = []
    for clash in (group for group in by_name.values() if len(group) > 1):
        files = sorted({o.case_file for o in clash if o.case_file})
        for rel in files:
            found.append(sources[rel].finding(("number",), f"生成的文书 build/{clash[0].path} 与 "
                                              f"{'、'.join(f for f in files if f != rel) or '同一案件的另一份文书'} 的重名，"
                                              "请核对编号和会议", code="output-name-clash"))
    return found


def inputs_of(output: Output, repo: Repository) -> list[str]:
    """Repository-relative files whose content the output depends on (besides its template)."""
    files = [PROJECT_FILE, f"cases/{output.year}/year.yaml"]
    if output.case_file:
        return files + [output.case_file]
    year = repo.years[output.year]
    return files + sorted(item.rel for item in year.cases if item.case.body is output.body)
