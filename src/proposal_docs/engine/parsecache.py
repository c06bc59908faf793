"""What YAML reading made of each file, kept between builds so an edit re-parses one file.

One shard per folder (``build/.cache/parsed/cases-2025.json``): an edit in one year rewrites that
year's shard only, and a year a build leaves unread is not opened at all. Files are read folder
by folder, so only the shard being read is held in memory, each entry as its JSON text until that
file is asked for (at 20,000 cases, decoded shards would cost hundreds of megabytes); a shard that
changed waits as bytes until the build writes it, so that invalid input leaves build/ untouched.

Entries are keyed by the file's content hash; validation runs again on every read, so a stale
entry cannot let an invalid case through. A shard is one line per file, "path<TAB>hash<TAB>marks
<TAB>data", after a line naming the format; marks (where each value was written) and data are
JSON each. Reading a shard splits lines, and writing one joins them, as bytes: a file's line is
decoded only when the file is asked for, an unchanged line is written back as it was read, and no
JSON is put inside JSON to escape and unescape (the marks are more than half of a line).

build/ may come from anyone (a pull request can commit it), so a shard is plain JSON — never
pickle — signed with the user's own key (engine.signing): a shard written anywhere else, or
changed by hand, is ignored.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..files import atomic_write, read_regular, unlinked_below
from ..model.findings import Finding
from ..model.loading import Source
from ..model.scalars import Plain
from .signing import cache_key, sign, verified

FORMAT = f"proposal-docs parsed 6 {__version__}".encode("utf-8")


def shard_name(rel: str) -> str:
    return rel.rpartition("/")[0].replace("/", "-") or "root"


class ParseCache:
    """get/put of model.repository.ParsedFiles, stored in signed JSON shards under folder.

    The shard of the folder being read is in memory; moving on to another folder sets it aside
    for save() if anything in it changed, keeping only the files that were asked for (the others
    are gone).
    """

    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = folder
        self.key = key if key is not None else cache_key()
        self.name: str | None = None  # the shard in memory
        self.entries: dict[str, tuple[str, bytes]] = {}  # its entries: rel → (digest, the file's line)
        self.asked: set[str] = set()  # its files asked for since it was read
        self.dirty = False
        self.changed: dict[str, bytes] = {}  # shards to write: name → JSON body

    def _open(self, rel: str) -> None:
        name = shard_name(rel)
        if name != self.name:
            self._set_aside()
            self.name, self.entries, self.asked, self.dirty = name, self._read(name), set(), False
        self.asked.add(rel)

    def _read(self, name: str) -> dict[str, tuple[str, bytes]]:
        if self.key is None:
            return {}
        try:
            body = verified(self.key, read_regular(self.folder / f"{name}.json"))
            if body is None:
                return {}
            header, *lines = body.split(b"\n")
            if header != FORMAT:
                return {}
            entries = {}
            for line in lines:
                rel, digest, _ = line.split(b"\t", 2)
                entries[rel.decode("utf-8")] = (digest.decode("ascii"), line)
            return entries
        except (OSError, ValueError):
            return {}

    def get(self, rel: str, digest: str) -> tuple[Any, Source] | None:
        self._open(rel)
        entry = self.entries.get(rel)
        if not entry or entry[0] != digest:
            return None
        try:
            _, _, marks, data = entry[1].decode("utf-8").split("\t", 3)
            return decode_parsed(marks, _DECODER.decode(data))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            return None

    def put(self, rel: str, digest: str, parsed: tuple[Any, Source]) -> None:
        marks = parsed[1].marks_text()
        if any(c in text for text in (rel, marks) for c in "\t\n"):  # what a line cannot hold: parsed again next time
            return
        self._open(rel)
        try:  # a name or text that is not UTF-8 (surrogates) raises UnicodeEncodeError, a ValueError
            data = json.dumps(encode_parsed(parsed), ensure_ascii=False, separators=(",", ":"))
            line = "\t".join([rel, digest, marks, data]).encode("utf-8")
        except (ValueError, TypeError, RecursionError):  # what cannot be written is parsed again next time
            return
        self.entries[rel] = (digest, line)
        self.dirty = True

    def _set_aside(self) -> None:
        """The shard in memory, without the files no longer read, kept for save() if it changed."""
        if self.key is None or self.name is None:
            return
        gone = [rel for rel in self.entries if rel not in self.asked]
        for rel in gone:
            del self.entries[rel]
        if self.dirty or gone:
            # json.dumps escapes every control character, so neither a tab nor a line break is in a text
            self.changed[self.name] = b"\n".join([FORMAT, *(line for _, line in self.entries.values())])
        self.dirty = False

    def save(self) -> None:
        """Write the shards that changed (the build calls this once the input proved valid)."""
        self._set_aside()
        if not unlinked_below(self.folder.parent.parent, self.folder):  # build/.cache/parsed, no link on the way
            self.changed.clear()
        for name, body in sorted(self.changed.items()):
            atomic_write(self.folder / f"{name}.json", sign(self.key, body))
        self.changed.clear()


# --- YAML data and marks as JSON -----------------------------------------------------------------
# Lists stay lists; every other non-JSON value is a one-key object naming its type.


def _encode(value: Any) -> Any:
    if isinstance(value, Plain):  # an unquoted scalar: its field decides what it means
        return {"p": str(value)}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, bytes):
        return {"b": base64.b64encode(value).decode("ascii")}
    raise TypeError(type(value).__name__)


def _decoded(value: dict) -> Any:
    """json's object_hook: each one-key object back to its value, innermost first."""
    (kind, inner), = value.items()
    if kind == "m":
        return {k: v for k, v in inner}
    if kind == "p":
        return Plain(inner)
    if kind == "t":
        return dt.datetime.fromisoformat(inner)
    if kind == "d":
        return dt.date.fromisoformat(inner)
    if kind == "b":
        return base64.b64decode(inner)
    raise ValueError(kind)


_DECODER = json.JSONDecoder(object_hook=_decoded)  # json.loads with a hook would make one per entry


def encode_parsed(parsed: tuple[Any, Source]) -> list:
    """The data and what else a Source holds but its marks (written beside, as they are)."""
    data, source = parsed
    problems = [[f.file, f.line, f.column, f.field, f.level, f.code, f.message] for f in source.problems]
    return [_encode(data), source.path, problems]


def decode_parsed(marks: str, encoded: list) -> tuple[Any, Source]:
    """encoded: read by json with _decoded as its object_hook."""
    data, path, problems = encoded
    source = Source.from_text(path, marks, [Finding(*p) for p in problems])
    return data, source
