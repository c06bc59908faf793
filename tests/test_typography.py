"""Chinese typography: full-width punctuation in case text (GB/T 15834-2011) and titles broken by
meaning (GB/T 9704-2012 §7.3.3), as functions and in the documents and pages a build writes."""

import re

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import edit, run
from proposal_docs.render.text import document_text
from proposal_docs.render.typography import _title_cuts, fullwidth_punctuation, text_width, title_lines

# --- punctuation -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed, printed", [
    ("聂银峰委员:", "聂银峰委员："),
    ("(第7号)", "（第7号）"),
    ("(一)落实惠企政策", "（一）落实惠企政策"),
    ("(1)加强组织领导", "（1）加强组织领导"),
    ("(联系人:陈立,联系电话:0556-5551201)", "（联系人：陈立，联系电话：0556-5551201）"),
    ("抄送:市政协提案委员会,市政府督查室。", "抄送：市政协提案委员会，市政府督查室。"),
    ("研发(R&D)投入增长3.5%,达2.1亿元", "研发（R&D）投入增长3.5%，达2.1亿元"),
    ("上午10:30开会;下午散会", "上午10:30开会；下午散会"),
    ("为什么?!", "为什么？！"),
    ("文件（试行)", "文件（试行）"),  # a pair half typed full-width is printed alike
    ("委员 : 您好", "委员：您好"),  # the typed spaces go: the full-width mark carries its own
    ("网址:https://www.example.cn/a?b=1,欢迎访问", "网址：https://www.example.cn/a?b=1，欢迎访问"),
    ("邮箱:office@example.cn;电话:5551201", "邮箱：office@example.cn；电话：5551201"),
    ("见https://zh.wikipedia.org/wiki/A_(B)说明", "见https://zh.wikipedia.org/wiki/A_(B)说明"),
    ("见(https://www.example.cn/a)说明", "见（https://www.example.cn/a）说明"),
    ("see item (a) and (b), then f(x)", "see item (a) and (b), then f(x)"),
    ("第1,2号", "第1,2号"),
    ("R&D, 3.5%, 2.1", "R&D, 3.5%, 2.1"),
])
def test_half_width_marks_beside_chinese_are_printed_full_width(typed, printed):
    assert fullwidth_punctuation(typed) == printed


def test_brackets_never_pair_across_paragraphs():
    assert fullwidth_punctuation("一是(\n二是)") == "一是（\n二是）"
    assert fullwidth_punctuation("see (a\nb) here") == "see (a\nb) here"


CHINESE = st.sampled_from(["我局", "委员", "提案", "答复", "推动", "产业", "绿色化", "改造", "研究", "办理", "《规划》",
                           "“科技贷”", "。", "、", "（", "）"])
LATIN = st.sampled_from(["0556-5551201", "R&D", "3.5%", "2.1", "10:30", "5G", "https://www.example.cn/a?b=1",
                         "office@example.cn", "Word", "2024"])
MARKS = st.sampled_from(list(",:;()?!") + [" ", ", ", ": "])
TEXT = st.lists(st.one_of(CHINESE, LATIN, MARKS, st.text(max_size=3)), max_size=12).map("".join)
HALF = str.maketrans("，：；（）？！", ",:;()?!")


def _skeleton(text: str) -> str:
    return text.translate(HALF).replace(" ", "").replace("\t", "")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_only_the_marks_and_their_spaces_change(text):
    printed = fullwidth_punctuation(text)
    assert _skeleton(printed) == _skeleton(text)
    assert fullwidth_punctuation(printed) == printed  # printing twice changes nothing more


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CHINESE, LATIN), min_size=1, max_size=5))
def test_digits_latin_and_addresses_keep_their_marks(pieces):
    text = "".join(a + b for a, b in pieces)
    printed = fullwidth_punctuation(text)
    for _, latin in pieces:
        assert latin in printed


@settings(deadline=None)
@given(st.text(st.characters(max_codepoint=0x2FF)))
def test_text_without_chinese_is_left_alone(text):
    assert fullwidth_punctuation(text) == text


