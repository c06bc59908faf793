"""The `proposal-docs` command line: parse options, call one library function, print, exit.

The only command-line parser; the console script and `python -m proposal_docs` both start here.
Exit codes (docs/DESIGN.md): 0 ok, 1 invalid input or a deadline missed, 2 usage or setup error.
No input produces a traceback unless --debug is given. Library modules are imported inside the
commands, so that `build` with nothing to do answers before pydantic, YAML or docx are loaded.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..model.layout import BUILD_DIR, SetupError
from . import zh
from .options import (CONTEXT, TODAY_HELP, DateType, Group, Options, WholeRange, exit_on_setup_error, guarded, path_type,
                      resolve_today)

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

zh.install()

# Loading thousands of cases would set off a young-generation collection every 700 allocations,
# each walking objects that live as long as the command (about 6 % of a small rebuild). Cycles are
# still collected, only less often — in `serve` too, which runs for hours: the garbage of a rebuild
# is mostly acyclic. The 20,000-case build's peak memory is measured by `make bench`.
gc.set_threshold(100_000, 50, 100)
# As Python exits it collects the garbage of everything the command loaded: a seventh of a second
# after a one-case rebuild. The operating system takes the memory back at once, and there is nothing
# a collection could still save: files are closed by their `with` blocks, the standard streams are
# flushed regardless. So the objects alive at exit are frozen, out of the collector's reach.
atexit.register(gc.freeze)

@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="proposal-docs %(version)s", help="显示版本号并退出")
@click.option("--root", type=path_type(folder=True), help="文档仓库目录（默认：向上查找 proposal-docs.yaml）")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈")
@click.option("-v", "--verbose", count=True, help="输出更多信息（如逐个列出生成的文件）")
@click.option("-q", "--quiet", is_flag=True, help="只输出问题")
@click.pass_context
def main(ctx: click.Context, root: str | None, debug: bool, verbose: int, quiet: bool) -> None:
    """政协委员提案、人大代表建议办理文档工具。"""
    ctx.obj = Options(root, debug, -1 if quiet else verbose)


@main.command()
@click.option("--today", type=DateType(), help=TODAY_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="输出格式")
@click.pass_obj
@guarded
def check(opts: Options, today: dt.date | None, fmt: str) -> None:
    """校验全部案件文件并检查办理期限。"""
    from ..commands.check import check as run_check
    from ..model.findings import summary_line
    from .output import print_findings

    from ..rules.checking import load_repository

    try:
        repo = load_repository(opts.repository_root())
    except SetupError as exc:  # reported in the format asked for: a CI annotation or JSON too
        exit_on_setup_error(opts, exc, fmt)
    result = run_check(repo, resolve_today(repo.project, today))
    print_findings(opts.console, result.findings, fmt)
    if fmt == "text":
        opts.say(summary_line(result.findings, result.repo.files_read))
    sys.exit(1 if result.failed else 0)


@main.command()
@click.option("--today", type=DateType(), help=TODAY_HELP)
@click.pass_obj
@guarded
def status(opts: Options, today: dt.date | None) -> None:
    """列出未办结案件的期限和剩余天数，以及未编文号的答复。"""
    from ..commands.status import status as run_status
    from .output import print_status
    from ..rules.checking import load_repository

    repo = load_repository(opts.repository_root())
    on = resolve_today(repo.project, today)
    print_status(opts.console, run_status(repo, on), on)
    if repo.errors:
        click.echo(f"注意：有 {len(repo.errors)} 个错误的文件未列入，请运行 proposal-docs check。", err=True)


@main.command()
@click.option("--today", type=DateType(), help=TODAY_HELP)
@click.option("--within", type=WholeRange(min=0), help="列出多少天内到期的事项（默认：期限规则的 warn_days）")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="输出格式；markdown 适合定时任务贴到议题（issue）里")
@click.pass_obj
@guarded
def remind(opts: Options, today: dt.date | None, within: int | None, fmt: str) -> None:
    """催办提醒：按承办科室和承办人列出已超期和即将到期的事项（总是以 0 退出，把关用 check）。"""
    from ..commands.remind import FORMATS, remind as run_remind
    from ..rules.checking import load_repository

    repo = load_repository(opts.repository_root())
    on = resolve_today(repo.project, today)
    click.echo(FORMATS[fmt](run_remind(repo, on, within)), nl=False)
    if repo.errors:
        click.echo(f"注意：有 {len(repo.errors)} 个错误的文件未列入，请运行 proposal-docs check。", err=True)


@main.command()
@click.argument("file", metavar="文件", required=False, type=path_type(exists=True, dir_okay=False))
@click.option("--title", help="不给案件文件时，按这段案由查找")
@click.option("--limit", type=WholeRange(min=1), default=5, show_default=True, help="最多列出几件")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.pass_obj
@guarded
def similar(opts: Options, file: str | None, title: str | None, limit: int, fmt: str) -> None:
    """列出其他年度、其他会议中与此案最相似的案件（案由和答复正文），以便参考以往的答复。"""
    from pathlib import Path

    from ..commands.similar import NotACase, as_json, find_case, load, rows, similar_cases
    from .output import print_findings, print_similar

    if (file is None) == (title is None):
        raise click.UsageError("请给出一个案件文件，或用 --title 给出案由（二者选一）")
    corpus = load(opts.repository_root())
    try:
        item = find_case(corpus, Path(file)) if file else None
    except NotACase as exc:
        print_findings(opts.console, exc.findings, "text")
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1 if exc.findings else 2)
    found = rows(similar_cases(corpus, item=item, title=title, limit=limit))
    if fmt == "json":
        click.echo(as_json(found))
    else:
        print_similar(found, item.title if item else title)
    if corpus.left_out:
        click.echo(f"注意：有 {len(corpus.left_out)} 个错误的文件未列入，请运行 proposal-docs check。", err=True)


@main.command()
@click.option("--jobs", "-j", type=WholeRange(min=1), default=None, help="并行进程数（默认：CPU 核数）")
@click.option("--force", is_flag=True, help="全部重新生成，不论是否变化")
@click.option("--site/--no-site", default=True, show_default=True, help="同时生成 build/site 网页（含文书预览）")
@click.option("--today", type=DateType(), help="网页中按哪一天计算期限状态（默认同 check）")
@click.option("--pdf", is_flag=True, help="用 LibreOffice 把有变化的文书另存为 PDF(build/pdf/)")
@click.pass_obj
@guarded
def build(opts: Options, jobs: int | None, force: bool, site: bool, today: dt.date | None, pdf: bool = False) -> None:
    """生成全部文书到 build/ 目录（只重新生成有变化的），以及 build/site 网页。"""
    from .build import run_build_command

    run_build_command(opts, jobs=jobs, force=force, site=site, today=today, pdf=pdf)


@main.command()
@click.option("--kind", type=click.Choice(["case", "year", "project"]), default="case", show_default=True,
              help="哪一种文件的 schema")
@click.option("--write", is_flag=True, help="把三种 schema 写入仓库的 schema/ 目录")
@click.pass_obj
@guarded
def schema(opts: Options, kind: str, write: bool) -> None:
    """输出 JSON Schema（供 VS Code 等编辑器提示字段和说明）。"""
    from ..commands.schema import schema_text, write_schemas

    if not write:
        click.echo(schema_text(kind), nl=False)
        return
    root = opts.repository_root()
    changed = write_schemas(root)
    for path in changed:
        opts.say(f"已写入 {path.relative_to(root).as_posix()}")
    if not changed:
        opts.say("schema/ 已是最新。")


@main.command()
@click.argument("directory", metavar="文件夹", required=False, type=path_type(folder=True))
@click.option("--name", help="本单位全称，如 xx市科技和经济信息化局（不给则询问）")
@click.option("--short-name", help="本单位简称，如 市科经局（不给则询问）")
@click.option("--templates", is_flag=True, help="同时把内置模板复制到 templates/ 以便修改；在已有仓库中只复制缺少的模板")
@click.option("--requirement", help="CI 安装 proposal-docs 的来源，写入 requirements.txt（默认：当前安装的来源或版本）")
@click.option("--today", type=DateType(), help="按哪一天决定年度文件夹（默认：今天）")
@click.pass_obj
@guarded
def init(opts: Options, directory: str | None, name: str | None, short_name: str | None, templates: bool, requirement: str | None,
         today: dt.date | None) -> None:
    """新建一个单位的文档仓库：项目配置、本年度文件夹、schema、git 设置和持续集成文件。"""
    from pathlib import Path

    from ..commands.init import InitProblem, init_repository
    from ..model.layout import PROJECT_FILE
    from ..rules.clock import today as clock_today

    target = Path(directory or opts.root or ".")  # DIR, else --root, else here
    if not (target / PROJECT_FILE).exists():  # asked only when a new repository is made
        name = name if name is not None else click.prompt("本单位全称（如 xx市科技和经济信息化局）")
        short_name = short_name if short_name is not None else click.prompt("本单位简称（如 市科经局）")
    try:
        result = init_repository(target, name, short_name, templates=templates, requirement=requirement,
                                 today=clock_today("Asia/Shanghai", today))
    except InitProblem as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    for rel in result.written:
        click.echo(f"已写入 {rel}")
    for rel in result.skipped:
        click.echo(f"已有 {rel}，未覆盖")
    if result.git:  # a new repository was made
        click.echo(result.git)
        click.echo("下一步：在 cases/<年度>/year.yaml 中写上本年度的会议，然后 proposal-docs new --session <会议> 新建案件。")
    elif not result.written:
        click.echo("没有需要复制的模板。")


@main.command()
@click.option("--session", required=True, help="会议（year.yaml 中 sessions 的键），如 cppcc-13-4")
@click.option("--title", help="案由")
@click.option("--proposer", "proposers", multiple=True, help="提案人或代表，可重复；第一位为领衔人")
@click.option("--role", type=click.Choice(["lead", "co", "separate"]), default="lead", show_default=True,
              help="lead 主办 | co 会办 | separate 分办")
@click.option("--number", type=WholeRange(min=1), help="编号（默认：该会议下一个空号）")
@click.option("--assigned", type=DateType(), help="交办日期（默认：今天）")
@click.pass_obj
@guarded
def new(opts: Options, session: str, title: str | None, proposers: tuple[str, ...], role: str,
        number: int | None, assigned: dt.date | None) -> None:
    """新建一个案件文件（带中文注释），不会覆盖已有文件。"""
    from ..commands.new import NumberTaken, new_case
    from ..rules.checking import load_repository

    root = opts.repository_root()
    repo = load_repository(root)
    try:
        path = new_case(repo, session, assigned, today=resolve_today(repo.project, None), number=number, title=title,
                        proposers=list(proposers), role=role)
    except (NumberTaken, FileExistsError) as exc:
        what = f"文件已存在：{exc}" if isinstance(exc, FileExistsError) else str(exc)
        click.echo(f"错误：{what}，未写入任何文件。", err=True)
        sys.exit(1)
    opts.say(f"已新建 {path.relative_to(root).as_posix()}")


@main.command()
@click.option("--dry-run", is_flag=True, help="只列出将要编写的文号，不修改文件")
@click.pass_obj
@guarded
def number(opts: Options, dry_run: bool) -> None:
    """为没有文号的答复函、再次答复和退办申请函按日期顺序编写下一个文号，写入案件文件。"""
    from ..commands.number import NumberingRefused, number_replies
    from .output import print_findings

    waiting = lambda: click.echo("另一个构建或编号正在进行，等待其完成……", err=True)  # noqa: E731
    try:
        assignments = number_replies(opts.repository_root(), dry_run=dry_run, on_wait=waiting)
    except NumberingRefused as exc:
        if exc.findings:
            print_findings(opts.console, exc.findings, "text")
        click.echo(str(exc) if exc.findings else f"错误：{exc}", err=True)
        sys.exit(1)
    for assignment in assignments:
        action = "将编写" if dry_run else "已写入"
        opts.say(f"{action} {assignment.item.rel}：{assignment.number}（{assignment.letter}，日期 {assignment.date}）")
    if not assignments:
        opts.say("所有答复都已有文号。")


@main.command("import")
@click.argument("file", metavar="文件", type=path_type(exists=True, dir_okay=False))
@click.option("--session", required=True, help="这份交办清单属于哪次会议（year.yaml 中 sessions 的键）")
@click.option("--assigned", type=DateType(), help="表中没有交办日期时使用的日期")
@click.option("--dry-run", is_flag=True, help="只显示将要新建的案件，不写文件")
@click.pass_obj
@guarded
def import_(opts: Options, file: str, session: str, assigned: dt.date | None, dry_run: bool) -> None:
    """从交办清单（.xlsx 或 .csv）每行新建一个案件文件；已有的案件不会被改动。"""
    from pathlib import Path

    from rich.table import Table

    from ..commands.importing import ImportProblem, import_rows
    from ..commands.sheets import MAX_ECHO, MAX_ROWS
    from ..rules.checking import load_repository

    root, file = opts.repository_root(), Path(file)
    try:
        result = import_rows(load_repository(root), file, session, default_assigned=assigned, dry_run=dry_run)
    except ImportProblem as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    shown = MAX_ECHO
    for rows, what, err in ((result.skipped, "跳过", False), (result.errors, "错误", True)):
        for row, message in rows[:shown]:
            click.echo(f"{file.name} 第 {row} 行：{what}，{message}", err=err)
        if len(rows) > shown:
            click.echo(f"{file.name}：另有 {len(rows) - shown:,} 行{what}，未逐行列出", err=err)
    if result.refused:
        click.echo(f"{file.name} 第 {result.first_refused:,} 行起的 {result.refused:,} 行未导入：一次最多导入 "
                   f"{MAX_ROWS:,} 行，请拆分后分别导入", err=True)
    if result.created:  # no empty table when nothing was made: the line below says so
        table = Table(title=("将新建" if dry_run else "已新建") + f" {len(result.created)} 件")
        for header in ("行", "编号", "案由", "提案人", "方式", "文件"):
            table.add_column(header)
        labels = {"lead": "主办", "co": "会办", "separate": "分办"}
        for row, new, path in result.created[: MAX_ECHO * 10]:
            who = "、".join(new.proposers) or (new.proposer_org or "")
            table.add_row(str(row), str(new.number), new.title, who, labels[new.role],
                          path.relative_to(root).as_posix() if path else "—")
        opts.console.print(table)
    if len(result.created) > MAX_ECHO * 10:
        opts.say(f"……另有 {len(result.created) - MAX_ECHO * 10:,} 件未在表中列出")
    refused = f"，未导入 {result.refused:,} 行" if result.refused else ""
    opts.say(f"新建 {len(result.created)} 件，跳过 {len(result.skipped)} 行，错误 {len(result.errors)} 行{refused}。")
    sys.exit(1 if result.errors or result.refused else 0)


@main.command()
@click.argument("revision", metavar="版本", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown 适合贴在合并请求的评论里")
@click.option("--jobs", "-j", type=WholeRange(min=1), default=None, help="并行进程数")
@click.option("--max-chars", type=WholeRange(min=1000), default=None,
              help="markdown 最多输出的字符数，超出的文书只计数（合并请求评论上限为 65536）")
@click.option("--base", "branch", help="与哪个分支的合并基点比较（默认：origin/HEAD、main、master、trunk），如 origin/release")
@click.option("--save", type=path_type(dir_okay=False), help="另把完整的文字差异写入此文件（如供持续集成作为构件保存）")
@click.pass_obj
@guarded
def diff(opts: Options, revision: str | None, fmt: str, jobs: int | None, max_chars: int | None,
         branch: str | None, save: str | None) -> None:
    """比较 REV（默认：与主分支 origin/HEAD、main、master 或 trunk 的合并基点）和工作区生成的文书，输出文字差异。"""
    from ..commands.diff import as_markdown, as_text, diff_documents, resolve_base

    root = opts.repository_root()
    if revision is not None and branch is not None:
        raise click.UsageError("REV 和 --base 只能给一个")
    base = resolve_base(root, revision, branch)
    diffs = diff_documents(root, base, jobs or os.cpu_count() or 1)
    if save:
        from pathlib import Path

        from ..files import atomic_write

        atomic_write(Path(save), as_text(diffs, base).encode("utf-8"))
    click.echo(as_markdown(diffs, base, max_chars) if fmt == "markdown" else as_text(diffs, base), nl=False)


@main.command()
@click.argument("file", metavar="文件", type=path_type(exists=True, dir_okay=False))
@guarded
def textconv(file: str) -> None:
    """输出 .docx 文书的文字（供 git diff 使用）。"""
    from pathlib import Path

    from ..render.text import document_text

    file = Path(file)
    try:
        text = document_text(file)
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for a non-docx file
        click.echo(f"错误：{file} 不是可读取的 .docx 文件（{type(exc).__name__}）", err=True)
        sys.exit(2)
    click.echo(text, nl=False)


@main.command()
@guarded
def fonts() -> None:
    """列出公文字体是否已安装，以及打印 PDF 时由哪种字体代替。"""
    from ..render.fonts import report

    click.echo(report(), nl=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=WholeRange(0, 65535), help="端口")
@click.pass_obj
@guarded
def serve(opts: Options, host: str, port: int) -> None:
    """在本机提供 build/site 网页，案件或模板一改动就重新生成（Ctrl+C 停止）。"""
    from ..commands.build import Warm
    from ..commands.serve import Builds, start_server, watch
    from .build import run_build_command

    root = opts.repository_root()
    warm = Warm()  # this process lives on: parsed files and prepared templates are kept between rebuilds
    builds = Builds()

    def rebuild() -> None:
        try:
            guarded(run_build_command)(opts, jobs=None, force=False, site=True, today=None, warm=warm)
        except SystemExit as exc:  # a broken case must not stop the server: report and wait for the fix
            if exc.code:
                click.echo("有错误，网页保持上一次的内容；修正后会自动重新生成。", err=True)
                return
        builds.finished()  # the open pages reload

    server = start_server(root / BUILD_DIR / "site", host, port, builds)
    opts.say(f"正在提供 http://{host}:{server.server_address[1]}/，修改案件或模板后自动重新生成，按 Ctrl+C 停止。")
    try:
        watch(root, rebuild)
    finally:
        server.shutdown()
