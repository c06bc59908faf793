"""`number` under the repository lock, on every layout a clerk writes, all files or none."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import edit, run
from proposal_docs.files import exclusive_lock

CASES = "cases/2024"
NUMBER = re.compile(r"doc_number: (科经提函?〔2024〕\d+号)")


def unnumber(root: Path, *names: str) -> None:
    for name in names:
        path = root / CASES / name
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"\n  doc_number: [^\n]*", "", text, count=1), "utf-8")


def numbers(root: Path) -> dict[str, list[str]]:
    return {p.name: NUMBER.findall(p.read_bytes().decode("utf-8-sig")) for p in sorted((root / CASES).glob("*.yaml"))
            if p.name != "year.yaml"}


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "proposal_docs", "--root", str(root), *args]


def test_odd_layouts_get_their_number_and_keep_everything_else(example):
    """A tab after `date:`, the date on the next line, a reply in flow style over several lines, CR-only
    line endings: each left an earlier case file already rewritten and the command failing."""
    unnumber(example, "p009.yaml", "p012.yaml", "p035.yaml", "p089.yaml")
    cases = example / CASES
    edit(cases / "p009.yaml", "  date: 2024-05-28", "  date:\t2024-05-28")
    edit(cases / "p012.yaml", "  date: 2024-06-12", "  date:\n    2024-06-12")
    text = (cases / "p035.yaml").read_text("utf-8")
    flow = ('reply: {date: 2024-06-05, category: C,\n  disclosure: summary, abstract: 已列入招商资源库。,\n'
            '  signer: 王五,  # 签发\n  body: "一、闲置厂房底数\\n"}\n')
    (cases / "p035.yaml").write_text(text[:text.index("reply:")] + flow + text[text.index("feedback:"):], "utf-8")
    p089 = cases / "p089.yaml"
    p089.write_bytes(p089.read_bytes().replace(b"\n", b"\r"))
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    before = {p.name: p.read_bytes() for p in cases.glob("*.yaml")}

    result = run(example, "number")
    assert result.exit_code == 0, result.output + result.stderr
    given = dict(re.findall(r"已写入 cases/2024/(\S+)：(\S+?)（", result.output))
    added = {"p009.yaml": f"\n  doc_number: {given['p009.yaml']}", "p012.yaml": f"\n  doc_number: {given['p012.yaml']}",
             "p035.yaml": f"doc_number: {given['p035.yaml']}, ", "p089.yaml": f"\r  doc_number: {given['p089.yaml']}"}
    for name, piece in added.items():  # the old bytes with one piece inserted, nothing else changed
        new = (cases / name).read_bytes()
        assert piece.encode("utf-8") in new
        assert new.replace(piece.encode("utf-8"), b"", 1) == before[name]
    assert b"reply: {doc_number: " in (cases / "p035.yaml").read_bytes() and b"\n" not in p089.read_bytes()
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0


def test_a_failed_write_puts_back_the_files_already_written(example, monkeypatch):
    from proposal_docs.commands import number as numbering

    unnumber(example, "p009.yaml", "p012.yaml", "p089.yaml")
    before = {p.name: p.read_bytes() for p in (example / CASES).glob("*.yaml")}
    real = numbering.atomic_write
    calls = []

    def failing(path, data, mode=0o644):
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, mode)

    monkeypatch.setattr(numbering, "atomic_write", failing)
    result = run(example, "number")
    assert result.exit_code == 2 and "Traceback" not in result.output + result.stderr
    assert {p.name: p.read_bytes() for p in (example / CASES).glob("*.yaml")} == before


def test_number_waits_for_the_lock_and_reads_under_it(example):
    """Another run (here: this test) holds the lock and numbers p009 meanwhile; the waiting run
    must read the files after that, not before: it continues after 98号 and leaves p009 alone."""
    unnumber(example, "p009.yaml", "p012.yaml")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with exclusive_lock(example / "build" / ".lock"):
        waiting = subprocess.Popen(command(example, "number"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=env)
        assert "等待" in waiting.stderr.readline()  # it takes the lock (and has read nothing yet)
        edit(example / CASES / "p009.yaml", "  date: 2024-05-28\n", "  date: 2024-05-28\n  doc_number: 科经提〔2024〕98号\n")
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "已写入 cases/2024/p012.yaml：科经提〔2024〕99号（答复函，日期 2024-06-12）" in out and "p009" not in out
    assert numbers(example)["p009.yaml"] == ["科经提〔2024〕98号"]


@pytest.mark.parametrize("trial", range(3))
def test_two_runs_at_once_never_give_one_number_twice(example, trial):
    unnumber(example, "p007.yaml", "p009.yaml", "p012.yaml", "p035.yaml", "p089.yaml", "p108.yaml", "s023.yaml")
    runs = [subprocess.Popen(command(example, "number"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for process in runs:
        process.communicate(timeout=120)
        assert process.returncode == 0
    found = numbers(example)
    given = [number for values in found.values() for number in values]
    assert len(given) == len(set(given)), found
    assert all(found[name] for name in ("p007.yaml", "p009.yaml", "p012.yaml", "p035.yaml", "p089.yaml", "p108.yaml"))
    result = run(example, "check", "--today", "2024-12-31")  # a second doc_number in a reply is a duplicate key
    assert result.exit_code == 0, result.output
