"""The build engine: plan → fingerprints → render what changed → atomic writes → manifest.

Like a static-site generator: every output records the content hashes of its inputs in
``build/.manifest.json``; a rebuild renders only outputs whose fingerprint changed, removes
outputs whose case disappeared, and leaves everything else untouched. Files are written to a
temporary name in their folder and renamed, the manifest last, under a lock, so a build killed at
any moment leaves only whole files and the next build repairs the rest.
"""

from __future__ import annotations

import hashlib
import json
import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import __version__, warm
from .files import atomic_write, exclusive_lock
from .layout import BUILD_DIR, PROJECT_FILE, YEAR_FILE
from .plan import CASE_TEMPLATES, Output, inputs_of, plan
from .render.contexts import archive_content_key, context_for
from .render.docx import PreparedTemplate, TemplateProblem
from .render.filters import make_environment
from .repository import Repository
from .stamp import MANIFEST, STAMP, Snapshot, forget, write_stamp

LOCK = ".lock"
MANIFEST_VERSION = 1


class BuildLocked(Exception):
    pass


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    site_pages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        site = f",网页更新 {len(self.site_pages):,} 页" if self.site_pages else ""
        return (f"生成 {len(self.written):,} 个文件,未变 {self.unchanged:,} 个,删除 {len(self.removed):,} 个{site},"
                f"用时 {self.seconds:.1f} 秒")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Hasher:
    """Content hashes of input files: those the repository already read, then templates, once each."""

    def __init__(self, repo: Repository):
        self.root = repo.root
        self.cache: dict[str, str] = dict(repo.digests)
        self.lines: dict[str, str] = {}

    def __call__(self, rel: str) -> str:
        if rel not in self.cache:
            self.cache[rel] = _sha((self.root / rel).read_bytes())
        return self.cache[rel]

    def line(self, rel: str) -> str:
        """"rel=hash", as fingerprints list their inputs (made once per file: there are thousands)."""
        if rel not in self.lines:
            self.lines[rel] = f"{rel}={self(rel)}"
        return self.lines[rel]


FINGERPRINT_HEADER = f"proposal-docs {__version__}\nmanifest {MANIFEST_VERSION}"


def fingerprint(output: Output, repo: Repository, hasher: Hasher, input_lines: list[str] | None = None) -> str:
    """The content hash of everything the output is made from: same fingerprint, same bytes.

    input_lines: hasher.line of each of inputs_of(output), when the caller has them already.
    """
    lines = [FINGERPRINT_HEADER, repr(output), hasher.line(f"templates/{output.template}.docx")]
    lines += input_lines if input_lines is not None else map(hasher.line, inputs_of(output, repo))
    return _sha("\n".join(lines).encode("utf-8"))


def fingerprints(outputs: list[Output], repo: Repository, hasher: Hasher) -> dict[str, str]:
    """Every output's fingerprint. A case's documents are made from its file, the year and project
    files and the case templates, so the build server keeps their fingerprints until one of those
    changes: a one-case edit then computes a handful, not thousands."""
    by_case: dict[str | None, list[Output]] = {}
    for output in outputs:
        by_case.setdefault(output.case_file, []).append(output)
    templates = tuple(hasher.line(f"templates/{name}.docx") for name in CASE_TEMPLATES)
    prints = {}
    for case_file, group in by_case.items():
        if case_file is None:  # year aggregates: their inputs are all the year's cases of their body
            members: dict[tuple, list[str]] = {}
            for o in group:  # an archive index and a summary share their thousand input lines
                if (o.year, o.body) not in members:
                    members[o.year, o.body] = [hasher.line(rel) for rel in inputs_of(o, repo)]
                prints[o.path] = fingerprint(o, repo, hasher, members[o.year, o.body])
            continue
        year = f"cases/{group[0].year}/{YEAR_FILE}"
        key = ("fingerprints", hasher.line(case_file), hasher.line(year), hasher.line(PROJECT_FILE), templates)
        prints.update(warm.memo(key, lambda: {o.path: fingerprint(o, repo, hasher) for o in group}, owner=case_file))
    return prints


def read_manifest(build_dir: Path) -> dict[str, dict]:
    """What the last build left: path → fingerprint, hash, size, mtime (and content key)."""
    path = build_dir / MANIFEST
    try:
        stat = path.stat()
    except OSError:
        return {}
    # the build server remembers the manifest it wrote (a build replaces entries, never changes one)
    outputs = warm.memo(("manifest", str(path), stat.st_size, stat.st_mtime_ns), lambda: _parse_manifest(path),
                        owner=str(path))
    return dict(outputs)


