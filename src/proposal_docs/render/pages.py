"""How many pages a generated letter prints on, estimated from the layout the templates set.

The archive index (归档文件目录, DA/T 22-2015) records each document's 页数, and LibreOffice cannot
be required for a plain build, so the tool sets the letter the way LibreOffice does and counts:

- Lines. A 3号 (16 pt) character is 16 pt less the document's -0.25 pt character spacing, so 28 fit
  the 156 mm (8845 twip) line. Digits and Latin letters take their Times New Roman (Liberation
  Serif) widths; LibreOffice adds a fifth of the font size between a Chinese character and a
  Latin letter or digit, and no character spacing after the last character before such a switch.
  Lines break between Chinese characters, never before closing marks (，。、；：？！）》…), never
  after opening ones (（《〔…), never next to quotation marks “”‘’ (LibreOffice 7's line breaking
  keeps them with their neighbours), never between a closing mark and a following digit or Latin
  letter, and inside Latin text only after a space or a hyphen. No punctuation hangs into the
  margin. ``tests/test_page_estimate.py`` holds this against LibreOffice's own line breaks.
- Pages. Every line sits on the 22-line grid (28.95 pt), title lines (2号 小标宋) included, one
  grid line each. The first page keeps its 22 lines: the 版头 (发文机关标志, red lines)
  is drawn over the first, blank, grid line. Body paragraphs split anywhere (no widow control).
  The closing line (结束语), the blank line, 落款, 成文日期 and 附注 stay together on one page,
  and the 版记 (抄送) frame takes the foot of that page's text block.

Keep the facts above in step with tools/make_templates.py: the letter's paragraphs are rebuilt
here in ``letter_paragraphs`` (wording of the opening and closing lines included).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from ..engine.plan import KIND_WORD
from .filters import date_cn, paragraphs_of, proposer_label, salutation
from .typography import fullwidth_punctuation, title_lines

PAGE_LINES = 22  # GB/T 9704: 22 lines a page
TEXT_WIDTH = 8845  # twips: A4 (11906) less the 28 mm and 26 mm margins as the templates write them
SPACING = -5  # twips: the -0.25 pt character spacing of the templates' document defaults

# Advance widths of Liberation Serif (metric-compatible with Times New Roman), units of 1/2048 em
_LATIN = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, *[1024] * 10, 569, 569,
     1155, 1155, 1155, 909, 1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821,
     1479, 1479, 1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961, 1024, 682,
     909, 1024, 909, 1024, 909, 682, 1024, 1024, 569, 569, 1024, 569, 1593, 1024, 1024, 1024, 1024, 682, 797, 569,
     1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108)))
_LATIN.update({"×": 1155, "·": 512, "°": 819, "–": 1024, "—": 2048, "“": 909, "”": 909, "‘": 682, "’": 682,
               "…": 2048})
# characters that take the script of the character before them (Unicode "weak" punctuation)
_WEAK = set("“”‘’—–…")
NO_LINE_START = set("!%),.:;?]}¢°·'\"’”†‡›℃∶、。〃〆〕〗〞﹚﹜！＂％＇），．：；？］｝～》」』】〉…")
NO_LINE_END = set("$([{£¥'\"‘“〈《「『【〔〖〝﹙﹛＄（［｛￡￥")
_QUOTES = set("“”‘’")
_CLOSING = set("，。、；：？！）》」』】〕〗〉…")


def _asian(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _ideograph(ch: str) -> bool:
    """A Chinese character (not a mark): LibreOffice spaces these from Latin letters and digits."""
    return _asian(ch) and not unicodedata.category(ch).startswith(("P", "Z", "S"))


def _scripts(text: str) -> list[bool]:
    """Per character: set in the Chinese font (True) or the Latin one (False)."""
    out: list[bool] = []
    for ch in text:
        out.append(out[-1] if ch in _WEAK and out else (_asian(ch) and ch not in _WEAK))
    return out


def _advances(text: str, size: int) -> tuple[list[int], list[int]]:
    """Each character's advance and the gap LibreOffice adds after it, in twips (size in twips)."""
    asian = _scripts(text)
    base, gap = [], []
    for i, ch in enumerate(text):
        width = size if asian[i] else -(-_LATIN.get(ch, 1024) * size // 2048)  # rounded up, as measured
        switch = i + 1 < len(text) and asian[i + 1] != asian[i]
        if i + 1 < len(text) and not switch:
            width += SPACING
        extra = 0
        if switch:
            nxt = text[i + 1]
            if (_ideograph(ch) and nxt.isascii() and nxt.isalnum()) or (_ideograph(nxt) and ch.isascii() and ch.isalnum()):
                extra = size // 5
        base.append(width)
        gap.append(extra)
    return base, gap


def _breakable(before: str, after: str) -> bool:
    """May a line end between these two characters?"""
    if after in NO_LINE_START or before in NO_LINE_END or before in _QUOTES or after in _QUOTES:
        return False
    if before in _CLOSING and after.isascii() and after.isalnum():
        return False
    if _asian(before) or _asian(after):
        return True
    if (after == "—") != (before == "—"):
        return True
    return before in " -"


@functools.lru_cache(maxsize=65536)
def line_count(text: str, *, width: int = TEXT_WIDTH, first_indent: int = 640, size: int = 320) -> int:
    """The lines one paragraph takes: width and indent in twips, size the font size in twips."""
    text = text.strip()
    if not text:
        return 1
    base, gap = _advances(text, size)
    n, start, lines, limit = len(text), 0, 0, width - first_indent
    while start < n:
        lines += 1
        total, end = 0, start
        while end < n and total + base[end] <= limit:
            total += base[end] + gap[end]
            end += 1
        if end >= n:
            break
        cut = max(end, start + 1)
        while cut > start + 1 and not _breakable(text[cut - 1], text[cut]):
            cut -= 1
        if cut == start + 1 and not _breakable(text[cut - 1], text[cut]):
            cut = max(end, start + 1)  # nothing breakable: the line ends at the margin
        while cut < n and text[cut] == " ":
            cut += 1
        start, limit = cut, width
    return lines


@dataclass(frozen=True)
class Style:
    size: int = 320  # twips
    first_indent: int = 640
    left: int = 0
    right: int = 0
    grid_lines: int = 1  # grid lines a line of this style takes


BODY = Style()
FLUSH = Style(first_indent=0)
TITLE = Style(size=440, first_indent=0)
SIGNATURE = Style(first_indent=0, left=3937)
DATE = Style(first_indent=0, right=1260)
CC = Style(size=280, first_indent=-825, left=1100, right=275)


def paragraph_lines(text: str, style: Style) -> int:
    width = TEXT_WIDTH - style.left - style.right
    return line_count(text, width=width, first_indent=style.first_indent, size=style.size)


@dataclass(frozen=True)
class Letter:
    """A letter as the templates lay it out (see ``letter_paragraphs`` for where each part comes from)."""

    title_lines: tuple[str, ...]
    salutation: str
    opening: str
    body: tuple[str, ...]  # the body's paragraphs (headings set like body text: same size, same indent)
    closing: str
    signature: str
    date: str
    note: str = ""  # 附注 (联系人…); empty: none
    cc: str = ""  # 版记 line; empty: none


def pages(letter: Letter) -> int:
    """The pages the letter prints on."""
    grid = 1 + 1 + 1  # the 版头's blank grid line, 发文字号, blank line
    grid += TITLE.grid_lines * max(1, len(letter.title_lines)) + 1  # title, blank line
    grid += paragraph_lines(letter.salutation, FLUSH)
    grid += paragraph_lines(letter.opening, BODY)
    grid += sum(paragraph_lines(p, BODY) for p in letter.body)
    # what stays together on one page: 结束语, blank line, 落款, 成文日期, 附注
    block = paragraph_lines(letter.closing, BODY) + 1 + paragraph_lines(letter.signature, SIGNATURE)
    block += paragraph_lines(letter.date, DATE)
    if letter.note:
        block += paragraph_lines(letter.note, BODY)
    foot = paragraph_lines(letter.cc, CC) if letter.cc else 0
    page, used = 1, grid
    while used > PAGE_LINES:  # the body runs on: full pages of 22 lines
        page, used = page + 1, used - PAGE_LINES
    if used + block + foot > PAGE_LINES:  # the signature block moves to the next page, whole
        page += 1
    return page


# --- the letters as the templates lay them out --------------------------------------------------

# The words the letter templates (tools/make_templates.py) put around the case's own text.
REPLY_OPENING = "您提出的《{title}》（第{number}号）{kind}收悉。我局高度重视，{together}认真研究办理，现答复如下："
REPLY_CLOSING = "感谢您对我市科技和经济工作的关心和支持，欢迎继续提出宝贵意见。"
CO_OPENING = "{proposers}提出的《{title}》（第{number}号）{kind}收悉。经研究，现将我局会办意见函告如下："
CO_CLOSING = "特此函告。"


def letter_for(repo, case, title: str, *, co: bool) -> Letter:
    """The 答复函 (co: the 会办意见) of a replied case, as build renders it; title as printed."""

    def printed(text: str) -> str:
        return fullwidth_punctuation(text) if repo.project.typography.fullwidth_punctuation else text

    reply, kind = case.reply, KIND_WORD[case.body]
    if co:
        addressee = case.lead_unit or ""
        opening = CO_OPENING.format(proposers=printed(proposer_label(case)), title=printed(case.title),
                                    number=case.number, kind=kind)
        closing, cc = CO_CLOSING, ""
    else:
        addressee = salutation(case)
        together = f"会同{'、'.join(case.co_units)}" if case.co_units else ""
        opening = REPLY_OPENING.format(title=printed(case.title), number=case.number, kind=kind,
                                       together=printed(together))
        closing = REPLY_CLOSING
        units = list(dict.fromkeys(repo.project.cc_for(case.body) + list(case.co_units) + list(reply.cc)))
        cc = "抄送：" + "，".join(printed(u) for u in units) + "。"
    note = ""
    if case.handler:
        phone = f"，联系电话：{printed(case.handler.phone)}" if case.handler.phone else ""
        note = f"（联系人：{printed(case.handler.name)}{phone}）"
    return Letter(title_lines=tuple(title_lines(title)), salutation=printed(addressee) + "：", opening=opening,
                  body=tuple(paragraphs_of(printed(reply.body))), closing=closing,
                  signature=printed(repo.project.organisation.name), date=date_cn(reply.date), note=note, cc=cc)
