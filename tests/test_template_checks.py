"""`check` catches what a clerk mistypes in a template, naming the template and the name."""

import json

import pytest
from docx import Document

from conftest import run
from proposal_docs.engine.plan import TEMPLATES, plan
from proposal_docs.render.batch import Templates
from proposal_docs.render.contexts import CONTEXT_NAMES, context_for
from proposal_docs.rules.checking import load_repository


def retype(template, old: str, new: str) -> None:
    doc = Document(template)
    for paragraph in doc.paragraphs:
        if old in paragraph.text:
            paragraph.text = paragraph.text.replace(old, new)
            doc.save(template)
            return
    raise AssertionError(f"{old} not in {template}")


@pytest.mark.parametrize(("old", "new", "field", "code"), [
    ("{{ case.title }}", "{{ case.titel }}", "case.titel", "template-unknown-field"),
    ("{{ case.number }}", "{{ caes.number }}", "caes", "template-unknown-name"),
])
def test_misspelt_names_fail_check(example, old, new, field, code):
    retype(example / "templates/reply.docx", old, new)
    result = run(example, "check", "--today", "2024-12-31", "--format", "json")
    assert result.exit_code == 1
    (finding,) = [f for f in json.loads(result.output) if f["code"] == code]
    assert finding["file"] == "templates/reply.docx" and finding["field"] == field


def test_missing_template_is_named(example):
    (example / "templates/summary.docx").unlink()
    findings = json.loads(run(example, "check", "--today", "2024-12-31", "--format", "json").output)
    assert [f["file"] for f in findings if f["code"] == "missing-template"] == ["templates/summary.docx"]
    result = run(example, "build")
    assert result.exit_code == 2 and "summary.docx" in result.stderr


def test_declared_context_names_are_what_the_builders_provide(example):
    repo = load_repository(example)
    cases = {item.rel: item for item in repo.all_cases()}
    templates = Templates().get(repo.root, TEMPLATES)
    for output in plan(repo):
        context = context_for(repo, output, cases, templates).context
        assert set(context) == CONTEXT_NAMES[output.template], output.template
