"""The 征询意见表, the 归档文件目录 and the print fonts, measured on the page LibreOffice prints.

One repository — the example's cases and 25 generated ones — is built with `build --pdf` once; the
tests read the PDFs with pdfplumber: a form is one page, every box empty, room to sign and date,
no label broken; the archive index repeats its header row on every page, never splits a row and
never wraps 档号, 文号 or 日期; no Chinese text is printed with Japanese or Korean glyphs, and 仿宋,
楷体, 黑体 and 小标宋 print in four different faces.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from conftest import PROJECT_ROOT, run
from proposal_docs.sample import generate

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber 未安装(pip install -e '.[test]')")

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(OFFICE is None, reason="LibreOffice 未安装(Debian: apt-get install libreoffice-writer-nogui)")
MM = 72 / 25.4  # PDF points per millimetre


def fc_families() -> set[str]:
    if not shutil.which("fc-list"):
        return set()
    out = subprocess.run(["fc-list", ":lang=zh-cn", "--format", "%{family}\n"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> Path:
    if OFFICE is None:
        pytest.skip("LibreOffice 未安装(Debian: apt-get install libreoffice-writer-nogui)")
    root = generate(tmp_path_factory.mktemp("print") / "repo", 25, PROJECT_ROOT, first=200)
    for case in (PROJECT_ROOT / "cases/2024").glob("*.yaml"):
        shutil.copy(case, root / "cases/2024" / case.name)
    # a reply dated with eight digits (2024年12月18日), the widest date the 答复时间 cell holds
    late = (PROJECT_ROOT / "cases/2024/p089.yaml").read_text(encoding="utf-8")
    late = late.replace("number: 89\n", "number: 189\n").replace("科经提〔2024〕6号", "科经提〔2024〕189号")
    late = late.replace("  date: 2024-07-02\n", "  date: 2024-12-28\n").replace("  date: 2024-06-18\n", "  date: 2024-12-18\n")
    (root / "cases/2024/p189.yaml").write_text(late, encoding="utf-8")
    result = run(root, "build", "--pdf", "--no-site")
    assert result.exit_code == 0, result.output + result.stderr
    return root


def lines_of(page) -> list[dict]:
    return page.extract_text_lines(layout=False, strip=True, return_chars=True)


# ---- 征询意见表 ---------------------------------------------------------------------------------

LABELS = ("答复时间", "案由", "承办单位", "答复前沟通", "沟通方式", "办理态度", "办理结果", "意见和建议")
OPTIONS = ("☐是", "☐否", "☐上门走访", "☐邀请来局", "☐座谈会", "☐电话", "☐书面", "☐网络", "☐满意", "☐基本满意", "☐不满意")


def forms(root: Path) -> list[Path]:
    found = sorted((root / "build/pdf/2024/征询意见表").glob("*.pdf"))
    assert len(found) >= 20
    return found


@needs_office
def test_every_form_prints_on_one_page_with_empty_boxes_and_whole_labels(printed):
    for pdf_path in forms(printed):
        with pdfplumber.open(pdf_path) as pdf:
            assert len(pdf.pages) == 1, pdf_path.name
            text = pdf.pages[0].extract_text()
            lines = [line["text"].replace(" ", "") for line in lines_of(pdf.pages[0])]
        assert "☑" not in text and "☒" not in text, pdf_path.name
        # the reply date whole on the 答复时间 line, eight digits included; a one-page form has no page number
        assert any(re.search(r"答复时间\d{4}年\d{1,2}月\d{1,2}日$", line) for line in lines), (pdf_path.name, lines)
        assert not any(re.fullmatch(r"—\d+—", line) for line in lines), (pdf_path.name, "page number")
        assert text.count("☐") == 2 + 6 + 3 + 3, pdf_path.name
        kind = "建议" if pdf_path.name.startswith("建议") else "提案"
        # a label or an option is whole when one printed line holds all of it
        for label in (f"{kind}号", f"{kind}人", *LABELS, *OPTIONS):
            assert any(label in line for line in lines), (pdf_path.name, label, lines)


@needs_office
def test_the_form_holds_a_date_of_eight_digits_on_one_line(printed):
    pdf_path = next((printed / "build/pdf/2024/征询意见表").glob("提案第189号-*.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        lines = [line["text"].replace(" ", "") for line in lines_of(pdf.pages[0])]
    assert any(line.endswith("答复时间2024年12月18日") for line in lines), lines


@needs_office
def test_the_members_answers_are_not_printed_on_the_form(printed):
    """p007 records 满意/满意 and comments the member wrote back; the form goes out blank."""
    case = (printed / "cases/2024/p007.yaml").read_text(encoding="utf-8")
    assert "feedback:" in case
    pdf_path = next((printed / "build/pdf/2024/征询意见表").glob("提案第007号-*.pdf"))
    with pdfplumber.open(pdf_path) as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")
    assert "☑" not in text
    assert "2024年6月10日" not in text  # the date the member signed on stays the member's to write


@needs_office
def test_the_form_leaves_room_to_sign_and_to_date_by_hand(printed):
    for pdf_path in forms(printed)[:6]:
        with pdfplumber.open(pdf_path) as pdf:
            page = pdf.pages[0]
            lines = lines_of(page)
            right_edge = max(e["x0"] for e in page.edges if e["orientation"] == "v")
            bottom_edge = max(e["top"] for e in page.edges if e["orientation"] == "h")
        sign = next(line for line in lines if "（签名）：" in line["text"].replace(" ", ""))
        colon = [c for c in sign["chars"] if c["text"] == "："][-1]
        others = [c for c in page.chars if c["x0"] > colon["x1"] and abs(c["top"] - colon["top"]) < 20]
        assert not others, (pdf_path.name, "".join(c["text"] for c in others))
        assert (right_edge - colon["x1"]) / MM >= 40, pdf_path.name  # room for a signature
        date = next(line for line in lines if re.fullmatch(r"年\s*月\s*日", line["text"]))
        assert date["top"] - sign["bottom"] >= 8 * MM, pdf_path.name  # a line's room between them
        assert bottom_edge > date["bottom"], pdf_path.name  # inside the table
        year, month, day = (next(c for c in date["chars"] if c["text"] == t) for t in "年月日")
        assert (month["x0"] - year["x1"]) / MM >= 8 and (day["x0"] - month["x1"]) / MM >= 8, pdf_path.name
        cell_left = max(e["x0"] for e in page.edges if e["orientation"] == "v" and e["x0"] < colon["x0"] - 30 * MM)
        assert (year["x0"] - cell_left) / MM >= 30, pdf_path.name  # and for the year's digits
        assert not any(re.search(r"\d", c["text"]) for c in date["chars"])


# ---- 归档文件目录 ----------------------------------------------------------------------------------

HEADER = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]


def index_rows(root: Path) -> dict[str, list[str]]:
    table = Document(root / "build/2024/归档文件目录-政协提案.docx").tables[0]
    return {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}


def bands(page) -> tuple[list[float], list[tuple[float, float]]]:
    """The table's column edges and its rows, as (top, bottom) between horizontal rules."""
    xs = sorted({round(e["x0"], 1) for e in page.edges if e["orientation"] == "v"})
    ys = sorted({round(e["top"], 1) for e in page.edges if e["orientation"] == "h"})
    ys = [y for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 2]
    return xs, list(zip(ys, ys[1:]))


