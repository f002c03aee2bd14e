"""The branch and bound for whole units (planner.lp.whole): hand-solved cases, and random
small models against enumerating every whole vector."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from planner.lp import whole
from planner.lp.highs import ERROR, HAVE_HIGHSPY, INFEASIBLE, OPTIMAL, TIME_LIMIT, Outcome, linprog

WARM = [True, False] if HAVE_HIGHSPY else [False]


def solve(c, A, b, lower, upper, integrality, warm, **kw):
    return whole.milp(np.asarray(c, float), sp.csr_matrix(np.asarray(A, float)), np.asarray(b, float),
                      np.asarray(lower, float), np.asarray(upper, float), np.asarray(integrality), warm=warm, **kw)


@pytest.mark.parametrize("warm", WARM)
def test_a_knapsack_worked_by_hand(warm):
    # max 5a + 4b + 3c  s.t.  2a + 3b + c <= 5,  4a + b + 2c <= 11,  3a + 4b + 2c <= 8,  a, b, c whole >= 0.
    # The LP's optimum is a = 2, b = 0, c = 1 (13), already whole; with c <= 0.5 the LP puts
    # a = 2.5 (12.5) and the whole optimum is a = 2, b = 0, c = 0 (10) or a = 1, b = 1 (9): 10.
    A = [[2, 3, 1], [4, 1, 2], [3, 4, 2]]
    out = solve([-5, -4, -3], A, [5, 11, 8], [0, 0, 0], [10, 10, 10], [1, 1, 1], warm)
    assert out.status is OPTIMAL
    assert out.x == pytest.approx([2, 0, 1])
    out = solve([-5, -4, -3], A, [5, 11, 8], [0, 0, 0], [10, 10, 0.5], [1, 1, 1], warm)
    assert out.status is OPTIMAL
    assert out.x == pytest.approx([2, 0, 0])


@pytest.mark.parametrize("warm", WARM)
def test_a_fractional_lp_optimum_is_branched_to_the_whole_one(warm):
    # max x + y  s.t.  2x + 2y <= 3, x, y whole: the LP gives 1.5, the whole optimum 1.
    # With y continuous the optimum is x = 0 or 1 and y filling the rest: 1.5.
    out = solve([-1, -1], [[2, 2]], [3], [0, 0], [5, 5], [1, 1], warm)
    assert out.status is OPTIMAL and -out.x.sum() == pytest.approx(-1.0)
    assert np.all(out.x == np.round(out.x))  # whole columns exactly whole
    out = solve([-1, -1], [[2, 2]], [3], [0, 0], [5, 5], [1, 0], warm)
    assert out.status is OPTIMAL and out.x.sum() == pytest.approx(1.5)


@pytest.mark.parametrize("warm", WARM)
def test_no_whole_number_in_range_is_infeasible(warm):
    # 0.2 <= x <= 0.8 has no whole number; 2x = 1 (two rows) has no whole solution.
    assert solve([1], [[1]], [10], [0.2], [0.8], [1], warm).status is INFEASIBLE
    out = solve([1], [[2], [-2]], [1, -1], [0], [5], [1], warm)
    assert out.status is INFEASIBLE and out.x is None


@pytest.mark.parametrize("warm", WARM)
def test_a_fractional_bound_is_rounded_inwards(warm):
    out = solve([-1], [[1]], [10], [0], [1.5], [1], warm)
    assert out.status is OPTIMAL and out.x == pytest.approx([1.0])
    out = solve([1], [[1]], [10], [0.5], [3], [1], warm)
    assert out.status is OPTIMAL and out.x == pytest.approx([1.0])


def brute_force(c, A, b, lower, upper, integer):
    """The optimum by fixing every whole vector in range and solving the rest as an LP."""
    ints = np.flatnonzero(integer)
    ranges = [range(int(np.ceil(lower[j])), int(np.floor(upper[j])) + 1) for j in ints]
    best = None
    for combo in itertools.product(*ranges):
        lo, hi = lower.copy(), upper.copy()
        lo[ints] = hi[ints] = combo
        out = linprog(c, sp.csr_matrix(A), b, lo, hi)
        if out.status is OPTIMAL:
            value = float(c @ out.x)
            best = value if best is None else min(best, value)
    return best


@pytest.mark.parametrize("warm", WARM)
@pytest.mark.parametrize("seed", range(40))
def test_random_small_models_match_enumeration(seed, warm):
    rng = np.random.default_rng(seed)
    n_int, n_cont, m = int(rng.integers(1, 4)), int(rng.integers(0, 3)), int(rng.integers(1, 5))
    n = n_int + n_cont
    A = rng.uniform(-1, 3, size=(m, n)).round(2)
    b = rng.uniform(1, 8, size=m).round(2)
    c = -rng.uniform(0, 4, size=n).round(2)  # maximise a positive score
    lower = np.zeros(n)
    upper = np.r_[rng.integers(1, 5, size=n_int) + rng.choice([0, 0.5], size=n_int), rng.uniform(1, 4, n_cont)]
    integer = np.r_[np.ones(n_int, np.uint8), np.zeros(n_cont, np.uint8)]
    expected = brute_force(c, A, b, lower, upper, integer)
    out = solve(c, A, b, lower, upper, integer, warm)
    if expected is None:
        assert out.status is INFEASIBLE
        return
    assert out.status is OPTIMAL
    assert float(c @ out.x) == pytest.approx(expected, abs=1e-7)
    assert np.all(out.x[:n_int] == np.round(out.x[:n_int]))
    assert np.all(A @ out.x <= b + 1e-7)
    assert np.all((out.x >= lower - 1e-9) & (out.x <= upper + 1e-9))


def test_a_known_plan_to_start_from_gives_the_same_optimum():
    rng = np.random.default_rng(7)
    A = rng.uniform(0, 3, size=(3, 4)).round(2)
    b, c = np.array([6.0, 7.0, 5.0]), -np.array([3.0, 2.0, 4.0, 1.0])
    lower, upper = np.zeros(4), np.full(4, 4.0)
    cols = np.arange(4)
    relax = whole.ColdRelaxation(c, sp.csr_matrix(A), b, lower, upper, cols, time_limit=30)
    plain = whole.branch_and_bound(relax, c, cols, lower, upper)
    started = whole.branch_and_bound(relax, c, cols, lower, upper, start=np.zeros(4))
    deep = whole.branch_and_bound(relax, c, cols, lower, upper, start=np.zeros(4), best_first=False)
    assert plain.status is started.status is deep.status is OPTIMAL
    assert c @ started.x == pytest.approx(c @ plain.x, abs=1e-9)
    assert c @ deep.x == pytest.approx(c @ plain.x, abs=1e-9)


def test_a_failed_lp_is_an_error_not_an_exception():
    def failing(lo, hi, cutoff=None):
        return Outcome(ERROR, None, None, "the solver stopped: kSolveError")

    out = whole.branch_and_bound(failing, np.ones(2), np.arange(2), np.zeros(2), np.ones(2))
    assert out.status is ERROR and out.x is None and "kSolveError" in out.message


def test_a_failure_after_a_plan_keeps_the_plan_and_says_it_is_not_proven():
    calls = []

    def relax(lo, hi, cutoff=None):  # the root is fractional (0.3), its nearer child whole (0), then the solver fails
        calls.append((lo.copy(), hi.copy()))
        if len(calls) == 1:
            return Outcome(OPTIMAL, np.array([0.3]), None, "optimal")
        if len(calls) == 2:
            return Outcome(OPTIMAL, np.array([float(hi[0])]), None, "optimal")
        return Outcome(ERROR, None, None, "the solver stopped")

    out = whole.branch_and_bound(relax, np.array([-1.0]), np.array([0]), np.zeros(1), np.ones(1))
    assert len(calls) == 3 and calls[1][1][0] == 0.0  # the down branch first, then the up one
    assert out.status is TIME_LIMIT and out.x == pytest.approx([0.0]) and out.mip_gap is not None


def _relaxation(c, A, b, lower, upper, cols, warm):
    if warm:
        from planner.lp.highs import HighsModel

        hm = HighsModel(sp.csr_matrix(A), c, lower, upper, np.full(len(b), -np.inf), b, time_limit=30)
        return whole.WarmRelaxation(hm, cols, lower, upper)
    return whole.ColdRelaxation(c, sp.csr_matrix(A), b, lower, upper, cols, time_limit=30)


@pytest.mark.parametrize("warm", WARM)
@pytest.mark.parametrize("seed", range(30))
def test_the_tie_boxes_hold_every_plan_as_good_as_the_best(seed, warm):
    # Whole costs make ties common. Every whole vector whose best completion scores within the
    # slack of the optimum must lie in a box the search kept; and the tie-break searched in those
    # boxes only (stage 2) finds what it finds over the whole range.
    rng = np.random.default_rng(100 + seed)
    n_int, n_cont, m = int(rng.integers(2, 4)), int(rng.integers(0, 2)), int(rng.integers(1, 4))
    n = n_int + n_cont
    A = rng.integers(0, 4, size=(m, n)).astype(float)
    b = rng.integers(3, 9, size=m).astype(float)
    c = -rng.integers(1, 4, size=n).astype(float)
    lower, upper = np.zeros(n), np.r_[rng.integers(1, 4, size=n_int).astype(float), np.full(n_cont, 2.0)]
    cols = np.arange(n_int)
    ties = whole.TieBoxes()
    first = whole.branch_and_bound(_relaxation(c, A, b, lower, upper, cols, warm), c, cols, lower[cols],
                                   upper[cols], ties=ties)
    assert first.status is OPTIMAL
    best = float(c @ first.x)
    boxes = ties.boxes(best)
    for combo in itertools.product(*[range(int(u) + 1) for u in upper[cols]]):
        lo, hi = lower.copy(), upper.copy()
        lo[cols] = hi[cols] = combo
        out = linprog(c, sp.csr_matrix(A), b, lo, hi)
        if out.status is OPTIMAL and float(c @ out.x) <= best + ties.slack(best):
            assert any(np.all((bl <= combo) & (combo <= bh)) for bl, bh in boxes), (combo, boxes)
    # stage 2: fewest whole units at the optimal score
    A2, b2 = np.vstack([A, c]), np.append(b, best + 1e-9)
    cost2 = np.r_[np.ones(n_int), np.zeros(n_cont)]
    full = whole.branch_and_bound(_relaxation(cost2, A2, b2, lower, upper, cols, warm), cost2, cols,
                                  lower[cols], upper[cols], start=first.x[cols])
    boxed = whole.branch_and_bound(_relaxation(cost2, A2, b2, lower, upper, cols, warm), cost2, cols,
                                   lower[cols], upper[cols], start=first.x[cols], roots=boxes)
    assert full.status is boxed.status is OPTIMAL
    assert float(cost2 @ boxed.x) == pytest.approx(float(cost2 @ full.x), abs=1e-9)
