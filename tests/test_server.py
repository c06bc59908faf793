"""The warm build server answers exactly as a one-shot build would, and otherwise stays out of the way."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import edit
from proposal_docs import wire
from proposal_docs.stamp import read_stamp

HEAVY = ("click", "pydantic", "docxtpl")


def launch(root: Path, *args: str, server: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """`proposal-docs --root ROOT ARGS…` through the entry point, in a new process, its imports recorded."""
    environment = {**os.environ, "PROPOSAL_DOCS_SERVER": "1" if server else "0", "CI": "", **(env or {})}
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "proposal_docs", "--root", str(root), *args],
                          capture_output=True, text=True, env=environment, timeout=120)


def was_served(result: subprocess.CompletedProcess) -> bool:
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return not imported & set(HEAVY)


def messages(result: subprocess.CompletedProcess) -> tuple[str, str]:
    """stdout and stderr without import times and with the duration blanked."""
    err = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("import time:"))
    return re.sub(r"用时 [\d.]+ 秒", "用时 … 秒", result.stdout), err


def documents(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("[!.]*.docx"))}


def address(root: Path) -> dict[str, str]:
    return wire.read_address((root / "build/.server").read_bytes())


def start_server(root: Path, idle: float = 600) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "proposal_docs.server", str(root), str(idle)])
    deadline = time.monotonic() + 60
    while not (root / "build/.server").exists():
        assert server.poll() is None and time.monotonic() < deadline, "the build server did not start"
        time.sleep(0.05)
    return server


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(autouse=True)
def no_server_left_behind(example: Path) -> Iterator[None]:
    """Servers started by the launcher during a test are stopped after it."""
    yield
    try:
        os.kill(int(address(example)["pid"]), 15)
    except (OSError, KeyError, ValueError):
        pass


@pytest.fixture
def served(example: Path) -> Iterator[tuple[Path, subprocess.Popen]]:
    """The example repository, built once, with a build server running for it."""
    assert launch(example, "build", "--no-site", server=False).returncode == 0
    server = start_server(example)
    yield example, server
    stop(server)


def test_a_served_build_says_and_writes_what_a_one_shot_build_does(served, tmp_path):
    root, _ = served
    twin = tmp_path / "twin"
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns(".server*"))
    for repo in (root, twin):
        edit(repo / "cases/2024/p009.yaml", "doc_number: 科经提〔2024〕2号", "doc_number: 科经提〔2024〕12号")
    by_server = launch(root, "-v", "build", "--no-site")
    by_itself = launch(twin, "-v", "build", "--no-site", server=False)
    assert was_served(by_server) and not was_served(by_itself)
    assert by_server.returncode == by_itself.returncode == 0
    assert messages(by_server) == messages(by_itself)
    assert "生成 4 个文件" in by_server.stdout
    assert documents(root / "build") == documents(twin / "build")


def test_an_invalid_case_is_reported_by_the_server_as_by_a_one_shot_build(served, tmp_path):
    root, _ = served
    twin = tmp_path / "twin"
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns(".server*"))
    for repo in (root, twin):
        edit(repo / "cases/2024/p009.yaml", "title: 关于小型服装加工厂发展的建议", "title:")
    by_server = launch(root, "build", "--no-site")
    by_itself = launch(twin, "build", "--no-site", server=False)
    assert was_served(by_server)
    assert by_server.returncode == by_itself.returncode == 1
    assert messages(by_server) == messages(by_itself)
    assert "p009.yaml" in by_server.stdout + by_server.stderr


def test_two_builds_at_once_are_served_one_after_the_other(served, tmp_path):
    root, _ = served
    edit(root / "cases/2024/p009.yaml", "doc_number: 科经提〔2024〕2号", "doc_number: 科经提〔2024〕12号")
    environment = {**os.environ, "PROPOSAL_DOCS_SERVER": "1", "CI": ""}
    command = [sys.executable, "-m", "proposal_docs", "--root", str(root), "build", "--no-site"]
    first, second = (subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) for _ in range(2))
    outputs = [process.communicate(timeout=120)[0] for process in (first, second)]
    assert first.returncode == second.returncode == 0
    assert sorted("生成 0 个文件" in out for out in outputs) == [False, True]  # one built, the other found it done
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build"))
    assert launch(clean, "build", "--no-site", server=False).returncode == 0
    assert documents(root / "build") == documents(clean / "build")


def test_the_site_is_built_for_the_day_the_user_asks(served):
    root, _ = served
    result = launch(root, "build", env={"PROPOSAL_DOCS_TODAY": "2024-12-30"})
    assert was_served(result) and result.returncode == 0 and "网页更新" in result.stdout
    assert read_stamp(root / "build")[1] == "2024-12-30"


def test_strangers_and_other_commands_are_not_served(served):
    root, server = served
    token = address(root)["token"]
    for request in (wire.request("wrong-token", {}, ["--root", str(root), "build"], ()),
                    wire.request(token, {}, ["--root", str(root), "new", "提案"], ())):
        with socket.create_connection(("127.0.0.1", int(address(root)["port"])), timeout=10) as connection:
            connection.sendall(request)
            assert connection.recv(100) == b""  # closed without a word
    assert not list((root / "cases/2024").glob("*new*")) and server.poll() is None
    edit(root / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")
    assert was_served(launch(root, "build", "--no-site"))  # and it still serves its own


def ask(root: Path, settings: dict[str, str], *args: str) -> tuple[str, int]:
    """A served build as the launcher asks for it: what it printed, and its exit code."""
    request = wire.request(address(root)["token"], settings, ["--root", str(root), *args], ())
    printed = []
    with socket.create_connection(("127.0.0.1", int(address(root)["port"])), timeout=60) as connection:
        connection.sendall(request)
        read = connection.makefile("rb").read
        while (reply := wire.read_frame(read)) is not None:
            kind, payload = reply
            if kind == wire.EXIT:
                return "".join(printed), int(payload)
            printed.append(payload.decode("utf-8"))
    raise AssertionError("the server did not finish")


def test_a_terminal_gets_its_progress_bar_from_the_server_too(served):
    root, _ = served
    on_terminal, status = ask(root, {"TERMINAL": "1", "COLUMNS": "100"}, "build", "--no-site", "--force")
    assert status == 0 and "\x1b[?25l" in on_terminal  # rich hid the cursor to draw its bar
    assert "生成 23 个文件" in on_terminal
    in_a_pipe, status = ask(root, {}, "build", "--no-site", "--force")
    assert status == 0 and "\x1b" not in in_a_pipe and in_a_pipe.startswith("生成 23 个文件")


def test_a_server_whose_code_changed_steps_aside(served):
    root, server = served
    module = Path(wire.__file__)
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))  # as a reinstall would
        edit(root / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")
        result = launch(root, "build", "--no-site")
        assert result.returncode == 0 and not was_served(result) and "生成 2 个文件" in result.stdout
        assert server.wait(timeout=20) == 0
        deadline = time.monotonic() + 60  # and the build that ran by itself started a fresh server
        while not (root / "build/.server").exists() or address(root)["pid"] == str(server.pid):
            assert time.monotonic() < deadline, "no fresh build server"
            time.sleep(0.1)
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_upgraded_server_leaves_without_being_asked(example):
    assert launch(example, "build", "--no-site", server=False).returncode == 0
    server = start_server(example, idle=60)  # it looks around every 6 seconds
    module = Path(wire.__file__)
    before = module.stat()
    try:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))  # pip install -U
        assert server.wait(timeout=30) == 0
        assert not (example / "build/.server").exists()
    finally:
        os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
        stop(server)


def test_a_server_stopped_in_the_middle_of_a_build_leaves_the_client_to_finish(tmp_path):
    """Whenever SIGTERM arrives, the user's build ends complete: served, or finished by the client."""
    from proposal_docs.sample import generate

    root = generate(tmp_path / "big", 200, Path(__file__).resolve().parent.parent)
    assert launch(root, "build", "--no-site", server=False).returncode == 0
    server = start_server(root)
    try:
        environment = {**os.environ, "PROPOSAL_DOCS_SERVER": "1", "CI": ""}
        client = subprocess.Popen([sys.executable, "-m", "proposal_docs", "--root", str(root), "build", "--no-site",
                                   "--force"], stdout=subprocess.PIPE, text=True, env=environment)
        deadline = time.monotonic() + 60
        while (root / "build/.stamp").exists():  # a build removes the stamp as it starts
            assert time.monotonic() < deadline and client.poll() is None, "the served build did not start"
            time.sleep(0.001)
        server.terminate()
        assert server.wait(timeout=30) == 0
        assert client.wait(timeout=120) == 0 and "生成 " in client.stdout.read()
    finally:
        stop(server)
        _stop_fresh_server(root, server.pid)
    after = launch(root, "build", "--no-site", server=False)
    assert "生成 0 个文件" in after.stdout  # nothing was left half done
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build"))
    assert launch(clean, "build", "--no-site", server=False).returncode == 0
    assert documents(root / "build") == documents(clean / "build")


