"""Whole units: the planner's own branch and bound over LP relaxations.

With ``integer_units`` only the generated and repatriated units (``g``, ``z``:
a few to a few dozen columns, each with a small range) are whole. HiGHS's MIP
search spends seconds in root heuristics on such a model before its first
branch, and has been seen to report a worse plan than a feasible one as
optimal on small random cases, with presolve on and off. Its LP solves are
what the planner relies on, so the search is done here: depth first, on the
most fractional whole column, the nearer branch first, each node an LP
re-solved warm from the last node's basis by the dual simplex (only column
bounds change between nodes, so the last basis stays dual feasible).

- :func:`branch_and_bound`: the search, over any ``relax(lower, upper)``;
- :class:`WarmRelaxation`: nodes in one HiGHS instance (highspy);
- :class:`ColdRelaxation`: nodes by SciPy's ``linprog``, cold (no highspy);
- :func:`milp`: ``min c @ x`` s.t. ``A @ x <= b`` with whole columns, by whichever is installed;
- :func:`near_optimal`: every whole vector within a tolerance of the optimum, best first.

A node is pruned when its bound is within :data:`PRUNE_TOLERANCE` (relative)
of the best plan found: of two plans that close, the first found is kept, and
stage 2's tie-break decides between plans of equal score.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .highs import (
    DEFAULT_TIME_LIMIT, ERROR, HAVE_HIGHSPY, INFEASIBLE, METHOD_OPTIONS, OPTIMAL, SIMPLEX_CHOOSE, SIMPLEX_DUAL,
    TIME_LIMIT, HighsModel, Outcome, Status, check_time_limit, linprog, outcome,
)

# A whole column's LP value within this of a whole number counts as whole (HiGHS's
# mip_feasibility_tolerance); the plan then fixes it at that number and re-solves.
INTEGRALITY_TOLERANCE = 1e-6
# A node whose LP bound is not better than the best plan by this much (relative, at
# least absolute 1e-9) cannot improve it. The score's optimum is therefore exact to
# about 1e-7 points of 100.
PRUNE_TOLERANCE = 1e-9

# relax(lo, hi, cutoff): the LP with the whole columns' bounds at lo/hi; it may stop early and
# report INFEASIBLE once its objective provably cannot come below ``cutoff`` (None: no cut-off).
Relax = Callable[[np.ndarray, np.ndarray, "float | None"], Outcome]


def whole_range(lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of whole columns rounded inwards (``max_new`` 1.5 whole: at most 1)."""
    return np.ceil(np.asarray(lower, float) - INTEGRALITY_TOLERANCE), np.floor(
        np.asarray(upper, float) + INTEGRALITY_TOLERANCE)


class TieBoxes:
    """Where a finished search may have left plans as good as its best: the boxes of whole values
    whose bound came within the pruning tolerance of the optimum, for a second search (stage 2's
    tie-break) to look in instead of the whole range.

    Every whole vector lies in one leaf box of the search's tree. A leaf pruned by its bound, or
    one whose LP was whole, is kept with that bound; a node the LP cut off at the search's
    cut-off (set above the optimum by the tolerance, :meth:`cutoff`) or found infeasible holds
    no vector within it. :meth:`boxes` are then the only places a vector scoring within
    :meth:`slack` of the optimum can be.
    """

    def __init__(self):
        self._leaves: list[tuple[float, np.ndarray, np.ndarray]] = []

    @staticmethod
    def slack(best: float) -> float:
        return 2.0 * _slack(best)

    def cutoff(self, best: float) -> float:
        """The least objective at which a node's LP may stop (nothing in it comes within the slack)."""
        return best + self.slack(best)

    def add(self, bound: float, lo: np.ndarray, hi: np.ndarray) -> None:
        self._leaves.append((float(bound), lo, hi))

    def boxes(self, best: float) -> list[tuple[np.ndarray, np.ndarray]]:
        """The leaves whose bound is within the slack of ``best`` (the search's optimum)."""
        limit = best + self.slack(best)
        return [(lo, hi) for bound, lo, hi in self._leaves if bound <= limit]


