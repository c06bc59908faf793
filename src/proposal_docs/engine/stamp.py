"""A cheap "is everything up to date?" test for `build`, using only built-in modules.

After a complete build, ``build/.stamp`` records the size, modification and change times and
inode of every input file and input folder (taken before the build read them) and of every output
it left: `cp -p` and `touch -r` keep size and modification time, a chmod keeps both, but neither
keeps the change time; an added, removed or renamed file changes its folder's times. When a new listing matches,
nothing can have changed and `build` answers before importing pydantic, YAML or docx, and without
parsing a single file. Any difference sends it down the full path, which compares content hashes
(a git checkout changes modification times, not content).

Every import here is paid on each no-op build: hence os.path rather than pathlib. The stamp is
JSON — build/ may come from anyone's pull request, so it is only ever read as data, and a name in
it that leads outside build/ makes the whole stamp worthless.
"""

from __future__ import annotations

import json
import os

from .. import __version__
from ..files import read_regular, stays_inside
from ..model.layout import BUILD_DIR, PACKAGED_TEMPLATES, PROJECT_FILE, TEMPLATES_DIR, is_year_name

MANIFEST = ".manifest.json"
STAMP = ".stamp"
UP_TO_DATE = "生成 0 个文件，未变 {count:,} 个，删除 0 个（输入均未改动）"

# (path relative to the repository, "/"-separated, a folder's ending in "/"; size; mtime, ctime in
# ns; inode), sorted by path
Snapshot = tuple[tuple[str, int, int, int, int], ...]
_FORMAT = ["proposal-docs stamp", 4, __version__]


_DIR_FD = os.stat in os.supports_dir_fd  # POSIX: stat names relative to an open folder


