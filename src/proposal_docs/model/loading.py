"""Reading YAML files safely, keeping where every value was written.

PyYAML's composer gives a node tree with marks; we build plain Python data from it ourselves so
that we can refuse what a clerk never needs (tags, anchors, aliases, merge keys, duplicate keys)
and remember the line and column of every key and value. Pydantic's error locations are then
mapped back onto those marks (model/validation.py), so every message names ``file:line:column``
and the field.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding
from .layout import reason
from .scalars import NULLS, Plain

try:  # the C composer is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
# Characters a Word document cannot hold (XML 1.0) or that only hide in text: refused with a message.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_NODES = 200_000
MAX_DEPTH = 100  # a case is five levels deep; deeper nesting is a mistake or an attack on the stack

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_resolver = yaml.resolver.Resolver()


_SHARED: dict[tuple, tuple] = {}


def shared(value: tuple) -> tuple:
    """One tuple object for all equal field paths and positions: thousands of case files repeat
    the same ("reply", "date") and (12, 3), and the marks of 20,000 cases are kept in memory."""
    return _SHARED.setdefault(value, value)


class LoadError(Exception):
    """A file that cannot be read at all; carries its one finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


class Source:
    """Where each value of one file was written.

    values and keys map a field path to its (line, column). A file taken from the parse cache
    keeps them as the cache's JSON text until a finding asks for a position: most files never
    have one, and building a thousand files' tables would be most of a small rebuild (the text
    is also the smallest way to hold them for 20,000 cases).
    """

    def __init__(self, path: str, values: dict[FieldPath, Position] | None = None,
                 keys: dict[FieldPath, Position] | None = None, problems: list[Finding] | None = None):
        self.path = path  # relative to the repository root, forward slashes
        self._values = values if values is not None else {}
        self._keys = keys if keys is not None else {}
        self._text: str | None = None
        self.problems = problems if problems is not None else []  # found while reading, reported with the rest

    @classmethod
    def from_text(cls, path: str, text: str, problems: list[Finding]) -> Source:
        """text: what marks_text() gave."""
        source = cls(path, problems=problems)
        source._text = text
        return source

    def marks_text(self) -> str:
        """values and keys as JSON: [[[path…], line, column], …] for each."""
        if self._text is not None:
            return self._text
        return json.dumps([_as_rows(self._values), _as_rows(self._keys)], ensure_ascii=False, separators=(",", ":"))

    def _tables(self) -> None:
        if self._text is not None:
            values, keys = json.loads(self._text)
            self._values, self._keys, self._text = _from_rows(values), _from_rows(keys), None

    @property
    def values(self) -> dict[FieldPath, Position]:
        self._tables()
        return self._values

    @property
    def keys(self) -> dict[FieldPath, Position]:
        self._tables()
        return self._keys

    def position(self, path: FieldPath, *, of_key: bool = False) -> Position:
        """The position of a field, or of its nearest written ancestor when it is missing."""
        table = self.keys if of_key else self.values
        for cut in range(len(path), -1, -1):
            sub = path[:cut]
            if sub in table:
                return table[sub]
            if sub in self.values:
                return self.values[sub]
        return (1, 1)

    def finding(self, path: FieldPath, message: str, *, code: str, level: str = "error",
                of_key: bool = False) -> Finding:
        line, column = self.position(path, of_key=of_key)
        return Finding(self.path, line, column, dotted(path), level, code, message)  # type: ignore[arg-type]


def _as_rows(table: dict) -> list:
    return [[list(path), line, column] for path, (line, column) in table.items()]


def _from_rows(rows: list) -> dict:
    # paths and positions shared: rows from JSON make new objects of every one
    return {shared(tuple(path)): shared((line, column)) for path, line, column in rows}


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- text --------------------------------------------------------------------------------------


