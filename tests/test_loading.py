"""Loading: every problem of a file is one Chinese line naming file:line:column and the field."""

import pytest

from proposal_docs.model.loading import LoadError, parse_yaml, read_text
from proposal_docs.model.validation import validate
from proposal_docs.model.models import Case

GOOD = """\
kind: proposal
session: cppcc-13-4
number: 7
title: 推动家具产业集群绿色化改造
proposers: [聂银峰]
assigned: 2025-03-20
reply:
  date: 2025-05-30
  category: A
  disclosure: public
  body: 正文
"""


def load(text: str):
    data, source = parse_yaml(text, "cases/2025/p007.yaml")
    return validate(Case, data, source)


def test_valid_case_loads_with_positions():
    data, source = parse_yaml(GOOD, "x.yaml")
    assert data["reply"]["category"] == "A"
    assert source.values[("reply", "category")] == (9, 13)
    assert source.keys[("reply", "category")] == (9, 3)


def test_error_names_file_line_column_and_field_in_chinese():
    _, findings = load(GOOD.replace("disclosure: public", "disclosure: secret"))
    (f,) = findings
    assert f.as_text().startswith("cases/2025/p007.yaml:10:15 reply.disclosure：取值应为 public、summary、on_request、withheld 之一")
    assert '"secret"' in f.message


def test_unknown_key_points_at_the_key():
    _, findings = load(GOOD.replace("  body: 正文", "  bdoy: 正文"))
    by_field = {f.field: f for f in findings}
    assert (by_field["reply.bdoy"].line, by_field["reply.bdoy"].column) == (11, 3)
    assert "未知字段" in by_field["reply.bdoy"].message
    assert by_field["reply.body"].message == "缺少必填字段"


def test_all_errors_of_a_file_are_reported_at_once():
    text = GOOD.replace("number: 7", "number: -3").replace("assigned: 2025-03-20", "assigned: 2025/3/20")
    _, findings = load(text)
    assert {(f.field, f.line) for f in findings} == {("number", 3), ("assigned", 6)}
    assert "应大于 0" in next(f for f in findings if f.field == "number").message
    assert "YYYY-MM-DD" in next(f for f in findings if f.field == "assigned").message


def test_impossible_date():
    _, findings = load(GOOD.replace("2025-03-20", "2025-02-30"))
    (f,) = findings
    assert (f.line, f.field) == (6, "assigned")
    assert "不存在" in f.message


def test_duplicate_key_is_an_error_not_a_silent_overwrite():
    data, source = parse_yaml(GOOD.replace("category: A", "category: D") + "number: 8\n", "c.yaml")
    case, findings = validate(Case, data, source)
    assert case is None
    by_field = {f.field: f for f in findings}
    f = by_field["number"]
    assert (f.line, f.column) == (12, 1)
    assert "重复" in f.message and "第 3 行" in f.message
    assert "reply.category" in by_field  # the rest of the file is still checked


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("a: &x 1\nb: *x\n", "yaml-alias", "锚点"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "yaml-merge", "合并键"),
        ("a: !!python/object:os.system ls\n", "yaml-tag", "标签"),
        ("a: !!str 12\n", "yaml-tag", "标签"),
    ],
)
def test_yaml_features_a_clerk_never_needs_are_refused(text, code, words):
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "c.yaml")
    assert info.value.finding.code == code
    assert words in info.value.finding.message


def test_tab_indentation_gets_a_chinese_message():
    with pytest.raises(LoadError) as info:
        parse_yaml("reply:\n\tdate: 2024-01-01\n", "c.yaml")
    assert info.value.finding.line == 2
    assert "Tab" in info.value.finding.message


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    data, source = parse_yaml(read_text(path, "c.yaml"), "c.yaml")
    assert data["title"] == "推动家具产业集群绿色化改造"
    assert source.values[("title",)] == (4, 8)


def test_gbk_file_gets_a_clear_error(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(LoadError) as info:
        read_text(path, "c.yaml")
    assert info.value.finding.code == "encoding"
    assert info.value.finding.line == 4
    assert "UTF-8" in info.value.finding.message


def test_empty_and_non_mapping_files():
    for text, code in (("", "empty"), ("# only a comment\n", "empty"), ("- a\n- b\n", "not-mapping")):
        data, source = parse_yaml(text, "c.yaml")
        _, findings = validate(Case, data, source)
        assert [f.code for f in findings] == [code]


def test_text_that_looks_like_a_number_stays_the_characters_typed():
    case, findings = load(GOOD.replace("title: 推动家具产业集群绿色化改造", "title: 2025"))
    assert not findings and case.title == "2025"


def test_category_follows_the_project_scheme():
    data, source = parse_yaml(GOOD.replace("category: A", "category: D"), "c.yaml")
    _, findings = validate(Case, data, source)
    assert [f.as_text() for f in findings] == ['c.yaml:9:13 reply.category：取值应为 A、B、C 之一，实际为 "D"（错误）']
    four = {"A": "a", "B": "b", "C": "c", "D": "d"}
    case, findings = validate(Case, data, source, {"categories": four})
    assert not findings and case.reply.category == "D"
