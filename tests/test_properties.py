"""Property tests: whatever a clerk writes either comes back exactly from the built documents or is
refused with one precise message naming the file, line and field — never a traceback.
"""

import shutil

import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ROOT, run
from proposal_docs.model.models import LINE_BREAKS
from proposal_docs.render.filters import paragraphs_of
from proposal_docs.render.text import document_text

TRICKY = st.sampled_from(["&", "<", ">", '"', "'", "{{", "}}", "{%", "%}", "{_{", "}_}", "]]>", "&amp;", "《", "\t",
                          "\n", "\u3000", "\u2028", "\x85", "\x07", "\ufeff", "🙂", "\u200b", "#", ": ", "- "])
ANY_TEXT = st.lists(st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)),
                    min_size=1, max_size=6).map("".join)
PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff\ufffe\uffff\x85")
CLEAN_TEXT = st.lists(st.one_of(TRICKY.filter(lambda t: t.isprintable() and t not in "\ufeff"),
                                st.text(PRINTABLE, min_size=1, max_size=6)), min_size=1, max_size=6).map("".join)
FIELD_TEXT = st.one_of(CLEAN_TEXT, CLEAN_TEXT, ANY_TEXT)  # mostly printable, sometimes anything
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def fresh_repository(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    # case text exactly as written: the punctuation conversion has its own properties (test_typography.py)
    project = (PROJECT_ROOT / "proposal-docs.yaml").read_text(encoding="utf-8")
    assert "fullwidth_punctuation: true" in project
    (root / "proposal-docs.yaml").write_text(project.replace("fullwidth_punctuation: true", "fullwidth_punctuation: false"),
                                             encoding="utf-8")
    (root / "cases/2024").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "cases/2024/year.yaml", root / "cases/2024")
    return root


def base_case(**texts) -> dict:
    return {
        "kind": "proposal", "session": "cppcc-13-4", "number": 1, "title": texts["title"],
        "proposers": [texts["proposer"]], "co_units": [texts["co_unit"]], "assigned": "2024-03-20",
        "handler": {"unit": "科室", "name": texts["handler"], "phone": texts["phone"]},
        "communications": [{"date": "2024-04-01", "mode": "visit", "note": texts["note"]}],
        "reply": {"date": "2024-05-01", "category": "A", "disclosure": "public", "body": texts["body"]},
        "feedback": {"date": "2024-05-10", "attitude": "satisfied", "result": "satisfied", "comments": texts["comments"]},
        "archive": [{"title": texts["archive_title"], "date": "2024-02-01", "pages": 2}],
    }


def refused_precisely(result, path: str) -> None:
    said = result.output + result.stderr
    assert result.exit_code == 1, said
    assert "Traceback" not in said and "内部错误" not in said
    errors = [line for line in result.output.splitlines() if line.endswith("（错误）")]
    assert errors and all(line.startswith(f"{path}:") for line in errors), said
    for line in errors:
        line_number = int(line.split(":")[1])
        assert line_number > 0, line


SINGLE_LINE = ("title", "proposer", "co_unit", "handler", "phone", "archive_title")
FIELDS = (*SINGLE_LINE, "note", "body", "comments")


@SETTINGS
@given(texts=st.fixed_dictionaries({name: CLEAN_TEXT for name in FIELDS}),
       dirty=st.one_of(st.none(), st.sampled_from(FIELDS)), dirty_text=ANY_TEXT)
