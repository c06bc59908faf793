"""Validating what YAML reading made against a model: every pydantic error becomes a Chinese
finding at the file, line and column where the value (or the unknown key) was written."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .findings import Finding
from .loading import FieldPath, Source


def _show(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, (list, dict)):
        return "列表" if isinstance(value, list) else "“键: 值”映射"
    text = str(value)
    return f'"{text if len(text) <= 40 else text[:40] + "…"}"'


def _model_at(model: type[BaseModel], path: FieldPath) -> type[BaseModel] | None:
    """The model whose fields may be written at path (the mapping holding the last part)."""
    current: Any = model
    for part in path:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            current = _inner(current, part)
            continue
        field = next((f for name, f in current.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            return None
        current = field.annotation
        while not (isinstance(current, type) and issubclass(current, BaseModel)) and typing.get_args(current) \
                and typing.get_origin(current) not in (list, dict):
            current = _inner(current, None)  # X | None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner(annotation: Any, part: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    return args[-1] if args else annotation


def _did_you_mean(model: type[BaseModel], path: FieldPath) -> str:
    holder = _model_at(model, path[:-1])
    if holder is None:
        return ""
    allowed = [f.alias or name for name, f in holder.model_fields.items()]
    close = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
    if close:
        return f"，是否应为 {close[0]}？"
    return f"，可写的字段：{'、'.join(allowed)}"


def _chinese(error: dict, model: type[BaseModel] | None = None) -> str:
    """A Chinese message for one pydantic error."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        path = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("[")))
        hint = _did_you_mean(model, path) if model else ""
        return f"未知字段“{error['loc'][-1]}”（拼写错误？）{hint or '，允许的字段见 schema/ 或 README'}"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", "、").replace(", ", "、")
        return f"取值应为 {expected} 之一，实际为 {_show(value)}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"日期应写作 YYYY-MM-DD（如 2025-03-20），实际为 {_show(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，实际为 {_show(value)}"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        sign = "大于" if kind == "greater_than" else "不小于"
        return f"应{sign} {bound}，实际为 {_show(value)}"
    if kind in ("less_than", "less_than_equal"):
        return f"应不大于 {ctx.get('lt', ctx.get('le'))}，实际为 {_show(value)}"
    if kind == "string_type":
        return f"应为文本，实际为{_show(value)}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "too_short":
        return "至少要有一项"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"应为 true 或 false，实际为 {_show(value)}"
    if kind == "list_type":
        return f"应为列表（每项以“- ”开头或写成 [甲, 乙]），实际为 {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为“键: 值”的映射"
    if kind == "string_pattern_mismatch":
        return f"取值不符合要求（{ctx.get('pattern', '')}），实际为 {_show(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def validate(model: type[BaseModel], data: Any, source: Source, context: dict | None = None
             ) -> tuple[BaseModel | None, list[Finding]]:
    """Validate data against a model; every pydantic error becomes a located Chinese finding."""
    if data is None:
        return None, [source.finding((), "文件是空的", code="empty")]
    if not isinstance(data, dict):
        return None, [source.finding((), "文件顶层应为“键: 值”的映射", code="not-mapping")]
    try:
        result = model.model_validate(data, context=context)
        return (None, list(source.problems)) if source.problems else (result, [])
    except ValidationError as exc:
        findings = list(source.problems)
        for error in exc.errors(include_url=False):
            path = tuple(error["loc"])
            # a union or enum key of a dict (e.g. deadlines.cppcc) adds a "[key]" part; drop it
            path = tuple(p for p in path if not (isinstance(p, str) and p.startswith("[")))
            findings.append(source.finding(path, _chinese(error, model), code=error["type"],
                                           of_key=error["type"] == "extra_forbidden"))
        return None, findings
