"""退办 and 二次办理: the returned case, followup rounds and the reply's abstract."""

from __future__ import annotations

from fractions import Fraction

import pytest

from proposal_docs.model.loading import parse_yaml
from proposal_docs.model.validation import validate
from proposal_docs.model.models import Case, Project

CASE = """\
kind: proposal
session: cppcc-13-4
number: 7
title: 推动家具产业集群绿色化改造
proposers: [聂银峰]
assigned: 2025-03-20
reply:
  date: 2025-05-30
  category: A
  disclosure: public
  body: 正文
feedback: {date: 2025-06-10, attitude: basically_satisfied, result: dissatisfied}
"""

FOLLOWUP = """\
followups:
  - reply:
      date: 2025-07-01
      category: A
      disclosure: public
      body: 再次答复正文
    feedback: {date: 2025-07-20, attitude: satisfied, result: satisfied}
"""


def load(text: str):
    data, source = parse_yaml(text, "cases/2025/p007.yaml")
    return validate(Case, data, source)


def test_followup_rounds_and_final_feedback():
    case, findings = load(CASE + FOLLOWUP)
    assert not findings
    assert [r.date.isoformat() for r, _ in case.rounds] == ["2025-05-30", "2025-07-01"]
    assert case.final_feedback.result == "satisfied"
    first, _ = load(CASE)
    assert first.final_feedback.result == "dissatisfied"


def test_followup_without_reply_names_line_and_field():
    text = CASE + "followups:\n  - feedback: {date: 2025-07-20, attitude: satisfied, result: satisfied}\n"
    _, findings = load(text)
    assert [f.as_text() for f in findings] == ["cases/2025/p007.yaml:14:5 followups[0].reply：缺少必填字段（错误）"]


def test_followup_feedback_has_the_feedback_fields():
    _, findings = load(CASE + FOLLOWUP.replace("result: satisfied}", "result: happy}"))
    (f,) = findings
    assert f.field == "followups[0].feedback.result" and "satisfied、basically_satisfied、dissatisfied" in f.message


def test_returned_case_loads_and_unknown_key_inside_is_an_error():
    base = CASE.split("reply:")[0]
    case, findings = load(base + "returned: {date: 2025-03-25, reason: 不属于本单位职责范围, to: 市发展改革委}\n")
    assert not findings and case.returned.to == "市发展改革委" and case.final_feedback is None
    _, findings = load(base + "returned:\n  date: 2025-03-25\n  reason: 不属于本单位职责\n  unit: 市发展改革委\n")
    (f,) = findings
    assert (f.line, f.field) == (10, "returned.unit") and "未知字段" in f.message
    _, findings = load(base + "returned:\n  date: 2025-03-25\n")
    assert [f.field for f in findings] == ["returned.reason"]


def test_summary_disclosure_needs_an_abstract():
    _, findings = load(CASE.replace("disclosure: public", "disclosure: summary"))
    (f,) = findings
    assert f.as_text() == ("cases/2025/p007.yaml:8:3 reply.abstract：公开属性为 summary（摘要公开）时必须写摘要 abstract（错误）")
    case, findings = load(CASE.replace("disclosure: public", "disclosure: summary\n  abstract: 已采纳，年内完成改造。"))
    assert not findings and case.reply.abstract == "已采纳，年内完成改造。"
    _, findings = load(CASE + FOLLOWUP.replace("disclosure: public", "disclosure: summary"))
    assert [f.field for f in findings] == ["followups[0].reply.abstract"]


def test_return_and_rehandle_rules_are_configurable_per_body():
    project = Project.model_validate({"organisation": {"name": "xx市科技和经济信息化局", "short_name": "市科经局"},
                                      "deadlines": {"npc": {"return": {"days": 10}, "rehandle": {"workdays": 15}}}})
    assert project.rules_for("npc").return_.days == 10 and project.rules_for("npc").rehandle.workdays == 15
    assert project.rules_for("cppcc").return_.workdays == 7 and project.rules_for("cppcc").rehandle.months == 1


# --- findings, as `check` reports them --------------------------------------------------------

from conftest import edit, run  # noqa: E402

RETURNED = """\
kind: proposal
session: cppcc-13-4
number: 120
title: 关于加强农村饮水安全保障的建议
proposers: [陈明]
assigned: 2024-03-20
returned:
  date: 2024-03-27
  reason: 农村饮水安全属水利部门职责
  to: 市水利局
"""

