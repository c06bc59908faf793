"""What YAML reading made of each file, kept between builds so an edit re-parses one file.

One shard per folder (``build/.cache/parsed/cases-2025.json``): an edit in one year rewrites that
year's shard only. Entries are keyed by the file's content hash; validation runs again on every
read, so a stale entry cannot let an invalid case through.

build/ may come from anyone (a pull request can commit it), so a shard is plain JSON — never
pickle — and carries an HMAC made with a key that lives outside the repository, in the user's
cache folder. A shard written anywhere else, or changed by hand, is ignored: it could otherwise
make a build print what no case file says.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from .. import __version__
from ..files import atomic_write
from ..model.findings import Finding
from ..model.loading import Source

FORMAT = f"proposal-docs parsed 1 {__version__}"


def user_cache_folder() -> Path:
    """Where per-user state lives: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "proposal-docs"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "proposal-docs"


def cache_key() -> bytes | None:
    """This user's secret for signing caches, made on first use; None where it cannot be kept."""
    path = user_cache_folder() / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another build made it just now
        try:
            return path.read_bytes() or None
        except OSError:
            return None
    except OSError:
        return None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as file:
        file.write(key)
    return key


class ParseCache:
    """get/put of model.repository.ParsedFiles, stored in signed JSON shards under folder."""

    def __init__(self, folder: Path, key: bytes | None = None):
        self.folder = folder
        self.key = key if key is not None else cache_key()
        self.shards: dict[str, dict[str, list]] = {}  # shard name → rel → [digest, encoded]
        self.dirty: set[str] = set()

    def _shard(self, rel: str) -> dict[str, list]:
        name = rel.rpartition("/")[0].replace("/", "-") or "root"
        if name not in self.shards:
            self.shards[name] = self._read(name)
        return self.shards[name]

    def _read(self, name: str) -> dict[str, list]:
        if self.key is None:
            return {}
        try:
            raw = (self.folder / f"{name}.json").read_bytes()
            signature, _, body = raw.partition(b"\n")
            expected = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode("ascii")
            if not hmac.compare_digest(signature, expected):
                return {}
            data = json.loads(body)
            return data["entries"] if data.get("format") == FORMAT else {}
        except (OSError, ValueError, KeyError, AttributeError, RecursionError):
            return {}

    def get(self, rel: str, digest: str) -> tuple[Any, Source] | None:
        entry = self._shard(rel).get(rel)
        if not entry or entry[0] != digest:
            return None
        try:
            return decode_parsed(entry[1])
        except (ValueError, KeyError, TypeError, IndexError, RecursionError):
            return None

    def put(self, rel: str, digest: str, parsed: tuple[Any, Source]) -> None:
        try:
            encoded = encode_parsed(parsed)
            json.dumps(encoded)  # what cannot be written is not kept (it is parsed again next time)
        except (ValueError, TypeError, RecursionError):
            return
        self._shard(rel)[rel] = [digest, encoded]
        self.dirty.add(rel.rpartition("/")[0].replace("/", "-") or "root")

    def save(self, keep: set[str]) -> None:
        """Write the shards that changed, without the files no longer read."""
        if self.key is None:
            return
        for name, entries in self.shards.items():
            gone = [rel for rel in entries if rel not in keep]
            for rel in gone:
                del entries[rel]
            if name in self.dirty or gone:
                body = json.dumps({"format": FORMAT, "entries": entries}, ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8")
                signature = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode("ascii")
                atomic_write(self.folder / f"{name}.json", signature + b"\n" + body)
        self.dirty.clear()


# --- YAML data and marks as JSON -----------------------------------------------------------------
# Lists stay lists; every other non-JSON value is a one-key object naming its type.


def _encode(value: Any) -> Any:
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


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    (kind, inner), = value.items()
    if kind == "m":
        return {_decode(k): _decode(v) for k, v in inner}
    if kind == "t":
        return dt.datetime.fromisoformat(inner)
    if kind == "d":
        return dt.date.fromisoformat(inner)
    if kind == "b":
        return base64.b64decode(inner)
    raise ValueError(kind)


def _marks(table: dict) -> list:
    return [[list(path), line, column] for path, (line, column) in table.items()]


def _unmarks(rows: list) -> dict:
    return {tuple(path): (line, column) for path, line, column in rows}


def encode_parsed(parsed: tuple[Any, Source]) -> list:
    data, source = parsed
    problems = [[f.file, f.line, f.column, f.field, f.level, f.code, f.message] for f in source.problems]
    return [_encode(data), source.path, _marks(source.values), _marks(source.keys), problems]


def decode_parsed(encoded: list) -> tuple[Any, Source]:
    data, path, values, keys, problems = encoded
    source = Source(path, _unmarks(values), _unmarks(keys), [Finding(*p) for p in problems])
    return _decode(data), source
