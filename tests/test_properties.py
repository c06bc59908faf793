"""Property tests: whatever text a clerk writes comes back exactly from the built document."""

import shutil

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ROOT, run
from proposal_docs.render.filters import paragraphs_of
from proposal_docs.render.text import document_text

# Everything YAML can hold as text. C0/C1 controls are refused by the loader with a message
# (tested elsewhere); U+2028/U+2029/U+0085 are line breaks to YAML itself.
TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc"),
                           blacklist_characters="\x85\u2028\u2029\ufeff\ufffe\uffff")
TRICKY = st.sampled_from(["&", "<", ">", '"', "'", "{{", "}}", "{%", "%}", "{_{", "}_}", "]]>", "&amp;", "《", "\t"])
FREE_TEXT = st.lists(st.one_of(TRICKY, st.text(TEXT_CHARS, min_size=1, max_size=8)), min_size=1, max_size=8).map("".join)


def single_line(text: str) -> str:
    return " ".join(text.split("\n")).strip()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=FREE_TEXT.map(single_line), body_lines=st.lists(FREE_TEXT.map(single_line), min_size=1, max_size=4))
def test_title_and_body_come_back_exactly(tmp_path_factory, title, body_lines):
    assume(title and not title.startswith("《") and not title.endswith("》"))
    body = "\n\n".join(body_lines)
    assume(paragraphs_of(body))
    root = tmp_path_factory.mktemp("prop")
    shutil.copy(PROJECT_ROOT / "proposal-docs.yaml", root)
    shutil.copytree(PROJECT_ROOT / "templates", root / "templates")
    (root / "cases/2024").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "cases/2024/year.yaml", root / "cases/2024")
    case = {"kind": "proposal", "session": "cppcc-13-4", "number": 1, "title": title, "proposers": ["甲"],
            "assigned": "2024-03-20",
            "reply": {"date": "2024-05-01", "category": "A", "disclosure": "public", "body": body}}
    (root / "cases/2024/c.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    result = run(root, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output + result.stderr
    (letter,) = (root / "build/2024/答复函").glob("*.docx")
    lines = document_text(letter).split("\n")
    opening = next(i for i, line in enumerate(lines) if line.startswith("您提出的"))
    assert lines[opening].startswith(f"您提出的《{title}》(第1号)提案收悉。")
    closing = lines.index("感谢您对我市科技和经济工作的关心和支持,欢迎继续提出宝贵意见。")
    assert lines[opening + 1: closing] == paragraphs_of(body)
