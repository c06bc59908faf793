"""`proposal-docs init [DIR]`: start a new bureau's document repository.

Writes the project file, this year's folder and year.yaml, the schemas, .gitignore, .gitattributes,
a pre-commit configuration, the CI workflows and requirements.txt (where CI installs the tool from),
then makes DIR a git repository if it is not one and points git's docx diff at this very
interpreter, so `git diff` reads documents without an activated virtual environment. `check`
passes on the result at once and `build` works. Nothing is ever overwritten: when any file it would
write exists, it stops before writing anything. With templates=True the packaged templates are
copied to templates/ for editing; in an existing repository only that is done, file by file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from .. import __version__
from ..files import atomic_create, find_program
from ..model.casefile import quote
from ..model.layout import PACKAGED_TEMPLATES, PROJECT_FILE, TEMPLATES_DIR, YEAR_FILE, linked_outside, schema_modelines
from ..model.models import LINE_BREAKS
from .schema import KINDS, SCHEMA_DIR, schema_text

WORKFLOWS = ("proposals.yml", "reminders.yml")  # shipped in proposal_docs/scaffold/, same as this repository's


class InitProblem(Exception):
    """Init cannot go on: exit 1, nothing written."""


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)  # paths relative to DIR, '/'-separated
    skipped: list[str] = field(default_factory=list)  # templates already there (templates only)
    git: str = ""  # what was done with git, for the clerk


def numbering_prefix(short_name: str) -> str:
    """科经 from 市科经局: the short name without the level and 局/委/办, a starting point to edit."""
    core = short_name
    for prefix in ("市", "县", "区"):
        core = core.removeprefix(prefix)
    return core.removesuffix("局").removesuffix("委员会").removesuffix("委").removesuffix("办") or core


def project_text(name: str, short_name: str) -> str:
    prefix = numbering_prefix(short_name)
    return schema_modelines("project", "") + f"""\
# proposal-docs 项目配置：本单位和本地办理规则，不写具体案件。字段说明见 schema/project.schema.json。
organisation:
  name: {quote(name)}
  short_name: {quote(short_name)}
  fonds: ""                        # 全宗号，如 X012

numbering:                         # 文号格式：{{year}} 年度，{{seq}} 顺序号；请按本单位实际修改
  reply: {quote(prefix + "提〔{year}〕{seq}号")}
  co_opinion: {quote(prefix + "提函〔{year}〕{seq}号")}

categories:                        # 答复类别
  A: 已解决或采纳
  B: 正在解决或列入计划解决
  C: 因条件限制留作参考

cc:                                # 默认抄送；主办件的会办单位自动加入
  cppcc: [市政协提案委员会, 市政府督查室]
  npc: [市人大常委会选工委, 市政府督查室]

reply_to: lead                     # lead 只致领衔人 | each 每位提案人一份
timezone: Asia/Shanghai

deadlines:                         # 自交办日期起算：months 自然月 | days 自然日 | workdays 工作日 | date 固定日期
  cppcc:
    reply: {{months: 3}}
    max: {{months: 6}}
    co_opinion: {{months: 1}}
    warn_days: 15
  npc:
    reply: {{months: 3}}
    max: {{months: 6}}
    co_opinion: {{months: 1}}
    warn_days: 15

retention: 30年                    # 保管期限：永久 | 30年 | 10年
"""


def year_text(year: int) -> str:
    return schema_modelines("year", "../../") + f"""\
# {year} 年度：本年度的会议和年度总结的素材。字段说明见 schema/year.schema.json。
year: {year}
# 会议：键写在案件文件的 session 中（proposal-docs new --session 键）。把 {{}} 换成本年度的会议，如
# sessions:
#   cppcc-13-5: {{body: cppcc, name: 市政协十三届五次会议}}
#   npc-17-5: {{body: npc, name: 市十七届人大五次会议}}
sessions: {{}}
summary:                           # 年度总结：日期、座谈会等活动、出台的政策
  date: null
  events: []
  policies: []