# --- titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("title, lines", [
    ("关于市政协十四届一次会议第102号提案的答复", ["关于市政协十四届一次会议", "第102号提案的答复"]),
    ("关于市十七届人大三次会议第23号建议的答复", ["关于市十七届人大三次会议", "第23号建议的答复"]),
    ("关于市政协十四届一次会议第58号提案的会办意见", ["关于市政协十四届一次会议", "第58号提案的会办意见"]),
    ("关于市政协十四届一次会议第9号提案的再次答复", ["关于市政协十四届一次会议", "第9号提案的再次答复"]),
    ("市政协提案办理情况征询意见表", ["市政协提案办理情况征询意见表"]),
    ("潜山市科技和经济信息化局关于2024年市政协委员提案办理工作情况的总结",
     ["潜山市科技和经济信息化局关于2024年", "市政协委员提案办理工作情况的总结"]),
])
def test_titles_break_where_the_meaning_allows(title, lines):
    assert title_lines(title) == lines


def test_a_title_that_fits_stays_on_one_line_and_width_is_a_parameter():
    assert title_lines("归档文件目录") == ["归档文件目录"]
    assert title_lines("关于市政协十四届一次会议第7号提案的答复", 30) == ["关于市政协十四届一次会议第7号提案的答复"]
    assert title_lines("关于市政协十四届一次会议第7号提案的答复", 12) == ["关于市政协十四届一次会议", "第7号提案的答复"]


def test_digits_and_latin_count_about_half_as_printed():
    # a digit prints 0.59 em wide and 0.2 em is set between it and Chinese (measured with LibreOffice)
    assert text_width("第2024号") == pytest.approx(1 + 4 * 0.6 + 1 + 2 * 0.2)
    assert text_width("市政协") == 3 and text_width("R&D") == pytest.approx(0.6 + 0.5 + 0.6)
    assert text_width("关于市政协十三届四次会议第7号提案的答复") == pytest.approx(20)  # printed on one line


SESSIONS = st.sampled_from(["市政协十四届一次会议", "市人大十七届三次会议", "市十七届人大四次会议", "市政协十三届四次会议",
                            "市第十七届人民代表大会第三次会议"])
SUBJECTS = st.sampled_from(["推动家具产业集群绿色化改造", "加大对科技型中小企业融资支持力度", "促进民营经济高质量发展",
                            "5G基站建设", "R&D投入", "支持企业技术改造", "培育壮大茶产业龙头企业"])
ENDINGS = st.sampled_from(["的答复", "的会办意见", "的再次答复", "办理情况征询意见表"])


@st.composite
def titles(draw):
    session = draw(SESSIONS)
    number = f"第{draw(st.integers(1, 999))}号"
    kind = draw(st.sampled_from(["提案", "建议"]))
    subject = draw(st.sampled_from(["", "（{}）", "《{}》"])).format(draw(SUBJECTS))
    lead = draw(st.sampled_from(["关于", "", "潜山市科技和经济信息化局关于"]))
    title = f"{lead}{session}{number}{kind}{subject}{draw(ENDINGS)}"
    if draw(st.booleans()):  # shorter ones too: a session or a subject with its ending
        title = draw(st.sampled_from([f"关于{session}", f"关于{draw(SUBJECTS)}{kind}", f"{number}{kind}{draw(ENDINGS)}"]))
    return title


UNBROKEN = re.compile(r"第\d+号|\d+|《[^》]*》|（[^）]*）|[A-Za-z&]+")


def plain_width(text: str) -> float:
    """The contract's measure: Latin letters and digits half, everything else full."""
    return sum(0.5 if ch.isascii() else 1 for ch in text)


@settings(max_examples=400, deadline=None)
@given(titles().filter(lambda t: 8 <= len(t) <= 60), st.sampled_from([20, 20, 18, 24]))
def test_title_lines_fit_keep_words_and_stay_balanced(title, width):
    lines = title_lines(title, width)
    assert "".join(lines) == title
    for line in lines:
        assert plain_width(line) <= text_width(line) <= width, lines
    edges, at = set(), 0
    for line in lines[:-1]:
        at += len(line)
        edges.add(at)
    for match in UNBROKEN.finditer(title):  # never inside a number, 第N号, a Latin word, a 《…》 or （…） group
        if match.group()[0] in "《（":
            # a group kept whole can force a last line under a third (…（18 characters）/ 的再次答复):
            # balance comes first then, as the contract says
            tail = title[match.end():]
            group = text_width(match.group())
            if group > width or text_width(match.group() + tail) > width and group > 3 * text_width(tail):
                continue
        assert not any(match.start() < e < match.end() for e in edges), (match.group(), lines)
    if len(lines) > 1:
        widths = [text_width(line) for line in lines]
        assert min(widths) >= max(widths) / 3, lines
        assert not any(line[0] in "，。、；：？！）》" for line in lines)


