"""Word refuses a .docx whose property elements are out of schema order (LibreOffice does not):
every template and every generated document keeps ECMA-376's child order."""

import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import PACKAGED_TEMPLATES, PROJECT_ROOT, run

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
from gongwen import ORDER, local  # noqa: E402


def out_of_order(xml: bytes) -> list[str]:
    problems = []
    for element in etree.fromstring(xml).iter():
        if not isinstance(element.tag, str) or local(element.tag) not in ORDER:
            continue
        order = ORDER[local(element.tag)]
        ranks = [order.index(local(c.tag)) for c in element if isinstance(c.tag, str) and local(c.tag) in order]
        if ranks != sorted(ranks):
            problems.append(f"{local(element.tag)}: {[local(c.tag) for c in element]}")
    return problems


def parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")}


@pytest.mark.parametrize("template", sorted(PACKAGED_TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_templates_keep_schema_order(template):
    for name, xml in parts(template).items():
        assert out_of_order(xml) == [], f"{template.name} {name}"


def test_generated_documents_keep_schema_order(example):
    assert run(example, "build", "--no-site").exit_code == 0
    for docx in sorted((example / "build").rglob("*.docx")):
        for name, xml in parts(docx).items():
            assert out_of_order(xml) == [], f"{docx.name} {name}"
