"""What lies under cases/ and templates/ besides plain case files: each kind is read or refused with
a Chinese message naming it, never left out without a word (docs/DESIGN.md, "What cases/ may hold").

Unreadable files are made with chmod; a test run as root (whom permissions do not stop) also has
the operating system's answer for those paths imitated, so the tests mean the same for everyone.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest

from conftest import edit, own_template, run
from proposal_docs.model.loading import LoadError, read_bytes
from proposal_docs.render.text import document_text


def outputs(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "build").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (root / "build").rglob("*.docx")}


def said(result) -> str:
    text = result.output + result.stderr
    assert "Traceback" not in text and "内部错误" not in text, text[-800:]
    return text


@pytest.fixture
def deny(monkeypatch):
    """deny(path): chmod 000, and for root the EACCES that everyone else gets."""
    files: set[str] = set()
    folders: set[str] = set()
    made: list[tuple[Path, int]] = []

    def refused(path, *, inside_only=False) -> bool:
        if isinstance(path, int) or path is None:
            return False
        real = os.path.realpath(os.fsdecode(path))
        if any(real.startswith(folder + os.sep) for folder in folders):
            return True
        return not inside_only and (real in files or real in folders)

    def error(path):
        return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    def guard(original, inside_only=False):
        def guarded(path, *args, **kwargs):
            if kwargs.get("dir_fd") is None and refused(path, inside_only=inside_only):
                raise error(path)
            return original(path, *args, **kwargs)
        return guarded

    if os.geteuid() == 0:
        for name in ("scandir", "listdir", "open"):
            monkeypatch.setattr(os, name, guard(getattr(os, name)))
        monkeypatch.setattr(os, "stat", guard(os.stat, inside_only=True))
        monkeypatch.setattr(io, "open", guard(io.open))
        monkeypatch.setattr(builtins, "open", guard(builtins.open))

    def make(path: Path) -> None:
        (folders if path.is_dir() else files).add(os.path.realpath(path))
        made.append((path, path.stat().st_mode))
        path.chmod(0)

    yield make
    for path, mode in reversed(made):
        path.chmod(mode)


def test_an_unreadable_case_fails_build_too(example, deny):
    """check said so, build said 输入均未改动 and exited 0: a chmod changes the ctime, which the stamp records."""
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = outputs(example)
    deny(example / "cases/2024/p009.yaml")
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        text = said(result)
        assert result.exit_code == 1, text
        assert "cases/2024/p009.yaml 无法读取文件（没有读取权限）" in text
        assert "输入均未改动" not in text
    assert outputs(example) == earlier


def test_an_unreadable_year_folder_is_named_and_nothing_else_said(example, deny):
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = outputs(example)
    deny(example / "cases/2024")
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"], ["status"]):
        text = said(result := run(example, *command))
        assert result.exit_code == (0 if command == ["status"] else 1), text
        if command != ["status"]:
            assert "cases/2024/ 无法读取目录（没有读取权限），其中的文件均未读取" in text
            assert "缺少年度文件" not in text  # the year file is there: the folder cannot be opened
    assert outputs(example) == earlier


@pytest.mark.parametrize("what", ["templates", "templates/reply.docx"])
def test_an_unreadable_template_or_templates_folder(example, deny, what):
    """Never the packaged template silently in its place: the repository's own cannot be read."""
    own_template(example, "reply")
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = outputs(example)
    deny(example / what)
    result = run(example, "check", "--today", "2024-12-31")
    assert result.exit_code == 1 and "templates/reply.docx 无法读取模板文件（没有读取权限）" in said(result)
    result = run(example, "build", "--no-site")
    text = said(result)
    assert result.exit_code == 2, text
    assert "错误：无法读取" in text and "templates/" in text and "（没有读取权限）" in text and "输入均未改动" not in text
    assert outputs(example) == earlier


