"""The Chinese formatting filters every template shares."""

import datetime as dt
from fractions import Fraction

import pytest
from docxtpl import RichText, RichTextParagraph
from hypothesis import given, strategies as st
from jinja2 import Environment

from proposal_docs.model.models import Case
from proposal_docs.render.filters import (body_paragraphs, date_cn, doc_number, make_environment, paragraphs_of, rate,
                                          salutation, style_of)


def case(**changes):
    data = dict(kind="proposal", session="s", number=7, title="t", proposers=["聂银峰"], assigned="2024-03-20")
    data.update(changes)
    return Case.model_validate(data)


def test_dates_have_no_leading_zeros():
    assert date_cn(dt.date(2024, 5, 20)) == "2024年5月20日"
    assert date_cn(dt.date(2025, 1, 3)) == "2025年1月3日"


@pytest.mark.parametrize(("value", "text"), [
    (Fraction(1), "100%"), (Fraction(7, 8), "87.5%"), (Fraction(5, 6), "83.3%"), (Fraction(2, 3), "66.7%"),
    (Fraction(0), "0%"), (Fraction(1, 200), "0.5%"), (None, "—"),
])
def test_rates(value, text):
    assert rate(value) == text


def test_salutations():
    assert salutation(case()) == "聂银峰委员"
    assert salutation(case(proposers=["左三立", "王明"])) == "左三立等委员"
    assert salutation(case(proposers=["左三立", "王明"]), "王明") == "王明委员"
    assert salutation(case(kind="suggestion", proposers=["刘海"])) == "刘海代表"
    assert salutation(case(proposers=[], proposer_org="民建市委")) == "民建市委"


def test_document_number_left_blank_for_hand_filling():
    assert doc_number("科经提〔2025〕12号", "科经提〔{year}〕{seq}号", 2025) == "科经提〔2025〕12号"
    assert doc_number(None, "科经提〔{year}〕{seq}号", 2025) == "科经提〔2025〕\u3000\u3000号"


def test_heading_levels():
    assert [style_of(p) for p in ("一、总体", "(一)细项", "(二)半角", "1.措施", "(1)细节", "今年以来")] == [
        "GwH1", "GwH2", "GwH2", "GwH3", "GwH4", "GwBody"]


def test_paragraphs_are_non_blank_lines():
    assert paragraphs_of("一、甲\n\n  正文  \r\n\n乙\u2028丙\n") == ["一、甲", "正文", "乙\u2028丙"]


# text a clerk may write: Chinese, headings, XML's special characters, quotes, blank lines
_BODY_TEXT = st.lists(st.one_of(st.sampled_from(["一、总体情况", "（一）工作措施", "1.完善政策", "(2)压缩时限", "", "  ",
                                                 "A&B <c> \"d\" 'e' {{ f }}", "今年以来，我局走访企业23家。"]),
                                st.text(max_size=30)), max_size=6).map("\n".join)


@given(_BODY_TEXT)
def test_body_paragraphs_are_docxtpls_rich_text_paragraphs(text):
    """The paragraphs' XML is byte for byte what docxtpl's RichTextParagraph makes of them."""
    expected = RichTextParagraph()
    for paragraph in paragraphs_of(text):
        expected.add(RichText(paragraph), parastyle=style_of(paragraph))
    assert str(body_paragraphs(text)) == expected.xml


@given(_BODY_TEXT)
def test_body_paragraphs_print_as_themselves_in_a_template(text):
    """In the autoescaping environment the XML is inserted as it is, once: never escaped again."""
    source = "<w:body>{{ body }}</w:body>"
    expected = RichTextParagraph()
    for paragraph in paragraphs_of(text):
        expected.add(RichText(paragraph), parastyle=style_of(paragraph))
    for env in (make_environment(), Environment(autoescape=True)):
        assert env.from_string(source).render(body=body_paragraphs(text)) == \
            env.from_string(source).render(body=expected)
