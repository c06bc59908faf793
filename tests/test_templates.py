"""The committed templates carry GB/T 9704's page setup and named styles a clerk can restyle."""

from pathlib import Path

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from proposal_docs.engine.plan import TEMPLATES

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "src" / "proposal_docs" / "templates"


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
    if name in ("reply", "co_opinion", "feedback_form"):  # none on a letter's first page, nor on the one-page form
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


def test_chinese_text_is_marked_simplified_chinese(template):
    """w:lang eastAsia zh-CN in the document defaults and the theme (python-docx's package says en-US
    and ja-JP): word processors pick line breaking, proofing and theme fonts by it."""
    doc, _ = template
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    assert theme is None or theme.get(qn("w:eastAsia")) == "zh-CN"
    # LibreOffice hangs no punctuation into the margin (it reads w:overflowPunct inverted): 28 a line
    normal = doc.styles["Normal"].element.pPr
    assert normal.find(qn("w:overflowPunct")).get(qn("w:val")) == "1"


def _signature_blocks(docx_path: Path) -> list[list]:
    """Each 落款 with the paragraphs before it up to the last one with text (the body's end)."""
    from lxml import etree
    import zipfile
    with zipfile.ZipFile(docx_path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = list(body.iter(qn("w:p")))
    blocks = []
    for index, p in enumerate(paragraphs):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if style is not None and style.get(qn("w:val")) == "GwSignature" and text:
            start = index - 1
            while not "".join(t.text or "" for t in paragraphs[start].iter(qn("w:t"))):
                start -= 1
            blocks.append(paragraphs[start:index + 1])
    return blocks


def _keeps_with_next(paragraph, doc) -> bool:
    direct = paragraph.find(f"{qn('w:pPr')}/{qn('w:keepNext')}")
    if direct is not None:
        return direct.get(qn("w:val")) in (None, "1", "true", "on")
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return bool(style is not None and doc.styles.get_by_id(style.get(qn("w:val")), WD_STYLE_TYPE.PARAGRAPH)
                .paragraph_format.keep_with_next)


def test_signature_kept_with_the_end_of_the_body_in_every_document(example):
    """The last paragraph with text before the 落款 and the blank line between keep with next, so no
    page holds only the 落款 and the date (the summary's last section included); 落款 and date too."""
    from conftest import run
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0, result.output + result.stderr
    built = sorted((example / "build/2024").rglob("*.docx"))
    checked = 0
    for path in built:
        if "征询意见表" in str(path) or "归档文件目录" in path.name:
            continue
        doc = Document(path)
        blocks = _signature_blocks(path)
        assert len(blocks) == 1, path.name
        assert all(_keeps_with_next(p, doc) for p in blocks[0]), path.name
        checked += 1
    assert checked >= 10 and any("办理工作总结" in p.name for p in built)
