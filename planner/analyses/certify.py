"""Certified bases: which weightings a known optimal basis already answers, by linear algebra.

The task weights enter the sweeps' LP only through the objective (stage 1
maximises ``c(w) @ y``, ``c`` the score coefficients of ``_sweep``, ``y`` the
task-score columns) and through the score row of stage 2 (``c(w) @ y >=
floor(w)``). A basis found optimal for one weighting is therefore a
certificate for many others, checked without a solve.

Stage 1: basis ``B1`` (every ``y`` basic). Its reduced costs are linear in
the coefficients, ``d(w) = M1 @ c(w)`` with ``M1 = N^T B1^-T E_y`` (one sparse
LU and ``len(y)`` solves when the basis is found). ``B1`` is optimal for ``w``
when every nonbasic reduced cost has the sign its bound allows, within
:data:`DUAL_TOLERANCE`; then the optimal score is ``c(w) @ y_B1`` (exact: a
reduced cost off by 1e-10 moves the score by at most 1e-10 per unit of the
column's range). Weights are not in the constraints, so ``B1`` stays primal
feasible. Rows of ``M1`` that cannot go wrong for any non-negative ``c`` are
dropped when the basis is found.

Stage 2 (the tie-break, :mod:`planner.lp.stages`): minimise the fixed cost
``t`` subject to the same rows and ``c(w) @ y >= floor(w)``. Only the score
row depends on ``w``: its coefficients (in the basic ``y`` columns: a rank-one
change of ``B2`` in one row) and its floor. By Sherman-Morrison, with ``u =
B2^-1 e_s`` and ``dc = c(w) - c0``, the basic solution is

    x_B(w) = x_B0 + theta(w) u,   theta = (floor(w) - floor0 - dc @ y0) / (1 + dc @ u_y)

(the score row tight, its slack nonbasic) and the reduced costs are

    d(w) = d0 + kappa(w) M2 @ dc,   kappa = sigma0 / (1 + dc @ u_y),   M2 = N^T B2^-T E_y

(``sigma0`` the score row's dual). A sample is accepted only if ``x_B(w)`` is
within the bounds (an interval of ``theta``, :data:`PRIMAL_TOLERANCE`) and
every nonbasic reduced cost is *strictly* of the right sign, by at least
:data:`STRICT_TOLERANCE`: then ``x_B(w)`` is the unique optimum of stage 2,
the point any re-solve of stage 2 returns, whatever basis it ends on (a
dual-degenerate basis might be one of several optima, and a re-solve could
end on another: such samples are solved). The plan reported is ``x_B(w)``,
read as the re-solve's plan is read.

Both certificates are needed: stage 1's for ``floor(w)``, stage 2's for the
plan. A sample that no basis in the pool certifies is solved (warm), and the
bases its solve ends on join the pool. Bases with a nonbasic ``y`` column, a
basic score-row slack, or a singular factorisation are not kept (their
samples are solved).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import splu

# HiGHS's basis statuses (highspy's HighsBasisStatus values).
LOWER, BASIC, UPPER, ZERO = 0, 1, 2, 3

# Stage 1: a reduced cost (score points per unit of the column, the
# coefficients summing to 1) may be this much on the wrong side.
DUAL_TOLERANCE = 1e-10
# Stage 2: every reduced cost must be at least this far on the right side
# (ten times HiGHS's dual feasibility tolerance, so that a re-solve cannot
# stop on another vertex it takes as optimal).
STRICT_TOLERANCE = 1e-6
# Stage 2: a basic variable may be this far outside its bounds (HiGHS's
# primal feasibility tolerance is 1e-7).
PRIMAL_TOLERANCE = 1e-9
# The rank-one update is refused when 1 + dc @ u_y is below this (near singular).
MIN_DENOMINATOR = 0.1


class NotUsable(Exception):
    """The basis cannot serve as a certificate (the samples it would answer are solved)."""


def statuses(basis) -> tuple[np.ndarray, np.ndarray]:
    """A HiGHS basis's column and row statuses as int arrays."""
    # .value, not int(): three times as fast, and a walk along a weight reads a basis per step
    return (np.array([x.value for x in basis.col_status], np.int8),
            np.array([x.value for x in basis.row_status], np.int8))


