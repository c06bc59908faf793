"""Writing files so that readers only ever see a whole old file or a whole new one, the lock that
keeps two builds from writing at once, and reading what build/ holds without following links.

Built-in modules only, imported when used: engine/stamp.py reads with this on every no-op build.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from pathlib import Path


def _temporary_copy(path: Path, data: bytes, mode: int = 0o644) -> str:
    """The data in a temporary file beside path (same file system, so a rename is atomic)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def read_regular(path: str | os.PathLike) -> bytes:
    """The bytes of the regular file path names, not through a symbolic link at its end.

    For what build/ holds, which may come from anyone's pull request: a link there to /dev/zero, or
    a FIFO, would make a read that never ends. OSError for anything but a plain file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO does not wait for a writer
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        return file.read()


def unlinked_below(base: Path, folder: Path) -> bool:
    """folder, below base, is reached through no link (made or not yet), base itself included: what
    is written into it stays in base. build/ may come from anyone, and a link there (build/ itself
    one, or build/.cache) could lead anywhere."""
    base = os.path.abspath(base)
    return os.path.realpath(folder) == os.path.normpath(
        os.path.join(os.path.realpath(os.path.dirname(base)), os.path.basename(base), os.path.relpath(folder, base)))


def stays_inside(rel: str) -> bool:
    """A "/"-separated relative path, read from a file, that stays inside its folder."""
    return not (rel.startswith(("/", "\\")) or ":" in rel or "\\" in rel or "\0" in rel  # NUL: no name at all
                or any(part in ("..", ".") for part in rel.split("/")))


def links_below(folder: str | os.PathLike) -> list[str]:
    """The symbolic links (and Windows junctions) at folder and below it, as "/"-separated paths
    relative to it ("." for folder itself), sorted; none is followed. [] when folder is no folder.

    build/ may come from anyone's pull request: a link in it would have a build write, or clean up,
    files anywhere on the machine."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return []
    if _is_link(info):
        return ["."]
    if not stat.S_ISDIR(info.st_mode):
        return []
    found, pending = [], [("", os.fspath(folder))]
    while pending:
        rel, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = rel + entry.name
                if entry.is_symlink() or (_WINDOWS and _is_link(entry.stat(follow_symlinks=False))):
                    found.append(name)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((name + "/", entry.path))
    return sorted(found)


def _is_link(info: os.stat_result) -> bool:
    # a junction leads elsewhere as a link does, but Python 3.11 calls it no link
    return stat.S_ISLNK(info.st_mode) or getattr(info, "st_reparse_tag", 0) in _LINK_TAGS


_WINDOWS = os.name == "nt"  # where a listing already holds each entry's own status: no extra call
_LINK_TAGS = {getattr(stat, "IO_REPARSE_TAG_SYMLINK", -1), getattr(stat, "IO_REPARSE_TAG_MOUNT_POINT", -1)}


def find_program(name: str) -> str | None:
    """The program `name` on PATH, by its absolute path, never found in the current folder.

    A clerk runs the tool inside the repository, whose files may come from anyone's pull request.
    On Windows shutil.which, and CreateProcess given a bare name, look in the current folder first,
    so a committed soffice.bat, fc-list.bat or git.exe would run; elsewhere an empty or relative
    PATH entry means the same. Only absolute PATH entries are searched."""
    if os.name == "nt":
        suffixes = [s for s in os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(os.pathsep) if s]
    else:
        suffixes = [""]
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        folder = folder.strip('"')
        if not os.path.isabs(folder):  # "" and "." are the current folder
            continue
        for suffix in suffixes:
            candidate = os.path.join(folder, name + suffix)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    tmp = _temporary_copy(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def atomic_create(path: Path, data: bytes) -> None:
    """Like atomic_write, but never replaces an existing file: FileExistsError instead."""
    tmp = _temporary_copy(path, data)
    try:
        os.link(tmp, path)  # fails when the name exists, even if created a moment ago
    finally:
        _remove(tmp)


@contextmanager
def exclusive_lock(path: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on path; if another process holds it, call on_wait once and wait.

    The operating system releases the lock when its process dies, so a killed build never leaves
    a stale lock behind (unlike a lock file that is merely created and deleted).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        if not _try_lock(handle):
            if on_wait:
                on_wait()
            while not _try_lock(handle):
                time.sleep(0.2)
        try:
            yield
        finally:
            _unlock(handle)


@contextmanager
def lock_if_free(path: Path) -> Iterator[bool]:
    """Try once to take an exclusive lock: True while held, False if another process has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        held = _try_lock(handle)
        try:
            yield held
        finally:
            if held:
                _unlock(handle)


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
