"""`proposal-docs diff [REV]`: what the documents will say differently, for a pull-request review.

Builds the documents of REV (its own cases and templates, checked out in a temporary git worktree,
reusing this repository's parse and template caches) and of the working tree, then prints a
unified diff of the text of each document whose bytes differ. Builds are deterministic, so equal
bytes mean equal documents and only changed documents are read back.
"""

from __future__ import annotations

import difflib
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..engine.manifest import read_manifest
from ..files import find_program, links_below
from .build import Warm, build, load_for_build
from ..model.layout import BUILD_DIR, SetupError
from ..render.text import document_text


@dataclass(frozen=True)
class DocumentDiff:
    path: str
    lines: list[str]


@dataclass(frozen=True)
class Base:
    """What the working tree is compared with: a commit, and how it is named in headers."""

    commit: str
    label: str  # the full ref name as given or found, e.g. origin/trunk（合并基点 1a2b3c4d5e6f）


BASE_BRANCHES = ("main", "master", "trunk")
DEEPEN_STEPS = (50, 500)  # commits fetched behind the shallow boundary before the full history
FULL_HISTORY = ("无法取得比较所需的历史，未作比较。请用完整历史检出仓库（GitHub Actions："
                "actions/checkout 加 with: fetch-depth: 0；本地：git fetch --unshallow），"
                "或直接指定要比较的版本：proposal-docs diff REV")


def _run_git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    git = find_program("git")  # by its full path: never a git.exe committed in the repository
    if git is None:
        raise SetupError("找不到 git：diff 需要安装 git")
    try:  # never a credentials prompt: a fetch that needs one fails and the caller says what to do
        return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except OSError as exc:
        raise SetupError(f"无法运行 git（{exc.strerror or exc}）：diff 需要安装 git") from exc


def _git(cwd: Path, *args: str) -> str:
    result = _run_git(cwd, *args)
    if result.returncode != 0:
        raise SetupError(f"git {' '.join(args)} 失败：{result.stderr.strip()}")
    return result.stdout.strip()


def _try_git(cwd: Path, *args: str) -> str | None:
    """git's output, or None when it fails (a missing ref, no network): the caller tries the next way."""
    result = _run_git(cwd, *args)
    return result.stdout.strip() if result.returncode == 0 else None


def _has_origin(root: Path) -> bool:
    return _try_git(root, "remote", "get-url", "origin") is not None


def _fetch(root: Path, *args: str) -> bool:
    return _try_git(root, "fetch", "--quiet", "--no-tags", *args) is not None


def _base_branch(root: Path) -> str:
    """The main branch, by full ref name: origin/HEAD's target, then origin/ or local main, master,
    trunk; a clone that has none of them (one branch, shallow) asks origin for its HEAD and fetches it."""
    head = _try_git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if head:
        return head
    for name in BASE_BRANCHES:
        for ref in (f"origin/{name}", name):
            prefix = "refs/remotes/" if ref.startswith("origin/") else "refs/heads/"
            if _try_git(root, "rev-parse", "--verify", "--quiet", f"{prefix}{ref}") is not None:
                return ref
    if _has_origin(root):
        listed = _try_git(root, "ls-remote", "--symref", "origin", "HEAD") or ""
        for line in listed.splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                name = line[len("ref: refs/heads/"):-len("\tHEAD")]
                if _fetch(root, "origin", f"+refs/heads/{name}:refs/remotes/origin/{name}"):
                    return f"origin/{name}"
    raise SetupError("找不到主分支（origin/HEAD、main、master、trunk 都不存在），未作比较。"
                     "请指定要比较的版本：proposal-docs diff REV")


def _resolve(root: Path, revision: str) -> str | None:
    """The commit a name stands for; an origin/<branch> missing from a one-branch clone is fetched."""
    commit = _try_git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit is None and revision.startswith("origin/") and _has_origin(root):
        branch = revision[len("origin/"):]
        if _fetch(root, "origin", f"+refs/heads/{branch}:refs/remotes/origin/{branch}"):
            commit = _try_git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    return commit


def _merge_base(root: Path, branch: str) -> str:
    """The merge base of HEAD and branch. In a shallow clone (actions/checkout fetches one commit)
    history is deepened, then completed, until there is one; without it nothing can be compared."""
    found = _try_git(root, "merge-base", "HEAD", branch)
    if found:
        return found
    if _try_git(root, "rev-parse", "--is-shallow-repository") == "true":
        if _has_origin(root):
            head = _git(root, "rev-parse", "HEAD")
            for step in DEEPEN_STEPS:
                if not _fetch(root, f"--deepen={step}", "origin", head):  # a server refusing a commit id
                    _fetch(root, f"--deepen={step}", "origin")
                found = _try_git(root, "merge-base", "HEAD", branch)
                if found:
                    return found
            _fetch(root, "--unshallow", "origin", head) or _fetch(root, "--unshallow", "origin")
            found = _try_git(root, "merge-base", "HEAD", branch)
            if found:
                return found
        raise SetupError(f"找不到 HEAD 与 {branch} 的合并基点：{FULL_HISTORY}")
    raise SetupError(f"HEAD 与 {branch} 没有共同的历史，未作比较。请指定要比较的版本：proposal-docs diff REV")