def test_every_free_text_field_comes_back_or_is_refused(tmp_path_factory, texts, dirty, dirty_text):
    if dirty:  # one field at a time gets anything at all, so that most examples still build
        texts[dirty] = dirty_text
    root = fresh_repository(tmp_path_factory)
    text = yaml.safe_dump(base_case(**texts), allow_unicode=True)
    (root / "cases/2024/c.yaml").write_text(text, encoding="utf-8")
    # "as written" is what the file says to a YAML reader: YAML itself folds U+0085 and friends
    written = yaml.safe_load(text)
    texts = dict(texts, title=written["title"], proposer=written["proposers"][0], co_unit=written["co_units"][0],
                 handler=written["handler"]["name"], phone=written["handler"]["phone"], body=written["reply"]["body"],
                 comments=written["feedback"]["comments"], archive_title=written["archive"][0]["title"])
    check = run(root, "check", "--today", "2024-12-31")
    event("refused" if check.exit_code else "accepted")
    if check.exit_code != 0:
        refused_precisely(check, "cases/2024/c.yaml")
        assert run(root, "build", "--no-site").exit_code == 1  # and nothing is built
        assert not (root / "build/2024").exists()
        return
    # accepted: then it must be printed exactly as written
    assert not any(ch in texts[f] for f in SINGLE_LINE for ch in LINE_BREAKS)
    assert run(root, "build", "--no-site").exit_code == 0
    letter = document_text(next((root / "build/2024/答复函").glob("*.docx")))
    assert f"您提出的《{texts['title']}》（第1号）提案收悉。" in letter
    assert f"{texts['proposer']}委员：" in letter
    assert f"会同{texts['co_unit']}认真研究办理" in letter
    assert f"（联系人：{texts['handler']}，联系电话：{texts['phone']}）" in letter
    lines = letter.split("\n")
    opening = next(i for i, line in enumerate(lines) if line.startswith("您提出的"))
    assert lines[opening + 1: opening + 1 + len(paragraphs_of(texts["body"]))] == paragraphs_of(texts["body"])
    form = document_text(next((root / "build/2024/征询意见表").glob("*.docx")))
    assert "☑" not in form  # the member's answers are recorded, never printed on the form sent out
    index = document_text(root / "build/2024/归档文件目录-政协提案.docx")
    assert f"[{texts['archive_title']}]" in index


@SETTINGS
@given(title=FIELD_TEXT, body=FIELD_TEXT)
def test_title_and_body_come_back_exactly(tmp_path_factory, title, body):
    assume(paragraphs_of(body))
    root = fresh_repository(tmp_path_factory)
    case = {"kind": "proposal", "session": "cppcc-13-4", "number": 1, "title": title, "proposers": ["甲"],
            "assigned": "2024-03-20", "reply": {"date": "2024-05-01", "category": "A", "disclosure": "public", "body": body}}
    text = yaml.safe_dump(case, allow_unicode=True)
    (root / "cases/2024/c.yaml").write_text(text, encoding="utf-8")
    written = yaml.safe_load(text)  # as written: what a YAML reader sees in the file
    title, body = written["title"], written["reply"]["body"]
    result = run(root, "build", "--no-site", "--jobs", "1")
    event("refused" if result.exit_code else "accepted")
    if result.exit_code != 0:
        refused_precisely(result, "cases/2024/c.yaml")
        return
    (letter,) = (root / "build/2024/答复函").glob("*.docx")
    lines = document_text(letter).split("\n")
    opening = next(i for i, line in enumerate(lines) if line.startswith("您提出的"))
    assert lines[opening].startswith(f"您提出的《{title}》（第1号）提案收悉。")
    closing = lines.index("感谢您对我市科技和经济工作的关心和支持，欢迎继续提出宝贵意见。")
    assert lines[opening + 1: closing] == paragraphs_of(body)


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.dates(), ANY_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(ANY_TEXT, children, max_size=4)),
    max_leaves=12,
)
CASE_KEYS = st.sampled_from(["kind", "session", "number", "title", "proposers", "role", "assigned", "reply",
                             "feedback", "extension", "handler", "communications", "archive", "due", "key"])


@SETTINGS
@given(document=st.one_of(
    YAML_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.dictionaries(CASE_KEYS, YAML_VALUES, max_size=8).map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    ANY_TEXT,
))
def test_arbitrary_yaml_never_raises_past_the_cli(tmp_path_factory, document):
    root = fresh_repository(tmp_path_factory)
    (root / "cases/2024/c.yaml").write_text(document, encoding="utf-8", errors="surrogatepass")
    result = run(root, "check", "--today", "2024-12-31")
    said = result.output + result.stderr
    assert result.exit_code in (0, 1), said
    assert "Traceback" not in said and "内部错误" not in said
    if result.exit_code == 1:
        assert any(line.startswith("cases/2024/c.yaml") for line in result.output.splitlines()), said
