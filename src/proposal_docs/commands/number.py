"""`proposal-docs number`: give unnumbered replies the next free document numbers.

Separate sequences for reply letters and co-opinions, per year of the reply, in reply-date order.
A number once written never changes, so nothing is ever renumbered and gaps are not reused.

The number is spliced into the file's text at the place the loader recorded, so every comment,
blank line, key order, quoting and line ending of the file stays byte for byte: on its own line
after a one-line `date:`, else before the reply's first key, or just inside the `{` of a reply in
flow style (one line or several). Only a layout none of these fits goes through ruamel.yaml's round
trip. Every new text is read back with the loader before anything is written, and must say what
the old one said plus the number.

The whole run holds the repository lock (build/.lock, which `build` holds too) and reads the
repository under it, so two runs at once never give one number twice; the files are written only
when every one of them is ready, and put back as they were if a write fails.
"""

from __future__ import annotations

import io
import re
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from ..files import atomic_write, exclusive_lock
from ..model.findings import Finding
from ..model.layout import BUILD_DIR, LOCK_FILE
from ..model.loading import LoadError, decode, parse_yaml
from ..model.models import Role
from ..model.repository import CaseFile, Repository
from ..rules.checking import load_repository


class NumberingRefused(Exception):
    """Nothing was written: the repository has errors (findings), or a file's layout could not
    take the number without changing anything else (message)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Assignment:
    item: CaseFile
    number: str


def pattern_regex(pattern: str) -> re.Pattern:
    parts = re.split(r"(\{year\}|\{seq\})", pattern)
    regex = "".join({"{year}": r"(?P<year>\d{4})", "{seq}": r"(?P<seq>\d+)"}.get(p, re.escape(p)) for p in parts)
    return re.compile(f"^{regex}$")


def plan_numbers(repo: Repository) -> list[Assignment]:
    numbering = repo.project.numbering
    patterns = {"reply": numbering.reply, "co_opinion": numbering.co_opinion}
    highest: dict[tuple[str, int], int] = defaultdict(int)
    waiting = []
    for item in repo.all_cases():
        reply = item.case.reply
        if reply is None:
            continue
        sequence = "co_opinion" if item.case.role is Role.co else "reply"
        if reply.doc_number:
            match = pattern_regex(patterns[sequence]).match(reply.doc_number.strip())
            if match and "seq" in match.groupdict():
                year = int(match["year"]) if match.groupdict().get("year") else reply.date.year
                highest[(sequence, year)] = max(highest[(sequence, year)], int(match["seq"]))
        else:
            waiting.append((reply.date, item.rel, sequence, item))
    assignments = []
    for date, _, sequence, item in sorted(waiting, key=lambda w: (w[0], w[1])):
        key = (sequence, date.year)
        highest[key] += 1
        number = patterns[sequence].replace("{year}", str(date.year)).replace("{seq}", str(highest[key]))
        assignments.append(Assignment(item, number))
    return assignments


def _yaml_value(text: str) -> str:
    """The number as a plain scalar when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_BREAK = re.compile(r"(\r\n|\r|\n)")  # YAML's line breaks, each kept as the file has it


