"""The build engine: incremental, atomic under kill -9, safe when two builds run at once."""

import os
import shutil
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from conftest import PROJECT_ROOT, edit, own_template, run
from proposal_docs.sample import generate


def written(result) -> set[str]:
    return {line.split("build/", 1)[1] for line in result.output.splitlines() if line.startswith("生成 build/")}


def removed(result) -> set[str]:
    return {line.split("build/", 1)[1] for line in result.output.splitlines() if line.startswith("删除 build/")}


def snapshot(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("[!.]*.docx"))}


AGGREGATES_CPPCC = {"2024/归档文件目录-政协提案.docx", "2024/办理工作总结-政协提案.docx"}


def test_noop_rebuild_renders_nothing(example):
    first = run(example, "-v", "build")
    assert len(written(first)) == 28 and "期限日历已更新" in first.output  # deadlines.ics is no document
    again = run(example, "-v", "build")
    assert written(again) == set() and "未变 28 个" in again.output


def test_edit_one_case_rebuilds_its_documents_and_its_year_aggregates(example):
    run(example, "build")
    edit(example / "cases/2024/p009.yaml", "doc_number: 科经提〔2024〕2号", "doc_number: 科经提〔2024〕12号")
    result = run(example, "-v", "build")
    assert written(result) == {"2024/答复函/提案第009号-关于小型服装加工厂发展的建议.docx",
                               "2024/征询意见表/提案第009号-关于小型服装加工厂发展的建议.docx"} | AGGREGATES_CPPCC


def test_an_archive_index_whose_rows_did_not_change_is_not_rendered_again(example):
    """Early cutoff: a reply's wording changes the reply and the summary, not the index's rows."""
    run(example, "build")
    index = example / "build/2024/归档文件目录-政协提案.docx"
    before = index.read_bytes()
    edit(example / "cases/2024/p009.yaml", "约120家", "约130家")
    result = run(example, "-v", "build")
    assert written(result) == {"2024/答复函/提案第009号-关于小型服装加工厂发展的建议.docx",
                               "2024/征询意见表/提案第009号-关于小型服装加工厂发展的建议.docx",
                               "2024/办理工作总结-政协提案.docx"}
    assert index.read_bytes() == before
    assert "输入均未改动" in run(example, "build").output  # and the new fingerprint was recorded


def test_a_summary_whose_content_did_not_change_is_not_rendered_again(example):
    """Early cutoff of the work summary: a co-handled case's opinion is in none of its figures."""
    run(example, "build")
    summary = example / "build/2024/办理工作总结-政协提案.docx"
    before = summary.read_bytes()
    edit(example / "cases/2024/p016.yaml", "今年已推送企业名单156家", "今年已推送企业名单160家")
    result = run(example, "-v", "build")
    assert written(result) == {"2024/会办意见/提案第016号-关于加大对科技型中小企业融资支持力度的建议.docx"}
    assert summary.read_bytes() == before
    # and a change its figures show is still seen: one case fewer to count
    (example / "cases/2024/p016.yaml").unlink()
    assert "2024/办理工作总结-政协提案.docx" in written(run(example, "-v", "build"))
    assert summary.read_bytes() != before


def test_the_archive_index_follows_its_template_even_when_its_rows_stay(example):
    run(example, "build")
    template = own_template(example, "archive_index")
    doc = Document(template)
    doc.add_paragraph("(本目录一式两份)")
    doc.save(template)
    result = run(example, "-v", "build")
    assert written(result) == {p for p in snapshot(example / "build") if "归档文件目录" in p}
    assert "本目录一式两份" in Document(example / "build/2024/归档文件目录-政协提案.docx").paragraphs[-1].text


def test_edit_a_template_rebuilds_exactly_its_documents(example):
    run(example, "build")
    template = own_template(example, "co_opinion")
    doc = Document(template)
    doc.add_paragraph("(此件公开发布)")
    doc.save(template)
    result = run(example, "-v", "build")
    assert written(result) == {p for p in snapshot(example / "build") if "/会办意见/" in p}
    assert len(written(result)) == 5


def test_deleted_case_loses_its_documents(example):
    run(example, "build")
    (example / "cases/2024/p016.yaml").unlink()
    result = run(example, "-v", "build")
    assert removed(result) == {"2024/会办意见/提案第016号-关于加大对科技型中小企业融资支持力度的建议.docx"}
    assert written(result) == AGGREGATES_CPPCC
    assert not list((example / "build").rglob("*016号*"))


def test_renamed_title_replaces_the_file(example):
    run(example, "build")
    edit(example / "cases/2024/p057.yaml", "title: 关于加强工业园区用电保障的建议", "title: 关于保障工业园区用电的建议")
    result = run(example, "-v", "build")
    assert removed(result) == {"2024/会办意见/提案第057号-关于加强工业园区用电保障的建议.docx"}
    assert "2024/会办意见/提案第057号-关于保障工业园区用电的建议.docx" in written(result)


