"""What in a template would make Word or LibreOffice reach outside the document when it is opened.

A template may come from anyone's pull request, and every letter made from it goes to a clerk's
PC, where Word opens it. Two things in a .docx make Word fetch something:

- a part that is linked rather than held (a picture, an attached template, an OLE object:
  ``TargetMode="External"`` in a ``.rels`` part);
- a field whose code reads a file or another program (``INCLUDEPICTURE``, ``INCLUDETEXT``,
  ``LINK``, ``DDE``…, or a mail merge's data source), refreshed when the document is opened or
  printed; and an ``altChunk`` (HTML or another document Word converts on opening, which may name
  pictures elsewhere).

Either can name a file of the clerk's (``file:///…``, which LibreOffice printed into the PDF) or
another machine (a UNC path ``\\\\host\\share``, which Windows answers with the clerk's
credentials). Both are refused; only a hyperlink to the web, followed when clicked, may lead out.
Fields are looked for in the template itself (so `check` names them) and in every part a build
renders, since Jinja can spell a field code the template never shows.
"""

from __future__ import annotations

import re
from xml.parsers import expat

# Field codes that make Word read a file, a data source or another program (INCLUDE is
# INCLUDETEXT's old name; RD names a file whose headings a table of contents takes in).
FETCHING_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT",
                             "DATABASE", "RD"})