def _splice(text: str, item: CaseFile, number: str) -> str | None:
    """The text with the number written into the reply; None when no splice fits the layout."""
    parts = _BREAK.split(text)  # line, break, line, break, …, line
    lines, breaks = parts[0::2], parts[1::2]
    newline = breaks[0] if breaks else "\n"
    value = _yaml_value(number)
    keys, values = item.source.keys, item.source.values

    def insert_line(after: int, line: str) -> str:  # after: 0-based index of the line it follows
        ending = breaks[after] if after < len(breaks) else newline
        new_parts = parts[: 2 * after + 1] + [ending, line] + parts[2 * after + 1:]
        if after >= len(breaks):  # the last line had no break: the new one ends the file the same way
            new_parts = parts + [ending, line]
        return "".join(new_parts)

    if ("reply", "doc_number") in keys:  # `doc_number: null` or empty, written on one line
        line, column = keys[("reply", "doc_number")]
        original = lines[line - 1]
        match = re.match(r"^(\s*doc_number:)([^#]*?)(\s+#.*)?$", original)
        if not match or original[: column - 1].strip():
            return None
        lines[line - 1] = f"{match[1]} {value}{match[3] or ''}"
        return "".join(x for pair in zip(lines, breaks + [""]) for x in pair)
    if ("reply",) not in values:
        return None
    line, column = values[("reply",)]
    original = lines[line - 1]
    if original[column - 1:].startswith("{"):  # flow style, on one line or several
        at = sum(len(x) for x in parts[: 2 * (line - 1)]) + column  # just after the "{"
        return f"{text[:at]}doc_number: {value}, {text[at:]}"
    if original[: column - 1].strip():
        return None
    indent = original[: column - 1]
    if ("reply", "date") in keys and ("reply", "date") in values:
        key_line, key_column = keys[("reply", "date")]
        date_line = lines[key_line - 1]
        if (values[("reply", "date")][0] == key_line and key_column == column
                and not date_line[: key_column - 1].strip() and "#" not in date_line):
            return insert_line(key_line - 1, f"{indent}doc_number: {value}")  # the usual place
    return insert_line(line - 2, f"{indent}doc_number: {value}") if line >= 2 else None


def _round_trip(text: str, number: str) -> str:
    from ruamel.yaml import YAML

    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    data = handler.load(text)
    data["reply"]["doc_number"] = number
    out = io.StringIO()
    handler.dump(data, out)
    return out.getvalue()


def _says_the_same_plus(old: str, new: str, rel: str, number: str) -> bool:
    """Does new read (with the loader every command uses) as old does, with the number added?"""
    try:
        before, _ = parse_yaml(old, rel)
        after, _ = parse_yaml(new, rel)
    except LoadError:
        return False
    if not isinstance(after, dict) or not isinstance(after.get("reply"), dict):
        return False
    if after["reply"].get("doc_number") != number:
        return False
    expected = {**before, "reply": {**before["reply"], "doc_number": number}}
    return after == expected


def numbered_text(assignment: Assignment) -> tuple[bytes, bytes]:
    """(the file as it is, the file with the number); raises NumberingRefused when no way of
    writing it keeps everything else as it was."""
    item = assignment.item
    raw = item.path.read_bytes()
    bom = raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""
    text = decode(raw, item.rel)
    for attempt in (_splice, lambda t, _, n: _round_trip(t, n)):
        try:
            updated = attempt(text, item, assignment.number)
        except Exception:  # noqa: BLE001 - ruamel raises many kinds; then the next way, or a refusal
            updated = None
        if updated is not None and _says_the_same_plus(text, updated, item.rel, assignment.number):
            return raw, bom + updated.encode("utf-8")
    line, _ = item.source.position(("reply",))
    raise NumberingRefused(f"{item.rel}:{line} reply：无法在不改动其他内容的情况下写入文号 {assignment.number}，"
                           "请手工填写 reply.doc_number")


def _write_all(changes: list[tuple[Path, bytes, bytes]]) -> None:
    """Write every file, or — if one write fails — put back those already written."""
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
    """Give every unnumbered reply its number, under the repository lock; with dry_run, only say
    which numbers would be written."""
    if dry_run:
        return _numbers_for(load_repository(root))
    with exclusive_lock(root / BUILD_DIR / LOCK_FILE, on_wait):
        repo = load_repository(root)  # read under the lock: another run's numbers are in it
        assignments = _numbers_for(repo)
        changes = [(a.item.path, *numbered_text(a)) for a in assignments]
        _write_all(changes)
    return assignments


def _numbers_for(repo: Repository) -> list[Assignment]:
    if repo.errors:
        raise NumberingRefused(f"有 {len(repo.errors)} 个错误，未编写任何文号。请先修正（proposal-docs check）。",
                               repo.errors)
    return plan_numbers(repo)
