"""Where things are in a document repository, and the error for a repository that cannot be used.

Kept free of imports beyond os and files.py (built-in modules only; not even pathlib): `build`
reads it before deciding whether anything must be loaded at all.
"""

from __future__ import annotations

import errno
import os

from ..files import links_below

PROJECT_FILE = "proposal-docs.yaml"
YEAR_FILE = "year.yaml"
BUILD_DIR = "build"
LOCK_FILE = ".lock"  # in build/: held by `build` and by `number` while they work
TEMPLATES_DIR = "templates"
SCHEMA_DIR = "schema"
# the templates shipped with the tool; a repository's own templates/<name>.docx overrides one of them
PACKAGED_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), TEMPLATES_DIR)


class SetupError(Exception):
    """The repository itself cannot be used (no or invalid project file): exit code 2."""

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message)
        self.findings = findings or []


_REASONS = {errno.EACCES: "没有读取权限", errno.EPERM: "没有权限", errno.ENOENT: "不存在",
            errno.ENOTDIR: "路径中有一项不是目录", errno.EISDIR: "是目录而不是文件", errno.ELOOP: "符号链接循环",
            errno.ENAMETOOLONG: "名称过长", errno.EIO: "磁盘读写错误"}


def reason(exc: OSError) -> str:
    """Why a file could not be read, in Chinese where the reason is a common one."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def find_root(start: Path) -> Path:
    """The nearest folder up the tree that holds proposal-docs.yaml."""
    from pathlib import Path

    return Path(find_root_folder(os.fspath(start)))


def find_root_folder(start: str) -> str:
    folder = os.path.realpath(start)
    while not os.path.isfile(os.path.join(folder, PROJECT_FILE)):
        if os.path.dirname(folder) == folder:
            raise SetupError(f"在 {os.path.realpath(start)} 及其上级目录中找不到 {PROJECT_FILE}："
                             "请在文档仓库内运行，或用 --root 指定")
        folder = os.path.dirname(folder)
    return folder


# What reading the cases/ tree refuses or skips, and why: (repository-relative path, code, level,
# message). Plain tuples: this module stays free of our other modules (see above).
Problem = tuple[str, str, str, str]


def is_year_name(name: str) -> bool:
    """Four ASCII digits: "２０２４" (full-width) is not a year folder, though str.isdigit says yes."""
    return len(name) == 4 and name.isascii() and name.isdigit()


def shown_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 as \\xNN escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:  # os.listdir keeps undecodable bytes as lone surrogates
        return False


def _looks_like_yaml(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def _outside(root: str, path: str) -> str | None:
    """Where a symbolic link at path leads when that is outside root (else None)."""
    target = os.path.realpath(path)
    real_root = os.path.realpath(root)
    return None if target == real_root or target.startswith(real_root + os.sep) else target


def linked_outside(root: str | os.PathLike, path: str | os.PathLike) -> str | None:
    """Where path leads when it is a symbolic link to somewhere outside root (else None)."""
    return _outside(os.fspath(root), os.fspath(path)) if os.path.islink(path) else None


def _entries(folder: str, rel: str, problems: list[Problem]) -> list[os.DirEntry] | None:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        problems.append((rel, "unreadable", "error", f"无法读取目录（{reason(exc)}），其中的文件均未读取"))
        return None


def _holds_yaml(folder: str) -> bool:
    for _, _, names in os.walk(folder):
        if any(_looks_like_yaml(name) for name in names):
            return True
    return False


def year_folders(root: Path, problems: list[Problem] | None = None) -> list[Path]:
    """cases/<year>/ folders (four ASCII digits), sorted. Anything else under cases/ that holds YAML
    is refused with a problem: its cases would otherwise be left out without a word."""
    problems = [] if problems is None else problems
    cases = root / "cases"
    if not cases.is_dir():
        return []
    if target := linked_outside(root, cases):  # a pull request's link would have files anywhere read as cases
        problems.append(("cases/", "link-outside", "error", f"是指向仓库外（{target}）的链接，其中的文件均未读取"))
        return []
    found = []
    for entry in _entries(os.fspath(cases), "cases/", problems) or ():
        rel = f"cases/{shown_name(entry.name)}"
        is_dir = entry.is_dir()
        if not _is_utf8(entry.name):
            if is_dir or _looks_like_yaml(entry.name):
                problems.append((rel, "file-name", "error", "名称不是 UTF-8 编码，未读取：请改用中文或英文字母、数字重新命名"))
        elif is_dir and is_year_name(entry.name):
            target = _outside(os.fspath(root), entry.path) if entry.is_symlink() else None
            if target:
                problems.append((rel + "/", "link-outside", "error", f"是指向仓库外（{target}）的链接，未读取"))
            else:
                found.append(cases / entry.name)
        elif is_dir and _holds_yaml(entry.path):
            problems.append((rel + "/", "year-folder-name", "error",
                             "年度目录名应为四位半角数字（如 2024），此目录中的 YAML 文件均未读取"))
        elif not is_dir and _looks_like_yaml(entry.name):
            problems.append((rel, "outside-year-folder", "error", "案件文件应放在年度目录 cases/<年度>/ 中，此文件未读取"))
    return found


def case_file_names(year_folder: Path, problems: list[Problem] | None = None) -> list[str] | None:
    """Every case file of a year: any *.yaml but year.yaml, sorted by name. What looks like a case
    but is not read (.yml, .YAML, hidden, a link leading outside the repository, a name that is not
    UTF-8) is said in problems: an error, or for a hidden file a warning. None when the folder
    cannot be listed (said in problems too)."""
    problems = [] if problems is None else problems
    prefix = f"cases/{year_folder.name}/"
    names = []
    root = os.path.dirname(os.path.dirname(os.fspath(year_folder)))
    entries = _entries(os.fspath(year_folder), prefix, problems)  # scandir: a thousand cases, every build
    if entries is None:
        return None
    for entry in entries:
        name = entry.name
        if name == YEAR_FILE or not _looks_like_yaml(name):
            continue
        rel = prefix + shown_name(name)
        if not _is_utf8(name):
            problems.append((rel, "file-name", "error", "文件名不是 UTF-8 编码，未读取：请改用中文或英文字母、数字重新命名"))
        elif not name.endswith(".yaml"):
            stem = name[: name.rindex(".")]
            problems.append((rel, "file-suffix", "error", f"案件文件的扩展名应为小写 .yaml，此文件未读取：请改名为 {stem}.yaml"))
        elif name.startswith("."):
            problems.append((rel, "hidden-file", "warning",
                             "以“.”开头的隐藏文件不作为案件读取；如果它是案件，请去掉文件名开头的“.”"))
        elif entry.is_symlink() and (target := _outside(root, entry.path)):
            problems.append((rel, "link-outside", "error", f"是指向仓库外（{target}）的链接，未读取：请把案件文件本身放进仓库"))
        elif entry.is_dir():
            problems.append((rel, "not-a-file", "error", "是目录而不是案件文件，未读取"))
        elif not entry.is_file():
            problems.append((rel, "not-a-file", "error", "不是普通文件（或链接指向的文件不存在），未读取"))
        else:
            names.append(name)
    return names


def _present(path) -> bool:
    """Is there anything at path? True also when it cannot be looked at (a templates/ folder nobody
    may open): then reading it fails with a message, instead of another file standing in silently."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def template_path(root: Path, name: str) -> Path:
    """The template a build renders `name` from: the repository's own templates/<name>.docx when it
    has one (a clerk's edited copy, file by file), else the one shipped in the package. OSError
    when the repository's own is a link leading outside it."""
    own = root / TEMPLATES_DIR / f"{name}.docx"
    if _present(own):  # not is_file: an unreadable or odd entry is reported, never skipped
        # templates/ may come from anyone's pull request: a link to /dev/zero, or to a file of the
        # clerk's that would be printed into the documents, is an error as a case file's link is
        if target := _outside(os.fspath(root), os.fspath(own)):
            raise OSError(errno.EXDEV, f"是指向仓库外（{target}）的链接，未读取：请把模板文件本身放进仓库", os.fspath(own))
        return own
    return type(root)(PACKAGED_TEMPLATES) / f"{name}.docx"


