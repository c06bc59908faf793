"""The entry point answers an up-to-date `build` alone, and only when the full path would agree."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import edit, run
from proposal_docs.launcher import as_argv, parse_plain_build
from proposal_docs.stamp import forget, snapshot_inputs, up_to_date

HEAVY_MODULES = ("click", "rich", "pydantic", "yaml", "docx", "docxtpl", "jinja2")


def launch(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`proposal-docs --root ROOT ARGS…` through the console script's entry point, in a new process."""
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "proposal_docs", "--root", str(root), *args],
                          capture_output=True, text=True, env=dict(os.environ, **(env or {})))


def imported(stderr: str) -> set[str]:
    return {line.split("|")[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


PLAIN = dict(root=None, quiet=False, verbose=0, debug=False, site=True, today=None, jobs=None, force=False)


@pytest.mark.parametrize("argv, expected", [
    (["build"], {}),
    (["--root", "r", "-q", "build", "--no-site"], dict(root="r", quiet=True, site=False)),
    (["--root=r", "-v", "-v", "--debug", "build", "-j2", "--today", "2024-12-31"],
     dict(root="r", verbose=2, debug=True, jobs=2, today=dt.date(2024, 12, 31))),
    (["build", "--jobs=4", "--no-site", "--site", "--force"], dict(jobs=4, force=True)),
])
def test_plain_builds_are_recognised(argv, expected):
    request = parse_plain_build(argv)
    assert request == dict(PLAIN, **expected)
    assert parse_plain_build(as_argv(request, "/仓库")) == dict(request, root="/仓库")  # served as asked


@pytest.mark.parametrize("argv", [
    [], ["check"], ["build", "--pdf"], ["build", "-j0"], ["build", "--jobs", "x"],
    ["build", "--today", "2024-13-01"], ["build", "--today"], ["--root"], ["--version", "build"],
    ["build", "--root", "r"], ["-qv", "build"], ["build", "extra"], ["--today", "2024-12-31", "build"],
])
def test_anything_else_goes_to_the_full_command_line(argv):
    assert parse_plain_build(argv) is None


def test_an_up_to_date_build_is_answered_without_the_heavy_libraries(example):
    first = launch(example, "build", "--no-site")
    assert first.returncode == 0 and "生成 23 个文件" in first.stdout
    assert "click" in imported(first.stderr)
    again = launch(example, "build", "--no-site")
    assert again.returncode == 0
    assert again.stdout == "生成 0 个文件,未变 23 个,删除 0 个(输入均未改动)\n"
    assert not imported(again.stderr) & set(HEAVY_MODULES)
    assert launch(example, "-q", "build", "--no-site").stdout == ""


def test_the_site_day_is_part_of_being_up_to_date(example):
    env = {"PROPOSAL_DOCS_TODAY": "2024-12-30"}
    assert launch(example, "build", env=env).returncode == 0
    assert "输入均未改动" in launch(example, "build", env=env).stdout
    next_day = launch(example, "build", "--today", "2024-12-31", env=env)
    assert "输入均未改动" not in next_day.stdout and "网页更新" in next_day.stdout
    assert "输入均未改动" in launch(example, "build", "--today", "2024-12-31").stdout
    assert "输入均未改动" in launch(example, "build", "--no-site").stdout  # documents did not move


def test_a_changed_case_goes_the_full_way(example):
    launch(example, "build", "--no-site")
    edit(example / "cases/2024/p009.yaml", "约120家", "约130家")
    result = launch(example, "build", "--no-site")
    assert "生成 3 个文件" in result.stdout and "click" in imported(result.stderr)


def test_an_invalid_repository_is_never_answered_early(example):
    launch(example, "build", "--no-site")
    edit(example / "cases/2024/p009.yaml", "约120家", "约130家\n  - 坏的: [")
    result = launch(example, "build", "--no-site")
    assert result.returncode == 1 and "p009.yaml" in result.stdout + result.stderr


# What can happen to a repository between two builds. The first two must make a build write.
MUST_REBUILD = ["damage-output", "delete-output"]
OPERATIONS = MUST_REBUILD + ["nothing", "touch-case", "append-to-case", "new-other-file", "touch-output",
                             "touch-template", "stray-output"]


def _apply(operation: str, root: Path) -> None:
    case = root / "cases/2024/p041.yaml"
    output = sorted((root / "build/2024/答复函").glob("提案*.docx"))[0]

    def later(path: Path) -> None:  # as a git checkout does: new time, same content
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 3_000_000_000))

    if operation == "touch-case":
        later(case)
    elif operation == "append-to-case":
        case.write_text(case.read_text("utf-8") + "\n", "utf-8")
    elif operation == "new-other-file":
        (root / "cases/2024/说明.txt").write_text("不是案件", "utf-8")
    elif operation == "damage-output":
        output.write_bytes(output.read_bytes()[:-10] + b"0123456789")
    elif operation == "delete-output":
        output.unlink()
    elif operation == "touch-output":
        later(output)
    elif operation == "touch-template":
        later(root / "templates/reply.docx")
    elif operation == "stray-output":
        (root / "build/2024/答复函/副本.docx").write_bytes(b"not ours")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=3))
def test_the_shortcut_agrees_with_the_full_path(example, operations):
    """After any mix of changes, "up to date" is said only when a full build would write nothing."""
    run(example, "build", "--no-site")
    for operation in operations:
        _apply(operation, example)
        early = up_to_date(example, snapshot_inputs(example), site=False)
        if operation in MUST_REBUILD:
            assert early is None
        if early is not None:
            forget(example / "build")
            full = run(example, "-v", "build", "--no-site")
            assert "生成 0 个文件" in full.output and "删除 0 个" in full.output
        else:
            run(example, "build", "--no-site")
        assert up_to_date(example, snapshot_inputs(example), site=False) == 23  # and it is stamped again
