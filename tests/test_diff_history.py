"""`diff` against real git histories: shallow clones, a default branch named trunk, full ref names,
and a markdown fence that case text cannot close."""

from __future__ import annotations

import subprocess

from hypothesis import given, strategies as st
from markdown_it import MarkdownIt

from conftest import edit, run
from proposal_docs.commands.diff import Base, DocumentDiff, as_markdown, fence_for

CHANGE = ("对符合条件的技改项目给予奖补", "对符合条件的技改项目给予不超过200万元的奖补")
LETTER = "2024/会办意见/提案第063号-关于培育壮大茶产业龙头企业的建议.docx"


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def committed(root, message):
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def origin_with_trunk(example):
    """The example as a bureau's repository whose default branch is trunk, with a feature branch that
    changes one letter, and trunk moved on after it (a change the feature must not be charged with)."""
    git(example, "init", "-q", "-b", "trunk")
    git(example, "config", "user.email", "clerk@example.org")
    git(example, "config", "user.name", "办公室")
    (example / ".gitignore").write_text("build/\n", encoding="utf-8")
    committed(example, "2024 年案件")
    git(example, "checkout", "-q", "-b", "feature")
    edit(example / "cases/2024/p063.yaml", *CHANGE)
    committed(example, "补充奖补金额")
    git(example, "checkout", "-q", "trunk")
    edit(example / "cases/2024/p009.yaml", "category: C", "category: B")
    committed(example, "调整类别")
    return example


def test_shallow_clone_of_a_trunk_repository_compares_with_the_merge_base(example, tmp_path):
    origin = origin_with_trunk(example)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    result = run(clone, "diff")
    assert result.exit_code == 0, result.stderr
    headers = [line for line in result.output.splitlines() if line.startswith("=== ")]
    assert headers == [f"=== {LETTER} ==="]  # the feature's change only: trunk's later 类别 is not ours
    base = git(origin, "merge-base", "trunk", "feature")
    assert f"--- origin/trunk（合并基点 {base[:12]}）/{LETTER}" in result.output
    assert f"+++ 工作区/{LETTER}" in result.output
    assert "不超过200万元" in result.output


def test_explicit_revision_keeps_its_full_name_and_is_fetched_when_missing(example, tmp_path):
    origin = origin_with_trunk(example)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "+refs/heads/feature:refs/remotes/origin/feature-copy")
    result = run(clone, "diff", "origin/trunk")  # not in a one-branch clone until fetched
    assert result.exit_code == 0, result.stderr
    assert "--- origin/trunk/2024/办理工作总结-政协提案.docx" in result.output  # trunk's 类别 reads reversed
    assert "--- origin/maste" not in result.output


def test_shallow_clone_that_cannot_fetch_exits_2_and_says_how_to_check_out(example, tmp_path):
    origin = origin_with_trunk(example)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "+refs/heads/trunk:refs/remotes/origin/trunk")
    git(clone, "remote", "set-url", "origin", (tmp_path / "gone").as_uri())  # the forge is unreachable
    result = run(clone, "diff")
    assert result.exit_code == 2
    assert "fetch-depth: 0" in result.stderr and "未作比较" in result.stderr
    assert "文书没有变化" not in result.output
    assert not (clone / "build").exists()  # nothing was built: it stopped before comparing


def test_no_main_branch_at_all_exits_2(example):
    git(example, "init", "-q", "-b", "develop")
    git(example, "config", "user.email", "clerk@example.org")
    git(example, "config", "user.name", "办公室")
    committed(example, "2024 年案件")
    result = run(example, "diff")
    assert result.exit_code == 2 and "找不到主分支" in result.stderr and "文书没有变化" not in result.output


