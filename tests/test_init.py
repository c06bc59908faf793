"""`proposal-docs init`: a new bureau's repository that checks, builds and diffs documents at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from conftest import PACKAGED_TEMPLATES, PROJECT_ROOT, run
from proposal_docs.cli import main
from proposal_docs.render.text import document_text

NAME, SHORT = "测试市科技和经济信息化局", "市科经局"


def init(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, ["init", *args], input=input, env={"PROPOSAL_DOCS_TODAY": "2025-03-01"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def git(root, *args, env=None):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_makes_a_repository_that_checks_and_builds(tmp_path):
    target = tmp_path / "科经局文书"
    result = init(str(target), "--name", NAME, "--short-name", SHORT)
    assert result.exit_code == 0, result.output
    for rel in ("proposal-docs.yaml", "cases/2025/year.yaml", ".gitignore", ".gitattributes", "requirements.txt",
                ".pre-commit-config.yaml", ".github/workflows/proposals.yml", ".github/workflows/reminders.yml",
                "schema/case.schema.json", "schema/year.schema.json", "schema/project.schema.json"):
        assert (target / rel).is_file(), rel
        assert f"已写入 {rel}" in result.output
    assert not (target / "templates").exists()  # the packaged templates serve until the bureau wants its own
    project = (target / "proposal-docs.yaml").read_text(encoding="utf-8")
    assert f'name: "{NAME}"' in project and 'reply: "科经提〔{year}〕{seq}号"' in project
    assert "build/" in (target / ".gitignore").read_text(encoding="utf-8")
    assert "*.docx diff=docx" in (target / ".gitattributes").read_text(encoding="utf-8")
    for rel, kind, up in (("proposal-docs.yaml", "project", ""), ("cases/2025/year.yaml", "year", "../../")):
        head = (target / rel).read_text(encoding="utf-8").splitlines()[:2]
        assert head == [f"# yaml-language-server: $schema={up}schema/{kind}.schema.json",
                        f"# $schema: {up}schema/{kind}.schema.json"]
    # the workflows are the ones this repository runs
    for name in ("proposals.yml", "reminders.yml"):
        assert (target / ".github/workflows" / name).read_bytes() == (PROJECT_ROOT / ".github/workflows" / name).read_bytes()
    assert git(target, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip() in ("main", "HEAD")
    assert git(target, "symbolic-ref", "HEAD").stdout.strip() == "refs/heads/main"

    checked = run(target, "check")
    assert checked.exit_code == 0 and "没有发现问题" in checked.output
    built = run(target, "build")
    assert built.exit_code == 0, built.stderr
    assert (target / "build/site/index.html").is_file()


def test_a_new_repository_builds_letters_with_the_packaged_templates(tmp_path):
    target = tmp_path / "repo"
    assert init(str(target), "--name", NAME, "--short-name", SHORT).exit_code == 0
    year = target / "cases/2025/year.yaml"
    year.write_text(year.read_text(encoding="utf-8").replace("\nsessions: {}", "\nsessions:\n  cppcc-14-1: {body: cppcc, name: 市政协十四届一次会议}"),
                    encoding="utf-8")
    assert run(target, "new", "--session", "cppcc-14-1", "--title", "关于发展茶产业的建议", "--proposer", "张三",
               "--assigned", "2025-02-20").exit_code == 0
    case = target / "cases/2025/p001.yaml"
    text = case.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/case.schema.json\n"
                           "# $schema: ../../schema/case.schema.json\n")
    case.write_text(text + "reply:\n  date: 2025-03-01\n  category: A\n  disclosure: public\n  signer: 王五\n"
                    "  body: |\n    我局高度重视。\n", encoding="utf-8")
    assert run(target, "check", "--today", "2025-03-01").exit_code == 0
    result = run(target, "build", "--no-site")
    assert result.exit_code == 0, result.stderr + result.output
    (letter,) = (target / "build/2025/答复函").glob("*.docx")
    assert "我局高度重视。" in document_text(letter) and "张三委员：" in document_text(letter)


def test_init_asks_for_the_names_when_not_given(tmp_path):
    target = tmp_path / "repo"
    result = init(str(target), input=f"{NAME}\n{SHORT}\n")
    assert result.exit_code == 0, result.output
    assert "本单位全称" in result.output and "本单位简称" in result.output
    assert f'short_name: "{SHORT}"' in (target / "proposal-docs.yaml").read_text(encoding="utf-8")


def test_init_on_an_existing_repository_exits_1_and_changes_nothing(example):
    git(example, "init", "-q")
    git(example, "config", "diff.docx.textconv", "something-else")
    before = snapshot(example)
    result = init(str(example), "--name", NAME, "--short-name", SHORT)
    assert result.exit_code == 1 and "已经是文档仓库" in result.output and "未做任何改动" in result.output
    assert snapshot(example) == before


def test_init_never_overwrites_a_file_and_writes_nothing_then(tmp_path):
    target = tmp_path / "clone"
    target.mkdir()
    assert git(target, "init", "-q").returncode == 0
    (target / "README.md").write_text("本局文书\n", encoding="utf-8")
    (target / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    before = snapshot(target)
    result = init(str(target), "--name", NAME, "--short-name", SHORT)
    assert result.exit_code == 1 and ".gitignore" in result.output and "未做任何改动" in result.output
    assert snapshot(target) == before and not (target / "proposal-docs.yaml").exists()


def test_init_in_an_empty_clone_keeps_its_git_repository(tmp_path):
    target = tmp_path / "clone"
    target.mkdir()
    assert git(target, "init", "-q", "-b", "trunk").returncode == 0
    (target / "README.md").write_text("本局文书\n", encoding="utf-8")
    result = init(str(target), "--name", NAME, "--short-name", SHORT)
    assert result.exit_code == 0, result.output
    assert "已创建 git 仓库" not in result.output
    assert git(target, "symbolic-ref", "HEAD").stdout.strip() == "refs/heads/trunk"
    assert (target / "README.md").read_text(encoding="utf-8") == "本局文书\n"


def test_bad_names_are_refused_before_writing(tmp_path):
    target = tmp_path / "repo"
    result = init(str(target), "--name", "  ", "--short-name", SHORT)
    assert result.exit_code == 1 and "单位全称不能为空" in result.output
    assert not target.exists()


def test_templates_are_copied_for_editing_and_then_used(tmp_path):
    target = tmp_path / "repo"
    result = init(str(target), "--name", NAME, "--short-name", SHORT, "--templates")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in PACKAGED_TEMPLATES.glob("*.docx"))
    assert sorted(p.name for p in (target / "templates").glob("*.docx")) == names
    (target / "templates/summary.docx").unlink()
    doc = Document(target / "templates/reply.docx")
    doc.add_paragraph("（本局修改过的模板）")
    doc.save(target / "templates/reply.docx")
    edited = (target / "templates/reply.docx").read_bytes()
    again = init(str(target), "--templates")  # an existing repository: only the missing template comes back
    assert again.exit_code == 0, again.output
    assert "已写入 templates/summary.docx" in again.output and "已有 templates/reply.docx，未覆盖" in again.output
    assert (target / "templates/reply.docx").read_bytes() == edited


def test_git_diff_reads_documents_without_an_activated_environment(tmp_path):
    """textconv is configured with this interpreter's absolute path: git finds it with a bare PATH."""
    target = tmp_path / "repo"
    assert init(str(target), "--name", NAME, "--short-name", SHORT, "--templates").exit_code == 0
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "a@example.org"}
    assert subprocess.run(["sh", "-c", "command -v proposal-docs"], env=env, capture_output=True).returncode != 0
    assert git(target, "add", "-A", env=env).returncode == 0
    assert git(target, "commit", "-q", "-m", "init", env=env).returncode == 0
    doc = Document(target / "templates/reply.docx")
    doc.add_paragraph("此件依申请公开")
    doc.save(target / "templates/reply.docx")
    diff = git(target, "diff", "--", "templates/reply.docx", env=env)
    assert diff.returncode == 0, diff.stderr
    assert "+此件依申请公开" in diff.stdout


