"""`similar` keeps each year's compared fields in a signed digest under build/.cache/similar: the
answer is the same with or without digests, an edit is seen at once, and only digests this user's
key signed for these very files are believed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import edit, run
from test_similar import add_earlier_year
from test_up_to_date import imported, launch

from proposal_docs.engine.signing import cache_key, sign, verified

TITLE = "关于支持刷业企业数字化发展的建议"


def answers(root: Path) -> tuple[str, str]:
    """similar on a case file and on a title, as JSON (exit 0 asserted)."""
    by_file = run(root, "similar", str(root / "cases/2024/p041.yaml"), "--format", "json")
    by_title = run(root, "similar", "--title", TITLE, "--format", "json", "--limit", "20")
    assert by_file.exit_code == 0 and by_title.exit_code == 0, by_file.stderr + by_title.stderr
    return by_file.output, by_title.output


def without_digests(root: Path, tmp_path: Path) -> tuple[str, str]:
    """The same questions asked of a copy of the repository that has no build/ (nothing kept)."""
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build"))
    found = answers(copy)
    assert not (copy / "build").exists()  # no build/: nothing is written
    return tuple(text.replace(str(copy), str(root)) for text in found)


def digest(root: Path, year: int) -> Path:
    return root / f"build/.cache/similar/{year}.json"


def test_the_answer_is_the_same_with_digests_and_follows_an_edit(example, tmp_path):
    add_earlier_year(example)
    (example / "build").mkdir()
    first = answers(example)  # reads every year and keeps their digests
    assert first == without_digests(example, tmp_path)
    assert "cases/2023/p088.yaml" in first[0] and "cases/2023/p088.yaml" in first[1]
    assert digest(example, 2023).is_file() and digest(example, 2024).is_file()
    assert answers(example) == first

    # nothing changed: no case file is read, so neither YAML nor the models are even loaded
    again = launch(example, "similar", "--title", TITLE, "--format", "json", "--limit", "20")
    assert again.returncode == 0 and again.stdout == first[1]
    assert not imported(again.stderr) & {"pydantic", "yaml"}

    # an edited title in one year is seen; only that year is read again
    kept_2024 = digest(example, 2024).stat().st_mtime_ns
    edit(example / "cases/2023/p088.yaml", "关于扶持刷业企业数字化改造的建议", "关于扶持刷业企业数字化改造和品牌建设的建议")
    edited = answers(example)
    assert "关于扶持刷业企业数字化改造和品牌建设的建议" in edited[0] and "关于扶持刷业企业数字化改造和品牌建设的建议" in edited[1]
    assert edited == without_digests(example, tmp_path)
    assert digest(example, 2024).stat().st_mtime_ns == kept_2024
    assert "品牌建设" in digest(example, 2023).read_text(encoding="utf-8")

    # the year file names the session; the project file's categories decide which replies are valid
    edit(example / "cases/2023/year.yaml", "市政协十三届三次会议", "政协第十三届三次会议")
    assert '"session": "政协第十三届三次会议"' in answers(example)[0]
    edit(example / "proposal-docs.yaml", "  B: 正在解决或列入计划解决\n", "")
    without_b = run(example, "similar", "--title", TITLE, "--format", "json", "--limit", "20")
    assert "cases/2023/p088.yaml" not in without_b.output  # its category B no longer exists
    assert without_b.output == without_digests(example, tmp_path)[1]


def test_an_invalid_case_is_left_out_as_before_and_comes_back_when_fixed(example, tmp_path):
    add_earlier_year(example)
    (example / "build").mkdir()
    valid = answers(example)
    case = example / "cases/2023/p088.yaml"
    kept = digest(example, 2023).read_bytes()

    edit(case, "role: lead", "role: boss")
    broken = run(example, "similar", "--title", TITLE, "--format", "json", "--limit", "20")
    assert broken.exit_code == 0 and "cases/2023/p088.yaml" not in broken.output
    assert "有 1 个错误的文件未列入" in broken.stderr
    assert broken.output == without_digests(example, tmp_path)[1]
    assert digest(example, 2023).read_bytes() == kept  # invalid input leaves build/ as it was
    # the invalid file itself is refused with its finding, as without digests
    itself = run(example, "similar", str(case))
    line = case.read_text(encoding="utf-8").splitlines().index("role: boss") + 1
    assert itself.exit_code == 1 and f"cases/2023/p088.yaml:{line}:7 role：" in itself.output
    assert "有 1 个错误" in itself.stderr
    assert run(example, "similar", "--title", TITLE, "--format", "json", "--limit", "20").output == broken.output

    edit(case, "role: boss", "role: lead")
    fixed = run(example, "similar", "--title", TITLE, "--format", "json", "--limit", "20")
    assert fixed.output == valid[1] and fixed.stderr == ""
    assert answers(example) == valid


def planted(root: Path, year: int, title: str, key: bytes | None) -> bytes:
    """The year's digest as this user's run wrote it, with every case's title replaced; signed with
    key (None: the signature line left as it was)."""
    data = digest(root, year).read_bytes()
    body = verified(cache_key(), data, str(year).encode("ascii"))
    assert body is not None
    content = json.loads(body)
    for row in content["cases"]:
        row[6] = title
    body = json.dumps(content, ensure_ascii=False).encode("utf-8")
    return sign(key, body, str(year).encode("ascii")) if key else data.partition(b"\n")[0] + b"\n" + body


def test_a_digest_this_users_key_did_not_sign_is_made_again(example):
    add_earlier_year(example)
    (example / "build").mkdir()
    valid = answers(example)
    path = digest(example, 2023)
    for forged in (planted(example, 2023, "伪造的案由", None),  # edited by hand: the signature no longer fits
                   planted(example, 2023, "伪造的案由", b"k" * 32),  # the right shape, signed with another key
                   planted(example, 2023, "伪造的案由", None).partition(b"\n")[2],  # no signature at all
                   sign(cache_key(), path.read_bytes().partition(b"\n")[2], b"2024")):  # signed for another year
        path.write_bytes(forged)
        assert answers(example) == valid
        assert "伪造的案由" not in path.read_text(encoding="utf-8")  # made again from the case files
        assert verified(cache_key(), path.read_bytes(), b"2023") is not None
    # the control: the same digest signed with this user's key is believed, so it is the signature
    # (and not some other difference) that kept the forged ones out
    path.write_bytes(planted(example, 2023, "伪造的案由", cache_key()))
    assert "伪造的案由" in run(example, "similar", "--title", TITLE).output


def test_a_finding_across_years_leaves_the_cases_compared_as_before(example, tmp_path):
    """A year is read alone when its digest is stale: the rules across years (a 文号 used twice) then
    see only that year, which must not matter — a finding never takes a valid case out of `similar`."""
    add_earlier_year(example)
    (example / "build").mkdir()
    answers(example)
    edit(example / "cases/2023/p088.yaml", "科经提〔2023〕9号", "科经提〔2024〕1号")  # p007's number too
    check = run(example, "check")
    assert check.exit_code == 1 and "文号“科经提〔2024〕1号”重复" in check.output
    found = answers(example)
    assert '"doc_number": "科经提〔2024〕1号",\n    "file": "cases/2023/p088.yaml"' in found[1]
    assert found == without_digests(example, tmp_path)
    assert run(example, "similar", "--title", TITLE).stderr == ""  # nothing was left out
