"""What every command shares: the group's options, dates, Chinese failures and help.

Imported on every run, the no-op `build` included, so nothing here imports more than click:
pathlib, datetime and YAML are imported where they are used.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import TYPE_CHECKING

import click

from ..model.layout import PROJECT_FILE, SetupError, find_root_folder

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from ..model.models import Project

CONTEXT = {"help_option_names": ["-h", "--help"]}
TODAY_HELP = "按哪一天检查期限（默认：环境变量 PROPOSAL_DOCS_TODAY，否则本单位时区的今天）"


class Options:
    """What the group's options say, shared by every command."""

    def __init__(self, root: str | os.PathLike | None, debug: bool, verbosity: int):
        self.root = os.fspath(root) if root is not None else None
        self.debug = debug
        self.verbosity = verbosity
        self._console = None

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, soft_wrap=True)
        return self._console

    def root_folder(self) -> str:
        """The repository's folder as a plain string (the no-op build needs nothing more)."""
        if self.root is None:
            return find_root_folder(os.getcwd())
        root = os.path.realpath(self.root)
        if not os.path.isfile(os.path.join(root, PROJECT_FILE)):
            raise SetupError(f"{root} 中没有 {PROJECT_FILE}")
        return root

    def repository_root(self) -> Path:
        from pathlib import Path

        return Path(self.root_folder())

    def say(self, text: str) -> None:
        if self.verbosity >= 0:
            click.echo(text)


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"日期应写作 YYYY-MM-DD，实际为“{value}”", param, ctx)


def guarded(func):
    """Turn every failure into a Chinese message and an exit code; tracebacks only with --debug."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        opts: Options | None = click.get_current_context().find_object(Options)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except SetupError as exc:
            exit_on_setup_error(opts, exc, "text")
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last resort the contract asks for
            if opts and opts.debug:
                raise
            click.echo(f"内部错误：{type(exc).__name__}: {exc}\n请加 --debug 重新运行以查看详细信息，并报告给维护者。",
                       err=True)
            sys.exit(2)

    return wrapper


def resolve_today(project: Project, given: dt.date | None) -> dt.date:
    """The day deadlines are counted on: the option, the variable, else today in the project's
    timezone, which the validated project file gives (read once, with every other setting)."""
    from ..rules.clock import today

    try:
        return today(project.timezone, given)
    except ValueError as exc:
        raise SetupError(str(exc)) from exc


def exit_on_setup_error(opts: Options, exc: SetupError, fmt: str) -> None:
    """An unusable repository, said as every command says it: its findings in the output format
    asked for (text, json, github), the reason, exit 2."""
    from .output import print_findings

    if fmt == "text":
        for finding in exc.findings:
            click.echo(finding.as_text(), err=True)
    else:
        print_findings(opts.console, exc.findings, fmt)
    click.echo(f"错误：{exc}", err=True)
    sys.exit(2)


class WholeRange(click.IntRange):
    """click.IntRange, named and described in Chinese in help ("整数", "不小于 1") and errors."""

    name = "整数"

    def _describe_range(self) -> str:
        if self.min is not None and self.max is not None:
            return f"{self.min} 至 {self.max}"
        return f"不小于 {self.min}" if self.min is not None else f"不大于 {self.max}"


def path_type(*, folder: bool = False, **kwargs) -> click.Path:
    """click.Path whose placeholder in help reads 文件夹 or 文件, not DIRECTORY or FILE."""
    kind = click.Path(file_okay=not folder, dir_okay=folder or kwargs.pop("dir_okay", True), **kwargs)
    kind.name = "文件夹" if folder else "文件"
    return kind


class _Formatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")  # a full-width colon after Chinese


class _Context(click.Context):
    formatter_class = _Formatter


class _ChineseHelp:
    """Click's own help option, placeholders and headings in Chinese like every other option."""

    context_class = _Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示帮助并退出"
        return option


class Command(_ChineseHelp, click.Command):
    pass


class Group(_ChineseHelp, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)