DIGITS_AND_WORDS = st.text(st.sampled_from(list("关于市政协十四届一次会议第号提案的答复和《》（）、，.%Ab 0123456789")),
                           min_size=2, max_size=50)


@settings(max_examples=300, deadline=None)
@given(DIGITS_AND_WORDS, st.randoms(use_true_random=False), st.sampled_from([20, 12, 7]))
def test_digits_of_any_value_break_alike(title, rng, width):
    """title_lines works a title out once for all the numbers of its length (第7号 as 第3号): the
    rules themselves must see no difference between one ASCII digit and another."""
    other = "".join(rng.choice("0123456789") if ch.isdigit() and ch.isascii() else ch for ch in title)
    search = _title_cuts.__wrapped__  # the rules, without the remembered answers
    assert search(title.strip(), float(width)) == search(other.strip(), float(width))


@settings(max_examples=200, deadline=None)
@given(SESSIONS, st.integers(1, 999), st.sampled_from(["提案", "建议"]), ENDINGS.filter(lambda e: e.startswith("的")))
def test_a_letter_title_breaks_after_the_meeting(session, number, kind, ending):
    """关于«session» / 第N号提案的答复: the two halves a reader takes in at a glance."""
    title = f"关于{session}第{number}号{kind}{ending}"
    lines = title_lines(title)
    if len(lines) > 1:
        assert lines == [f"关于{session}", f"第{number}号{kind}{ending}"]


# --- in the built documents and pages ---------------------------------------------------------

P007 = "build/2024/答复函/提案第007号-尽快建设绿色环保家具产业园,促传统产业转型升级.docx"


def test_reply_letter_prints_case_text_full_width_unless_the_project_turns_it_off(example):
    assert "fullwidth_punctuation: true" in (example / "proposal-docs.yaml").read_text(encoding="utf-8")
    assert run(example, "build").exit_code == 0
    text = document_text(example / P007)
    assert "您提出的《尽快建设绿色环保家具产业园，促传统产业转型升级》（第7号）提案收悉。" in text
    assert "1.对入园企业的新建厂房，按固定资产投资额给予5%的补助。" in text  # 5% keeps its sign
    assert "（联系人：陈立，联系电话：0556-5551201）" in text
    assert "尽快建设绿色环保家具产业园,促传统产业转型升级" in (example / "cases/2024/p007.yaml").read_text(encoding="utf-8")
    title = next(p for p in Document(example / P007).paragraphs if p.style.name == "公文标题")
    assert title.text.split("\n") == title_lines("关于市政协十三届四次会议第7号提案的答复")
    page = (example / "build/site/2024/cases/p007.html").read_text(encoding="utf-8")
    assert "尽快建设绿色环保家具产业园，促传统产业转型升级" in page

    edit(example / "proposal-docs.yaml", "fullwidth_punctuation: true", "fullwidth_punctuation: false")
    assert run(example, "build").exit_code == 0
    text = document_text(example / P007)
    assert "您提出的《尽快建设绿色环保家具产业园,促传统产业转型升级》（第7号）提案收悉。" in text  # as written
    assert "1.对入园企业的新建厂房,按固定资产投资额给予5%的补助。" in text
    page = (example / "build/site/2024/cases/p007.html").read_text(encoding="utf-8")
    assert "尽快建设绿色环保家具产业园,促传统产业转型升级" in page


def test_every_document_gets_its_title_lines(example):
    from proposal_docs.engine.plan import TEMPLATES, plan
    from proposal_docs.model.repository import read_repository
    from proposal_docs.render.batch import Templates
    from proposal_docs.render.contexts import context_for

    repo = read_repository(example)
    cases = {item.rel: item for item in repo.all_cases()}
    templates = Templates().get(repo.root, TEMPLATES)
    seen = set()
    for output in plan(repo):
        context = context_for(repo, output, cases, templates).context
        assert "".join(context["title_lines"]) == context["title"], output.path
        assert all(text_width(line) <= 20 for line in context["title_lines"]), output.path
        seen.add(output.template)
    assert {"reply", "co_opinion", "feedback_form", "summary", "archive_index"} <= seen


def test_a_middle_dot_alone_makes_no_text_chinese():
    """Found by the property above: ")·" became "）·" — · is Latin-1 too (hypothesis, max 0x2FF)."""
    assert fullwidth_punctuation(")·") == ")·"
    assert fullwidth_punctuation("阿卜杜拉·买买提(委员)") == "阿卜杜拉·买买提（委员）"
