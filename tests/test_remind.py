"""`remind`: the 催办 digest of overdue and due-soon items, by handler unit and person."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import edit, run


def unreply(case: Path) -> None:
    """The case as it was before its reply was written."""
    text = case.read_text(encoding="utf-8")
    case.write_text(text[: text.index("reply:")], encoding="utf-8")


def open_cases(root: Path) -> None:
    for name in ("p035", "p057", "s023"):
        unreply(root / f"cases/2024/{name}.yaml")


def test_remind_groups_by_unit_and_person_oldest_first(example):
    open_cases(example)
    result = run(example, "remind", "--today", "2024-06-20")
    assert result.exit_code == 0, result.output + result.stderr
    text = result.output
    assert text.startswith("催办提醒（2024年6月20日）\n已超期 1 项，提醒期内到期 2 项，涉及 2 个科室 2 位承办人。\n")
    # the unit with the oldest item first; within a unit, oldest first; days overdue or left
    assert text.index("【运行调节科】") < text.index("【产业发展科】")
    assert "  超期 61 天　会办意见期限 2024年4月20日　提案第57号 关于加强工业园区用电保障的建议　cases/2024/p057.yaml" in text
    assert text.index("今天到期　答复期限 2024年6月20日　提案第35号") < text.index("还剩 5 天　答复期限 2024年6月25日　建议第23号")
    assert "盘活闲置厂房资源，促进首位产业发展" in text  # full-width punctuation, as the documents print it


def test_remind_within_and_nothing_due(example):
    open_cases(example)
    result = run(example, "remind", "--today", "2024-06-20", "--within", "0")
    assert "建议第23号" not in result.output and "提案第35号" in result.output
    result = run(example, "remind", "--today", "2024-03-21")
    assert result.exit_code == 0
    assert result.output == "截至2024年3月21日，没有超期或即将到期的事项。\n"


def test_remind_lists_a_missing_first_contact(example):
    unreply(example / "cases/2024/p035.yaml")
    edit(example / "cases/2024/p035.yaml", "communications:\n  - {date: 2024-04-10, mode: visit, with: 赵方剑, note: 实地查看闲置厂房}\n", "")
    found = json.loads(run(example, "remind", "--today", "2024-04-05", "--format", "json").output)["items"]
    assert [(i["kind"], i["label"], i["due"]) for i in found] == [("first_contact", "办前沟通", "2024-04-11")]
    assert found[0] | {"days_left": None} == {
        "unit": "产业发展科", "handler": "陈立", "phone": "0556-5551201", "kind": "first_contact", "label": "办前沟通",
        "due": "2024-04-11", "days_left": None, "overdue": False, "session": "cppcc-13-4", "number": 35,
        "title": "盘活闲置厂房资源,促进首位产业发展", "file": "cases/2024/p035.yaml"}


def test_remind_markdown_for_the_weekly_issue(example):
    open_cases(example)
    edit(example / "cases/2024/p057.yaml", "title: 关于加强工业园区用电保障的建议", 'title: "关于<b>园区</b>|用电*保障*的建议"')
    edit(example / "cases/2024/p057.yaml", "assigned: 2024-03-20", "assigned: 2024-03-20\nextension: {due: 2024-06-01, reason: 涉及电网改造}")
    result = run(example, "remind", "--today", "2024-06-20", "--format", "markdown")
    assert result.exit_code == 0
    md = result.output
    assert md.startswith("## 催办提醒（2024年6月20日）\n\n已超期 1 项")
    assert "### 运行调节科\n\n**吴敏（0556-5551205）**\n\n| 期限 | 天数 | 事项 | 案件 | 案由 | 文件 |" in md
    row = next(line for line in md.splitlines() if "提案第57号" in line)
    # case text can neither break the table nor become markup
    assert row == ("| 2024年6月1日 | **超期 19 天** | 会办意见（延期） | 提案第57号 | 关于\\<b\\>园区\\</b\\>\\|用电\\*保障\\*的建议 "
                   "| `cases/2024/p057.yaml` |")
    assert len(re.findall(r"(?<!\\)\|", row)) == 7


def test_remind_never_fails_the_run(example):
    open_cases(example)
    edit(example / "cases/2024/p012.yaml", "role: lead", "role: boss")
    result = run(example, "remind", "--today", "2030-01-01")
    assert result.exit_code == 0
    assert "超期" in result.output and "有 1 个错误的文件未列入" in result.stderr


def test_remind_lists_a_second_handling_and_leaves_out_a_returned_case(example):
    edit(example / "cases/2024/p009.yaml", "  attitude: satisfied\n  result: satisfied", "  attitude: satisfied\n  result: dissatisfied")
    unreply(example / "cases/2024/s023.yaml")
    (example / "cases/2024/s023.yaml").write_text((example / "cases/2024/s023.yaml").read_text(encoding="utf-8")
                                                  + "returned: {date: 2024-03-25, reason: 不属于本单位职责范围}\n",
                                                  encoding="utf-8")
    found = json.loads(run(example, "remind", "--today", "2024-07-01", "--format", "json").output)["items"]
    assert [(i["number"], i["kind"], i["label"], i["due"], i["days_left"]) for i in found] == [
        (9, "rehandle", "再次答复", "2024-07-08", 7)]  # 1 month after the 不满意 feedback of 2024-06-08
    text = run(example, "remind", "--today", "2024-07-10").output
    assert "【中小企业科】\n孙悦（0556-5551203）：1 项\n  超期 2 天　再次答复期限 2024年7月8日　提案第9号" in text
    edit(example / "cases/2024/p009.yaml", "  result: dissatisfied", "  result: dissatisfied\nfollowups:\n  - reply:\n"
         "      date: 2024-07-05\n      category: A\n      disclosure: public\n      body: 再次答复。")
    assert "没有超期或即将到期的事项" in run(example, "remind", "--today", "2024-07-10").output
