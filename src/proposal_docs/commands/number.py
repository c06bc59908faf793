"""`proposal-docs number`: give unnumbered replies the next free document numbers.

Separate sequences for reply letters (with second replies and return requests) and co-opinions,
per year of the letter, in date order.
A number once written never changes, so nothing is ever renumbered and gaps are not reused.

The number is spliced into the file's text at the place the loader recorded, so every comment,
blank line, key order and quoting of the file stays byte for byte; only a reply written in flow
style (`reply: {date: …}`) is rewritten through ruamel.yaml's round trip instead.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass

import yaml

from ..files import atomic_write
from ..model.models import Case, Role
from ..model.repository import CaseFile, Repository


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
    """The number as a plain scalar when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _splice(lines: list[str], item: CaseFile, path: tuple, number: str) -> bool:
    """Write the number into the letter's block mapping; False when the layout needs ruamel."""
    value = _yaml_value(number)
    keys = item.source.keys
    if path + ("doc_number",) in keys:
        line, column = keys[path + ("doc_number",)]
        original = lines[line - 1]
        match = re.match(r"^(\s*doc_number:)([^#]*?)(\s+#.*)?(\r?)$", original)
        if not match or original[: column - 1].strip():
            return False
        lines[line - 1] = f"{match[1]} {value}{match[3] or ''}{match[4]}"
    elif path + ("date",) in keys:
        line, column = keys[path + ("date",)]
        original = lines[line - 1]
        if original[: column - 1].strip() or not original[column - 1:].startswith("date:"):
            return False
        ending = "\r" if original.endswith("\r") else ""
        lines.insert(line, f"{' ' * (column - 1)}doc_number: {value}{ending}")
    else:
        return False
    return True


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _round_trip(text: str, numbers: list[Assignment]) -> str:
    from ruamel.yaml import YAML

    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    data = handler.load(text)
    for assignment in numbers:
        _at(data, assignment.path)["doc_number"] = assignment.number
    out = io.StringIO()
    handler.dump(data, out)
    return out.getvalue()


def _written_line(assignment: Assignment) -> int:
    keys = assignment.item.source.keys
    return (keys.get(assignment.path + ("doc_number",)) or keys.get(assignment.path + ("date",)) or (0, 0))[0]


def write_numbers(assignments: list[Assignment]) -> None:
    """Each case file rewritten once with all its new numbers; spliced from the bottom up so that
    a line inserted for one letter does not move the place recorded for another."""
    by_file: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_file[assignment.item.rel].append(assignment)
    for numbers in by_file.values():
        item = numbers[0].item
        raw = item.path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        lines = text.split("\n")
        spliced = all(_splice(lines, item, a.path, a.number)
                      for a in sorted(numbers, key=_written_line, reverse=True))
        updated = "\n".join(lines) if spliced else _round_trip(text, numbers)
        data = yaml.safe_load(updated) or {}
        for assignment in numbers:
            try:
                written = _at(data, assignment.path).get("doc_number")
            except (KeyError, IndexError, TypeError, AttributeError):
                written = None
            if written != assignment.number:
                raise RuntimeError(f"{item.rel}：写入文号后校验失败，文件未改动")
        atomic_write(item.path, (b"\xef\xbb\xbf" if bom else b"") + updated.encode("utf-8"))
