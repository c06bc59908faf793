"""The one Jinja environment every template is rendered with, and its Chinese formatting filters.

Formatting happens here once: templates say ``{{ reply.date|date_cn }}`` and never build a date
by hand. The environment autoescapes, so case text (``&``, ``<``, quotes, ``{{``) is always text.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from html import escape

from jinja2 import StrictUndefined, pass_context
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from ..rules.clock import chinese_date
from ..model.models import LABELS, Body, Case
from .typography import fullwidth_punctuation

BLANK_NUMBER = "\u3000\u3000"  # room to write the number by hand: 科经提〔2025〕  号


def date_cn(day: dt.date | None) -> str:
    return chinese_date(day) if day else ""


def month_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def compact_date(day: dt.date) -> str:
    """YYYYMMDD, as the archive index writes dates (DA/T 22-2015)."""
    return day.strftime("%Y%m%d")


def rate(value: Fraction | float | None) -> str:
    """100%, 87.5%, 66.7%: one decimal at most, no trailing zero."""
    if value is None:
        return "—"
    percent = (Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction)
               else Decimal(str(value))) * 100
    text = str(percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return (text[:-2] if text.endswith(".0") else text) + "%"


def member_word(case: Case) -> str:
    return "委员" if case.body is Body.cppcc else "代表"


def salutation(case: Case, recipient: str | None = None) -> str:
    """聂银峰委员 / 左三立等委员 / 刘海代表 / 民建市委."""
    if recipient:
        return recipient + member_word(case)
    if case.proposers:
        more = "等" if len(case.proposers) > 1 else ""
        return f"{case.proposers[0]}{more}{member_word(case)}"
    return case.proposer_org or ""


def proposer_label(case: Case, plain: bool = False) -> str:
    """As a summary names proposers: 聂银峰委员 / 左三立等委员; plain: the names, 、-joined."""
    if plain:
        return "、".join(case.proposer_names)
    return salutation(case)


def doc_number(number: str | None, pattern: str, year: int) -> str:
    """The number as written, or the pattern with the sequence left blank for hand filling."""
    if number:
        return number
    return pattern.replace("{year}", str(year)).replace("{seq}", BLANK_NUMBER)


def box(checked) -> str:
    return "☑" if checked else "☐"


def label(value) -> str:
    return LABELS.get(str(value), str(value))


HEADING_STYLES = [
    (re.compile(r"^[一二三四五六七八九十百]+、"), "GwH1"),
    (re.compile(r"^[(（][一二三四五六七八九十百]+[)）]"), "GwH2"),
    (re.compile(r"^\d+[.．、]"), "GwH3"),
    (re.compile(r"^[(（]\d+[)）]"), "GwH4"),
]


def paragraphs_of(text: str) -> list[str]:
    """Every non-blank line is a paragraph; leading and trailing blanks of a line are layout.

    Only \n separates lines: other Unicode separators (U+2028, U+0085…) stay text, as written.
    """
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def style_of(paragraph: str) -> str:
    for pattern, style in HEADING_STYLES:
        if pattern.match(paragraph):
            return style
    return "GwBody"


def body_paragraphs(text: str) -> Markup:
    """Real Word paragraphs: 一、 黑体, (一) 楷体, 1./(1) 仿宋, others indented two characters.

    The XML is what docxtpl's RichTextParagraph of a RichText makes of each paragraph
    (tests/test_filters.py holds them equal), written out here because importing docxtpl brings
    python-docx and lxml with it, a third of a one-case rebuild's imports; docxtpl is needed only to
    patch a template (render/docx.py), which a build with unchanged templates does not do."""
    return Markup("".join(f'<w:p><w:pPr><w:pStyle w:val="{style_of(paragraph)}"/></w:pPr><w:r>'
                          f'<w:t xml:space="preserve">{escape(paragraph)}</w:t></w:r></w:p>'
                          for paragraph in paragraphs_of(text)))


@pass_context
def printed(context, value):
    """Every {{ value }} a template prints: half-width marks beside Chinese printed full-width.

    As Jinja's finalize it covers every field of every template, a clerk's own included, with no
    filter to forget; contexts switch it off with fullwidth_punctuation=False (the project
    setting). Markup and rich text pass unchanged: contexts convert their text when they build them.
    """
    if type(value) is str and context.get("fullwidth_punctuation", True):
        return fullwidth_punctuation(value)
    return value


def make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                               finalize=printed)
    env.filters.update(
        date_cn=date_cn, month_day=month_day, compact_date=compact_date, rate=rate, salutation=salutation,
        proposer_label=proposer_label, doc_number=doc_number, box=box, label=label,
    )
    return env
