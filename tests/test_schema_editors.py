"""Schemas as editors and check-jsonschema read them: draft-07 with an $id, the rules `check` applies
in code written where JSON Schema can say them, and both modeline forms in every file kind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, edit, run
from proposal_docs.commands.schema import KINDS, schema_of

TITLE = "尽快建设绿色环保家具产业园,促传统产业转型升级"
KIND_OF = {"proposal-docs.yaml": "project", "year.yaml": "year"}


def check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *map(str, args)], capture_output=True, text=True)


def kind_of(path: Path) -> str:
    return KIND_OF.get(path.name, "case")


def example_files(root: Path) -> list[Path]:
    return [root / "proposal-docs.yaml", *sorted((root / "cases").rglob("*.yaml"))]


def test_schemas_are_draft_07_with_an_id_and_valid_against_their_metaschema():
    for kind in KINDS:
        schema = schema_of(kind)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["$id"] == f"urn:proposal-docs:schema:{kind}"
        text = json.dumps(schema)
        assert "$defs" not in text and "prefixItems" not in text
    result = check_jsonschema("--check-metaschema", *sorted((PROJECT_ROOT / "schema").glob("*.json")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_ref_has_siblings_draft_07_would_ignore():
    def walk(node):
        if isinstance(node, dict):
            assert "$ref" not in node or len(node) == 1, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for kind in KINDS:
        walk(schema_of(kind))


def test_every_example_file_passes_check_jsonschema():
    for path in example_files(PROJECT_ROOT):
        result = check_jsonschema("--schemafile", PROJECT_ROOT / "schema" / f"{kind_of(path)}.schema.json", path)
        assert result.returncode == 0, (path, result.stdout)


def test_every_example_file_names_its_schema_in_both_modeline_forms():
    for path in example_files(PROJECT_ROOT):
        first, second = path.read_text(encoding="utf-8").splitlines()[:2]
        kind = kind_of(path)
        assert first.startswith("# yaml-language-server: $schema=") and first.endswith(f"schema/{kind}.schema.json")
        assert second == "# $schema: " + first.split("=", 1)[1]  # the form JetBrains IDEs read
        assert (path.parent / first.split("=", 1)[1]).resolve() == PROJECT_ROOT / "schema" / f"{kind}.schema.json"


BAD = [  # (file, old, new, field check names): rules the models check in code, now in the schema too
    ("cases/2024/p007.yaml", f"title: {TITLE}", "title: \"尽快建设\\t绿色环保家具产业园\"", "title"),
    ("cases/2024/p007.yaml", f"title: {TITLE}", "title: \"　 \"", "title"),
    ("cases/2024/p007.yaml", "proposers: [聂银峰]", "proposers: [\"聂银峰\\n\"]", "proposers[0]"),
    ("cases/2024/year.yaml", "sections: {}", "sections: {inovation: 新举措}", "summary.sections"),
    ("proposal-docs.yaml", "reply: {months: 3}", "reply: {months: 3, days: 5}", "deadlines.cppcc.reply"),
    ("proposal-docs.yaml", "reply: {months: 3}", "reply: {}", "deadlines.cppcc.reply"),
    ("proposal-docs.yaml", "reply: {months: 3}", "reply: {months: null}", "deadlines.cppcc.reply"),
]


@pytest.mark.parametrize(("rel", "old", "new", "field"), BAD, ids=[f"{b[0]}:{b[2][:24]}" for b in BAD])
def test_bad_files_fail_both_check_jsonschema_and_check(example, rel, old, new, field):
    path = example / rel
    edit(path, old, new)
    result = check_jsonschema("--schemafile", PROJECT_ROOT / "schema" / f"{kind_of(path)}.schema.json", path)
    assert result.returncode == 1, result.stdout
    checked = run(example, "check", "--today", "2024-12-31", "--format", "json")
    assert checked.exit_code in (1, 2)
    if field and checked.exit_code == 1:
        assert field in {f["field"] for f in json.loads(checked.output)}


def test_one_line_text_with_a_wide_space_or_letters_passes(example):
    path = example / "cases/2024/p007.yaml"
    edit(path, f"title: {TITLE}", f"title: 　{TITLE}")  # an ideographic space inside a title is text
    result = check_jsonschema("--schemafile", PROJECT_ROOT / "schema/case.schema.json", path)
    assert result.returncode == 0, result.stdout


def test_files_written_by_new_and_import_carry_both_modelines_and_pass_the_schema(example, tmp_path):
    sheet = tmp_path / "list.csv"
    sheet.write_text("建议号,标题,领衔人,办理方式,交办日期\n31,关于支持技改的建议,刘海,主办,20240325\n", encoding="utf-8")
    assert run(example, "import", str(sheet), "--session", "npc-17-4").exit_code == 0
    assert run(example, "new", "--session", "cppcc-13-4", "--title", "关于发展茶产业的建议", "--proposer", "张三",
               "--number", "200", "--assigned", "2024-11-01").exit_code == 0
    for name in ("s031.yaml", "p200.yaml"):
        path = example / "cases/2024" / name
        assert path.read_text(encoding="utf-8").splitlines()[:2] == [
            "# yaml-language-server: $schema=../../schema/case.schema.json", "# $schema: ../../schema/case.schema.json"]
        result = check_jsonschema("--schemafile", PROJECT_ROOT / "schema/case.schema.json", path)
        assert result.returncode == 0, result.stdout
