"""Chinese typography of printed text: full-width punctuation (GB/T 15834-2011) and title lines
broken by meaning (GB/T 9704-2012 §7.3.3).

Case files are typed on ordinary keyboards, so `聂银峰委员:` or `(第7号)` arrive half-width. A
half-width mark set in a justified Chinese line prints as a narrow glyph with a stray gap, so
documents print it full-width; digits and Latin text keep theirs (`10:30`, `R&D`, `3.5%`, URLs).
The case files themselves are never rewritten.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_MARKS = re.compile(r"[,:;?!()]")
_SPACES = " \t"
# URLs and mail addresses are Latin text even when a Chinese word follows them; a trailing mark
# belongs to the sentence, not to the address (as mail clients linkify)
_ADDRESS = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ADDRESS_TAIL = ",.;:!?()"


def is_chinese(ch: str) -> bool:
    """A CJK ideograph or a Chinese (full-width) punctuation mark. The middle dot · is Latin-1 as much
    as Chinese (阿卜杜拉·买买提, but also Latin text): alone it makes no text Chinese."""
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF
            or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF65 or ch in "“”‘’—…")


def _protected(text: str) -> set[int]:
    spans = set()
    for match in _ADDRESS.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _ADDRESS_TAIL:
            address = text[match.start():end]
            if address.endswith(")") and address.count("(") >= address.count(")"):
                break  # …/wiki/X_(Y): the bracket is the address's own
            end -= 1
        spans.update(range(match.start(), end))
    return spans


def _neighbour(text: str, i: int, step: int) -> str:
    """The nearest character before (step -1) or after (step 1) position i on the same line,
    spaces skipped; '' at the edge of the line."""
    j = i + step
    while 0 <= j < len(text) and text[j] in _SPACES:
        j += step
    if 0 <= j < len(text) and text[j] not in "\r\n":
        return text[j]
    return ""


def _next_to_chinese(text: str, i: int) -> bool:
    return is_chinese(_neighbour(text, i, -1) or "a") or is_chinese(_neighbour(text, i, 1) or "a")


def _pass(text: str) -> str:
    """One round of conversions: which marks stand next to Chinese text, as the text is now."""
    protected = _protected(text)
    convert: set[int] = set()
    paired: set[int] = set()
    stack: list[int] = []
    for i, ch in enumerate(text):
        if i in protected:
            continue
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            start = stack.pop()
            paired.update((start, i))
            # a pair is printed alike: Chinese inside or beside it makes both marks full-width
            if (text[start] == "（" or ch == "）" or any(is_chinese(c) for c in text[start + 1:i])
                    or _next_to_chinese(text, start) or _next_to_chinese(text, i)):
                convert.update(p for p in (start, i) if text[p] in "()")
        elif ch in ",:;?!" and _next_to_chinese(text, i):
            convert.add(i)
        elif ch == "\n":
            stack.clear()  # a bracket never pairs across lines (paragraphs)
    for i, ch in enumerate(text):  # an unpaired bracket follows its neighbours, like the other marks
        if ch in "()" and i not in protected and i not in paired and _next_to_chinese(text, i):
            convert.add(i)
    if not convert:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if i not in convert:
            out.append(text[i])
            i += 1
            continue
        # a full-width mark carries its own spacing: spaces typed around it inside a line go
        if _neighbour(text, i, -1):
            while out and out[-1] in _SPACES:
                out.pop()
        out.append(FULL[text[i]])
        if _neighbour(text, i, 1):
            i += 1
            while text[i] in _SPACES:
                i += 1
        else:
            i += 1
    return "".join(out)


def fullwidth_punctuation(text: str) -> str:
    """`, : ; ( ) ? !` next to Chinese text printed full-width; digits, Latin text, addresses kept.

    Idempotent: applied to its own result it changes nothing (each round can only make more
    Chinese neighbours, so rounds run until nothing changes).
    """
    if not isinstance(text, str) or not _HALF_MARKS.search(text):
        return text
    return _converted(text)


@functools.lru_cache(maxsize=8192)  # the same names, titles and replies are printed in many documents
def _converted(text: str) -> str:
    while True:
        converted = _pass(text)
        if converted == text or not _HALF_MARKS.search(converted):  # the usual case: one round
            return converted
        text = converted


# --- titles ----------------------------------------------------------------------------------

TITLE_CHARS = 20  # 2号 (22 pt) 小标宋 over the 156 mm text width: 442 pt / 22 pt
# Measured on a built letter printed by LibreOffice (Noto Serif CJK SC for 小标宋): a digit is
# 0.59 em, and the gap set automatically between Chinese and digits or Latin text 0.2 em. Counting
# digits as a bare ½ em let a 20-character title with a 3-digit number wrap by a few points.
_AUTOSPACE = 0.2
_LATIN = 0.6

# never broken: 第N号, numbers with their unit, Latin words and codes
_ATOMS = re.compile(r"第\s*[0-9０-９]+\s*号|[0-9０-９]+(?:[.．][0-9]+)?(?:年|月|日|号|件|%|％)"
                    r"|[A-Za-z0-9][A-Za-z0-9.%&+\-/_:@·']*")
_GROUPS = {"《": "》", "（": "）", "(": ")", "“": "”", "〔": "〕", "【": "】", "[": "]"}
_NO_LINE_START = set("，。、；：？！）》」』”’〕】…—·%,.;:?!)]％")
_NO_LINE_END = set("（《「『“‘〔【([")
# meaningful places for a break in a document title, best first; cost 0 is where a clerk breaks
_BEFORE = [("的答复", 0), ("的会办意见", 0), ("的再次答复", 0), ("的总结", 1), ("关于", 0), ("的", 5),
           ("办理", 4), ("征询意见表", 4), ("和", 6), ("与", 6), ("及", 6)]
_AFTER = [("会议", 0), ("大会", 8), ("届", 7), ("提案", 4), ("建议", 4), ("、", 3), ("，", 3), ("》", 2),
          ("）", 2), ("局", 4), ("委", 5), ("年", 4)]
NEVER, GROUP, KINSOKU, PLAIN = 1000.0, 200.0, 300.0, 20.0


def char_width(ch: str) -> float:
    """In em: Chinese characters and marks 1; digits and Latin letters half width (0.6, as printed);
    other half-width marks and spaces ½."""
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    return _LATIN if ch.isascii() and ch.isalnum() else 0.5


def text_width(text: str) -> float:
    """Printed width in em, with the automatic gap between Chinese text and digits or Latin."""
    width = sum(char_width(c) for c in text)
    for a, b in zip(text, text[1:]):
        if (char_width(a) == 1.0) != (char_width(b) == 1.0) and a.isalnum() and b.isalnum():
            width += _AUTOSPACE
    return round(width, 6)  # 0.6 and 0.2 are not exact in binary: 20 em must compare as 20


def _break_costs(title: str) -> list[float]:
    """costs[p]: how bad a break before title[p] is (p = 1 … len - 1)."""
    n = len(title)
    costs = [PLAIN] * (n + 1)
    for p in range(1, n):
        a, b = title[p - 1], title[p]
        if not (is_chinese(a) and is_chinese(b)):
            costs[p] = PLAIN + 5  # beside Latin text, a break is a break inside a phrase
        if title.startswith("第", p) and _ATOMS.match(title, p) and _ATOMS.match(title, p).group().endswith("号"):
            costs[p] = 0.0
        else:
            for word, cost in _BEFORE:
                if title.startswith(word, p):
                    costs[p] = min(costs[p], cost)
                    break
        for word, cost in _AFTER:
            if title.endswith(word, 0, p):
                costs[p] = min(costs[p], cost)
        if title.endswith("关于", 0, p) or a in "第的":
            costs[p] = max(costs[p], 40.0)  # 关于, 第 and 的 belong to what follows them: never `…的 / 答复`
        if b in _NO_LINE_START or a in _NO_LINE_END:
            costs[p] = KINSOKU
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(title):
        if ch in _GROUPS and not (stack and _GROUPS[stack[-1][0]] == ch):
            stack.append((ch, i))
        elif stack and ch == _GROUPS[stack[-1][0]]:
            _, start = stack.pop()
            if not stack:
                for p in range(start + 1, i + 1):
                    costs[p] = max(costs[p], GROUP)
    for match in _ATOMS.finditer(title):
        for p in range(match.start() + 1, match.end()):
            costs[p] = NEVER
    return costs


def _score(widths: list[float], breaks: list[int], costs: list[float], fewest: int) -> float:
    score = sum(costs[p] for p in breaks) + 40.0 * (len(widths) - fewest)
    if len(widths) > 1:
        longest, shortest = max(widths), min(widths)
        score += 0.5 * (longest - shortest)  # balance counts, but less than a break inside a name
        if shortest < longest / 3:
            score += 500.0
        if widths[-1] < 3:
            score += 100.0
        # 梯形 or 菱形: a middle line shorter than both of its neighbours makes an hourglass
        score += 15.0 * sum(1 for i in range(1, len(widths) - 1)
                            if widths[i] < widths[i - 1] and widths[i] < widths[i + 1])
    return score


def title_lines(title: str, width: float = TITLE_CHARS) -> list[str]:
    """The lines a title prints on: one when it fits, otherwise broken where the meaning allows
    (after 关于…会议, before 第N号…, before 的答复), never inside a number, 第N号 or a 《…》 group,
    and balanced, no line under a third of the longest.

    width: characters of the title's font a line holds (20 for 2号 over 156 mm). Chinese characters
    count 1, digits and Latin letters about half (see char_width and text_width).
    """
    title = title.strip()
    # ASCII digits all print alike and mean alike to the breaking rules, so 第7号 breaks where 第3号
    # does: a thousand letters "关于……会议第N号提案的答复" are worked out three times, not a thousand
    cuts = _title_cuts(title.translate(_ONE_DIGIT), float(width))
    return [title[a:b] for a, b in zip(cuts, cuts[1:])]


_ONE_DIGIT = str.maketrans("123456789", "000000000")


@functools.lru_cache(maxsize=4096)
def _title_cuts(title: str, width: float) -> tuple[int, ...]:
    """Where the lines of the title start, and its length."""
    n = len(title)
    if text_width(title) <= width or n < 2:
        return (0, n)
    costs = _break_costs(title)
    # widths of any title[a:b] in O(1): characters, plus the gaps strictly inside the line
    chars, gaps = [0.0], [0.0, 0.0]
    for ch in title:
        chars.append(chars[-1] + char_width(ch))
    for a, b in zip(title, title[1:]):
        gaps.append(gaps[-1] + (_AUTOSPACE if (char_width(a) == 1.0) != (char_width(b) == 1.0)
                                and a.isalnum() and b.isalnum() else 0.0))

    def measure(a: int, b: int) -> float:
        return round(chars[b] - chars[a] + gaps[b] - gaps[a + 1], 6)

    total = measure(0, n)
    fewest = max(2, math.ceil(total / width - 1e-9))
    best: list = [math.inf, None]

    def search(start: int, left: int, breaks: list[int], widths: list[float], spent: float, floor: float) -> None:
        if spent >= best[0]:  # every part of a score is positive: this branch cannot win
            return
        rest = measure(start, n)
        if left == 1:
            if floor <= rest <= width:
                score = _score(widths + [rest], breaks, costs, fewest)
                if score < best[0]:
                    best[:] = [score, list(breaks)]
            return
        if rest > width * left:
            return
        for end in range(start + 1, n - left + 2):
            line = measure(start, end)
            if line > width:
                break
            if line < floor or costs[end] >= NEVER:
                continue
            search(end, left - 1, breaks + [end], widths + [line], spent + costs[end], floor)

    for lines in range(fewest, min(n, fewest + 2) + 1):
        extra = 40.0 * (lines - fewest)
        search(0, lines, [], [], extra, total / lines / 3)  # no line under a third of the longest
        if best[1] is None:  # nothing balanced fits: the best unbalanced breaks rather than none
            search(0, lines, [], [], extra, 0.0)
    if best[1] is None:  # a number wider than a line: cut it, since the line must end somewhere
        return _greedy(title, width)
    return (0, *best[1], n)


def _greedy(title: str, width: float) -> tuple[int, ...]:
    cuts = [0]
    for end in range(1, len(title) + 1):
        if text_width(title[cuts[-1]:end]) > width and end - 1 > cuts[-1]:
            cuts.append(end - 1)
    return (*cuts, len(title))
