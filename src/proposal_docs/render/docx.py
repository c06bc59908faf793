"""Prepared docx templates: patched and compiled once, rendered many times, written byte-identically.

docxtpl's own ``DocxTemplate(path).render().save()`` re-reads and re-zips the whole package for
every document (about 35 ms each). Here docxtpl's ``patch_xml`` turns each templated part into
plain Jinja once; a render is then one Jinja call per templated part and a zip write in which
every other part is copied as it was. Zip entry times, order and document properties are fixed,
so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from html import escape  # &, < and >, as XML needs (xml.sax.saxutils would import urllib.request)

from xml.parsers import expat

from jinja2 import Environment, Template, TemplateError, meta

from .outside import (ReachesOutside, looks_like_xml, owner, refuse_external_relationships, refuse_fetching_fields,
                      refuse_svg_links)
from .zipwriter import EVERY_DOCUMENT, Member, deflate, write_zip

CORE_PART = "docProps/core.xml"
DOCUMENT_PART = "word/document.xml"
_DRAWING = re.compile(r"<w:drawing>.*?</w:drawing>", re.S)  # drawings do not nest


class TemplateProblem(Exception):
    """A template that cannot be used: names the file and what is wrong, in Chinese."""


@dataclass(frozen=True)
class _Part:
    name: str
    member: Member | None  # an untemplated part, deflated once
    template: Template | None


MAX_UNPACKED_BYTES = 64_000_000  # a letterhead template with its pictures is well under a megabyte


def _is_templated(xml: str) -> bool:
    return "{{" in xml or "{%" in xml


def template_label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _patched_parts(content: bytes, label: str, known: dict[str, str] | None
                  ) -> tuple[list[tuple[str, bytes | None, str | None]], dict[str, dict[str, str]]]:
    """(name, raw bytes, patched Jinja source) of every part, docxtpl's patch_xml doing the patching;
    and the web hyperlinks each part's relationships name (lower-case part name → id → target).

    known: sources patched from these very bytes before (engine.templatecache), by part name;
    docxtpl is imported only for a part not among them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except Exception as exc:  # noqa: BLE001 - zipfile raises many kinds for a bad file
        raise TemplateProblem(f"模板 {label} 无法打开：不是有效的 .docx 文件（{exc}）") from exc
    known = known or {}
    patcher = None
    parts = []
    web_links: dict[str, dict[str, str]] = {}
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())  # zipfile reads no member beyond its size
        if unpacked > MAX_UNPACKED_BYTES:  # a template may come from anyone: 2 MB can unpack to gigabytes
            raise TemplateProblem(f"模板 {label} 解压后有 {unpacked:,} 字节，超过上限 {MAX_UNPACKED_BYTES:,} 字节："
                                  "请删去或压缩其中过大的图片")
        members = [(info, archive.read(info)) for info in archive.infolist()]
    try:  # every part: Word finds them by relationships, whatever their names (and part names ignore case)
        for info, data in members:
            if info.filename.lower().endswith(".rels"):
                web_links.setdefault(owner(info.filename).lower(), {}).update(refuse_external_relationships(data, info.filename))
        for info, data in members:
            if not info.filename.lower().endswith(".rels") and looks_like_xml(data):
                refuse_fetching_fields(data, info.filename, web_links.get(info.filename.lower()))
                refuse_svg_links(data, info.filename)
    except ReachesOutside as exc:
        raise TemplateProblem(f"模板 {label} {exc}") from exc
    for info, data in members:
        if info.filename.startswith("word/") and info.filename.endswith(".xml"):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # UTF-16, which Word reads too: copied as it is, never templated
                text = ""
            if _is_templated(text):
                source = known.get(info.filename)
                if source is None:
                    patcher = patcher or _patcher(content)
                    source = patcher.patch_xml(text)
                parts.append((info.filename, None, source))
                continue
        parts.append((info.filename, data, None))
    if not any(name == DOCUMENT_PART for name, _, _ in parts):
        raise TemplateProblem(f"模板 {label} 缺少 word/document.xml，不是 Word 文档")
    return parts, web_links


def _patcher(content: bytes):
    from docxtpl import DocxTemplate  # with python-docx and lxml: tens of milliseconds to import

    return DocxTemplate(io.BytesIO(content))  # only its patch_xml is used: the package is never opened