SECOND = """\
kind: proposal
session: cppcc-13-4
number: 121
title: 关于扶持中小企业数字化转型的建议
proposers: [李华]
assigned: 2024-03-20
communications: [{date: 2024-04-01, mode: phone}]
reply:
  date: 2024-05-20
  category: B
  disclosure: public
  body: 正文
feedback: {date: 2024-06-01, attitude: basically_satisfied, result: dissatisfied}
"""


def check(example, name: str, text: str, today: str = "2024-06-20"):
    (example / "cases" / "2024" / name).write_text(text, encoding="utf-8")
    result = run(example, "check", "--today", today)
    return result, [line for line in result.output.splitlines() if name in line]


def test_return_within_its_window_passes_and_after_it_is_an_error(example):
    result, lines = check(example, "p120.yaml", RETURNED)
    assert result.exit_code == 0 and lines == [], result.output
    # 7 workdays from 2024-03-20 is 2024-03-29; 2024-04-01 is too late
    result, lines = check(example, "p120.yaml", RETURNED.replace("2024-03-27", "2024-04-01"))
    assert result.exit_code == 1
    assert lines == ["cases/2024/p120.yaml:8:9 returned.date：退办日期 2024年4月1日 已过退办期限 2024年3月29日"
                     "（交办后逾期不作调整），应由本单位办理（错误）"]


def test_returned_case_is_never_overdue_but_cannot_also_be_replied(example):
    result, lines = check(example, "p120.yaml", RETURNED, today="2025-03-01")
    assert result.exit_code == 0, result.output
    replied = RETURNED + "reply: {date: 2024-05-20, category: A, disclosure: public, body: 正文}\n"
    result, lines = check(example, "p120.yaml", replied)
    assert result.exit_code == 1
    assert [line.split("：")[0] for line in lines] == ["cases/2024/p120.yaml:8:3 returned"], lines
    assert "本件已退办（returned），不应再有答复 reply" in lines[0]


def test_dissatisfied_result_wants_a_followup_within_a_month(example):
    result, lines = check(example, "p121.yaml", SECOND, today="2024-06-20")
    assert result.exit_code == 0
    assert lines == ["cases/2024/p121.yaml:13:69 followups：2024年6月1日 反馈办理结果不满意，"
                     "须在 2024年7月1日 前再次答复，还剩 11 天（警告）"]
    result, lines = check(example, "p121.yaml", SECOND, today="2024-07-05")
    assert result.exit_code == 1
    assert lines == ["cases/2024/p121.yaml:13:69 followups：2024年6月1日 反馈办理结果不满意，"
                     "二次办理期限 2024年7月1日 已过 4 天，仍未再次答复（在 followups 中记录）（错误）"]
    followed = SECOND + """followups:
  - reply: {date: 2024-06-25, category: A, disclosure: public, body: 再次答复}
    feedback: {date: 2024-07-10, attitude: satisfied, result: satisfied}
"""
    result, lines = check(example, "p121.yaml", followed, today="2024-08-01")
    assert result.exit_code == 0 and lines == [], result.output


def test_a_dissatisfied_followup_asks_for_another_round(example):
    text = SECOND + """followups:
  - reply: {date: 2024-06-25, category: A, disclosure: public, body: 再次答复}
    feedback: {date: 2024-07-10, attitude: satisfied, result: dissatisfied}
"""
    result, lines = check(example, "p121.yaml", text, today="2024-08-20")
    assert result.exit_code == 1
    assert len(lines) == 1 and "2024年7月10日 反馈办理结果不满意，二次办理期限 2024年8月10日 已过 10 天" in lines[0]
    assert lines[0].startswith("cases/2024/p121.yaml:16:")


def test_followup_before_the_feedback_it_answers_is_an_error(example):
    text = SECOND + "followups:\n  - reply: {date: 2024-05-25, category: A, disclosure: public, body: 再次答复}\n"
    result, lines = check(example, "p121.yaml", text)
    assert result.exit_code == 1
    assert lines == ["cases/2024/p121.yaml:15:19 followups[0].reply.date：再次答复日期 2024年5月25日 早于它所回应的反馈日期 "
                     "2024年6月1日（错误）"]


def test_followup_without_first_reply_or_feedback(example):
    no_feedback = SECOND.split("feedback:")[0] + "followups:\n  - reply: {date: 2024-06-25, category: A, disclosure: public, body: 再次}\n"
    result, lines = check(example, "p121.yaml", no_feedback)
    assert result.exit_code == 1 and any("followups[0]：二次办理答复的是上一轮的征询意见反馈，但 feedback 还没有填写" in l for l in lines)


