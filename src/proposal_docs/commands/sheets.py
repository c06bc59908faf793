"""Reading an assignment list (交办清单) as rows of cells, the way Excel shows it to a clerk.

.xlsx through openpyxl, read in full (not its streaming mode) because only that reads what a clerk
sees: a merged cell's value in every row it spans, hidden rows as hidden, and every row written in
the sheet whatever extent the file's stored <dimension> claims. .csv as UTF-8 or GB18030 (what
Excel on a Chinese Windows saves), with or without a byte-order mark, multi-line fields allowed.

Limits keep a wrong or hostile file from taking minutes or flooding the terminal: a sheet whose
XML unpacks to more than MAX_SHEET_BYTES is refused before it is parsed, at most MAX_ROWS data rows
are imported (the rest are counted and reported), and a cell longer than MAX_CELL is an error.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_SHEET_BYTES = 64 * 1024 * 1024
MAX_ROWS = 5_000
MAX_CELL = 2_000
EXCERPT = 30
MAX_ECHO = 50  # rows skipped or refused listed one by one; a broken list must not bury the summary


class ImportProblem(Exception):
    """The file as a whole cannot be read (format, size, headers)."""


@dataclass
class SheetRow:
    number: int  # as Excel or a text editor numbers it: what the clerk looks for
    cells: list
    hidden: bool = False


@dataclass
class Sheet:
    rows: list[SheetRow]  # the first KEPT rows of the file
    more: int = 0  # rows with content after them, counted only
    first_more: int = 0  # the row number of the first of those


KEEP_SLACK = 1_000  # rows kept beyond MAX_ROWS: title rows, the header and blank rows among the data


def _keep(rows: list[SheetRow], sheet: Sheet, row: SheetRow) -> None:
    if len(rows) < MAX_ROWS + KEEP_SLACK:
        rows.append(row)
    elif any(v is not None and str(v).strip() for v in row.cells):
        sheet.first_more = sheet.first_more or row.number
        sheet.more += 1


def excerpt(value) -> str:
    """A cell as a message quotes it: one line, at most EXCERPT characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + f"…（共 {len(text):,} 字）"


def read_rows(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise ImportProblem(f"只支持 .xlsx 或 .csv 文件，收到的是 {path.name}")


def _xlsx_rows(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = max((i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")), default=0)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportProblem(f"无法读取 Excel 文件 {path.name}：文件已损坏或不是 .xlsx") from exc
    if unpacked > MAX_SHEET_BYTES:
        raise ImportProblem(f"{path.name} 的工作表过大（解压后 {unpacked / 1024 / 1024:,.0f} MB，上限 "
                            f"{MAX_SHEET_BYTES // 1024 // 1024} MB）：一份交办清单最多 {MAX_ROWS:,} 行，请拆分后分别导入")
    try:
        book = load_workbook(path, data_only=True)  # data_only: a formula cell gives the value Excel computed
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportProblem(f"无法读取 Excel 文件 {path.name}：{excerpt(exc)}") from exc
    try:
        sheet = book.worksheets[0]
        values = {}
        for merged in sheet.merged_cells.ranges:  # the value sits in the top-left cell only
            top_left = sheet.cell(merged.min_row, merged.min_col).value
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    values[(row, col)] = top_left
        rows: list[SheetRow] = []
        result = Sheet(rows)
        for cells in sheet.iter_rows():  # every row written, whatever <dimension> says
            if not cells:
                continue
            number = cells[0].row
            row = [values.get((number, c.column), c.value) for c in cells]
            hidden = bool(sheet.row_dimensions[number].hidden) if number in sheet.row_dimensions else False
            _keep(rows, result, SheetRow(number, row, hidden))
        return result
    finally:
        book.close()


def _csv_rows(path: Path) -> Sheet:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportProblem(f"{path.name} 既不是 UTF-8 也不是 GBK/GB18030 编码")
    text = text.removeprefix("\ufeff")  # GB18030's byte-order mark decodes to U+FEFF
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[SheetRow] = []
    result = Sheet(rows)
    try:
        for cells in reader:
            _keep(rows, result, SheetRow(reader.line_num - text_lines(cells) + 1, cells))
    except csv.Error as exc:  # e.g. a field beyond the csv module's 131,072 characters
        raise ImportProblem(f"{path.name} 第 {reader.line_num:,} 行无法读取：单元格过长或引号不成对（{excerpt(exc)}）") from exc
    return result


def text_lines(cells: list[str]) -> int:
    """How many lines of the file a CSV record took (a quoted field may hold line breaks)."""
    return 1 + sum(cell.count("\n") for cell in cells)
