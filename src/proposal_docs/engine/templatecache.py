"""The Jinja sources docxtpl makes of each template, kept between builds.

Patching a template (render.docx) means importing docxtpl, which brings python-docx and lxml with
it (about a twentieth of a second, more than a one-case rebuild's rendering), and running its
regular expressions over every part. What patching makes depends only on the parts' text and on
docxtpl, so each
template's patched sources are kept in ``build/.cache/templates/<name>.json`` with the hash of the
bytes they were made from, and used while the template and docxtpl are what they were.

A patched source is Jinja, which the build renders (in its sandbox). build/ may come from anyone,
so the file is signed with the user's own key (engine.signing), for this template name and
docxtpl version: one changed by hand, or made elsewhere, is ignored and the template patched again.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import __version__
from ..files import atomic_write, read_regular, unlinked_below
from .signing import cache_key, sign, verified

FORMAT = f"proposal-docs templates 1 {__version__}"
FOLDER = (".cache", "templates")  # under build/


def _patcher_version() -> str:
    try:
        return version("docxtpl")
    except PackageNotFoundError:  # pragma: no cover - docxtpl is a dependency
        return "unknown"


class PatchedSources:
    """get/put of {part name: patched Jinja source} per template name and content hash."""

    def __init__(self, build_dir: Path, key: bytes | None = None):
        self.build_dir = build_dir
        self.folder = build_dir.joinpath(*FOLDER)
        self.key = key if key is not None else cache_key()
        self._context: bytes | None = None

    def _signed_for(self, name: str) -> bytes:
        if self._context is None:
            self._context = f"{FORMAT}\ndocxtpl {_patcher_version()}".encode("utf-8")
        return self._context + b"\n" + name.encode("utf-8")

    def get(self, name: str, digest: str) -> dict[str, str] | None:
        """The sources patched from the template whose bytes hash to digest, if kept; else None."""
        try:
            body = verified(self.key, read_regular(self.folder / f"{name}.json"), self._signed_for(name))
            if body is None:
                return None
            data = json.loads(body)
            if data["digest"] != digest:
                return None
            sources = data["sources"]
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in sources.items()):
                return None
            return sources
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def put(self, name: str, digest: str, sources: dict[str, str]) -> None:
        if self.key is None or not unlinked_below(self.build_dir, self.folder):
            return  # nothing could be believed later, or it would be written outside build/
        body = json.dumps({"digest": digest, "sources": sources}, ensure_ascii=False, separators=(",", ":"))
        atomic_write(self.folder / f"{name}.json", sign(self.key, body.encode("utf-8"), self._signed_for(name)))
