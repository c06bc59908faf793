"""render/pages.py's layout facts are the letter templates' own.

The page estimate reads each letter as build renders it, but sets its paragraphs by the sizes and
indents pages.STYLES holds per paragraph style. Here those facts are read back from
templates/reply.docx and co_opinion.docx (styles.xml, document.xml and the page setup): a template
change that would make the estimate wrong fails here, and pages.py is updated with it.
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from conftest import PACKAGED_TEMPLATES, own_template
from proposal_docs.render import pages
from proposal_docs.render.filters import HEADING_STYLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LETTERS = ["reply", "co_opinion"]
# what a paragraph of the letter may set itself: pages.py reads these (and the rest moves no line)
READ_DIRECTLY = {"pStyle", "keepNext", "keepLines", "framePr", "ind", "jc", "rPr"}


def part(name: str, member: str):
    with zipfile.ZipFile(PACKAGED_TEMPLATES / f"{name}.docx") as package:
        return etree.fromstring(package.read(member))


def _twips(node, *names: str) -> int | None:
    for name in names:
        if node is not None and node.get(W + name) is not None:
            return int(node.get(W + name))
    return None


def resolved(styles, style_id: str) -> dict:
    """A paragraph style's layout: the document defaults, then its basedOn chain, then itself."""
    by_id = {style.get(W + "styleId"): style for style in styles.iter(W + "style")}
    chain, current = [], by_id[style_id]
    while current is not None:
        chain.append(current)
        based = current.find(W + "basedOn")
        current = by_id[based.get(W + "val")] if based is not None else None
    defaults = styles.find(W + "docDefaults")
    layers = [(defaults.find(f"{W}pPrDefault/{W}pPr"), defaults.find(f"{W}rPrDefault/{W}rPr"))]
    layers += [(style.find(W + "pPr"), style.find(W + "rPr")) for style in reversed(chain)]
    found = {"size": None, "first_indent": 0, "left": 0, "right": 0, "keep_next": False, "keep_lines": False,
             "line": None, "rule": None, "before": 0, "after": 0}
    for ppr, rpr in layers:
        size = rpr.find(W + "sz") if rpr is not None else None
        if size is not None:
            found["size"] = int(size.get(W + "val")) * 10  # half-points to twips
        if ppr is None:
            continue
        ind = ppr.find(W + "ind")
        if ind is not None:
            for field, names in (("left", ("left", "start")), ("right", ("right", "end"))):
                value = _twips(ind, *names)
                found[field] = found[field] if value is None else value
            first, hanging = _twips(ind, "firstLine"), _twips(ind, "hanging")
            if hanging is not None:
                found["first_indent"] = -hanging
            elif first is not None:
                found["first_indent"] = first
            if ind.get(W + "firstLineChars") is not None:  # in characters of the style's size
                found["first_chars"] = int(ind.get(W + "firstLineChars"))
        for field, tag in (("keep_next", "keepNext"), ("keep_lines", "keepLines")):
            node = ppr.find(W + tag)
            if node is not None:
                found[field] = node.get(W + "val", "1") not in ("0", "false", "off")
        spacing = ppr.find(W + "spacing")
        if spacing is not None and spacing.get(W + "line") is not None:
            found["line"], found["rule"] = int(spacing.get(W + "line")), spacing.get(W + "lineRule")
        for field in ("before", "after"):
            value = _twips(spacing, field)
            found[field] = found[field] if value is None else value
    return found


@pytest.mark.parametrize("name", LETTERS)
def test_page_setup_is_what_pages_counts_with(name):
    section = part(name, "word/document.xml").find(f"{W}body/{W}sectPr")
    size, margins, grid = (section.find(W + tag) for tag in ("pgSz", "pgMar", "docGrid"))
    width = int(size.get(W + "w")) - int(margins.get(W + "left")) - int(margins.get(W + "right"))
    height = int(size.get(W + "h")) - int(margins.get(W + "top")) - int(margins.get(W + "bottom"))
    assert width == pages.TEXT_WIDTH
    assert height // int(grid.get(W + "linePitch")) == pages.PAGE_LINES
    defaults = part(name, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert int(defaults.find(W + "spacing").get(W + "val")) == pages.SPACING


@pytest.mark.parametrize("name", LETTERS)
def test_each_paragraph_style_is_set_as_the_template_defines_it(name):
    styles = part(name, "word/styles.xml")
    pitch = int(part(name, "word/document.xml").find(f"{W}body/{W}sectPr/{W}docGrid").get(W + "linePitch"))
    for style_id, style in pages.STYLES.items():
        found = resolved(styles, style_id)
        assert pages.Style(found["size"], found["first_indent"], found["left"], found["right"], found["keep_next"],
                           found["keep_lines"]) == style, style_id
        if "first_chars" in found:  # Word and LibreOffice read the indent in characters first
            assert found["first_chars"] * found["size"] // 100 == found["first_indent"], style_id
        height = found["line"] + found["before"] + found["after"]  # a line, and the space around it
        assert (height, found["rule"]) == (pitch, "exact"), f"{style_id}: one grid line a line"


def _flow_paragraphs(document):
    """The body's top-level paragraphs, text boxes left out, as pages.letter_paragraphs reads them."""
    return document.find(W + "body").iterchildren(W + "p")


@pytest.mark.parametrize("name", LETTERS)
def test_every_style_a_letter_uses_is_known_to_the_estimate(name):
    document = part(name, "word/document.xml")
    used = set()
    for paragraph in _flow_paragraphs(document):
        ppr = paragraph.find(W + "pPr")
        style = ppr.find(W + "pStyle") if ppr is not None else None
        used.add(style.get(W + "val") if style is not None else "")
        direct = {child.tag.removeprefix(W) for child in (ppr if ppr is not None else [])}
        assert direct <= READ_DIRECTLY, f"{name}: a paragraph sets {direct - READ_DIRECTLY} itself"
    body = {"GwBody", *(style for _, style in HEADING_STYLES)}  # what body_paragraphs gives the reply's text
    assert used | body <= set(pages.STYLES), f"{name}: styles the estimate does not know"


def test_the_estimate_reads_the_letter_as_rendered(example):
    """A clerk's wording in the template counts: a longer closing line in reply.docx, more pages."""
    from docx import Document

    from proposal_docs.engine.plan import LETTER_TEMPLATES, counted_letters
    from proposal_docs.model.repository import read_repository
    from proposal_docs.render.batch import Templates
    from proposal_docs.render.contexts import estimated_pages

    repo = read_repository(example)
    year, item = next((y.year, i) for y in repo.years.values() for i in y.cases
                      if i.case.reply and i.case.role.value != "co")
    letter = counted_letters(item, year, repo.project.reply_to)[0]
    before = estimated_pages(repo, item, letter, Templates().get(example, LETTER_TEMPLATES))
    template = own_template(example, "reply")
    doc = Document(template)
    closing = next(p for p in doc.paragraphs if p.style.style_id == "GwClosing")
    closing.runs[0].text = "感谢您的关心和支持。" * 70  # 700 characters: 25 lines more
    doc.save(template)
    after = estimated_pages(repo, item, letter, Templates().get(example, LETTER_TEMPLATES))
    assert after >= before + 1
