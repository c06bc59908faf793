"""A cheap "is everything up to date?" test for `build`, using only built-in modules.

After a complete build, ``build/.stamp`` records the size and modification time of every input
file (taken before the build read them) and of every output it left. When a new listing matches,
nothing can have changed and `build` answers without parsing a single YAML file — or, through
launcher.py, without importing anything beyond this module. Any difference sends it down the full
path, which compares content hashes (a git checkout changes modification times, not content).

Every import here is paid on each no-op build, which should cost about as much as starting Python:
hence os.path rather than pathlib, and marshal (built in, version-checked, a cache that may be
thrown away) rather than json.
"""

from __future__ import annotations

import marshal
import os
import sys

from . import __version__
from .layout import BUILD_DIR, PROJECT_FILE

MANIFEST = ".manifest.json"
STAMP = ".stamp"
UP_TO_DATE = "生成 0 个文件,未变 {count:,} 个,删除 0 个(输入均未改动)"

# (path relative to its folder, size, mtime in ns), sorted by path
Snapshot = tuple[tuple[str, int, int], ...]
_FORMAT = ("proposal-docs stamp", 1, __version__, sys.version_info[:2])


def _listing(folder: str, suffix: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return [e for e in entries if e.name.endswith(suffix) and e.is_file()]
    except OSError:
        return []


def snapshot_inputs(root: str | os.PathLike) -> Snapshot:
    """Every file a build reads: the project file, each year folder's .yaml files, the templates."""
    base = os.fspath(root)
    entries = [(PROJECT_FILE, os.path.join(base, PROJECT_FILE))]
    try:
        with os.scandir(os.path.join(base, "cases")) as years:
            folders = [y.name for y in years if len(y.name) == 4 and y.name.isdigit() and y.is_dir()]
    except OSError:
        folders = []
    for year in folders:
        entries += [(f"cases/{year}/{e.name}", e) for e in _listing(os.path.join(base, "cases", year), ".yaml")]
    entries += [(f"templates/{e.name}", e) for e in _listing(os.path.join(base, "templates"), ".docx")]
    result = []
    for rel, entry in entries:
        try:
            stat = entry.stat() if isinstance(entry, os.DirEntry) else os.stat(entry)
        except OSError:
            continue
        result.append((rel, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(result))


def snapshot_outputs(build_dir: str | os.PathLike, outputs) -> Snapshot | None:
    """Size and mtime of the given outputs (paths relative to build/); None if one is missing."""
    base = os.fspath(build_dir)
    result = []
    for rel in sorted(outputs):
        try:
            stat = os.stat(os.path.join(base, rel))
        except OSError:
            return None
        result.append((rel, stat.st_size, stat.st_mtime_ns))
    return tuple(result)


def write_stamp(build_dir: str | os.PathLike, inputs: Snapshot, outputs: Snapshot, timezone: str,
                site_today: str | None) -> None:
    """timezone: the project's, so the day can be told without reading YAML; site_today: the day
    the site's statuses were computed for, None when no site was built."""
    from pathlib import Path

    from .files import atomic_write

    data = marshal.dumps((_FORMAT, timezone, site_today, inputs, outputs))
    atomic_write(Path(build_dir, STAMP), data)


def forget(build_dir: str | os.PathLike) -> None:
    """The next build must take the full path (said before a build changes anything)."""
    try:
        os.unlink(os.path.join(build_dir, STAMP))
    except FileNotFoundError:
        pass


def read_stamp(build_dir: str | os.PathLike) -> tuple | None:
    """(timezone, site_today, inputs, outputs) of the last complete build, if it left a stamp."""
    try:
        with open(os.path.join(build_dir, STAMP), "rb") as file:
            data = marshal.loads(file.read())
        if data[0] != _FORMAT:
            return None
        return data[1:]
    except (OSError, ValueError, EOFError, TypeError, IndexError):
        return None


def up_to_date(root: str | os.PathLike, inputs: Snapshot, site: bool, given_today=None) -> int | None:
    """The number of outputs when nothing changed since the last complete build, else None.

    site: the site is wanted too, so it must show today — the day is worked out in the timezone the
    stamp recorded (if the project file changed since, the inputs differ anyway).
    """
    build_dir = os.path.join(root, BUILD_DIR)
    stamp = read_stamp(build_dir)
    if stamp is None:
        return None
    timezone, site_today, stamped_inputs, stamped_outputs = stamp
    if stamped_inputs != inputs:
        return None
    if site:
        from .clock import today

        try:
            if today(timezone, given_today).isoformat() != site_today:
                return None
        except ValueError:
            return None  # the full path explains what is wrong with the day
    if snapshot_outputs(build_dir, (rel for rel, _, _ in stamped_outputs)) != stamped_outputs:
        return None
    return len(stamped_outputs)