def template_label(root: Path, name: str) -> str:
    """How messages name a template: templates/<name>.docx for the repository's own, else the
    packaged file's full path."""
    if _present(root / TEMPLATES_DIR / f"{name}.docx"):
        return f"{TEMPLATES_DIR}/{name}.docx"
    return os.path.join(PACKAGED_TEMPLATES, f"{name}.docx")


def schema_modelines(kind: str, to_root: str) -> str:
    """The first lines of a YAML file of `kind` (case, year, project) that tell editors its schema:
    VS Code's YAML extension reads the first form, JetBrains IDEs the second. to_root: the way
    from the file's folder to the repository root, "" or "../../"."""
    where = f"{to_root}{SCHEMA_DIR}/{kind}.schema.json"
    return f"# yaml-language-server: $schema={where}\n# $schema: {where}\n"


def refuse_links_in_build(build_dir: Path) -> None:
    """Stop before writing anything when build/ is, or holds, a link.

    Everything in build/ is the tool's own, yet a pull request can commit a link there: a build
    would then write documents, and clean up stale ones, wherever it leads (and `number` open its
    lock there)."""
    links = links_below(build_dir)
    if not links:
        return
    first = build_dir if links[0] == "." else build_dir / links[0]
    try:
        target = f"（指向 {os.readlink(first)}）"
    except OSError:
        target = ""
    name = f"{BUILD_DIR}/" if links[0] == "." else f"{BUILD_DIR}/{links[0]}"
    more = f"等 {len(links)} 处" if len(links) > 1 else ""
    raise SetupError(f"{name}{target}{more}是链接。{BUILD_DIR}/ 中的文件都由本工具生成，不应有链接；"
                     f"它可能来自他人提交的内容，构建会顺着它写入或删除别处的文件。本次没有写入任何文件。"
                     f"请删除该链接（或整个 {BUILD_DIR}/ 目录，其中的文件都能重新生成）后再构建。")
