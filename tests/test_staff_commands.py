"""The clerk's helpers: schema, new, number — run as a clerk runs them."""

import datetime as dt
import json
import subprocess

import jsonschema
import pytest
import yaml

from conftest import PROJECT_ROOT, edit, run
from proposal_docs.commands.schema import KINDS, schema_of, schema_path


def as_json(path):
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_committed_schemas_are_current():
    for kind in KINDS:
        committed = schema_path(PROJECT_ROOT, kind).read_text(encoding="utf-8")
        assert json.loads(committed) == schema_of(kind), f"schema/{kind}.schema.json 已过期：运行 proposal-docs schema --write"


def test_schema_accepts_every_example_file_and_rejects_typos():
    case_schema = schema_of("case")
    for path in sorted((PROJECT_ROOT / "cases/2024").glob("*.yaml")):
        kind = "year" if path.name == "year.yaml" else "case"
        jsonschema.validate(as_json(path), schema_of(kind))
    jsonschema.validate(as_json(PROJECT_ROOT / "proposal-docs.yaml"), schema_of("project"))
    case = as_json(PROJECT_ROOT / "cases/2024/p007.yaml")
    case["titel"] = case.pop("title")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(case, case_schema)
    assert case_schema["properties"]["title"]["title"] == "案由"
    assert all("description" in prop for prop in case_schema["properties"].values())


def test_schema_command_prints_and_writes(example):
    result = run(example, "schema", "--kind", "year")
    assert json.loads(result.output)["title"].startswith("年度文件")
    assert "已写入 schema/case.schema.json" in run(example, "schema", "--write").output
    assert "已是最新" in run(example, "schema", "--write").output


def test_new_then_check_passes(example):
    result = run(example, "new", "--session", "cppcc-13-4", "--title", "关于“A&B”<c>的建议",
                 "--proposer", "张三", "--proposer", "李四", env={"PROPOSAL_DOCS_TODAY": "2024-11-01"})
    assert result.exit_code == 0 and "cases/2024/p109.yaml" in result.output
    text = (example / "cases/2024/p109.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/case.schema.json")
    assert "assigned: 2024-11-01" in text and "# 交办日期" in text
    check = run(example, "check", "--today", "2024-11-05", "--format", "json")
    assert check.exit_code == 0, check.output
    assert yaml.safe_load(text)["title"] == "关于“A&B”<c>的建议"


def test_new_never_overwrites(example):
    before = (example / "cases/2024/p007.yaml").read_bytes()
    result = run(example, "new", "--session", "cppcc-13-4", "--number", "7")
    assert result.exit_code == 1 and "第7号已有" in result.stderr
    (example / "cases/2024/p200.yaml").write_text("# 手写的文件\n", encoding="utf-8")
    result = run(example, "new", "--session", "cppcc-13-4", "--number", "200", "--assigned", "2024-03-20")
    assert result.exit_code == 1 and "已存在" in result.stderr
    assert (example / "cases/2024/p007.yaml").read_bytes() == before
    assert (example / "cases/2024/p200.yaml").read_text(encoding="utf-8") == "# 手写的文件\n"


def test_new_unknown_session_is_a_usage_error(example):
    result = run(example, "new", "--session", "cppcc-99-9")
    assert result.exit_code == 2 and "cppcc-13-4" in result.stderr