"""


GITIGNORE = "# 生成的文书和网页：由 proposal-docs build 重新生成，不提交\nbuild/\n.venv/\n"
GITATTRIBUTES = "# git diff 显示 Word 文书的文字（git config diff.docx.textconv，见 README）\n*.docx diff=docx\n"


def precommit_text(requirement: str) -> str:
    return f"""\
# pre-commit（https://pre-commit.com）：提交前校验案件文件和期限。安装：pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: proposal-docs-check
        name: proposal-docs check（校验案件文件和期限）
        entry: proposal-docs check
        language: python
        additional_dependencies: [{json.dumps(requirement, ensure_ascii=False)}]
        pass_filenames: false
        files: ^(proposal-docs\\.yaml|cases/.*\\.ya?ml|templates/.*\\.docx)$
"""


def requirement_of_running_tool() -> str:
    """Where CI installs the tool from: the place this copy came from when it was a VCS or archive
    URL (PEP 610 direct_url.json), else this version from the package index."""
    try:
        direct = json.loads(metadata.distribution("proposal-docs").read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        direct = None
    if isinstance(direct, dict) and str(direct.get("url", "")).startswith(("https://", "http://")):
        vcs = direct.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
            return f"proposal-docs @ git+{direct['url']}@{vcs['commit_id']}"
        if "archive_info" in direct:
            return f"proposal-docs @ {direct['url']}"
    return f"proposal-docs=={__version__}"


def requirements_text(requirement: str) -> str:
    return ("# CI（.github/workflows/）和 pre-commit 从这里安装 proposal-docs；升级时改这一行，如\n"
            "#   proposal-docs @ git+https://<代码托管地址>/proposal-docs@<版本标签>\n" + requirement + "\n")


def workflow_text(name: str) -> str:
    return (resources.files("proposal_docs") / "scaffold" / name).read_text(encoding="utf-8")


def textconv_command() -> str:
    """The docx textconv git runs: this interpreter by absolute path, so it works without an
    activated virtual environment (forward slashes: git runs it through sh, on Windows too)."""
    return f'"{Path(sys.executable).as_posix()}" -m proposal_docs textconv'


def _one_line(what: str, value: str) -> str:
    value = value.strip()
    if not value or any(ch in value for ch in LINE_BREAKS):
        raise InitProblem(f"{what}不能为空，也不能换行或含制表符")
    return value


def planned_files(name: str, short_name: str, year: int, requirement: str) -> dict[str, str]:
    files = {
        PROJECT_FILE: project_text(name, short_name),
        f"cases/{year}/{YEAR_FILE}": year_text(year),
        ".gitignore": GITIGNORE,
        ".gitattributes": GITATTRIBUTES,
        ".pre-commit-config.yaml": precommit_text(requirement),
        "requirements.txt": requirements_text(requirement),
    }
    files.update({f"{SCHEMA_DIR}/{kind}.schema.json": schema_text(kind) for kind in KINDS})
    files.update({f".github/workflows/{name}": workflow_text(name) for name in WORKFLOWS})
    return files


def copy_templates(target: Path, result: InitResult) -> None:
    """The packaged templates into target/templates/ for editing; one already there is kept."""
    for source in sorted(Path(PACKAGED_TEMPLATES).glob("*.docx")):
        rel = f"{TEMPLATES_DIR}/{source.name}"
        if os.path.lexists(target / rel):  # a link too, even one leading nowhere: it is not replaced
            result.skipped.append(rel)
            continue
        atomic_create(target / rel, source.read_bytes())
        result.written.append(rel)


def _git(target: Path, *args: str) -> subprocess.CompletedProcess | None:
    git = find_program("git")  # by its full path: never a git.exe in the folder
    if git is None:
        return None
    try:
        return subprocess.run([git, *args], cwd=target, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError:  # git not installed
        return None


def setup_git(target: Path) -> str:
    """git init (branch main) unless target is already the top of a work tree, then the docx textconv."""
    top = _git(target, "rev-parse", "--show-toplevel")
    if top is None:
        return "未找到 git：未创建 git 仓库，也未配置 Word 文书的 git diff（安装 git 后见 README）。"
    said = []
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != target.resolve():
        made = _git(target, "init", "--quiet")
        if made is None or made.returncode != 0:
            return f"git init 失败：{made.stderr.strip() if made else ''}"
        _git(target, "symbolic-ref", "HEAD", "refs/heads/main")
        said.append("已创建 git 仓库（分支 main）")
    configured = _git(target, "config", "diff.docx.textconv", textconv_command())
    if configured is None or configured.returncode != 0:
        said.append("未能配置 Word 文书的 git diff")
    else:
        said.append("已配置 Word 文书的 git diff（git config diff.docx.textconv）")
    return "，".join(said) + "。"


def refuse_links_out(target: Path, rels) -> None:
    """Stop when a folder a file would be written into is a link leading outside target: templates/
    or .github/ may have come with someone else's commit, and the files would be written where it leads."""
    folders = {target.joinpath(*rel.split("/")[:depth]) for rel in rels for depth in range(1, rel.count("/") + 1)}
    for folder in sorted(folders):
        if outside := linked_outside(target, folder):
            raise InitProblem(f"{folder.relative_to(target).as_posix()}/ 是指向仓库外（{outside}）的链接，未做任何改动："
                              "文件会写到链接所指之处。请删除该链接后再运行")


