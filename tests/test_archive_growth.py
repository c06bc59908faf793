"""Edits that do not grow with the archive: a build reads only the years whose files changed, and
the rendered XML is checked by streaming.

The timing itself is `make bench`'s business; these tests pin down the behaviour that makes it
cheap: which files a build reads and writes, and that skipping a year never changes the result.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment

from conftest import PROJECT_ROOT, edit, run
from proposal_docs.model import repository
from proposal_docs.render.docx import PreparedTemplate, TemplateProblem
from proposal_docs.sample import generate

YEARS = ("2022", "2023", "2024")


@pytest.fixture
def three_years(tmp_path: Path) -> Path:
    root = generate(tmp_path / "repo", 36, PROJECT_ROOT, years=3)
    assert run(root, "build", "--no-site").exit_code == 0
    return root


def outputs(root: Path) -> dict[str, int]:
    """Every document of build/ with its modification time."""
    build = root / "build"
    return {p.relative_to(build).as_posix(): p.stat().st_mtime_ns for p in build.rglob("[!.]*.docx")}


def replied_case(root: Path, year: str) -> Path:
    return next(p for p in sorted((root / "cases" / year).glob("c*.yaml"))
                if "开展了专题调研" in p.read_text("utf-8") and "role: co" not in p.read_text("utf-8"))


def documents(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("[!.]*.docx"))}


def test_an_edit_in_one_year_leaves_the_other_years_unread_and_untouched(three_years, monkeypatch):
    root = three_years
    shards = root / "build" / ".cache" / "parsed"
    before, shard_times = outputs(root), {p.name: p.stat().st_mtime_ns for p in shards.iterdir()}
    edit(replied_case(root, "2024"), "开展了专题调研", "开展了深入调研")
    read = []
    original = repository.read_bytes
    monkeypatch.setattr(repository, "read_bytes", lambda path, rel: read.append(rel) or original(path, rel))
    result = run(root, "build", "--no-site")
    assert result.exit_code == 0, result.stderr
    assert read and all(rel.startswith("cases/2024/") or rel == "proposal-docs.yaml" for rel in read)
    after = outputs(root)
    assert after.keys() == before.keys()
    changed = {path for path in after if after[path] != before[path]}
    assert changed and all(path.startswith("2024/") for path in changed)
    # the other years' parse cache was not even opened, let alone rewritten; the edited year's was
    shard_times_after = {p.name: p.stat().st_mtime_ns for p in shards.iterdir()}
    edited = "cases-2024.json"
    assert shard_times_after[edited] != shard_times[edited]
    assert {n: t for n, t in shard_times_after.items() if n != edited} == {
        n: t for n, t in shard_times.items() if n != edited}
    # and the result is the one a clean build of the same files gives
    clean = root.parent / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("build"))
    assert run(clean, "build", "--no-site").exit_code == 0
    assert documents(clean / "build") == documents(root / "build")


def test_a_document_of_an_unread_year_that_was_deleted_comes_back(three_years):
    root = three_years
    lost = next((root / "build" / "2022").rglob("*.docx"))
    original = lost.read_bytes()
    lost.unlink()
    edit(replied_case(root, "2024"), "开展了专题调研", "开展了深入调研")
    assert run(root, "build", "--no-site").exit_code == 0
    assert lost.read_bytes() == original


def test_a_document_number_taken_in_an_unread_year_is_still_found(three_years):
    root = three_years
    old, new = replied_case(root, "2022"), replied_case(root, "2024")
    edit(old, "reply:\n", "reply:\n  doc_number: 科经提〔2022〕7号\n")
    assert run(root, "build", "--no-site").exit_code == 0  # 2022 is read (it changed) and recorded
    edit(new, "reply:\n", "reply:\n  doc_number: 科经提〔2022〕7号\n")
    result = run(root, "build", "--no-site")
    assert result.exit_code == 1
    assert "文号“科经提〔2022〕7号”重复" in result.output + result.stderr
    assert old.relative_to(root).as_posix() in result.output + result.stderr


def test_a_site_build_reads_every_year(three_years):
    root = three_years
    edit(replied_case(root, "2024"), "开展了专题调研", "开展了深入调研")
    assert run(root, "build", "--today", "2024-12-31").exit_code == 0
    for year in YEARS:
        assert (root / "build" / "site" / year / "index.html").is_file()


# --- well-formedness, checked by streaming -------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tiny_docx(text: str) -> bytes:
    """A minimal Word package whose only paragraph holds text (a Jinja tag, here)."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}"><w:body>'
                f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>")
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             'main+xml"/></Types>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize("value", ["<w:r>", "<x:y/>", "&nbsp;", "a\x01b"])
def test_rendered_xml_that_is_not_well_formed_is_a_template_problem(tmp_path, value):
    env = Environment(autoescape=False)  # so that a value can break the XML, as a bad template tag can
    template = PreparedTemplate(tmp_path / "templates" / "reply.docx", env, tiny_docx("{{ value }}"))
    with pytest.raises(TemplateProblem, match=r"^模板 templates/reply\.docx 生成的 XML 无效："):
        template.render({"value": value}, title="题名", date=None)


def test_well_formed_xml_renders(tmp_path):
    env = Environment(autoescape=True)
    template = PreparedTemplate(tmp_path / "templates" / "reply.docx", env, tiny_docx("{{ value }}"))
    data = template.render({"value": "<答复>&"}, title="题名", date=None)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "&lt;答复&gt;&amp;" in package.read("word/document.xml").decode("utf-8")

