"""What a long-lived build process (server.py) keeps from one build to the next.

A one-shot `build` leaves all of this empty. The build server calls ``keep_between_builds()`` once;
after that, content hashes of unchanged files, parsed case files and prepared templates survive
between builds. Each is keyed by content — a file's hash is reused only while its size and
modification time stay exactly as they were, and only when that time is old enough that a
same-tick rewrite could not hide behind it (git calls this the racy-timestamp problem).
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

RACY_NS = 2_000_000_000  # file systems with coarse clocks (FAT: 2 s) could hide a rewrite within this

enabled = False
_digests: dict[str, tuple[int, int, int, str]] = {}  # path → (size, mtime_ns, when hashed, sha256)
_memo: dict[Any, Any] = {}
_owners: dict[tuple, tuple] = {}  # (kind, owner) → the key of its current value


def keep_between_builds() -> None:
    global enabled
    enabled = True


def known_digest(path: str, seen: tuple[int, int] | None = None) -> str | None:
    """The content hash of path if it was hashed before and cannot have changed since.

    seen: its (size, mtime_ns) as the build's snapshot found them, instead of asking again.
    """
    if not enabled or path not in _digests:
        return None
    if seen is None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        seen = (stat.st_size, stat.st_mtime_ns)
    size, mtime, hashed_at, digest = _digests[path]
    if seen != (size, mtime) or mtime > hashed_at - RACY_NS:
        return None
    return digest


def remember_digest(path: str, size: int, mtime_ns: int, digest: str) -> None:
    if enabled:
        _digests[path] = (size, mtime_ns, time.time_ns(), digest)


def memo(key: tuple, make: Callable[[], Any], owner: Any = None) -> Any:
    """make() once per key while enabled; key[0] names the kind, the rest the content (e.g. its hash).

    owner: what the value belongs to — a case file, a template, the manifest. One value is kept per
    owner: a new content replaces the old one, so a server that sees thousands of edits keeps what
    its repository holds now, not every version it ever saw.
    """
    if not enabled:
        return make()
    if key not in _memo:
        if owner is not None:
            stale = _owners.get((key[0], owner))
            if stale is not None:
                _memo.pop(stale, None)
            _owners[key[0], owner] = key
        _memo[key] = make()
    return _memo[key]


def kept(kind: str) -> list[Any]:
    return [value for key, value in _memo.items() if key[0] == kind]


def save_parse_caches() -> None:
    """Write what a long-lived process parsed (one-shot builds write theirs as they finish)."""
    for cache in kept("parse cache"):
        try:
            cache.save(keep=set(cache.entries))
        except OSError:
            pass
