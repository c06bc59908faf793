"""A cheap "is everything up to date?" test for `build`, using only the standard library.

The manifest keeps the size and modification time of every input file of the last complete build
and of every output. When none of them moved, nothing can have changed and `build` stops before
parsing a single YAML file. Any difference sends it down the full path, which compares content
hashes (a git checkout changes modification times, not content).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .layout import PROJECT_FILE, YEAR_FILE, case_files, year_folders

MANIFEST = ".manifest.json"

Snapshot = dict[str, list[int]]


def input_files(root: Path) -> list[Path]:
    files = [root / PROJECT_FILE]
    for folder in year_folders(root):
        files += [folder / YEAR_FILE, *case_files(folder)]
    templates = root / "templates"
    if templates.is_dir():
        files += sorted(templates.glob("*.docx"))
    return files


def snapshot_inputs(root: Path) -> Snapshot:
    result = {}
    for path in input_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        result[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return result


def is_up_to_date(build_dir: Path, inputs: Snapshot, site_today: str | None = None) -> int | None:
    """The number of outputs when nothing changed since the last complete build, else None.

    site_today: the day the site should show; a site built for another day is out of date.
    """
    try:
        manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("package") != __version__ or manifest.get("inputs") != inputs:
            return None
        if manifest.get("site_today") != site_today:
            return None
        outputs = manifest["outputs"]
        for rel, entry in outputs.items():
            stat = (build_dir / rel).stat()
            if stat.st_size != entry["size"] or stat.st_mtime_ns != entry["mtime_ns"]:
                return None
        return len(outputs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