def read_bytes(path: str | os.PathLike, rel: str) -> bytes:
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size  # of the file opened, not of whatever the name is next
            data = b"" if size > MAX_FILE_BYTES else file.read(MAX_FILE_BYTES + 1)  # a device reports no size
            if size > MAX_FILE_BYTES or len(data) > MAX_FILE_BYTES:
                said = f"（{size:,} 字节）" if size > MAX_FILE_BYTES else ""
                raise LoadError(Finding(rel, 0, 0, "", "error", "too-large", f"文件过大{said}，单个文件不应超过 {MAX_FILE_BYTES:,} 字节"))
            return data
    except OSError as exc:
        raise LoadError(Finding(rel, 0, 0, "", "error", "unreadable", f"无法读取文件（{reason(exc)}）")) from exc


def read_text(path: Path, rel: str) -> str:
    return decode(read_bytes(path, rel), rel)


def decode(raw: bytes, rel: str) -> str:
    """UTF-8 with or without BOM (CRLF is fine too); any other encoding is a clear error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(Finding(rel, line, column, "", "error", "encoding",
                                "文件不是 UTF-8 编码（可能是 GBK/GB2312），请在编辑器中另存为 UTF-8")) from exc
    bad = UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise LoadError(Finding(rel, line, column, "", "error", "control-char",
                                f"含有不可见的控制字符 U+{ord(bad.group()):04X}，请删除"))
    return text


# --- YAML --------------------------------------------------------------------------------------

_YAML_PROBLEMS = [
    ("found character '\\t'", "不能用 Tab 缩进或对齐，请改用空格"),
    ("mapping values are not allowed", "这里不能出现“键: 值”：检查缩进，或给含冒号的文本加引号"),
    ("could not find expected ':'", "缺少半角冒号“:”，或上一行的引号没有闭合"),
    ("expected <block end>", "缩进不一致：同一层的键必须左对齐"),
    ("did not find expected key", "缩进不一致或多了符号：同一层的键必须左对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每项都以对齐的“- ”开头"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found another document", "一个文件只能有一个 YAML 文档：请删除多余的“---”或把内容拆成两个文件"),
    ("expected a single document", "一个文件只能有一个 YAML 文档：请删除多余的“---”或把内容拆成两个文件"),
    ("unacceptable character", "含有不可见的控制字符，请删除"),
    ("found unknown escape character", "双引号内有无效的转义（\\），请改用单引号"),
    ("found undefined alias", "不支持锚点和别名（& 与 *）"),
    ("found duplicate anchor", "不支持锚点和别名（& 与 *）"),
    ("expected alphabetic or numeric character", "不支持锚点、别名和标签（& * !），文本以这些符号开头时请加引号"),
    ("found unexpected ':'", "多余的半角冒号“:”，文本中含冒号时请加引号"),
    ("expected ',' or ']'", "方括号“[ ]”没有闭合，或列表项之间缺少半角逗号“,”"),
    ("expected ',' or '}'", "花括号“{ }”没有闭合，或各项之间缺少半角逗号“,”"),
    ("node content", "这里缺少值：方括号“[ ]”或花括号“{ }”没有闭合，或多了逗号"),
    ("exceeded maximum nesting depth", f"嵌套层数过多（超过 {MAX_DEPTH} 层）"),
    ("found character that cannot start any token", "这里的字符不能作为值的开头（如 @ `），请给文本加引号"),
]


_FULLWIDTH_COLON = re.compile(r"^[ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_]*[ \u3000]*(：)")
_FULLWIDTH_INDENT = re.compile(r"^ *(\u3000)")
_FULLWIDTH_AFTER_COLON = re.compile(r"^[ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_]*:(\u3000)")
_AFTER_COLON = "冒号后用了全角空格（U+3000）：半角冒号“:”后请用半角空格"
_FULLWIDTH_QUOTE = re.compile(r"[\u201c\u201d\u2018\u2019]")


def _fullwidth_key(key: str) -> str:
    if "：" in key:
        return f"键“{key.strip()}”中有全角冒号“：”：键和值之间请用半角冒号“:”加一个空格"
    if ":\u3000" in key:  # `{date:　2024-04-02}` reads as one key in a flow mapping
        return f"键“{key.split(':')[0].strip()}”的{_AFTER_COLON}"
    return f"键“{key.strip()}”前有全角空格（U+3000）：缩进请用半角空格"


def _fullwidth_hint(lines: list[str], line: int, opened: int) -> tuple[int, int, str] | None:
    """A full-width character where YAML needs its half-width twin, at or above the error's line:
    PyYAML notices the missing ":" only on the line after, so the clerk is sent to the real one."""
    for number in range(min(line, len(lines)), max(0, line - 3), -1):
        text = lines[number - 1]
        found = _FULLWIDTH_COLON.match(text)
        if found:
            return number, found.start(1) + 1, "这里用了全角冒号“：”：键和值之间请用半角冒号“:”加一个空格"
        found = _FULLWIDTH_INDENT.match(text)
        if found:
            return number, found.start(1) + 1, "这里用了全角空格（U+3000）缩进：缩进请用半角空格"
        found = _FULLWIDTH_AFTER_COLON.match(text)
        if found:
            return number, found.start(1) + 1, f"这里{_AFTER_COLON}"
    if 0 < opened <= len(lines):
        found = _FULLWIDTH_QUOTE.search(lines[opened - 1])
        if found:
            return (opened, found.start() + 1,
                    f"引号没有闭合：这一行用了全角引号「{found.group()}」，YAML 的引号须是半角 \" 或 '")
    return None


def _unclosed_bracket(lines: list[str], line: int, exc: yaml.YAMLError) -> tuple[int, int] | None:
    """(line, column) of the [ or { left open on an earlier line than the error's, if one was."""
    context = getattr(exc, "context_mark", None)
    if context and context.line + 1 < line and context.line < len(lines):
        where = (context.line + 1, context.column + 1)
        if lines[where[0] - 1][where[1] - 1:where[1]] in ("[", "{"):
            return where
    # "while parsing a flow node": the context is the end of the file; the last line that opens
    # more brackets than it closes (quotes aside) is the one
    for number in range(min(line, len(lines)), 0, -1):
        unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", lambda m: " " * len(m.group()), lines[number - 1])
        depth, opening = 0, None
        for column, ch in enumerate(unquoted, start=1):
            if ch in "[{":
                depth, opening = depth + 1, opening if depth else column
            elif ch in "]}" and depth:
                depth -= 1
        if depth:
            return number, opening
        if unquoted.strip() and not unquoted.strip().startswith("#"):
            return None  # a line of its own in between: the bracket is not the problem
    return None


def _yaml_error(rel: str, exc: yaml.YAMLError, text: str) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    lines = text.splitlines()
    context = getattr(exc, "context_mark", None)
    hint = _fullwidth_hint(lines, line, context.line + 1 if context else 0)
    if hint:
        return Finding(rel, hint[0], hint[1], "", "error", "yaml-fullwidth", hint[2])
    if mark and line <= len(lines) and "\t" in lines[line - 1][: column]:
        return Finding(rel, line, column, "", "error", "yaml-tab", "不能用 Tab 缩进或对齐，请改用空格")
    problem = str(getattr(exc, "problem", "") or exc)
    context = str(getattr(exc, "context", "") or "")
    opened = _unclosed_bracket(lines, line, exc) if "flow" in context else None
    if opened:  # PyYAML notices a missing ] or } only where something else comes: name the bracket
        shape = "方括号“[ ]”" if lines[opened[0] - 1][opened[1] - 1] == "[" else "花括号“{ }”"
        return Finding(rel, *opened, "", "error", "yaml-syntax", f"这里的{shape}没有闭合")
    for needle, chinese in _YAML_PROBLEMS:
        if needle in problem or needle in context:
            return Finding(rel, line, column, "", "error", "yaml-syntax", chinese)
    return Finding(rel, line, column, "", "error", "yaml-syntax", f"YAML 格式错误：{problem}")


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, recording marks."""

    def __init__(self, rel: str, may_have_tags: bool):
        self.source = Source(rel)
        self.seen: set[int] = set()
        self.may_have_tags = may_have_tags  # without a "!" in the text no node can carry a tag

    def fail(self, node: yaml.Node, message: str, code: str, path: FieldPath) -> LoadError:
        mark = node.start_mark
        return LoadError(Finding(self.source.path, mark.line + 1, mark.column + 1, dotted(path),
                                 "error", code, message))

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        if id(node) in self.seen:  # an alias: the composer hands back the anchored node itself
            line = node.start_mark.line + 1
            raise self.fail(node, f"不支持锚点和别名（& 与 *）：{dotted(path)} 引用了第 {line} 行的锚点，请把内容直接写出",
                            "yaml-alias", path)
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            # the field named by its first levels: a hundred "[0]" would bury the message
            raise self.fail(node, f"嵌套层数过多（超过 {MAX_DEPTH} 层）", "too-deep", path[:3] + ("…",))
        if len(self.seen) > MAX_NODES:
            raise self.fail(node, f"文件内容过多（超过 {MAX_NODES:,} 个值）", "too-large", path)
        self.source.values[shared(path)] = shared((node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail(node, f"不支持 YAML 标签 {node.tag}", "yaml-tag", path)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict:
        if node.tag != _MAP_TAG:
            raise self.fail(node, f"不支持 YAML 标签 {node.tag}", "yaml-tag", path)
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "不支持合并键 <<：请把内容直接写出", "yaml-merge", path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "键必须是简单文本", "yaml-key", path)
            self.scalar(key_node, path)  # refuses tagged keys
            key = str(key_node.value)  # keys are names: `2024:` and `yes:` stay text
            if key[:1].isspace() or "：" in key or ":\u3000" in key:
                raise self.fail(key_node, _fullwidth_key(key), "yaml-fullwidth", path)
            if key in result:  # reported, and the first value kept, so the rest is still checked
                first = self.source.keys.get(path + (key,), (0, 0))[0]
                self.source.problems.append(self.fail(
                    key_node, f"键“{key}”重复（第 {first} 行已写过），请合并成一个", "duplicate-key", path + (key,)).finding)
                continue
            where = shared((key_node.start_mark.line + 1, key_node.start_mark.column + 1))
            self.source.keys[shared(path + (key,))] = where
            result[key] = self.build(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        """None for YAML 1.2's nulls, else the characters typed: Plain when unquoted, for the field
        to read as it means (scalars.py); quoted and block scalars are text."""
        plain = node.style is None or node.style == ""
        if self.may_have_tags:
            # PyYAML resolves implicit tags by YAML 1.1; a tag differing from that one was written
            expected = _resolver.resolve(yaml.ScalarNode, node.value, (True, False)) if plain else _STR_TAG
            if node.tag != expected:
                raise self.fail(node, f"不支持 YAML 标签 {node.tag}：请直接写值", "yaml-tag", path)
        if plain:
            return None if node.value in NULLS else Plain(node.value)
        bad = UNPRINTABLE.search(node.value)  # e.g. written as an escape: "\e" or "\x07"
        if bad:
            raise self.fail(node, f"含有不可见的控制字符 U+{ord(bad.group()):04X}，请删除", "control-char", path)
        return node.value


def parse_yaml(text: str, rel: str) -> tuple[Any, Source]:
    """Parse one YAML document; returns its data and where each value was written."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise LoadError(_yaml_error(rel, exc, text)) from exc
    except RecursionError:  # PyYAML's pure-Python composer nests one call per level
        raise LoadError(Finding(rel, 0, 0, "", "error", "too-deep", f"嵌套层数过多（超过 {MAX_DEPTH} 层）")) from None
    builder = _Builder(rel, may_have_tags="!" in text)
    if node is None:
        return None, builder.source
    return builder.build(node, ()), builder.source


def scalar_text(text: str) -> str:
    """text as a YAML scalar this loader reads back as exactly text, in block or flow style: plain
    when it can be, else double-quoted with JSON's escapes (which YAML's double quotes read alike)."""
    def reads_back(document: str) -> bool:
        try:
            data, _ = parse_yaml(document, "")
        except LoadError:
            return False
        return isinstance(data, dict) and isinstance(data.get("k"), Plain) and data["k"] == text

    # plain only where it reads back alike in a block and in a flow mapping (`reply: {…}`)
    if "#" not in text and reads_back(f"k: {text}\n") and reads_back(f"{{k: {text}, j: 1}}\n"):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """text in YAML double quotes: JSON's escapes, plus the three characters YAML takes for line
    breaks inside quotes, so the quoted text reads back as written."""
    return json.dumps(text, ensure_ascii=False).replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")