def _stats(folder: str, names) -> list | None:
    """(name, size, mtime_ns, ctime_ns, inode) of each name in folder, skipping what is not a regular file; None if
    the folder cannot be opened. Relative to an open folder where the system allows: shorter path
    lookups and less string work, which matters at a few thousand files per build."""
    result = []
    if _DIR_FD:
        try:  # O_DIRECTORY: a committed file (or a link to one, /dev/zero or a FIFO) named templates is no folder
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return None
        try:
            for name in names if names is not None else os.listdir(fd):
                try:
                    stat = os.stat(name, dir_fd=fd)
                except OSError:
                    continue
                if stat.st_mode & 0o170000 == 0o100000:
                    result.append((name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
        finally:
            os.close(fd)
        return result
    try:
        listed = names if names is not None else os.listdir(folder)
    except OSError:  # a folder nobody may open
        return None
    for name in listed:
        try:
            stat = os.stat(os.path.join(folder, name))
        except OSError:
            continue
        if stat.st_mode & 0o170000 == 0o100000:
            result.append((name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return result


def _folder_stat(base: str, rel: str) -> list:
    """The folder's own entry ("rel/", 0, mtime, ctime, inode): its times change when a file is
    added, removed or renamed in it, or its permissions change; [] if it is not there."""
    try:
        stat = os.stat(os.path.join(base, rel))
    except OSError:
        return []
    return [(rel + "/", 0, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)]


def snapshot_inputs(root: str | os.PathLike) -> Snapshot:
    """Every file a build reads: the project file, each year folder's .yaml files, the templates;
    and cases/, the year folders and templates/ themselves."""
    base = os.fspath(root)
    result = [(PROJECT_FILE, *rest) for _, *rest in _stats(base, [PROJECT_FILE]) or ()]
    result += _folder_stat(base, "cases")
    try:
        years = sorted(n for n in os.listdir(os.path.join(base, "cases")) if is_year_name(n))
    except OSError:
        years = []
    for folder, suffix in [*((f"cases/{year}", ".yaml") for year in years), (TEMPLATES_DIR, ".docx")]:
        result += _folder_stat(base, folder)
        files = _stats(os.path.join(base, folder), None) or ()
        result += [(f"{folder}/{name}", *rest) for name, *rest in files if name.endswith(suffix)]
    # the packaged templates too: an upgrade of the tool that changes one is a changed input
    packaged = _stats(PACKAGED_TEMPLATES, None) or ()
    result += [(f"<package>/{name}", *rest) for name, *rest in packaged if name.endswith(".docx")]
    return tuple(sorted(result))


def group_outputs(outputs: dict[str, tuple[int, int, int, int]]) -> tuple:
    """Outputs as the stamp keeps them: ((folder, ((name, size, mtime_ns, ctime_ns, inode), …)), …), so that
    checking them needs no path strings put together."""
    by_folder: dict[str, list] = {}
    for rel, stat in sorted(outputs.items()):
        folder, _, name = rel.rpartition("/")
        files = by_folder.get(folder)
        if files is None:
            files = by_folder[folder] = []
        files.append((name, *stat))
    return tuple((folder, tuple(files)) for folder, files in by_folder.items())


def outputs_unchanged(build_dir: str | os.PathLike, grouped: tuple) -> bool:
    base = os.fspath(build_dir)
    for folder, files in grouped:
        found = _stats(os.path.join(base, folder) if folder else base, [file[0] for file in files])
        if found is None or tuple(found) != files:
            return False
    return True


def write_stamp(build_dir: str | os.PathLike, inputs: Snapshot, outputs: dict[str, tuple[int, int, int, int]], timezone: str,
                site_today: str | None, numbers: dict[int, list[tuple[str, str]]]) -> None:
    """outputs: path → (size, mtime_ns, ctime_ns, inode) as the build left them; timezone: the project's, so the day
    can be told without reading YAML; site_today: the day the site's statuses were computed for,
    None when no site was built; numbers: each year's (document number, case file) pairs, which a
    build that leaves the year unread still checks for duplicates."""
    from pathlib import Path

    from ..files import atomic_write

    years = {str(year): pairs for year, pairs in sorted(numbers.items())}
    data = json.dumps([_FORMAT, timezone, site_today, inputs, group_outputs(outputs), years], ensure_ascii=False)
    atomic_write(Path(build_dir, STAMP), data.encode("utf-8"))


def forget(build_dir: str | os.PathLike) -> None:
    """The next build must take the full path (said before a build changes anything)."""
    try:
        os.unlink(os.path.join(build_dir, STAMP))
    except FileNotFoundError:
        pass


def read_stamp(build_dir: str | os.PathLike) -> tuple | None:
    """(timezone, site_today, inputs, outputs, numbers) of the last complete build, if it left a stamp."""
    try:
        data = json.loads(read_regular(os.path.join(build_dir, STAMP)))
        if data[0] != _FORMAT:
            return None
        timezone, site_today, inputs, outputs, years = data[1:]
        inputs = tuple((rel, size, mtime, ctime, inode) for rel, size, mtime, ctime, inode in inputs)
        outputs = tuple((folder, tuple((name, size, mtime, ctime, inode) for name, size, mtime, ctime, inode in files))
                        for folder, files in outputs)
        numbers = {int(year): [(number, rel) for number, rel in pairs] for year, pairs in years.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError, RecursionError):
        return None
    names = [folder for folder, _ in outputs] + [file[0] for _, files in outputs for file in files]
    if not all(isinstance(name, str) and stays_inside(name) for name in names):
        return None
    if not all(isinstance(text, str) for pairs in numbers.values() for pair in pairs for text in pair):
        return None
    return timezone, site_today, inputs, outputs, numbers


def up_to_date(root: str | os.PathLike, inputs: Snapshot, site: bool, given_today=None) -> int | None:
    """The number of outputs when nothing changed since the last complete build, else None.

    site: the site is wanted too, so it must show today — the day is worked out in the timezone the
    stamp recorded (if the project file changed since, the inputs differ anyway).
    """
    build_dir = os.path.join(root, BUILD_DIR)
    stamp = read_stamp(build_dir)
    if stamp is None:
        return None
    timezone, site_today, stamped_inputs, stamped_outputs, _ = stamp
    if stamped_inputs != inputs:
        return None
    if site:
        from ..rules.clock import today

        try:
            if today(timezone, given_today).isoformat() != site_today:
                return None
        except ValueError:
            return None  # the full path explains what is wrong with the day
    if not outputs_unchanged(build_dir, stamped_outputs):
        return None
    return sum(len(files) for _, files in stamped_outputs)


def by_year(entries) -> dict[str | None, list]:
    """Entries whose path is cases/<year>/… or <year>/… by that year; every other one under None."""
    groups: dict[str | None, list] = {}
    for entry in entries:
        parts = entry[0].split("/")
        key = parts[1] if parts[0] == "cases" and len(parts) > 2 else parts[0] if parts[0].isdigit() else None
        groups.setdefault(key, []).append(entry)
    return groups


def unchanged_years(root: str | os.PathLike, inputs: Snapshot) -> dict[int, list[tuple[str, str]]]:
    """The years a build may leave unread, with the document numbers the last build recorded of them.

    A year qualifies when the project file and the templates are as the last complete build found
    them, and so is every file of the year's folder (same names, sizes and times), and every
    document the build left for that year is still there as it was. Then none of its documents can
    change, and its cases were valid then (a build with an invalid file completes nothing). The
    documents are checked with one stat each, no file is read.
    """
    build_dir = os.path.join(root, BUILD_DIR)
    stamp = read_stamp(build_dir)
    if stamp is None:
        return {}
    stamped_inputs, stamped_outputs, numbers = stamp[2], stamp[3], stamp[4]
    now, before = by_year(inputs), by_year(stamped_inputs)
    if now.get(None) != before.get(None):
        return {}
    outputs = by_year(stamped_outputs)
    return {int(year): numbers[int(year)] for year, entries in now.items()
            if year is not None and entries == before.get(year) and int(year) in numbers
            and outputs_unchanged(build_dir, outputs.get(year, ()))}