def branch_and_bound(relax: Relax, cost: np.ndarray, whole: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                     *, time_limit: float = DEFAULT_TIME_LIMIT, start: np.ndarray | None = None,
                     best_first: bool = True, on_plan: Callable[[], object] | None = None,
                     ties: TieBoxes | None = None, roots: list | None = None) -> Outcome:
    """The least ``cost @ x`` with the columns ``whole`` whole, within ``lower``/``upper`` on them.

    relax(lo, hi, cutoff): the LP with the whole columns' bounds set to ``lo``/``hi``
    (arrays over ``whole``), as an :class:`Outcome`; it may answer INFEASIBLE as
    soon as its objective cannot come below ``cutoff`` (the best plan's, less the
    pruning tolerance: such a node is pruned either way). start: whole values to try
    first (a known plan: its LP is the first incumbent). Returns OPTIMAL with the
    best plan; INFEASIBLE when no whole plan exists; TIME_LIMIT with the best plan
    found so far and its gap, or ERROR when the limit came before any plan or an
    LP failed. ``x`` of a plan is an LP solution with the whole columns fixed at
    whole numbers, exactly. on_plan(): called each time a better plan is taken,
    right after the relaxation solved that plan's LP (a warm relaxation keeps its
    basis there, :meth:`WarmRelaxation.remember_plan`). ties: a :class:`TieBoxes` that
    records where plans as good as the best may lie. roots: boxes ``(lo, hi)`` to search
    instead of the whole range (a stage-1 search's ``ties.boxes``: every vector outside
    them is known to score worse).

    Depth first until a plan is found, then the open node of the least bound
    (fewest nodes); each node branches on its most fractional whole column.
    """
    time_limit = check_time_limit(time_limit)
    deadline = time.perf_counter() + time_limit
    cost = np.asarray(cost, float)
    lo0, hi0 = whole_range(lower, upper)
    if np.any(lo0 > hi0):
        return Outcome(INFEASIBLE, None, None, "infeasible")
    best_value, best_x = np.inf, None
    iterations = 0
    # Open nodes: (the bound its parent's LP gave, order of creation, its whole columns' bounds).
    # Until a plan is found the newest is taken (a dive), then the one of the least bound.
    if roots is None:
        open_nodes: list[tuple[float, int, np.ndarray, np.ndarray]] = [(-np.inf, 0, lo0, hi0)]
    else:
        open_nodes = [(-np.inf, k, np.maximum(lo, lo0), np.minimum(hi, hi0)) for k, (lo, hi) in enumerate(roots)]
        open_nodes = [node for node in open_nodes if np.all(node[2] <= node[3])]
    created = len(open_nodes)

    def cutoff() -> float | None:
        if best_x is None:
            return None
        return ties.cutoff(best_value) if ties is not None else best_value - _slack(best_value)

    def finish(status, detail: str = "") -> Outcome:
        if status == OPTIMAL:
            return Outcome(OPTIMAL, best_x, None, "optimal", 0.0, iterations)
        if status == TIME_LIMIT:
            open_bound = min([node[0] for node in open_nodes] + [best_value])
            gap = _gap(best_value, open_bound) if best_x is not None else None
            return outcome(TIME_LIMIT, best_x, None, detail, integer=True, time_limit=time_limit,
                           mip_gap=gap, iterations=iterations)
        return Outcome(status, None, None, detail or str(status), None, iterations)

    def take_plan(fixed, node: Outcome | None = None) -> None:
        """A plan with the whole columns at ``fixed``: the node's LP if it is exactly there."""
        nonlocal best_value, best_x, iterations
        exact = node if node is not None and np.array_equal(node.x[whole], fixed) else relax(fixed, fixed, None)
        if exact is not node:
            iterations += exact.iterations
        if exact.status == OPTIMAL and exact.x is not None:
            value = float(cost @ exact.x)
            if value < best_value:
                best_value, best_x = value, exact.x.copy()
                best_x[whole] = fixed
                if on_plan is not None:
                    on_plan()

    if start is not None:
        fixed = np.round(np.asarray(start, float))
        if np.all((fixed >= lo0) & (fixed <= hi0)):
            take_plan(fixed)

    while open_nodes:
        if time.perf_counter() > deadline:
            return finish(TIME_LIMIT, "time limit")
        if best_x is None or not best_first:
            parent, _, lo, hi = open_nodes.pop()
        else:
            i = min(range(len(open_nodes)), key=lambda k: open_nodes[k][:2])
            parent, _, lo, hi = open_nodes.pop(i)
        if parent >= best_value - _slack(best_value):
            if ties is not None:
                ties.add(parent, lo, hi)
            continue
        node = relax(lo, hi, cutoff())
        iterations += node.iterations
        if node.status == INFEASIBLE:
            continue
        if node.status == TIME_LIMIT:
            return finish(TIME_LIMIT, "time limit")
        if node.status != OPTIMAL or node.x is None:
            if best_x is None:
                return Outcome(ERROR, None, None, node.message, None, iterations)
            return finish(TIME_LIMIT, node.message)  # keep the plan found; say it is not proven best
        value = float(cost @ node.x)
        if value >= best_value - _slack(best_value):
            if ties is not None:
                ties.add(value, lo, hi)
            continue
        values = node.x[whole]
        off = np.abs(values - np.round(values))
        if off.max(initial=0.0) <= INTEGRALITY_TOLERANCE:
            take_plan(np.clip(np.round(values), lo, hi), node)
            if ties is not None:  # other whole vectors of this box may score as well
                ties.add(value, lo, hi)
            continue
        k = int(np.argmax(off))
        v = values[k]
        down_hi, up_lo = hi.copy(), lo.copy()
        down_hi[k], up_lo[k] = np.floor(v), np.ceil(v)
        down, up = (value, created, lo, down_hi), (value, created + 1, up_lo, hi)
        if v - np.floor(v) < 0.5:  # the nearer whole number is explored first (taken last-in)
            down, up = (value, created + 1, lo, down_hi), (value, created, up_lo, hi)
            open_nodes.extend([up, down])
        else:
            open_nodes.extend([down, up])
        created += 2
    if best_x is None:
        return Outcome(INFEASIBLE, None, None, "infeasible", None, iterations)
    return finish(OPTIMAL)