class PreparedTemplate:
    """One .docx template, ready to render any number of documents.

    Patching a template means importing docxtpl (with python-docx and lxml) and running its regular
    expressions, once per build (or once per template content under `serve`), unless the build
    kept the sources patched from the same bytes (engine.templatecache, signed: a Jinja source kept
    in build/ could otherwise be swapped by anyone who can commit there). Compiling the sources
    with Jinja is left to every build: compiled code is never read back from a file.
    """

    def __init__(self, path: Path, env: Environment, content: bytes | None = None,
                 known: dict[str, str] | None = None):
        """content: the template's bytes when the caller has already read them; known: the sources
        patched from these bytes before, by part name."""
        self.path = path
        self.env = env
        if content is None:
            try:
                content = path.read_bytes()
            except OSError as exc:
                raise TemplateProblem(f"模板 {template_label(path)} 无法读取：{exc.strerror}") from exc
        raw_parts, self.web_links = _patched_parts(content, template_label(path), known)
        self.patched = {name: source for name, _, source in raw_parts if source is not None}
        self.sources = list(self.patched.values())
        self.parts = []
        for name, data, source in raw_parts:
            template = None
            if source is not None:
                try:
                    template = env.from_string(source)
                except TemplateError as exc:
                    raise TemplateProblem(f"模板 {template_label(path)} 中的标签有误：{exc}") from exc
            self.parts.append(_Part(name, deflate(name, data) if data is not None else None, template))

    def names(self) -> set[str]:
        """Every top-level name the template uses: each must exist in its context."""
        found: set[str] = set()
        for source in self.sources:
            found |= meta.find_undeclared_variables(self.env.parse(source))
        return found

    def render_flow(self, context: dict) -> str:
        """The document part (word/document.xml) as rendered from context, less its drawings: the
        text flow the page estimate sets (render/pages.py)."""
        document = next((part.template for part in self.parts if part.name == DOCUMENT_PART), None)
        return self.flow({DOCUMENT_PART: self._render(document, context)} if document else {})

    def flow(self, rendered: dict[str, str]) -> str:
        """The text flow of parts already rendered (render_parts), as render_flow gives it."""
        if DOCUMENT_PART not in rendered:
            raise TemplateProblem(f"模板 {template_label(self.path)} 的正文不含模板标签")
        return text_flow(rendered[DOCUMENT_PART])

    def _render(self, template: Template, context: dict) -> str:
        try:
            return template.render(context)
        except TemplateError as exc:
            raise TemplateProblem(f"模板 {template_label(self.path)} 渲染失败：{exc}") from exc

    def render_parts(self, context: dict) -> dict[str, str]:
        """Every templated part (by name, e.g. word/document.xml) rendered from context."""
        return {part.name: self._render(part.template, context) for part in self.parts if part.template is not None}

    def package(self, rendered: dict[str, str], *, title: str, date: dt.date | None) -> bytes:
        """The .docx of the rendered parts (render_parts), every other part as the template has it."""
        members = []
        for part in self.parts:
            if part.template is not None:
                data = rendered[part.name].encode("utf-8")
                _check_well_formed(data, template_label(self.path))
                try:  # Jinja can spell a field code the template itself never shows
                    refuse_fetching_fields(data, part.name, self.web_links.get(part.name.lower()), encoded=True)
                except ReachesOutside as exc:
                    raise TemplateProblem(f"模板 {template_label(self.path)} 生成{exc}") from exc
                members.append(deflate(part.name, data, EVERY_DOCUMENT))
            elif part.name == CORE_PART:
                members.append(deflate(part.name, core_properties(title, date), EVERY_DOCUMENT))
            else:
                members.append(part.member)
        return write_zip(members)

    def render(self, context: dict, *, title: str, date: dt.date | None) -> bytes:
        return self.package(self.render_parts(context), title=title, date=date)


def text_flow(document: str) -> str:
    """A rendered document part less its drawings. Drawings are most of a letter's XML (the 版头's
    text boxes and red lines) and take no line of its text: they float over the page."""
    return _DRAWING.sub("", document)


def _check_well_formed(xml: bytes, template_name: str) -> None:
    """Word refuses a document whose XML is not well-formed (namespace prefixes included).

    Checked by streaming through expat, which keeps no tree: an archive index of 20,000 cases is
    tens of megabytes of XML, and a parsed tree of it would take ten times that in memory.
    """
    parser = expat.ParserCreate(namespace_separator=" ")  # with namespaces: an unbound prefix is an error
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise TemplateProblem(f"模板 {template_name} 生成的 XML 无效：{exc}") from exc


def document_timestamp(date: dt.date | None) -> str:
    """The document's own date, else SOURCE_DATE_EPOCH, else 1980-01-01: never the clock."""
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        moment = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit()
                  else dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc))
    else:
        moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties(title: str, date: dt.date | None) -> bytes:
    stamp = document_timestamp(date)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title, quote=False)}</dc:title><dc:creator>proposal-docs</dc:creator>"
        "<cp:lastModifiedBy>proposal-docs</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode("utf-8")
