"""`build --pdf` through LibreOffice: where it is installed, and a clear hint where it is not."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import edit, run
from proposal_docs.files import find_program

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_missing_libreoffice_says_how_to_install(example):
    result = run(example, "build", "--pdf", env={"PATH": str(Path(sys.executable).parent)})
    assert result.exit_code == 2
    assert "未找到 LibreOffice" in result.stderr and "apt-get install libreoffice-writer-nogui" in result.stderr


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice 未安装(Debian: apt-get install libreoffice-writer-nogui)")
def test_pdf_copies_only_for_changed_documents(example):
    first = run(example, "build", "--pdf", "--no-site")
    assert first.exit_code == 0, first.stderr
    assert "PDF：转换 28 个" in first.output
    pdfs = sorted((example / "build/pdf").rglob("*.pdf"))
    assert len(pdfs) == 28 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert "PDF：转换 0 个" in run(example, "build", "--pdf", "--no-site").output
    edit(example / "cases/2024/s023.yaml", "安排3000万元", "安排3500万元")
    # four documents are rendered again, but only the letter's bytes change (the form, index and
    # summary do not quote the reply's body), so only the letter is converted again
    assert "PDF：转换 1 个" in run(example, "build", "--pdf", "--no-site").output


def test_a_program_committed_in_the_repository_is_never_run(example, monkeypatch):
    """The clerk runs the tool inside the repository. On Windows shutil.which, and CreateProcess given
    a bare name, look in the current folder first, so a pull request's soffice.bat would run on
    `build --pdf`; an empty PATH entry (the current folder) is the same here."""
    marker = example / "ran"
    for name in ("soffice", "libreoffice", "fc-list", "fc-match", "git"):
        program = example / name
        program.write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n", "utf-8")
        program.chmod(0o755)
    monkeypatch.chdir(example)
    env = {"PATH": os.pathsep + str(Path(sys.executable).parent)}  # "" first: the current folder
    monkeypatch.setenv("PATH", env["PATH"])
    assert find_program("soffice") is None and find_program("git") is None
    result = run(example, "build", "--pdf", "--no-site", env=env)
    assert result.exit_code == 2 and "未找到 LibreOffice" in result.stderr
    assert run(example, "fonts", env=env).exit_code == 0
    assert run(example, "diff", env=env).exit_code == 2
    assert not marker.exists()


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice 未安装(Debian: apt-get install libreoffice-writer-nogui)")
def test_a_committed_pdf_with_a_record_vouching_for_it_is_printed_again(example):
    """build/ may come from a pull request: a PDF of its own and a .sources.json naming the document's
    hash (builds are byte-identical, the font mapping is the usual one) must not be kept."""
    import json

    assert run(example, "build", "--pdf", "--no-site").exit_code == 0
    state_file = example / "build/pdf/.sources.json"
    state = json.loads(state_file.read_text("utf-8"))
    doc = sorted(state)[0]
    pdf = (example / "build/pdf" / doc).with_suffix(".pdf")
    pdf.unlink()
    pdf.write_bytes(b"%PDF-1.4 forged")  # as a checkout writes it: another file
    state[doc] = ":".join(state[doc].split(":")[:2])  # document hash and font mapping: all the record once said
    state_file.write_text(json.dumps(state), "utf-8")
    result = run(example, "build", "--pdf", "--no-site")
    assert result.exit_code == 0, result.stderr
    assert "PDF：转换 1 个" in result.output
    assert pdf.read_bytes() != b"%PDF-1.4 forged"