@pytest.mark.parametrize("how", ["cp -p", "touch -r"])
def test_an_edit_that_keeps_size_and_mtime_is_built(example, how):
    """Same size, same modification time, different text: the change time and inode tell."""
    path = example / "cases/2024/p009.yaml"
    assert run(example, "build", "--no-site").exit_code == 0
    stat = path.stat()
    text = path.read_text("utf-8")
    assert "约120家" in text
    changed = example.parent / "p009.yaml"
    changed.write_text(text.replace("约120家", "约210家"), "utf-8")
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    if how == "cp -p":
        shutil.copy2(changed, path)
    else:
        path.write_text(changed.read_text("utf-8"), "utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0 and "输入均未改动" not in result.output
    letters = list((example / "build/2024/答复函").glob("提案第009号*.docx"))
    assert letters and all("约210家" in document_text(p) for p in letters)


def test_an_output_replaced_with_the_same_size_and_mtime_is_repaired(example):
    assert run(example, "build", "--no-site").exit_code == 0
    before = outputs(example)
    letter = next((example / "build/2024/答复函").glob("提案第009号*.docx"))
    stat = letter.stat()
    forged = example.parent / "forged.docx"
    forged.write_bytes(bytes(stat.st_size))
    os.utime(forged, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    letter.unlink()
    shutil.copy2(forged, letter)
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0 and "生成 1 个文件" in result.output
    assert outputs(example) == before


def test_a_hidden_case_file_is_not_read_and_check_says_so(example):
    shutil.copy2(example / "cases/2024/p009.yaml", example / "cases/2024/.p505.yaml")
    edit(example / "cases/2024/.p505.yaml", "number: 9", "number: 505")
    result = run(example, "check", "--today", "2024-12-31")
    assert result.exit_code == 0
    assert "cases/2024/.p505.yaml 以“.”开头的隐藏文件不作为案件读取" in said(result)
    assert "（警告）" in result.output
    assert run(example, "build", "--no-site").exit_code == 0
    assert not list((example / "build").rglob("*第505号*"))


def test_a_link_inside_the_repository_is_read(example):
    """A symbolic link to a file in the repository is read like the file (git keeps such links)."""
    (example / "shared").mkdir()
    shutil.move(example / "cases/2024/p009.yaml", example / "shared/p009.yaml")
    (example / "cases/2024/p009.yaml").symlink_to(example / "shared/p009.yaml")
    result = run(example, "check", "--today", "2024-12-31")
    assert result.exit_code == 0, said(result)
    assert run(example, "build", "--no-site").exit_code == 0
    assert list((example / "build/2024/答复函").glob("提案第009号*.docx"))


def test_a_fullwidth_year_folder_deletes_nothing(example):
    """cases/２０２４/ with a year.yaml was taken for 2024: the real cases were left out and the next
    build deleted their documents."""
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = outputs(example)
    (example / "cases/２０２４").mkdir()
    shutil.copy2(example / "cases/2024/year.yaml", example / "cases/２０２４/year.yaml")
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        assert result.exit_code == 1 and "cases/２０２４/ 年度目录名应为四位半角数字" in said(result)
    assert outputs(example) == earlier
    shutil.rmtree(example / "cases/２０２４")
    (example / "cases/notes").mkdir()  # a folder without YAML is nobody's business
    (example / "cases/notes/readme.txt").write_text("说明", "utf-8")
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0


def test_a_year_folder_linked_outside_the_repository_is_refused(example):
    outside = example.parent / "elsewhere"
    shutil.copytree(example / "cases/2024", outside)
    (outside / "year.yaml").write_text((outside / "year.yaml").read_text("utf-8").replace("year: 2024", "year: 2023"),
                                       "utf-8")
    (example / "cases/2023").symlink_to(outside)
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        assert result.exit_code == 1 and "cases/2023/ 是指向仓库外" in said(result)
    assert not (example / "build" / "2023").exists()


def test_a_year_file_or_cases_folder_linked_outside_the_repository_is_refused(example):
    """As a case file's link: a pull request's year.yaml → /dev/zero would read without end, one to a
    file of the clerk's would have it read into the documents; cases/ itself the same for every file."""
    elsewhere = example.parent / "elsewhere"
    shutil.copytree(example / "cases", elsewhere)
    year_file = example / "cases/2024/year.yaml"
    for target in ("/dev/zero", elsewhere / "2024/year.yaml"):
        year_file.unlink()
        year_file.symlink_to(target)
        for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
            result = run(example, *command)
            assert result.exit_code == 1 and f"cases/2024/year.yaml 是指向仓库外（{target}）的链接" in said(result)
    shutil.rmtree(example / "cases")
    (example / "cases").symlink_to(elsewhere)
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        assert result.exit_code == 1 and f"cases/ 是指向仓库外（{elsewhere}）的链接" in said(result)
    assert not (example / "build" / "2024").exists()


def test_a_file_that_reports_no_size_is_read_only_up_to_the_limit():
    with pytest.raises(LoadError) as caught:
        read_bytes("/dev/zero", "cases/2024/year.yaml")
    assert caught.value.finding.code == "too-large"


def test_a_project_file_linked_outside_the_repository_is_refused(example):
    """proposal-docs.yaml from a pull request as a link to a file of the clerk's: not read, exit 2."""
    elsewhere = example.parent / "elsewhere.yaml"
    shutil.copy(example / "proposal-docs.yaml", elsewhere)
    (example / "proposal-docs.yaml").unlink()
    (example / "proposal-docs.yaml").symlink_to(elsewhere)
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        assert result.exit_code == 2 and f"proposal-docs.yaml 是指向仓库外（{elsewhere}）的链接" in said(result)
    assert not (example / "build" / "2024").exists()