def _slack(value: float) -> float:
    return PRUNE_TOLERANCE * max(1.0, abs(value)) if np.isfinite(value) else 0.0


def _gap(value: float, bound: float) -> float:
    if not np.isfinite(bound):
        return 1.0
    return max(0.0, value - bound) / max(abs(value), 1e-9)


class WarmRelaxation:
    """Nodes of a branch and bound in one HiGHS instance (an LP: no integrality of its own).

    Each call sets the whole columns' bounds and re-solves by the dual simplex
    from the basis the last solve ended with; a start gone bad is solved again
    cold. ``restore()`` puts the instance's bounds back as they were.

    first: the simplex strategy of the first node (None: as the instance is set up).
    deadline: a ``time.perf_counter()`` after which no node may run on.
    """

    def __init__(self, hm: HighsModel, whole: np.ndarray, lower: np.ndarray, upper: np.ndarray, *,
                 first: int | None = None, deadline: float | None = None):
        self.hm, self.whole = hm, np.asarray(whole, np.int32)
        self.lower, self.upper = np.asarray(lower, float)[self.whole], np.asarray(upper, float)[self.whole]
        self.first, self.deadline = first, deadline
        self._warm = False
        self.plan_basis = None  # the basis of the best plan's LP (remember_plan)
        self.root_basis = None  # the basis the first node (the root) ended with, when optimal

    def remember_plan(self) -> None:
        """Keep the basis the last solve ended with, the best plan's: a later LP with the
        plan's whole values (stage 2, the duals with the units fixed) starts from it."""
        self.plan_basis = self.hm.basis()

    def __call__(self, lo: np.ndarray, hi: np.ndarray, cutoff: float | None = None) -> Outcome:
        hm = self.hm
        hm.set_cols_bounds(self.whole, lo, hi)
        if self.deadline is not None:
            hm.set_option("time_limit", max(1e-3, self.deadline - time.perf_counter()))
        # The dual simplex's objective only rises: it may stop once past the cut-off.
        hm.set_option("objective_bound", np.inf if cutoff is None else float(cutoff))
        if not self._warm:  # the first node: as the instance was set up (the root)
            self._warm = True
            out = self._cut_off(hm.run(self.first))
            if out.status == OPTIMAL:
                self.root_basis = hm.basis()
            return out
        hm.set_option("solver", "simplex")
        out = self._cut_off(hm.run(SIMPLEX_DUAL))
        if out.status not in (OPTIMAL, INFEASIBLE, TIME_LIMIT):
            hm.forget_basis()
            again = hm.run(SIMPLEX_CHOOSE)
            again.iterations += out.iterations
            out = again
        return out

    def _cut_off(self, out: Outcome) -> Outcome:
        """A run stopped at the objective bound holds no better plan: pruned, as if infeasible."""
        if out.status == ERROR and self.hm.highs.getModelStatus().name == "kObjectiveBound":
            return Outcome(INFEASIBLE, None, None, "cut off: no better plan below this node", None, out.iterations)
        return out

    def restore(self) -> None:
        self.hm.set_cols_bounds(self.whole, self.lower, self.upper)
        self.hm.set_option("objective_bound", np.inf)


