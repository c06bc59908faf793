"""The outputs `build` makes for the people around the bureau, beside the documents and the site:
build/deadlines.ics for the clerks' calendars and build/public/ for the bureau's website.

Both list every case, so they are made with the site (never by a build that leaves years
unread), and each file is written only when its bytes changed, like the site's pages.
"""

from __future__ import annotations

from pathlib import Path

from ..files import atomic_write
from ..model.repository import Repository
from ..render.calendar import CALENDAR_FILE, deadline_calendar


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def write_extras(repo: Repository, build_dir: Path) -> tuple[bool, list[str]]:
    """(whether deadlines.ics changed, the public pages that changed, build-relative)."""
    from ..site.public import build_public  # the site's templates only with the site

    calendar = write_if_changed(build_dir / CALENDAR_FILE, deadline_calendar(repo))
    return calendar, build_public(repo, build_dir)
