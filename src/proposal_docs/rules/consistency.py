"""Consistency rules that compare fields of one case, or cases across files.

Each rule yields located findings; none of them looks at today's date (that is ``deadlines``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from ..model.casefile import PLACEHOLDER
from .clock import chinese_date
from ..model.findings import Finding
from ..model.models import KIND_BODY, LABELS, Role, Satisfaction
from ..model.repository import CaseFile, Repository, Year


def case_rules(item: CaseFile, year: Year | None) -> Iterator[Finding]:
    case, src = item.case, item.source
    if not case.proposers and not case.proposer_org:
        yield src.finding(("proposers",), "至少写一位提案人（proposers），或写集体提案单位（proposer_org）",
                          code="no-proposer")
    # `new` leaves 待填写 where it was not told what to write: never to be printed in a document
    if case.title == PLACEHOLDER:
        yield src.finding(("title",), f"案由尚未填写（仍是新建案件的占位内容“{PLACEHOLDER}”）", code="placeholder")
    for index, name in enumerate(case.proposers):
        if name == PLACEHOLDER:
            yield src.finding(("proposers", index), f"提案人尚未填写（仍是新建案件的占位内容“{PLACEHOLDER}”）",
                              code="placeholder")
    if case.title.startswith("《") or case.title.endswith("》"):
        yield src.finding(("title",), "案由不要带书名号《》，生成文件时会自动加上", code="title-brackets")
    if case.role is Role.co and not case.lead_unit:
        yield src.finding(("lead_unit",), "会办件（role: co）必须写主办单位 lead_unit", code="co-needs-lead-unit")
    if case.role is not Role.co and case.lead_unit:
        yield src.finding(("lead_unit",), f"lead_unit 只用于会办件，本件为{LABELS[case.role]}件", code="lead-unit-not-co")
    if case.role is not Role.lead and case.co_units:
        yield src.finding(("co_units",), f"co_units 只用于主办件，本件为{LABELS[case.role]}件", code="co-units-not-lead")
    if case.role is not Role.lead and case.co_opinions:
        yield src.finding(("co_opinions",), "co_opinions 只用于主办件", code="co-opinions-not-lead")

    if year is not None:
        if case.assigned.year != year.year:
            yield src.finding(("assigned",), f"交办日期 {case.assigned.isoformat()} 不在所在年度文件夹 cases/{year.year}/ 的"
                              f" {year.year} 年内：请核对交办日期，或把文件移到 cases/{case.assigned.year}/",
                              code="assigned-other-year", level="warning")
        session = year.file.sessions.get(case.session)
        if session is None:
            known = "、".join(year.file.sessions) or "（无）"
            yield src.finding(("session",), f"会议“{case.session}”不在 {year.source.path} 中，可选：{known}",
                              code="unknown-session")
        elif session.body is not KIND_BODY[case.kind]:
            yield src.finding(("kind",), f"{LABELS[case.kind]}应属于{LABELS[KIND_BODY[case.kind]]}会议，"
                              f"而“{case.session}”是{LABELS[session.body]}会议", code="kind-session-mismatch")

    reply = case.reply
    if reply:
        if reply.date < case.assigned:
            yield src.finding(("reply", "date"), "答复日期早于交办日期", code="reply-before-assigned")
        if case.role is not Role.co:
            if reply.category is None:
                yield src.finding(("reply", "category"), "缺少答复类别", code="missing")
            if reply.disclosure is None:
                yield src.finding(("reply", "disclosure"), "缺少公开属性", code="missing")
    if case.feedback:
        if reply is None:
            yield src.finding(("feedback",), "还没有答复（reply），不会有征询意见表反馈", code="feedback-without-reply")
        elif case.role is Role.co:
            yield src.finding(("feedback",), "会办件不发征询意见表", code="feedback-on-co")
        elif case.feedback.date < reply.date:
            yield src.finding(("feedback", "date"), "反馈日期早于答复日期", code="feedback-before-reply")
    yield from _returned_and_followups(item)
    if case.extension and case.extension.due < case.assigned:
        yield src.finding(("extension", "due"), "延期后的期限早于交办日期", code="extension-before-assigned")
    for i, contact in enumerate(case.communications):
        if (case.assigned - contact.date).days > 366:  # a year, leap day or year 1 included
            yield src.finding(("communications", i, "date"), "沟通日期比交办日期早一年以上，请核对",
                              code="contact-too-early", level="warning")


def _returned_and_followups(item: CaseFile) -> Iterator[Finding]:
    """退办 excludes a reply; each followup answers the feedback before it, in date order."""
    case, src = item.case, item.source
    if case.returned:
        if case.returned.date < case.assigned:
            yield src.finding(("returned", "date"), "退办日期早于交办日期", code="returned-before-assigned")
        if case.reply:
            yield src.finding(("returned",), "本件已退办（returned），不应再有答复 reply：退办成功请删除 reply，"
                              "未获同意请删除 returned", code="returned-and-replied")
        if case.role is Role.co:
            yield src.finding(("returned",), "会办件不申请退办，请与主办单位联系", code="returned-co")
    if not case.followups:
        return
    if case.role is Role.co:
        yield src.finding(("followups",), "会办件不发征询意见表，也没有二次办理", code="followups-on-co")
        return
    if case.reply is None:
        yield src.finding(("followups",), "还没有第一次答复（reply），不会有二次办理", code="followup-without-reply")
        return
    rounds = case.rounds
    for i, followup in enumerate(case.followups):
        previous_reply, asked = rounds[i]
        here = ("followups", i)
        if asked is None:
            before = "feedback" if i == 0 else f"followups[{i - 1}].feedback"
            yield src.finding(here, f"二次办理答复的是上一轮的征询意见反馈，但 {before} 还没有填写",
                              code="followup-without-feedback")
        elif followup.reply.date < asked.date:
            yield src.finding(here + ("reply", "date"), f"再次答复日期 {chinese_date(followup.reply.date)} 早于它所回应的"
                              f"反馈日期 {chinese_date(asked.date)}", code="followup-before-feedback")
        elif Satisfaction.dissatisfied not in (asked.attitude, asked.result):
            yield src.finding(here, "上一轮反馈并无“不满意”，请核对是否需要二次办理", code="followup-not-needed",
                              level="warning")
        for name, word in (("category", "答复类别"), ("disclosure", "公开属性")):
            if getattr(followup.reply, name) is None:
                yield src.finding(here + ("reply", name), f"缺少{word}", code="missing")
        if followup.feedback and followup.feedback.date < followup.reply.date:
            yield src.finding(here + ("feedback", "date"), "反馈日期早于再次答复日期", code="feedback-before-reply")
        if previous_reply.date > followup.reply.date and asked is None:
            yield src.finding(here + ("reply", "date"), "再次答复日期早于上一次答复日期", code="followup-before-reply")


def _own_unit(item: CaseFile, bureau: set[str]) -> Iterator[Finding]:
    """The bureau named as a unit of its own case: a 会办 row imported as 主办 looks like this."""
    case, src = item.case, item.source
    for index, unit in enumerate(case.co_units):
        if unit.strip() in bureau:
            yield src.finding(("co_units", index), f"会办单位中写了本单位“{unit}”：本单位主办时不把自己列为会办单位；"
                              "本单位是会办单位时请写 role: co 和主办单位 lead_unit", code="own-unit")
    if case.lead_unit and case.lead_unit.strip() in bureau:
        yield src.finding(("lead_unit",), f"主办单位写了本单位“{case.lead_unit}”：本单位主办的案件请写 role: lead",
                          code="own-unit")


def repository_rules(repo: Repository) -> Iterator[Finding]:
    """Rules across files: unique numbers per session, unique document numbers, the bureau's own name."""
    bureau = repo.project.organisation.names()
    for item in repo.all_cases():
        yield from _own_unit(item, bureau)
    for year in repo.years.values():
        by_number: dict[tuple[str, int], list[CaseFile]] = defaultdict(list)
        for item in year.cases:
            by_number[(item.case.session, item.case.number)].append(item)
        for (session, number), items in by_number.items():
            if len(items) > 1:
                others = "、".join(i.source.path for i in items)
                for item in items:
                    yield item.source.finding(("number",), f"{session} 第{number}号重复：{others}",
                                              code="duplicate-number")
    by_doc: dict[str, list[tuple[CaseFile, tuple]]] = defaultdict(list)
    for item in repo.all_cases():
        for path, letter in item.case.letters():
            if letter.doc_number:
                by_doc[letter.doc_number.strip()].append((item, path))
    unread: dict[str, list[str]] = defaultdict(list)  # the same numbers in the years build left unread
    for numbers in repo.unread.values():
        for number, rel in numbers:
            unread[number].append(rel)
    for number, places in by_doc.items():
        if len(places) + len(unread.get(number, ())) > 1:
            others = "、".join(sorted({i.source.path for i, _ in places} | set(unread.get(number, []))))
            for item, path in places:
                yield item.source.finding(path + ("doc_number",), f"文号“{number}”重复：{others}",
                                          code="duplicate-doc-number")


def doc_numbers(year: Year) -> list[tuple[str, str]]:
    """(document number, case file) of every numbered letter of the year: what a build records of a
    year so that the next one may leave it unread and still find a number used twice."""
    return [(letter.doc_number.strip(), item.rel) for item in year.cases
            for _, letter in item.case.letters() if letter.doc_number]