class ColdRelaxation:
    """Nodes by SciPy's ``linprog``, each from scratch: ``min c @ x`` s.t. ``A @ x <= b``."""

    def __init__(self, c, A, b, lower, upper, whole, *, method: str = "simplex", time_limit: float):
        self.c, self.A, self.b, self.method = c, A, b, method
        self.lower, self.upper = np.asarray(lower, float).copy(), np.asarray(upper, float).copy()
        self.whole = np.asarray(whole, int)
        self.deadline = time.perf_counter() + time_limit

    def __call__(self, lo: np.ndarray, hi: np.ndarray, cutoff: float | None = None) -> Outcome:
        lower, upper = self.lower.copy(), self.upper.copy()
        lower[self.whole], upper[self.whole] = lo, hi
        left = max(1e-3, self.deadline - time.perf_counter())
        return linprog(self.c, self.A, self.b, lower, upper, method=self.method, time_limit=left)


def milp(c, A, b, lower, upper, integrality, *, time_limit: float = DEFAULT_TIME_LIMIT,
         method: str = "simplex", warm: bool = HAVE_HIGHSPY) -> Outcome:
    """``min c @ x`` s.t. ``A @ x <= b``, ``lower <= x <= upper``, whole where ``integrality``.

    warm: nodes in one HiGHS instance (highspy); else each by SciPy's linprog, cold.
    """
    time_limit = check_time_limit(time_limit)
    whole = np.flatnonzero(np.asarray(integrality))
    lower, upper = np.asarray(lower, float), np.asarray(upper, float)
    if warm:
        hm = HighsModel(A, c, lower, upper, np.full(A.shape[0], -np.inf), b, time_limit=time_limit,
                        options=METHOD_OPTIONS[method])
        relax: Relax = WarmRelaxation(hm, whole, lower, upper, deadline=time.perf_counter() + time_limit)
    else:
        relax = ColdRelaxation(c, A, b, lower, upper, whole, method=method, time_limit=time_limit)
    return branch_and_bound(relax, c, whole, lower[whole], upper[whole], time_limit=time_limit)


# -- every whole plan within a tolerance of the best -----------------------------------


@dataclass(frozen=True)
class WholePlan:
    """One whole vector of the whole columns and its best completion.

    values: the whole columns' values (whole numbers); value: ``cost @ x``, the
    least cost of any point with those values; x: such a point (an LP solution
    with the whole columns fixed at ``values``, exactly).
    """

    values: np.ndarray
    value: float
    x: np.ndarray


@dataclass(frozen=True)
class NearOptimalPlans:
    """What :func:`near_optimal` found.

    status: OPTIMAL when the search ended (``plans`` are then the best
    ``count`` whole vectors within the tolerance, or all of them); INFEASIBLE
    when there is no whole plan; TIME_LIMIT when the time ran out (``plans``:
    those found by then, which are still the best in order, but more may be
    missing); ERROR when an LP failed. complete: ``plans`` holds every whole
    vector within the tolerance (False when the list was cut at ``count`` or
    the search did not finish). nodes: LPs solved in the search.
    """

    status: Status
    plans: tuple[WholePlan, ...]
    complete: bool
    message: str
    nodes: int = 0
    iterations: int = 0


