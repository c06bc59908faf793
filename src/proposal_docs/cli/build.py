"""`build` on the command line: the up-to-date answer first, then the engine, the progress bar, PDFs.

Its first lines are what every no-op build runs: a listing compared with build/.stamp, with
nothing imported beyond os and json. Everything heavy is imported after that answer.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from ..model.layout import BUILD_DIR, SetupError
from .options import Options, resolve_today

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path


def run_build_command(opts: Options, *, jobs: int | None, force: bool, site: bool, today: dt.date | None,
                      pdf: bool = False, warm=None) -> None:
    """`build` as the command line runs it; `serve` calls it again for every change, with its warm caches."""
    from ..engine.stamp import UP_TO_DATE, snapshot_inputs, unchanged_years, up_to_date

    folder = opts.root_folder()  # a string: the answer "nothing changed" needs no pathlib
    if pdf:
        from ..render.pdf import INSTALL_HINT, find_office

        if find_office() is None:
            raise SetupError(INSTALL_HINT)
    inputs = snapshot_inputs(folder)  # taken before reading: an edit during the build is seen next time
    unchanged = None if force or pdf else up_to_date(folder, inputs, site, today)
    if unchanged is not None:  # nothing moved since the last complete build: no YAML is even parsed
        opts.say(UP_TO_DATE.format(count=unchanged))
        return
    root = opts.repository_root()

    from ..commands.build import Warm, build as run_build, load_for_build
    from ..render.docx import TemplateProblem

    warm = warm or Warm()
    # without the site (which lists every case), a year none of whose files changed is not even read
    unread = unchanged_years(root, inputs) if not (force or site) else None
    repo = load_for_build(root, warm, unread)
    site_today = resolve_today(repo.project, today) if site else None
    if repo.errors:
        from .output import print_findings  # rich's tables only when there is something to show

        print_findings(opts.console, repo.errors, "text")
        click.echo(f"有 {len(repo.errors)} 个错误，未生成任何文件。请先修正（proposal-docs check）。", err=True)
        sys.exit(1)
    waiting = lambda: click.echo("另一个构建正在进行，等待其完成……", err=True)  # noqa: E731
    options = dict(jobs=jobs or os.cpu_count() or 1, force=force, inputs=inputs, on_wait=waiting, site_today=site_today,
                   warm=warm)
    try:
        if opts.verbosity >= 0 and sys.stdout.isatty() and opts.console.is_terminal:  # rich only on a terminal
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("生成文书"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          console=opts.console, transient=True) as bar:
                task = bar.add_task("build", total=None)
                report = run_build(repo, progress=lambda done, total: bar.update(task, completed=done, total=total),
                                   **options)
        else:
            report = run_build(repo, **options)
    except TemplateProblem as exc:
        raise SetupError(str(exc)) from exc
    except OSError as exc:  # a full disk, a read-only folder, a file where a folder must be
        where = exc.filename or BUILD_DIR
        raise SetupError(f"无法写入 {where}：{exc.strerror or exc}。已生成的文件均完好，请检查 build/ 目录的权限和磁盘空间；"
                         "其中的文件都能重新生成，也可以删除整个 build/ 目录后再构建") from exc
    if opts.verbosity > 0:
        for path in report.written:
            click.echo(f"生成 build/{path}")
        for path in report.removed:
            click.echo(f"删除 build/{path}")
    opts.say(report.line())
    if pdf:
        _make_pdfs(opts, root, options["jobs"])


def _make_pdfs(opts: Options, root: Path, jobs: int) -> None:
    from ..engine.manifest import read_manifest
    from ..render.pdf import PdfProblem, convert_to_pdf

    documents = {path: entry["hash"] for path, entry in read_manifest(root / BUILD_DIR).items()}
    try:
        converted = convert_to_pdf(root / BUILD_DIR, documents, jobs)
    except PdfProblem as exc:
        raise SetupError(str(exc)) from exc
    opts.say(f"PDF：转换 {len(converted):,} 个，未变 {len(documents) - len(converted):,} 个（build/pdf/）")
