"""The letters printed through LibreOffice (`build --pdf`) and measured on the PDF page: 信函格式
(GB/T 9704-2012 §10.1) as a clerk would check it with a ruler.

Letters of one, two and three pages (and every length in between, in steps of one body line) are
made from a copy of a case: the title prints as the context's title_lines, both red double lines
lie on the first page only (170 mm; the lower one 20 mm above the bottom edge), the first page has
no page number, the 落款 and date share a page with the end of the body, and the 版记 sits at the
foot of the last page's text block, inside it.
"""

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLE_PARTS, PROJECT_ROOT, run
from proposal_docs.render.pdf import find_office
from proposal_docs.render.typography import title_lines

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is not installed (pip install pdfplumber)")
pytestmark = pytest.mark.skipif(find_office() is None, reason="LibreOffice (soffice) is not installed")

MM = 72 / 25.4
PAGE_HEIGHT, TEXT_TOP, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT = 297, 37, 262, 28, 184
LINE = 225 / 22  # one line of the 22-line grid, mm
CHAR = 156 / 28  # one 3号 character of the 28-character line, mm
CHAR_4 = 13.75 / MM  # one 4号 character, mm
RED = (1.0, 0.0, 0.0)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# one line of body text: 26 characters after the two-character indent
FILLER = "我局将持续跟踪有关工作办理进展并及时向委员通报情况。"
VARIANTS = range(0, 44)  # body lines added to a one-page reply: one, two and three pages
REPLY_DATES = ("2024-06-18", "2024-07-02", "2024-12-18")  # 2024年6月18日, 2024年7月2日, 2024年12月18日
DOC_NUMBER_GAP = 16 / 72 * 25.4 * 7 / 8  # 发文字号 under the first red line: 3号汉字高度的7/8, mm


def variant_number(lines: int) -> int:
    return 200 + lines


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    """The example year plus copies of case 89 with 0…43 more body lines, built with --pdf."""
    root = tmp_path_factory.mktemp("print") / "repo"
    root.mkdir()
    for part in EXAMPLE_PARTS:
        source = PROJECT_ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    case = (root / "cases/2024/p089.yaml").read_text(encoding="utf-8")
    assert "number: 89\n" in case and "科经提〔2024〕6号" in case
    for lines in VARIANTS:
        number = variant_number(lines)
        text = case.replace("number: 89\n", f"number: {number}\n").replace("科经提〔2024〕6号", f"科经提〔2024〕{number}号")
        text = re.sub(r"(  body: \|\n    .*\n)", lambda m: m.group(1) + "".join(f"    {FILLER}\n" for _ in range(lines)),
                      text)
        # dates of seven, six and eight digits: the 落款 is centred over each
        text = text.replace("  date: 2024-07-02\n", "  date: 2024-12-28\n")  # the member's answer, after all of them
        text = text.replace("  date: 2024-06-18\n", f"  date: {REPLY_DATES[lines % 3]}\n")
        (root / f"cases/2024/p{number:03d}.yaml").write_text(text, encoding="utf-8")
    result = run(root, "build", "--pdf", "--no-site")
    assert result.exit_code == 0, result.output + result.stderr
    return root / "build"


# --- reading the PDF -----------------------------------------------------------------------------

def text_lines(page) -> list[dict]:
    """Lines of text with their top, bottom, left and right edges in mm and their font size."""
    lines = []
    for line in page.extract_text_lines(return_chars=True):
        lines.append({"text": line["text"].replace(" ", ""), "top": line["top"] / MM, "bottom": line["bottom"] / MM,
                      "x0": line["x0"] / MM, "x1": line["x1"] / MM, "size": round(line["chars"][0]["size"])})
    return lines


def red_rules(page) -> list[dict]:
    """The red filled rectangles of a page (the rules), top to bottom, in mm."""
    shapes = [s for s in page.objects.get("curve", []) + page.objects.get("rect", [])
              if s.get("fill") and tuple(s.get("non_stroking_color") or ()) == RED]
    return sorted(({"top": s["top"] / MM, "bottom": s["bottom"] / MM, "x0": s["x0"] / MM, "x1": s["x1"] / MM}
                   for s in shapes), key=lambda r: r["top"])


