"""`proposal-docs number`: give unnumbered replies the next free document numbers.

Separate sequences for reply letters and co-opinions, per year of the reply, in reply-date order.
A number once written never changes, so nothing is ever renumbered and gaps are not reused.

The number is spliced into the file's text at the place the loader recorded, so every comment,
blank line, key order and quoting of the file stays byte for byte; only a reply written in flow
style (`reply: {date: …}`) is rewritten through ruamel.yaml's round trip instead.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass

from ..files import atomic_write
from ..model.loading import LoadError, parse_yaml, scalar_text
from ..model.models import Role
from ..model.repository import CaseFile, Repository


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
    """The number as a plain scalar when the loader reads it back unchanged, else quoted."""
    return scalar_text(text)


def _splice(text: str, item: CaseFile, number: str) -> str | None:
    """Write the number into the reply's block mapping; None when the layout needs ruamel."""
    lines = text.split("\n")
    value = _yaml_value(number)
    keys = item.source.keys
    if ("reply", "doc_number") in keys:
        line, column = keys[("reply", "doc_number")]
        original = lines[line - 1]
        match = re.match(r"^(\s*doc_number:)([^#]*?)(\s+#.*)?(\r?)$", original)
        if not match or original[: column - 1].strip():
            return None
        lines[line - 1] = f"{match[1]} {value}{match[3] or ''}{match[4]}"
    elif ("reply", "date") in keys:
        line, column = keys[("reply", "date")]
        original = lines[line - 1]
        if original[: column - 1].strip() or not original[column - 1:].startswith("date:"):
            return None
        ending = "\r" if original.endswith("\r") else ""
        lines.insert(line, f"{' ' * (column - 1)}doc_number: {value}{ending}")
    else:
        return None
    return "\n".join(lines)


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


def written_doc_number(text: str, rel: str) -> str | None:
    """reply.doc_number as `check` will read the rewritten file."""
    try:
        data, _ = parse_yaml(text, rel)
    except LoadError:
        return None
    reply = data.get("reply") if isinstance(data, dict) else None
    number = reply.get("doc_number") if isinstance(reply, dict) else None
    return str(number) if isinstance(number, str) else None


def write_number(assignment: Assignment) -> None:
    path = assignment.item.path
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    updated = _splice(text, assignment.item, assignment.number) or _round_trip(text, assignment.number)
    if written_doc_number(updated, assignment.item.rel) != assignment.number:
        raise RuntimeError(f"{assignment.item.rel}：写入文号后校验失败，文件未改动")
    atomic_write(path, (b"\xef\xbb\xbf" if bom else b"") + updated.encode("utf-8"))
