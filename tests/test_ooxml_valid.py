"""Every template and every generated .docx passes an independent OOXML validator (openxml-audit,
a port of the Open XML SDK's schema and semantic checks) with no error, and the heading styles
carry outline levels so navigation panes and other readers see the document's structure."""

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import PACKAGED_TEMPLATES, PROJECT_ROOT, run

openxml_audit = pytest.importorskip("openxml_audit", reason="openxml-audit is not installed (pip install openxml-audit)")

TEMPLATES = sorted(PACKAGED_TEMPLATES.glob("*.docx"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def errors(path: Path) -> list[str]:
    result = openxml_audit.OpenXmlValidator().validate(str(path))
    return [str(error) for error in result.errors]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_validate(template):
    assert errors(template) == []


def test_generated_documents_validate(example):
    assert run(example, "build", "--no-site").exit_code == 0
    documents = sorted((example / "build").rglob("*.docx"))
    assert len(documents) >= 20
    problems = {d.relative_to(example / "build").as_posix(): errors(d) for d in documents}
    assert {name: found for name, found in problems.items() if found} == {}


def style_outline_levels(docx: Path) -> dict[str, int]:
    with zipfile.ZipFile(docx) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    levels = {}
    for style in styles.iter(f"{W}style"):
        level = style.find(f"{W}pPr/{W}outlineLvl")
        if level is not None:
            levels[style.find(f"{W}name").get(f"{W}val")] = int(level.get(f"{W}val"))
    return levels


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_heading_styles_have_outline_levels(template):
    levels = style_outline_levels(template)
    assert levels.get("公文标题") == 0
    assert levels.get("一级标题") == 1
    assert levels.get("二级标题") == 2
