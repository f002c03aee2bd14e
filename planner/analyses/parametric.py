"""Exact switch shares for weight stability, from optimal bases.

Moving task i to share ``θ`` of the total weight (the others rescaled,
:func:`~planner.analyses.stability.moved_weights`) makes the stage-1
objective's coefficients on the task-score columns ``c(θ) = a + θ d``
(:class:`Line`, before normalising: a positive scale changes no optimum).

LP: for an optimal stage-1 basis the nonbasic reduced costs are linear in
``c``, so the basis stays optimal exactly over an interval of ``θ``, found by a
ratio test with the factored basis (:func:`basis_interval`, no pivot). On
that interval the optimal face, and so the tie-break's plan, is the same.
Between two shares whose plans differ, :func:`lp_switch` bisects on the bases'
intervals instead of on the shares: it stops when the last basis of the one
plan and the first of the other touch, and the switch is where their two
vertices' scores cross (:func:`crossing`), exactly. On the default scenario
the LP's optimal vertex changes 500 to 1,000 times along a task's share
(every unit moved between regions is one), so the bases are not walked one by
one: the plans are read at the grid's shares, and each change seen there is
pinned down to its exact share.

Whole units: the optimum along ``θ`` is the upper envelope over whole-unit
vectors ``g`` (generated and repatriated units) of ``V_g(θ)``, each the LP
with those units fixed. Between two grid shares whose branch and bound gave
different vectors, :func:`vector_crossing` finds where the two vectors' fixed
LPs score the same (Newton's steps finished exactly on their bases'
intervals), and a branch and bound at that share checks that no other
vector scores more there; a third vector found there is followed in turn
(:func:`whole_switches`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..lp.highs import OPTIMAL
from .certify import BASIC, LOWER, UPPER, ZERO, NotUsable, statuses

# A reduced cost (score points per unit, the coefficients summing to 1) may be this much on
# the wrong side and the basis still count as optimal: HiGHS's own tolerance. The switch is
# not placed by it but where the two vertices' scores cross (:func:`crossing`).
DUAL_TOLERANCE = 1e-7
# Two bases' intervals closer than this (a share of the total weight) touch.
STEP = 1e-7
# Whole units: a branch and bound better than the two tied plans by this much (score points)
# at their switch has found a third plan.
BETTER = 1e-7
# Most bisection steps for one switch; most nested switches followed between two grid shares.
MAX_STEPS = 60
MAX_DEPTH = 6


class WalkFailed(Exception):
    """A basis could not be read or a solve failed (the grid method answers instead)."""


@dataclass(frozen=True)
class Line:
    """The unnormalised coefficients along the share: ``c(θ) = a + θ d`` (over the y columns)."""

    a: np.ndarray
    d: np.ndarray

    def at(self, theta: float) -> np.ndarray:
        return self.a + theta * self.d

    def value(self, theta: float, y: np.ndarray) -> float:
        """The score (0-100) of task scores ``y`` at ``θ``."""
        c = self.at(theta)
        total = float(c.sum())
        return float(c @ y) / total if total > 0 else 0.0


@dataclass
class Probe:
    """A solve at share ``theta``: its plan (a SweepPoint), the task scores ``y`` (over the y
    columns) and the interval ``[lo, hi]`` over which its stage-1 basis stays optimal (LP; for
    whole units ``lo = hi = theta``)."""

    theta: float
    point: object
    y: np.ndarray
    lo: float
    hi: float


def basis_interval(h, A, ycols: np.ndarray, line: Line, theta0: float, col_lower, col_upper,
                   row_lower, row_upper) -> tuple[float, float]:
    """The interval of ``θ`` (within [0, 1], holding ``θ0``) over which HiGHS's current basis
    of instance ``h`` stays optimal for stage 1 (minimise ``-c(θ) @ y``).

    A: the instance's rows without its last (the free score row, whose slack must be basic).
    Bounds: the instance's current ones (fixed columns and equality rows take any reduced
    cost). Raises :class:`NotUsable` if the basis is not optimal at ``θ0``.
    """
    hs = h.highs
    cs, rs = statuses(hs.getBasis())
    m, n = A.shape
    if rs.size != m + 1 or rs[-1] != BASIC:
        raise NotUsable("the score row's slack is not basic")
    _, bv = hs.getBasicVariables()
    bv = np.asarray(bv)
    pis = []
    for coef in (line.a, line.d):
        cost = np.zeros(n)
        cost[ycols] = -coef
        cb = np.where(bv >= 0, cost[np.maximum(bv, 0)], 0.0)
        _, pi = hs.getBasisTransposeSolve(cb)
        pi = np.asarray(pi, float)[:m]
        pis.append(np.concatenate([cost - A.T @ pi, pi]))
    r_a, r_d = pis
    status = np.concatenate([cs, rs[:m]])
    fixed = np.concatenate([np.asarray(col_lower) == np.asarray(col_upper),
                            np.asarray(row_lower) == np.asarray(row_upper)])
    sign_rows, signs = [], []
    for st, sg in ((LOWER, 1.0), (UPPER, -1.0), (ZERO, 1.0), (ZERO, -1.0)):
        k = np.flatnonzero((status == st) & ~fixed)
        sign_rows.append(k)
        signs.append(np.full(k.size, sg))
    k, sg = np.concatenate(sign_rows), np.concatenate(signs)
    alpha = sg * r_a[k] + DUAL_TOLERANCE * float(line.a.sum())
    beta = sg * r_d[k] + DUAL_TOLERANCE * float(line.d.sum())
    at0 = alpha + theta0 * beta
    total0 = float(line.at(theta0).sum())
    if at0.size and at0.min() < -10 * DUAL_TOLERANCE * max(total0, 1e-300):
        raise NotUsable("the basis is not optimal here")
    lo, hi = 0.0, 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -alpha / beta
    down, up = beta > 1e-14, beta < -1e-14
    if up.any():
        hi = min(hi, float(np.min(t[up])))
    if down.any():
        lo = max(lo, float(np.max(t[down])))
    return min(lo, theta0), max(hi, theta0)


def crossing(line: Line, y_left: np.ndarray, y_right: np.ndarray, lo: float, hi: float) -> float:
    """Where ``c(θ) @ y_left = c(θ) @ y_right`` (the kink between two vertices), within [lo, hi]."""
    dy = y_left - y_right
    alpha, beta = float(line.a @ dy), float(line.d @ dy)
    if abs(beta) < 1e-300:
        return 0.5 * (lo + hi)
    return float(min(max(-alpha / beta, lo), hi))


class StageOneWalker:
    """Stage 1 at a share, on a :class:`~planner.analyses._sweep.SweepSolver`: the LP itself
    (``units`` None) or the LP with the whole columns fixed at ``units``. A call returns the
    task scores (over the y columns) and the interval of the basis it ended on."""

    def __init__(self, solver, weights_at, line: Line, units: np.ndarray | None = None):
        self.solver, self.weights_at, self.line, self.units = solver, weights_at, line, units

    def __call__(self, theta: float):
        sv = self.solver
        sv.set_weights(self.weights_at(theta))
        if self.units is None:
            pt = sv.solve(tie_break=False)
            if not pt.ok or pt.status != OPTIMAL:
                raise WalkFailed(pt.message or str(pt.status))
            y, h = pt.y[sv.y_task], sv._h1
        else:
            got = sv.fixed_score(self.units)
            if got is None:
                raise WalkFailed("these whole units give no plan")
            y, h = got[1][sv._y0:], sv._hf
        lo, hi = _interval(sv, h, self.line, theta, self.units)
        return np.asarray(y, float).copy(), lo, hi


# -- LP -------------------------------------------------------------------------------------


def lp_probe(solver, weights_at, line: Line, theta: float) -> Probe:
    """Both stages at ``θ``, and the interval of the stage-1 basis they ended on."""
    pt = solver.solve_weights(weights_at(theta))
    if not pt.ok or pt.status != OPTIMAL:
        raise WalkFailed(pt.message or str(pt.status))
    lo, hi = _interval(solver, solver._h1, line, theta)
    return Probe(float(theta), pt, pt.y[solver.y_task].copy(), lo, hi)


def _interval(solver, h, line: Line, theta: float, units=None) -> tuple[float, float]:
    sv = solver
    lower, upper = sv._col_lower.copy(), sv._col_upper.copy()
    lower[sv._y0:] = sv._y_lower
    if units is not None:
        lower[sv.whole_columns] = upper[sv.whole_columns] = units
    try:
        return basis_interval(h, sv._A_ext, sv._y0 + np.arange(sv._ny), line, theta, lower, upper,
                              sv._row_lower, np.append(sv._b, sv._row_upper[sv._m:]))
    except NotUsable as exc:
        raise WalkFailed(str(exc)) from None


def lp_switch(probe, line: Line, same: Probe, other: Probe, key) -> tuple[float, Probe, Probe]:
    """The exact share between ``same`` and ``other`` (plans of different keys) where the plan of
    ``same`` stops: bisection on the bases' intervals until the last basis of that plan and the
    first of another touch. Returns the share, the last probe of that plan and the first of the other."""
    k0 = key(same.point)
    up = other.theta > same.theta
    for _ in range(MAX_STEPS):
        a, b = (same.hi, other.lo) if up else (other.hi, same.lo)
        if b - a <= STEP:
            break
        p = probe(0.5 * (a + b))
        if key(p.point) == k0:
            same = p
        else:
            other = p
    left, right = (same, other) if up else (other, same)
    a, b = min(left.hi, right.lo), max(left.hi, right.lo)
    return crossing(line, left.y, right.y, a, b), same, other


# -- whole units ----------------------------------------------------------------------------


def whole_probe(solver, weights_at, theta: float, start=None) -> Probe:
    """The whole-unit plan at ``θ`` (branch and bound, both stages; ``start``: whole units of a
    known plan, the search's first incumbent)."""
    solver.set_weights(weights_at(theta))
    pt = solver.solve(start=start)
    if not pt.ok or pt.status != OPTIMAL:
        raise WalkFailed(pt.message or str(pt.status))
    return Probe(float(theta), pt, pt.y[solver.y_task].copy(), float(theta), float(theta))


def units_of(solver, probe: Probe) -> np.ndarray:
    return np.round(probe.point.v[solver.whole_columns])


def vector_crossing(solver, weights_at, line: Line, g_same, g_other, t_same: float, t_other: float) -> float:
    """A share between ``t_same`` and ``t_other`` where the LPs with the whole units fixed at
    ``g_same`` and at ``g_other`` score the same (``g_same`` the better at ``t_same``).

    Newton's step on the two LPs' linear pieces (where their lines cross), kept inside the
    bracket (else halving it); it ends when both pieces reach the crossing.
    """
    fs = StageOneWalker(solver, weights_at, line, g_same)
    fo = StageOneWalker(solver, weights_at, line, g_other)
    near_s, near_o = t_same, t_other
    t = 0.5 * (near_s + near_o)
    for _ in range(MAX_STEPS):
        ys, ls, hs = fs(t)
        yo, lo_, ho = fo(t)
        a, b = min(near_s, near_o), max(near_s, near_o)
        root = crossing(line, ys, yo, -np.inf, np.inf)
        if a <= root <= b and max(ls, lo_) - STEP <= root <= min(hs, ho) + STEP:
            return root  # both fixed LPs are linear from t to it: where their lines cross
        if line.value(t, ys) >= line.value(t, yo):
            near_s = t
        else:
            near_o = t
        a, b = min(near_s, near_o), max(near_s, near_o)
        if b - a <= STEP:
            break
        # the crossing of these lines if it lies well inside what is left, else the middle
        t = root if a + 0.01 * (b - a) < root < b - 0.01 * (b - a) else 0.5 * (a + b)
    return 0.5 * (near_s + near_o)


def whole_switches(solver, weights_at, line: Line, same: Probe, other: Probe, key, depth: int = 0):
    """The switches between whole-unit plans of different ``key`` from ``same`` towards ``other``
    (two probes), in that order: ``(share, probe before, probe after)`` each.

    Each switch is checked by a branch and bound at the switch itself, where the two plans tie:
    no other whole-unit plan may score more there (then none is optimal near it either). One
    that does is a plan of its own between them, and the switches on each side of it are
    followed in turn.
    """
    gs, go = units_of(solver, same), units_of(solver, other)
    if key(same.point) == key(other.point) or np.array_equal(gs, go):
        return []
    t = vector_crossing(solver, weights_at, line, gs, go, same.theta, other.theta)
    found = [(t, same, other)] if other.theta > same.theta else [(t, other, same)]
    if depth >= MAX_DEPTH:
        return found
    solver.set_weights(weights_at(t))
    tie = solver.fixed_score(gs)
    best = solver.solve(tie_break=False, start=gs)
    if tie is None or not best.ok or best.status != OPTIMAL:
        raise WalkFailed(best.message or str(best.status))
    if line.value(t, best.y[solver.y_task]) <= tie[0] + BETTER:
        return found
    between = whole_probe(solver, weights_at, t, start=units_of(solver, Probe(t, best, best.y, t, t)))
    if any(np.array_equal(units_of(solver, between), g) for g in (gs, go)):
        return found
    return (whole_switches(solver, weights_at, line, same, between, key, depth + 1)
            + whole_switches(solver, weights_at, line, between, other, key, depth + 1))


__all__ = ["BETTER", "DUAL_TOLERANCE", "Line", "Probe", "StageOneWalker", "WalkFailed", "basis_interval",
           "crossing", "lp_probe", "lp_switch", "units_of", "vector_crossing", "whole_probe", "whole_switches"]