def test_status_shows_returned_cases_and_second_handling(example):
    (example / "cases/2024/p120.yaml").write_text(RETURNED, encoding="utf-8")
    (example / "cases/2024/p121.yaml").write_text(SECOND, encoding="utf-8")
    result = run(example, "status", "--today", "2024-06-20", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    row = next(line for line in result.output.splitlines() if "p121.yaml" in line)
    assert "2024-07-01" in row and "二次办理中" in row and " 11 " in row
    assert "已退办" in result.output
    row = next(line for line in result.output.splitlines() if "p120.yaml" in line)
    assert "2024-03-27" in row and "市水利局" in row and "农村饮水安全属水利部门职责" in row
    assert "合计 16" in result.output and "已退办 2" in result.output and "二次办理中 1" in result.output


def test_number_gives_second_replies_and_return_requests_the_reply_sequence(example):
    (example / "cases/2024/p120.yaml").write_text(RETURNED, encoding="utf-8")
    followed = SECOND + """followups:  # 二次办理
  - reply:
      date: 2024-06-25
      category: A
      disclosure: public
      body: 再次答复
    feedback: {date: 2024-07-10, attitude: satisfied, result: dissatisfied}
  - reply:
      date: 2024-07-30
      doc_number: null  # 待编
      category: A
      disclosure: public
      body: 第三次答复
"""
    (example / "cases/2024/p121.yaml").write_text(followed, encoding="utf-8")
    status = run(example, "status", "--today", "2024-08-01", env={"COLUMNS": "200"})
    assert "退办申请函" in status.output and "再次答复" in status.output and "第3次答复" in status.output
    result = run(example, "number")
    assert result.exit_code == 0
    assert [l for l in result.output.splitlines() if l.startswith("已写入") and "p12" in l] == [
        "已写入 cases/2024/p120.yaml：科经提〔2024〕11号（退办申请函，日期 2024-03-27）",
        "已写入 cases/2024/p121.yaml：科经提〔2024〕12号（答复函，日期 2024-05-20）",
        "已写入 cases/2024/p121.yaml：科经提〔2024〕13号（再次答复，日期 2024-06-25）",
        "已写入 cases/2024/p121.yaml：科经提〔2024〕14号（第3次答复，日期 2024-07-30）",
    ]
    text = (example / "cases/2024/p121.yaml").read_text(encoding="utf-8")
    assert "followups:  # 二次办理\n" in text and "      doc_number: 科经提〔2024〕14号  # 待编\n" in text
    assert "      date: 2024-06-25\n      doc_number: 科经提〔2024〕13号\n" in text
    assert "  returned:" not in text and "  doc_number: 科经提〔2024〕11号\n" in (example / "cases/2024/p120.yaml").read_text(encoding="utf-8")
    assert run(example, "check", "--today", "2024-08-01").exit_code == 0
    edit(example / "cases/2024/p120.yaml", "科经提〔2024〕11号", "科经提〔2024〕13号")
    lines = [l for l in run(example, "check", "--today", "2024-08-01").output.splitlines() if "重复" in l]
    assert [l.split("：")[0] for l in lines] == ["cases/2024/p120.yaml:9:15 returned.doc_number",
                                               "cases/2024/p121.yaml:18:19 followups[0].reply.doc_number"]


# --- documents, statistics and schema ---------------------------------------------------------

import datetime as dt  # noqa: E402

from docx import Document  # noqa: E402

from proposal_docs.commands.schema import schema_of  # noqa: E402
from proposal_docs.model.models import Body, YearFile  # noqa: E402
from proposal_docs.rules.statistics import year_statistics  # noqa: E402


def test_return_request_goes_to_the_assigning_office_of_the_body(example):
    npc = (RETURNED.replace("kind: proposal", "kind: suggestion").replace("cppcc-13-4", "npc-17-4")
           .replace("number: 120", "number: 31"))
    (example / "cases/2024/s031.yaml").write_text(npc, encoding="utf-8")
    assert run(example, "build", "--no-site").exit_code == 0
    doc = Document(example / "build/2024/退办申请函/建议第031号-关于加强农村饮水安全保障的建议.docx")
    text = [p.text for p in doc.paragraphs if p.text.strip()]
    assert "关于申请调整市十七届人大四次会议\n第31号建议承办单位的函" in text
    assert "市人大常委会选工委：" in text
    assert ("市十七届人大四次会议第31号建议《关于加强农村饮水安全保障的建议》（陈明代表提出）于2024年3月20日"
            "交由我局主办。经认真研究，我局申请将该建议退回调整承办单位，理由如下：") in text
    assert "农村饮水安全属水利部门职责" in text and "建议改由市水利局承办，请予调整交办。" in text
    assert "2024年3月27日" in text and "抄送：市政府督查室。" in text
    assert "科经提〔2024〕\u3000\u3000号" in text  # not numbered yet: room to write it by hand
    # the office is the project's to say
    edit(example / "proposal-docs.yaml", "reply_to: lead", "assigning_office: {npc: 市人大常委会代表工作委员会}\nreply_to: lead")
    assert run(example, "build", "--no-site").exit_code == 0
    doc = Document(example / "build/2024/退办申请函/建议第031号-关于加强农村饮水安全保障的建议.docx")
    assert "市人大常委会代表工作委员会：" in [p.text for p in doc.paragraphs]


def test_statistics_leave_returned_cases_out_and_count_final_feedback():
    year = YearFile.model_validate({"year": 2024, "sessions": {"cppcc-13-4": {"body": "cppcc", "name": "市政协十三届四次会议"}}})
    base = {"kind": "proposal", "session": "cppcc-13-4", "title": "案由", "proposers": ["甲"], "assigned": dt.date(2024, 3, 20)}
    reply = {"date": dt.date(2024, 5, 20), "category": "B", "disclosure": "public", "body": "正文"}
    unhappy = {"date": dt.date(2024, 6, 1), "attitude": "dissatisfied", "result": "dissatisfied"}
    happy = {"date": dt.date(2024, 7, 1), "attitude": "satisfied", "result": "satisfied"}
    cases = [
        Case.model_validate({**base, "number": 1, "returned": {"date": dt.date(2024, 3, 25), "reason": "非本单位职责"}}),
        Case.model_validate({**base, "number": 2, "reply": reply, "feedback": unhappy,
                             "followups": [{"reply": {**reply, "date": dt.date(2024, 6, 20), "category": "A"},
                                            "feedback": happy}]}),
        Case.model_validate({**base, "number": 3, "reply": reply, "feedback": unhappy,
                             "followups": [{"reply": {**reply, "date": dt.date(2024, 6, 20)}}]}),
        Case.model_validate({**base, "number": 4}),
    ]
    stats = year_statistics(cases, year, Project.model_validate({"organisation": {"name": "局", "short_name": "局"}}), Body.cppcc)
    assert (stats.assigned, stats.total, stats.lead, stats.replied) == (4, 3, 3, 2)
    assert [c.number for c in stats.returned] == [1]
    assert stats.reply_rate == Fraction(2, 3)  # replied / (assigned − returned)
    assert stats.forms == 2 and stats.result == {"satisfied": 1, "basically_satisfied": 0, "dissatisfied": 1}
    assert stats.satisfaction_rate == Fraction(1, 2)  # 第2号 by its second form, 第3号 still 不满意
    assert [(c.code, c.numbers) for c in stats.categories][:2] == [("A", [2]), ("B", [3])]
    assert [c.number for c in stats.rehandled] == [2, 3] and stats.rehandled_pending == 1
    assert stats.rehandled_result == {"satisfied": 1, "basically_satisfied": 0, "dissatisfied": 0}


def test_schema_knows_the_new_fields_in_chinese_and_asks_for_the_abstract():
    import jsonschema

    schema = schema_of("case")
    defs = schema.get("definitions") or schema["$defs"]
    assert schema["properties"]["returned"]["title"] == "退办" and schema["properties"]["followups"]["title"] == "二次办理"
    assert defs["Returned"]["title"] == "退办" and defs["Followup"]["description"] == "再次答复及其征询意见表反馈"
    assert {name: prop["title"] for name, prop in defs["Returned"]["properties"].items()} == {
        "date": "退办日期", "reason": "退办理由", "to": "建议承办单位", "doc_number": "退办申请函文号"}
    assert defs["Reply"]["properties"]["abstract"]["title"] == "摘要"
    project = schema_of("project")
    rules = (project.get("definitions") or project["$defs"])["DeadlineRules"]["properties"]
    assert rules["return"]["title"] == "退办期限" and rules["rehandle"]["title"] == "二次办理期限"
    case = {"kind": "proposal", "session": "s", "number": 1, "title": "t", "assigned": "2024-03-20",
            "reply": {"date": "2024-05-20", "category": "A", "disclosure": "summary", "body": "正文"}}
    validator = jsonschema.Draft7Validator(schema)
    causes = [cause.message for error in validator.iter_errors(case) for cause in error.context]
    assert "'abstract' is a required property" in causes
    case["reply"]["abstract"] = "摘要"
    validator.validate(case)
