"""An independently built LP of contract v2 (MODEL.md): the optimum to compare against.

Written from MODEL.md alone, for small cases: every variable is a named key
(``("x", c, h, r, t, p)``, ``("b", c, h, p)``, …) and every row a dictionary
of coefficients, built with explicit loops and solved by SciPy (``linprog``,
or ``milp`` when units are whole). It shares nothing with ``planner.model``;
only the distances come from ``planner.geo`` (see :mod:`support.params_v2`).

Without stationing there is one "base", ``None``, for every capability, and
the variables are v1's ``x[c, r, t, p]``; with stationing every capability is
based. The score is the one-stage optimum (no tie-break): only the score is
unique, so only it is compared; ``task_scores`` and ``values`` are one optimal
plan's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .params_v2 import KM_TOL, V2Params

INF = float("inf")


@dataclass
class ReferenceResult:
    status: str  # "optimal" | "infeasible" | "unknown"
    score: float | None = None
    task_scores: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # variable key -> value, one optimal plan

    def get(self, *key) -> float:
        return self.values.get(tuple(key), 0.0)


class _Builder:
    """Named variables and rows of coefficients."""

    def __init__(self):
        self.index: dict[tuple, int] = {}
        self.ub: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[str, dict, float, float]] = []  # name, {var: coef}, lo, hi

    def var(self, key: tuple, ub: float = INF, integer: bool = False) -> int:
        assert key not in self.index, key
        self.index[key] = len(self.ub)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return self.index[key]

    def has(self, key: tuple) -> bool:
        return key in self.index

    def row(self, name: str, coefs: dict, lo: float = -INF, hi: float = INF) -> None:
        merged: dict[int, float] = {}
        for key, v in coefs.items():
            j = self.index[key]
            merged[j] = merged.get(j, 0.0) + v
        self.rows.append((name, merged, lo, hi))


def _add(coefs: dict, key: tuple, v: float) -> None:
    if v != 0:
        coefs[key] = coefs.get(key, 0.0) + v


def build(pr: V2Params, status_quo: bool = False) -> _Builder:
    """The v2 model of MODEL.md as named variables and rows (minimise ``objective``)."""
    lp = _Builder()
    C, R, T, P, K = pr.C, pr.R, pr.T, pr.P, pr.K

    # -- variables ------------------------------------------------------------------
    for c in range(C):
        lp.var(("g", c), 0.0 if status_quo else pr.max_new[c], pr.integer)
        lp.var(("z", c), 0.0 if status_quo else pr.max_rep[c], pr.integer)
        for h in pr.bases_of(c):
            for r in range(R):
                for t in range(T):
                    if pr.employable(c, h, r, t):
                        for p in range(P):
                            lp.var(("x", c, h, r, t, p))
        if pr.stationing:
            for h in pr.bases[c]:
                for p in range(P):
                    lp.var(("b", c, h, p))
            for h in pr.move_bases(c):
                for p in range(P):
                    if p == 0 and pr.init[c] is not None and h in pr.init[c]:
                        lp.var(("m", c, h, 0))
                    elif p >= 1 and h in pr.bases[c]:
                        lp.var(("m", c, h, p))
    pairs = [(t, r) for t in range(T) for r in range(R) if pr.imp[t, r] > 0]
    for t, r in pairs:
        for p in range(P):
            for k in range(K):
                lp.var(("s", t, r, p, k), 1.0 / K)

    def xs(c, r, t, p):
        """Keys of x[c, h, r, t, p] over every base h."""
        return [("x", c, h, r, t, p) for h in pr.bases_of(c) if lp.has(("x", c, h, r, t, p))]

    def ms(c, p):
        return [("m", c, h, p) for h in pr.move_bases(c) if lp.has(("m", c, h, p))]

    # -- 1. availability (and basing) -------------------------------------------------
    for c in range(C):
        for p in range(P):
            co: dict = {("z", c): 1.0}
            if pr.arrived(c, p):
                _add(co, ("g", c), -1.0)
            if pr.stationing:
                for h in pr.bases[c]:
                    _add(co, ("b", c, h, p), 1.0)
                    from_base = {("b", c, h, p): -1.0}
                    for r in range(R):
                        for t in range(T):
                            if lp.has(("x", c, h, r, t, p)):
                                _add(from_base, ("x", c, h, r, t, p), 1.0)
                    lp.row(f"from-base {c} {h} {p}", from_base, hi=0.0)
            else:
                for r in range(R):
                    for t in range(T):
                        for key in xs(c, r, t, p):
                            _add(co, key, 1.0)
            lp.row(f"availability {c} {p}", co, hi=pr.existing[c])

    # -- 2. region caps ---------------------------------------------------------------
    for c in range(C):
        if np.isfinite(pr.cap_r[c]):
            for r in range(R):
                for p in range(P):
                    co = {key: 1.0 for t in range(T) for key in xs(c, r, t, p)}
                    if co:
                        lp.row(f"region cap {c} {r} {p}", co, hi=pr.cap_r[c])

    # -- 3. effect --------------------------------------------------------------------
    for t, r in pairs:
        for p in range(P):
            co = {("s", t, r, p, k): pr.need[t, r, p] for k in range(K)}
            for c in range(C):
                for h in pr.bases_of(c):
                    if lp.has(("x", c, h, r, t, p)):
                        _add(co, ("x", c, h, r, t, p), -pr.coef(c, h, r, t, p))
            lp.row(f"effect {t} {r} {p}", co, hi=0.0)

    # -- 4. resources -----------------------------------------------------------------
    for q in pr.resources:
        qid, basis, cap = q["id"], q["basis"], float(q["capacity"])

        def extras(periods, qid=qid):
            """Moves and distance-driven use in the given periods."""
            co: dict = {}
            for c in range(C):
                for p in periods:
                    for key in ms(c, p):
                        _add(co, key, pr.move_use(c, qid))
                    upk = pr.per_km(c, qid)
                    if upk:
                        for h in pr.bases_of(c):
                            for r in range(R):
                                for t in range(T):
                                    if lp.has(("x", c, h, r, t, p)):
                                        _add(co, ("x", c, h, r, t, p), upk * pr.km(h, r))
            return co

        if basis == "employed":
            for p in range(P):
                co = extras([p])
                for c in range(C):
                    for r in range(R):
                        for t in range(T):
                            for key in xs(c, r, t, p):
                                _add(co, key, pr.use(c, qid))
                lp.row(f"resource {qid} {p}", co, hi=cap)
            continue
        co = extras(range(P))
        rhs = cap
        for c in range(C):
            u = pr.use(c, qid)
            if basis == "generated":
                _add(co, ("g", c), u)
            elif basis == "fielded":
                _add(co, ("g", c), u)
                _add(co, ("z", c), -u)
                rhs -= u * pr.existing[c]
            elif basis == "in_service":
                arrived = sum(1 for p in range(P) if pr.arrived(c, p))
                _add(co, ("g", c), u * arrived)
                _add(co, ("z", c), -u * P)
                rhs -= u * P * pr.existing[c]
            else:
                raise ValueError(f"unknown basis {basis!r}")
        lp.row(f"resource {qid}", co, hi=rhs)

    # -- 5. rules ---------------------------------------------------------------------
    for rule in pr.rules:
        kind = rule["kind"]
        if kind == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if pr.imp[t, r] > 0:
                    for p in pr.rule_periods(rule):
                        lp.row(f"floor {rule['id']} {r} {p}",
                               {("s", t, r, p, k): 1.0 for k in range(K)}, lo=rule["min_satisfaction"])
        elif kind == "max_share":
            cs = sorted({pr.caps.index(c) for c in rule.get("capabilities") or pr.caps})
            t0 = pr.tasks.index(rule["task"])
            co = {}
            for c in cs:
                for r in range(R):
                    for t in range(T):
                        for p in range(P):
                            for key in xs(c, r, t, p):
                                _add(co, key, (1.0 if t == t0 else 0.0) - rule["max_share"])
            if co:
                lp.row(f"max_share {rule['id']}", co, hi=0.0)
        elif kind == "min_units":
            c = pr.caps.index(rule["capability"])
            for p in pr.rule_periods(rule):
                co = {key: 1.0 for r in pr.rule_regions(rule) for t in range(T) for key in xs(c, r, t, p)}
                lp.row(f"min_units {rule['id']} {p}", co, lo=rule["units"])
        elif kind == "requires":
            _requires(lp, pr, rule, xs)

    # -- 6. moves ---------------------------------------------------------------------
    for c in range(C):
        for h in pr.move_bases(c):
            for p in range(P):
                if not lp.has(("m", c, h, p)):
                    continue
                co = {("m", c, h, p): 1.0}
                if p == 0:
                    if h in pr.bases[c]:
                        _add(co, ("b", c, h, 0), 1.0)
                    lp.row(f"move {c} {h} 0", co, lo=pr.init[c][h])
                else:
                    _add(co, ("b", c, h, p - 1), -1.0)
                    _add(co, ("b", c, h, p), 1.0)
                    lp.row(f"move {c} {h} {p}", co, lo=0.0)

    # -- 7. camps ---------------------------------------------------------------------
    if pr.stationing:
        for h in range(R):
            for p in range(P):
                if pr.campcap[h] is not None and pr.personnel is not None:
                    co = {}
                    for c in range(C):
                        if h in pr.bases[c]:
                            _add(co, ("b", c, h, p), pr.use(c, pr.personnel))
                    if co:
                        lp.row(f"camp {h} {p}", co, hi=pr.campcap[h])
                for cat, limit in pr.camp_limits[h].items():
                    co = {("b", c, h, p): 1.0 for c in range(C) if pr.category[c] == cat and h in pr.bases[c]}
                    if co:
                        lp.row(f"camp limit {h} {cat} {p}", co, hi=limit)

    # -- objective --------------------------------------------------------------------
    lp.objective = {}
    zmax = pr.z_max()
    if zmax > 0:
        for t, r in pairs:
            for p in range(P):
                for k in range(K):
                    v = 100.0 * pr.pw[p] * pr.w_hat[t] * pr.imp[t, r] * pr.rho[k] / zmax
                    if v:
                        lp.objective[("s", t, r, p, k)] = -v
    lp.pairs = pairs
    return lp


def _requires(lp: _Builder, pr: V2Params, rule: dict, xs) -> None:
    """ratio · (A's employment) ≤ (B's count), per period and group (MODEL.md, Enabler links).

    With ``based_within`` and scope zone (the contract speaks of one region r), an enabler
    based within W of any region of the group counts once for the group: cover, not use."""
    a = pr.caps.index(rule["capability"])
    needs = {pr.caps.index(b): float(v) for b, v in rule["needs"].items()}
    via = None if rule.get("via_task") is None else pr.tasks.index(rule["via_task"])
    beyond = rule.get("beyond_km")
    based_within = (rule.get("count") or "employed") == "based_within"
    within = rule.get("within_km")
    for p in pr.rule_periods(rule):
        for group in pr.requires_groups(rule):
            lhs: dict = {}
            for r in group:
                for h in pr.bases_of(a):
                    if beyond is not None and not (h is not None and pr.dist[h, r] > beyond + KM_TOL):
                        continue
                    for t in range(pr.T):
                        if lp.has(("x", a, h, r, t, p)):
                            _add(lhs, ("x", a, h, r, t, p), 1.0)

            def count(b, group=group, p=p):
                co: dict = {}
                if based_within:
                    for h in pr.bases[b]:
                        if min(pr.dist[h, r] for r in group) <= within + KM_TOL:
                            _add(co, ("b", b, h, p), 1.0)
                else:
                    for r in group:
                        for t in ([via] if via is not None else range(pr.T)):
                            for key in xs(b, r, t, p):
                                _add(co, key, 1.0)
                return co

            name = f"requires {rule['id']} {group} {p}"
            if rule.get("any"):
                co = dict(lhs)
                for b, ratio in needs.items():
                    for key, v in count(b).items():
                        _add(co, key, -v / ratio)
                if co:
                    lp.row(name, co, hi=0.0)
            else:
                for b, ratio in needs.items():
                    co = {key: ratio * v for key, v in lhs.items()}
                    for key, v in count(b).items():
                        _add(co, key, -v)
                    if co:
                        lp.row(f"{name} {b}", co, hi=0.0)


def solve_lp(lp: _Builder, time_limit: float = 30.0):
    """(status, x) of the built model: SciPy's ``linprog``; with whole units, a branch and
    bound of this module's own over ``linprog`` relaxations (HiGHS's MIP search, with or
    without presolve, has been seen to report a worse plan than a feasible one as optimal on
    these small models; its LP solves are what everything here relies on)."""
    import time

    from scipy.sparse import csr_matrix

    n = len(lp.ub)
    cost = np.zeros(n)
    for key, v in lp.objective.items():
        cost[lp.index[key]] = v
    data, ri, ci, rhs = [], [], [], []
    for _, coefs, lo, hi in lp.rows:  # every row as  a·x <= b
        for sign, bound in ((1.0, hi), (-1.0, -lo if lo > -INF else INF)):
            if bound == INF:
                continue
            i = len(rhs)
            for j, v in coefs.items():
                ri.append(i)
                ci.append(j)
                data.append(sign * v)
            rhs.append(bound)
    A = csr_matrix((data, (ri, ci)), shape=(len(rhs), n)) if rhs else None
    b = np.array(rhs) if rhs else None
    lower, upper = np.zeros(n), np.array(lp.ub, float)
    whole = [j for j in range(n) if lp.integer[j]]
    if not whole:
        return _relaxation(cost, A, b, lower, upper)
    # whole units: bounds are whole too (g <= max_new means g <= floor(max_new))
    upper[whole] = np.floor(upper[whole] + 1e-9)
    deadline = time.monotonic() + time_limit
    best_value, best_x = INF, None
    stack = [(lower, upper)]
    while stack:
        if time.monotonic() > deadline:
            return "unknown", None
        lo, hi = stack.pop()
        status, x = _relaxation(cost, A, b, lo, hi)
        if status == "unknown":
            return "unknown", None
        if status != "optimal":
            continue
        value = float(cost @ x)
        if value >= best_value - 1e-9 * max(1.0, abs(best_value)):
            continue  # cannot beat the best whole-unit plan so far
        frac = [j for j in whole if abs(x[j] - round(x[j])) > 1e-7]
        if not frac:
            fixed_lo, fixed_hi = lo.copy(), hi.copy()
            fixed_lo[whole] = fixed_hi[whole] = np.round(x[whole])
            status, y = _relaxation(cost, A, b, fixed_lo, fixed_hi)  # a clean completion
            if status == "optimal" and float(cost @ y) < best_value:
                best_value, best_x = float(cost @ y), y
            continue
        j = max(frac, key=lambda k: abs(x[k] - round(x[k])))
        down_hi, up_lo = hi.copy(), lo.copy()
        down_hi[j], up_lo[j] = np.floor(x[j]), np.ceil(x[j])
        stack.append((up_lo, hi))
        stack.append((lo, down_hi))
    if best_x is None:
        return "infeasible", None
    return "optimal", best_x


def _relaxation(cost, A, b, lower, upper):
    from scipy.optimize import linprog

    out = linprog(cost, A_ub=A, b_ub=b, bounds=np.column_stack([lower, upper]), method="highs")
    if out.status == 0:
        return "optimal", np.asarray(out.x)
    if out.status == 2:
        return "infeasible", None
    return "unknown", None


def reference_v2(d: dict, status_quo: bool = False, time_limit: float = 30.0) -> ReferenceResult:
    """The optimum of contract v2 for scenario dict ``d`` (``status_quo``: with g = z = 0)."""
    pr = V2Params(d)
    lp = build(pr, status_quo)
    status, x = solve_lp(lp, time_limit)
    if status != "optimal":
        return ReferenceResult(status)
    values = {key: float(x[j]) for key, j in lp.index.items() if abs(x[j]) > 1e-12}
    K = pr.K
    num = np.zeros(pr.T)
    for t, r in lp.pairs:
        for p in range(pr.P):
            for k in range(K):
                num[t] += pr.pw[p] * pr.imp[t, r] * pr.rho[k] * values.get(("s", t, r, p, k), 0.0)
    den = pr.task_denominators()
    tasks = {tid: (100.0 * num[t] / den[t] if den[t] > 0 else None) for t, tid in enumerate(pr.tasks)}
    zmax = pr.z_max()
    score = 0.0 - sum(v * values.get(key, 0.0) for key, v in lp.objective.items()) if zmax > 0 else 0.0
    score = min(100.0, max(0.0, score))  # float noise at the ends of [0, 100]
    return ReferenceResult("optimal", float(score), tasks, values)


#: the tie-break of MODEL.md (Objective and tie-break, v2), in its order
TIE_BREAK = ("repatriated", "generated", "moved", "employed")
_TIE_KIND = {"repatriated": "z", "generated": "g", "moved": "m", "employed": "x"}


def reference_tie_break(d: dict, time_limit: float = 30.0) -> dict | None:
    """The tie-break's totals, solved one stage at a time: the best score, then among plans
    with that score (within 1e-10 relative) the fewest units repatriated, then generated, then
    moved, then employed (each total kept, within 1e-9, in the later stages). A low-weight
    cell lets a total fall by (score tolerance) / (its score per unit): compare with room.
    ``{"score": ..., "repatriated": Σz, "generated": Σg, "moved": Σm, "employed": Σx}``,
    or None when the scenario has no plan (or a stage did not finish)."""
    pr = V2Params(d)
    lp = build(pr)
    status, x = solve_lp(lp, time_limit)
    if status != "optimal":
        return None
    score_expr = {key: -v for key, v in lp.objective.items()}  # the score, as a row
    best = float(sum(v * x[lp.index[key]] for key, v in score_expr.items()))
    out = {"score": best}
    if score_expr:
        lp.row("score", score_expr, lo=best - 1e-10 * max(1.0, abs(best)))
    for name in TIE_BREAK:
        total = {key: 1.0 for key in lp.index if key[0] == _TIE_KIND[name]}
        lp.objective = dict(total)
        status, x = solve_lp(lp, time_limit)
        if status != "optimal":
            return None
        value = float(sum(x[lp.index[key]] for key in total))
        out[name] = value
        if total:
            lp.row(name, total, hi=value + 1e-9 * max(1.0, abs(value)))
    return out


def plan_json(d: dict, ref: ReferenceResult, status_quo: ReferenceResult | None = None) -> dict:
    """The reference's plan in the shape of ``result.to_json()`` (MODEL.md, solve --json),
    for checking the oracle itself; resource use is recomputed here from the plan."""
    pr = V2Params(d)
    v = ref.values
    P = pr.P

    def hid(h):
        return None if h is None else pr.regions[h]

    allocation, basing, moves = [], [], []
    for key, units in sorted(v.items(), key=lambda kv: str(kv[0])):
        if units <= 1e-9:
            continue
        if key[0] == "x":
            _, c, h, r, t, p = key
            row = {"capability": pr.caps[c], "region": pr.regions[r], "task": pr.tasks[t],
                   "period": pr.periods[p], "units": units}
            if pr.stationing:
                row["base"] = hid(h)
            allocation.append(row)
        elif key[0] in ("b", "m"):
            _, c, h, p = key
            (basing if key[0] == "b" else moves).append(
                {"capability": pr.caps[c], "base": pr.regions[h], "period": pr.periods[p], "units": units})
    satisfaction = {}
    for t in range(pr.T):
        for r in range(pr.R):
            if pr.imp[t, r] > 0:
                satisfaction.setdefault(pr.tasks[t], {})[pr.regions[r]] = [
                    min(1.0, sum(v.get(("s", t, r, p, k), 0.0) for k in range(pr.K))) for p in range(P)]
    g = {c: v.get(("g", i), 0.0) for i, c in enumerate(pr.caps)}
    z = {c: v.get(("z", i), 0.0) for i, c in enumerate(pr.caps)}
    resources = {}
    for q in pr.resources:
        qid = q["id"]
        per = np.zeros(P)
        total = 0.0
        for key, units in v.items():
            if key[0] == "x":
                _, c, h, r, t, p = key
                per[p] += pr.per_km(c, qid) * pr.km(h, r) * units
                if q["basis"] == "employed":
                    per[p] += pr.use(c, qid) * units
            elif key[0] == "m":
                _, c, h, p = key
                per[p] += pr.move_use(c, qid) * units
        for c in range(pr.C):
            u = pr.use(c, qid)
            gc, zc = g[pr.caps[c]], z[pr.caps[c]]
            if q["basis"] == "generated":
                total += u * gc
            elif q["basis"] == "fielded":
                total += u * (pr.existing[c] - zc + gc)
            elif q["basis"] == "in_service":
                total += sum(u * (pr.existing[c] - zc + (gc if pr.arrived(c, p) else 0.0)) for p in range(P))
        used = float(per.max()) if q["basis"] == "employed" else total + float(per.sum())
        resources[qid] = {"used": used, "capacity": float(q["capacity"]), "shadow_price": 0.0, "basis": q["basis"]}
    out = {
        "status": ref.status, "score": ref.score, "task_scores": dict(ref.task_scores),
        "generate": {c: u for c, u in g.items() if u > 0}, "repatriate": {c: u for c, u in z.items() if u > 0},
        "allocation": allocation, "resources": resources, "satisfaction": satisfaction,
    }
    if pr.stationing:
        out["basing"], out["moves"] = basing, moves
    if status_quo is None or status_quo.status != "optimal":
        out["status_quo"], out["gap_closed"] = None, None
        out["status_quo_reason"] = "without new units or repatriation no plan meets every rule"
    else:
        sq = status_quo.score
        out["status_quo"] = {"score": sq, "task_scores": dict(status_quo.task_scores)}
        out["gap_closed"] = None if sq >= 100.0 - 1e-9 else (ref.score - sq) / (100.0 - sq)
    return out
