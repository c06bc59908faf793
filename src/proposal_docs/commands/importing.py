"""`proposal-docs import`: one case file per row of the year's assignment list (交办清单).

The columns are found by their usual Chinese headers, under any title rows. How the bureau handles
a row follows from where the list names it (by its full name, short name or one of
`organisation.aliases`): under 主办单位 it leads (the other units become `co_units`), under
会办单位 it assists (`lead_unit` is the 主办单位), a 承办方式 column or a 分办 keyword says
separate; a row naming it nowhere is reported and skipped. Hidden rows and rows marked 撤案/撤回
are skipped and reported. Every case is written through `new`'s commented layout and validated with
the models `check` uses before it is written: nothing invalid reaches cases/. An existing case of
the same session and number is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model.casefile import NewCase, case_text, write_new_case
from ..model.loading import parse_yaml, validate
from ..model.models import Case
from ..model.repository import Repository
from .new import kind_of, used_numbers, year_of_session
from .sheets import MAX_CELL, MAX_ROWS, ImportProblem, SheetRow, excerpt, read_rows  # noqa: F401 - ImportProblem re-exported

__all__ = ["ImportProblem", "ImportResult", "import_rows"]

HEADERS = {
    "number": ("提案号", "建议号", "编号", "案号", "提案编号", "建议编号"),
    "title": ("案由", "标题", "题目", "提案名称", "建议名称"),
    "proposers": ("提案人", "领衔人", "建议人", "提出人", "领衔代表", "代表", "委员"),
    "role": ("承办方式", "办理方式", "办理类型"),
    "separate_units": ("分办单位",),
    "lead_unit": ("主办单位",),
    "co_units": ("会办单位", "协办单位"),
    "assigned": ("交办日期", "交办时间"),
}
ROLES = {"主办": "lead", "会办": "co", "协办": "co", "分办": "separate"}
WITHDRAWN = ("撤案", "撤回", "已撤")
NAME_SPLIT = re.compile(r"[、,，;；/\s]+")
ORG_ENDINGS = ("市委", "委员会", "支部", "总支", "界别", "联合会", "工商联")
BREAKS = re.compile(r"\s*[\r\n\t\v\f\x85\u2028\u2029]+\s*")
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass
class ImportResult:
    created: list[tuple[int, NewCase, Path | None]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    refused: int = 0  # data rows beyond MAX_ROWS, not looked at
    first_refused: int = 0  # the row number of the first of them


def _clean(value) -> str:
    """A cell as one line of text: Excel's in-cell line breaks joined (without a space between
    Chinese characters), full-width spaces as spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u3000", " ").strip()

    def join(match: re.Match) -> str:
        before, after = text[match.start() - 1: match.start()], text[match.end(): match.end() + 1]
        return "" if CJK.match(before) or CJK.match(after) else " "

    return BREAKS.sub(join, text)


def find_columns(rows: list[SheetRow]) -> tuple[int, dict[str, int]]:
    """The header row (index into rows) and which column holds each field."""
    for index, row in enumerate(rows[:15]):
        headers = [re.sub(r"\s+", "", _clean(cell)) for cell in row.cells]
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
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:  # Excel's day number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = _clean(value)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text) or \
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise ValueError(f"无法识别的交办日期“{excerpt(text)}”")


def parse_number(value) -> int:
    """12, 12.0, "12", "第12号", "012"; never -5 as 5, 1e3 as 1 or 12.5 as 12."""
    if isinstance(value, bool):
        raise ValueError(f"编号“{value}”不是正整数")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if value > 0:
            return value
        raise ValueError(f"编号“{value}”不是正整数")
    text = _clean(value)
    match = re.fullmatch(r"第?\s*(\d{1,9})\s*号?", text)
    if not match or int(match[1]) <= 0:
        raise ValueError(f"编号“{excerpt(text)}”不是正整数")
    return int(match[1])


def split_names(value) -> list[str]:
    names = [n.removesuffix("等") for n in NAME_SPLIT.split(_clean(value)) if n]
    return [n for n in names if n]


class NotOurs(ValueError):
    """The row is another unit's: the list is the whole city's, so this is reported, not an error."""