def test_number_writes_in_reply_date_order_keeping_comments(example):
    cases = example / "cases/2024"
    edit(cases / "p108.yaml", "  doc_number: 科经提〔2024〕5号\n", "  doc_number: null   # 待编号\n")
    edit(cases / "p089.yaml", "  doc_number: 科经提〔2024〕6号\n", "")
    crlf = cases / "s023.yaml"
    text = crlf.read_text(encoding="utf-8").replace("  doc_number: 科经提〔2024〕7号\n", "")
    crlf.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    before = {p.name: p.read_bytes() for p in cases.glob("*.yaml")}

    dry = run(example, "number", "--dry-run")
    assert dry.exit_code == 0 and "将编写" in dry.output
    assert {p.name: p.read_bytes() for p in cases.glob("*.yaml")} == before

    result = run(example, "number")
    assert result.exit_code == 0
    lines = [l for l in result.output.splitlines() if l.startswith("已写入")]
    # reply letters continue after the highest existing 10号 (p052's 再次答复); the 5, 6, 7 freed by the
    # edit above are never reused
    assert lines == [
        "已写入 cases/2024/p077.yaml：科经提函〔2024〕5号（会办意见，日期 2024-04-18）",
        "已写入 cases/2024/p108.yaml：科经提〔2024〕11号（答复函，日期 2024-06-14）",
        "已写入 cases/2024/p089.yaml：科经提〔2024〕12号（答复函，日期 2024-06-18）",
        "已写入 cases/2024/s023.yaml：科经提〔2024〕13号（答复函，日期 2024-06-20）",
    ]
    assert "  doc_number: 科经提〔2024〕11号   # 待编号\n" in (cases / "p108.yaml").read_text(encoding="utf-8")
    raw = crlf.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"  doc_number: \xe7" in raw and b"\r\n" in raw and b"\n\n" not in raw
    changed = {p.name for p in cases.glob("*.yaml") if p.read_bytes() != before[p.name]}
    assert changed == {"p077.yaml", "p108.yaml", "p089.yaml", "s023.yaml"}
    for name in changed:  # exactly one line added or changed in each file
        old = before[name].decode("utf-8-sig").splitlines()
        new = (cases / name).read_bytes().decode("utf-8-sig").splitlines()
        assert len(set(new) - set(old)) == 1 and len(set(old) - set(new)) <= 1
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert "都已有文号" in run(example, "number").output  # never renumbers


def test_number_handles_a_flow_style_reply(example):
    case = example / "cases/2024/p063.yaml"
    text = case.read_text(encoding="utf-8")
    start = text.index("reply:")
    case.write_text(text[:start] + "reply: {date: 2024-04-17, body: 支持}  # 流式写法\n", encoding="utf-8")
    run(example, "number")
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert data["reply"]["doc_number"] == "科经提函〔2024〕4号"  # p063 answered before p077
    assert "# 流式写法" in case.read_text(encoding="utf-8")


def test_schema_write_refuses_a_schema_folder_linked_outside(example, tmp_path):
    """schema/ may have come with someone else's commit: its files must not replace those where it leads."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "case.schema.json").write_text("a clerk's own file", "utf-8")
    (example / "schema").symlink_to(outside, target_is_directory=True)
    result = run(example, "schema", "--write")
    assert result.exit_code == 2 and f"schema/ 是指向仓库外（{outside}）的链接" in result.stderr
    assert [p.name for p in outside.iterdir()] == ["case.schema.json"]
    assert (outside / "case.schema.json").read_text("utf-8") == "a clerk's own file"


def test_check_fails_when_build_is_committed(example):
    """A pull request that commits build/ (a letter with words of its own among the generated ones,
    which CI would upload with them) fails the gate; untracked, the same files are nobody's business."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=example, check=True, capture_output=True)

    assert run(example, "check", "--today", "2024-12-31").exit_code == 0  # no git repository: nothing to say
    git("init", "-q", "-b", "main")
    git("config", "user.email", "clerk@example.org")
    git("config", "user.name", "办公室")
    git("add", ".")
    git("commit", "-q", "-m", "2024 年案件")
    assert run(example, "build", "--no-site").exit_code == 0
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0  # built, not committed
    fake = example / "build" / "2024" / "提案第999号-伪造.docx"
    fake.write_bytes(b"PK")
    git("add", "-f", "build/2024/提案第999号-伪造.docx")
    git("commit", "-q", "-m", "a document of its own")
    result = run(example, "check", "--today", "2024-12-31", "--format", "json")
    assert result.exit_code == 1
    (finding,) = [f for f in json.loads(result.output) if f["code"] == "committed-build"]
    assert finding["file"] == "build/" and "2024/提案第999号-伪造.docx" in finding["message"]
    assert "git rm -r --cached build" in finding["message"]
    git("rm", "-r", "-q", "--cached", "build")
    git("commit", "-q", "-m", "build/ is generated")
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
