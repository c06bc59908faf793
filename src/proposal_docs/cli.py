"""The `proposal-docs` command line: parse options, call one library function, print, exit.

Exit codes (DESIGN.md): 0 ok, 1 invalid input or a deadline missed, 2 usage or setup error.
No input produces a traceback unless --debug is given.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .commands.check import check as run_check
from .commands.status import describe, status as run_status
from .deadlines import today as bureau_today
from .findings import Finding, summary_line, to_github, to_json
from .repository import SetupError, find_root, load_project, load_repository
from .stamp import is_up_to_date, snapshot_inputs

CONTEXT = {"help_option_names": ["-h", "--help"]}


class Options:
    def __init__(self, root: Path | None, debug: bool, verbosity: int):
        self.root = root
        self.debug = debug
        self.verbosity = verbosity
        self.console = Console(highlight=False, soft_wrap=True)
        self.errors = Console(stderr=True, highlight=False, soft_wrap=True)

    def repository_root(self) -> Path:
        if self.root is not None:
            root = self.root.resolve()
            if not (root / "proposal-docs.yaml").is_file():
                raise SetupError(f"{root} 中没有 proposal-docs.yaml")
            return root
        return find_root(Path.cwd())

    def say(self, text: str) -> None:
        if self.verbosity >= 0:
            self.console.print(text, markup=False)


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"日期应写作 YYYY-MM-DD,实际为“{value}”", param, ctx)


def print_findings(opts: Options, findings: list[Finding], fmt: str) -> None:
    if fmt == "json":
        click.echo(to_json(findings))
        return
    if fmt == "github":
        if findings:
            click.echo(to_github(findings))
        return
    if opts.console.is_terminal and findings:
        table = Table(show_lines=False)
        for header in ("位置", "字段", "级别", "说明"):
            table.add_column(header)
        for f in findings:
            table.add_row(f.location(), f.field, "[red]错误[/]" if f.is_error else "[yellow]警告[/]", f.message)
        opts.console.print(table)
    else:
        for f in findings:
            click.echo(f.as_text())


def guarded(func):
    """Turn every failure into a Chinese message and an exit code; tracebacks only with --debug."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        opts: Options = click.get_current_context().find_object(Options)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except SetupError as exc:
            for f in exc.findings:
                click.echo(f.as_text(), err=True)
            click.echo(f"错误:{exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last resort the contract asks for
            if opts and opts.debug:
                raise
            click.echo(f"内部错误:{type(exc).__name__}: {exc}\n请加 --debug 重新运行以查看详细信息,并报告给维护者。",
                       err=True)
            sys.exit(2)

    return wrapper


def resolve_today(root: Path, given: dt.date | None) -> dt.date:
    project, _ = load_project(root)
    try:
        return bureau_today(project.timezone, given)
    except ValueError as exc:
        raise SetupError(str(exc)) from exc


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="proposal-docs %(version)s")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), help="文档仓库目录(默认:向上查找 proposal-docs.yaml)")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈")
@click.option("-v", "--verbose", count=True, help="输出更多信息")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题")
@click.pass_context
def main(ctx: click.Context, root: Path | None, debug: bool, verbose: int, quiet: bool) -> None:
    """政协委员提案、人大代表建议办理文档工具。"""
    ctx.obj = Options(root, debug, -1 if quiet else verbose)


TODAY_HELP = "按哪一天检查期限(默认:环境变量 PROPOSAL_DOCS_TODAY,否则本单位时区的今天)"


@main.command()
@click.option("--today", type=DateType(), help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="输出格式")
@click.pass_obj
@guarded
def check(opts: Options, today: dt.date | None, fmt: str) -> None:
    """校验全部案件文件并检查办理期限。"""
    root = opts.repository_root()
    result = run_check(root, resolve_today(root, today))
    print_findings(opts, result.findings, fmt)
    if fmt == "text" and opts.verbosity >= 0:
        click.echo(summary_line(result.findings, result.repo.files_read))
    sys.exit(1 if result.failed else 0)


@main.command()
@click.option("--today", type=DateType(), help=TODAY_HELP)
@click.pass_obj
@guarded
def status(opts: Options, today: dt.date | None) -> None:
    """列出未办结案件的期限和剩余天数,以及未编文号的答复。"""
    root = opts.repository_root()
    on = resolve_today(root, today)
    repo = load_repository(root)
    report = run_status(repo, on)
    table = Table(title=f"未办结案件({on.isoformat()})")
    for header in ("期限", "剩余天数", "状态", "案件", "案由", "文件"):
        table.add_column(header)
    for row in report.open_rows:
        days = f"{row.days_left}" if row.days_left >= 0 else f"超期 {-row.days_left}"
        table.add_row(row.due.isoformat(), days, row.state_label, describe(row.item), row.item.case.title, row.item.rel)
    opts.console.print(table)
    if report.unnumbered:
        numbers = Table(title="已答复但未编文号")
        for header in ("答复日期", "案件", "文件"):
            numbers.add_column(header)
        for item in report.unnumbered:
            numbers.add_row(item.case.reply.date.isoformat(), describe(item), item.rel)
        opts.console.print(numbers)
    opts.console.print("  ".join(f"{k} {v}" for k, v in report.totals.items()), markup=False)
    if repo.errors:
        click.echo(f"注意:有 {len(repo.errors)} 个错误的文件未列入,请运行 proposal-docs check。", err=True)


@main.command()
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="并行进程数(默认:CPU 核数)")
@click.option("--force", is_flag=True, help="全部重新生成,不论是否变化")
@click.pass_obj
@guarded
def build(opts: Options, jobs: int | None, force: bool) -> None:
    """生成全部文书到 build/ 目录(只重新生成有变化的)。"""
    from .building import build as run_build  # rendering libraries load only when building
    from .render.docx import TemplateProblem

    root = opts.repository_root()
    inputs = snapshot_inputs(root)  # before reading: an edit during the build is seen next time
    unchanged = None if force else is_up_to_date(root / "build", inputs)
    if unchanged is not None:
        opts.say(f"生成 0 个文件,未变 {unchanged:,} 个,删除 0 个(输入均未改动)")
        return
    repo = load_repository(root)
    if repo.errors:
        print_findings(opts, repo.errors, "text")
        click.echo(f"有 {len(repo.errors)} 个错误,未生成任何文件。请先修正(proposal-docs check)。", err=True)
        sys.exit(1)
    jobs = jobs or os.cpu_count() or 1
    try:
        report = _build_with_progress(opts, run_build, repo, jobs, force, inputs)
    except TemplateProblem as exc:
        raise SetupError(str(exc)) from exc
    if opts.verbosity > 0:
        for path in report.written:
            click.echo(f"生成 build/{path}")
        for path in report.removed:
            click.echo(f"删除 build/{path}")
    opts.say(report.line())


def _build_with_progress(opts: Options, run_build, repo, jobs: int, force: bool, inputs):
    waiting = lambda: click.echo("另一个构建正在进行,等待其完成……", err=True)  # noqa: E731
    if opts.console.is_terminal and opts.verbosity >= 0:
        with Progress(TextColumn("生成文书"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=opts.console, transient=True) as bar:
            task = bar.add_task("build", total=None)
            return run_build(repo, jobs=jobs, force=force, inputs=inputs, on_wait=waiting,
                             progress=lambda done, total: bar.update(task, completed=done, total=total))
    return run_build(repo, jobs=jobs, force=force, inputs=inputs, on_wait=waiting)
