"""`import` of 交办清单 as they arrive: three layouts of real-world shape.

A: the CPPCC office's xlsx — title rows above the header, 序号 with a formula, 主办单位 and 会办单位
   columns and no 承办方式, a 会办单位 cell merged over two rows, a notes column marking 撤案, a blank
   row and a hidden row, the bureau named by its short name and by an alias.
B: the NPC office's xlsx — 承办方式 merged over three rows, Excel dates and 2024.3.25, a stored
   <dimension> that claims fewer rows than the sheet holds.
C: a CSV saved by Excel on a Chinese Windows — GB18030 with its byte-order mark, a title typed over
   two lines, a 分办 keyword, a tab and a NUL.
"""

import datetime as dt
import re
import shutil
import zipfile

import pytest
import yaml
from openpyxl import Workbook

from conftest import run
from proposal_docs.commands import importing, sheets


def case(example, name):
    return yaml.safe_load((example / "cases/2024" / name).read_text(encoding="utf-8"))


def layout_a(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["潜山市政协十三届四次会议提案交办清单"])
    sheet.merge_cells("A1:G1")
    sheet.append(["交办时间：2024年3月20日"])
    sheet.append(["序号", "提案号", "案由", "提案人", "主办单位", "会办单位", "备注"])
    sheet.append([1, 201, "关于发展低空经济的建议", "王小明、李华", "市科经局", "市财政局、市发展改革委", None])
    sheet.append(["=A4+1", 202, "关于优化\n电力保障的建议", "赵六", "市供电公司", "市科技和经济信息化局", None])
    sheet.append(["=A5+1", 203, "关于支持企业技改的建议", "刘海", "市财政局", "市科经局、市人社局", None])
    sheet.append(["=A6+1", 204, "关于建设人才公寓的建议", "孙七", "市住建局", None, None])
    sheet.merge_cells("F6:F7")  # one 会办 cell for two rows
    sheet.append([])
    sheet.append([5, 205, "关于某事的建议", "周八", "市科经局", None, "已撤案"])
    sheet.append([6, 206, "关于隐藏行的建议", "吴九", "市科经局", None, None])
    sheet.row_dimensions[10].hidden = True
    sheet.append([7, 207, "关于义务教育的建议", "郑十", "市教育局", "市卫健委", None])
    sheet.append([8, -5, "编号为负", "某某", "市科经局", None, None])
    sheet.append([9, "1e3", "编号写成指数", "某某", "市科经局", None, None])
    sheet.append([10, 12.5, "编号带小数", "某某", "市科经局", None, None])
    book.save(path)


def test_layout_a_roles_follow_where_the_bureau_is_named(example, tmp_path):
    sheet = tmp_path / "政协交办清单.xlsx"
    layout_a(sheet)
    result = run(example, "import", str(sheet), "--session", "cppcc-13-4", "--assigned", "2024-03-20")
    said = result.output + result.stderr
    assert result.exit_code == 1, said  # three bad numbers
    lead = case(example, "p201.yaml")
    assert (lead["role"], lead["co_units"], lead["lead_unit"]) == ("lead", ["市财政局", "市发展改革委"], None)
    co = case(example, "p202.yaml")
    assert (co["role"], co["lead_unit"], co["co_units"]) == ("co", "市供电公司", [])
    assert co["title"] == "关于优化电力保障的建议"
    assert (case(example, "p203.yaml")["role"], case(example, "p203.yaml")["lead_unit"]) == ("co", "市财政局")
    merged = case(example, "p204.yaml")  # under the merged 会办 cell
    assert (merged["role"], merged["lead_unit"]) == ("co", "市住建局")
    for number in (205, 206, 207, 5, 1, 12):
        assert not (example / f"cases/2024/p{number:03d}.yaml").exists() or number in (5, 12)
    assert "第 9 行：跳过，标有“已撤案”" in said
    assert "第 10 行：跳过，隐藏的行" in said
    assert "第 11 行：跳过，主办单位和会办单位中都没有本单位" in said
    assert "第 12 行：错误，编号“-5”不是正整数" in said
    assert "第 13 行：错误，编号“1e3”不是正整数" in said
    assert "第 14 行：错误，编号“12.5”不是正整数" in said
    assert "新建 4 件" in said
    assert run(example, "check", "--today", "2024-04-01").exit_code == 0


