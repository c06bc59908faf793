"""`proposal-docs build`: plan → fingerprints → render what changed → atomic writes → manifest.

Like a static-site generator: every output records the content hashes of its inputs in
``build/.manifest.json``; a rebuild renders only outputs whose fingerprint changed, removes
outputs whose case disappeared, and leaves everything else untouched. Files are written to a
temporary name in their folder and renamed, the manifest last, under a lock, so a build killed at
any moment leaves only whole files and the next build repairs the rest.

A build without the site does not even read a year none of whose files changed since the last
complete build (engine.stamp.unchanged_years): an edit costs what its own year costs, however many
years the archive holds.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from contextlib import closing
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..engine.fingerprints import Hasher, content_print, fingerprints
from ..engine.manifest import intact, read_manifest, record, remove_output, stat_of, write_manifest
from ..engine.parsecache import ParseCache
from ..engine.plan import Output, counted_letters, letter_key, name_clashes, plan, session_labels, templates_of
from ..engine.stamp import STAMP, Snapshot, forget, write_stamp
from ..files import atomic_write, exclusive_lock
from ..model.layout import BUILD_DIR, LOCK_FILE, reason, refuse_links_in_build, template_label, template_path
from ..model.repository import Repository
from ..render.batch import Templates, render_all
from ..render.contexts import LetterPages, content_key
from ..render.docx import TemplateProblem
from ..rules.checking import load_repository
from ..rules.consistency import doc_numbers

LOCK = LOCK_FILE


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    site_pages: list[str] = field(default_factory=list)
    calendar: bool = False  # build/deadlines.ics changed (commands.extras)
    seconds: float = 0.0

    def line(self) -> str:
        site = f"，网页更新 {len(self.site_pages):,} 页" if self.site_pages else ""
        site += "，期限日历已更新" if self.calendar else ""
        return (f"生成 {len(self.written):,} 个文件，未变 {self.unchanged:,} 个，删除 {len(self.removed):,} 个{site}，"
                f"用时 {self.seconds:.1f} 秒")


@dataclass
class Warm:
    """What a long-lived process (`serve`) keeps between builds; a one-shot build makes a new one."""

    templates: Templates = field(default_factory=Templates)
    parsed: ParseCache | None = None
    planned: tuple[Repository, list[Output]] | None = None  # the plan load_for_build made, and of what


def load_for_build(root: Path, warm: Warm, unread: dict[int, list[tuple[str, str]]] | None = None) -> Repository:
    """The repository, unchanged files taken from the parse cache in build/.cache/.

    unread: years not to read at all, because nothing in them changed since the last complete
    build (engine.stamp.unchanged_years); their documents are kept as they are.
    """
    if warm.parsed is None:
        warm.parsed = ParseCache(root / BUILD_DIR / ".cache" / "parsed")
    repo = load_repository(root, warm.parsed, unread)
    if not repo.errors:  # two documents to one file name: refused like an invalid case
        warm.planned = (repo, plan(repo))
        repo.findings += name_clashes(repo, warm.planned[1])
    return repo


def build(repo: Repository, *, jobs: int = 1, force: bool = False, inputs: Snapshot | None = None,
          site_today: dt.date | None = None, warm: Warm | None = None,
          progress: Callable[[int, int], None] | None = None,
          on_wait: Callable[[], None] | None = None) -> BuildReport:
    """Render every output whose inputs changed into build/; the repository must be valid.

    inputs is the snapshot of the input files taken before the repository was loaded; it is
    stamped only when the build completes, so the next no-op build can stop early. With
    site_today, build/site/ is brought up to date too, statuses computed for that day.
    """
    started = time.perf_counter()
    assert site_today is None or not repo.unread, "the site lists every case: no year may be left unread"
    warm = warm or Warm()
    build_dir = repo.root / BUILD_DIR
    refuse_links_in_build(build_dir)
    report = BuildReport()
    with exclusive_lock(build_dir / LOCK, on_wait):
        if not (build_dir / STAMP).exists():  # the last build did not complete: it may have left these
            for stale in list(build_dir.rglob(".tmp-*")):  # listed first: a folder goes with what is in it
                if stale.is_dir():  # what a killed `build --pdf` leaves (render.pdf), or a pull request commits
                    shutil.rmtree(stale)
                else:
                    stale.unlink(missing_ok=True)
        forget(build_dir)  # until this build completes, the next one takes the full path
        old = read_manifest(build_dir)  # even with --force: it says which outputs to remove
        if warm.parsed is not None:
            warm.parsed.save()
        hasher = Hasher(repo)
        wanted = warm.planned[1] if warm.planned and warm.planned[0] is repo else plan(repo)
        for template in sorted({name for o in wanted for name in templates_of(o)}):
            try:
                template_path(repo.root, template).stat()
            except (FileNotFoundError, NotADirectoryError):
                raise TemplateProblem(f"缺少模板文件 {template_label(repo.root, template)}") from None
            except OSError as exc:  # e.g. a templates/ folder nobody may open
                raise TemplateProblem(f"无法读取模板文件 {template_label(repo.root, template)}（{reason(exc)}）") from None
        prints = fingerprints(wanted, repo, hasher)
        prefix = f"{build_dir}{os.sep}"
        todo = [o for o in wanted if force or old.get(o.path, {}).get("fingerprint") != prints[o.path]
                or not intact(prefix + o.path, old, o.path)]
        todo_paths = {o.path for o in todo}
        manifest = {o.path: old[o.path] for o in wanted if o.path not in todo_paths}
        unread = {str(year) for year in repo.unread}
        kept = {path for path in old if path.split("/", 1)[0] in unread}  # the documents of the years left unread
        manifest.update((path, old[path]) for path in kept)
        # Two rounds: every document but the archive indexes first, then the indexes — their 页数
        # column is the letters' printed pages, counted as the letters are rendered. The summaries,
        # the largest documents of the first round, go first so that no worker ends on one alone.
        indexes = [o for o in todo if o.template == "archive_index"]
        first = sorted((o for o in todo if o.template != "archive_index"), key=lambda o: o.case_file is not None)
        if not force:
            first = _cut_off_unchanged_content(repo, first, old, manifest, prints, build_dir, hasher, None)
        done, total = 0, len(todo)

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        def write(outputs: list[Output], pages: dict[str, int] | None = None) -> None:
            pending = {o.path: o for o in outputs}
            # closing: on an interruption the workers stop at once, not when the generator is collected
            with closing(render_all(repo, outputs, jobs, warm.templates, advance, pages)) as results:
                for result in results:
                    atomic_write(build_dir / result.path, result.data)
                    manifest[result.path] = record(build_dir / result.path, prints[result.path], result.data)
                    if result.content_key:
                        manifest[result.path]["content"] = content_print(pending[result.path], result.content_key,
                                                                         hasher)
                    if result.pages is not None:
                        manifest[result.path]["pages"] = result.pages
                    report.written.append(result.path)

        try:
            total = len(first) + len(indexes)
            write(first)
            pages = letter_pages_known(repo, manifest)
            if not force:
                letters = LetterPages(warm.templates.lazily(repo.root), pages)
                indexes = _cut_off_unchanged_content(repo, indexes, old, manifest, prints, build_dir, hasher, letters)
                total = len(first) + len(indexes)
                if letters.counted:  # a build/ from before pages were recorded
                    pages.update(letters.counted)
                    _record_pages(repo, manifest, letters.counted)
            write(indexes, pages)
            report.unchanged = len(manifest) - len(report.written)
            if site_today is not None:
                from ..site import build_site  # pandoc and the site templates only when asked
                from .extras import write_extras  # icalendar too

                hashes = {path: entry["hash"] for path, entry in manifest.items()}
                report.site_pages = build_site(repo, build_dir, wanted, hashes, site_today, jobs)
                report.calendar, public = write_extras(repo, build_dir)  # deadlines.ics and public/, with the site
                report.site_pages += public
        finally:
            # even a failed build records what it finished, so the next one does not redo it
            for path in sorted(set(old) - set(prints) - kept):
                if remove_output(build_dir, path):
                    report.removed.append(path)
            write_manifest(build_dir, manifest)
        if inputs is not None:
            recorded = {rel: stat_of(entry) for rel, entry in manifest.items()}
            numbers = {**repo.unread, **{number: doc_numbers(year) for number, year in repo.years.items()}}
            write_stamp(build_dir, inputs, recorded, repo.project.timezone,
                        site_today.isoformat() if site_today else None, numbers)
    report.seconds = time.perf_counter() - started
    return report


def letter_pages_known(repo: Repository, manifest: dict[str, dict]) -> dict[str, int]:
    """Each case's letters' pages as recorded when they were rendered (this build or an earlier one
    with the same fingerprint), by engine.plan.letter_key."""
    known = {}
    for year in repo.years.values():
        labels = session_labels(year)
        for item in year.cases:
            for letter in counted_letters(item, year.year, repo.project.reply_to, labels.get(item.case.session)):
                pages = manifest.get(letter.path, {}).get("pages")
                if isinstance(pages, int) and pages > 0:
                    known[letter_key(letter)] = pages
    return known


def _record_pages(repo: Repository, manifest: dict[str, dict], counted: dict[str, int]) -> None:
    """Keep pages counted outside a letter's rendering with the letter's manifest entry."""
    for year in repo.years.values():
        labels = session_labels(year)
        for item in year.cases:
            for letter in counted_letters(item, year.year, repo.project.reply_to, labels.get(item.case.session)):
                key = letter_key(letter)
                if key in counted and letter.path in manifest and "pages" not in manifest[letter.path]:
                    manifest[letter.path] = {**manifest[letter.path], "pages": counted[key]}


def _cut_off_unchanged_content(repo: Repository, todo: list[Output], old: dict[str, dict], manifest: dict[str, dict],
                               prints: dict[str, str], build_dir: Path, hasher: Hasher,
                               letters: LetterPages | None) -> list[Output]:
    """Drop the outputs whose inputs changed but whose content did not ("early cutoff").

    An archive index and a work summary draw on every case of their year, so any edit changes their
    inputs; but a reply's wording rarely changes their rows and figures, and rendering them is the
    largest part of a small rebuild. So they are compared by what they show
    (render.contexts.content_key), the index's 页数 counted on the letters rendered from their
    templates (letters: needed for archive indexes only).
    """
    kept = []
    for output in todo:
        entry = old.get(output.path, {})
        if entry.get("content") and (shown := content_key(repo, output, letters)) is not None:
            key = content_print(output, shown, hasher)
            if key == entry["content"] and intact(os.path.join(build_dir, output.path), old, output.path):
                manifest[output.path] = {**old[output.path], "fingerprint": prints[output.path]}
                continue
        kept.append(output)
    return kept