def init_repository(target: Path, name: str | None, short_name: str | None, *, templates: bool = False,
                    requirement: str | None = None, today: dt.date | None = None) -> InitResult:
    result = InitResult()
    if templates:
        refuse_links_out(target, [TEMPLATES_DIR + "/x.docx"])
    if (target / PROJECT_FILE).exists():
        if templates:  # an existing repository asking for its own templates: only those, never overwriting
            copy_templates(target, result)
            return result
        raise InitProblem(f"{target} 已经是文档仓库（有 {PROJECT_FILE}），未做任何改动。"
                          "要复制模板以便修改，请用 proposal-docs init --templates")
    if target.exists() and not target.is_dir():
        raise InitProblem(f"{target} 不是文件夹，未做任何改动")
    name = _one_line("单位全称", name or "")
    short_name = _one_line("单位简称", short_name or "")
    year = (today or dt.date.today()).year
    files = planned_files(name, short_name, year, requirement or requirement_of_running_tool())
    refuse_links_out(target, files)
    existing = [rel for rel in files if os.path.lexists(target / rel)]
    if templates:
        existing += [f"{TEMPLATES_DIR}/{p.name}" for p in Path(PACKAGED_TEMPLATES).glob("*.docx")
                     if (target / TEMPLATES_DIR / p.name).exists()]
    if existing:
        raise InitProblem(f"{target} 中已有 {'、'.join(sorted(existing))}，未做任何改动（init 不覆盖文件）")
    target.mkdir(parents=True, exist_ok=True)
    try:
        for rel, text in files.items():
            atomic_create(target / rel, text.encode("utf-8"))
            result.written.append(rel)
        if templates:
            copy_templates(target, result)
    except OSError as exc:
        _remove_partial(target, result.written)
        raise InitProblem(f"无法写入 {target}：{exc.strerror or exc}，未留下任何文件") from exc
    result.git = setup_git(target)
    return result


def _remove_partial(target: Path, written: list[str]) -> None:
    """Undo a failed init (a full disk half-way): its files and the folders it made go again."""
    for rel in reversed(written):
        (target / rel).unlink(missing_ok=True)
    folders = {parent for rel in written for parent in (target / rel).parents if target in parent.parents}
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:  # not empty: it was there before, or holds someone's files
            pass