def layout_b(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["市十七届人大四次会议代表建议交办表"])
    sheet.append(["序号", "建议号", "标题", "领衔代表", "承办方式", "主办单位", "交办日期"])
    sheet.append([1, 31, "关于支持技改的建议", "刘海 王强", "会办", "市发展改革委", dt.datetime(2024, 3, 25)])
    sheet.append([2, 32, "关于数字经济的建议", "陈一", None, "市数据资源局", "2024.3.25"])
    sheet.append([3, 33, "关于工业互联网的建议", "林二", None, "市数据资源局", "2024-03-25"])
    sheet.merge_cells("E3:E5")  # 会办 written once for three rows
    sheet.append([4, 34, "关于专精特新企业的建议", "何三", "主办", None, "2024年3月25日"])
    sheet.append([5, 35, "关于园区用电的建议", "许四", "分办", None, "20240325"])
    book.save(path)
    # what some exporters write: a <dimension> that stops at row 3
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    assert "<dimension ref=" in sheet_xml
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:G3"', sheet_xml).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_layout_b_merged_role_cells_and_a_stale_dimension(example, tmp_path):
    sheet = tmp_path / "人大建议.xlsx"
    layout_b(sheet)
    result = run(example, "import", str(sheet), "--session", "npc-17-4")
    assert result.exit_code == 0, result.output + result.stderr
    roles = {n: case(example, f"s0{n}.yaml")["role"] for n in (31, 32, 33, 34, 35)}
    assert roles == {31: "co", 32: "co", 33: "co", 34: "lead", 35: "separate"}
    assert case(example, "s033.yaml")["lead_unit"] == "市数据资源局"
    assert {case(example, f"s0{n}.yaml")["assigned"] for n in (31, 32, 33, 34, 35)} == {dt.date(2024, 3, 25)}


def test_layout_c_gb18030_csv_with_bom(example, tmp_path):
    text = ("序号,提案号,案由,提案人,主办单位,会办单位,交办日期\r\n"
            '1,211,"关于加快\r\n5G基站建设的建议",王五,市科经局,市数据资源局,2024/3/22\r\n'
            "2,212,关于支持\t小微企业的建议,赵六,市科经局（分办）,,2024/3/22\r\n"
            "3,213,含\x00控制字符,钱七,市科经局,,2024/3/22\r\n"
            "4,214,关于某事的建议,,市科经局,,2024/3/22\r\n")
    sheet = tmp_path / "清单.csv"
    sheet.write_bytes("\ufeff".encode("gb18030") + text.encode("gb18030"))
    assert sheet.read_bytes().startswith(b"\x84\x31\x95\x33")
    result = run(example, "import", str(sheet), "--session", "cppcc-13-4")
    said = result.output + result.stderr
    assert result.exit_code == 1, said
    assert case(example, "p211.yaml")["title"] == "关于加快5G基站建设的建议"
    separate = case(example, "p212.yaml")
    assert separate["role"] == "separate" and separate["title"] == "关于支持 小微企业的建议".replace(" ", "")
    assert "第 5 行：错误，含有不可见的控制字符 U+0000" in said  # lines 2-3 hold one record
    assert "第 6 行：错误，提案人为空" in said
    assert not (example / "cases/2024/p213.yaml").exists() and not (example / "cases/2024/p214.yaml").exists()
    assert run(example, "check", "--today", "2024-04-01").exit_code == 0


def test_import_limits_cap_what_is_echoed_and_count_refused_rows(example, tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 30)
    monkeypatch.setattr(importing, "MAX_ROWS", 30)
    monkeypatch.setattr(sheets, "MAX_ECHO", 10)
    rows = ["提案号,案由,提案人,主办单位"] + [f"x{n},{'很长的案由' * 2000},某某,市科经局" for n in range(1, 1001)]
    sheet = tmp_path / "big.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(example, "import", str(sheet), "--session", "cppcc-13-4", "--dry-run")
    said = result.output + result.stderr
    assert result.exit_code == 1
    assert len(said.encode("utf-8")) < 20_000, len(said)
    assert "另有" in said and "第 32 行起的 970 行未导入" in said.replace(",", "")


def test_an_over_long_csv_field_is_a_message_not_a_crash(example, tmp_path):
    sheet = tmp_path / "long.csv"
    sheet.write_text("提案号,案由\n1,\"" + "长" * 200_000 + "\"\n", encoding="utf-8")
    result = run(example, "import", str(sheet), "--session", "cppcc-13-4")
    assert result.exit_code == 1 and "内部错误" not in result.stderr
    assert "单元格过长" in result.stderr and len(result.stderr) < 500


def test_a_huge_sheet_is_refused_before_it_is_parsed(example, tmp_path, monkeypatch):
    sheet = tmp_path / "a.xlsx"
    layout_b(sheet)
    monkeypatch.setattr(sheets, "MAX_SHEET_BYTES", 100)
    result = run(example, "import", str(sheet), "--session", "npc-17-4")
    assert result.exit_code == 1 and "工作表过大" in result.stderr


def test_the_bureau_is_recognised_by_an_alias_from_the_project_file(example, tmp_path):
    project = example / "proposal-docs.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("aliases: [市科技和经济信息化局]", "aliases: [科经局]"),
                       encoding="utf-8")
    sheet = tmp_path / "a.csv"
    sheet.write_text("提案号,案由,提案人,主办单位,会办单位\n221,关于某事的建议,张三,市财政局,科经局\n", encoding="utf-8")
    result = run(example, "import", str(sheet), "--session", "cppcc-13-4", "--assigned", "2024-03-20")
    assert result.exit_code == 0, result.output + result.stderr
    assert (case(example, "p221.yaml")["role"], case(example, "p221.yaml")["lead_unit"]) == ("co", "市财政局")
