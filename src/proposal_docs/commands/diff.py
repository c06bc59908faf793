"""`proposal-docs diff [REV]`: what the documents will say differently, for a pull-request review.

Builds the documents of REV (its own cases and templates, checked out in a temporary git worktree,
reusing this repository's parse and template caches) and of the working tree, then prints a
unified diff of the text of each document whose bytes differ. Builds are deterministic, so equal
bytes mean equal documents and only changed documents are read back.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..engine.manifest import read_manifest
from .build import Warm, build, load_for_build
from ..model.layout import BUILD_DIR, SetupError
from ..render.text import document_text


@dataclass(frozen=True)
class DocumentDiff:
    path: str
    lines: list[str]


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError(f"git {' '.join(args)} 失败：{result.stderr.strip()}")
    return result.stdout.strip()


def default_revision(root: Path) -> str:
    """The merge base with the main branch, else HEAD."""
    for branch in ("origin/main", "main", "origin/master", "master"):
        result = subprocess.run(["git", "merge-base", "HEAD", branch], cwd=root, capture_output=True, text=True)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return "HEAD"


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


def diff_documents(root: Path, revision: str, jobs: int = 1) -> list[DocumentDiff]:
    top = Path(_git(root, "rev-parse", "--show-toplevel"))
    inside = root.resolve().relative_to(top.resolve())
    commit = _git(root, "rev-parse", "--verify", f"{revision}^{{commit}}")
    new_build = _build_into(root, jobs)
    with tempfile.TemporaryDirectory(prefix="proposal-docs-diff-") as tmp:
        worktree = Path(tmp) / "rev"
        _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), commit)
        try:
            old_root = worktree / inside
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
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), f"{revision[:12]}/{path}", f"工作区/{path}",
                                          lineterm=""))
        diffs.append(DocumentDiff(path, lines))
    return diffs


def as_text(diffs: list[DocumentDiff]) -> str:
    if not diffs:
        return "文书没有变化。\n"
    return "".join(f"=== {d.path} ===\n" + "\n".join(d.lines) + "\n\n" for d in diffs)


def as_markdown(diffs: list[DocumentDiff]) -> str:
    if not diffs:
        return ""
    parts = [f"### 文书变化（{len(diffs)} 个）\n"]
    for d in diffs:
        parts.append(f"<details><summary>{d.path}</summary>\n\n```diff\n" + "\n".join(d.lines) + "\n```\n</details>\n")
    return "\n".join(parts)
