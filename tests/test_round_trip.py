"""What the tool writes (`new`, `import`, `number`) the tool reads back as exactly what it meant.

One YAML model for reading and writing: a text value comes back as the characters written, a
number as that number, a date as that date, through every writer's path (the commented template
of new/import, the spliced document number, ruamel.yaml's round trip of a flow-style reply).
"""

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from proposal_docs.commands.number import Assignment, _round_trip, _splice
from proposal_docs.model.casefile import NewCase, case_text
from proposal_docs.model.loading import UNPRINTABLE, parse_yaml, scalar_text
from proposal_docs.model.validation import validate
from proposal_docs.model.models import Case, Kind
from proposal_docs.model.repository import CaseFile

# Values that YAML 1.1 or a careless writer turns into something else.
TRICKY = st.sampled_from(["007", "05565551201", "yes", "no", "on", "true", "null", "~", "1:20", "0b111", "1_0",
                          "7.0", "1e3", "-5", "2024-03-20", "2024-03-20T00:00:00+08:00", ".inf", "<<", "=",
                          "# x", "a #b", "a: b", "- a", "[a]", "{a}", "'", '"', "\\", "&a", "*a", "!x", "%", "@",
                          "`", "|", ">", " lead", "tail ", "\u3000", "\u2028", "\x85", "🙂", "《》", "：", "，"])
TEXT = st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
                 st.lists(TRICKY, min_size=1, max_size=3).map("".join)).filter(lambda t: not UNPRINTABLE.search(t))
ONE_LINE = TEXT.filter(lambda t: t.strip() and not any(ch in t for ch in "\n\r\t\v\f\x85\u2028\u2029"))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_a_scalar_written_reads_back_as_the_same_text(text):
    data, _ = parse_yaml(f"k: {scalar_text(text)}\n", "x.yaml")
    assert data["k"] == text


@settings(max_examples=150, deadline=None)
@given(title=ONE_LINE, proposers=st.lists(ONE_LINE, min_size=1, max_size=3), units=st.lists(ONE_LINE, max_size=3),
       number=st.integers(1, 999_999), day=st.dates(dt.date(1950, 1, 1), dt.date(2999, 12, 31)))
def test_new_and_import_write_what_check_reads(title, proposers, units, number, day):
    new = NewCase(kind=Kind.proposal, session="cppcc-13-4", number=number, assigned=day, title=title,
                  proposers=proposers, co_units=units)
    data, source = parse_yaml(case_text(new), "cases/2024/p001.yaml")
    case, findings = validate(Case, data, source)
    assert not findings
    assert (case.title, case.proposers, case.co_units, case.number, case.assigned) == \
        (title, proposers, units, number, day)


BLOCK = """\
kind: proposal
session: cppcc-13-4
number: 7
title: 题目
proposers: [甲]
assigned: 2024-03-20
reply:
  date: 2024-05-20   # 答复日期
  category: A
  disclosure: public
  body: 正文
"""
FLOW = BLOCK.split("reply:")[0] + "reply: {date: 2024-05-20, category: A, disclosure: public, body: 正文}\n"


def _item(text: str) -> CaseFile:
    data, source = parse_yaml(text, "cases/2024/p007.yaml")
    case, findings = validate(Case, data, source)
    assert not findings
    return CaseFile(Path("p007.yaml"), source, case)


@settings(max_examples=150, deadline=None)
@given(ONE_LINE)
def test_number_writes_what_check_reads(doc_number):
    spliced = _splice(BLOCK, _item(BLOCK), ("reply",), doc_number)
    flow = _splice(FLOW, _item(FLOW), ("reply",), doc_number)
    ruamel = _round_trip(FLOW, [Assignment(_item(FLOW), ("reply",), dt.date(2024, 5, 20), doc_number)])
    for text in (spliced, flow, ruamel):
        data, source = parse_yaml(text, "p.yaml")
        case, findings = validate(Case, data, source)
        assert not findings and case.reply.doc_number == doc_number and case.number == 7
