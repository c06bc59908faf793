"""The text of a .docx, in reading order: for golden files, `textconv` and document diffs."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
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
    """Paragraphs one per line, tables as `| a | b |` rows, in the order they appear."""
    doc = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines: list[str] = []
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, doc).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(element, doc)))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
