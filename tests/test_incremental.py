"""An incremental build always ends where a clean build of the same files ends, byte for byte.

Whatever sequence of edits a clerk makes between builds — a reply reworded or lengthened, a title or
number changed, a case deleted, a year or project setting changed, a template saved again — the
documents left by rebuilding after each edit equal those of one clean build of the final files.
This is what makes skipping work (fingerprints, the early cutoff of the archive index, the stamp,
the warm caches `serve` keeps between rebuilds) safe.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import edit, own_template, run
from proposal_docs.cli.build import run_build_command
from proposal_docs.cli.options import Options
from proposal_docs.commands.build import Warm


def documents(build: Path) -> dict[str, bytes]:
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("[!.]*.docx"))}


def reword_reply(root: Path) -> None:
    edit(root / "cases/2024/p041.yaml", "年内完成诊断企业30家以上", "年内完成诊断企业40家以上")


def lengthen_reply(root: Path) -> None:  # enough to move the page estimate of the archive index
    edit(root / "cases/2024/p041.yaml", "    二、下一步", "    " + "补充说明。" * 300 + "\n\n    二、下一步")


def retitle(root: Path) -> None:
    edit(root / "cases/2024/p009.yaml", "title: 关于小型服装加工厂发展的建议", "title: 关于小微服装企业发展的建议")


def renumber(root: Path) -> None:
    edit(root / "cases/2024/p041.yaml", "科经提函〔2024〕2号", "科经提函〔2024〕9号")


def delete_case(root: Path) -> None:
    (root / "cases/2024/p057.yaml").unlink(missing_ok=True)


def change_year(root: Path) -> None:
    edit(root / "cases/2024/year.yaml", "date: 2024-12-10", "date: 2024-12-11")


def change_project(root: Path) -> None:
    edit(root / "proposal-docs.yaml", "fonds: X012", "fonds: X013")


def save_template(root: Path) -> None:
    template = own_template(root, "archive_index")
    doc = Document(template)
    doc.add_paragraph("(续)")
    doc.save(template)


EDITS = [reword_reply, lengthen_reply, retitle, renumber, delete_case, change_year, change_project, save_template]


def _apply(step, root: Path) -> None:
    try:
        step(root)
    except AssertionError:
        pass  # already applied earlier in this sequence: the file no longer says what it replaces


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(EDITS), min_size=1, max_size=4), like_serve=st.booleans())
def test_rebuilding_after_each_edit_equals_one_clean_build(example, tmp_path_factory, steps, like_serve):
    repo = tmp_path_factory.mktemp("incremental") / "repo"
    shutil.copytree(example, repo)
    warm = Warm()  # as `serve` does: parsed files and prepared templates kept in memory between builds

    def rebuild() -> None:
        if like_serve:
            run_build_command(Options(repo, False, -1), jobs=1, force=False, site=False, today=None, warm=warm)
        else:
            assert run(repo, "build", "--no-site").exit_code == 0

    rebuild()
    for step in steps:
        _apply(step, repo)
        rebuild()
    clean = tmp_path_factory.mktemp("clean") / "repo"
    shutil.copytree(repo, clean, ignore=shutil.ignore_patterns("build"))
    assert run(clean, "build", "--no-site").exit_code == 0
    assert documents(repo / "build") == documents(clean / "build")
