"""Positioned parts of a 公文 page: frames, anchored shapes (发文机关标志, the red double lines) and
table-row flags. Split from gongwen.py, which holds the page setup and the named styles.
"""

from __future__ import annotations

import itertools
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from gongwen import local, place


def frame(paragraph, *, y=None, width=None, x=None, x_align: str | None = None, y_align: str | None = None,
          v_anchor: str = "page") -> None:
    """Place a paragraph at a fixed position (w:framePr), text flowing above and below it.

    y_align="bottom" with v_anchor="margin" sets it at the foot of the text block of the page its
    anchor falls on: the 版记 of 信函格式.
    """
    props = OxmlElement("w:framePr")
    if width is not None:
        props.set(qn("w:w"), str(width.twips))
    props.set(qn("w:wrap"), "notBeside")
    props.set(qn("w:vAnchor"), v_anchor)
    if y_align:
        props.set(qn("w:yAlign"), y_align)
    else:
        props.set(qn("w:y"), str(y.twips))
    if x_align:
        props.set(qn("w:hAnchor"), "margin")
        props.set(qn("w:xAlign"), x_align)
    else:
        props.set(qn("w:hAnchor"), "page")
        props.set(qn("w:x"), str(x.twips))
    place(paragraph._p.get_or_add_pPr(), props)


# DrawingML objects anchored to the page, in front of the text and not wrapping it (wp:wrapNone):
# they never move a line of the body, which keeps the 22-line grid of the first page intact.
_DRAWING_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}
_shape_ids = itertools.count(1)


def emu(length) -> int:
    return int(length.emu) if hasattr(length, "emu") else int(length)


def anchored_shape(paragraph, name: str, *, y, width, height, fill: str | None = None, text_xml: str = "",
                   x_align: str = "center") -> None:
    """A rectangle (a filled rule, or a text box holding text_xml paragraphs) at y from the top edge
    of the page, centred on the text block: its position is the page's, never the text's."""
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _DRAWING_NS.items())
    cx, cy, shape_id = emu(width), emu(height), next(_shape_ids)
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    box = f"<wps:txbx><w:txbxContent>{text_xml}</w:txbxContent></wps:txbx>" if text_xml else ""
    kind = ' txBox="1"' if text_xml else ""
    xml = (
        f'<w:r {ns}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{shape_id}" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="margin"><wp:align>{x_align}</wp:align></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{emu(y)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="{name}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:cNvSpPr{kind}/><wps:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{fill_xml}<a:ln><a:noFill/></a:ln></wps:spPr>{box}'
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" anchorCtr="0">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    paragraph._p.append(etree.fromstring(xml))


# 信函格式 red double lines (GB/T 9704 10.1), 170 mm: thick 0.8 mm, gap 0.35 mm, thin 0.3 mm
RULE_LENGTH = Mm(170)
THICK, GAP, THIN = Mm(0.8), Mm(0.35), Mm(0.3)
RED_HEX = "FF0000"


def double_rule(paragraph, *, top, thick_first: bool) -> None:
    """A red double line whose top edge is `top` from the page's top edge: 上粗下细 when
    thick_first, else 上细下粗."""
    first, second = (THICK, THIN) if thick_first else (THIN, THICK)
    anchored_shape(paragraph, "红色双线", y=top, width=RULE_LENGTH, height=first, fill=RED_HEX)
    anchored_shape(paragraph, "红色双线", y=emu(top) + emu(first) + emu(GAP), width=RULE_LENGTH, height=second,
                   fill=RED_HEX)


def text_paragraph_xml(text: str, style_id: str) -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')


# Child order of a table row's properties (ECMA-376 Part 1, CT_TrPr) and of a table's cell margins.
_TR_PR_ORDER = ["cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
                "tblHeader", "tblCellSpacing", "jc", "hidden"]


def row_flags(row, *, header: bool = False, cant_split: bool = True) -> None:
    """A row that never splits across pages (w:cantSplit); header: repeated atop every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag, wanted in (("cantSplit", cant_split), ("tblHeader", header)):
        if not wanted or tr_pr.find(qn(f"w:{tag}")) is not None:
            continue
        node = OxmlElement(f"w:{tag}")
        rank = _TR_PR_ORDER.index(tag)
        later = [c for c in tr_pr if local(c.tag) in _TR_PR_ORDER and _TR_PR_ORDER.index(local(c.tag)) > rank]
        if later:
            later[0].addprevious(node)
        else:
            tr_pr.append(node)


def cell_margins(table, *, left, right, top=None, bottom=None) -> None:
    """The table's default cell margins (w:tblCellMar), so narrow columns fit their labels."""
    margins = OxmlElement("w:tblCellMar")
    for side, length in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        if length is None:
            continue
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(length.twips))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    old = table._tbl.tblPr.find(qn("w:tblCellMar"))
    if old is not None:
        table._tbl.tblPr.remove(old)
    place(table._tbl.tblPr, margins)
