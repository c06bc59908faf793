"""`similar`: the cases of other sessions most like a case, and the site's 往年相似提案."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings, strategies as st

from conftest import run

EARLIER = """\
kind: proposal
session: cppcc-13-3
number: 88
title: 关于扶持刷业企业数字化改造的建议
proposers: [胡天赐]
role: lead
assigned: 2023-03-20
handler: {unit: 信息化科, name: 周强, phone: 0556-5551206}
reply:
  date: 2023-05-20
  doc_number: 科经提〔2023〕9号
  category: B
  disclosure: public
  signer: 王五
  body: |
    一、我局将刷业数字化车间纳入技改奖补范围,组织服务商开展诊断。
"""


def add_earlier_year(root: Path) -> Path:
    """A 2023 folder beside the example's 2024, with one case about the same trade as p041."""
    folder = root / "cases/2023"
    folder.mkdir()
    (folder / "year.yaml").write_text("year: 2023\nsessions:\n  cppcc-13-3: {body: cppcc, name: 市政协十三届三次会议}\n",
                                      encoding="utf-8")
    (folder / "p088.yaml").write_text(EARLIER, encoding="utf-8")
    return folder / "p088.yaml"


def test_similar_finds_the_earlier_case_first(example):
    add_earlier_year(example)
    result = run(example, "similar", str(example / "cases/2024/p041.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    found = json.loads(result.output)
    assert found[0]["file"] == "cases/2023/p088.yaml"
    assert found[0] | {"similarity": None} == {
        "similarity": None, "year": 2023, "session": "市政协十三届三次会议", "number": 88,
        "title": "关于扶持刷业企业数字化改造的建议", "outcome": "B类", "doc_number": "科经提〔2023〕9号",
        "file": "cases/2023/p088.yaml"}
    assert 0 < found[0]["similarity"] <= 1
    # the case itself and the cases of its own session are no precedent
    assert not [f for f in found if f["session"] == "市政协十三届四次会议"]


def test_similar_by_title_in_text(example):
    add_earlier_year(example)
    result = run(example, "similar", "--title", "关于支持刷业发展的建议", "--limit", "2")
    assert result.exit_code == 0, result.output + result.stderr
    assert result.output.startswith("与“关于支持刷业发展的建议”相似的案件：\n1. ")
    assert "（相似度 " in result.output and "cases/2023/p088.yaml" in result.output
    assert "3. " not in result.output  # --limit


def test_similar_without_a_match_says_so(example):
    result = run(example, "similar", "--title", "ABC")
    assert result.exit_code == 0
    assert result.output == "没有找到与“ABC”相似的案件。\n"


def test_similar_asks_for_one_of_file_or_title(example):
    result = run(example, "similar")
    assert result.exit_code == 2 and "二者选一" in result.stderr
    result = run(example, "similar", str(example / "proposal-docs.yaml"))
    assert result.exit_code == 2 and "不是案件文件" in result.stderr


def test_similar_on_an_invalid_case_names_its_problem(example):
    case = example / "cases/2024/p041.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("role: co", "role: boss"), encoding="utf-8")
    result = run(example, "similar", str(case))
    assert result.exit_code == 1
    line = case.read_text(encoding="utf-8").splitlines().index("role: boss") + 1
    assert f"cases/2024/p041.yaml:{line}:7 role：" in result.output
    assert "有 1 个错误" in result.stderr
    assert not (example / "build").exists()  # nothing written


def test_case_pages_link_to_similar_cases_of_earlier_years(example):
    add_earlier_year(example)
    assert run(example, "build", "--today", "2024-06-10").exit_code == 0
    site = example / "build/site"
    page = (site / "2024/cases/p041.html").read_text(encoding="utf-8")
    assert "<h2>往年相似提案</h2>" in page
    assert '<a href="../../2023/cases/p088.html">关于扶持刷业企业数字化改造的建议</a>' in page
    assert (site / "2023/cases/p088.html").is_file()
    assert "往年相似提案" not in (site / "2023/cases/p088.html").read_text(encoding="utf-8")  # nothing earlier


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="关于刷业企A1,。 \n的建议b", max_size=12), min_size=1, max_size=6))
def test_character_pairs_never_cross_two_texts(texts):
    from proposal_docs.rules.similarity import _bigrams

    owner, ids = _bigrams(texts)
    decoded = sorted((int(o), chr(int(i) >> 21) + chr(int(i) & 0x1FFFFF)) for o, i in zip(owner, ids))
    word = lambda c: "\u4e00" <= c <= "\u9fff" or c.isascii() and c.isalnum()  # noqa: E731
    expected = sorted((n, t[k:k + 2].lower()) for n, t in enumerate(texts) for k in range(len(t) - 1)
                      if word(t[k]) and word(t[k + 1]))
    assert decoded == expected