def cell_chars(page, xs, band, column: int) -> list[dict]:
    left, right = xs[column], xs[column + 1]
    return [c for c in page.chars if left < (c["x0"] + c["x1"]) / 2 < right and band[0] < (c["top"] + c["bottom"]) / 2 < band[1]]


@needs_office
def test_archive_index_repeats_its_header_and_never_splits_a_row(printed):
    expected = index_rows(printed)
    assert len(expected) >= 30
    seen = []
    with pdfplumber.open(printed / "build/pdf/2024/归档文件目录-政协提案.pdf") as pdf:
        assert len(pdf.pages) >= 3
        for number, page in enumerate(pdf.pages, start=1):
            assert page.width > page.height  # landscape
            xs, rows = bands(page)
            assert len(xs) == len(HEADER) + 1, number
            header = ["".join(c["text"] for c in cell_chars(page, xs, rows[0], i)) for i in range(len(HEADER))]
            assert header == HEADER, (number, header)
            for band in rows[1:]:
                cells = ["".join(c["text"] for c in sorted(cell_chars(page, xs, band, i), key=lambda c: (round(c["top"]), c["x0"])))
                         for i in range(len(HEADER))]
                code = cells[1]
                assert code in expected, (number, cells)
                # the whole row on this page: every cell as the document holds it
                assert cells == [t.replace(" ", "") for t in expected[code]], (number, cells)
                seen.append(code)
    assert sorted(seen) == sorted(expected)