def docx_title_lines(docx: Path) -> list[str]:
    """The title as the document holds it: the 公文标题 paragraph's lines between its breaks."""
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "GwTitle":
            text = "".join("\n" if node.tag == f"{W}br" else node.text or ""
                           for node in paragraph.iter(f"{W}t", f"{W}br"))
            return text.split("\n")
    raise AssertionError(f"{docx.name}: no title paragraph")


def docx_title(docx: Path) -> str:
    with zipfile.ZipFile(docx) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    return core.find("{http://purl.org/dc/elements/1.1/}title").text


def pdf_of(build: Path, docx: Path) -> Path:
    return build / "pdf" / docx.relative_to(build).with_suffix(".pdf")


# --- the checks ----------------------------------------------------------------------------------

def check_letterhead(pages, docx: Path) -> None:
    first = pages[0]
    lines = text_lines(first)
    issuer = next(line for line in lines if line["size"] == 26)
    assert abs(issuer["top"] - 30) <= 1, f"发文机关标志 {issuer['top']:.1f} mm from the top edge"
    rules = red_rules(first)
    assert len(rules) == 4, f"page 1 has {len(rules)} red rules"
    upper, lower = rules[:2], rules[2:]
    for rule in rules:
        assert abs((rule["x1"] - rule["x0"]) - 170) <= 0.5, "a red line is not 170 mm long"
        assert abs((rule["x0"] + rule["x1"]) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2) <= 1, "a red line is off centre"
    thickness = [r["bottom"] - r["top"] for r in rules]
    assert thickness[0] > thickness[1] and thickness[2] < thickness[3], "上粗下细 over the text, 上细下粗 under it"
    assert 3 <= upper[0]["top"] - issuer["bottom"] <= 5, "the first red line is 4 mm under the 发文机关标志"
    number = next(line for line in lines if line["size"] == 16 and line["top"] > 40)
    assert abs(number["top"] - upper[1]["bottom"] - DOC_NUMBER_GAP) <= 0.15, \
        f"发文字号 {number['top'] - upper[1]['bottom']:.2f} mm under the red line, not 7/8 of a 3号 character"
    assert abs(number["x1"] - TEXT_RIGHT) <= 0.5, "发文字号 flush with the right edge of the text block"
    assert abs(lower[1]["bottom"] - (PAGE_HEIGHT - 20)) <= 0.5, "the second red line ends 20 mm above the bottom edge"
    for page in pages[1:]:
        assert red_rules(page) == [], "red lines on a page after the first"
    # the title as the context's title_lines, one printed line each, 2号, centred
    expected = title_lines(docx_title(docx))
    assert docx_title_lines(docx) == expected
    printed_title = [line for line in lines if line["size"] == 22]
    assert [line["text"] for line in printed_title] == [t.replace(" ", "") for t in expected]
    for line in printed_title:
        assert abs((line["x0"] + line["x1"]) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2) <= 1.5, f"title line off centre: {line}"


def check_page_numbers(pages) -> None:
    number_re = re.compile(r"^—(\d+)—$")
    first = [line for line in text_lines(pages[0]) if number_re.match(line["text"])]
    assert first == [], "the first page of a letter has no page number"
    for index, page in enumerate(pages[1:], start=2):
        numbers = [line for line in text_lines(page) if number_re.match(line["text"])]
        assert [number_re.match(n["text"]).group(1) for n in numbers] == [str(index)]
        assert abs(numbers[0]["bottom"] - TEXT_BOTTOM - 7) <= 3, "page number about 7 mm under the text block"


def check_signature(pages, *, closing: str, org: str, date: str) -> None:
    found = {}
    for number, page in enumerate(pages, start=1):
        for line in text_lines(page):
            for key, text in (("closing", closing), ("org", org), ("date", date), ("note", "（联系人：")):
                if line["text"].startswith(text):
                    found[key] = (number, line)
    assert set(found) == {"closing", "org", "date", "note"}, found.keys()
    page = found["org"][0]
    assert found["closing"][0] == found["date"][0] == found["note"][0] == page, \
        "the end of the body, the 落款, the date and the 附注 print on one page"
    org_line, date_line, note_line = found["org"][1], found["date"][1], found["note"][1]
    assert abs(TEXT_RIGHT - date_line["x1"] - 4 * CHAR) <= 1, "成文日期 右空四字"
    assert abs((org_line["x0"] + org_line["x1"]) / 2 - (date_line["x0"] + date_line["x1"]) / 2) <= 0.5, \
        f"落款 centred over the date {date_line['text']}"
    assert abs(date_line["top"] - org_line["top"] - LINE) <= 0.5 and abs(note_line["top"] - date_line["top"] - LINE) <= 0.5
    assert abs(note_line["x0"] - TEXT_LEFT - 2 * CHAR) <= 1, "附注 居左空二字"
    return page