def _role(cell, bureau: set[str], columns: dict[str, int]) -> tuple[str, str | None, list[str]]:
    """(role, lead_unit, co_units) of a row, from its role and unit columns; ValueError when the
    row does not say what the bureau does."""
    stated = _clean(cell("role"))
    leads, cos, separates = split_names(cell("lead_unit")), split_names(cell("co_units")), split_names(cell("separate_units"))
    ours = lambda names: any(n in bureau for n in names)  # noqa: E731
    others = lambda names: [n for n in names if n not in bureau]  # noqa: E731
    if stated:
        role = next((value for word, value in ROLES.items() if word in stated), None)
        if role is None:
            raise ValueError(f"承办方式“{excerpt(stated)}”应为 主办、会办 或 分办")
        return role, (others(leads)[:1] or [None])[0] if role == "co" else None, others(cos) if role == "lead" else []
    if ours(separates) or any("分办" in _clean(cell(c)) for c in ("lead_unit", "co_units")):
        return "separate", None, []
    if ours(leads):
        return "lead", None, others(cos)
    if ours(cos):
        lead = others(leads)
        if not lead:
            raise ValueError("本单位在会办单位中，但主办单位为空")
        return "co", lead[0], []
    if "lead_unit" in columns or "co_units" in columns:
        raise NotOurs("主办单位和会办单位中都没有本单位（若清单用了别的写法，请写入 proposal-docs.yaml 的"
                      " organisation.aliases）")
    return "lead", None, []


def _withdrawn(row: SheetRow) -> str | None:
    for value in row.cells:
        text = _clean(value)
        if any(word in text for word in WITHDRAWN):
            return excerpt(text)
    return None


def _validated(new: NewCase, categories: dict) -> list[str]:
    """What `check` would say of the file import is about to write (nothing when it is valid)."""
    data, source = parse_yaml(case_text(new), "import")
    _, findings = validate(Case, data, source, {"categories": categories})
    return [f"{f.field}：{f.message}" if f.field else f.message for f in findings]


def import_rows(repo: Repository, path: Path, session: str, *, default_assigned: dt.date | None,
                dry_run: bool) -> ImportResult:
    year = year_of_session(repo, session)
    kind = kind_of(year, session)
    taken = used_numbers(year, session)
    bureau = repo.project.organisation.names()
    sheet = read_rows(path)
    header, columns = find_columns(sheet.rows)
    result = ImportResult()
    data_rows = [row for row in sheet.rows[header + 1:] if any(_clean(v) for v in row.cells)]
    if len(data_rows) > MAX_ROWS or sheet.more:
        result.refused = max(0, len(data_rows) - MAX_ROWS) + sheet.more
        result.first_refused = data_rows[MAX_ROWS].number if len(data_rows) > MAX_ROWS else sheet.first_more
        data_rows = data_rows[:MAX_ROWS]
    for row in data_rows:
        def cell(name: str, row=row):
            col = columns.get(name)
            return row.cells[col] if col is not None and col < len(row.cells) else None

        if row.hidden:
            result.skipped.append((row.number, "隐藏的行，未导入"))
            continue
        mark = _withdrawn(row)
        if mark:
            result.skipped.append((row.number, f"标有“{mark}”，未导入"))
            continue
        try:
            too_long = next((c for c in row.cells if len(_clean(c)) > MAX_CELL), None)
            if too_long is not None:
                raise ValueError(f"单元格过长：“{excerpt(too_long)}”")
            bad = next((CONTROL.search(str(c)) for c in row.cells if c is not None and CONTROL.search(str(c))), None)
            if bad:
                raise ValueError(f"含有不可见的控制字符 U+{ord(bad.group()):04X}")
            number = parse_number(cell("number"))
            title = _clean(cell("title")).removeprefix("《").removesuffix("》")
            if not title:
                raise ValueError("案由为空")
            role, lead_unit, co_units = _role(cell, bureau, columns)
            assigned = parse_date(cell("assigned")) if _clean(cell("assigned")) else default_assigned
            if assigned is None:
                raise ValueError("缺少交办日期（可用 --assigned 指定默认值）")
        except NotOurs as exc:
            result.skipped.append((row.number, str(exc)))
            continue
        except ValueError as exc:
            result.errors.append((row.number, str(exc)))
            continue
        if number in taken:
            result.skipped.append((row.number, f"{session} 第{number}号已有案件文件，未改动"))
            continue
        names = split_names(cell("proposers"))
        if not names:
            result.errors.append((row.number, "提案人为空"))
            continue
        org = names[0] if len(names) == 1 and names[0].endswith(ORG_ENDINGS) else None
        new = NewCase(kind=kind, session=session, number=number, assigned=assigned, title=title, role=role,
                      proposers=[] if org else names, proposer_org=org,
                      lead_unit=lead_unit, co_units=co_units)
        problems = _validated(new, repo.project.categories)
        if problems:
            result.errors.append((row.number, "；".join(problems)))
            continue
        target = None
        if not dry_run:
            try:
                target = write_new_case(repo.root / "cases" / str(year.year), new)
            except FileExistsError as exc:
                result.skipped.append((row.number, f"文件 {Path(exc.args[0]).name} 已存在，未改动"))
                continue
        taken.add(number)
        result.created.append((row.number, new, target))
    return result
