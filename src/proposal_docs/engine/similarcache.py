"""Per-year similarity digests: what `similar` compares of each year's cases, kept between runs.

Reading and validating ten years of case files takes seconds; comparing them takes a fraction of
one. So each year's valid cases are kept as rules.comparable entries in
``build/.cache/similar/<year>.json``, with the files of the year left out as invalid, together
with the stat listing (engine.stamp) of everything that decided them: the year's folder, its
year.yaml and case files, and the project file (validation checks its categories). A digest is
used only while that listing is exactly what it is now; any added, removed, edited or touched
file makes the year be read and validated again. A digest is a function of those inputs alone,
so a year holding an invalid file is kept as well as any other.

build/ may come from anyone, so a digest is plain JSON signed with the user's own key
(engine.signing): one that fails its signature, or belongs to another year or version, is simply
made again, never trusted and never an error.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..files import atomic_write, read_regular, unlinked_below
from ..model.layout import PROJECT_FILE
from ..rules.comparable import Comparable
from .signing import cache_key, sign, verified
from .stamp import by_year, snapshot_inputs

FORMAT = f"proposal-docs similar 1 {__version__}"
FOLDER = (".cache", "similar")  # under build/

Listing = list[tuple[str, int, int, int, int]]


@dataclass
class YearDigest:
    cases: list[Comparable] = field(default_factory=list)  # the year's valid cases, in reading order
    left_out: list[str] = field(default_factory=list)  # its files with errors (not compared), sorted


def listings(root: str | os.PathLike) -> dict[int, Listing]:
    """By year folder, the stat entries its digest stands for, taken before anything is read."""
    groups = by_year(snapshot_inputs(root))
    project = [entry for entry in groups.get(None, ()) if entry[0] == PROJECT_FILE]
    return {int(year): project + entries for year, entries in groups.items() if year is not None}


class SimilarCache:
    def __init__(self, build_dir: Path, key: bytes | None = None):
        self.build_dir = build_dir
        self.folder = build_dir.joinpath(*FOLDER)
        self.key = key if key is not None else cache_key()

    def _path(self, year: int) -> Path:
        return self.folder / f"{year}.json"

    def get(self, year: int, listing: Listing) -> YearDigest | None:
        """The year's digest if this user's key signed it for these very files, else None."""
        try:
            body = verified(self.key, read_regular(self._path(year)), str(year).encode("ascii"))
            if body is None:
                return None
            data = json.loads(body)
            if data["format"] != FORMAT or [tuple(entry) for entry in data["inputs"]] != listing:
                return None
            return YearDigest([Comparable._make(row) for row in data["cases"]], list(data["left_out"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def put(self, year: int, listing: Listing, digest: YearDigest) -> None:
        if self.key is None or not unlinked_below(self.build_dir, self.folder):
            return  # nothing could be believed later, or it would be written outside build/
        body = json.dumps({"format": FORMAT, "inputs": listing, "cases": digest.cases,
                           "left_out": digest.left_out}, ensure_ascii=False, separators=(",", ":"))
        atomic_write(self._path(year), sign(self.key, body.encode("utf-8"), str(year).encode("ascii")))
