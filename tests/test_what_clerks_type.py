"""Issue 12 as a clerk meets it: values read as typed, placeholders refused, messages that say the
fix, status by day, and a broken project file reported alike by every command and format."""

import json

import pytest

from conftest import edit, run

YEAR_END = ("--today", "2024-12-31")
P007 = "cases/2024/p007.yaml"


def line_of(example, text: str) -> int:
    lines = (example / P007).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def findings(example, *args):
    result = run(example, "check", *YEAR_END, "--format", "json", *args)
    return result, json.loads(result.output)


def test_text_keeps_the_characters_typed_into_the_documents(example):
    edit(example / P007, "phone: 0556-5551201", "phone: 05565551201")
    edit(example / P007, "signer: 王五", "signer: yes")
    result = run(example, "build", "--no-site")
    assert result.exit_code == 0, result.stderr
    from proposal_docs.render.text import document_text

    letter = next((example / "build/2024/答复函").glob("提案第007号-*.docx"))
    text = document_text(letter)
    assert "05565551201" in text and "769053313" not in text


@pytest.mark.parametrize("spelling", ["1:20", "010x", "0b111", "1_0", "7.0", "1e3", '"7"'])
def test_a_number_is_plain_decimal_digits(example, spelling):
    edit(example / P007, "number: 7", f"number: {spelling}")
    result, found = findings(example)
    assert result.exit_code == 1
    line = line_of(example, "number:")
    assert [(f["file"], f["line"], f["field"]) for f in found if f["level"] == "error"] == [(P007, line, "number")]


def test_007_is_seven_and_yaml_1_1_words_are_not_booleans(example):
    edit(example / P007, "number: 7", "number: 007")
    assert findings(example)[0].exit_code == 0
    edit(example / P007, "key: false", "key: no")
    result, found = findings(example)
    assert result.exit_code == 1 and "true 或 false" in found[0]["message"] and found[0]["field"] == "key"


def test_a_date_with_a_time_is_refused(example):
    edit(example / P007, "assigned: 2024-03-20", "assigned: 2024-03-20T00:00:00+08:00")
    result, found = findings(example)
    assert result.exit_code == 1 and found[0]["field"] == "assigned" and "YYYY-MM-DD" in found[0]["message"]


def test_new_without_a_title_cannot_be_built(example):
    result = run(example, "new", "--session", "cppcc-13-4", "--assigned", "2024-11-01")
    assert result.exit_code == 0
    result, found = findings(example)
    assert result.exit_code == 1
    placeholders = [f for f in found if f["code"] == "placeholder"]
    assert {f["field"] for f in placeholders} == {"title", "proposers[0]"}
    assert all(f["level"] == "error" and f["file"] == "cases/2024/p109.yaml" for f in placeholders)
    build = run(example, "build", "--no-site")
    assert build.exit_code == 1 and "待填写" in build.output + build.stderr
    assert not (example / "build").exists() or not list((example / "build").rglob("*第109号*"))


def test_new_in_last_years_session_asks_for_the_date(example):
    result = run(example, "new", "--session", "cppcc-13-4", "--title", "关于某事的建议", "--proposer", "张三",
                 env={"PROPOSAL_DOCS_TODAY": "2025-02-01"})
    assert result.exit_code == 1 and "--assigned" in result.stderr and "2024 年度" in result.stderr
    assert not (example / "cases/2024/p109.yaml").exists()


@pytest.mark.parametrize("option, value, field", [("--title", "关于\t某事", "title"), ("--title", "关于\n某事", "title"),
                                                  ("--proposer", " ", "proposers[0]")])
def test_new_refuses_a_value_check_would_refuse(example, option, value, field):
    args = {"--title": "关于某事的建议", "--proposer": "张三", option: value}
    result = run(example, "new", "--session", "cppcc-13-4", "--assigned", "2024-03-20", *[x for kv in args.items() for x in kv])
    assert result.exit_code == 1 and f"{field}：" in result.stderr and "未写入任何文件" in result.stderr
    assert not (example / "cases/2024/p109.yaml").exists()