@needs_office
def test_archive_index_never_wraps_code_number_or_date(printed):
    with pdfplumber.open(printed / "build/pdf/2024/归档文件目录-政协提案.pdf") as pdf:
        for page in pdf.pages:
            xs, rows = bands(page)
            for band in rows[1:]:
                for column in (1, 2, 5):  # 档号, 文号, 日期
                    chars = cell_chars(page, xs, band, column)
                    assert len({round(c["top"]) for c in chars}) <= 1, "".join(c["text"] for c in chars)


@needs_office
def test_archive_index_titles_name_the_case_and_forms_count_one_page(printed):
    rows = index_rows(printed)
    first = rows["X012-WS·2024-D30-ZX-0001"]
    assert first[4] == "关于市政协十三届四次会议第7号提案（尽快建设绿色环保家具产业园，促传统产业转型升级）的答复"
    forms_filed = [r for r in rows.values() if r[4].endswith("办理情况的征询意见表]")]
    assert forms_filed and all(r[4].startswith("[") and r[7] == "1" for r in forms_filed)
    with pdfplumber.open(next((printed / "build/pdf/2024/征询意见表").glob("提案第007号-*.pdf"))) as pdf:
        assert len(pdf.pages) == 1


# ---- fonts ----------------------------------------------------------------------------------------

def pdf_fonts(path: Path) -> set[str]:
    fonts = set()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            fonts |= {c["fontname"].split("+", 1)[-1] for c in page.chars}
    return fonts


# Noto's pan-CJK collections share one CFF table named after its Japanese face, so LibreOffice
# embeds the SC face as `NotoSerifCJKjp-…`: for those the glyphs decide (below), not the name.
NOTO_COLLECTION = re.compile(r"^Noto(Sans|Serif)CJKjp-(\w+?)(-|$)")
FOREIGN_NAME = re.compile(r"jp|kr|JP|KR|Japan|Korea|Mincho|Gothic|Batang|Gulim|Big5", re.IGNORECASE)


@needs_office
def test_no_pdf_names_a_japanese_or_korean_face_except_the_noto_collection(printed):
    for path in sorted((printed / "build/pdf").rglob("*.pdf")):
        for font in pdf_fonts(path):
            assert NOTO_COLLECTION.match(font) or not FOREIGN_NAME.search(font), (path.name, font)


def test_the_font_mapping_resolves_every_official_font_to_a_simplified_chinese_face(tmp_path):
    """What LibreOffice is given: fontconfig, with the tool's file, answers an SC face for each font
    (the Japanese-looking names above are only the collection's CFF name: the SC face's glyphs print,
    as the PNG pages show — 以, 令 and 骨 in their GB forms)."""
    from proposal_docs.render.fonts import plan_fonts

    if not shutil.which("fc-match"):
        pytest.skip("fontconfig 未安装")
    plan = plan_fonts(resolve=True, workdir=tmp_path)
    for choice in plan.choices:
        if choice.face is None:
            continue
        assert not re.search(r"\b(JP|KR|TC|HK|TW)\b|Big5", choice.printed_as), choice
        if not choice.installed:
            assert choice.printed_as.startswith(choice.face), choice
    assert "cwTeX" not in " ".join(c.printed_as for c in plan.choices)  # no Simplified-Chinese glyphs