def check_cc(pages, *, last_text_bottom: float) -> None:
    where = [(n, line) for n, page in enumerate(pages, start=1) for line in text_lines(page)
             if line["text"].startswith("抄送：")]
    assert len(where) == 1, "one 版记"
    number, cc = where[0]
    assert number == len(pages), "the 版记 is on the last page"
    block = [line for line in text_lines(pages[-1]) if line["size"] == 14 and line["top"] >= cc["top"]
             and not line["text"].startswith("—")]
    assert TEXT_BOTTOM - LINE <= block[-1]["bottom"] <= TEXT_BOTTOM, f"版记 at the foot of the text block: {block}"
    assert abs(cc["x0"] - TEXT_LEFT - CHAR_4) <= 0.7, "版记 左空一字"
    for line in block[1:]:  # 回行时与冒号后的首字对齐
        assert abs(line["x0"] - TEXT_LEFT - 4 * CHAR_4) <= 0.7, f"版记 turned line: {line}"
    assert max(line["x1"] for line in block) <= TEXT_RIGHT - CHAR_4 + 0.5, "版记 右空一字"
    assert last_text_bottom < cc["top"], "the 版记 overlaps the text above it"
    # a 版记 in 信函格式 has no rules: nothing but the red lines of the first page is drawn
    drawn = [shape for page in pages for kind in ("line", "rect", "curve") for shape in page.objects.get(kind, [])]
    assert len(drawn) == len(red_rules(pages[0])) == 4


def check_reply(build: Path, docx: Path) -> int:
    with pdfplumber.open(pdf_of(build, docx)) as pdf:
        pages = pdf.pages
        check_letterhead(pages, docx)
        check_page_numbers(pages)
        page = check_signature(pages, closing="感谢您对我市科技和经济工作的关心和支持", org="潜山市科技和经济信息化局",
                               date="2024年")
        last = [line for line in text_lines(pages[-1]) if line["size"] == 16 and not line["text"].startswith("—")]
        check_cc(pages, last_text_bottom=max(line["bottom"] for line in last))
        assert page == len(pages), "the signature is on the last page"
        return len(pages)


def reply_docx(build: Path, number: int) -> Path:
    (docx,) = (build / "2024" / "答复函").glob(f"提案第{number:03d}号-*.docx")
    return docx


def test_letters_of_one_two_and_three_pages(printed):
    pages = {lines: check_reply(printed, reply_docx(printed, variant_number(lines))) for lines in VARIANTS}
    assert set(pages.values()) == {1, 2, 3}, pages
    # a line more never shortens a letter
    counts = [pages[n] for n in VARIANTS]
    assert counts == sorted(counts)


def test_every_reply_of_the_example(printed):
    for docx in sorted((printed / "2024" / "答复函").glob("*.docx")):
        if not re.search(r"第2\d\d号", docx.name):
            check_reply(printed, docx)


def test_co_opinions(printed):
    for docx in sorted((printed / "2024" / "会办意见").glob("*.docx")):
        with pdfplumber.open(pdf_of(printed, docx)) as pdf:
            check_letterhead(pdf.pages, docx)
            check_page_numbers(pdf.pages)
            check_signature(pdf.pages, closing="特此函告。", org="潜山市科技和经济信息化局", date="2024年")
            assert not any(line["text"].startswith("抄送") for page in pdf.pages for line in text_lines(page))


def test_summary_title(printed):
    for docx in sorted((printed / "2024").glob("办理工作总结-*.docx")):
        with pdfplumber.open(pdf_of(printed, docx)) as pdf:
            title = [line["text"] for line in text_lines(pdf.pages[0]) if line["size"] == 22]
        assert title == [t.replace(" ", "") for t in title_lines(docx_title(docx))]
        assert docx_title_lines(docx) == title_lines(docx_title(docx))