@pytest.mark.parametrize("old, new, field", [
    ("co_units: [市生态环境局]", "co_units: [市生态环境局, 市科经局]", "co_units[1]"),
    ("co_units: [市生态环境局]", "co_units: [市科技和经济信息化局]", "co_units[0]"),  # organisation.aliases
])
def test_the_bureau_in_its_own_co_units_is_an_error(example, old, new, field):
    edit(example / P007, old, new)
    result, found = findings(example)
    assert result.exit_code == 1
    assert [(f["file"], f["field"], f["code"]) for f in found if f["level"] == "error"] == [(P007, field, "own-unit")]


def test_the_bureau_as_lead_unit_of_a_co_case_is_an_error(example):
    edit(example / "cases/2024/p016.yaml", "lead_unit: ", "lead_unit: 潜山市科技和经济信息化局 #")
    result, found = findings(example)
    assert result.exit_code == 1 and any(f["field"] == "lead_unit" and f["code"] == "own-unit" for f in found)


def test_assigned_outside_the_year_folder_is_a_warning_naming_both(example):
    edit(example / P007, "assigned: 2024-03-20", "assigned: 2023-12-28")
    result, found = findings(example)
    (f,) = [f for f in found if f["code"] == "assigned-other-year"]
    assert f["level"] == "warning" and "2023-12-28" in f["message"] and "cases/2024/" in f["message"]


def test_full_width_colon_is_named_on_its_own_line(example):
    edit(example / P007, "number: 7", "number：7")
    result, found = findings(example)
    assert result.exit_code == 1
    assert (found[0]["line"], found[0]["code"]) == (line_of(example, "number："), "yaml-fullwidth") and "全角冒号“：”" in found[0]["message"]


def test_full_width_space_as_indentation(example):
    edit(example / P007, "  category: A", "\u3000\u3000category: A")
    result, found = findings(example)
    assert result.exit_code == 1 and "全角空格" in found[0]["message"] and found[0]["line"] == line_of(example, "category: A")


@pytest.mark.parametrize("old, new", [("key: false", "key:\u3000false"), ("  result: satisfied", "  result:\u3000satisfied"),
                                      ("{date: 2024-04-02,", "{date:\u30002024-04-02,")])
def test_full_width_space_after_a_colon_is_named_on_its_line(example, old, new):
    edit(example / P007, old, new)
    result, found = findings(example)
    assert result.exit_code == 1 and "冒号后用了全角空格" in found[0]["message"]
    assert found[0]["line"] == line_of(example, new.strip())


@pytest.mark.parametrize("old, new, said", [("proposers: [聂银峰]", "proposers: [聂银峰", "方括号“[ ]”没有闭合"),
                                            ("phone: 0556-5551201}", "phone: 0556-5551201", "花括号“{ }”没有闭合"),
                                            ("proposers: [聂银峰]", "proposers: [聂银峰,", "方括号")])
def test_unclosed_brackets_are_said_in_chinese_on_the_bracket_s_line(example, old, new, said):
    edit(example / P007, old, new)
    result, found = findings(example)
    assert result.exit_code == 1 and said in found[0]["message"] and not any(c.isascii() and c.isalpha() for c in found[0]["message"])
    assert found[0]["line"] == line_of(example, new)  # PyYAML notices it a line later


def test_a_project_file_cut_short_is_said_in_chinese(example):
    (example / "proposal-docs.yaml").write_text("organisation: [\n", encoding="utf-8")
    result, found = findings(example)
    assert result.exit_code == 2 and found[0]["file"] == "proposal-docs.yaml" and "方括号“[ ]”没有闭合" in found[0]["message"]
    assert (found[0]["line"], found[0]["column"]) == (1, 15)


def test_full_width_quote_closing_a_quote(example):
    edit(example / P007, "signer: 王五", 'signer: "王五”')
    result, found = findings(example)
    assert result.exit_code == 1 and "全角引号" in found[0]["message"] and found[0]["line"] == line_of(example, "signer:")


