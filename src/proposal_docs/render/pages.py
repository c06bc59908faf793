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
  grid line each. The first page keeps its 22 lines: the 版头 (发文机关标志, red lines) floats in
  text boxes over the first, blank, grid line. Paragraphs split anywhere (no widow control), but
  paragraphs chained by "keep with next" stay together on one page: in the templates the 版记
  (抄送) frame, which takes the foot of that page's text block, the closing line (结束语), the
  blank line, 落款, 成文日期 and 附注.

The letter is read as build renders it (``letter_paragraphs`` streams its document.xml), so its
wording is the template's, whatever a clerk made of it in Word; the layout of each paragraph
style is in ``STYLES`` below, which tests/test_page_estimate.py holds against the templates'
styles.xml and page setup.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate
from operator import add
from typing import Iterable
from xml.parsers import expat

PAGE_LINES = 22  # GB/T 9704: 22 lines a page (the grid's pitch, 579 twips, into the text block's height)
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


# Runs of one script: an Asian character with the weak marks after it, or anything else (weak marks
# at the very start are set in the Latin font). The weak marks are all below U+2E80. The classes are
# written as what they leave out, below U+2E80: a class reaching U+10FFFF takes re four times as
# long to compile (12 ms, paid by every build that renders a letter).
assert max(_WEAK) < "\u2e80", "the classes below take every weak mark to lie below U+2E80"
_NOT_WEAK = "".join(f"{re.escape(chr(start))}-{re.escape(chr(end))}" for start, end in zip(
    [0, *(ord(ch) + 1 for ch in sorted(_WEAK))], [*(ord(ch) - 1 for ch in sorted(_WEAK)), 0x2E7F]) if start <= end)
_RUNS = re.compile(f"[^\x00-\u2e7f][^{_NOT_WEAK}]*|[\x00-\u2e7f]+")


