"""build/deadlines.ics: every open deadline as an all-day event, read back with the icalendar library."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st
from icalendar import Calendar

from conftest import edit, run
from test_remind import open_cases, unreply


def events(root) -> dict[str, object]:
    data = (root / "build/deadlines.ics").read_bytes()
    calendar = Calendar.from_ical(data)
    assert calendar["version"] == "2.0" and calendar["prodid"]
    found = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT"))  # UIDs unique
    return found


def build(root, *args):
    result = run(root, "build", "--today", "2024-06-10", *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def test_every_open_deadline_is_an_all_day_event_with_a_reminder(example):
    open_cases(example)
    assert "期限日历已更新" in build(example).output
    found = events(example)
    assert len(found) == 3
    reply = next(e for e in found.values() if str(e["summary"]).startswith("提案第35号"))
    assert str(reply["summary"]) == "提案第35号答复期限：盘活闲置厂房资源，促进首位产业发展"
    assert reply.decoded("dtstart") == dt.date(2024, 6, 20) and reply.decoded("dtend") == dt.date(2024, 6, 21)
    description = str(reply["description"])
    assert "承办：产业发展科 陈立（0556-5551201）" in description and "案件文件：cases/2024/p035.yaml" in description
    assert "市政协十三届四次会议第35号" in description
    (alarm,) = reply.walk("VALARM")
    assert alarm["action"] == "DISPLAY"
    assert alarm.decoded("trigger") == dt.timedelta(days=-15, hours=9)  # warn_days before, at 9:00
    co = next(e for e in found.values() if str(e["summary"]).startswith("提案第57号"))
    assert str(co["summary"]) == "提案第57号会办意见期限：关于加强工业园区用电保障的建议"
    assert co.decoded("dtstart") == dt.date(2024, 4, 20)  # overdue, still open


def test_first_contact_deadline(example):
    unreply(example / "cases/2024/p035.yaml")
    edit(example / "cases/2024/p035.yaml", "communications:\n  - {date: 2024-04-10, mode: visit, with: 赵方剑, note: 实地查看闲置厂房}\n", "")
    build(example)
    summaries = sorted(str(e["summary"]) for e in events(example).values())
    assert summaries == ["提案第35号办前沟通期限：盘活闲置厂房资源，促进首位产业发展",
                         "提案第35号答复期限：盘活闲置厂房资源，促进首位产业发展"]


def test_an_extension_moves_the_same_event_and_a_reply_removes_it(example):
    open_cases(example)
    build(example)
    before = events(example)
    first = (example / "build/deadlines.ics").read_bytes()
    edit(example / "cases/2024/p035.yaml", "assigned: 2024-03-20", "assigned: 2024-03-20\nextension: {due: 2024-08-20, reason: 涉及土地处置}")
    build(example)
    after = events(example)
    assert set(after) == set(before)  # the subscribed calendar updates the event in place
    moved = next(e for e in after.values() if str(e["summary"]).startswith("提案第35号"))
    assert str(moved["summary"]) == "提案第35号答复（延期）期限：盘活闲置厂房资源，促进首位产业发展"
    assert moved.decoded("dtstart") == dt.date(2024, 8, 20) and moved["sequence"] == 1
    assert "延期理由：涉及土地处置" in str(moved["description"])
    edit(example / "cases/2024/p035.yaml", "extension: {due: 2024-08-20, reason: 涉及土地处置}", "")
    build(example)
    assert (example / "build/deadlines.ics").read_bytes() == first  # the same inputs, the same bytes
    (example / "cases/2024/p035.yaml").write_text((example / "cases/2024/p035.yaml").read_text(encoding="utf-8")
                                                  + "reply:\n  date: 2024-06-01\n  category: A\n  disclosure: public\n"
                                                    "  body: 已答复。\n", encoding="utf-8")
    build(example)
    assert len(events(example)) == 2 and not any("第35号" in str(e["summary"]) for e in events(example).values())


def test_calendar_is_written_only_when_it_changes(example):
    open_cases(example)
    build(example)
    ics = example / "build/deadlines.ics"
    stamp = ics.stat().st_mtime_ns
    edit(example / "cases/2024/p012.yaml", "一、优化民营经济发展环境", "一、进一步优化民营经济发展环境")  # a replied case
    result = run(example, "build", "--today", "2024-06-11")
    assert "期限日历已更新" not in result.output
    assert ics.stat().st_mtime_ns == stamp
    build(example, "--force")
    assert ics.stat().st_mtime_ns == stamp  # the same bytes are not written again


def test_a_calendar_without_open_deadlines_is_empty_but_valid(example):
    build(example)
    assert events(example) == {}


def test_second_handling_is_an_event_and_a_returned_case_drops_out(example):
    edit(example / "cases/2024/p009.yaml", "  attitude: satisfied\n  result: satisfied", "  attitude: satisfied\n  result: dissatisfied")
    open_cases(example)
    build(example)
    before = events(example)
    rehandle = next(e for e in before.values() if str(e["summary"]).startswith("提案第9号"))
    assert str(rehandle["summary"]) == "提案第9号再次答复期限：关于小型服装加工厂发展的建议"
    assert rehandle.decoded("dtstart") == dt.date(2024, 7, 8)
    assert str(rehandle["uid"]).startswith("2024-cppcc-13-4-9-rehandle-")
    case = example / "cases/2024/p035.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "returned: {date: 2024-03-25, reason: 不属于本单位职责范围}\n",
                    encoding="utf-8")
    build(example)
    assert not any("第35号" in str(e["summary"]) for e in events(example).values())
    assert len(events(example)) == len(before) - 1


def _deadline(title: str, reason: str):
    from pathlib import Path

    from proposal_docs.model.loading import Source
    from proposal_docs.model.models import Case
    from proposal_docs.model.repository import CaseFile
    from proposal_docs.rules.reminders import OpenDeadline

    case = Case(kind="proposal", session="cppcc-13-4", number=7, title=title, assigned=dt.date(2024, 3, 20),
                extension={"due": dt.date(2024, 8, 1), "reason": reason}, handler={"name": "张三"})
    item = CaseFile(Path("cases/2024/p007.yaml"), Source("cases/2024/p007.yaml"), case)
    return OpenDeadline(item, "reply", dt.date(2024, 8, 1), 15, extended=True)


LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda t: t.strip())


@settings(max_examples=80, deadline=None)
@given(title=LINE, reason=st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and "\r" not in t))
def test_any_case_text_reads_back_as_written(title, reason):
    """Commas, semicolons, backslashes, long Chinese lines: folded and escaped by the library, read back whole."""
    from proposal_docs.model.models import Project
    from proposal_docs.render.calendar import calendar_bytes

    project = Project(organisation={"name": "xx市科技和经济信息化局", "short_name": "市科经局"},
                      typography={"fullwidth_punctuation": False})
    data = calendar_bytes([_deadline(title, reason)], project, {})
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # RFC 5545 3.1: lines of 75 octets at most
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == f"提案第7号答复（延期）期限：{title}"
    assert f"延期理由：{reason}" in str(event["description"])
    assert calendar_bytes([_deadline(title, reason)], project, {}) == data
