"""Solves that start from the last solve's basis (``StartBases``: a drag's re-solves, the
alternatives' fixed-unit plans) reach the optimum a cold solve reaches: the same status, score,
purchases and repatriations, on the bundled scenario and on random v2 scenarios moved as a
user moves them (a weight, a capacity), including to and from infeasible. (Where the tie-break
leaves equally good vertices, the allocation may be another of them: the window solves the
plan it leaves on screen cold, tests/test_ui_main.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.bundled import default_scenario_path
from planner.fileio import load_scenario, scenario_from_dict
from planner.model import build_model
from planner.solve import StartBases, solve_model
from tests.support.profiles import examples
from tests.support.strategies.v2 import v2_scenario_dicts


def _same_plan(warm, cold) -> None:
    assert warm.status == cold.status
    if not cold.ok:
        return
    assert warm.score == pytest.approx(cold.score, rel=1e-9, abs=1e-9)
    gw = {c: round(u, 6) for c, u in warm.generate.items() if u > 1e-6}
    gc = {c: round(u, 6) for c, u in cold.generate.items() if u > 1e-6}
    assert gw == gc
    rw = {c: round(u, 6) for c, u in warm.repatriate.items() if u > 1e-6}
    rc = {c: round(u, 6) for c, u in cold.repatriate.items() if u > 1e-6}
    assert rw == rc
    if cold.status_quo is not None:
        assert warm.status_quo.score == pytest.approx(cold.status_quo.score, rel=1e-9, abs=1e-9)


def _moves(s):
    """What a user does to a scenario in a minute: weights up and down, a capacity cut and restored."""
    t0, t1 = s.tasks[0], s.tasks[-1]
    money = s.resources[0] if s.resources else None
    yield s.with_task_weight(t0.id, t0.weight * 1.5 + 1)
    yield s.with_task_weight(t1.id, t1.weight * 0.25)
    if money is not None:
        yield s.with_resource_capacity(money.id, money.capacity * 0.6)
        yield s.with_resource_capacity(money.id, money.capacity * 0.05)
        yield s.with_resource_capacity(money.id, money.capacity)
    yield s


@pytest.mark.parametrize("whole", [False, True], ids=["continuous", "whole units"])
def test_a_solve_started_from_the_last_basis_gives_the_cold_plan_on_the_bundled_scenario(whole):
    s = load_scenario(default_scenario_path()).with_integer_units(whole)
    starts = StartBases()
    first = solve_model(build_model(s), starts=starts)
    assert starts.get(build_model(s)) is not None  # the solve left its basis for the next
    _same_plan(first, solve_model(build_model(s)))
    for moved in _moves(s):
        model = build_model(moved)
        _same_plan(solve_model(model, starts=starts), solve_model(model))


def test_the_continuous_drag_warms_the_whole_units_solve_on_release():
    s = load_scenario(default_scenario_path())
    starts = StartBases()
    t = s.tasks[1]
    for k in range(1, 4):  # the drag: continuous units
        solve_model(build_model(s.with_task_weight(t.id, t.weight + k).with_integer_units(False)), starts=starts)
    released = build_model(s.with_task_weight(t.id, t.weight + 3))
    _same_plan(solve_model(released, starts=starts), solve_model(released))


def test_a_basis_of_another_scenario_of_the_same_shape_is_only_a_start():
    # Two unrelated random scenarios may share a shape: the remembered basis must not change the optimum.
    a = load_scenario(default_scenario_path()).with_integer_units(False)
    model = build_model(a)
    starts = StartBases()
    rng = np.random.default_rng(3)
    # A basis of the same shape that is no optimum of anything: every column at a bound but some.
    solve_model(model, starts=starts)
    basis = starts.get(model)
    status = list(basis.col_status)
    for i in rng.choice(len(status), size=len(status) // 3, replace=False):
        status[i] = type(status[i])(0)  # at its lower bound
    basis.col_status = status
    starts.keep(model, basis)
    moved = build_model(a.with_task_weight(a.tasks[2].id, 9.0))
    _same_plan(solve_model(moved, starts=starts), solve_model(moved))


def test_start_bases_keep_the_newest_shapes_only():
    starts = StartBases(shapes=1)
    default = build_model(load_scenario(default_scenario_path()))
    west = build_model(load_scenario(default_scenario_path().with_name("minusma_2020_west.json")))
    assert (west.n_vars, west.A.shape[0]) != (default.n_vars, default.A.shape[0])
    solve_model(default, starts=starts)
    solve_model(west, starts=starts)
    assert starts.get(west) is not None and starts.get(default) is None


@examples(default=25, fuzz=300)
@given(v2_scenario_dicts(), st.data())
def test_warm_and_cold_solves_agree_on_random_scenarios(d, data):
    s = scenario_from_dict(d)
    starts = StartBases()
    solve_model(build_model(s), starts=starts)
    for moved in _moves(s):
        if data.draw(st.booleans(), label="relax whole units"):
            moved = moved.with_integer_units(False)
        model = build_model(moved)
        _same_plan(solve_model(model, starts=starts), solve_model(model))
