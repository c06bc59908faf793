"""`make bench`: how fast is a build, measured against the loop a user would write, in one run.

Generates N cases (default 1,000) in a temporary repository, then times, each in a fresh process:
the naive docxtpl loop (DocxTemplate(path), render, save per document, sequential, same contexts),
a full build, a no-op rebuild, a one-case edit, and `check` (documents only, --no-site), then
the HTML site with its pandoc previews, first and unchanged. The one-case edit is measured twice:
by a one-shot process, and served by the warm build server that `build` starts on a clerk's
machine (server.py). Builds are repeated and their median taken (the naive loop runs once). Prints seconds, ratios
against the one-shot full build, and peak memory. Ratios, not seconds, are what to compare.

The package's bytecode is compiled first, as pip does when it installs a package: with
PYTHONDONTWRITEBYTECODE set (as on some CI machines) every run would otherwise compile every module
of the tool again, which no clerk's installation does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and all its workers, in a fresh process.

    The disk is synced first, so that no step pays for writing back what the one before wrote
    (the naive loop leaves 1,400 files' worth of dirty pages behind).
    """
    if hasattr(os, "sync"):
        os.sync()
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, check=True).stdout.split()
    if out[2] not in ("0", "1"):
        raise SystemExit(f"command failed ({out[2]}): {' '.join(command)}")
    return float(out[0]), int(out[1]) / 1024


def measure_median(command: list[str], before=None, times: int = 7) -> tuple[float, float]:
    """The median of several runs, for steps short enough that one run is mostly noise."""
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(measure(command))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def edit_one_case(repo: Path):
    """Each call rewords the same reply, as a clerk would between two builds."""
    case = next(p for p in sorted((repo / "cases/2024").glob("c*.yaml")) if "开展了专题调研" in p.read_text("utf-8"))
    words = ["开展了专题调研", "开展了深入调研"]

    def edit() -> None:
        text = case.read_text(encoding="utf-8")
        old = next(w for w in words if w in text)
        case.write_text(text.replace(old, words[1 - words.index(old)]), encoding="utf-8")

    return edit


def start_build_server(repo: Path) -> subprocess.Popen:
    server = subprocess.Popen([PYTHON, "-m", "proposal_docs.server", str(repo)], env=dict(os.environ, CI=""))
    deadline = time.monotonic() + 60
    while not (repo / "build/.server").exists():
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("构建服务未能启动")
        time.sleep(0.1)
    return server


def peak_of(process: subprocess.Popen) -> float:
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
    except (OSError, StopIteration, ValueError):
        return float("nan")


def naive_loop(root: Path, out: Path) -> None:
    """What a user would write with docxtpl alone: one DocxTemplate per document."""
    from docxtpl import DocxTemplate

    from proposal_docs.plan import plan
    from proposal_docs.render.contexts import context_for
    from proposal_docs.render.filters import make_environment
    from proposal_docs.repository import load_repository

    repo = load_repository(root)
    env = make_environment()
    cases = {item.rel: item for item in repo.all_cases()}
    for output in plan(repo):
        rendered = context_for(repo, output, cases)
        template = DocxTemplate(root / "templates" / f"{output.template}.docx")
        template.render(rendered.context, env, autoescape=True)
        target = out / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        template.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1000)))
    parser.add_argument("--naive", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive_loop(Path(args.naive[0]), Path(args.naive[1]))
        return

    import compileall

    import proposal_docs
    from proposal_docs.sample import generate

    compileall.compile_dir(Path(proposal_docs.__file__).parent, quiet=1)
    console = Console()
    with tempfile.TemporaryDirectory(prefix="proposal-docs-bench-") as tmp:
        repo = generate(Path(tmp) / "repo", args.cases, ROOT)
        # the console script, as `make build` runs it (python -m would add runpy's imports)
        cli = [str(Path(PYTHON).parent / "proposal-docs"), "--root", str(repo)]
        console.print(f"{args.cases:,} 件案件,{os.cpu_count()} 核,Python {sys.version.split()[0]}")
        rows = []
        edit = edit_one_case(repo)
        os.environ["PROPOSAL_DOCS_SERVER"] = "0"  # one-shot processes first
        rows.append(("朴素循环 naive docxtpl loop", *measure([PYTHON, __file__, "--naive", str(repo), tmp + "/naive"])))
        rows.append(("完整构建 full build", *measure_median([*cli, "build", "--force", "--no-site"], times=5)))
        rows.append(("无变化重建 no-op rebuild", *measure_median([*cli, "build", "--no-site"])))
        rows.append(("修改一件(单次进程)one-case edit, one-shot", *measure_median([*cli, "build", "--no-site"], edit)))
        os.environ["PROPOSAL_DOCS_SERVER"] = "1"
        server = start_build_server(repo)
        try:
            rows.append(("修改一件(构建服务)one-case edit, served", *measure_median([*cli, "build", "--no-site"], edit)))
            rows.append(("完整构建(构建服务)full build, served",
                         *measure_median([*cli, "build", "--force", "--no-site"], times=3)))
            rows.append(("构建服务本身 the build server", float("nan"), peak_of(server)))
        finally:
            server.terminate()
            server.wait()
        os.environ["PROPOSAL_DOCS_SERVER"] = "0"
        rows.append(("检查 check", *measure([*cli, "check", "--today", "2024-12-31"])))
        site = [*cli, "build", "--today", "2024-12-31"]
        rows.append(("网页与预览(首次) site + pandoc previews", *measure(site)))
        rows.append(("网页无变化 site no-op", *measure(site)))
        documents = sum(1 for _ in (repo / "build").rglob("*.docx"))

    naive, full = rows[0][1], rows[1][1]
    table = Table(title=f"make bench:{documents:,} 个文件")
    for header in ("步骤", "秒", "相对朴素循环", "相对完整构建", "峰值内存 MB"):
        table.add_column(header, justify="right" if header != "步骤" else "left")
    for name, seconds, peak in rows:
        if seconds != seconds:  # nan: a row that only reports memory
            table.add_row(name, "—", "—", "—", f"{peak:.0f}")
        else:
            table.add_row(name, f"{seconds:.3f}", f"{naive / seconds:.1f}×", f"{seconds / full * 100:.1f}%", f"{peak:.0f}")
    console.print(table)
    by_name = {name.split(" ")[0]: seconds for name, seconds, _ in rows}
    percent = lambda key: by_name[key] / full * 100  # noqa: E731
    console.print(f"目标:完整构建 ≥ 10× 朴素循环(实测 {naive / full:.1f}×);无变化重建 ≤ 2%(实测 "
                  f"{percent('无变化重建'):.1f}%);修改一件 ≤ 5%(单次进程 {percent('修改一件(单次进程)one-case'):.1f}%,"
                  f"构建服务 {percent('修改一件(构建服务)one-case'):.1f}%);check ≤ 1 秒(实测 {by_name['检查']:.2f});"
                  f"峰值内存 ≤ 500 MB(实测 {max(r[2] for r in rows):.0f})")


if __name__ == "__main__":
    main()
