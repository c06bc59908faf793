"""The text of a .docx, in reading order: for golden files, `textconv` and document diffs."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def _cell_text(cell) -> str:
    return " / ".join(p.text for p in cell.paragraphs if p.text)


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def document_text(source: Path | bytes) -> str:
    """Paragraphs one per line, tables as `| a | b |` rows, in reading order: text boxes before the
    paragraph holding them, paragraphs framed at the foot of the page (a letter's 版记) last."""
    doc = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines: list[str] = []
    foot: list[str] = []  # paragraphs framed at the foot of the page (a letter's 版记) read last
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        framed = element.find(f"{qn('w:pPr')}/{qn('w:framePr')}") if tag == "p" else None
        if framed is not None and framed.get(qn("w:yAlign")) == "bottom":
            foot.append(Paragraph(element, doc).text)
        elif tag == "p":
            # text boxes anchored in the paragraph first: the letterhead's 答复类别 and 发文机关标志
            for box in element.iter(qn("w:txbxContent")):
                lines.extend(Paragraph(p, doc).text for p in box.iterchildren(qn("w:p")))
            lines.append(Paragraph(element, doc).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(element, doc)))
    while lines and not lines[-1]:
        lines.pop()
    lines += foot
    return "\n".join(lines) + "\n"
