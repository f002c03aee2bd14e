"""The HiGHS wrapper (planner.lp): statuses, quiet instances, time limits, warm starts, both backends."""

from __future__ import annotations

import ast
import functools
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import V1_DEFAULT
from bench.generate import generate, generate_size, infeasible_variant
from planner import Status, load_scenario
from planner.analyses import SweepSolver
from planner.fileio import scenario_from_dict
from planner.lp import highs, stages, whole
from planner.lp.highs import (
    BACKENDS, ERROR, INFEASIBLE, OPTIMAL, SCIPY_CODES, SIMPLEX_DUAL, SIMPLEX_PRIMAL, STATUS_TABLE, TIME_LIMIT,
    status_of,
)
from planner.model import build_model
from planner.result import Result
from planner.solve import solve_model, solve_scenario

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = V1_DEFAULT
TINY = ROOT / "tests" / "data" / "tiny.json"
needs_highspy = pytest.mark.skipif("highspy" not in BACKENDS, reason="highspy is not installed")


@functools.cache
def small_scenarios():
    """A few small generated scenarios: feasible, infeasible, with whole units."""
    out = []
    for seed in range(3):
        d = generate(3 + seed, 2 + seed, 3, 2 + seed, seed=seed)
        out += [scenario_from_dict(d), scenario_from_dict(infeasible_variant(d))]
    out.append(scenario_from_dict(generate(4, 2, 3, 2, seed=7)).with_integer_units(True))
    return out


# -- statuses -------------------------------------------------------------------------


@needs_highspy
def test_the_status_table_maps_every_highs_model_status():
    hs = highs.highspy()
    names = set(hs.HighsModelStatus.__members__)
    assert names <= set(STATUS_TABLE), f"statuses of this HiGHS not in the table: {names - set(STATUS_TABLE)}"
    expected = {"kOptimal": OPTIMAL, "kInfeasible": INFEASIBLE, "kUnboundedOrInfeasible": INFEASIBLE,
                "kTimeLimit": TIME_LIMIT}
    for name, member in hs.HighsModelStatus.__members__.items():
        assert status_of(member) is status_of(name) is expected.get(name, ERROR), name


def test_scipy_codes_map_through_the_same_table():
    assert [status_of(code) for code in range(5)] == [OPTIMAL, TIME_LIMIT, INFEASIBLE, ERROR, ERROR]
    assert set(SCIPY_CODES.values()) <= set(STATUS_TABLE)
    assert status_of(99) is ERROR and status_of("kSomethingNew") is ERROR


def test_a_status_is_its_word():
    assert Status.OPTIMAL == "optimal" and str(Status.TIME_LIMIT) == "time_limit"
    assert f"No plan: {Status.INFEASIBLE}." == "No plan: infeasible."
    assert json.dumps({"status": Status.ERROR}) == '{"status": "error"}'
    s = load_scenario(TINY)
    assert Result("optimal", "", s).status is Status.OPTIMAL  # a word given is taken as its Status
    res = solve_scenario(s)
    assert res.status is Status.OPTIMAL and res.to_json()["status"] == "optimal"


