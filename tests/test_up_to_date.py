"""An up-to-date `build` is answered before the heavy libraries load, and only when the full path would agree."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import edit, own_template, processes_mentioning, run
from proposal_docs.engine.stamp import forget, snapshot_inputs, up_to_date
from proposal_docs.render.text import document_text

HEAVY_MODULES = ("rich", "pydantic", "yaml", "docx", "docxtpl", "jinja2", "lxml")


def launch(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`proposal-docs --root ROOT ARGS…` through the console script's entry point, in a new process."""
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "proposal_docs", "--root", str(root), *args],
                          capture_output=True, text=True, env=dict(os.environ, **(env or {})))


def imported(stderr: str) -> set[str]:
    return {line.split("|")[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_an_up_to_date_build_is_answered_without_the_heavy_libraries(example):
    first = launch(example, "build", "--no-site")
    assert first.returncode == 0 and "生成 28 个文件" in first.stdout
    assert "pydantic" in imported(first.stderr)
    again = launch(example, "build", "--no-site")
    assert again.returncode == 0
    assert again.stdout == "生成 0 个文件，未变 28 个，删除 0 个（输入均未改动）\n"
    assert not imported(again.stderr) & set(HEAVY_MODULES)
    assert launch(example, "-q", "build", "--no-site").stdout == ""


def test_an_up_to_date_build_with_its_site_is_answered_without_the_heavy_libraries(example):
    """The default `build` (site included) too: telling today's date must not load the models."""
    env = {"PROPOSAL_DOCS_TODAY": "2024-12-30"}
    assert launch(example, "build", env=env).returncode == 0
    again = launch(example, "build", env=env)
    assert "输入均未改动" in again.stdout
    assert not imported(again.stderr) & set(HEAVY_MODULES)
    assert "pathlib" not in imported(again.stderr)


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
    assert "生成 3 个文件" in result.stdout and "pydantic" in imported(result.stderr)
    # the templates as docxtpl patched them last time (build/.cache/templates): no python-docx
    assert not imported(result.stderr) & {"docx", "docxtpl", "lxml"}


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
        later(own_template(root, "reply"))
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
        assert up_to_date(example, snapshot_inputs(example), site=False) == 28  # and it is stamped again


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to list processes")
def test_a_build_leaves_no_process_behind(example):
    """`build` is one process from start to end: nothing it starts outlives it (not under CI either)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    result = subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(example), "build", "-j", "2"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert processes_mentioning(str(example)) == []
    assert not (example / "build" / ".server").exists()


def test_the_manifest_never_leads_outside_build(example, tmp_path):
    """A build/.manifest.json from a pull request naming files outside build/ deletes nothing there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file.txt").write_text("keep", "utf-8")
    run(example, "build", "--no-site")
    manifest_path = example / "build" / ".manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    entry = next(iter(manifest["outputs"].values()))
    for bad in ("../../outside/file.txt", str(outside / "file.txt"), "2024/../../../outside/file.txt"):
        manifest["outputs"][bad] = entry
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0 and "删除 0 个" in result.output
    assert (outside / "file.txt").read_text("utf-8") == "keep"


def test_a_stamp_naming_paths_outside_build_is_ignored(example):
    run(example, "build", "--no-site")
    stamp_path = example / "build" / ".stamp"
    stamp = json.loads(stamp_path.read_text("utf-8"))
    stamp[4][0][0] = "../../cases"  # a folder of outputs outside build/
    stamp_path.write_text(json.dumps(stamp, ensure_ascii=False), "utf-8")
    assert up_to_date(example, snapshot_inputs(example), site=False) is None


def test_a_parse_cache_changed_by_hand_is_not_believed(example):
    """The parse cache is signed with a key outside the repository: an edited shard is parsed again."""
    run(example, "build", "--no-site")
    shard = example / "build" / ".cache" / "parsed" / "cases-2024.json"
    signature, _, body = shard.read_bytes().partition(b"\n")
    assert any(line.startswith(b"cases/2024/p009.yaml\t") for line in body.split(b"\n"))
    forged = body.replace("约120家".encode(), "约999家".encode())
    assert forged != body
    shard.write_bytes(signature + b"\n" + forged)
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业31家以上")
    assert run(example, "build", "--no-site").exit_code == 0
    texts = [document_text(p) for p in (example / "build" / "2024" / "答复函").glob("提案第009号*.docx")]
    assert texts and all("约999家" not in t and "约120家" in t for t in texts)


class _Marker:
    """Unpickling this writes a file: the proof that something in build/ was unpickled."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "unpickled"))


def test_a_pickle_committed_under_build_cache_is_never_loaded(example, tmp_path):
    """Pickles placed where caches live (a pull request can commit build/) never run: build, check,
    status and a forced build leave the marker unwritten and the documents as they were."""
    import pickle

    marker = tmp_path / "marker"
    payload = pickle.dumps(_Marker(str(marker)))
    assert run(example, "build", "--no-site").exit_code == 0
    cache = example / "build" / ".cache"
    template = own_template(example, "reply").read_bytes()
    for name in ("parsed.pickle", "parsed/cases-2024.json", "parsed/cases-2024.pickle", "parsed/root.json",
                 "templates/reply.json", "templates/co_opinion.json",
                 f"templates/{hashlib.sha256(template).hexdigest()}", f"{hashlib.sha256(template).hexdigest()}.pickle"):
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_bytes(payload)
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业31家以上")
    for command in (["build", "--no-site"], ["check", "--today", "2024-12-31"], ["status"], ["build", "--force"]):
        result = run(example, *command)
        assert result.exit_code == 0, result.output + result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("kind", ["file", "link to /dev/zero", "fifo"])
def test_templates_that_is_no_folder_is_listed_as_none(example, kind):
    """A pull request can commit a file, or a link, named templates: the listing of the inputs
    skips it (the packaged templates are used), without an internal error or a wait on a FIFO."""
    templates = example / "templates"
    if kind == "file":
        templates.write_text("not a folder", "utf-8")
    elif kind == "fifo":
        os.mkfifo(templates)
    else:
        templates.symlink_to("/dev/zero")
    assert not [entry for entry in snapshot_inputs(example) if entry[0].startswith("templates/") and entry[0] != "templates/"]
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0, result.stderr
    assert "内部错误" not in result.stderr