def test_local_trunk_is_the_base_without_a_remote(example):
    origin_with_trunk(example)
    git(example, "checkout", "-q", "feature")
    result = run(example, "diff", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("### 文书变化（1 个，与 trunk（合并基点 ")


def test_a_fence_in_case_text_stays_inside_the_code_block(example):
    git(example, "init", "-q", "-b", "main")
    git(example, "config", "user.email", "clerk@example.org")
    git(example, "config", "user.name", "办公室")
    (example / ".gitignore").write_text("build/\n", encoding="utf-8")
    # committed text with a fence line: in the diff it is a context line " ```", which closes ```
    edit(example / "cases/2024/p063.yaml", CHANGE[0],
         CHANGE[0] + "。\n\n    ```\n\n    ![图](https://example.org/x.png) <img src=x> @someone\n\n    ~~~~")
    committed(example, "2024 年案件")
    edit(example / "cases/2024/p063.yaml", *CHANGE)
    result = run(example, "diff", "HEAD", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "\n ```\n" in result.output and "\n ![图]" in result.output  # context lines
    assert "\n`````diff\n" in result.output  # longer than the four tildes
    tokens = MarkdownIt("commonmark").parse(result.output)
    assert not [t for t in tokens if t.type == "inline" and any(c.type == "image" for c in t.children or [])]
    (block,) = [t for t in tokens if t.type == "fence"]
    assert "![图](https://example.org/x.png)" in block.content and "<img src=x>" in block.content


def test_a_size_cap_counts_what_it_leaves_out():
    diffs = [DocumentDiff(f"2024/答复函/第{n}号.docx", ["-旧" * 300, "+新" * 300]) for n in range(100)]
    text = as_markdown(diffs, Base("0" * 40, "origin/main"), max_chars=60_000)
    assert len(text) <= 60_000
    shown = text.count("<details>")
    assert 0 < shown < 100 and f"另有 {100 - shown} 个文书的变化超出评论长度" in text


@given(st.lists(st.text(alphabet="`~ a\n", max_size=40), max_size=8))
def test_no_content_line_can_close_the_fence(lines):
    fence = fence_for(lines)
    rendered = as_markdown([DocumentDiff("a.docx", lines)], Base("0" * 40, "HEAD"))
    (block,) = [t for t in MarkdownIt("commonmark").parse(rendered) if t.type == "fence"]
    assert block.markup == fence and block.content == "\n".join(lines) + "\n"


def test_base_option_names_the_pull_requests_target(example, tmp_path):
    origin = origin_with_trunk(example)
    git(origin, "branch", "release", "trunk~1")  # a target that is not the default branch
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(clone))
    result = run(clone, "diff", "--base", "origin/release", "--save", str(tmp_path / "full.txt"))
    assert result.exit_code == 0, result.stderr
    assert "--- origin/release（合并基点 " in result.output
    assert (tmp_path / "full.txt").read_text(encoding="utf-8") == result.output
    assert run(clone, "diff", "HEAD", "--base", "origin/release").exit_code == 2
    missing = run(clone, "diff", "--base", "origin/nope")
    assert missing.exit_code == 2 and "找不到分支“origin/nope”" in missing.stderr


def test_a_revision_with_a_link_in_build_is_not_built(example, tmp_path):
    """diff REV checks REV out and copies this repository's caches into its build/: a link REV
    committed there (build/.cache → a folder of the clerk's) must not have them written where it leads."""
    outside = tmp_path / "outside"
    outside.mkdir()
    git(example, "init", "-q", "-b", "main")
    git(example, "config", "user.email", "clerk@example.org")
    git(example, "config", "user.name", "办公室")
    committed(example, "2024 年案件")
    git(example, "checkout", "-q", "-b", "evil")
    (example / "build").mkdir()
    (example / "build" / ".cache").symlink_to(outside, target_is_directory=True)
    git(example, "add", "-f", "build/.cache")
    git(example, "commit", "-q", "-m", "a link in build/")
    git(example, "checkout", "-q", "main")  # takes the link away again
    assert run(example, "build", "--no-site").exit_code == 0  # this repository's caches, to be copied
    result = run(example, "diff", "evil")
    assert result.exit_code == 2, result.output
    assert "evil 中提交了链接 build/.cache" in result.stderr
    assert list(outside.iterdir()) == []
