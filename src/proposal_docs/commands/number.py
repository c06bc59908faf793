"""`proposal-docs number`: give unnumbered replies the next free document numbers.

Separate sequences for reply letters (with second replies and return requests) and co-opinions,
per year of the letter, in date order.
A number once written never changes, so nothing is ever renumbered and gaps are not reused.

The number is spliced into the file's text at the place the loader recorded, so every comment,
blank line, key order, quoting and line ending of the file stays byte for byte: on its own line
after a one-line `date:`, else before the letter's first key, or just inside the `{` of a letter
in flow style (one line or several). Only a layout none of these fits goes through ruamel.yaml's
round trip. Every new text is read back with the loader before anything is written, and must say
what the old one said plus the numbers.

The whole run holds the repository lock (build/.lock, which `build` holds too) and reads the
repository under it, so two runs at once never give one number twice; the files are written only
when every one of them is ready, and put back as they were if a write fails.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..files import atomic_write, exclusive_lock
from ..model.findings import Finding
from ..model.layout import BUILD_DIR, LOCK_FILE, refuse_links_in_build
from ..model.loading import LoadError, decode, parse_yaml, scalar_text
from ..model.models import Case, Role
from ..model.repository import CaseFile, Repository
from ..rules.checking import load_repository


class NumberingRefused(Exception):
    """Nothing was written: the repository has errors (findings), or a file's layout could not
    take a number without changing anything else (message)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Assignment:
    item: CaseFile
    path: tuple[str | int, ...]  # where the letter is written: ("reply",), ("followups", 0, "reply"), ("returned",)
    date: dt.date  # of the letter: numbers follow it
    number: str

    @property
    def letter(self) -> str:
        return letter_name(self.item.case, self.path)


def letter_name(case: Case, path: tuple[str | int, ...]) -> str:
    """What a numbered letter is, as the clerk calls it (path: as Case.letters() gives it)."""
    if path[0] == "returned":
        return "退办申请函"
    if path[0] == "followups":
        return "再次答复" if path[1] == 0 else f"第{int(path[1]) + 2}次答复"
    return "会办意见" if case.role is Role.co else "答复函"


def pattern_regex(pattern: str) -> re.Pattern:
    parts = re.split(r"(\{year\}|\{seq\})", pattern)
    regex = "".join({"{year}": r"(?P<year>\d{4})", "{seq}": r"(?P<seq>\d+)"}.get(p, re.escape(p)) for p in parts)
    return re.compile(f"^{regex}$")


def plan_numbers(repo: Repository) -> list[Assignment]:
    """Replies, second replies and return requests share the reply sequence; co-opinions have theirs."""
    numbering = repo.project.numbering
    patterns = {"reply": numbering.reply, "co_opinion": numbering.co_opinion}
    highest: dict[tuple[str, int], int] = defaultdict(int)
    waiting = []
    for item in repo.all_cases():
        for path, letter in item.case.letters():
            sequence = "co_opinion" if item.case.role is Role.co and path == ("reply",) else "reply"
            if letter.doc_number:
                match = pattern_regex(patterns[sequence]).match(letter.doc_number.strip())
                if match and "seq" in match.groupdict():
                    year = int(match["year"]) if match.groupdict().get("year") else letter.date.year
                    highest[(sequence, year)] = max(highest[(sequence, year)], int(match["seq"]))
            else:
                waiting.append((letter.date, item.rel, path, sequence, item))
    assignments = []
    for date, _, path, sequence, item in sorted(waiting, key=lambda w: w[:3]):
        key = (sequence, date.year)
        highest[key] += 1
        number = patterns[sequence].replace("{year}", str(date.year)).replace("{seq}", str(highest[key]))
        assignments.append(Assignment(item, path, date, number))
    return assignments


def _yaml_value(text: str) -> str:
    """The number as a plain scalar when the loader reads it back unchanged, else quoted."""
    return scalar_text(text)


_BREAK = re.compile(r"(\r\n|\r|\n)")  # YAML's line breaks, each kept as the file has it


def _edit_position(item: CaseFile, path: tuple) -> tuple[int, int]:
    """Where in the file the number of the letter at path goes (for splicing from the bottom up)."""
    keys, values = item.source.keys, item.source.values
    return keys.get(path + ("doc_number",)) or values.get(path) or (0, 0)


