"""`make bench` keeps working: its naive docxtpl loop (the baseline every ratio is measured
against) runs on a small generated repository and writes one document per planned output."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT_ROOT
from proposal_docs.sample import generate


def test_the_naive_loop_of_the_benchmark_runs(tmp_path):
    repo = generate(tmp_path / "repo", 6, PROJECT_ROOT)
    out = tmp_path / "naive"
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "bench.py"), "--naive", str(repo), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert any("/答复函/" in p for p in built) and any("归档文件目录" in p for p in built)