def _advances(text: str, size: int) -> tuple[list[int], list[int]]:
    """Each character's advance and the gap LibreOffice adds after it, in twips (size in twips):
    character spacing between characters of one script, none before a switch of script, where a
    fifth of the font size separates a Chinese character from a Latin letter or digit."""
    base: list[int] = []
    gap: list[int] = []
    for run in _RUNS.finditer(text):
        chars = run.group()
        if _asian(chars[0]):
            base += [size + SPACING] * (len(chars) - 1) + [size]
        else:
            base += [-(-_LATIN.get(ch, 1024) * size // 2048) + SPACING for ch in chars]
            base[-1] -= SPACING
        gap += [0] * len(chars)
        end = run.end()
        if end < len(text):
            ch, nxt = chars[-1], text[end]
            if (_ideograph(ch) and nxt.isascii() and nxt.isalnum()) or (_ideograph(nxt) and ch.isascii() and ch.isalnum()):
                gap[-1] = size // 5
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
    # reach[k]: the advance of text[:k]; a line from start holds text[start:end] while
    # reach[end] - reach[start] + base[end] fits: ends[k] = reach[k] + base[k] only grows, so bisect
    reach = list(accumulate(map(add, base, gap), initial=0))
    ends = list(map(add, reach, base))
    n, start, lines, limit = len(text), 0, 0, width - first_indent
    while start < n:
        lines += 1
        end = bisect_right(ends, limit + reach[start], start)
        if end >= n:
            break
        start, limit = next_line_start(text, start, end), width
    return lines


def next_line_start(text: str, start: int, end: int) -> int:
    """Where the line after text[start:end] (what fits) begins: back to the last place a line may
    end, or at the margin when there is none; spaces at a line's end are not carried over."""
    cut = max(end, start + 1)
    while cut > start + 1 and not _breakable(text[cut - 1], text[cut]):
        cut -= 1
    if cut == start + 1 and not _breakable(text[cut - 1], text[cut]):
        cut = max(end, start + 1)  # nothing breakable: the line ends at the margin
    while cut < len(text) and text[cut] == " ":
        cut += 1
    return cut


@dataclass(frozen=True)
class Style:
    """How a paragraph style sets its lines: sizes and indents in twips."""

    size: int = 320  # 3号
    first_indent: int = 0  # negative: hanging
    left: int = 0
    right: int = 0
    keep_next: bool = False  # kept on one page with the paragraph after it
    keep_lines: bool = False  # never split


BODY = Style(first_indent=640)  # two characters in
FLUSH = Style()
# The letter templates' paragraph styles by style id (tools/gongwen.py PARAGRAPH_STYLES); a
# paragraph of any other style, or of none (Normal), is set like FLUSH.
STYLES = {
    **dict.fromkeys(("GwBody", "GwH1", "GwH2", "GwH3", "GwH4", "GwNote"), BODY),
    "GwTitle": Style(size=440),  # each line one grid line: exact spacing of the grid's pitch
    "GwDocNumber": FLUSH,
    "GwSalutation": FLUSH,
    "GwClosing": Style(first_indent=640, keep_next=True, keep_lines=True),
    "GwSignature": Style(left=3937, keep_next=True),
    "GwDate": Style(right=1260, keep_next=True),
    "GwCc": Style(size=280, first_indent=-825, left=1100, right=275),
}


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the letter's body as rendered."""

    style: str  # its style id; "" for none
    lines: tuple[str, ...] = ("",)  # its text, split at explicit line breaks (w:br)
    indents: tuple[tuple[str, int], ...] = ()  # set on the paragraph itself (w:ind): (Style field, twips)
    keep: tuple[str, ...] = ()  # "keep_next", "keep_lines" set on the paragraph itself
    framed: bool = False  # set off the text flow (w:framePr): the 版记, at the foot of its page

    def layout(self) -> Style:
        """Its style, with what the paragraph sets itself."""
        style = STYLES.get(self.style, FLUSH)
        if self.indents or self.keep:
            style = replace(style, **dict(self.indents), **dict.fromkeys(self.keep, True))
        return style


def paragraph_lines(paragraph: Paragraph, style: Style | None = None) -> int:
    """The grid lines a paragraph takes: a line after a line break has no first-line indent."""
    style = style or paragraph.layout()
    width = TEXT_WIDTH - style.left - style.right
    return sum(line_count(text, width=width, first_indent=style.first_indent if i == 0 else 0, size=style.size)
               for i, text in enumerate(paragraph.lines))


def pages(paragraphs: Iterable[Paragraph]) -> int:
    """The pages the paragraphs print on: 22 grid lines a page, kept-together runs moved whole."""
    runs: list[list] = []  # [lines, whole]: paragraphs chained by keep-with-next make one run
    chained = False
    for paragraph in paragraphs:
        style = paragraph.layout()
        lines = paragraph_lines(paragraph, style)
        if chained:
            runs[-1][0] += lines
            runs[-1][1] = True
        else:
            runs.append([lines, style.keep_lines])
        # a frame (the 版记) goes to the foot of the page of the paragraph after it, its anchor
        chained = style.keep_next or paragraph.framed
    page, used = 1, 0
    for lines, whole in runs:
        if whole and used and used + lines > PAGE_LINES:  # to the next page, whole
            page, used = page + 1, 0
        used += lines
        while used > PAGE_LINES:  # runs on: full pages of 22 lines
            page, used = page + 1, used - PAGE_LINES
    return page


# --- the letter as build renders it ----------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main "
_P, _T, _BR, _BOX, _STYLE, _IND, _FRAME, _VAL = (
    _W + name for name in ("p", "t", "br", "txbxContent", "pStyle", "ind", "framePr", "val"))
_KEEPS = {_W + "keepNext": "keep_next", _W + "keepLines": "keep_lines"}
_INDENTS = {_W + name: field for name, field in (("left", "left"), ("start", "left"), ("right", "right"),
                                                  ("end", "right"), ("firstLine", "first_indent"))}
_OFF = {"0", "false", "off"}


def _indents(attrs: dict) -> tuple[tuple[str, int], ...]:
    """A w:ind's indents in twips as Style fields; a hanging indent is a negative first-line one."""
    found = {}
    for name, value in attrs.items():
        field, sign = (_INDENTS.get(name), 1) if name != _W + "hanging" else ("first_indent", -1)
        if field and value.lstrip("-").isdigit():  # twips; other units are left to the style
            found[field] = sign * int(value)
    return tuple(found.items())


def letter_paragraphs(xml: bytes) -> list[Paragraph]:
    """The body's paragraphs of a rendered document.xml, streamed (expat keeps no tree). Those in
    text boxes (the 版头's 发文机关标志 and 答复类别, anchored to the page) float off the text flow
    and are skipped."""
    found: list[Paragraph] = []
    boxes = 0  # how deep inside text boxes
    in_text = False
    style, lines, indents, keep, framed = "", [""], (), (), False

    def start(name: str, attrs: dict) -> None:
        nonlocal boxes, in_text, style, lines, indents, keep, framed
        if name == _BOX:
            boxes += 1
        elif boxes:
            return
        elif name == _T:
            in_text = True
        elif name == _P:
            style, lines, indents, keep, framed = "", [""], (), (), False
        elif name == _BR:
            lines.append("")
        elif name == _STYLE:
            style = attrs.get(_VAL, "")
        elif name == _IND:
            indents = _indents(attrs)
        elif name in _KEEPS and attrs.get(_VAL, "1") not in _OFF:
            keep += (_KEEPS[name],)
        elif name == _FRAME:
            framed = True

    def end(name: str) -> None:
        nonlocal boxes, in_text
        if name == _T:
            in_text = False
        elif name == _BOX:
            boxes -= 1
        elif name == _P and not boxes:
            found.append(Paragraph(style, tuple(lines), indents, keep, framed))

    def text(data: str) -> None:
        if in_text and not boxes:
            lines[-1] += data

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(xml, True)
    return found


_known: dict[bytes, int] = {}  # pages by digest of the letter: the cutoff and the archive index count once


def letter_pages(xml: str) -> int:
    """The pages a letter (its rendered document.xml) prints on."""
    data = xml.encode("utf-8")
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if digest not in _known:
        if len(_known) >= 100_000:
            _known.clear()
        _known[digest] = pages(letter_paragraphs(data))
    return _known[digest]
