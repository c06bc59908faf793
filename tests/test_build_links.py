"""build/ may come from anyone's pull request: links committed there lead nowhere.

A link to /dev/zero (or a FIFO) where the tool keeps its stamp, manifest or caches would make a
read that never ends; a linked cache folder would have the tool write, and prune, outside build/."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import run


def build(root, *args: str) -> subprocess.CompletedProcess:
    """In a new process with a time limit: a read that never ends fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(root), "build", *args],
                          capture_output=True, text=True, timeout=300)


def documents(root) -> dict:
    return {p.relative_to(root / "build"): p.read_bytes() for p in (root / "build").rglob("*.docx")}


def test_links_to_endless_files_are_not_read(example):
    assert run(example, "build", "--no-site").exit_code == 0
    expected = documents(example)
    cache = example / "build" / ".cache"
    fifo = example / "fifo"
    os.mkfifo(fifo)
    for path, target in [(example / "build" / ".stamp", "/dev/zero"),
                         (example / "build" / ".manifest.json", "/dev/zero"),
                         (cache / "parsed" / "cases-2024.json", "/dev/zero"),
                         (cache / "templates" / "reply.json", str(fifo))]:
        path.unlink()
        path.symlink_to(target)
    result = build(example, "--no-site")
    assert result.returncode == 0, result.stderr
    assert documents(example) == expected
    assert not (example / "build" / ".stamp").is_symlink()  # replaced by the build's own


def test_linked_cache_folders_are_neither_written_nor_pruned(example, tmp_path):
    outside = {name: tmp_path / f"outside-{name}" for name in ("parsed", "templates", "previews", "similar")}
    cache = example / "build" / ".cache"
    cache.mkdir(parents=True)
    for name, folder in outside.items():
        folder.mkdir()
        (folder / "precious.txt").write_text("keep", "utf-8")
        (cache / name).symlink_to(folder, target_is_directory=True)
    result = build(example, "--today", "2024-12-31")
    assert result.returncode == 0, result.stderr
    assert subprocess.run([sys.executable, "-m", "proposal_docs", "--root", str(example), "similar", "--title",
                           "关于加强工业园区用电保障的建议"], capture_output=True, timeout=300).returncode == 0
    for folder in outside.values():
        assert [p.name for p in folder.iterdir()] == ["precious.txt"]
    assert (example / "build" / "site" / "index.html").exists()
