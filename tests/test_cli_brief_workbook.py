"""``brief`` and ``workbook`` on the command line, run as a user runs them: exit codes, one-line
messages, and nothing written on failure."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
from pptx import Presentation

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "data" / "tiny.json"
DEFAULT = ROOT / "tests" / "data" / "minusma_2020_v1.json"


def run(*args, timeout=180):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def refused(proc, *fragments) -> str:
    """The one line a refused command writes (exit 2, nothing on stdout, no traceback)."""
    assert proc.returncode == 2, proc
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert all(f in lines[0] for f in fragments), lines[0]
    return lines[0]


def infeasible(tmp_path) -> Path:
    data = json.loads(TINY.read_text())
    data["rules"] = [{"id": "full", "kind": "floor", "task": "poc", "regions": ["mopti"], "min_satisfaction": 1}]
    path = tmp_path / "infeasible.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_brief_writes_a_deck_against_a_baseline(tmp_path):
    out = tmp_path / "brief.pptx"
    proc = run("brief", "minusma_2020_budget_cut", "--pptx", out, "--baseline", "minusma_2020")
    assert proc.returncode == 0, proc.stderr
    slides = len(Presentation(out).slides)
    assert proc.stdout == f"wrote {out} ({slides} slides)\n"
    titles = [s.shapes.title.text for s in Presentation(out).slides if s.shapes.title is not None]
    assert "Against minusma_2020" in titles


def test_brief_refuses_bad_arguments_and_writes_nothing(tmp_path):
    refused(run("brief", TINY), "--pptx")
    refused(run("brief", TINY, "--pptx", tmp_path / "no" / "brief.pptx"), "--pptx", "does not exist")
    refused(run("brief", TINY, "--pptx", tmp_path / "brief.pptx", "--baseline", tmp_path / "other.json"),
            "other.json", "no such file")
    assert list(tmp_path.iterdir()) == []


def test_brief_of_a_scenario_without_a_plan_exits_3_with_the_deck(tmp_path):
    out = tmp_path / "brief.pptx"
    proc = run("brief", infeasible(tmp_path), "--pptx", out)
    assert proc.returncode == 3, proc.stderr
    assert any(s.shapes.title.text == "No plan: infeasible" for s in Presentation(out).slides)


def test_workbook_export_then_import_gives_back_the_file(tmp_path):
    book, back = tmp_path / "plan.xlsx", tmp_path / "back.json"
    proc = run("workbook", "export", DEFAULT, book)
    assert (proc.returncode, proc.stdout) == (0, f"wrote {book}\n"), proc.stderr
    assert "plan generate" in openpyxl.load_workbook(book).sheetnames
    proc = run("workbook", "import", book, back)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote {back} (5 tasks, 9 regions, 10 capabilities, 4 periods)\n"
    assert back.read_bytes() == DEFAULT.read_bytes()


def test_workbook_import_of_a_bad_workbook_exits_2_and_leaves_the_output_alone(tmp_path):
    book, out = tmp_path / "plan.xlsx", tmp_path / "out.json"
    assert run("workbook", "export", TINY, book).returncode == 0
    wb = openpyxl.load_workbook(book)
    wb["capabilities"]["D2"] = "abc"
    wb.save(book)
    out.write_text("earlier", encoding="utf-8")
    line = refused(run("workbook", "import", book, out))
    assert line == "plan.xlsx: capabilities!D2: 'abc' is not a number"
    assert out.read_text(encoding="utf-8") == "earlier"


def test_workbook_refuses_bad_arguments(tmp_path):
    refused(run("workbook"), "workbook: name what to do")
    refused(run("workbook", "import", tmp_path / "none.xlsx", tmp_path / "out.json"), "none.xlsx", "no such file")
    refused(run("workbook", "import", TINY, tmp_path / "out.json"), "tiny.json: not an Excel workbook (.xlsx)")
    refused(run("workbook", "export", TINY, tmp_path / "no" / "plan.xlsx"), "OUT.xlsx", "does not exist")
    refused(run("workbook", "export", tmp_path / "none.json", tmp_path / "plan.xlsx"), "none.json", "no such file")
    refused(run("workbook", "convert", TINY), "convert")
    assert list(tmp_path.iterdir()) == []


def test_workbook_export_of_a_scenario_without_a_plan_exits_3_with_the_scenario(tmp_path):
    book = tmp_path / "plan.xlsx"
    proc = run("workbook", "export", infeasible(tmp_path), book)
    assert proc.returncode == 3
    assert proc.stdout == f"wrote {book} (the scenario; no plan: infeasible)\n"
    wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
    assert "capabilities" in wb.sheetnames and "plan generate" not in wb.sheetnames
