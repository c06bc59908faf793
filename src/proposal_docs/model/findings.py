"""One Finding type for every problem the tool reports, and its three output formats.

Deciding *what* is wrong happens elsewhere (loading, rules, deadlines); this module only says how a
finding looks to a clerk on a terminal, to a script (json) and to GitHub Actions.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Iterable, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    """A problem with one place in one file.

    ``file`` is relative to the repository root with forward slashes; ``line`` and ``column`` are
    1-based (0 when the finding is about a whole file); ``field`` is the dotted path inside the file
    (``reply.category``, ``communications[1].date``) or empty.
    """

    file: str
    line: int
    column: int
    field: str
    level: Level
    code: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def as_text(self) -> str:
        label = "错误" if self.is_error else "警告"
        field = f"{self.field}：" if self.field else ""
        return f"{self.location()} {field}{self.message}（{label}）"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.field, f.code, f.message))


def to_json(findings: list[Finding]) -> str:
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2)


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def to_github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the PR diff."""
    lines = []
    for f in findings:
        props = [f"file={_github_escape(f.file, property_value=True)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
        title = f.field or f.code
        props.append(f"title={_github_escape(title, property_value=True)}")
        lines.append(f"::{f.level} {','.join(props)}::{_github_escape(f.message)}")
    return "\n".join(lines)


def summary_line(findings: list[Finding], files: int) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return f"检查了 {files} 个文件，没有发现问题。"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。"
