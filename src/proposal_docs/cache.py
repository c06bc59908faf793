"""Parsed and validated files, kept between builds so a one-case edit re-reads one case.

Entries are keyed by the file's content hash and salted with the package version and the project
file's hash (its categories take part in validation), so a stale entry can never be used.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from .files import atomic_write


class ParseCache:
    def __init__(self, path: Path, salt: str):
        self.path = path
        self.salt = salt
        self.entries: dict[str, tuple[str, Any]] = {}
        self.dirty = False
        try:
            data = pickle.loads(path.read_bytes())
            if data.get("salt") == salt:
                self.entries = data["entries"]
        except Exception:  # noqa: BLE001 - a missing or unreadable cache is only a slower build
            pass

    def get(self, rel: str, digest: str) -> Any | None:
        entry = self.entries.get(rel)
        return entry[1] if entry and entry[0] == digest else None

    def put(self, rel: str, digest: str, value: Any) -> None:
        self.entries[rel] = (digest, value)
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True
        if self.dirty:
            atomic_write(self.path, pickle.dumps({"salt": self.salt, "entries": self.entries}, protocol=5))