def _factor(A: sp.csc_matrix, col_status: np.ndarray, row_status: np.ndarray):
    """The basis matrix ``[A_B, -I_B]`` factorised; the basic columns and rows."""
    m = A.shape[0]
    bc = np.flatnonzero(col_status == BASIC)
    br = np.flatnonzero(row_status == BASIC)
    if bc.size + br.size != m:
        raise NotUsable("not a basis")
    if np.any((col_status != BASIC) & (col_status > ZERO)) or np.any((row_status != BASIC) & (row_status > ZERO)):
        raise NotUsable("a status without a bound")
    eye = sp.csc_matrix((-np.ones(br.size), (br, np.arange(br.size))), shape=(m, br.size))
    B = sp.hstack([A[:, bc], eye], format="csc")
    try:
        lu = splu(B)
    except RuntimeError as exc:  # singular
        raise NotUsable(str(exc)) from None
    return lu, bc, br


def _sign_rows(M_cols, M_rows, col_status, row_status, nbc, nbr, col_fixed, row_fixed):
    """Per nonbasic variable, the sign ``s`` with ``s * d >= 0`` required, and its M rows.

    Free nonbasic variables (status ZERO) need ``d = 0``: both signs.
    Fixed variables take any reduced cost and are left out.
    """
    parts, signs = [], []
    for M, stat, fixed in ((M_cols, col_status[nbc], col_fixed[nbc]), (M_rows, row_status[nbr], row_fixed[nbr])):
        for status, sign in ((LOWER, 1.0), (UPPER, -1.0), (ZERO, 1.0), (ZERO, -1.0)):
            keep = (stat == status) & ~fixed
            parts.append(np.flatnonzero(keep) + (0 if M is M_cols else M_cols.shape[0]))
            signs.append(np.full(int(keep.sum()), sign))
    return np.concatenate(parts), np.concatenate(signs)


@dataclass
class Stage1Certificate:
    """A stage-1 optimal basis: ``G @ c >= -tol`` certifies coefficients ``c``; the score is ``c @ y``."""

    G: np.ndarray  # (k, ny): the sign-adjusted reduced-cost rows that can go wrong
    y: np.ndarray  # (ny,) the task scores at the basis's vertex

    def certifies(self, C: np.ndarray) -> np.ndarray:
        """Per row of ``C`` (coefficients over the y columns), whether the basis is optimal for it."""
        if not self.G.shape[0]:
            return np.ones(C.shape[0], bool)
        return (C @ self.G.T >= -DUAL_TOLERANCE).all(1)


def stage1_certificate(A: sp.csc_matrix, lower, upper, row_lower, row_upper, col_status, row_status,
                       ycols: np.ndarray, v: np.ndarray) -> Stage1Certificate:
    """The certificate of stage 1's basis (statuses from HiGHS) whose solution is ``v``.

    A: the rows without the score row (a free row: its slack is basic and its dual 0).
    """
    lu, bc, br = _factor(A, col_status, row_status)
    pos = np.searchsorted(bc, ycols)
    if np.any(pos >= bc.size) or np.any(bc[np.minimum(pos, bc.size - 1)] != ycols):
        raise NotUsable("a task-score column is nonbasic")
    m, ny = A.shape[0], ycols.size
    R = np.zeros((m, ny))
    R[pos, np.arange(ny)] = 1.0
    Pi = lu.solve(R, trans="T")  # B^T Pi = E_y
    nbc = np.flatnonzero(col_status != BASIC)
    nbr = np.flatnonzero(row_status != BASIC)
    M_cols = np.asarray(A[:, nbc].T @ Pi)
    M_rows = -Pi[nbr]
    M = np.vstack([M_cols, M_rows])
    rows, signs = _sign_rows(M_cols, M_rows, col_status, row_status, nbc, nbr,
                             np.asarray(lower) == np.asarray(upper), np.asarray(row_lower) == np.asarray(row_upper))
    G = signs[:, None] * M[rows]
    G = G[(G < -1e-13).any(1)]  # rows >= 0 hold for every c >= 0
    return Stage1Certificate(np.ascontiguousarray(G), np.asarray(v, float)[ycols].copy())


