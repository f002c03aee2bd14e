"""The command line, run as a user runs it: ``python main.py ...`` in a subprocess.

No test here opens the GUI: every call names a command or fails before a window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.bundled import DEFAULT_NAME

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
TINY = Path(__file__).resolve().parent / "data" / "tiny.json"
BUNDLED = sorted((ROOT / "scenarios").glob("*.json"))
# Two bundled names, whatever the bundled files hold: the default and another one.
OTHER_NAME = next((p.stem for p in BUNDLED if p.stem != DEFAULT_NAME), DEFAULT_NAME)
MODEL_KEYS = {"status", "score", "objective", "task_scores", "generate", "allocation", "resources",
              "diagnosis", "solve_seconds"}


def run(*args, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, str(MAIN), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env,
    )


def solve_json(*args):
    proc = run("solve", *args, "--json")
    return proc, json.loads(proc.stdout)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert proc.stdout == ""


def write_scenario(path: Path, **changes) -> Path:
    data = json.loads(TINY.read_text())
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# tiny.json by hand: 1 helicopter fielded, up to 5 new from period 1 at 10 each
# with a budget of 10 (so 1 new), effect 2 against a need of 6, returns [1].
# Period 0: 1 unit -> S = 1/3; period 1: 2 units -> S = 2/3. Score 100 * (1/3 + 2/3) / 2 = 50.


def test_solve_prints_a_readable_summary():
    proc = run("solve", TINY)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "score" in proc.stdout.lower()
    assert "50.0" in proc.stdout
    assert "Helicopter" in proc.stdout


def test_solve_json_has_the_contract_keys_and_the_hand_optimum():
    proc, out = solve_json(TINY)
    assert proc.returncode == 0, proc.stderr
    assert MODEL_KEYS <= set(out)
    assert out["status"] == "optimal"
    assert out["score"] == pytest.approx(50.0, abs=1e-6)
    # Z = sum_p pw * S = 1/3 + 2/3 = 1
    assert out["objective"] == pytest.approx(1.0, abs=1e-6)
    assert out["task_scores"] == {"poc": pytest.approx(50.0, abs=1e-6)}
    assert out["generate"] == {"heli": pytest.approx(1.0, abs=1e-6)}
    rows = {(a["capability"], a["region"], a["task"], a["period"]): a["units"] for a in out["allocation"]}
    assert rows == {("heli", "mopti", "poc", "p0"): pytest.approx(1.0, abs=1e-6),
                    ("heli", "mopti", "poc", "p1"): pytest.approx(2.0, abs=1e-6)}
    budget = out["resources"]["budget"]
    assert budget["used"] == pytest.approx(10.0) and budget["capacity"] == 10
    # one more dollar buys 0.1 unit for period 1: +0.2 effect / 6 need = +1/30 S in
    # one of two periods -> 100 / 60 points per dollar
    assert budget["shadow_price"] == pytest.approx(100 / 60, rel=1e-6)
    assert out["diagnosis"] == []
    assert 0 <= out["solve_seconds"] < 10


def test_solve_integer_flag(tmp_path):
    # Budget 15 at 10 a unit, need 4, one period, effect 1, no unit fielded:
    # continuous 1.5 units -> 37.5; whole units 1 -> 25.
    path = write_scenario(
        tmp_path / "int.json",
        periods=[{"id": "p0", "name": "P0"}],
        capabilities=[{"id": "heli", "name": "Helicopter", "category": "air", "existing": 0, "max_new": 5,
                       "lead_time": 0, "effect": {"poc": 1}, "uses": {"budget": 10}}],
        demand={"poc": {"mopti": {"need": 4}}},
        resources=[{"id": "budget", "name": "Budget", "basis": "generated", "capacity": 15, "unit": "USD"}],
    )
    _, cont = solve_json(path)
    proc, whole = solve_json(path, "--integer")
    assert proc.returncode == 0, proc.stderr
    assert cont["score"] == pytest.approx(37.5, abs=1e-6)
    assert whole["score"] == pytest.approx(25.0, abs=1e-6)
    assert whole["generate"] == {"heli": 1.0}


def test_set_changes_the_result():
    # Budget 20: 2 new units; period 1 has 3 units -> S = 1 (capped); period 0 stays 1/3.
    # Score 100 * (1/3 + 1) / 2.
    proc, out = solve_json(TINY, "--set", "resource.budget.capacity=20")
    assert proc.returncode == 0, proc.stderr
    assert out["score"] == pytest.approx(100 * (1 / 3 + 1) / 2, abs=1e-6)
    assert out["generate"] == {"heli": pytest.approx(2.0, abs=1e-6)}
    # a task weight: with one task, its weight does not change the score
    proc, out = solve_json(TINY, "--set", "task.poc.weight=7", "--set", "resource.budget.capacity=0")
    assert proc.returncode == 0, proc.stderr
    # budget 0: 1 unit in both periods -> S = 1/3 -> 33.3
    assert out["score"] == pytest.approx(100 / 3, abs=1e-6)
    assert out["generate"] == {}


def test_infeasible_file_exits_3_with_its_diagnosis(tmp_path):
    # A floor of 50% from period 0, but in period 0 the one fielded unit delivers
    # 2 of a need of 6 (33%); new units arrive from period 1.
    path = write_scenario(
        tmp_path / "floor.json",
        rules=[{"id": "poc-floor", "name": "PoC floor", "kind": "floor", "task": "poc", "zone": "center",
                "min_satisfaction": 0.5}],
    )
    proc = run("solve", path)
    assert proc.returncode == 3, proc
    assert "Traceback" not in proc.stderr
    assert "PoC floor" in proc.stdout and "33%" in proc.stdout and "Period 0" in proc.stdout
    proc, out = solve_json(path)
    assert proc.returncode == 3
    assert MODEL_KEYS <= set(out)
    assert out["status"] == "infeasible"
    assert [d["id"] for d in out["diagnosis"]] == ["poc-floor"]
    assert out["diagnosis"][0]["region"] == "mopti"
    assert out["diagnosis"][0]["period"] == "p0"


def test_malformed_file_exits_2(tmp_path):
    bad = tmp_path / "cut.json"
    bad.write_bytes(TINY.read_bytes()[:-30])
    for command in ("solve", "validate"):
        proc = run(command, bad)
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert "not valid JSON" in proc.stderr
        assert "cut.json" in proc.stderr


def test_invalid_file_lists_every_problem(tmp_path):
    data = json.loads(TINY.read_text())
    data["capabilities"][0]["effect"] = {"poc_cente": 2}
    data["nmae"] = "x"
    path = tmp_path / "typo.json"
    path.write_text(json.dumps(data))
    proc = run("validate", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "2 problems" in proc.stderr
    assert "capabilities[0].effect.poc_cente: unknown task 'poc_cente'" in proc.stderr
    assert "nmae: unknown key" in proc.stderr


def test_wrong_json_type_in_a_rule_is_reported_not_a_traceback(tmp_path):
    # A hand-edited file with a list where a task id belongs.
    path = write_scenario(
        tmp_path / "rule.json",
        rules=[{"id": "f", "kind": "floor", "task": ["poc"], "zone": "center", "min_satisfaction": 0.1}],
    )
    proc = run("validate", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "rules[0].task" in proc.stderr


def test_validate_valid_file():
    proc = run("validate", TINY)
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["solve", TINY, "--set", "task.nope.weight=1"], ["unknown task 'nope'"]),
        (["solve", TINY, "--set", "resource.cash.capacity=1"], ["unknown resource 'cash'"]),
        (["solve", TINY, "--set", "task.poc.weight"], ["--set", "task.poc.weight"]),
        (["solve", TINY, "--set", "task.poc.priority=1"], ["--set"]),
        (["solve", TINY, "--set", "task.poc.weight=lots"], ["'lots' is not a number"]),
        (["solve", TINY, "--set", "task.poc.weight=nan"], ["--set"]),
        (["solve", TINY, "--set", "resource.budget.capacity=-5"], ["--set"]),
        (["solve", TINY, "--set", "resource.budget.capacity=inf"], ["--set"]),
        (["solve", TINY, "--set", "task.poc.weight=0"], ["weight"]),
        (["solve", "does-not-exist.json"], ["does-not-exist.json", "no such file"]),
        (["validate", "does-not-exist.json"], ["no such file"]),
        (["solve", TINY, "extra-argument"], ["extra-argument"]),
        (["solve", TINY, "--bogus"], ["--bogus"]),
        (["solve"], ["file"]),
        (["--bogus"], ["--bogus"]),
        (["frobnicate"], ["frobnicate"]),  # not a command and not a file
        ([TINY, "extra"], ["extra"]),  # the GUI takes one file
    ],
    ids=["unknown-task", "unknown-resource", "no-equals", "bad-field", "not-a-number", "nan", "negative",
         "infinite", "all-weights-zero", "missing-file", "validate-missing", "extra-argument", "bad-option",
         "no-file", "bad-top-option", "unknown-command", "gui-extra"],
)
def test_bad_arguments_are_one_line_and_exit_2(args, fragments):
    assert_one_line_error(run(*args), *fragments)


def test_schema_prints_the_json_schema():
    from planner.schema import json_schema

    proc = run("schema")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json_schema()


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_scenarios_solve(path):
    proc, out = solve_json(path)
    assert proc.returncode == 0, proc.stderr
    assert out["status"] == "optimal"
    assert 0 <= out["score"] <= 100


def test_planner_never_imports_qt_or_the_gui():
    code = (
        "import importlib, pkgutil, sys\n"
        "import planner\n"
        "for m in pkgutil.walk_packages(planner.__path__, 'planner.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "assert len([n for n in sys.modules if n.startswith('planner.')]) >= 10\n"
        "print('LEAKED:' + ','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "LEAKED:"


def test_headless_commands_do_not_import_qt(tmp_path):
    # solve and validate run on machines without a display: no Qt on the way.
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        f"assert main(['solve', {str(TINY)!r}, '--json']) == 0\n"
        f"assert main(['validate', {str(TINY)!r}]) == 0\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'ui'))\n"
        "print('LEAKED:' + ','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "LEAKED:"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland check is Linux-only")
def test_gui_without_a_display_says_so_instead_of_aborting():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, str(MAIN)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "no display" in proc.stderr and "solve" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- bundled scenarios by name (contract v2) -------------------------------------------


def test_scenarios_lists_every_bundled_scenario_one_line_each():
    from planner.bundled import bundled_scenarios

    proc = run("scenarios")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.strip().splitlines()
    bundled = bundled_scenarios()
    assert len(lines) == len(bundled) == len(BUNDLED)
    for line, item in zip(lines, bundled):  # the default first, as bundled_scenarios() orders them
        assert line.split()[0] == item.name
        assert str(item.path) in line and item.title in line


@pytest.mark.parametrize("args", [
    ["solve", DEFAULT_NAME, "--json"],
    ["validate", OTHER_NAME],
    ["analyse", "smaa", DEFAULT_NAME, "--samples", "5", "--workers", "1", "--json"],
    ["compare", DEFAULT_NAME, OTHER_NAME],
], ids=["solve", "validate", "analyse", "compare"])
def test_a_file_argument_may_be_a_bundled_scenario_name(args, tmp_path):
    proc = subprocess.run([sys.executable, str(MAIN), *args], cwd=tmp_path, capture_output=True, text=True,
                          timeout=180, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    if "--json" in args:
        json.loads(proc.stdout)


def test_an_unknown_name_points_to_the_list_of_bundled_scenarios():
    name = "no_such_scenario_1999"
    assert name not in {p.stem for p in BUNDLED}
    assert_one_line_error(run("solve", name), f"'{name}'", "no such file", "scenarios")


def test_the_cli_default_scenario_is_the_bundled_one():
    import planner.bundled
    import planner.cli

    assert planner.cli.default_scenario_path is planner.bundled.default_scenario_path
    assert "scenarios" in planner.cli.COMMANDS
