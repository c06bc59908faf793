"""Build the example year and read every document back: text, styles, page setup, determinism."""

import os
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from conftest import PROJECT_ROOT, edit, run
from proposal_docs.render.text import document_text

GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = Path(__file__).resolve().parent / "data" / "seed_summary.txt"  # a real annual summary of this work


@pytest.fixture
def built(example):
    result = run(example, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output + result.stderr
    return example / "build"


def docs(build: Path) -> list[Path]:
    return sorted(build.rglob("*.docx"))


def test_full_document_set(built):
    names = sorted(p.relative_to(built).as_posix() for p in docs(built))
    assert len([n for n in names if "/答复函/" in n]) == 9  # p052's 再次答复 among them
    assert len([n for n in names if "/会办意见/" in n]) == 5
    assert len([n for n in names if "/征询意见表/" in n]) == 9
    assert [n for n in names if "/退办申请函/" in n] == ["2024/退办申请函/提案第046号-关于加强农村饮水安全保障的建议.docx"]
    assert "2024/答复函/提案第052号-关于支持中小企业数字化转型的建议-再次答复.docx" in names
    assert "2024/答复函/提案第007号-尽快建设绿色环保家具产业园,促传统产业转型升级.docx" in names
    assert {"2024/归档文件目录-政协提案.docx", "2024/归档文件目录-人大建议.docx",
            "2024/办理工作总结-政协提案.docx", "2024/办理工作总结-人大建议.docx"} <= set(names)


def test_golden_text(built):
    """Every document's text, committed: a template change shows as a readable diff.

    Set UPDATE_GOLDEN=1 to rewrite tests/golden after an intended change.
    """
    produced = {p.relative_to(built).with_suffix(".txt").as_posix(): document_text(p) for p in docs(built)}
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in produced.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.txt")}
    assert sorted(produced) == sorted(expected)
    for rel in produced:
        assert produced[rel] == expected[rel], rel


def test_reply_letter_text_and_styles(built):
    doc = Document(built / "2024/答复函/提案第012号-关于促进我市民营经济高质量发展的建议.docx")
    by_text = {p.text: p for p in doc.paragraphs}
    # the 版头 is anchored to the page in text boxes: 答复类别, 公开属性, 发文机关标志
    boxes = {Paragraph(p, doc).text: Paragraph(p, doc) for p in doc.element.body.iter(qn("w:txbxContent"))
             for p in p.iterchildren(qn("w:p"))}
    assert boxes["A"].style.name == "答复类别"
    assert "公开属性：全文公开" in boxes
    assert boxes["潜山市科技和经济信息化局"].style.name == "发文机关标志"
    assert by_text["科经提〔2024〕4号"].style.name == "发文字号"
    # broken by meaning, not by Word: the title's lines are line breaks in its one paragraph
    assert by_text["关于市政协十三届四次会议\n第12号提案的答复"].style.name == "公文标题"
    assert by_text["左三立等委员："].style.name == "主送机关"
    assert by_text["一、优化民营经济发展环境"].style.name == "一级标题"
    assert by_text["（一）落实惠企政策“免申即享”"].style.name == "二级标题"
    assert by_text["1.市财政局注资1亿元设立应急转贷资金，累计为企业转贷4.2亿元。"].style.name == "三级标题"
    assert by_text["经市政府分管领导批示，上述措施已纳入市委市政府《关于促进民营经济发展壮大的若干措施》。"].style.name == "公文正文"
    assert by_text["2024年6月12日"].style.name == "成文日期"
    assert by_text["感谢您对我市科技和经济工作的关心和支持，欢迎继续提出宝贵意见。"].style.name == "结束语"
    assert "（联系人：张三，联系电话：0556-5551234）" in by_text
    assert "抄送：市政协提案委员会，市政府督查室，市财政局，市市场监管局。" in by_text
    opening = next(p.text for p in doc.paragraphs if p.text.startswith("您提出的"))
    assert opening == ("您提出的《关于促进我市民营经济高质量发展的建议》（第12号）提案收悉。我局高度重视，"
                       "会同市财政局、市市场监管局认真研究办理，现答复如下：")
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and section.different_first_page_header_footer
    assert doc.core_properties.title == "关于市政协十三届四次会议第12号提案的答复"
    assert doc.core_properties.created.date().isoformat() == "2024-06-12"


def test_npc_letter_and_blank_number(example):
    edit(example / "cases/2024/s023.yaml", "  doc_number: 科经提〔2024〕7号\n", "")
    assert run(example, "build").exit_code == 0
    text = document_text(example / "build/2024/答复函/建议第023号-关于支持企业技术改造的建议.docx")
    assert "科经提〔2024〕\u3000\u3000号" in text
    assert "刘海代表：" in text and "建议收悉" in text
    assert "抄送：市人大常委会选工委，市政府督查室，市财政局。" in text


def test_reply_to_each_proposer(example):
    edit(example / "proposal-docs.yaml", "reply_to: lead", "reply_to: each")
    assert run(example, "build").exit_code == 0
    letters = sorted((example / "build/2024/答复函").glob("提案第108号-*"))
    assert [p.stem.rsplit("-", 1)[1] for p in letters] == ["徐礼前", "程红", "胡天赐"]
    assert "程红委员：" in document_text(letters[1])


def test_feedback_form_prints_the_case_and_empty_boxes_even_when_feedback_is_recorded(built):
    """p007 records contact before the reply and a 满意 answer: the form still goes out blank."""
    text = document_text(built / "2024/征询意见表/提案第007号-尽快建设绿色环保家具产业园,促传统产业转型升级.docx")
    assert "| 提案号 | 第7号 | 答复时间 | 2024年5月30日 |" in text
    assert "| 提案人 | 聂银峰 |" in text
    assert "| 答复前沟通 | ☐是　　☐否 |" in text
    assert "| 沟通方式 | ☐上门走访 ☐邀请来局 ☐座谈会 ☐电话 ☐书面 ☐网络 |" in text
    assert "| 办理态度 | ☐满意　　☐基本满意　　☐不满意 |" in text
    assert "☑" not in text
    assert "提案人（签名）：" in text and "年　　　月　　　日" in text


def test_feedback_form_as_sent_has_empty_boxes(example):
    case = example / "cases/2024/p009.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("feedback:")], encoding="utf-8")
    assert run(example, "build").exit_code == 0
    form = document_text(example / "build/2024/征询意见表/提案第009号-关于小型服装加工厂发展的建议.docx")
    assert "| 办理结果 | ☐满意　　☐基本满意　　☐不满意 |" in form
    assert "年　　　月　　　日" in form


def test_archive_index_rows(built):
    doc = Document(built / "2024/归档文件目录-政协提案.docx")
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
    first = [c.text for c in table.rows[1].cells]
    assert first[:6] == ["1", "X012-WS·2024-D30-ZX-0001", "科经提〔2024〕1号", "潜山市科技和经济信息化局",
                         "关于市政协十三届四次会议第7号提案（尽快建设绿色环保家具产业园，促传统产业转型升级）的答复", "20240530"]
    seqs = [int(r.cells[0].text) for r in table.rows[1:]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert doc.sections[0].page_width > doc.sections[0].page_height


def test_summary_numbers_follow_the_seed(built):
    """Every clause of the seed with x placeholders reads, in our summary, with computed numbers."""
    summary = document_text(built / "2024/办理工作总结-政协提案.docx")
    assert not re.search(r"[xX]", summary)
    seed = SEED.read_text(encoding="utf-8").replace(" ", "")
    expected = {
        "市科经局共承接办理市政协十三届四次会议委员提案xx件": ("12",),  # 第46号 returned: not counted
        "其中主办x件": ("6",),
        "分别为第x号由聂银峰委员提交的《尽快建设绿色环保家具产业园": ("7",),
        "第x号由姚结来委员提交的《关于小型服装加工厂发展的建议》": ("9",),
        "第xx号由左三立等委员提交的《关于促进我市民营经济高质量发展的建议》": ("12",),
        "第xx号由赵方剑委员提交的《盘活闲置厂房资源": ("35",),
        "第xxx号由徐礼前等委员提交的《招商引资提高更好的营商环境》": ("108",),
        "办结率为xxx%": ("100",),
        "所办理的x件提案均主动与委员沟通": ("7",),
        "x月xx日": ("8", "16"),
        "市科经局召开xxxx年提案办理工作座谈会": ("2024",),
        "我局办理的x件提案均为满意等次": ("7",),  # 第52号 by its final feedback,
        "如x号、xx号、xxx号": ("7", "12", "52"),
        "如x号、xx号提案": ("9", "35"),
        "如xx号委员提案": ("12",),
        "为切实做好xxxx年政协委员提案办理工作": ("2024",),
    }
    for clause, numbers in expected.items():
        assert clause in seed, clause  # the seed's own words…
        pattern = re.sub(r"x+", r"(\\d+)", re.escape(clause))
        match = re.search(pattern, summary)  # …read in our summary with the computed figures
        assert match and match.groups() == numbers, clause
    assert "聂银峰、赵方剑、胡天赐、左三立" in summary
    assert ("另有第46号《关于加强农村饮水安全保障的建议》经研究不属于我局职责范围，已按规定申请退办（退办1件），"
            "不计入办理件数和办复率。") in summary
    assert ("对反馈办理结果不满意的第52号提案，再次与委员沟通、重新研究办理并再次答复，二次办理1件，"
            "再次征询结果为满意1件、基本满意0件、不满意0件。") in summary


def test_summary_sections_can_be_replaced_or_extended(example):
    edit(example / "cases/2024/year.yaml", "  sections: {}",
         "  sections:\n    innovation: 今年未出台新政策。\n    basic_extra: 另有一件提案转交他单位办理。")
    assert run(example, "build").exit_code == 0
    summary = document_text(example / "build/2024/办理工作总结-政协提案.docx")
    assert "今年未出台新政策。" in summary and "出台相关政策" not in summary
    assert summary.index("另有一件提案转交他单位办理。") < summary.index("二、办理程序")


def test_two_builds_are_byte_identical(example, tmp_path):
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(example, other)
    assert run(example, "build", "--jobs", "1").exit_code == 0
    assert run(other, "build", "--jobs", "2", "--force").exit_code == 0
    first, second = docs(example / "build"), docs(other / "build")
    assert [p.relative_to(example / "build") for p in first] == [p.relative_to(other / "build") for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_invalid_input_writes_nothing(example):
    edit(example / "cases/2024/p007.yaml", "category: A", "category: Z")
    result = run(example, "build")
    assert result.exit_code == 1
    assert "reply.category" in result.output
    assert not (example / "build").exists()


def test_page_setup_of_every_document(built):
    for path in docs(built):
        section = Document(path).sections[0]
        portrait = (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        landscape = (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
        assert portrait or (landscape and "归档文件目录" in path.name), path
        body = Document(path).styles["公文正文"]
        assert body.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_four_class_category_scheme(example):
    edit(example / "proposal-docs.yaml", "  C: 因条件限制留作参考", "  C: 因条件限制留作参考\n  D: 已作说明解释")
    edit(example / "cases/2024/p035.yaml", "category: C", "category: D")
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0
    summary = document_text(example / "build/2024/办理工作总结-政协提案.docx")
    assert "C类（因条件限制留作参考）1件（第9号）；D类（已作说明解释）1件（第35号）。" in summary
    assert "如35号提案" in summary  # the last class is the one explained face to face
    letter = document_text(next((example / "build/2024/答复函").glob("提案第035号*")))
    assert letter.startswith("D\n")
