"""Rendering many documents: templates prepared once, then rendered here or in forked workers."""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping
from typing import Callable, Iterator

from ..engine.plan import LETTER_TEMPLATES, Output, templates_of
from ..engine.templatecache import PatchedSources
from ..model.layout import BUILD_DIR, reason, template_label, template_path
from ..model.repository import Repository
from .contexts import context_for
from .docx import PreparedTemplate, TemplateProblem
from .pages import letter_pages
from .filters import make_environment


class Templates:
    """Prepared templates by content. A one-shot build makes one; `serve` keeps one between
    rebuilds, so an unchanged template is not prepared again."""

    def __init__(self) -> None:
        self.env = make_environment()
        self.prepared: dict[str, tuple[str, PreparedTemplate]] = {}  # name → (content hash, template)
        self.kept: dict[Path, PatchedSources] = {}  # patched sources in build/.cache, by repository

    def get(self, root: Path, names) -> dict[str, PreparedTemplate]:
        result = {}
        for name in sorted(names):
            try:
                path = template_path(root, name)
                content = path.read_bytes()
            except OSError as exc:
                raise TemplateProblem(f"无法读取模板文件 {template_label(root, name)}（{reason(exc)}）") from exc
            digest = hashlib.sha256(content).hexdigest()
            known = self.prepared.get(name)
            if known is None or known[0] != digest:
                known = self.prepared[name] = (digest, self._prepare(root, name, path, content, digest))
            result[name] = known[1]
        return result

    def _prepare(self, root: Path, name: str, path: Path, content: bytes, digest: str) -> PreparedTemplate:
        kept = self.kept.get(root)
        if kept is None:
            kept = self.kept[root] = PatchedSources(root / BUILD_DIR)
        sources = kept.get(name, digest)
        template = PreparedTemplate(path, self.env, content, sources)
        if sources != template.patched:
            kept.put(name, digest, template.patched)
        return template

    def lazily(self, root: Path) -> Mapping[str, PreparedTemplate]:
        """The templates by name, each prepared when first looked up (most builds need none)."""
        return _Lazily(self, root)


class _Lazily(Mapping):
    def __init__(self, templates: Templates, root: Path):
        self.templates, self.root = templates, root
        self.names: set[str] = set()  # the ones looked up: the hash check only once per build

    def __getitem__(self, name: str) -> PreparedTemplate:
        if name in self.names:
            return self.templates.prepared[name][1]
        found = self.templates.get(self.root, [name])[name]
        self.names.add(name)
        return found

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


_worker_repo: Repository | None = None
_worker_cases: dict = {}
_worker_templates: dict[str, PreparedTemplate] = {}
_worker_pages: dict[str, int] = {}


@dataclass(frozen=True)
class Result:
    path: str
    data: bytes
    content_key: str | None  # what the document shows, when its context can name it (archive index)
    pages: int | None  # a letter's printed pages (render/pages.py), for the archive index's 页数


def _render_batch(outputs: list[Output]) -> list[Result]:
    repo = _worker_repo
    assert repo is not None
    results = []
    for output in outputs:
        template = _worker_templates[output.template]
        rendered = context_for(repo, output, _worker_cases, _worker_templates, _worker_pages)
        parts = template.render_parts(rendered.context)
        data = template.package(parts, title=rendered.title, date=rendered.date)
        pages = letter_pages(template.flow(parts)) if output.template in LETTER_TEMPLATES else None
        results.append(Result(output.path, data, rendered.content_key, pages))
    return results


def render_all(repo: Repository, outputs: list[Output], jobs: int, templates: Templates,
               progress: Callable[[int], None], pages: dict[str, int] | None = None) -> Iterator[Result]:
    """Render each output; with jobs > 1, forked workers share the loaded repo.

    pages: the letters' page counts already known, by engine.plan.letter_key (the archive index's 页数)."""
    global _worker_repo, _worker_cases, _worker_pages
    _worker_repo = repo
    _worker_cases = {item.rel: item for item in repo.all_cases()}
    _worker_pages = pages or {}
    _worker_templates.clear()
    # only the templates this build needs, prepared before forking: workers inherit them (the
    # archive index renders the letters too, to count their pages: templates_of names them)
    _worker_templates.update(templates.get(repo.root, {name for o in outputs for name in templates_of(o)}))
    if jobs <= 1 or len(outputs) < 8 or "fork" not in multiprocessing.get_all_start_methods():
        for output in outputs:
            yield from _render_batch([output])
            progress(1)
        return
    size = max(4, min(64, len(outputs) // (jobs * 4) or 1))
    batches = [outputs[i:i + size] for i in range(0, len(outputs), size)]
    # A few batches in flight, taken back in order: pool.map would send them all at once, and the
    # documents rendered behind a slow one (an archive index of thousands of rows) would pile up
    # here unwritten — hundreds of megabytes at 20,000 cases.
    in_flight: deque = deque()
    # Ctrl+C held back while the workers are forked: one arriving before a worker ignores it would
    # print that worker's traceback; held, it reaches this process the moment the pool stands
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_leave_interrupts_to_the_parent)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        for batch in batches:
            in_flight.append(pool.apply_async(_render_batch, (batch,)))
            if len(in_flight) >= jobs * 8:
                results = in_flight.popleft().get()
                yield from results
                progress(len(results))
        while in_flight:
            results = in_flight.popleft().get()
            yield from results
            progress(len(results))
        pool.close()
    except BaseException:  # Ctrl+C, a document that failed, or the caller stopped reading
        pool.terminate()  # the batches queued are not rendered: the build stops now
        raise
    finally:
        pool.join()


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl+C reaches every process of the terminal's group: a worker ignores it (no traceback of
    its own, no half-finished batch handed back) and is stopped by the build it works for."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while forking (see render_all)
