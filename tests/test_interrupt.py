"""Ctrl+C during a parallel build: the terminal sends SIGINT to the whole process group; the build
says 已中断 and nothing else, exits 130, releases the lock, leaves no worker behind, and the next
build ends as a clean build does."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, processes_mentioning, run
from proposal_docs.files import lock_if_free
from proposal_docs.sample import generate

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg") or not Path("/proc").is_dir(),
                                reason="a terminal's process group and /proc to list processes")


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """The example with 300 cases more: a parallel build long enough to be interrupted in."""
    root = tmp_path_factory.mktemp("many") / "repo"
    root.mkdir()
    (root / "proposal-docs.yaml").write_bytes((PROJECT_ROOT / "proposal-docs.yaml").read_bytes())
    generate(root, 300, PROJECT_ROOT, first=200)
    for case in (PROJECT_ROOT / "cases/2024").glob("*.yaml"):
        (root / "cases/2024" / case.name).write_bytes(case.read_bytes())
    return root


def documents(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "build").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (root / "build").rglob("*.docx") if not p.name.startswith(".")}


def interrupt_after(root: Path, files: int, *args: str) -> subprocess.CompletedProcess:
    """Start `build` in a process group of its own, as a terminal does; once it has written `files`
    documents, send SIGINT to the group (what Ctrl+C does)."""
    build = subprocess.Popen([sys.executable, "-m", "proposal_docs", "--root", str(root), "build", *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    while build.poll() is None and len(list((root / "build").rglob("*.docx"))) < files:
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGINT)
    try:
        out, err = build.communicate(timeout=60)  # a hang fails here instead of stalling the suite
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        pytest.fail("the interrupted build did not end")
    return subprocess.CompletedProcess(build.args, build.returncode, out, err)


@pytest.mark.parametrize("files", [1, 40, 250])
def test_ctrl_c_during_a_parallel_build(many, files):
    for path in sorted((many / "build").rglob("*"), reverse=True) if (many / "build").exists() else ():
        path.unlink() if path.is_file() else path.rmdir()
    result = interrupt_after(many, files, "-j", "2", "--no-site")
    assert result.returncode == 130, result.stderr[-800:]
    assert result.stderr.strip() == "已中断。", result.stderr[-2000:]
    assert "Traceback" not in result.stdout
    with lock_if_free(many / "build" / ".lock") as free:
        assert free
    assert processes_mentioning(str(many)) == []
    # what it wrote is whole, and the next build repairs the rest: the same bytes as a clean build
    again = run(many, "build", "-j", "2", "--no-site")
    assert again.exit_code == 0, again.output + again.stderr
    interrupted = documents(many)
    assert run(many, "build", "--no-site", "--force").exit_code == 0
    assert documents(many) == interrupted


def test_an_interrupt_reaching_only_the_workers_is_left_to_the_build(many):
    """Workers ignore SIGINT: the build they work for decides (before, a worker's KeyboardInterrupt
    came back as the result of its batch, or as a traceback of its own)."""
    for path in sorted((many / "build").rglob("*"), reverse=True) if (many / "build").exists() else ():
        path.unlink() if path.is_file() else path.rmdir()
    build = subprocess.Popen([sys.executable, "-m", "proposal_docs", "--root", str(many), "build", "-j", "2",
                              "--no-site"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children: set[int] = set()
    while build.poll() is None and not children:
        try:
            listed = Path(f"/proc/{build.pid}/task/{build.pid}/children").read_text().split()
        except OSError:
            listed = []
        children = {int(pid) for pid in listed}
        time.sleep(0.01)
    time.sleep(0.2)  # the workers are rendering
    for pid in children:
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            pass
    out, err = build.communicate(timeout=120)
    assert children and build.returncode == 0, err[-2000:]
    assert "Traceback" not in err + out and "已中断" not in err
    built = documents(many)
    assert run(many, "build", "--no-site", "--force").exit_code == 0
    assert documents(many) == built