def _minus_units(m: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros((m, rows.size))
    out[rows, np.arange(rows.size)] = -1.0
    return out


@dataclass
class Stage2Certificate:
    """A stage-2 optimal basis as a function of the score row (see the module docstring)."""

    c0: np.ndarray  # (ny,) the score row's coefficients the basis was found with
    floor0: float
    y0: np.ndarray  # (ny,)
    u_y: np.ndarray  # (ny,)
    theta_lo: float
    theta_hi: float
    d0: np.ndarray  # (k,) sign-adjusted reduced costs that vary with w
    M: np.ndarray  # (k, ny)
    sigma0: float
    v0: np.ndarray  # the columns at the basis's vertex
    U: np.ndarray  # their direction in theta

    def solve(self, C: np.ndarray, floors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row of ``C`` with its floor: whether the basis is the unique optimum, and theta."""
        dc = C - self.c0
        den = 1.0 + dc @ self.u_y
        ok = den > MIN_DENOMINATOR
        den = np.where(ok, den, 1.0)
        theta = (floors - self.floor0 - dc @ self.y0) / den
        ok &= (theta >= self.theta_lo) & (theta <= self.theta_hi)
        if self.M.shape[0] and ok.any():
            kappa = self.sigma0 / den
            idx = np.flatnonzero(ok)
            d = self.d0[None, :] + kappa[idx, None] * (dc[idx] @ self.M.T)
            ok[idx] = (d >= STRICT_TOLERANCE).all(1)
        return ok, theta

    def columns(self, theta: np.ndarray) -> np.ndarray:
        """The columns' values (rows) at these thetas."""
        return self.v0[None, :] + theta[:, None] * self.U[None, :]


def stage2_certificate(A: sp.csc_matrix, cost, lower, upper, row_lower, row_upper, col_status, row_status,
                       ycols: np.ndarray, v: np.ndarray, plan_cols: np.ndarray) -> Stage2Certificate:
    """The certificate of stage 2's basis; ``A``'s last row is the score row (with ``c0`` in the y columns).

    plan_cols: the columns whose values must be the same at every optimum of stage 2
    (generated and repatriated units, task scores); other columns (the allocation) may
    differ between optima that a re-solve could return.
    """
    m = A.shape[0]
    s = m - 1
    if row_status[s] != LOWER:
        raise NotUsable("the score row is not tight")
    lu, bc, br = _factor(A, col_status, row_status)
    pos = np.searchsorted(bc, ycols)
    if np.any(pos >= bc.size) or np.any(bc[np.minimum(pos, bc.size - 1)] != ycols):
        raise NotUsable("a task-score column is nonbasic")
    ny = ycols.size
    cost = np.asarray(cost, float)
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    row_lower, row_upper = np.asarray(row_lower, float), np.asarray(row_upper, float)
    e_s = np.zeros(m)
    e_s[s] = 1.0
    u = lu.solve(e_s)
    cB = np.concatenate([cost[bc], np.zeros(br.size)])
    pi0 = lu.solve(cB, trans="T")
    R = np.zeros((m, ny))
    R[pos, np.arange(ny)] = 1.0
    V = lu.solve(R, trans="T")
    nbc = np.flatnonzero(col_status != BASIC)
    nbr = np.flatnonzero(row_status != BASIC)
    An = A[:, nbc]
    d_cols = cost[nbc] - An.T @ pi0
    d_rows = pi0[nbr]
    M_cols = np.asarray(An.T @ V)
    M_rows = -V[nbr]
    rows, signs = _sign_rows(M_cols, M_rows, col_status, row_status, nbc, nbr, lower == upper,
                             row_lower == row_upper)
    d0 = signs * np.concatenate([d_cols, d_rows])[rows]
    M = signs[:, None] * np.vstack([M_cols, M_rows])[rows]
    varies = np.abs(M).max(1, initial=0.0) > 1e-13
    # A reduced cost that is 0 whatever w: other optima of stage 2 lie along it. They are
    # harmless if moving that variable moves no plan column (B^-1 a_j is 0 in their basic
    # positions; then so is B(w)^-1 a_j for every w, the update being in the y positions).
    flat = ~varies & (d0 < STRICT_TOLERANCE)
    if flat.any():
        if np.any(d0[flat] < -STRICT_TOLERANCE):
            raise NotUsable("not dual feasible")
        n_nbc = nbc.size
        which = rows[flat]
        cols = np.concatenate([An[:, which[which < n_nbc]].toarray(),
                               _minus_units(m, nbr[which[which >= n_nbc] - n_nbc])], axis=1)
        moved_nonbasic = np.concatenate([nbc[which[which < n_nbc]], np.full(int((which >= n_nbc).sum()), -1)])
        if np.isin(moved_nonbasic, plan_cols).any():
            raise NotUsable("another optimum generates other units")
        plan_pos = np.flatnonzero(np.isin(bc, plan_cols))
        moves = lu.solve(cols)[plan_pos]
        if np.abs(moves).max(initial=0.0) > 1e-9:
            raise NotUsable("another optimum has another plan")
    keep = varies | (d0 >= STRICT_TOLERANCE)
    keep &= varies  # the constant ones are settled here, once
    # the basic variables' values and bounds, in the basis's order (columns, then row slacks)
    v = np.asarray(v, float)
    activity = A @ v
    xb = np.concatenate([v[bc], activity[br]])
    lb = np.concatenate([lower[bc], row_lower[br]])
    ub = np.concatenate([upper[bc], row_upper[br]])
    with np.errstate(divide="ignore", invalid="ignore"):
        t_up = np.where(u > 1e-15, (ub + PRIMAL_TOLERANCE - xb) / u, np.where(u < -1e-15, (lb - PRIMAL_TOLERANCE - xb) / u, np.inf))
        t_dn = np.where(u > 1e-15, (lb - PRIMAL_TOLERANCE - xb) / u, np.where(u < -1e-15, (ub + PRIMAL_TOLERANCE - xb) / u, -np.inf))
    theta_hi = float(np.nanmin(t_up, initial=np.inf))
    theta_lo = float(np.nanmax(t_dn, initial=-np.inf))
    if np.any(xb < lb - PRIMAL_TOLERANCE) or np.any(xb > ub + PRIMAL_TOLERANCE):
        raise NotUsable("not primal feasible")
    U = np.zeros(v.size)
    U[bc] = u[: bc.size]
    c0 = np.asarray(A[s].toarray()).ravel()[ycols]
    return Stage2Certificate(c0, float(row_lower[s]), v[ycols].copy(), u[pos].copy(), theta_lo, theta_hi,
                             d0[keep], np.ascontiguousarray(M[keep]), float(pi0[s]), v.copy(), U)


_pools = itertools.count()


def _new_tag() -> int:
    """Unique to this pool among the pools of one sweep (workers are processes or threads)."""
    return ((os.getpid() & 0xFFFF) << 14 | (next(_pools) & 0x3FFF)) + 1


@dataclass
class BasisPool:
    """The optimal bases found so far, as certificates, and how many samples each answered.

    ``stage1[k]`` and ``stage2[k]`` are the certificates of the k-th solve kept
    (the current plan's first); ``certified[k]`` counts the samples whose plans
    its stage-2 basis gave. ``refused``: solves whose bases could not be kept.
    """

    stage1: list[Stage1Certificate] = field(default_factory=list)
    stage2: list[Stage2Certificate] = field(default_factory=list)
    certified: list[int] = field(default_factory=list)
    refused: int = 0
    tag: int = field(default_factory=lambda: _new_tag())  # tells pools of different workers apart

    def add(self, first: Stage1Certificate | None, second: Stage2Certificate | None) -> None:
        if first is None or second is None:
            self.refused += 1
            return
        self.stage1.append(first)
        self.stage2.append(second)
        self.certified.append(0)

    def best_scores(self, C: np.ndarray, bases) -> np.ndarray:
        """Per row, the optimal stage-1 score one of ``bases`` certifies (NaN: none does)."""
        out = np.full(C.shape[0], np.nan)
        left = np.arange(C.shape[0])
        for k in reversed(list(bases)):  # the newest first: samples come in warm order
            if not left.size:
                break
            cert = self.stage1[k]
            hit = cert.certifies(C[left])
            out[left[hit]] = C[left[hit]] @ cert.y
            left = left[~hit]
        return out

    def plans(self, C: np.ndarray, floors: np.ndarray, bases):
        """Per row: which of ``bases`` certifies its stage-2 plan (-1: none), and its theta."""
        which = np.full(C.shape[0], -1)
        theta = np.full(C.shape[0], np.nan)
        left = np.arange(C.shape[0])
        for k in reversed(list(bases)):
            if not left.size:
                break
            ok, th = self.stage2[k].solve(C[left], floors[left])
            which[left[ok]] = k
            theta[left[ok]] = th[ok]
            left = left[~ok]
        return which, theta


__all__ = ["DUAL_TOLERANCE", "PRIMAL_TOLERANCE", "STRICT_TOLERANCE", "BasisPool", "NotUsable",
           "Stage1Certificate", "Stage2Certificate", "stage1_certificate", "stage2_certificate", "statuses"]


# -- whole units --------------------------------------------------------------------
#
# A whole-unit plan is a vector of whole numbers for the g and z columns (generated and
# repatriated units) and the LP over the other columns with those fixed. For a weighting,
# the LP relaxation's optimum U bounds every whole plan's score from above, and any
# vector's fixed LP gives a plan scoring V <= the whole optimum <= U. So the best of the
# vectors found so far is within U - V points of the whole optimum: proven optimal when
# V >= U - PROOF_TOLERANCE * max(1, U), else within that certified gap (or settled by a
# branch and bound from it).

# A sample is proven optimal when its best known vector's score is within this (relative)
# of the LP relaxation's: the branch and bound prunes at 1e-9 (planner.lp.whole), so the two
# agree to about that.
PROOF_TOLERANCE = 1e-10


@dataclass
class WholePool:
    """Distinct whole-unit vectors found so far (the current plan's first) and how often each won.

    ``order()`` is the order in which a sample tries them: most wins first, then the
    oldest. ``copy()`` is a pool that goes on from this one without changing it.
    """

    vectors: list[np.ndarray] = field(default_factory=list)
    wins: list[int] = field(default_factory=list)

    def add(self, units) -> int:
        """The vector's place in the pool, adding it if new."""
        units = np.round(np.asarray(units, float))
        for k, v in enumerate(self.vectors):
            if np.array_equal(v, units):
                return k
        self.vectors.append(units)
        self.wins.append(0)
        return len(self.vectors) - 1

    def order(self) -> list[int]:
        return sorted(range(len(self.vectors)), key=lambda k: (-self.wins[k], k))

    def copy(self) -> WholePool:
        return WholePool([v.copy() for v in self.vectors], list(self.wins))


__all__ += ["PROOF_TOLERANCE", "WholePool"]
