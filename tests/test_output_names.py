"""Output file names are unique by construction, within 255 bytes, and free of invisible characters;
a clash that cannot be resolved is an error in check and build, never one document overwriting another."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from hypothesis import given, settings, strategies as st

from conftest import edit, run
from proposal_docs.engine.plan import NAME_BYTES, fitted, recipient_names, safe_name
from proposal_docs.render.text import document_text

INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def documents(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "build").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (root / "build").rglob("*.docx")}


def replies(root: Path) -> list[Path]:
    return sorted((root / "build/2024/答复函").glob("*.docx"))


def test_two_sessions_of_one_body_with_the_same_number_write_two_documents(example):
    """A second CPPCC session in year.yaml and a case numbered 7 in it: 提案第007号 twice, one overwriting
    the other, and check passed."""
    edit(example / "cases/2024/year.yaml", "  npc-17-4:", "  cppcc-13-5: {body: cppcc, name: 市政协十三届五次会议}\n  npc-17-4:")
    text = (example / "cases/2024/p009.yaml").read_text("utf-8")
    (example / "cases/2024/q007.yaml").write_text(
        text.replace("session: cppcc-13-4", "session: cppcc-13-5").replace("number: 9", "number: 7")
        .replace("科经提〔2024〕2号", "科经提〔2024〕99号"), "utf-8")
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0
    sevens = [p for p in replies(example) if "提案第007号" in p.name]
    assert [p.name.split("-")[0] for p in sevens] == ["市政协十三届五次会议", "市政协十三届四次会议"]
    assert "关于小型服装加工厂发展的建议" in document_text(sevens[0])
    assert "尽快建设绿色环保家具产业园" in document_text(sevens[1])
    # the NPC body still has one session: its names keep no session
    assert any(p.name.startswith("建议第023号-") for p in replies(example))


def test_joint_proposers_whose_names_sanitise_alike_get_a_letter_each(example):
    edit(example / "proposal-docs.yaml", "reply_to: lead", "reply_to: each")
    edit(example / "cases/2024/p007.yaml", "proposers: [聂银峰]",
         'proposers: [张/三, "张:三", 张三丰李四王五赵六钱七孙八A, 张三丰李四王五赵六钱七孙八B]')
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0
    letters = [p for p in replies(example) if p.name.startswith("提案第007号")]
    assert len(letters) == 4
    salutations = sorted(next(line for line in document_text(p).splitlines() if line.endswith("委员：")) for p in letters)
    assert salutations == sorted(["张/三委员：", "张：三委员：", "张三丰李四王五赵六钱七孙八A委员：", "张三丰李四王五赵六钱七孙八B委员："])


def test_a_250_digit_number_is_refused_and_keeps_earlier_documents(example):
    """It passed check, then build failed on an over-long file name and deleted the case's documents."""
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = documents(example)
    edit(example / "cases/2024/p009.yaml", "number: 9", "number: " + "9" * 250)
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        assert result.exit_code == 1 and re.search(r"cases/2024/p009\.yaml:\d+:9 number：", result.output), result.output
    assert documents(example) == earlier


def test_the_longest_names_fit_in_255_bytes(example):
    """The longest session name, title, number and proposer names the files allow."""
    long_session = "市" * 60 + "会议"
    edit(example / "cases/2024/year.yaml", "  npc-17-4:", f"  cppcc-99-9: {{body: cppcc, name: {long_session}}}\n  npc-17-4:")
    edit(example / "proposal-docs.yaml", "reply_to: lead", "reply_to: each")
    edit(example / "cases/2024/p009.yaml", "number: 9", "number: 999999999")
    edit(example / "cases/2024/p009.yaml", "title: 关于", "title: " + "很长的案由" * 40 + "关于")
    edit(example / "cases/2024/p009.yaml", "proposers: [姚结来]", "proposers: [" + "长" * 80 + "甲, " + "长" * 80 + "乙]")
    assert run(example, "check", "--today", "2024-12-31").exit_code == 0
    assert run(example, "build", "--no-site").exit_code == 0
    names = [p.name for p in (example / "build").rglob("*.docx")]
    assert max(len(name.encode("utf-8")) for name in names) <= 255
    assert sum("第999999999号" in name for name in names) == 3  # two letters and the feedback form


def test_invisible_characters_are_not_in_file_names(example):
    edit(example / "cases/2024/p009.yaml", "title: 关于小型", 'title: "\\u202e\\u200b关于\\u2066小型')
    text = (example / "cases/2024/p009.yaml").read_text("utf-8")
    line = next(line for line in text.splitlines() if line.startswith("title:"))
    (example / "cases/2024/p009.yaml").write_text(text.replace(line, line + '"'), "utf-8")
    assert run(example, "build", "--no-site").exit_code == 0
    names = [p.name for p in (example / "build").rglob("*.docx")]
    assert not [name for name in names if INVISIBLE.search(name)]
    assert any(name.startswith("提案第009号-关于小型服装加工厂") for name in names)


def test_an_unresolvable_clash_is_an_error_and_writes_nothing(example):
    """Two sessions whose keys differ only in case and which share a name: on Windows and macOS their
    documents would be one file."""
    assert run(example, "build", "--no-site").exit_code == 0
    earlier = documents(example)
    edit(example / "cases/2024/year.yaml", "  npc-17-4:", "  CPPCC-13-4: {body: cppcc, name: 市政协十三届四次会议}\n  npc-17-4:")
    shutil.copy2(example / "cases/2024/p007.yaml", example / "cases/2024/q007.yaml")
    edit(example / "cases/2024/q007.yaml", "session: cppcc-13-4", "session: CPPCC-13-4")
    edit(example / "cases/2024/q007.yaml", "科经提〔2024〕1号", "科经提〔2024〕99号")
    for command in (["check", "--today", "2024-12-31"], ["build", "--no-site"]):
        result = run(example, *command)
        said = result.output + result.stderr
        assert result.exit_code == 1, said
        assert "Traceback" not in said and "内部错误" not in said
        assert re.search(r"cases/2024/q007\.yaml:\d+:9 number：生成的文书 build/2024/.+ 与 cases/2024/p007\.yaml 的重名", said), said
    assert documents(example) == earlier


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.lists(st.text(max_size=40), min_size=2, max_size=6))
def test_names_fit_read_cleanly_and_never_repeat(title, proposers):
    stem = f"提案第{123:03d}号-{safe_name(title)}"
    parts = recipient_names(proposers)
    names = [fitted(f"{stem}-{part}") for part in parts]
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert len(name.encode("utf-8")) <= NAME_BYTES and not INVISIBLE.search(name)
        assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name)