def _stop_fresh_server(root: Path, old_pid: int) -> None:
    """A build that finished by itself starts a new server: stop it too, once it says where it is."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            pid = int(address(root)["pid"])
        except (OSError, KeyError, ValueError):
            pid = old_pid
        if pid != old_pid:
            os.kill(pid, 15)
            return
        time.sleep(0.1)


def test_one_server_per_repository(served):
    root, first = served
    second = subprocess.Popen([sys.executable, "-m", "proposal_docs.server", str(root)])
    assert second.wait(timeout=60) == 0  # found the first one holding the lock, and left
    assert address(root)["pid"] == str(first.pid) and first.poll() is None


def test_an_idle_server_goes_away_and_tidies_up(example):
    assert launch(example, "build", "--no-site", server=False).returncode == 0
    server = start_server(example, idle=1)
    try:
        assert server.wait(timeout=30) == 0
        assert not (example / "build/.server").exists()
        assert (example / "build/.cache/parsed.pickle").exists()  # what it parsed is kept for the next build
    finally:
        stop(server)


def test_a_server_whose_build_folder_was_cleaned_away_leaves(example):
    assert launch(example, "build", "--no-site", server=False).returncode == 0
    server = start_server(example, idle=60)  # it looks around every 6 seconds
    try:
        shutil.rmtree(example / "build")  # `make clean`
        assert server.wait(timeout=30) == 0  # well before it would be idle for a minute
    finally:
        stop(server)


def test_a_build_starts_a_server_for_the_next_one_but_not_under_ci(example):
    assert launch(example, "build", "--no-site", env={"CI": "true"}).returncode == 0
    time.sleep(1)
    assert not (example / "build/.server").exists()
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")
    assert launch(example, "build", "--no-site").returncode == 0
    deadline = time.monotonic() + 60
    while not (example / "build/.server").exists():
        assert time.monotonic() < deadline, "no build server was started"
        time.sleep(0.1)
    edit(example / "cases/2024/p041.yaml", "年内完成诊断企业40家以上", "年内完成诊断企业50家以上")
    assert was_served(launch(example, "build", "--no-site"))
