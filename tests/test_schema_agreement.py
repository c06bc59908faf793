"""The committed JSON Schemas (schema/*.json, what an editor checks) and the loader agree.

An editor such as VS Code reads a case file as YAML 1.2 (core schema) and checks the result against
schema/case.schema.json. Here the same good and bad files the loader sees — the example
repository, every repository of the bad-input corpus, and the spellings issue 12 lists — are read
that way (ruamel.yaml's composer, the YAML 1.2.2 core schema's own regular expressions) and
validated with the jsonschema library, and the verdicts compared with the tool's:

- whatever the tool accepts, the editor accepts (a clerk never sees a red squiggle on a good file);
- whatever the editor refuses, the tool refuses;
- where the tool refuses and the editor accepts, it is for one of the reasons listed in
  TOOL_ONLY: rules a schema cannot state (a category scheme, a timezone's existence, one of four
  duration keys), YAML features the tool refuses on purpose, or a number the editor's YAML 1.2
  reads from 7.0, 1e3, 0o7 or 0x7 where the tool asks for plain digits.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from conftest import PROJECT_ROOT
from proposal_docs.model.loading import LoadError, parse_yaml, read_text
from proposal_docs.model.validation import validate
from proposal_docs.model.models import Case, Project, YearFile
from test_bad_inputs import CORPUS, apply

SCHEMAS = {kind: json.loads((PROJECT_ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
           for kind in ("case", "year", "project")}
MODELS = {"case": Case, "year": YearFile, "project": Project}

# YAML 1.2.2, 10.3.2 (core schema): how an editor types a plain scalar.
CORE = [
    (re.compile(r"null|Null|NULL|~|"), lambda s: None),
    (re.compile(r"true|True|TRUE"), lambda s: True),
    (re.compile(r"false|False|FALSE"), lambda s: False),
    (re.compile(r"[-+]?[0-9]+"), lambda s: int(s, 10)),
    (re.compile(r"0o[0-7]+"), lambda s: int(s[2:], 8)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda s: int(s[2:], 16)),
    (re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(inf|Inf|INF)"), lambda s: float(s.replace(".", "").lower())),
    (re.compile(r"\.(nan|NaN|NAN)"), lambda s: float("nan")),
]
EDITOR_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+")


def editor_value(node):
    if isinstance(node, MappingNode):
        return {editor_value(k): editor_value(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [editor_value(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    if node.style is None:
        for pattern, make in CORE:
            if pattern.fullmatch(node.value):
                return make(node.value)
    return node.value


def editor_verdict(text: str, kind: str) -> bool | None:
    """True/False as the editor's schema check says; None when YAML 1.2 cannot read the file at all."""
    try:
        node = YAML(typ="safe", pure=True).compose(text)
        data = editor_value(node) if node is not None else None
    except Exception:  # noqa: BLE001 - any YAML error (or a list as a key): the editor shows a syntax error
        return None
    validator = jsonschema.Draft7Validator(SCHEMAS[kind], format_checker=jsonschema.FormatChecker())
    return validator.is_valid(data)


def tool_verdict(text: str, kind: str) -> tuple[bool, list]:
    try:
        data, source = parse_yaml(text, "f.yaml")
    except LoadError as exc:
        return False, [exc.finding]
    result, findings = validate(MODELS[kind], data, source)
    return result is not None, findings


def tool_only(findings: list, text: str) -> bool:
    """Every reason the tool gave is one the schema cannot state (see the module's docstring)."""
    lines = text.splitlines()
    for f in findings:
        if f.code in ("category", "timezone", "value_error", "duplicate-key", "yaml-alias", "yaml-merge", "yaml-tag",
                      "too-deep", "too-large", "control-char", "bad_date"):
            continue
        if f.code == "whole_number":
            written = lines[f.line - 1][f.column - 1:].split("#")[0].strip().rstrip(",}]").strip()
            if EDITOR_NUMBER.fullmatch(written):
                continue
        return False
    return True


def kind_of(rel: str) -> str:
    return "project" if rel == "proposal-docs.yaml" else "year" if rel.endswith("/year.yaml") else "case"


def compare(text: str, kind: str, label: str) -> None:
    editor = editor_verdict(text, kind)
    tool, findings = tool_verdict(text, kind)
    said = [f.as_text() for f in findings]
    if tool:
        assert editor is True, f"{label}: the tool accepts, the editor's schema refuses"
    elif editor is True:
        assert tool_only(findings, text), f"{label}: the editor's schema accepts what the tool refuses: {said}"


def test_committed_schemas_are_valid_draft_07():
    for schema in SCHEMAS.values():
        jsonschema.Draft7Validator.check_schema(schema)


def repository_files(root: Path):
    for path in [root / "proposal-docs.yaml", *sorted((root / "cases").glob("*/*.yaml"))]:
        rel = path.relative_to(root).as_posix()
        try:
            text = read_text(path, rel)
        except LoadError:
            continue  # not UTF-8, too large: neither reads it as YAML
        yield rel, text


def test_the_example_repository_is_valid_for_both():
    for rel, text in repository_files(PROJECT_ROOT):
        assert tool_verdict(text, kind_of(rel))[0], rel
        assert editor_verdict(text, kind_of(rel)) is True, rel


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.yaml")))
def test_bad_input_corpus(tmp_path, name):
    spec = yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "proposal-docs.yaml", root)
    shutil.copytree(PROJECT_ROOT / "cases", root / "cases")
    (root / "templates").mkdir()
    for step in spec["patch"]:
        (op, _), = step.items()
        if op in ("replace", "append", "write", "write_bytes"):
            target = root / step[op]["path"]
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True)
            apply(root, copy.deepcopy(step))
    for rel, text in repository_files(root):
        compare(text, kind_of(rel), f"{name}: {rel}")


GOOD = (PROJECT_ROOT / "cases/2024/p007.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "tool_accepts"), [
    ("number: 7", "number: 007", True),
    ("number: 7", "number: 1:20", False),
    ("number: 7", "number: 0b111", False),
    ("number: 7", "number: 1_0", False),
    ("number: 7", 'number: "7"', False),
    ("number: 7", "number: 7.0", False),  # the editor reads 7.0 as the integer 7: a tool-only refusal
    ("number: 7", "number: 1e3", False),
    ("number: 7", "number: 0o7", False),
    ("number: 7", "number: -5", False),
    ("number: 7", "number: 99999999999", False),
    ("assigned: 2024-03-20", "assigned: 2024-03-20T00:00:00+08:00", False),
    ("assigned: 2024-03-20", "assigned: 2024/3/20", False),
    ("assigned: 2024-03-20", 'assigned: "2024-03-20"', True),
    ("assigned: 2024-03-20", "assigned: 2024-02-30", False),
    ("key: false", "key: yes", False),
    ("key: false", "key: TRUE", True),
    ("key: false", 'key: "false"', False),
    ("phone: 0556-5551201", "phone: 05565551201", True),
    ("phone: 0556-5551201", "phone: true", True),
    ("phone: 0556-5551201", "phone: 1:20", True),
    ("phone: 0556-5551201", "phone: ~", True),
    ("title: ", "title: 2025 #", True),
    ("title: ", "title: ~ #", False),
    ("kind: proposal", "kind: true", False),
])
def test_spellings_of_issue_12(old, new, tool_accepts):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    assert tool_verdict(text, "case")[0] is tool_accepts
    compare(text, "case", new)
