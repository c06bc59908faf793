"""Review helpers: document diffs between git revisions and textconv for `git diff`."""

import subprocess

import pytest

from conftest import edit, run


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo_in_git(example):
    git(example, "init", "-q", "-b", "main")
    git(example, "config", "user.email", "clerk@example.org")
    git(example, "config", "user.name", "办公室")
    (example / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(example, "add", "-A")
    git(example, "commit", "-q", "-m", "2024 年案件")
    return example


def test_diff_shows_only_changed_documents(repo_in_git):
    root = repo_in_git
    edit(root / "cases/2024/p063.yaml", "对符合条件的技改项目给予奖补", "对符合条件的技改项目给予不超过200万元的奖补")
    result = run(root, "diff", "HEAD")
    assert result.exit_code == 0, result.output + result.stderr
    headers = [line for line in result.output.splitlines() if line.startswith("=== ")]
    assert headers == ["=== 2024/会办意见/提案第063号-关于培育壮大茶产业龙头企业的建议.docx ==="]
    assert "-我局支持茶叶加工企业申报“专精特新”中小企业，对符合条件的技改项目给予奖补。" in result.output
    assert "+我局支持茶叶加工企业申报“专精特新”中小企业，对符合条件的技改项目给予不超过200万元的奖补。" in result.output
    assert not list(root.parent.glob("proposal-docs-diff-*"))
    assert "rev" not in git(root, "worktree", "list")


def test_diff_default_revision_is_the_merge_base_and_markdown(repo_in_git):
    root = repo_in_git
    git(root, "checkout", "-q", "-b", "feature")
    edit(root / "cases/2024/p009.yaml", "category: C", "category: B")
    git(root, "commit", "-q", "-am", "调整类别")
    result = run(root, "diff", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("### 文书变化")
    assert "<summary>2024/办理工作总结-政协提案.docx</summary>" in result.output
    assert "```diff" in result.output


def test_no_change_says_so_and_what_was_compared(repo_in_git):
    assert run(repo_in_git, "diff", "HEAD").output == "文书没有变化（已比较 HEAD 与工作区）。\n"
    # markdown says it too: the pull request's one comment must not keep an earlier diff
    assert run(repo_in_git, "diff", "HEAD", "--format", "markdown").output == "### 文书变化\n\n与 HEAD 相比，文书没有变化。\n"


def test_unknown_revision_is_a_clear_error(repo_in_git):
    result = run(repo_in_git, "diff", "no-such-branch")
    assert result.exit_code == 2 and "找不到版本“no-such-branch”" in result.stderr


def test_textconv_prints_the_text(example, tmp_path):
    run(example, "build", "--no-site")
    letter = next((example / "build/2024/答复函").glob("提案第007号*"))
    result = run(example, "textconv", str(letter))
    assert result.exit_code == 0 and "聂银峰委员：" in result.output
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"not a zip")
    result = run(example, "textconv", str(bad))
    assert result.exit_code == 2 and "不是可读取的 .docx" in result.stderr


def test_serve_rebuilds_on_change(example):
    import time
    import urllib.request

    from conftest import serving

    def page() -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/2024/index.html", timeout=5) as response:
            return response.read().decode("utf-8")

    def wait_until(condition) -> bool:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if condition():
                    return True
            except OSError:
                pass
            time.sleep(0.3)
        return False

    def wait_for(text: str) -> bool:
        return wait_until(lambda: text in page())

    def builds() -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/.livereload", timeout=5) as response:
            return int(response.read())

    with serving(example) as port:
        assert wait_for("尽快建设绿色环保家具产业园")
        assert "/.livereload" in page()  # served pages ask for the build number, to reload by themselves
        assert "/.livereload" not in (example / "build/site/2024/index.html").read_text("utf-8")  # not on disk
        before = builds()
        edit(example / "cases/2024/p057.yaml", "title: 关于加强工业园区用电保障的建议", "title: 关于保障园区用电的建议")
        assert wait_for("关于保障园区用电的建议")
        # the site's pages are written during the rebuild; it is counted once it has finished
        assert wait_until(lambda: builds() > before)
