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


def _analyses_figures(per_sample_s: float, certified_s: float) -> dict:
    return {"load_start": "0.10", "load_end": "0.20", "samples": 100, "cli_samples": 10,
            "solve_s": 1.0, "smaa_s": 1.0 + 10 * per_sample_s, "smaa_line": "", "stability_s": 0.1,
            "stability_method": "exact",
            "lp_rows": [{"name": name, "certified_s": certified_s, "resolved_s": 1.0, "certified": 90,
                         "bases": 3, "current": 60} for name in ("default, fractional units (LP)", "medium")]}


def test_the_analyses_section_judges_each_target_by_its_figure():
    from bench.analyses import report

    slow = "\n".join(report(_analyses_figures(per_sample_s=0.1, certified_s=0.5)))
    assert slow.count("**not met**") == 3 and slow.count("**met**") == 1  # only stability, 100 ms
    fast = "\n".join(report(_analyses_figures(per_sample_s=1e-5, certified_s=0.05)))
    assert "**not met**" not in fast and fast.count("**met**") == 4
    assert "90 of 100" in fast and "20.00×" in fast


def test_the_analyses_section_is_replaced_in_place_and_kept_by_the_main_report(tmp_path):
    from bench.analyses import HEADING, keep_section, write_section

    out = tmp_path / "RESULTS.md"
    out.write_text("# Results\n\n## GUI\n\nfigures\n", encoding="utf-8")
    write_section(out, [HEADING, "", "first", ""])
    write_section(out, [HEADING, "", "second", ""])
    text = out.read_text(encoding="utf-8")
    assert text.count(HEADING) == 1 and "second" in text and "first" not in text
    assert text.startswith("# Results\n\n## GUI\n\nfigures\n")
    assert keep_section(text) == [HEADING, "", "second", ""]
    assert keep_section("# Results\n") == []
