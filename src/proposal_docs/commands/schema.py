"""`proposal-docs schema`: JSON Schema of each file kind, for editors' hover help and completion.

Generated from the pydantic models, so it can never disagree with what `check` accepts. Every
field carries a Chinese title and description (the description falls back to the title).

Draft-07, the draft the YAML extension of VS Code (yaml-language-server) and JetBrains IDEs fully
support: definitions under `definitions`, no sibling keywords beside a `$ref` (draft-07 ignores
them, so descriptions go beside an `allOf`). The rules the models check in code are written in the
schema where JSON Schema can say them: the summary's section keys, exactly one key of a deadline
(each field type of model/scalars.py states its own: one-line text, YYYY-MM-DD, whole numbers).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..files import atomic_write
from ..model.layout import SCHEMA_DIR, SetupError, linked_outside
from ..model.models import SUMMARY_SECTIONS, Case, Project, YearFile

KINDS = {"case": Case, "year": YearFile, "project": Project}
TITLES = {"case": "案件文件（cases/<年度>/<名称>.yaml）", "year": "年度文件（cases/<年度>/year.yaml）",
          "project": "项目配置（proposal-docs.yaml）"}
DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "urn:proposal-docs:schema:{kind}"
DURATION_KEYS = ("months", "days", "workdays", "date")


def _describe(node) -> None:
    """Give every property a description, so editors show something on hover."""
    if isinstance(node, dict):
        for prop in node.get("properties", {}).values():
            if "title" in prop and "description" not in prop:
                prop["description"] = prop["title"]
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def _draft07(node):
    """$defs → definitions, and a $ref with siblings wrapped in allOf (draft-07 ignores them)."""
    if isinstance(node, list):
        return [_draft07(value) for value in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft07(value) for key, value in node.items()}
    if "$ref" in node:
        node["$ref"] = node["$ref"].replace("#/$defs/", "#/definitions/")
        if len(node) > 1:
            node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    return node


def _rules(definitions: dict) -> None:
    """What the models check in code, where JSON Schema can say it."""
    duration = definitions.get("Duration")
    if duration is not None:  # exactly one key given, and not null
        duration["oneOf"] = [{"required": [key], "properties": {key: {"not": {"type": "null"}}}}
                             for key in DURATION_KEYS]
    summary = definitions.get("Summary")
    if summary is not None:
        keys = [key for base in SUMMARY_SECTIONS for key in (base, base + "_extra")]
        summary["properties"]["sections"]["propertyNames"] = {"enum": keys}


def schema_of(kind: str) -> dict:
    generated = KINDS[kind].model_json_schema(by_alias=True)
    definitions = generated.pop("$defs", {})
    schema = {"$schema": DRAFT, "$id": SCHEMA_ID.format(kind=kind), **generated, "title": TITLES[kind]}
    if definitions:
        schema["definitions"] = definitions
    schema = _draft07(schema)
    _rules(schema.get("definitions", {}))
    _describe(schema)
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), ensure_ascii=False, indent=2) + "\n"


def schema_path(root: Path, kind: str) -> Path:
    return root / SCHEMA_DIR / f"{kind}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    """Write schema/<kind>.schema.json; only files whose text changed are rewritten."""
    if target := linked_outside(root, root / SCHEMA_DIR):  # a committed link: the files would replace its target's
        raise SetupError(f"{SCHEMA_DIR}/ 是指向仓库外（{target}）的链接，未写入任何文件：文件会写到链接所指之处。"
                         "请删除该链接后再运行")
    changed = []
    for kind in KINDS:
        path = schema_path(root, kind)
        text = schema_text(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text.encode("utf-8"))
            changed.append(path)
    return changed
