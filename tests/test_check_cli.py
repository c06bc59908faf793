"""`proposal-docs check` and `status`, run the way a clerk runs them."""

import json
import shutil

import pytest

from conftest import edit, run

YEAR_END = ("--today", "2024-12-31")


def test_example_repository_passes(example):
    result = run(example, "check", *YEAR_END)
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output


def test_broken_case_gets_one_precise_line_per_problem(example):
    case = example / "cases/2024/p007.yaml"
    edit(case, "category: A", "category: D")
    edit(case, "mode: visit", "mode: vist")
    result = run(example, "check", *YEAR_END)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("cases/")]
    assert lines == [
        'cases/2024/p007.yaml:14:30 communications[0].mode：取值应为 visit、invite、meeting、phone、letter、online 之一，'
        '实际为 "vist"（错误）',
        'cases/2024/p007.yaml:20:13 reply.category：取值应为 A、B、C 之一，实际为 "D"（错误）',
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "code"),
    [
        ("p007.yaml", "session: cppcc-13-4", "session: cppcc-13-5", "session", "unknown-session"),
        ("p007.yaml", "number: 7", "number: 9", "number", "duplicate-number"),
        ("p016.yaml", "lead_unit: 市金融工作局\n", "", "lead_unit", "co-needs-lead-unit"),
        ("p007.yaml", "  date: 2024-05-30", "  date: 2024-03-01", "reply.date", "reply-before-assigned"),
        ("p007.yaml", "  date: 2024-06-10", "  date: 2024-05-01", "feedback.date", "feedback-before-reply"),
        ("p009.yaml", "科经提〔2024〕2号", "科经提〔2024〕1号", "reply.doc_number", "duplicate-doc-number"),
        ("p007.yaml", "kind: proposal", "kind: suggestion", "kind", "kind-session-mismatch"),
        ("p007.yaml", "key: false", "key: false\nextension: {due: 2024-10-01, reason: 情况复杂}",
         "extension.due", "extension-beyond-max"),
        ("p007.yaml", "proposers: [聂银峰]", "proposers: []", "proposers", "no-proposer"),
    ],
)
def test_each_rule_fails_the_check(example, file, old, new, field, code):
    edit(example / "cases/2024" / file, old, new)
    result = run(example, "check", *YEAR_END, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.output)
    matching = [f for f in findings if f["code"] == code]
    assert matching, findings
    assert all(f["field"] == field and f["line"] > 0 and f["level"] == "error" for f in matching)
    assert matching[0]["file"].startswith("cases/2024/")


def test_feedback_without_reply(example):
    case = example / "cases/2024/p089.yaml"
    text = case.read_text(encoding="utf-8")
    start, end = text.index("reply:"), text.index("feedback:")
    case.write_text(text[:start] + text[end:], encoding="utf-8")
    findings = json.loads(run(example, "check", *YEAR_END, "--format", "json").output)
    codes = {f["code"] for f in findings}
    assert {"feedback-without-reply", "overdue"} <= codes


def test_overdue_late_and_warnings_depend_on_today(example):
    case = example / "cases/2024/p035.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("reply:")], encoding="utf-8")
    early = json.loads(run(example, "check", "--today", "2024-06-10", "--format", "json").output)
    assert [f["code"] for f in early if f["file"].endswith("p035.yaml")] == ["due-soon"]
    late = run(example, "check", "--today", "2024-06-21", "--format", "json")
    assert late.exit_code == 1
    (overdue,) = [f for f in json.loads(late.output) if f["file"].endswith("p035.yaml")]
    assert overdue["code"] == "overdue" and "1 天" in overdue["message"]

    edit(example / "cases/2024/p009.yaml", "  date: 2024-05-28", "  date: 2024-06-21")
    findings = json.loads(run(example, "check", *YEAR_END, "--format", "json").output)
    assert any(f["code"] == "late-reply" and f["field"] == "reply.date" for f in findings)


def test_reply_after_today_is_a_warning(example):
    result = run(example, "check", "--today", "2024-06-01", "--format", "json")
    codes = {f["code"]: f["level"] for f in json.loads(result.output)}
    assert codes["reply-in-future"] == "warning"
    assert result.exit_code == 0


def test_today_from_environment(example):
    result = run(example, "check", "--format", "json", env={"PROPOSAL_DOCS_TODAY": "2024-06-01"})
    assert any(f["code"] == "reply-in-future" for f in json.loads(result.output))


def test_github_format(example):
    edit(example / "cases/2024/p007.yaml", "category: A", "category: D")
    result = run(example, "check", *YEAR_END, "--format", "github")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "::error file=cases/2024/p007.yaml,line=20,col=13,title=reply.category::"
        '取值应为 A、B、C 之一，实际为 "D"'
    )


def test_unknown_calendar_year_is_said_once(example):
    findings = json.loads(run(example, "check", "--today", "2099-01-01", "--format", "json").output)
    assert not [f for f in findings if f["code"] == "calendar-unknown"]  # 2024 is known
    edit(example / "proposal-docs.yaml", "reply: {months: 3}", "reply: {workdays: 60}")
    shutil.copytree(example / "cases/2024", example / "cases/2099")
    edit(example / "cases/2099/year.yaml", "year: 2024", "year: 2099")
    for path in (example / "cases/2099").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("2024-", "2099-"), encoding="utf-8")
    findings = json.loads(run(example, "check", "--today", "2099-12-31", "--format", "json").output)
    unknown = [f for f in findings if f["code"] == "calendar-unknown"]
    assert len(unknown) == 1 and "2099年" in unknown[0]["message"]


def test_exit_code_2_for_setup_and_usage_errors(example, tmp_path):
    assert run(tmp_path, "check").exit_code == 2
    assert run(example, "check", "--today", "2024-13-01").exit_code == 2
    edit(example / "proposal-docs.yaml", "short_name: 市科经局", "short_nam: 市科经局")
    result = run(example, "check")
    assert result.exit_code == 2
    assert "proposal-docs.yaml:5:3 organisation.short_nam" in result.stderr


def test_no_traceback_on_garbage(example):
    (example / "cases/2024/junk.yaml").write_bytes(b"\xff\xfe\x00garbage: [")
    (example / "cases/2024/list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    result = run(example, "check", *YEAR_END)
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert "cases/2024/junk.yaml:1:1 文件不是 UTF-8 编码" in result.output
    assert "cases/2024/list.yaml:1:1 文件顶层应为" in result.output


def test_status_lists_open_cases_and_unnumbered_replies(example):
    case = example / "cases/2024/p035.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("reply:")], encoding="utf-8")
    result = run(example, "status", "--today", "2024-06-10")
    assert result.exit_code == 0
    assert "期限" in result.output and "剩余天数" in result.output
    assert "2024-06-20" in result.output and "即将到期" in result.output
    assert "未编文号" in result.output and "p077.yaml" in result.output
    assert "合计 14" in result.output


def test_usage_errors_are_chinese_too(example):
    result = run(example, "check", "--todya", "2024-12-31")
    assert result.exit_code == 2
    assert "错误：没有选项 '--todya'。" in result.stderr and "'--today'" in result.stderr
    result = run(example, "check", "--format", "xml")
    assert result.exit_code == 2 and "不是 'text', 'json', 'github' 之一" in result.stderr