def _splice(text: str, item: CaseFile, path: tuple, number: str) -> str | None:
    """The text with the number written into the letter's mapping at path; None when no splice fits."""
    parts = _BREAK.split(text)  # line, break, line, break, …, line
    lines, breaks = parts[0::2], parts[1::2]
    value = _yaml_value(number)
    keys, values = item.source.keys, item.source.values

    def insert_line(after: int, line: str) -> str:  # after: 0-based index of the line it follows
        if after >= len(breaks):  # the last line had no break: the new line ends the file the same way
            return "".join(parts + [breaks[0] if breaks else "\n", line])
        return "".join(parts[: 2 * after + 1] + [breaks[after], line] + parts[2 * after + 1:])

    if path + ("doc_number",) in keys:  # `doc_number: null` or empty, written on one line
        line, column = keys[path + ("doc_number",)]
        original = lines[line - 1]
        match = re.match(r"^(\s*doc_number:)([^#]*?)(\s+#.*)?$", original)
        if not match or original[: column - 1].strip():
            return None
        parts[2 * (line - 1)] = f"{match[1]} {value}{match[3] or ''}"
        return "".join(parts)
    if path not in values:
        return None
    line, column = values[path]
    original = lines[line - 1]
    if original[column - 1:].startswith("{"):  # flow style, on one line or several
        at = sum(len(x) for x in parts[: 2 * (line - 1)]) + column  # just after the "{"
        return f"{text[:at]}doc_number: {value}, {text[at:]}"
    if original[: column - 1].strip():
        return None
    indent = original[: column - 1]
    date = path + ("date",)
    if date in keys and date in values:
        key_line, key_column = keys[date]
        date_line = lines[key_line - 1]
        if (values[date][0] == key_line and key_column == column
                and not date_line[: key_column - 1].strip() and "#" not in date_line):
            return insert_line(key_line - 1, f"{indent}doc_number: {value}")  # the usual place
    return insert_line(line - 2, f"{indent}doc_number: {value}") if line >= 2 else None


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _round_trip(text: str, numbers: list[Assignment]) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    data = handler.load(text)
    for assignment in numbers:
        number = assignment.number
        # quoted wherever the loader would not read it plain: ruamel writes `?0` plain into a flow mapping
        _at(data, assignment.path)["doc_number"] = number if _yaml_value(number) == number else \
            DoubleQuotedScalarString(number)
    out = io.StringIO()
    handler.dump(data, out)
    return out.getvalue()


def _spliced(text: str, item: CaseFile, numbers: list[Assignment]) -> str | None:
    """Every number spliced in, from the bottom of the file up so that one insertion does not move
    the place recorded for another."""
    for assignment in sorted(numbers, key=lambda a: _edit_position(item, a.path), reverse=True):
        text = _splice(text, item, assignment.path, assignment.number)
        if text is None:
            return None
    return text


def _says_the_same_plus(old: str, new: str, rel: str, numbers: list[Assignment]) -> bool:
    """Does new read (with the loader every command uses) as old does, with the numbers added?"""
    try:
        before, _ = parse_yaml(old, rel)
        after, _ = parse_yaml(new, rel)
        expected = copy.deepcopy(before)
        for assignment in numbers:
            _at(expected, assignment.path)["doc_number"] = assignment.number
    except (LoadError, KeyError, IndexError, TypeError):
        return False
    return after == expected


def numbered_text(numbers: list[Assignment]) -> tuple[bytes, bytes]:
    """(one case file as it is, the file with its new numbers); raises NumberingRefused when no way
    of writing them keeps everything else as it was."""
    item = numbers[0].item
    raw = item.path.read_bytes()
    bom = raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""
    text = decode(raw, item.rel)
    for attempt in (_spliced, lambda t, _, n: _round_trip(t, n)):
        try:
            updated = attempt(text, item, numbers)
        except Exception:  # noqa: BLE001 - ruamel raises many kinds; then the next way, or a refusal
            updated = None
        if updated is not None and _says_the_same_plus(text, updated, item.rel, numbers):
            return raw, bom + updated.encode("utf-8")
    line, _ = item.source.position(numbers[0].path)
    raise NumberingRefused(f"{item.rel}:{line} {'、'.join(a.letter for a in numbers)}：无法在不改动其他内容的情况下"
                           f"写入文号 {'、'.join(a.number for a in numbers)}，请手工填写 doc_number")


def write_numbers(assignments: list[Assignment]) -> None:
    """Each case file rewritten once with all its new numbers; every file made ready first, then
    all written — or, if one write fails, those already written put back as they were."""
    by_file: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_file[assignment.item.rel].append(assignment)
    changes = [(numbers[0].item.path, *numbered_text(numbers)) for numbers in by_file.values()]
    done: list[tuple[Path, bytes, int]] = []
    try:
        for path, old, new in changes:
            mode = stat.S_IMODE(path.stat().st_mode)
            atomic_write(path, new, mode)
            done.append((path, old, mode))
    except BaseException:
        for path, old, mode in reversed(done):
            atomic_write(path, old, mode)
        raise


def number_replies(root: Path, *, dry_run: bool = False,
                   on_wait: Callable[[], None] | None = None) -> list[Assignment]:
    """Give every unnumbered letter its number, under the repository lock; with dry_run, only say
    which numbers would be written."""
    if dry_run:
        return _numbers_for(load_repository(root))
    refuse_links_in_build(root / BUILD_DIR)  # the lock is opened in build/: a committed build/.lock link would create its target
    with exclusive_lock(root / BUILD_DIR / LOCK_FILE, on_wait):
        assignments = _numbers_for(load_repository(root))  # read under the lock: another run's numbers are in it
        write_numbers(assignments)
    return assignments


def _numbers_for(repo: Repository) -> list[Assignment]:
    if repo.errors:
        raise NumberingRefused(f"有 {len(repo.errors)} 个错误，未编写任何文号。请先修正（proposal-docs check）。",
                               repo.errors)
    return plan_numbers(repo)
