"""What the last build left in build/: each output's fingerprint, content hash, size and time.

``build/.manifest.json`` is read as data only. It may come from anyone (a pull request can commit
a build/ folder), so an entry whose path leads outside build/ is dropped: the build never deletes
or trusts a file it did not put there.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import __version__
from ..files import atomic_write, read_regular, stays_inside
from .stamp import MANIFEST

MANIFEST_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(build_dir: Path) -> dict[str, dict]:
    """path → {fingerprint, hash, size, mtime_ns, ctime_ns, inode[, content, pages]}; {} when missing or unreadable."""
    try:
        data = json.loads(read_regular(build_dir / MANIFEST).decode("utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return {}
        outputs = data["outputs"]
        return {rel: entry for rel, entry in outputs.items()
                if isinstance(rel, str) and stays_inside(rel) and isinstance(entry, dict)}
    except (OSError, ValueError, KeyError, AttributeError, RecursionError):
        return {}


def write_manifest(build_dir: Path, outputs: dict[str, dict]) -> None:
    data = {"version": MANIFEST_VERSION, "package": __version__, "outputs": dict(sorted(outputs.items()))}
    # no indent: json's C encoder then writes it in a few milliseconds (`python -m json.tool` to read)
    atomic_write(build_dir / MANIFEST, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def record(path: Path, fingerprint: str, data: bytes) -> dict:
    return {"fingerprint": fingerprint, "hash": sha256(data), **_stat_entry(path.stat())}


def _stat_entry(stat: os.stat_result) -> dict:
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns, "inode": stat.st_ino}


def stat_of(entry: dict) -> tuple:
    """(size, mtime_ns, ctime_ns, inode) of a manifest entry, as the stamp records outputs."""
    return entry.get("size"), entry.get("mtime_ns"), entry.get("ctime_ns"), entry.get("inode")


def intact(path: str, manifest: dict[str, dict], rel: str) -> bool:
    """Is the file on disk the one the manifest recorded? Size, times and inode first (a file copied
    over it with `cp -p` keeps size and mtime, not ctime and inode); when only the times differ
    (touch, chmod) the hash decides, and the entry takes the new ones. A file with another inode is
    another file, whatever its hash: build/ and its manifest may come from anyone."""
    entry = manifest[rel]
    try:
        stat = os.lstat(path)
    except OSError:
        return False
    now = _stat_entry(stat)
    if all(entry.get(key) == value for key, value in now.items()):
        return True
    if not stat.st_ino or entry.get("inode") != stat.st_ino:
        # another file: one a pull request committed in build/ (with a manifest vouching for its
        # hash, and a letter saying what no case file says) is rendered again, never kept
        return False
    try:
        if sha256(read_regular(path)) != entry.get("hash"):
            return False
    except OSError:
        return False
    manifest[rel] = {**entry, **now}
    return True


def remove_output(build_dir: Path, rel: str) -> bool:
    """Delete an output the build no longer makes, then the folders it leaves empty (never build/).
    False when rel names a folder (a manifest from someone else's pull request can): no output."""
    path = build_dir / rel
    if path.is_dir():  # unlink would fail, and every build after it, the manifest naming it still
        return False
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != build_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return True
