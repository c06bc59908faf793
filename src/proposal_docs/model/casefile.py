"""Writing new case files: every field present and commented in Chinese, for `new` and `import`.

The text is assembled line by line (not dumped) so that the comments a clerk reads sit next to
the fields they explain, and values are quoted with JSON's rules, which YAML reads as the same
text whatever characters it holds.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..files import atomic_create
from .layout import schema_modelines
from .loading import quoted
from .models import KIND_BODY, Body, Kind

MODELINE = schema_modelines("case", "../../").rstrip("\n")
PLACEHOLDER = "待填写"


@dataclass
class NewCase:
    kind: Kind
    session: str
    number: int
    assigned: dt.date
    title: str = PLACEHOLDER
    proposers: list[str] = field(default_factory=lambda: [PLACEHOLDER])
    proposer_org: str | None = None
    role: str = "lead"
    lead_unit: str | None = None
    co_units: list[str] = field(default_factory=list)


def quote(value) -> str:
    if value is None:
        return "null"
    return quoted(value)


def file_name(kind: Kind, number: int) -> str:
    return f"{'p' if KIND_BODY[kind] is Body.cppcc else 's'}{number:03d}.yaml"


COMMENT_COLUMN = 32


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(text: str, comment: str) -> str:
    """A field with its comment aligned in one column, counting Chinese characters as two."""
    return f"{text}{' ' * max(1, COMMENT_COLUMN - _width(text))}# {comment}"


def case_text(new: NewCase) -> str:
    who = "提案" if new.kind is Kind.proposal else "建议"
    lines = [
        MODELINE,
        f"# {who}:字段说明见 schema/case.schema.json;日期写作 YYYY-MM-DD。",
        _line(f"kind: {new.kind.value}", "proposal 政协委员提案 | suggestion 人大代表建议"),
        _line(f"session: {quote(new.session)}", "year.yaml 中 sessions 的键"),
        _line(f"number: {new.number}", f"{who}号,同一会议内不重复"),
        _line(f"title: {quote(new.title)}", "案由,不带书名号"),
        _line(f"proposers: [{', '.join(quote(p) for p in new.proposers)}]", "第一位为领衔人"),
        _line(f"proposer_org: {quote(new.proposer_org)}", f"集体{who}单位,如 民建市委"),
        _line(f"role: {new.role}", "lead 主办 | co 会办 | separate 分办"),
        _line(f"lead_unit: {quote(new.lead_unit)}", "会办件必填:主办单位"),
        _line(f"co_units: [{', '.join(quote(u) for u in new.co_units)}]", "主办件的会办单位"),
        _line(f"assigned: {new.assigned.isoformat()}", "交办日期"),
        _line("due: null", "可选:覆盖计算出的办理期限"),
        _line("key: false", "重点提案(市领导领衔督办)"),
        "# handler: {unit: 产业发展科, name: 张三, phone: 0556-5551234}   # 承办人",
        _line("communications: []", "沟通记录,如 - {date: 2025-04-02, mode: visit, with: 张三, note: 上门听取意见}"),
        " " * COMMENT_COLUMN + "# mode: visit 上门走访 | invite 邀请来局 | meeting 座谈会 | phone 电话 | letter 书面 | online 网络",
        _line("co_opinions: []", "主办件收到的会办意见:- {unit: 市财政局, date: 2025-04-15, summary: 同意}"),
        "# reply:                      # 答复后填写",
        "#   date: 2025-05-20",
        "#   doc_number: null          # 文号,由 proposal-docs number 编写,写入后不再改变",
        "#   category: A               # 答复类别:A 已解决或采纳 | B 正在解决或列入计划解决 | C 因条件限制留作参考",
        "#   disclosure: public        # public 全文公开 | summary 摘要公开 | on_request 依申请公开 | withheld 不予公开",
        "#   signer: 王五              # 签发人",
        "#   body: |                   # 正文,段落之间空一行;一、(一)1.(1)开头的段落为标题",
        "#     一、关于……",
        "# feedback:                   # 收回的征询意见表",
        "#   date: 2025-06-01",
        "#   attitude: satisfied       # satisfied 满意 | basically_satisfied 基本满意 | dissatisfied 不满意",
        "#   result: satisfied",
        _line("archive: []", "其他归档材料:- {title: 提案原件, date: 2025-02-25, author: 张三, pages: 3}"),
    ]
    return "\n".join(lines) + "\n"


def write_new_case(folder: Path, new: NewCase) -> Path:
    """Write the case file; refuses to overwrite anything."""
    path = folder / file_name(new.kind, new.number)
    atomic_create(path, case_text(new).encode("utf-8"))
    return path
