"""The allocation as CSV, from the command line and the window alike."""

from __future__ import annotations

import csv
import dataclasses
import io
import subprocess
import sys
from pathlib import Path

from conftest import V1_DEFAULT
from planner import load_scenario
from planner.csv_export import allocation_csv
from planner.solve import solve

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = V1_DEFAULT


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_rows_carry_names_ids_and_units_and_add_up_to_the_plan():
    result = solve(load_scenario(DEFAULT))
    rows = read(allocation_csv(result))
    assert len(rows) == len(result.allocation_rows()) > 0
    first = rows[0]
    s = result.scenario
    assert first["capability"] == s.capability(first["capability_id"]).name
    assert first["region"] == s.region(first["region_id"]).name
    assert first["zone"] == s.region(first["region_id"]).zone
    total = sum(float(r["units"]) for r in rows)
    assert abs(total - float(result.alloc_units.sum())) < 1e-4


def test_a_name_that_looks_like_a_formula_is_written_as_text():
    s = load_scenario(DEFAULT)
    cap = s.capabilities[0]
    s = dataclasses.replace(s, capabilities=(dataclasses.replace(cap, name="=HYPERLINK(\"x\")"),
                                             *s.capabilities[1:]))
    rows = read(allocation_csv(solve(s)))
    named = [r for r in rows if r["capability_id"] == cap.id]
    assert named and all(r["capability"] == "'=HYPERLINK(\"x\")" for r in named)


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_solve_writes_the_csv_with_a_byte_order_mark_for_excel(tmp_path):
    out = tmp_path / "plan.csv"
    proc = run("solve", DEFAULT, "--csv", out)
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read(data.decode("utf-8-sig"))
    assert rows and {"capability", "capability_id", "region_id", "task_id", "period_id", "units"} <= set(rows[0])


def test_a_csv_into_a_missing_folder_or_a_folder_is_one_line_and_writes_nothing(tmp_path):
    for target, words in ((tmp_path / "nope" / "plan.csv", "does not exist"), (tmp_path, "is a folder")):
        proc = run("solve", DEFAULT, "--csv", target)
        assert proc.returncode == 2
        assert len(proc.stderr.strip().splitlines()) == 1 and words in proc.stderr
        assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