def test_python_m_proposal_docs_runs_the_command_line():
    result = subprocess.run([sys.executable, "-m", "proposal_docs", "--version"], capture_output=True, text=True,
                            env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.startswith("proposal-docs ")


def test_the_readmes_powershell_commands_exist():
    """Every `.venv\\Scripts\\proposal-docs …` line of the README names a real command and options."""
    import re

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```powershell\n(.*?)```", readme, flags=re.S)
    assert blocks and all("make" not in block and ".venv/bin" not in block for block in blocks)
    lines = [line.split("#")[0].split() for block in blocks for line in block.splitlines()]
    used = [words[1:] for words in lines if words and words[0] == ".venv\\Scripts\\proposal-docs"]
    assert len(used) >= 6 and ["init", "--name"] in [words[:2] for words in used]
    for words in used:
        command = main.commands[words[0]]
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert all(w in known for w in words[1:] if w.startswith("--")), words
    assert any(words[:3] == ["py", "-m", "venv"] for words in lines)


def test_init_writes_nothing_through_a_folder_linked_outside(example, tmp_path):
    """templates/ or .github/ may have come with someone else's commit: init must not write where it leads."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (example / "templates").symlink_to(outside, target_is_directory=True)
    result = init("--templates", str(example))
    assert result.exit_code == 1 and f"templates/ 是指向仓库外（{outside}）的链接" in result.output
    assert list(outside.iterdir()) == []
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".github").symlink_to(outside, target_is_directory=True)
    result = init(str(clone), "--name", NAME, "--short-name", SHORT)
    assert result.exit_code == 1 and f".github/ 是指向仓库外（{outside}）的链接" in result.output
    assert list(outside.iterdir()) == [] and sorted(p.name for p in clone.iterdir()) == [".github"]


def test_init_templates_keeps_a_link_that_leads_nowhere(example, tmp_path):
    (example / "templates").mkdir()
    (example / "templates" / "reply.docx").symlink_to(tmp_path / "missing.docx")
    result = init("--templates", str(example))
    assert result.exit_code == 0, result.output
    assert "已有 templates/reply.docx" in result.output and (example / "templates" / "reply.docx").is_symlink()
    assert (example / "templates" / "summary.docx").is_file()