def _parse_manifest(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == MANIFEST_VERSION:
            return data["outputs"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return {}


def write_manifest(build_dir: Path, outputs: dict[str, dict]) -> None:
    data = {"version": MANIFEST_VERSION, "package": __version__, "outputs": dict(sorted(outputs.items()))}
    # no indent: json's C encoder then writes it in a few milliseconds (`python -m json.tool` to read)
    atomic_write(build_dir / MANIFEST, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    if warm.enabled:
        stat = (build_dir / MANIFEST).stat()
        warm.memo(("manifest", str(build_dir / MANIFEST), stat.st_size, stat.st_mtime_ns),
                  lambda: data["outputs"], owner=str(build_dir / MANIFEST))


def stamp_complete_build(build_dir: Path, manifest: dict[str, dict], inputs: Snapshot, timezone: str,
                         site_today: dt.date | None) -> None:
    """Let the next build answer from stamp.py if nothing moves.

    Outputs are stamped as this build saw them just after writing or checking them: one touched
    since no longer matches, so the next build looks properly.
    """
    recorded = {rel: (entry["size"], entry["mtime_ns"]) for rel, entry in manifest.items()}
    write_stamp(build_dir, inputs, recorded, timezone, site_today.isoformat() if site_today else None)


# --- rendering, in this process or in workers ----------------------------------------------------

_worker_repo: Repository | None = None
_worker_cases: dict = {}
_worker_templates: dict[str, PreparedTemplate] = {}


def prepare_templates(root: Path, names) -> dict[str, PreparedTemplate]:
    """Each template patched and compiled once (in the build server: once per template content)."""
    env = warm.memo(("environment",), make_environment)
    cache = root / BUILD_DIR / ".cache" / "templates"
    prepared = {}
    for name in sorted(names):
        path = root / "templates" / f"{name}.docx"
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise TemplateProblem(f"模板 templates/{name}.docx 无法读取:{exc.strerror}") from exc
        prepared[name] = warm.memo(("template", str(path), _sha(content)),
                                   lambda: PreparedTemplate(path, env, cache, content), owner=str(path))
    return prepared


def _render_batch(outputs: list[Output]) -> list[tuple[str, bytes, str | None]]:
    repo = _worker_repo
    assert repo is not None
    results = []
    for output in outputs:
        rendered = context_for(repo, output, _worker_cases)
        data = _worker_templates[output.template].render(rendered.context, title=rendered.title, date=rendered.date)
        results.append((output.path, data, rendered.content_key))
    return results


def render_all(repo: Repository, outputs: list[Output], jobs: int,
               progress: Callable[[int], None]) -> Iterator[tuple[str, bytes, str | None]]:
    """Yield (path, bytes, content key) for each output; with jobs > 1, forked workers share the loaded repo."""
    global _worker_repo, _worker_cases
    _worker_repo = repo
    _worker_cases = {item.rel: item for item in repo.all_cases()}
    _worker_templates.clear()
    # only the templates this build needs, prepared before forking: workers inherit them
    _worker_templates.update(prepare_templates(repo.root, {o.template for o in outputs}))
    if jobs <= 1 or len(outputs) < 8 or "fork" not in multiprocessing.get_all_start_methods():
        for output in outputs:
            yield from _render_batch([output])
            progress(1)
        return
    size = max(4, min(64, len(outputs) // (jobs * 4) or 1))
    batches = [outputs[i:i + size] for i in range(0, len(outputs), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for results in pool.map(_render_batch, batches):
            yield from results
            progress(len(results))


def build(repo: Repository, *, jobs: int = 1, force: bool = False, inputs: Snapshot | None = None,
          site_today: dt.date | None = None,
          progress: Callable[[int, int], None] | None = None,
          on_wait: Callable[[], None] | None = None) -> BuildReport:
    """Render every output whose inputs changed into build/; the repository must be valid.

    inputs is the snapshot of the input files taken before the repository was loaded; it is
    stamped only when the build completes, so the next no-op build can stop early. With
    site_today, build/site/ is brought up to date too, statuses computed for that day.
    """
    started = time.perf_counter()
    build_dir = repo.root / BUILD_DIR
    report = BuildReport()
    with exclusive_lock(build_dir / LOCK, on_wait):
        if not (build_dir / STAMP).exists():  # the last build did not complete: it may have left these
            for stale in build_dir.rglob(".tmp-*"):
                stale.unlink(missing_ok=True)
        forget(build_dir)  # until this build completes, the next one takes the full path
        old = read_manifest(build_dir)  # even with --force: it says which outputs to remove
        repo.save_parse_cache()
        hasher = Hasher(repo)
        wanted = plan(repo)
        for template in sorted({o.template for o in wanted}):
            if not (repo.root / "templates" / f"{template}.docx").is_file():
                raise TemplateProblem(f"缺少模板文件 templates/{template}.docx")
        prints = fingerprints(wanted, repo, hasher)
        prefix = f"{build_dir}{os.sep}"
        todo = [o for o in wanted if force or old.get(o.path, {}).get("fingerprint") != prints[o.path]
                or not _intact(prefix + o.path, old, o.path)]
        if not force:
            todo = _cut_off_unchanged_content(repo, todo, old, prints, build_dir, hasher)
        report.unchanged = len(wanted) - len(todo)
        pending = {o.path: o for o in todo}
        manifest = {o.path: old[o.path] for o in wanted if o.path not in pending}
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, len(todo))

        try:
            for path, data, content_key in render_all(repo, todo, jobs, advance):
                atomic_write(build_dir / path, data)
                manifest[path] = _record(build_dir / path, prints[path], data)
                if content_key:
                    manifest[path]["content"] = content_print(pending[path], content_key, hasher)
                report.written.append(path)
            if site_today is not None:
                from .website import build_site  # pandoc and the site templates only when asked

                hashes = {path: entry["hash"] for path, entry in manifest.items()}
                report.site_pages = build_site(repo, build_dir, wanted, hashes, site_today, jobs)
        finally:
            # even a failed build records what it finished, so the next one does not redo it
            for path in set(old) - set(prints):
                (build_dir / path).unlink(missing_ok=True)
                report.removed.append(path)
                _prune_empty(build_dir / path, build_dir)
            write_manifest(build_dir, manifest)
        if inputs is not None:
            stamp_complete_build(build_dir, manifest, inputs, repo.project.timezone, site_today)
    report.seconds = time.perf_counter() - started
    return report


def content_print(output: Output, content_key: str, hasher: Hasher) -> str:
    """What the document is made of when its context can name itself: the context, the template, us."""
    template = f"templates/{output.template}.docx"
    return _sha(f"proposal-docs {__version__}\n{template}={hasher(template)}\n{content_key}".encode("utf-8"))


def _cut_off_unchanged_content(repo: Repository, todo: list[Output], old: dict[str, dict], prints: dict[str, str],
                               build_dir: Path, hasher: Hasher) -> list[Output]:
    """Drop the outputs whose inputs changed but whose content did not ("early cutoff").

    An archive index lists every case of its year, so any edit changes its inputs; but a reply's
    wording rarely changes its rows, and rendering a thousand rows is the largest part of a small
    rebuild. So archive indexes are compared by what they show (archive_content_key).
    """
    kept = []
    for output in todo:
        entry = old.get(output.path, {})
        if output.template == "archive_index" and entry.get("content"):
            key = content_print(output, archive_content_key(repo, output), hasher)
            if key == entry["content"] and _intact(os.path.join(build_dir, output.path), old, output.path):
                old[output.path] = {**old[output.path], "fingerprint": prints[output.path]}
                continue
        kept.append(output)
    return kept


def _record(path: Path, print_: str, data: bytes) -> dict:
    stat = path.stat()
    return {"fingerprint": print_, "hash": _sha(data), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _intact(path: str, manifest: dict[str, dict], rel: str) -> bool:
    """Is the file on disk the one the manifest recorded? Size and mtime first, the hash if they differ
    (then the manifest's entry is replaced with the new size and time: entries are never changed,
    the build server keeps them)."""
    entry = manifest[rel]
    try:
        stat = os.stat(path)
    except OSError:
        return False
    if stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns"):
        return True
    with open(path, "rb") as file:
        if _sha(file.read()) != entry.get("hash"):
            return False
    manifest[rel] = {**entry, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return True


def _prune_empty(path: Path, stop: Path) -> None:
    folder = path.parent
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
