"""`proposal-docs import`: one case file per row of the year's assignment list (交办清单).

Reads .xlsx (openpyxl) or .csv (UTF-8, or GB18030 as Excel on a Chinese Windows saves it), finds
the columns by their usual Chinese headers, and writes new case files with `new`'s commented
layout. An existing case of the same session and number is never touched; a bad row is reported
with its row number and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.casefile import PLACEHOLDER, NewCase, write_new_case
from ..model.repository import Repository
from .new import kind_of, used_numbers, year_of_session

HEADERS = {
    "number": ("提案号", "建议号", "编号", "案号"),
    "title": ("案由", "标题", "题目"),
    "proposers": ("提案人", "领衔人", "建议人", "提出人", "代表", "委员"),
    "role": ("承办方式", "办理方式", "办理类型"),
    "co_units": ("会办单位", "协办单位"),
    "lead_unit": ("主办单位",),
    "assigned": ("交办日期", "交办时间"),
}
ROLES = {"主办": "lead", "会办": "co", "协办": "co", "分办": "separate"}
NAME_SPLIT = re.compile(r"[、,,;;\s]+")
ORG_ENDINGS = ("市委", "委员会", "支部", "总支", "界别", "联合会", "工商联")


class ImportProblem(Exception):
    """The file as a whole cannot be read (format, headers)."""


@dataclass
class ImportResult:
    created: list[tuple[int, NewCase, Path | None]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[list]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise ImportProblem(f"无法读取 Excel 文件 {path.name}:{exc}") from exc
        try:
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return list(csv.reader(io.StringIO(raw.decode(encoding))))
            except UnicodeDecodeError:
                continue
        raise ImportProblem(f"{path.name} 既不是 UTF-8 也不是 GBK 编码")
    raise ImportProblem(f"只支持 .xlsx 或 .csv 文件，收到的是 {path.name}")


def _clean(value) -> str:
    return "" if value is None else str(value).replace("\u3000", " ").strip()


def find_columns(rows: list[list]) -> tuple[int, dict[str, int]]:
    """The header row (index) and which column holds each field."""
    for index, row in enumerate(rows[:10]):
        headers = [re.sub(r"\s+", "", _clean(cell)) for cell in row]
        columns: dict[str, int] = {}
        for name, spellings in HEADERS.items():
            for col, header in enumerate(headers):
                if header and any(header.startswith(s) for s in spellings) and col not in columns.values():
                    columns[name] = col
                    break
        if "number" in columns and "title" in columns:
            return index, columns
    raise ImportProblem("找不到表头：需要“提案号/建议号/编号”和“案由/标题/题目”两列")


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = _clean(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text) or \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        raise ValueError(f"无法识别的交办日期“{text}”")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def parse_number(value) -> int:
    match = re.search(r"\d+", _clean(value))  # 12, "12", 12.0, "第12号"
    if not match or int(match.group()) <= 0:
        raise ValueError(f"编号“{_clean(value)}”不是正整数")
    return int(match.group())


def split_names(value) -> list[str]:
    names = [n.removesuffix("等") for n in NAME_SPLIT.split(_clean(value)) if n]
    return [n for n in names if n]


def import_rows(repo: Repository, path: Path, session: str, *, default_assigned: dt.date | None,
                dry_run: bool) -> ImportResult:
    year = year_of_session(repo, session)
    kind = kind_of(year, session)
    taken = used_numbers(year, session)
    rows = read_rows(path)
    header, columns = find_columns(rows)
    result = ImportResult()
    for index, row in enumerate(rows[header + 1:], start=header + 2):
        def cell(name: str):
            col = columns.get(name)
            return row[col] if col is not None and col < len(row) else None

        if not any(_clean(v) for v in row):
            continue
        try:
            number = parse_number(cell("number"))
            title = _clean(cell("title")).removeprefix("《").removesuffix("》")
            if not title:
                raise ValueError("案由为空")
            role = ROLES.get(_clean(cell("role"))[:2], None) if _clean(cell("role")) else "lead"
            if role is None:
                raise ValueError(f"承办方式“{_clean(cell('role'))}”应为 主办、会办 或 分办")
            assigned = parse_date(cell("assigned")) if _clean(cell("assigned")) else default_assigned
            if assigned is None:
                raise ValueError("缺少交办日期（可用 --assigned 指定默认值）")
        except ValueError as exc:
            result.errors.append((index, str(exc)))
            continue
        if number in taken:
            result.skipped.append((index, f"{session} 第{number}号已有案件文件，未改动"))
            continue
        names = split_names(cell("proposers"))
        org = names[0] if len(names) == 1 and names[0].endswith(ORG_ENDINGS) else None
        new = NewCase(kind=kind, session=session, number=number, assigned=assigned, title=title, role=role,
                      proposers=[] if org else (names or [PLACEHOLDER]),
                      proposer_org=org)
        if role == "co":
            new.lead_unit = _clean(cell("lead_unit")) or None
        elif role == "lead":
            new.co_units = split_names(cell("co_units"))
        target = None
        if not dry_run:
            try:
                target = write_new_case(repo.root / "cases" / str(year.year), new)
            except FileExistsError as exc:
                result.skipped.append((index, f"文件 {Path(exc.args[0]).name} 已存在，未改动"))
                continue
        taken.add(number)
        result.created.append((index, new, target))
    return result
