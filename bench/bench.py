"""`make bench`: how fast is a build, measured against the loop a user would write, in one run.

Every step runs in a fresh process, one-shot, as CI and the first build of the day do (CI=true is
set for all of them). Three repositories are generated in a temporary folder:

1. N cases in one year (default 1,000): the naive docxtpl loop (DocxTemplate(path), render, save
   per document, sequential, same contexts, run once), a full build, a no-op rebuild against
   `python -c pass` (and `import click` alone: the floor of any no-op with click), a one-case
   edit, `check`, and the site (first and unchanged). Full builds and edits are measured in
   turns, and an edit's ratio is the median of the turns' ratios.
2. 5,000 cases over 5 years: a full build and a one-case edit in the last year.
3. 20,000 cases over 5 years: the peak memory of a first build (nothing cached) and of a full
   build (`--force`, as above). `--no-memory` or BENCH_MEMORY=0 leaves it out: it adds about three
   minutes on 2 cores (generating the cases, then two builds of 28,700 documents).

Short steps are repeated and their median taken; documents only (--no-site) unless said. Prints
seconds, ratios and peak memory (the largest single process: the build or one of its workers).
Ratios, not seconds, are what to compare: a loaded machine moves seconds, rarely ratios.

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


def measure(command: list[str], ok: tuple[str, ...] = ("0",)) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and all its workers, in a fresh process.

    A command that exits otherwise than ok stops the benchmark: a failed build is fast, and its
    time would read as a result.

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
    if out[2] not in ok:
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


def measure_edit(cli: list[str], edit, times: int) -> tuple[tuple, tuple, float]:
    """A full build and a one-case edit, measured in turns: (full seconds, peak), (edit seconds,
    peak), and the median of each turn's edit/full ratio. Taken in turns, each ratio divides two
    runs made under the same load; dividing one median by another shared a single full-build
    sample between this ratio and the naive loop's, which moved them in opposite directions."""
    fulls, edits = [], []
    for _ in range(times):
        fulls.append(measure([*cli, "build", "--force", "--no-site"]))
        edit()
        edits.append(measure([*cli, "build", "--no-site"]))
    ratio = statistics.median(e[0] / f[0] for e, f in zip(edits, fulls)) * 100
    return ((statistics.median(f[0] for f in fulls), max(f[1] for f in fulls)),
            (statistics.median(e[0] for e in edits), max(e[1] for e in edits)), ratio)


def edit_one_case(repo: Path, year: int = 2024):
    """Each call rewords the same reply, as a clerk would between two builds."""
    folder = repo / "cases" / str(year)
    case = next(p for p in sorted(folder.glob("c*.yaml")) if "开展了专题调研" in p.read_text("utf-8"))
    words = ["开展了专题调研", "开展了深入调研"]

    def edit() -> None:
        text = case.read_text(encoding="utf-8")
        old = next(w for w in words if w in text)
        case.write_text(text.replace(old, words[1 - words.index(old)]), encoding="utf-8")

    return edit


def naive_loop(root: Path, out: Path) -> None:
    """What a user would write with docxtpl alone: one DocxTemplate per document."""
    from docxtpl import DocxTemplate

    from proposal_docs.engine.plan import LETTER_TEMPLATES, plan
    from proposal_docs.model.layout import template_path
    from proposal_docs.render.batch import Templates
    from proposal_docs.render.contexts import context_for
    from proposal_docs.render.filters import make_environment
    from proposal_docs.rules.checking import load_repository

    repo = load_repository(root)
    env = make_environment()
    cases = {item.rel: item for item in repo.all_cases()}
    letters = Templates().get(repo.root, LETTER_TEMPLATES)  # the archive index counts their pages
    for output in plan(repo):
        rendered = context_for(repo, output, cases, letters)
        template = DocxTemplate(template_path(root, output.template))
        template.render(rendered.context, env, autoescape=True)
        target = out / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        template.save(target)


def command_line(repo: Path) -> list[str]:
    # the console script, as `make build` runs it (python -m would add runpy's imports)
    return [str(Path(PYTHON).parent / "proposal-docs"), "--root", str(repo)]


def one_year(tmp: Path, cases: int, console: Console) -> tuple[list, int, float]:
    """The rows of the N-case repository, how many documents it has, and the one-case edit's ratio."""
    from proposal_docs.sample import generate

    repo = generate(tmp / "one-year", cases, ROOT)
    cli = command_line(repo)
    console.print(f"① {cases:,} 件案件,1 个年度")
    naive = measure([PYTHON, __file__, "--naive", str(repo), str(tmp / "naive")])
    full, edit, edit_ratio = measure_edit(cli, edit_one_case(repo), times=7)
    rows = [("朴素循环 naive docxtpl loop", *naive),
            ("完整构建 full build", *full),
            ("无变化重建 no-op rebuild", *measure_median([*cli, "build", "--no-site"])),
            ("空进程 python -c pass", *measure_median([PYTHON, "-c", "pass"])),
            ("导入 click import click", *measure_median([PYTHON, "-c", "import click"])),
            ("修改一件 one-case edit", *edit),
            ("检查 check", *measure([*cli, "check", "--today", "2024-12-31"], ok=("0", "1")))]
    site = [*cli, "build", "--today", "2024-12-31"]
    rows.append(("网页与预览(首次) site + previews, first", *measure(site)))
    rows.append(("网页无变化 site no-op", *measure(site)))
    documents = sum(1 for _ in (repo / "build").rglob("*.docx"))
    return rows, documents, edit_ratio