def _fonts_by_role(path: Path) -> dict[str, str]:
    """The font of a title line (小标宋), a body line (仿宋), a 一、 heading (黑体), a （一） heading (楷体)."""
    roles = {}
    with pdfplumber.open(path) as pdf:
        for line in lines_of(pdf.pages[0]):
            text = line["text"].replace(" ", "")
            cjk = [c for c in line["chars"] if "\u4e00" <= c["text"] <= "\u9fff"]
            if not cjk:
                continue
            font = cjk[-1]["fontname"].split("+", 1)[-1]
            if cjk[-1]["size"] > 20:
                roles.setdefault("小标宋", font)
            elif text.startswith("一、"):
                roles.setdefault("黑体", font)
            elif text.startswith("（一）"):
                roles.setdefault("楷体", font)
            elif text.startswith("今年以来"):
                roles.setdefault("仿宋", font)
    return roles


@needs_office
def test_fangsong_kaiti_heiti_and_xiaobiaosong_print_in_four_faces(printed):
    families = fc_families()
    wanted = {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL KaitiM GB"}
    if not wanted <= families:
        pytest.skip(f"缺少免费中文字体 {sorted(wanted - families)}(.ci/run 安装 fonts-noto-cjk、fonts-arphic-gkai00mp)")
    letter = next((printed / "build/pdf/2024/答复函").glob("提案第2*.pdf"))
    roles = _fonts_by_role(letter)
    assert set(roles) == {"小标宋", "黑体", "楷体", "仿宋"}, roles
    assert len(set(roles.values())) == 4, roles


# ---- `proposal-docs fonts` ------------------------------------------------------------------------

OFFICIAL = ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体", "宋体")


def test_fonts_command_tells_what_stands_in_for_each_official_font(example):
    result = run(example, "fonts")
    assert result.exit_code == 0, result.output + result.stderr
    lines = result.output.splitlines()
    for name in OFFICIAL:
        line = next(line for line in lines if line.strip().startswith(f"{name}："))
        assert "已安装" in line or "代替" in line, line
    if not shutil.which("fc-list"):
        return
    families = fc_families()
    said = {name: next(line for line in lines if line.strip().startswith(f"{name}：")) for name in OFFICIAL}
    for name, line in said.items():
        assert not re.search(r"CJK (JP|KR|TC|HK)", line), line
        if name not in families and "Noto Serif CJK SC" in families and name in ("仿宋_GB2312", "宋体", "方正小标宋简体"):
            assert "Noto Serif CJK SC" in line, line
    if "AR PL KaitiM GB" in families and "楷体_GB2312" not in families:
        assert "AR PL KaitiM GB" in said["楷体_GB2312"]
    if "Noto Sans CJK SC" in families and "黑体" not in families:
        assert "Noto Sans CJK SC" in said["黑体"]
    if any("cwTeX" in f for f in subprocess.run(["fc-list", "--format", "%{family}\n"], capture_output=True,
                                                  text=True).stdout.splitlines()):
        assert "繁体中文字体" in result.output  # found, and said why it does not print 仿宋
    missing = [name for name in OFFICIAL if name not in families]
    if missing:
        assert f"缺少 {len(missing)} 种公文字体" in result.output


def test_fonts_command_without_fontconfig_still_answers(example):
    result = run(example, "fonts", env={"PATH": str(Path(sys.executable).parent)})
    assert result.exit_code == 0
    assert all(name in result.output for name in OFFICIAL)
