"""Writing files so that readers only ever see a whole old file or a whole new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _temporary_copy(path: Path, data: bytes) -> str:
    """The data in a temporary file beside path (same file system, so a rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    tmp = _temporary_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_create(path: Path, data: bytes) -> None:
    """Like atomic_write, but never replaces an existing file: FileExistsError instead."""
    tmp = _temporary_copy(path, data)
    try:
        os.link(tmp, path)  # fails when the name exists, even if created a moment ago
    finally:
        Path(tmp).unlink(missing_ok=True)
