"""`main.py analyse` and `main.py compare`: results, JSON, pictures and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import V1_BUDGET_CUT, V1_DEFAULT

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = V1_DEFAULT


def run(*args, timeout=180):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=env)


def test_budget_curve_json_is_concave_in_this_lp():
    proc = run("analyse", "budget", DEFAULT, "--points", "7", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    scores = [p["score"] for p in data["points"]]
    assert len(scores) == 7
    steps = [b - a for a, b in zip(scores, scores[1:])]
    assert all(s >= -1e-6 for s in steps)  # more budget never hurts
    assert all(b <= a + 1e-6 for a, b in zip(steps, steps[1:]))  # and buys less and less


def test_smaa_text_and_png(tmp_path):
    from matplotlib.image import imread

    out = tmp_path / "smaa.png"
    proc = run("analyse", "smaa", DEFAULT, "--samples", "60", "--workers", "1", "--png", out,
               "--size", "1280x720", "--dpi", "100")
    assert proc.returncode == 0, proc.stderr
    assert "Robustness: 60 weightings" in proc.stdout
    assert imread(out).shape[:2] == (720, 1280)


def test_panel_regret_and_compare():
    proc = run("analyse", "panel", DEFAULT, "--json")
    assert proc.returncode == 0, proc.stderr
    members = json.loads(proc.stdout)["members"]
    assert members and all(m["regret"] >= -1e-6 for m in members)
    proc = run("compare", DEFAULT, V1_BUDGET_CUT)
    assert proc.returncode == 0, proc.stderr
    assert "Scenario comparison" in proc.stdout


@pytest.mark.parametrize("args, fragment", [
    (["analyse", "pareto", DEFAULT], "pareto needs --tasks A,B"),
    (["analyse", "pareto", DEFAULT, "--tasks", "peace_agreement,pooc"], "unknown task 'pooc'"),
    (["analyse", "budget", DEFAULT, "--resource", "nope"], "nope"),
    (["analyse", "smaa", DEFAULT, "--samples", "0"], "--samples 0"),
    (["analyse", "smaa", DEFAULT, "--workers", "0"], "--workers 0"),
    (["analyse", "nonsense", DEFAULT], "invalid choice"),
    (["compare", DEFAULT, "missing.json"], "no such file"),
])
def test_bad_arguments_are_one_line_and_exit_2(args, fragment):
    proc = run(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_an_infeasible_scenario_exits_3(tmp_path):
    data = json.loads(DEFAULT.read_text())
    data["rules"].append({"id": "impossible", "kind": "min_units", "capability": "infantry_battalion",
                          "region": "mopti", "units": 1000})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    proc = run("analyse", "stability", bad)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr


# -- impossible scenarios: every analysis refuses with the cause, exit 3 ---------------


@pytest.fixture(scope="module")
def impossible(tmp_path_factory) -> Path:
    """The default scenario with 10 infantry battalions required in Mopti (it can field 4)."""
    data = json.loads(DEFAULT.read_text())
    rule = next(r for r in data["rules"] if r["id"] == "mopti-presence")
    rule["units"] = 10
    path = tmp_path_factory.mktemp("impossible") / "impossible.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def main_in_process(args, capsys):
    from planner.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("args", [
    ["analyse", "budget"],
    ["analyse", "budget", "--json"],
    ["analyse", "stability"],
    ["analyse", "smaa", "--samples", "20", "--workers", "1"],
    ["analyse", "pareto", "--tasks", "poc_center,peace_agreement"],
    ["analyse", "panel"],
    ["compare"],
], ids=["budget", "budget-json", "stability", "smaa", "pareto", "panel", "compare"])
def test_every_analysis_of_an_impossible_scenario_exits_3_with_the_cause(args, impossible, capsys):
    if args[0] == "analyse":
        args = [*args[:2], impossible, *args[2:]]
    else:
        args = [*args, impossible, DEFAULT]
    code, out, err = main_in_process(args, capsys)
    assert code == 3, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Infantry battalion in Mopti" in lines[0] and "4 of 10" in lines[0]


def test_compare_with_an_impossible_other_scenario_shows_it_and_exits_3(impossible, capsys):
    code, out, err = main_in_process(["compare", DEFAULT, impossible], capsys)
    assert code == 3
    assert "Scenario comparison" in out and "no plan" in out
    assert "Infantry battalion in Mopti" in out  # the diagnosis beside the comparison
    assert "impossible.json" in err  # which of the compared files has no plan
    assert len(err.strip().splitlines()) == 1