def five_years(tmp: Path, cases: int, console: Console) -> tuple[list, float]:
    from proposal_docs.sample import generate

    repo = generate(tmp / "five-years", cases, ROOT, years=5)
    cli = command_line(repo)
    console.print(f"② {cases:,} 件案件,5 个年度")
    full, edit, ratio = measure_edit(cli, edit_one_case(repo), times=5)
    return [("完整构建 full build", *full), ("修改一件 one-case edit", *edit)], ratio


def memory_run(tmp: Path, cases: int, console: Console) -> list:
    from proposal_docs.sample import generate

    started = time.perf_counter()
    repo = generate(tmp / "memory", cases, ROOT, years=5)
    console.print(f"③ {cases:,} 件案件,5 个年度(生成用时 {time.perf_counter() - started:.0f} 秒)")
    cli = command_line(repo)
    return [("首次构建 first build", *measure([*cli, "build", "--no-site"])),
            ("完整构建 full build", *measure([*cli, "build", "--force", "--no-site"]))]


def print_rows(console: Console, title: str, rows: list, full: float, naive: float | None = None) -> None:
    table = Table(title=title)
    for header in ("步骤", "秒", "相对朴素循环", "相对完整构建", "峰值内存 MB"):
        table.add_column(header, justify="right" if header != "步骤" else "left")
    for name, seconds, peak in rows:
        speed = f"{naive / seconds:.1f}×" if naive else "—"
        table.add_row(name, f"{seconds:.3f}", speed, f"{seconds / full * 100:.1f}%", f"{peak:.0f}")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--cases", type=int, default=int(os.environ.get("BENCH_CASES", 1000)))
    parser.add_argument("--years-cases", type=int, default=int(os.environ.get("BENCH_YEARS_CASES", 5000)),
                        help="cases of the five-year repository")
    parser.add_argument("--memory-cases", type=int, default=int(os.environ.get("BENCH_MEMORY_CASES", 20000)),
                        help="cases of the five-year memory run")
    parser.add_argument("--no-memory", action="store_true", default=os.environ.get("BENCH_MEMORY") == "0",
                        help="leave out the memory run")
    parser.add_argument("--naive", nargs=2, metavar=("ROOT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        naive_loop(Path(args.naive[0]), Path(args.naive[1]))
        return

    import compileall

    import proposal_docs

    compileall.compile_dir(Path(proposal_docs.__file__).parent, quiet=1)
    os.environ["CI"] = "true"  # as the targets are stated: one-shot, as on a CI machine
    console = Console()
    console.print(f"{os.cpu_count()} 核,Python {sys.version.split()[0]},CI={os.environ['CI']}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="proposal-docs-bench-") as name:
        tmp = Path(name)
        rows, documents, edit = one_year(tmp, args.cases, console)
        years, edit_years = five_years(tmp, args.years_cases, console)
        memory = None if args.no_memory else memory_run(tmp, args.memory_cases, console)

    by_name = {name.split(" ")[0]: seconds for name, seconds, _ in rows}
    naive, full = by_name["朴素循环"], by_name["完整构建"]
    print_rows(console, f"① {args.cases:,} 件案件,{documents:,} 个文件", rows, full, naive)
    print_rows(console, f"② {args.years_cases:,} 件案件,5 个年度", years, years[0][1])
    if memory:
        print_rows(console, f"③ {args.memory_cases:,} 件案件,5 个年度", memory, memory[1][1])

    def verdict(ok: bool) -> str:
        return "[green]达标[/]" if ok else "[red]未达标[/]"

    speed = naive / full
    noop = by_name["无变化重建"] / by_name["空进程"]
    click = by_name["导入"] / by_name["空进程"]
    console.print(f"完整构建相对朴素循环 {speed:.1f}×(目标 ≥ 15×){verdict(speed >= 15)}")
    console.print(f"无变化重建相对 python -c pass {noop:.1f}×(目标 ≤ 4×){verdict(noop <= 4)};"
                  f"单是 import click 已是 {click:.1f}×")
    console.print(f"修改一件相对完整构建(轮流测量,各轮比值的中位数),{args.cases:,} 件 {edit:.1f}%(目标 ≤ 25%)"
                  f"{verdict(edit <= 25)}")
    console.print(f"修改一件相对完整构建,{args.years_cases:,} 件 5 个年度 {edit_years:.1f}%(目标 ≤ 12%)"
                  f"{verdict(edit_years <= 12)}")
    if memory:
        peak = memory[1][2]
        console.print(f"峰值内存,{args.memory_cases:,} 件 5 个年度完整构建 {peak:.0f} MB(目标 ≤ 450 MB)"
                      f"{verdict(peak <= 450)};首次构建(无缓存){memory[0][2]:.0f} MB")
    console.print(f"总用时 {time.perf_counter() - started:.0f} 秒")


if __name__ == "__main__":
    main()
