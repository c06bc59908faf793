"""`proposal-docs remind`: the 催办 digest — overdue and due-soon items by handler unit and person.

Text for a terminal, Markdown for the issue a scheduled workflow keeps up to date, JSON for any
other tool. It never fails a run: the gate is `check`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from ..model.repository import Repository
from ..rules.clock import chinese_date
from ..render.typography import fullwidth_punctuation
from ..rules.reminders import OpenDeadline, Person, Unit, due_items, open_deadlines
from ..engine.plan import KIND_WORD


@dataclass
class Digest:
    units: list[Unit]
    on: dt.date
    within: int | None
    fullwidth: bool  # the project's typography: case text printed as the documents print it

    def title(self, d: OpenDeadline) -> str:
        return fullwidth_punctuation(d.item.case.title) if self.fullwidth else d.item.case.title


def remind(repo: Repository, on: dt.date, within: int | None = None) -> Digest:
    return Digest(due_items(open_deadlines(repo), on, within), on, within, repo.project.typography.fullwidth_punctuation)


def _case(d: OpenDeadline) -> str:
    return f"{KIND_WORD[d.item.case.body]}第{d.item.case.number}号"


def _days(d: OpenDeadline, on: dt.date) -> str:
    days = d.days_left(on)
    return f"超期 {-days} 天" if days < 0 else "今天到期" if days == 0 else f"还剩 {days} 天"


def _counts(digest: Digest) -> str:
    items = [d for unit in digest.units for d in unit.items]
    overdue = sum(d.days_left(digest.on) < 0 for d in items)
    window = f"{digest.within} 天内" if digest.within is not None else "提醒期内"
    people = sum(len(unit.people) for unit in digest.units)
    return f"已超期 {overdue} 项，{window}到期 {len(items) - overdue} 项，涉及 {len(digest.units)} 个科室 {people} 位承办人。"


def _who(person: Person) -> str:
    phone = f"（{person.handler.phone}）" if person.handler.phone else ""
    return f"{person.handler.name}{phone}"


def as_text(digest: Digest) -> str:
    on = digest.on
    if not digest.units:
        return f"截至{chinese_date(on)}，没有超期或即将到期的事项。\n"
    lines = [f"催办提醒（{chinese_date(on)}）", _counts(digest)]
    for unit in digest.units:
        lines += ["", f"【{unit.name}】"]
        for person in unit.people:
            lines.append(f"{_who(person)}：{len(person.items)} 项")
            for d in person.items:
                lines.append(f"  {_days(d, on)}　{d.label}期限 {chinese_date(d.due)}　{_case(d)} {digest.title(d)}"
                             f"　{d.item.rel}")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~!])")


def _md(text: str) -> str:
    """Case text in a Markdown table cell: shown as typed, never as markup or a broken row."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def as_markdown(digest: Digest) -> str:
    on = digest.on
    lines = [f"## 催办提醒（{chinese_date(on)}）", ""]
    if not digest.units:
        return "\n".join(lines + ["没有超期或即将到期的事项。"]) + "\n"
    lines.append(_counts(digest))
    for unit in digest.units:
        lines += ["", f"### {_md(unit.name)}"]
        for person in unit.people:
            lines += ["", f"**{_md(_who(person))}**", "", "| 期限 | 天数 | 事项 | 案件 | 案由 | 文件 |",
                      "| --- | --- | --- | --- | --- | --- |"]
            for d in person.items:
                days = f"**{_days(d, on)}**" if d.days_left(on) < 0 else _days(d, on)
                lines.append(f"| {chinese_date(d.due)} | {days} | {d.label} | {_case(d)} | {_md(digest.title(d))} "
                             f"| `{d.item.rel}` |")
    lines += ["", "由 `proposal-docs remind` 生成；办结后在案件文件中补上答复或沟通记录，下次生成时即不再列出。"]
    return "\n".join(lines) + "\n"


def as_json(digest: Digest) -> str:
    """Case text exactly as typed, one item per deadline, in the digest's order."""
    items = [{"unit": unit.name, "handler": person.handler.name, "phone": person.handler.phone or None,
              "kind": d.kind, "label": d.label, "due": d.due.isoformat(), "days_left": d.days_left(digest.on),
              "overdue": d.days_left(digest.on) < 0, "session": d.item.case.session, "number": d.item.case.number,
              "title": d.item.case.title, "file": d.item.rel}
             for unit in digest.units for person in unit.people for d in person.items]
    return json.dumps({"today": digest.on.isoformat(), "within": digest.within, "items": items},
                      ensure_ascii=False, indent=2) + "\n"


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
