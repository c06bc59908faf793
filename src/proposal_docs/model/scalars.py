"""What a value typed in a YAML file means, decided by the field that receives it.

The loader (loading.py) does not guess types from how a scalar looks, as YAML 1.1 does (where
`05565551201` is an octal number, `yes` a boolean and `1:20` the number 80). A plain (unquoted)
scalar reaches the models as ``Plain``: the characters typed. Each field type below then reads it:

- text fields keep the characters (``phone: 05565551201``, ``signer: yes``, ``number: 1:20`` in a
  text field);
- whole-number fields accept plain decimal digits only (``007`` is 7, never octal);
- date fields accept ``YYYY-MM-DD`` only;
- yes/no fields accept YAML 1.2's true/false spellings.

Null (``null``, ``~``, nothing) is null everywhere, as in YAML 1.2. The JSON Schema of each type is
what an editor reading the file as YAML 1.2 sees: a text field accepts any scalar there too, so
editor and tool agree (tests/test_schema_agreement.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError


class Plain(str):
    """The source text of a plain (unquoted) YAML scalar; its meaning is its field's."""

    __slots__ = ()


NULLS = frozenset({"", "~", "null", "Null", "NULL"})  # YAML 1.2 core schema
TRUE = frozenset({"true", "True", "TRUE"})
FALSE = frozenset({"false", "False", "FALSE"})
DECIMAL = re.compile(r"[-+]?[0-9]+")
MAX_DIGITS = 9  # no count, number or span of this tool needs more; Python refuses ints of 4,300 digits
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LINE_BREAKS = "\n\r\t\v\f\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")  # one search per value: thousands of names and titles per build

# Every type a YAML 1.2 editor may make of a plain scalar that the tool reads as text.
_ANY_SCALAR = ["string", "integer", "number", "boolean"]


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return str(value)
    if value is None:
        raise PydanticCustomError("text_missing", "没有填写内容")
    return value  # lists and mappings: pydantic's own string_type error


def _note(value: Any) -> Any:
    return "" if value is None else _text(value)


def _one_line(value: str) -> str:
    """Names, titles and numbers are printed on one line of a letter or a table cell."""
    if not value.strip():
        raise PydanticCustomError("text_blank", "不能为空")
    if _LINE_BREAK.search(value):
        raise PydanticCustomError("text_line_break", "不能换行或含制表符，请写在一行内")
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "应为整数，实际为 {value}", {"value": _shown(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, Plain):
        digits = value.lstrip("+-")
        if not DECIMAL.fullmatch(value):
            raise PydanticCustomError("whole_number", '应为整数（只写阿拉伯数字，如 7），实际为 "{value}"',
                                      {"value": _shown(value)})
        if len(digits.lstrip("0")) > MAX_DIGITS:
            raise PydanticCustomError("whole_number", '数字过大："{value}"', {"value": _shown(value)})
        return int(value, 10)  # base 10 always: 007 is 7
    if isinstance(value, str):
        raise PydanticCustomError("whole_number", '应为整数，实际为加了引号的文本 "{value}"：数字不加引号',
                                  {"value": _shown(value)})
    raise PydanticCustomError("whole_number", "应为整数")


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("iso_date", "日期应写作 YYYY-MM-DD（如 2025-03-20），不带时间")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not ISO_DAY.fullmatch(value):
            raise PydanticCustomError("iso_date", '日期应写作 YYYY-MM-DD（如 2025-03-20），实际为 "{value}"',
                                      {"value": _shown(value)})
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("bad_date", "日期 {value} 不存在", {"value": str(value)}) from None
    raise PydanticCustomError("iso_date", "日期应写作 YYYY-MM-DD（如 2025-03-20）")


def _yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, Plain) and (value in TRUE or value in FALSE):
        return value in TRUE
    raise PydanticCustomError("yes_no", '应为 true 或 false，实际为 "{value}"', {"value": _shown(value)})


_TEXT_SCHEMA = {"type": _ANY_SCALAR, "minLength": 1}
_NOT_BREAK = r"[^\n\r\t\v\f\x85\u2028\u2029]"  # LINE_BREAKS as a class both Python and editors read
_LINE_PATTERN = f"^{_NOT_BREAK}*\\S{_NOT_BREAK}*$"

# Text that is there when given: a body, a reason. Not blank.
Text = Annotated[str, BeforeValidator(_text), Field(min_length=1), WithJsonSchema(_TEXT_SCHEMA)]
# One line of text: a name, a title, a phone number, a document number.
Line = Annotated[str, BeforeValidator(_text), AfterValidator(_one_line),
                 WithJsonSchema({"type": _ANY_SCALAR, "minLength": 1, "pattern": _LINE_PATTERN})]
# Optional free text: a note, comments; left empty it is "".
Note = Annotated[str, BeforeValidator(_note), WithJsonSchema({"type": _ANY_SCALAR + ["null"]})]


def whole(**bounds: int) -> Any:
    """A whole number written in decimal digits, within bounds (pydantic's gt/ge/le names).

    The bounds sit on the int itself, inside the digit reading, so that they are checked after it
    and the JSON Schema says exclusiveMinimum/maximum."""
    bounds.setdefault("le", 10**MAX_DIGITS - 1)
    return Annotated[int, Field(**bounds), BeforeValidator(_whole)]


# A case number, a page count: 1, 2, …
Positive = whole(gt=0)
# A span of days or months, a number of days' warning: 0, 1, …
Count = whole(ge=0)
# A calendar day written YYYY-MM-DD.
Day = Annotated[dt.date, BeforeValidator(_day),
                WithJsonSchema({"type": "string", "format": "date", "pattern": f"^{ISO_DAY.pattern}$"})]
# Yes or no: true or false.
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
