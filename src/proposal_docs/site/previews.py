"""HTML previews of built documents, converted with pandoc and kept by the document's hash.

A pandoc conversion costs far more than rendering the document (ARCHITECTURE.md: ~36 ms per
document for the process alone), so each .docx is converted once per content: the manifest
already knows every output's hash, which keys the cache.

A preview is HTML put into the site's pages as is, so a cached one is believed only when it carries
an HMAC made with the user's own cache key (engine.signing): a file committed under build/.cache
by someone else is converted again, never shown.
"""

from __future__ import annotations

import glob
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from markupsafe import Markup

from ..engine.signing import cache_key, sign, verified
from ..files import atomic_write, find_program, read_regular, unlinked_below


def _name_pandoc() -> None:
    """Tell pypandoc which pandoc to run, by full path: the one it ships, else PATH's (absolute
    folders only). Left to itself it first runs a bare `pandoc --version`, which Windows looks
    for in the current folder — the repository, where a pull request can commit a pandoc.exe —
    and then uses whichever candidate says the highest version."""
    if os.environ.get("PYPANDOC_PANDOC"):  # the clerk's own choice
        return
    import pypandoc

    shipped = os.path.join(os.path.dirname(os.path.realpath(pypandoc.__file__)), "files", "pandoc")
    found = next((p for p in (shipped, shipped + ".exe") if os.path.isfile(p)), None) or find_program("pandoc")
    if found:
        os.environ["PYPANDOC_PANDOC"] = found


def _convert(docx: Path) -> str:
    import pypandoc

    # docx+styles keeps each paragraph's Word style as data-custom-style, so the page's CSS can
    # show 一级标题 in bold and the 发文机关标志 in red.
    # glob.escape: pypandoc expands a path as a pattern, and a title or name with [ ] in it would
    # match another document (提案第001号-[张]三.docx is a pattern for 提案第001号-张三.docx)
    return pypandoc.convert_file(glob.escape(str(docx)), "html", format="docx+styles", verify_format=False)


def _cached(path: Path, key: bytes | None, digest: str) -> str | None:
    """The cached preview when this user's key signed it, else None."""
    if key is None or not path.is_file():
        return None
    try:
        html = verified(key, read_regular(path), digest.encode("ascii", "replace"))
        if html is not None:
            return html.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    return None


def previews(build_dir: Path, documents: dict[str, str], jobs: int,
             key: bytes | None = None) -> dict[str, Markup]:
    """documents: build-relative path -> content hash. Returns path -> preview HTML fragment."""
    key = key if key is not None else cache_key()
    cache = build_dir / ".cache" / "previews"
    result: dict[str, Markup] = {}
    missing = []
    for rel, digest in documents.items():
        html = _cached(cache / f"{digest}.html", key, digest)
        if html is not None:
            result[rel] = Markup(html)
        else:
            missing.append((rel, digest))

    kept = key is not None and unlinked_below(build_dir, cache)  # a linked folder could be anywhere
    if missing:
        _name_pandoc()

    def convert(item: tuple[str, str]) -> tuple[str, str]:
        rel, digest = item
        html = _convert(build_dir / rel)
        if kept:
            data = html.encode("utf-8")
            atomic_write(cache / f"{digest}.html", sign(key, data, digest.encode("ascii", "replace")))
        return rel, html

    with ThreadPoolExecutor(max(1, jobs)) as pool:  # each conversion is its own pandoc process
        for rel, html in pool.map(convert, missing):
            result[rel] = Markup(html)
    keep = {f"{digest}.html" for digest in documents.values()}
    if kept and cache.is_dir():
        for stale in cache.iterdir():
            if stale.name not in keep and not stale.is_dir():  # a committed folder there is no preview
                stale.unlink(missing_ok=True)
    return result
