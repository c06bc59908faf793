"""The committed templates carry GB/T 9704's page setup and named styles a clerk can restyle."""

from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from proposal_docs.engine.plan import TEMPLATES

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def east_asia_font(style) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


@pytest.fixture(params=TEMPLATES)
def template(request):
    return Document(TEMPLATE_DIR / f"{request.param}.docx"), request.param


def test_page_setup(template):
    doc, name = template
    section = doc.sections[0]
    if name == "archive_index":  # landscape A4, the portrait margins turned with the page
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    else:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                       section.left_margin, section.right_margin)] == [37, 35, 28, 26]
        grid = section._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) == "579"  # 22 lines in 225 mm


def test_named_styles(template):
    doc, _ = template
    styles = {s.name: s for s in doc.styles}
    expected = {"公文正文": ("仿宋_GB2312", 16), "一级标题": ("黑体", 16), "二级标题": ("楷体_GB2312", 16),
                "三级标题": ("仿宋_GB2312", 16), "公文标题": ("方正小标宋简体", 22), "页码": ("宋体", 14),
                "抄送": ("仿宋_GB2312", 14)}
    for name, (font, size) in expected.items():
        assert east_asia_font(styles[name]) == font, name
        assert styles[name].font.size == Pt(size), name
    indent = styles["公文正文"].element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"


def test_page_numbers_in_the_footer(template):
    doc, name = template
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    assert odd.text.startswith("— ") and odd.text.endswith(" —")
    assert odd._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
    assert section.even_page_footer.paragraphs[0].text.startswith("— ")
    if name in ("reply", "co_opinion"):  # no page number on a letter's first page
        assert section.different_first_page_header_footer
        assert section.first_page_footer.paragraphs[0].text == ""


def test_templates_carry_only_what_they_use(template):
    doc, name = template
    size = (TEMPLATE_DIR / f"{name}.docx").stat().st_size
    assert size < 40_000
    assert doc.styles.element.find(qn("w:latentStyles")) is None


@pytest.mark.parametrize("name", ["reply", "co_opinion"])
def test_letterhead_30_mm_from_the_top_edge_with_a_170_mm_red_rule(name):
    """The 版头 of 信函格式 is anchored to the page in the first paragraph, in front of the text
    (wrapNone), so it never moves the body's 22-line grid; tests/test_print_letters.py measures it."""
    doc = Document(TEMPLATE_DIR / f"{name}.docx")
    emu_mm = 36000
    anchors = doc.paragraphs[0]._p.findall(f"{qn('w:r')}/{qn('w:drawing')}/{qn('wp:anchor')}")
    shapes = {}
    for anchor in anchors:
        assert anchor.find(qn("wp:wrapNone")) is not None
        assert anchor.find(qn("wp:positionV")).get("relativeFrom") == "page"
        top = int(anchor.find(f"{qn('wp:positionV')}/{qn('wp:posOffset')}").text) / emu_mm
        width = int(anchor.find(qn("wp:extent")).get("cx")) / emu_mm
        shapes.setdefault(anchor.find(qn("wp:docPr")).get("name"), []).append((round(top, 1), round(width)))
    (issuer,) = shapes["发文机关标志"]
    assert 30 <= issuer[0] <= 31 and issuer[1] == 170
    rules = sorted(shapes["红色双线"])
    assert len(rules) == 4 and {width for _, width in rules} == {170}
    assert round(rules[0][0]) == 43 and 276 <= rules[-1][0] <= 277
    (box,) = [a.find(f".//{qn('w:txbxContent')}/{qn('w:p')}") for a in anchors
              if a.find(qn("wp:docPr")).get("name") == "发文机关标志"]
    issuer_style = doc.styles.get_by_id(box.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")), WD_STYLE_TYPE.PARAGRAPH)
    assert issuer_style.name == "发文机关标志"
    assert issuer_style.font.color.rgb == RGBColor(0xFF, 0, 0)
