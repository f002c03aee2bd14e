"""Smoke test of the benchmark suite: ``bench/run.py --quick`` runs and reports."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_writes_a_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    default_report = ROOT / "bench" / "RESULTS.md"
    before = default_report.stat().st_mtime_ns if default_report.exists() else None
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--sizes", "default", "--out", str(out)],
        cwd=str(ROOT), capture_output=True, text=True, timeout=600,  # a smoke test, not a timing
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "| scenario |" in text
    rows = [line for line in text.splitlines() if line.startswith("| default (minusma_2020)")]
    assert rows, text[:2000]
    assert "| yes |" in rows[0]  # HiGHS, solve_model and CBC agree on the optimum score
    assert "## Targets" in text
    if importlib.util.find_spec("PySide6") is not None:  # without Qt (the headless check) no GUI figures
        assert "## GUI" in text and "Not measured" not in text  # bench/gui.py ran (quick: few repeats)
        assert "Slider → new score on screen" in text and "GUI cold start" in text
    else:
        assert "PySide6 is not installed" in proc.stderr
    assert "| default (minusma_2020)" in proc.stdout  # the table is printed too
    after = default_report.stat().st_mtime_ns if default_report.exists() else None
    assert before == after  # --out kept bench/RESULTS.md untouched