def test_a_damaged_output_is_repaired(example):
    run(example, "build")
    target = next((example / "build/2024/答复函").glob("*007*"))
    good = target.read_bytes()
    target.write_bytes(b"broken")
    result = run(example, "-v", "build")
    assert written(result) == {target.relative_to(example / "build").as_posix()}
    assert target.read_bytes() == good


def test_force_renders_everything_and_still_removes(example):
    run(example, "build")
    assert len(written(run(example, "-v", "build", "--force"))) == 28
    (example / "cases/2024/p016.yaml").unlink()
    result = run(example, "-v", "build", "--force")
    assert len(written(result)) == 27 and len(removed(result)) == 1


def _cli(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "proposal_docs", "--root", str(root), *args]


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """300 generated cases, and the documents a clean build makes of them."""
    root = generate(tmp_path_factory.mktemp("big") / "repo", 300, PROJECT_ROOT)
    subprocess.run(_cli(root, "build", "--jobs", "2", "--no-site"), check=True, capture_output=True)
    clean = snapshot(root / "build")
    subprocess.run(["rm", "-rf", str(root / "build")], check=True)
    return root, clean


def test_kill_9_at_random_moments_then_rebuild_equals_a_clean_build(big):
    root, clean = big
    rng = random.Random(7)
    for _ in range(4):
        process = subprocess.Popen(_cli(root, "build", "--jobs", "2", "--force"), start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.2))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for path in (root / "build").rglob("[!.]*.docx"):
            assert zipfile.is_zipfile(path)  # only whole files, never half-written ones under the real name
    subprocess.run(_cli(root, "build"), check=True, capture_output=True)
    assert snapshot(root / "build") == clean
    assert not list((root / "build").rglob(".tmp-*"))


def _wait_until_locked(lock: Path, timeout: float = 60) -> bool:
    """True once another process holds the build lock."""
    import fcntl

    deadline = time.time() + timeout
    while time.time() < deadline:
        if lock.exists():
            with open(lock, "a+") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(handle, fcntl.LOCK_UN)
                except BlockingIOError:
                    return True
        time.sleep(0.01)
    return False


def test_two_builds_at_once_do_not_interleave(big):
    root, clean = big
    subprocess.run(["rm", "-rf", str(root / "build")], check=True)
    # the first build also makes the site with its pandoc previews: it holds the lock for seconds
    first = subprocess.Popen(_cli(root, "build", "--jobs", "1", "--today", "2024-12-31"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert _wait_until_locked(root / "build" / ".lock")
    second = subprocess.run(_cli(root, "build", "--jobs", "1", "--no-site"), capture_output=True, text=True)
    out, err = first.communicate()
    assert first.returncode == 0 and second.returncode == 0
    assert "另一个构建正在进行" in second.stderr
    assert "生成 0 个文件" in second.stdout  # it waited, then found everything done
    assert snapshot(root / "build") == clean


def test_noop_stops_early_and_a_touched_file_is_compared_by_content(example):
    run(example, "build")
    assert "输入均未改动" in run(example, "build").output
    case = example / "cases/2024/p041.yaml"
    os.utime(case, ns=(case.stat().st_atime_ns, case.stat().st_mtime_ns + 5_000_000_000))  # like a git checkout
    result = run(example, "-v", "build")
    assert "输入均未改动" not in result.output and written(result) == set()
    assert "输入均未改动" in run(example, "build").output  # the new times are recorded


def test_a_deleted_output_defeats_the_early_stop(example):
    run(example, "build")
    target = next((example / "build/2024/会办意见").glob("*041*"))
    target.unlink()
    assert written(run(example, "-v", "build")) == {target.relative_to(example / "build").as_posix()}


def test_reproducible_across_folders_timezones_and_locales(example, tmp_path):
    other = tmp_path / "另一个 目录" / "repo"
    shutil.copytree(example, other)
    base = dict(os.environ, PROPOSAL_DOCS_TODAY="2024-12-31")
    subprocess.run(_cli(example, "build", "--no-site"), check=True, capture_output=True,
                   env=dict(base, TZ="America/Los_Angeles", LC_ALL="C", LANG="C"))
    subprocess.run(_cli(other, "build", "--no-site", "--jobs", "1"), check=True, capture_output=True,
                   env=dict(base, TZ="Asia/Shanghai", LC_ALL="C.UTF-8", LANG="zh_CN.UTF-8", SOURCE_DATE_EPOCH="1700000000"))
    assert snapshot(example / "build") == snapshot(other / "build")
