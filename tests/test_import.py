"""`import` of an assignment list, as the bureau receives it from the 政协 or 人大 office."""

import datetime as dt

import yaml
from openpyxl import Workbook

from conftest import run


def make_xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["2025年市政协提案交办清单"])  # a title row above the header, as such lists have
    sheet.append(["序号", "提案号", "案由", "提案人", "承办方式", "主办单位", "会办单位", "交办日期"])
    for row in rows:
        sheet.append(row)
    book.save(path)


ROWS = [
    [1, 201, "《关于发展低空经济的建议》", "王小明、李华等", "主办", "", "市财政局,市发展改革委", dt.datetime(2024, 3, 20)],
    [2, "第202号", "关于优化电力保障的建议", "赵六", "会办", "市供电公司", "", "2024年3月21日"],
    [3, 203.0, "关于推进职业教育的建议", "民建市委", "分办", "", "", "2024/3/22"],
    [4, 7, "与已有案件同号", "某某", "主办", "", "", "2024-03-20"],
    [5, "x", "编号不对", "某某", "主办", "", "", "2024-03-20"],
    [6, 204, "日期不对", "某某", "主办", "", "", "三月"],
]


def test_import_twice_with_a_hand_edit_in_between(example, tmp_path):
    sheet = tmp_path / "交办清单.xlsx"
    make_xlsx(sheet, ROWS)
    first = run(example, "import", str(sheet), "--session", "cppcc-13-4")
    assert first.exit_code == 1  # two bad rows
    assert "新建 3 件，跳过 1 行，错误 2 行。" in first.output
    assert "第 6 行：跳过，cppcc-13-4 第7号已有案件文件" in first.output
    assert "第 7 行：错误，编号“x”不是正整数" in first.stderr
    assert "第 8 行：错误，无法识别的交办日期“三月”" in first.stderr

    lead = yaml.safe_load((example / "cases/2024/p201.yaml").read_text(encoding="utf-8"))
    assert lead["title"] == "关于发展低空经济的建议" and lead["proposers"] == ["王小明", "李华"]
    assert lead["co_units"] == ["市财政局", "市发展改革委"] and lead["assigned"] == dt.date(2024, 3, 20)
    co = yaml.safe_load((example / "cases/2024/p202.yaml").read_text(encoding="utf-8"))
    assert co["role"] == "co" and co["lead_unit"] == "市供电公司" and co["assigned"] == dt.date(2024, 3, 21)
    org = yaml.safe_load((example / "cases/2024/p203.yaml").read_text(encoding="utf-8"))
    assert org["proposer_org"] == "民建市委" and org["proposers"] == [] and org["role"] == "separate"

    edited = example / "cases/2024/p201.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 张三已核对\n", encoding="utf-8")
    hand = edited.read_bytes()
    second = run(example, "import", str(sheet), "--session", "cppcc-13-4")
    assert "新建 0 件，跳过 4 行" in second.output
    assert "已新建" not in second.output  # no empty table of nothing made
    assert edited.read_bytes() == hand
    assert run(example, "check", "--today", "2024-04-01").exit_code == 0


def test_dry_run_writes_nothing_and_csv_in_gbk(example, tmp_path):
    sheet = tmp_path / "list.csv"
    sheet.write_bytes("建议号,标题,领衔人,办理方式,交办日期\n31,关于支持技改的建议,刘海 王强,主办,20240325\n".encode("gbk"))
    before = sorted(p.name for p in (example / "cases/2024").iterdir())
    result = run(example, "import", str(sheet), "--session", "npc-17-4", "--dry-run")
    assert result.exit_code == 0 and "将新建 1 件" in result.output
    assert sorted(p.name for p in (example / "cases/2024").iterdir()) == before
    run(example, "import", str(sheet), "--session", "npc-17-4")
    case = yaml.safe_load((example / "cases/2024/s031.yaml").read_text(encoding="utf-8"))
    assert case["kind"] == "suggestion" and case["proposers"] == ["刘海", "王强"]


def test_unusable_files(example, tmp_path):
    wrong = tmp_path / "list.txt"
    wrong.write_text("x", encoding="utf-8")
    assert run(example, "import", str(wrong), "--session", "cppcc-13-4").exit_code == 1
    headless = tmp_path / "h.csv"
    headless.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(example, "import", str(headless), "--session", "cppcc-13-4")
    assert result.exit_code == 1 and "找不到表头" in result.stderr