def resolve_base(root: Path, revision: str | None, branch: str | None = None) -> Base:
    """REV as given (its full name in headers), else the merge base of HEAD with branch (a pull
    request's target), else with the main branch."""
    if revision is not None:
        commit = _resolve(root, revision)
        if commit is None:
            raise SetupError(f"找不到版本“{revision}”（git rev-parse 失败），未作比较。"
                             "请检查名称；浅克隆中的版本可能需要先取得完整历史（fetch-depth: 0）")
        return Base(commit, revision)
    if branch is None:
        branch = _base_branch(root)
    elif _resolve(root, branch) is None:
        raise SetupError(f"找不到分支“{branch}”，未作比较。请检查名称（如 origin/main）")
    commit = _merge_base(root, branch)
    return Base(commit, f"{branch}（合并基点 {commit[:12]}）")


def _build_into(root: Path, jobs: int) -> Path:
    warm = Warm()
    repo = load_for_build(root, warm)
    if repo.errors:
        first = repo.errors[0]
        raise SetupError(f"{root} 中有 {len(repo.errors)} 个错误，无法生成文书，如 {first.as_text()}")
    build(repo, jobs=jobs, warm=warm)
    return root / BUILD_DIR


def _texts(build_dir: Path, paths: set[str]) -> dict[str, str]:
    return {p: document_text(build_dir / p) for p in paths if (build_dir / p).is_file()}


def diff_documents(root: Path, base: Base, jobs: int = 1) -> list[DocumentDiff]:
    top = Path(_git(root, "rev-parse", "--show-toplevel"))
    inside = root.resolve().relative_to(top.resolve())
    commit = base.commit
    new_build = _build_into(root, jobs)
    with tempfile.TemporaryDirectory(prefix="proposal-docs-diff-") as tmp:
        worktree = Path(tmp) / "rev"
        _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
        try:
            old_root = worktree / inside
            links = links_below(old_root / BUILD_DIR)
            if links:  # REV may be anyone's commit: the cache would be copied, and its build written, where they lead
                raise SetupError(f"{base.label} 中提交了链接 {BUILD_DIR}/{'' if links[0] == '.' else links[0]}，"
                                 f"构建它会顺着链接写入别处的文件，未作比较。{BUILD_DIR}/ 中的文件都由本工具生成，"
                                 "不应提交；请从该版本中删除它们")
            if (new_build / ".cache").is_dir():  # parse and template caches are keyed by content
                shutil.copytree(new_build / ".cache", old_root / BUILD_DIR / ".cache", dirs_exist_ok=True)
            old_build = _build_into(old_root, jobs)
            old, new = read_manifest(old_build), read_manifest(new_build)
            changed = {p for p in set(old) | set(new) if old.get(p, {}).get("hash") != new.get(p, {}).get("hash")}
            before, after = _texts(old_build, changed), _texts(new_build, changed)
        finally:
            _git(top, "worktree", "remove", "--force", str(worktree))
    diffs = []
    for path in sorted(changed):
        a, b = before.get(path, ""), after.get(path, "")
        if a == b:
            continue  # bytes differ (e.g. a style) but the text reads the same
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"{base.label}/{path}", f"工作区/{path}",
                                          lineterm=""))
        diffs.append(DocumentDiff(path, lines))
    return diffs


def as_text(diffs: list[DocumentDiff], base: Base) -> str:
    if not diffs:
        return f"文书没有变化（已比较 {base.label} 与工作区）。\n"
    return "".join(f"=== {d.path} ===\n" + "\n".join(d.lines) + "\n\n" for d in diffs)


def fence_for(lines: list[str]) -> str:
    """A code fence no line can close: longer than any run of backticks or tildes in the content."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+|~+", line)), default=0)
    return "`" * max(3, longest + 1)


def as_markdown(diffs: list[DocumentDiff], base: Base, max_chars: int | None = None) -> str:
    """One section per document in a collapsed block. max_chars: stop before the text grows past it
    (a pull-request comment holds 65,536 characters) and say how many documents were left out."""
    if not diffs:
        return f"### 文书变化\n\n与 {html.escape(base.label)} 相比，文书没有变化。\n"
    parts = [f"### 文书变化（{len(diffs)} 个，与 {html.escape(base.label)} 相比）\n"]
    size = len(parts[0])
    for shown, d in enumerate(diffs):
        fence = fence_for(d.lines)
        part = (f"<details><summary>{html.escape(d.path)}</summary>\n\n{fence}diff\n" + "\n".join(d.lines)
                + f"\n{fence}\n</details>\n")
        if max_chars is not None and size + len(part) + 200 > max_chars:
            parts.append(f"另有 {len(diffs) - shown} 个文书的变化超出评论长度，未列出；完整差异见本次运行的构件。\n")
            break
        parts.append(part)
        size += len(part) + 1
    return "\n".join(parts)
