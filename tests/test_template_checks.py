"""`check` catches what a clerk mistypes in a template, naming the template and the name."""

import json
import shutil
import zipfile

import pytest
from docx import Document

from conftest import PACKAGED_TEMPLATES as PACKAGED, own_template, retype, run
from proposal_docs.render.text import document_text
from proposal_docs.engine.plan import TEMPLATES, plan
from proposal_docs.render.batch import Templates
from proposal_docs.render.contexts import CONTEXT_NAMES, context_for
from proposal_docs.rules.checking import load_repository



@pytest.mark.parametrize(("old", "new", "field", "code"), [
    ("{{ case.title }}", "{{ case.titel }}", "case.titel", "template-unknown-field"),
    ("{{ case.number }}", "{{ caes.number }}", "caes", "template-unknown-name"),
])
def test_misspelt_names_fail_check(example, old, new, field, code):
    retype(own_template(example, "reply"), old, new)
    result = run(example, "check", "--today", "2024-12-31", "--format", "json")
    assert result.exit_code == 1
    (finding,) = [f for f in json.loads(result.output) if f["code"] == code]
    assert finding["file"] == "templates/reply.docx" and finding["field"] == field


def test_a_repository_without_templates_builds_with_the_packaged_ones(example):
    assert not (example / "templates").exists()
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build").exit_code == 0
    assert "2024年" in document_text(next((example / "build/2024/答复函").glob("*.docx")))


def test_own_templates_override_the_packaged_ones_file_by_file(example):
    doc = Document(own_template(example, "reply"))
    doc.add_paragraph("（本局自己的模板）")
    doc.save(example / "templates/reply.docx")
    assert run(example, "build").exit_code == 0
    assert all("本局自己的模板" in document_text(p) for p in (example / "build/2024/答复函").glob("*.docx"))
    assert not any("本局自己的模板" in document_text(p) for p in (example / "build/2024/会办意见").glob("*.docx"))
    (example / "templates/reply.docx").unlink()  # gone again: the packaged one, and the letters follow
    assert run(example, "build").exit_code == 0
    assert not any("本局自己的模板" in document_text(p) for p in (example / "build/2024/答复函").glob("*.docx"))


def test_an_unreadable_own_template_is_named(example):
    own_template(example, "summary").write_bytes(b"not a docx")
    findings = json.loads(run(example, "check", "--today", "2024-12-31", "--format", "json").output)
    assert "templates/summary.docx" in {f["file"] for f in findings if f["code"] == "bad-template"}
    result = run(example, "build")
    assert result.exit_code == 2 and "summary.docx" in result.stderr


def test_declared_context_names_are_what_the_builders_provide(example):
    repo = load_repository(example)
    cases = {item.rel: item for item in repo.all_cases()}
    templates = Templates().get(repo.root, TEMPLATES)
    for output in plan(repo):
        context = context_for(repo, output, cases, templates).context
        assert set(context) == CONTEXT_NAMES[output.template], output.template


def test_a_template_cannot_leave_the_sandbox(example):
    """templates/ may come from anyone's pull request: a template reaching Python's objects through
    str.format (CVE-2024-56326, CVE-2025-27516, open in Jinja2 before 3.1.6) must not print what it finds."""
    payload = "{{ '{0.__init__.__globals__[os].environ[PROPOSAL_DOCS_AUDIT]}' | attr('format')(cycler) }}"
    retype(own_template(example, "reply"), "{{ case.title }}", payload)
    result = run(example, "build", "--no-site", env={"PROPOSAL_DOCS_AUDIT": "s3cr3t-token"})
    assert result.exit_code != 0
    assert "s3cr3t-token" not in result.output + result.stderr
    assert not any("s3cr3t-token" in document_text(path) for path in (example / "build").rglob("*.docx"))


def test_a_template_linked_outside_the_repository_is_not_read(example, tmp_path):
    """templates/ may come from anyone's pull request: a link to /dev/zero would read without end, one
    to a document of the clerk's would print it into the letters. Either way the template, or the
    folder, is named as a case file's link is."""
    private = tmp_path / "private.docx"
    private.write_bytes((PACKAGED / "reply.docx").read_bytes())
    (example / "templates").mkdir()
    for target in (private, "/dev/zero"):
        link = example / "templates" / "reply.docx"
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        check = run(example, "check", "--today", "2024-12-31")
        assert check.exit_code == 1 and f"是指向仓库外（{target}）的链接" in check.output
        build = run(example, "build", "--no-site")
        assert build.exit_code == 2 and f"templates/reply.docx（是指向仓库外（{target}）的链接" in build.stderr
    shutil.rmtree(example / "templates")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "reply.docx").write_bytes(private.read_bytes())
    (example / "templates").symlink_to(tmp_path / "elsewhere")
    build = run(example, "build", "--no-site")
    assert build.exit_code == 2 and f"是指向仓库外（{tmp_path / 'elsewhere' / 'reply.docx'}）的链接" in build.stderr
    assert not list((example / "build").rglob("*.docx"))


def test_a_template_that_unpacks_to_gigabytes_is_refused_before_it_is_unpacked(example):
    """A template may come from anyone's pull request: a few megabytes of zeros deflate to almost
    nothing, and unpacking such a part for every letter would take the clerk's memory."""
    template = own_template(example, "reply")
    with zipfile.ZipFile(template, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image9.png", bytes(70_000_000))
    assert template.stat().st_size < 1_000_000
    result = run(example, "check", "--today", "2024-12-31", "--format", "json")
    (finding,) = [f for f in json.loads(result.output) if f["code"] == "bad-template"]
    assert finding["file"] == "templates/reply.docx" and "解压后有 70,0" in finding["message"]
    built = run(example, "build", "--no-site")
    assert built.exit_code == 2 and "templates/reply.docx 解压后有" in built.stderr
