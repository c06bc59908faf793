"""HTML previews of built documents, converted with pandoc and kept by the document's hash.

A pandoc conversion costs far more than rendering the document (ARCHITECTURE.md: ~36 ms per
document for the process alone), so each .docx is converted once per content: the manifest
already knows every output's hash, which keys the cache.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from markupsafe import Markup

from ..files import atomic_write


def _convert(docx: Path) -> str:
    import pypandoc

    # docx+styles keeps each paragraph's Word style as data-custom-style, so the page's CSS can
    # show 一级标题 in bold and the 发文机关标志 in red.
    return pypandoc.convert_file(str(docx), "html", format="docx+styles", verify_format=False)


def previews(build_dir: Path, documents: dict[str, str], jobs: int) -> dict[str, Markup]:
    """documents: build-relative path -> content hash. Returns path -> preview HTML fragment."""
    cache = build_dir / ".cache" / "previews"
    result: dict[str, Markup] = {}
    missing = []
    for rel, digest in documents.items():
        cached = cache / f"{digest}.html"
        if cached.is_file():
            result[rel] = Markup(cached.read_text(encoding="utf-8"))
        else:
            missing.append((rel, digest))

    def convert(item: tuple[str, str]) -> tuple[str, str]:
        rel, digest = item
        html = _convert(build_dir / rel)
        atomic_write(cache / f"{digest}.html", html.encode("utf-8"))
        return rel, html

    with ThreadPoolExecutor(max(1, jobs)) as pool:  # each conversion is its own pandoc process
        for rel, html in pool.map(convert, missing):
            result[rel] = Markup(html)
    keep = {f"{digest}.html" for digest in documents.values()}
    if cache.is_dir():
        for stale in cache.iterdir():
            if stale.name not in keep:
                stale.unlink(missing_ok=True)
    return result
