"""`proposal-docs schema`: JSON Schema of each file kind, for editors' hover help and completion.

Generated from the pydantic models, so it can never disagree with what `check` accepts. Every
field carries a Chinese title and description (the description falls back to the title).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..files import atomic_write
from ..model.models import Case, Project, YearFile

KINDS = {"case": Case, "year": YearFile, "project": Project}
TITLES = {"case": "案件文件（cases/<年度>/<名称>.yaml）", "year": "年度文件（cases/<年度>/year.yaml）",
          "project": "项目配置（proposal-docs.yaml）"}
SCHEMA_DIR = "schema"


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


def schema_of(kind: str) -> dict:
    schema = KINDS[kind].model_json_schema(by_alias=True)
    schema["title"] = TITLES[kind]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _describe(schema)
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), ensure_ascii=False, indent=2) + "\n"


def schema_path(root: Path, kind: str) -> Path:
    return root / SCHEMA_DIR / f"{kind}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    """Write schema/<kind>.schema.json; only files whose text changed are rewritten."""
    changed = []
    for kind in KINDS:
        path = schema_path(root, kind)
        text = schema_text(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text.encode("utf-8"))
            changed.append(path)
    return changed