def near_optimal(relax: Relax, cost: np.ndarray, whole: np.ndarray, lower: np.ndarray, upper: np.ndarray, *,
                 within: float, count: int, time_limit: float = DEFAULT_TIME_LIMIT,
                 check: Callable[[int, int], object] | None = None) -> NearOptimalPlans:
    """Every whole vector of the columns ``whole`` whose least ``cost @ x`` is within ``within`` of
    the whole optimum, best first, at most ``count`` of them.

    A best-bound search over the same LPs as :func:`branch_and_bound`: the open
    node of the least bound is solved next, and a node whose LP is whole at v
    goes back on the list with its LP value as its key, so that when it comes
    out again no open node can hold a better vector: v is the next plan, in
    order. The rest of that node, the node minus v, is split into disjoint
    boxes around v (for each whole column j: the columns before j fixed at v,
    column j at most ``v[j] - 1``, or at least ``v[j] + 1``), so every whole
    vector is found once and no extra variable or row is needed. A node is
    pruned when its bound is worse than the optimum plus ``within`` (and the
    pruning tolerance). The search ends at ``count + 1`` plans, which tells
    a list cut at ``count`` from a complete one.

    check(nodes, plans): called before each node; it may raise to stop the
    search (a cancel), which then leaves the relaxation as it is.
    """
    time_limit = check_time_limit(time_limit)
    deadline = time.perf_counter() + time_limit
    cost = np.asarray(cost, float)
    within = float(within)
    lo0, hi0 = whole_range(lower, upper)
    plans: list[WholePlan] = []
    if np.any(lo0 > hi0):
        return NearOptimalPlans(INFEASIBLE, (), True, "infeasible")
    nodes = iterations = 0
    # Open entries: (key, order of creation, lo, hi, the point of a whole node or None). The key is
    # the parent's LP value for a node not yet solved, the node's own for a whole one.
    heap: list[tuple[float, int, np.ndarray, np.ndarray, np.ndarray | None]] = [(-np.inf, 0, lo0, hi0, None)]
    created = 1

    def limit() -> float:  # the worst value a listed plan may have (inf until the optimum is known)
        if not plans:
            return np.inf
        best = plans[0].value
        return best + within + _slack(best)

    def push(key, lo, hi, point=None) -> None:
        nonlocal created
        heapq.heappush(heap, (key, created, lo, hi, point))
        created += 1

    def ended(status, message, complete=False) -> NearOptimalPlans:
        return NearOptimalPlans(status, tuple(plans[:count]), complete, message, nodes, iterations)

    while heap:
        key, _, lo, hi, point = heapq.heappop(heap)
        if key > limit():
            break  # every open node is worse than the tolerance allows
        if point is not None:  # a whole node: nothing open can be better
            values = point[whole]
            plans.append(WholePlan(values, key, point))
            if len(plans) > count:
                return ended(OPTIMAL, f"more than {count} plans within the tolerance")
            # the node minus v, in disjoint boxes
            fixed_lo, fixed_hi = lo.copy(), hi.copy()
            for j in range(values.size):
                if values[j] - 1 >= lo[j]:
                    h = fixed_hi.copy()
                    h[j] = values[j] - 1
                    push(key, fixed_lo.copy(), h)
                if values[j] + 1 <= hi[j]:
                    low = fixed_lo.copy()
                    low[j] = values[j] + 1
                    push(key, low, fixed_hi.copy())
                fixed_lo[j] = fixed_hi[j] = values[j]
            continue
        if check is not None:
            check(nodes, len(plans))
        if time.perf_counter() > deadline:
            return ended(TIME_LIMIT, "time limit reached: the plans found so far, best first")
        cutoff = limit()
        node = relax(lo, hi, cutoff if np.isfinite(cutoff) else None)
        nodes += 1
        iterations += node.iterations
        if node.status == INFEASIBLE:
            continue
        if node.status == TIME_LIMIT:
            return ended(TIME_LIMIT, "time limit reached: the plans found so far, best first")
        if node.status != OPTIMAL or node.x is None:
            return ended(ERROR, node.message)
        value = float(cost @ node.x)
        if value > cutoff:
            continue
        values = node.x[whole]
        off = np.abs(values - np.round(values))
        if off.max(initial=0.0) <= INTEGRALITY_TOLERANCE:
            v = np.clip(np.round(values), lo, hi)
            x = node.x
            if not np.array_equal(values, v):  # the completion with the whole columns exactly at v
                exact = relax(v, v, None)
                nodes += 1
                iterations += exact.iterations
                if exact.status != OPTIMAL or exact.x is None:
                    continue
                x, value = exact.x, float(cost @ exact.x)
            x = x.copy()
            x[whole] = v
            push(value, lo, hi, x)
            continue
        k = int(np.argmax(off))
        down_hi, up_lo = hi.copy(), lo.copy()
        down_hi[k], up_lo[k] = np.floor(values[k]), np.ceil(values[k])
        push(value, lo, down_hi)
        push(value, up_lo, hi)
    if not plans:
        return ended(INFEASIBLE, "infeasible", True)
    return ended(OPTIMAL, "every plan within the tolerance", True)