_WEB = ("http://", "https://", "mailto:")
# Element names the checks below look for, as a part's bytes spell them: XML parts may be UTF-8 or
# UTF-16 (ECMA-376 part 2), and Word reads either.
_NAMES = ("nstrText", "fldSimple", "mailMerge", "altChunk")  # nstrText: w:instrText and w:delInstrText
_MARKERS = tuple(name.encode(encoding) for name in _NAMES for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
# What the build encoded from text is UTF-8 (four searches per document, not twelve), unless it
# holds a NUL: no XML text may, but UTF-16 is mostly NULs in UTF-8's eyes, and expat would read it so.
_UTF8_MARKERS = (*(name.encode("utf-8") for name in _NAMES), b"\x00")
_NESTED = "\x00"  # stands in a field's code for a field nested in it (no XML text holds U+0000)
# A field's type: its first word; letters only, so that a quote or a switch written against it
# ("INCLUDEPICTURE\"x.png\"") does not hide it, nor quotes around it.
_FIELD_TYPE = re.compile(r'[\s"]*([A-Za-z]+|\x00)')


class ReachesOutside(Exception):
    """What the template would fetch, in Chinese, without the template's name (the caller adds it)."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]  # expat with namespace_separator=" ": "uri local"


def looks_like_xml(data: bytes) -> bool:
    """Whether a part is XML (in UTF-8 or UTF-16), whatever its name: Word finds its parts by
    relationships and content types, so a document part may have any name."""
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _parse(xml: bytes, part: str, start=None, end=None, text=None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise ReachesOutside(f"的 {part} 无效：{exc}") from exc


def owner(rels_part: str) -> str:
    """The part a relationships part belongs to: word/_rels/document.xml.rels → word/document.xml."""
    folder, _, name = rels_part.rpartition("_rels/")
    return folder + name[:-len(".rels")]


def refuse_external_relationships(rels: bytes, part: str) -> dict[str, str]:
    """A .rels part naming a target outside the package, other than a web hyperlink; gives the web
    hyperlinks it names (id → target), which its part may use only as hyperlinks (web_links below)."""
    found: list[tuple[str, str]] = []
    web: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship":
            return
        attrs = {_local(key): value for key, value in attrs.items()}
        # LibreOffice fetches for "external", "EXTERNAL" and " External " alike: only Internal stays in
        if attrs.get("TargetMode", "Internal").strip().lower() != "internal":
            target = attrs.get("Target", "")
            if not (attrs.get("Type", "").endswith("/hyperlink") and target.strip().lower().startswith(_WEB)):
                found.append((target, attrs.get("Type", "").rpartition("/")[2]))
            else:
                web[attrs.get("Id", "")] = target

    _parse(rels, part, start=start)
    if found:
        target, kind = found[0]
        raise ReachesOutside(f"引用了外部的 {kind}（{target}，见 {part}）：打开或转换文书时会读取它。"
                             "请把图片等内容嵌入模板，而不是链接")
    return web


# Elements that name a hyperlink, followed when clicked: a web hyperlink's relationship may serve
# only them. A picture naming it (a:blip r:link="…") is fetched by LibreOffice when it converts
# the letter, as a linked picture is.
_CLICKED = frozenset({"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})


def field_codes(xml: bytes, part: str, web_links: dict[str, str] | None = None, *, encoded: bool = False
                ) -> tuple[list[str], set[str], list[tuple[str, str]]]:
    """The field codes of a Word XML part (simple fields and complex ones, whose code may be split
    over many runs), which of mailMerge and altChunk (content Word converts on opening, such as
    HTML, which may name pictures elsewhere) it holds, and which elements other than hyperlinks
    name one of its web hyperlinks (web_links: id → target), as (element, target)."""
    web_links = web_links or {}
    misused: list[tuple[str, str]] = []
    codes: list[str] = []
    open_fields: list[list[str]] = []  # complex fields nest: INCLUDEPICTURE "{ MERGEFIELD path }"
    in_code = [False]
    found: set[str] = set()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if web_links and local not in _CLICKED:
            misused.extend((local, web_links[value]) for value in attrs.values() if value in web_links)
        if local == "fldSimple":
            if open_fields:
                open_fields[-1].append(_NESTED)
            codes.append(next((value for key, value in attrs.items() if _local(key) == "instr"), ""))
        elif local == "fldChar":
            kind = next((value for key, value in attrs.items() if _local(key) == "fldCharType"), "").strip().lower()
            if kind == "begin":
                if open_fields:  # the field it is nested in: its code goes on after this one's result
                    open_fields[-1].append(_NESTED)
                open_fields.append([])
            elif kind == "end" and open_fields:
                codes.append("".join(open_fields.pop()))
        elif local in ("instrText", "delInstrText"):  # a deleted code is back when the change is rejected
            in_code[0] = True
        elif local in ("mailMerge", "altChunk"):
            found.add(local)

    def end(name: str) -> None:
        if _local(name) in ("instrText", "delInstrText"):
            in_code[0] = False

    def text(data: str) -> None:
        if in_code[0] and open_fields:
            open_fields[-1].append(data)
        elif in_code[0]:  # a code outside any begin/end: Word still reads it
            codes.append(data)

    if web_links or any(marker in xml for marker in (_UTF8_MARKERS if encoded else _MARKERS)):  # most parts: no parse
        _parse(xml, part, start, end, text)
        codes.extend("".join(field) for field in open_fields)
    return codes, found, misused


# An SVG picture (Word keeps one beside its PNG fallback) may name other files: LibreOffice loaded
# <image href="file:///…"> into the PDF. Only references inside the picture (#id) or data: are kept.
_SVG_MARKERS = tuple(name.encode(encoding) for name in ("2000/svg", "<svg") for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_CSS_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)", re.I)


def _inside_picture(reference: str) -> bool:
    return reference.strip().lower().startswith(("#", "data:")) or not reference.strip()


def refuse_svg_links(xml: bytes, part: str) -> None:
    """An SVG part naming a file or address outside itself (href, src, CSS url() or @import)."""
    if not (part.lower().endswith(".svg") or any(marker in xml for marker in _SVG_MARKERS)):
        return
    found: list[str] = []
    root: list[str] = []  # only a part whose root is <svg> is a picture; a letter may mention the namespace

    def start(name: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append(_local(name))
        if root[0] != "svg":
            return
        for key, value in attrs.items():
            if _local(key) in ("href", "src") and not _inside_picture(value):
                found.append(value)
            found.extend(url for url in _CSS_URL.findall(value) if not _inside_picture(url))

    def text(data: str) -> None:  # a <style> element
        if root[:1] != ["svg"]:
            return
        found.extend(url for url in _CSS_URL.findall(data) if not _inside_picture(url))
        if "@import" in data:
            found.append("@import")

    _parse(xml, part, start=start, text=text)
    if found:
        raise ReachesOutside(f"的 {part} 是引用了外部文件（{found[0]}）的 SVG 图片：转换文书时会读取它。"
                             "请把图片另存为不含链接的 PNG 后再放进模板")


def refuse_fetching_fields(xml: bytes, part: str, web_links: dict[str, str] | None = None, *,
                           encoded: bool = False) -> None:
    """A Word XML part with a field that fetches, or a mail merge, or that uses one of its web
    hyperlinks (web_links: id → target, from its relationships) as anything but a hyperlink.
    encoded: the part is what the build encoded from its rendered text as UTF-8."""
    codes, found, misused = field_codes(xml, part, web_links, encoded=encoded)
    if misused:
        element, target = misused[0]
        raise ReachesOutside(f"的 {part} 把网页链接（{target}）用作 {element} 的内容：打开或转换文书时会读取它。"
                             "请把图片等内容嵌入模板，而不是链接")
    for code in codes:
        kind = _FIELD_TYPE.match(code)
        if kind and kind.group(1) == _NESTED:  # Word takes the type from the nested field's result
            raise ReachesOutside(f"的 {part} 含有一个域，其类型由嵌套在其中的域生成：无法确认它不读取外部文件或程序。"
                                 "请删除这个域（在 Word 中按 Alt+F9 可显示域代码），把内容直接放进模板")
        if kind and kind.group(1).upper() in FETCHING_FIELDS:
            words = " ".join(code.replace(_NESTED, "{…}").split())
            shown = words if len(words) <= 60 else words[:60] + "…"
            raise ReachesOutside(f"的 {part} 含有 {kind.group(1).upper()} 域（{shown}）：Word 打开文书时会读取它指向的文件或程序。"
                                 "请删除这个域（在 Word 中按 Alt+F9 可显示域代码），把内容直接放进模板")
    if "altChunk" in found:
        raise ReachesOutside(f"的 {part} 含有要由 Word 转换的嵌入内容（altChunk）：其中可能引用别处的文件。"
                             "请把内容直接粘贴进模板")
    if "mailMerge" in found:
        raise ReachesOutside(f"的 {part} 设置了邮件合并：Word 打开文书时会连接它的数据源。"
                             "请在 Word 中取消邮件合并（“邮件”→“开始邮件合并”→“普通 Word 文档”）后再保存模板")
