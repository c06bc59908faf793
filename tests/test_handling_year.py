"""退办 and 二次办理: the returned case, followup rounds and the reply's abstract."""

from __future__ import annotations

from proposal_docs.model.loading import parse_yaml, validate
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
