"""Shared fixtures: a private copy of the example repository and a CLI runner that acts like a clerk."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from proposal_docs.cli import main

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# the example repository has no templates/ of its own: it builds with the packaged templates
EXAMPLE_PARTS = ("proposal-docs.yaml", "cases")
PACKAGED_TEMPLATES = PROJECT_ROOT / "src" / "proposal_docs" / "templates"


def own_template(root: Path, name: str) -> Path:
    """Give the repository its own copy of a packaged template (as `init --templates` does) to edit."""
    target = root / "templates" / f"{name}.docx"
    if not target.exists():
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(PACKAGED_TEMPLATES / f"{name}.docx", target)
    return target


def retype(template, old: str, new: str) -> None:
    """Replace old with new in the first paragraph of a template that holds it, as a clerk would in Word."""
    from docx import Document

    doc = Document(template)
    for paragraph in doc.paragraphs:
        if old in paragraph.text:
            paragraph.text = paragraph.text.replace(old, new)
            doc.save(template)
            return
    raise AssertionError(f"{old} not in {template}")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example repository shipped at the project root, safe to edit."""
    root = tmp_path / "repo"
    root.mkdir()
    for part in EXAMPLE_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copy2(source, root / part)
    return root


@dataclass
class Result:
    exit_code: int
    output: str
    stderr: str


def run(root: Path, *args: str, env: dict | None = None) -> Result:
    """Run `proposal-docs --root ROOT ARGS…` as a clerk would; never lets an exception escape unseen."""
    runner = CliRunner()
    result = runner.invoke(main, ["--root", str(root), *args], env=env, catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@contextmanager
def serving(root: Path) -> Iterator[int]:
    """`proposal-docs serve` on a free port, as a clerk starts it, stopped afterwards; yields the port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PROPOSAL_DOCS_TODAY="2024-06-10")
    server = subprocess.Popen([sys.executable, "-m", "proposal_docs", "--root", str(root), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(url: str) -> tuple[int, bytes, str]:
    """(status, body, content type) of a GET, as a browser would see it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def wait_until_served(url: str) -> None:
    """Until `serve` answers url with 200: it listens first and builds after (not a timing assertion)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes (other than this one) that contain text."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(cmdline)
    return found