def test_misspelt_key_gets_the_nearest_one(example):
    edit(example / P007, "assigned: 2024", "assinged: 2024")
    result, found = findings(example)
    assert any("是否应为 assigned？" in f["message"] and f["field"] == "assinged" for f in found)


def test_deep_flow_nesting_is_a_finding_not_a_crash(example):
    for depth in (500, 999, 5000):
        (example / "cases/2024/deep.yaml").write_text("a: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        result, found = findings(example)
        assert result.exit_code == 1
        (deep,) = [f for f in found if f["file"] == "cases/2024/deep.yaml"]
        assert "嵌套层数过多" in deep["message"] and len(deep["field"]) < 20, deep


def test_status_treats_a_reply_after_the_day_as_not_sent(example):
    result = run(example, "status", "--today", "2024-05-01")
    assert result.exit_code == 0
    # p007 is replied on 2024-05-30: on 2024-05-01 it is still open
    assert "第7号" in result.output
    assert "第7号" not in run(example, "status", "--today", "2024-06-30").output


@pytest.mark.parametrize("command", [["check"], ["build", "--no-site"], ["status"], ["number"], ["remind"]])
def test_an_unknown_timezone_stops_every_command_alike(example, command):
    edit(example / "proposal-docs.yaml", "timezone: Asia/Shanghai", "timezone: Mars/Base")
    result = run(example, *command, env={"PROPOSAL_DOCS_TODAY": ""})
    assert result.exit_code == 2, (command, result.output, result.stderr)
    assert "proposal-docs.yaml:" in result.stderr and "timezone" in result.stderr and "Mars/Base" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_an_invalid_project_file_is_a_finding_in_every_format(example, fmt):
    edit(example / "proposal-docs.yaml", "timezone: Asia/Shanghai", "timezone: Mars/Base")
    result = run(example, "check", "--format", fmt)
    assert result.exit_code == 2
    if fmt == "json":
        (f,) = json.loads(result.output)
        assert (f["file"], f["field"], f["level"]) == ("proposal-docs.yaml", "timezone", "error") and f["line"] > 0
    else:
        assert result.output.startswith("::error file=proposal-docs.yaml,line=")
        assert "title=timezone::" in result.output


def test_every_help_page_is_chinese(example):
    from proposal_docs.cli import main

    english = ("INTEGER", "DIRECTORY", "FILE", "PATH", "[x>=", "x>=", "OPTIONS", "COMMAND", "Usage", "Options:", "TEXT",
               "required", "?")
    for name in [None, *main.commands]:
        result = run(example, *([name] if name else []), "--help")
        assert result.exit_code == 0
        found = [word for word in english if word in result.output]
        assert not found, (name, found, result.output)


def test_click_errors_a_clerk_meets_are_chinese(example, tmp_path):
    result = run(example, "import", str(tmp_path / "missing.xlsx"), "--session", "cppcc-13-4")
    assert result.exit_code == 2 and "文件 '" in result.stderr and "不存在" in result.stderr and "File" not in result.stderr
    result = run(example, "build", "--jobs", "0")
    assert result.exit_code == 2 and "超出范围（不小于 1）" in result.stderr
    result = run(example, "new")
    assert result.exit_code == 2 and result.stderr.strip().endswith("错误：缺少选项 '--session'。")
    result = run(example, "import")
    assert result.exit_code == 2 and result.stderr.strip().endswith("错误：缺少参数 '文件'。")
    result = run(example, "new", "--session", "cppcc-13-4", "--asigned", "2024-03-20")
    assert result.exit_code == 2 and "是不是要用 '--assigned'？" in result.stderr


def test_every_message_click_marks_for_translation_has_chinese():
    import re
    from pathlib import Path

    import click

    from proposal_docs.cli import zh

    marked = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for call in re.finditer(r'\b_\(\s*((?:"[^"]*"\s*)+)\)', source.read_text(encoding="utf-8")):
            marked.add("".join(re.findall(r'"([^"]*)"', call.group(1))).encode().decode("unicode_escape"))
    assert len(marked) > 50
    missing = sorted(m for m in marked if m not in zh.CATALOGUE and m not in zh.DEVELOPER_ONLY)
    assert not missing