# -- importing -------------------------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_importing_the_planner_leaves_stdout_alone_and_loads_no_solver():
    proc = run_python(
        "import os, sys\n"
        "fd, stream = os.fstat(1), sys.stdout\n"
        "import planner, planner.solve, planner.diagnose, planner.summary, planner.analyses, planner.lp\n"
        "now = os.fstat(1)\n"
        "assert (now.st_dev, now.st_ino) == (fd.st_dev, fd.st_ino) and sys.stdout is stream\n"
        "print('loaded:', sorted(n for n in ('highspy', 'scipy.optimize') if n in sys.modules))\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "loaded: []\n"


@needs_highspy
def test_the_first_instance_is_made_at_the_first_solve_and_its_banner_is_silenced():
    proc = run_python(
        "import highspy\n"
        "made = []\n"
        "class Counted(highspy.Highs):\n"
        "    def __init__(self):\n"
        "        made.append(1)\n"
        "        super().__init__()\n"
        "highspy.Highs = Counted\n"
        "import planner, planner.analyses\n"
        "assert not made, 'an instance at import'\n"
        f"res = planner.solve_scenario(planner.load_scenario({str(TINY)!r}))\n"
        "assert res.ok and made\n"
        "print('solved')\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "solved\n"  # no "Running HiGHS ..." banner


def test_only_the_wrapper_imports_a_solver():
    solver_imports = []
    for path in sorted((ROOT / "planner").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            if any(n.split(".")[0] == "highspy" or n.startswith("scipy.optimize") for n in names):
                solver_imports.append(path.relative_to(ROOT).as_posix())
    assert set(solver_imports) == {"planner/lp/highs.py"}


def test_the_solve_module_is_not_hidden_by_its_function():
    import planner
    import planner.solve as module

    assert planner.solve is module and module.solve is module.solve_scenario is planner.solve_scenario
    s = load_scenario(TINY)
    assert planner.solve(s).score == module.solve(s).score  # the module still solves when called


# -- time limits ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, "10", None, True])
def test_a_time_limit_must_be_a_finite_number_of_seconds(bad):
    model = build_model(load_scenario(TINY))
    with pytest.raises(ValueError, match=r"time_limit: expected a finite number of seconds > 0"):
        solve_model(model, time_limit=bad)
    with pytest.raises(ValueError, match="time_limit"):
        solve_scenario(load_scenario(TINY), time_limit=bad)


@needs_highspy
def test_the_sweeps_check_their_time_limit_too():
    with pytest.raises(ValueError, match="time_limit"):
        SweepSolver(build_model(load_scenario(TINY)), time_limit=-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_lp_that_hits_its_time_limit_says_so_in_words(backend):
    model = build_model(scenario_from_dict(generate_size("medium")))
    assert not model.integrality.any()
    res = solve_model(model, time_limit=1e-6, backend=backend)
    assert res.status is TIME_LIMIT and not res.ok
    assert "time limit" in res.message and "allow more time" in res.message
    assert res.alloc_units.size == 0 and res.to_json()["status"] == "time_limit"
    assert solve_model(model, backend=backend).status is OPTIMAL  # the same model, given its time


# -- warm starts ----------------------------------------------------------------------------


@needs_highspy
def test_a_warm_stage_1_reaches_the_cold_optimum_with_fewer_iterations():
    model = build_model(load_scenario(DEFAULT))
    warm = stages.stage1_model(model)
    assert warm.run().status is OPTIMAL
    rng = np.random.default_rng(3)
    warm_its = cold_its = 0
    for w in rng.dirichlet(np.ones(len(model.scenario.tasks)), 5):
        mw = model.with_weights(w)
        warm.set_costs(np.arange(model.n_vars), -mw.score_coef)
        a = warm.run(SIMPLEX_PRIMAL)  # only costs changed: the old basis is primal feasible
        b = stages.stage1_model(mw).run()
        assert a.status is b.status is OPTIMAL
        assert mw.score_coef @ a.x == pytest.approx(mw.score_coef @ b.x, abs=1e-9)
        warm_its += a.iterations
        cold_its += b.iterations
    assert warm_its < cold_its
    # another right-hand side: only bounds change, the old basis is dual feasible
    rows = np.arange(model.block("resource", "adaptation_budget").start,
                     model.block("resource", "adaptation_budget").stop)
    for cap in (20e6, 90e6):
        b = model.b.copy()
        b[rows] = cap
        warm.set_costs(np.arange(model.n_vars), -model.score_coef)
        warm.set_row_bounds(rows, np.full(rows.size, -np.inf), b[rows])
        a = warm.run(SIMPLEX_DUAL)
        c = stages.stage1_model(model, b).run()
        assert a.status is c.status is OPTIMAL
        assert model.score_coef @ a.x == pytest.approx(model.score_coef @ c.x, abs=1e-9)


@needs_highspy
def test_warm_sweeps_give_the_plan_of_cold_solves_after_weight_changes():
    s = load_scenario(DEFAULT)
    model = build_model(s)
    cost = stages.tie_break_cost(model)
    warm, cold = SweepSolver(model), SweepSolver(model, warm=False)
    rng = np.random.default_rng(11)
    for w in rng.dirichlet(np.ones(len(s.tasks)), 6):
        a, b = warm.solve_weights(w), cold.solve_weights(w)
        c = solve_model(model.with_weights(w))
        assert a.status is b.status is c.status is OPTIMAL
        assert a.score == pytest.approx(b.score, abs=1e-7) and a.score == pytest.approx(c.score, abs=1e-7)
        np.testing.assert_allclose(a.generate, b.generate, atol=1e-6)
        np.testing.assert_allclose(a.task_scores, b.task_scores, atol=1e-6)
        # the same tie-break optimum: fewest generated, then employed units
        assert cost @ a.v == pytest.approx(cost @ b.v, rel=1e-7, abs=1e-7)
        generated = np.array([c.generate.get(x.id, 0.0) for x in s.capabilities])
        tidy_cold = cost[model.g_slice] @ generated + c.alloc_units.sum()
        assert cost @ a.v == pytest.approx(tidy_cold, rel=1e-6, abs=1e-6)


# -- both backends -----------------------------------------------------------------------------


@needs_highspy
@pytest.mark.parametrize("k", range(7))
def test_highspy_and_scipy_agree_on_small_cases(k):
    s = small_scenarios()[k]
    model = build_model(s)
    c, lower, upper = -model.score_coef, model.lower, model.upper
    if model.integrality.any():  # warm nodes in one instance, and cold nodes by linprog
        a = whole.milp(c, model.A, model.b, lower, upper, model.integrality, warm=True)
        b = whole.milp(c, model.A, model.b, lower, upper, model.integrality, warm=False)
        assert a.duals is None and b.duals is None
    else:
        a = stages.stage1_model(model).run()
        b = highs.linprog(c, model.A, model.b, lower, upper)
    assert a.status is b.status
    if a.status is OPTIMAL:
        assert c @ a.x == pytest.approx(c @ b.x, abs=1e-7)
    else:
        assert a.status is INFEASIBLE and a.x is None and b.x is None
    if not model.integrality.any():
        one, two = solve_model(model, backend="highspy"), solve_model(model, backend="scipy")
        assert one.status is two.status
        assert one.score == pytest.approx(two.score, abs=1e-7)
        assert one.generate.keys() == two.generate.keys()
        assert [p.key for p in one.diagnosis] == [p.key for p in two.diagnosis]


def test_the_time_limit_is_per_run_not_summed_over_an_instances_runs():
    # HiGHS compares its limit with the instance's run time summed over every run: a sweep's
    # instance that had solved for the limit in all then failed every later run at once.
    model = build_model(load_scenario(DEFAULT))
    hm = stages.stage1_model(model, time_limit=0.5)
    runs = 0
    while hm.highs.getRunTime() < 1.5:  # three times the limit in all
        hm.forget_basis()
        out = hm.run()
        runs += 1
        assert out.status == OPTIMAL, (runs, hm.highs.getRunTime(), out.message)
    hm.set_option("time_limit", 1e-6)  # and a single run is still held to its limit
    hm.forget_basis()
    assert hm.run().status == TIME_LIMIT
