"""An independently built LP of contract v1 (MODEL.md): the optimum to compare against.

A dense model written here from the scenario dict (its own variable layout,
its own rows), solved by SciPy; it shares nothing with ``planner.model``.
"""

from __future__ import annotations

import numpy as np

from .params import Params


def reference_optimum(d: dict, time_limit: float = 20.0):
    """("optimal", score) | ("infeasible", None) | ("unknown", None), from a dense model built here."""
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp

    pr = Params(d)
    C, R, T, P, K = pr.C, pr.R, pr.T, pr.P, pr.rho.size
    pairs = [(t, r) for t in range(T) for r in range(R) if pr.imp[t, r] > 0]
    nx = C * R * T * P

    def X(c, r, t, p):
        return ((c * R + r) * T + t) * P + p

    def G(c):
        return nx + c

    def S(i, p, k):
        return nx + C + (i * P + p) * K + k

    n = nx + C + len(pairs) * P * K
    rows, rhs = [], []

    def row(coefs: dict, b: float):
        rows.append(coefs)
        rhs.append(b)

    for c in range(C):  # 1. availability
        for p in range(P):
            co = {X(c, r, t, p): 1.0 for r in range(R) for t in range(T)}
            if p >= pr.lead[c]:
                co[G(c)] = -1.0
            row(co, pr.existing[c])
    for c in range(C):  # 2. region caps
        if np.isfinite(pr.cap_r[c]):
            for r in range(R):
                for p in range(P):
                    row({X(c, r, t, p): 1.0 for t in range(T)}, pr.cap_r[c])
    for i, (t, r) in enumerate(pairs):  # 3. effect
        for p in range(P):
            co = {S(i, p, k): pr.need[t, r] for k in range(K)}
            for c in range(C):
                if pr.eff[c, t] * pr.rf[c, r] > 0:
                    co[X(c, r, t, p)] = -pr.eff[c, t] * pr.rf[c, r]
            row(co, 0.0)
    for q in d["resources"]:  # 4. resources
        use = pr.use(q["id"])
        if q["basis"] == "generated":
            row({G(c): use[c] for c in range(C)}, q["capacity"])
        elif q["basis"] == "fielded":
            row({G(c): use[c] for c in range(C)}, q["capacity"] - float(use @ pr.existing))
        else:
            for p in range(P):
                row(
                    {X(c, r, t, p): use[c] for c in range(C) for r in range(R) for t in range(T)},
                    q["capacity"],
                )
    pair_index = {pair: i for i, pair in enumerate(pairs)}
    for rule in pr.rules:  # 5. rules
        if rule["kind"] == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if pr.imp[t, r] > 0:
                    for p in pr.rule_periods(rule):
                        row({S(pair_index[(t, r)], p, k): -1.0 for k in range(K)}, -rule["min_satisfaction"])
        elif rule["kind"] == "max_share":
            cs = sorted({pr.caps.index(c) for c in rule.get("capabilities") or pr.caps})
            t0 = pr.tasks.index(rule["task"])
            row(
                {
                    X(c, r, t, p): (1.0 if t == t0 else 0.0) - rule["max_share"]
                    for c in cs
                    for r in range(R)
                    for t in range(T)
                    for p in range(P)
                },
                0.0,
            )
        elif rule["kind"] == "min_units":
            c = pr.caps.index(rule["capability"])
            for p in pr.rule_periods(rule):
                row({X(c, r, t, p): -1.0 for r in pr.rule_regions(rule) for t in range(T)}, -rule["units"])

    A = np.zeros((len(rows), n))
    for i, co in enumerate(rows):
        for j, v in co.items():
            A[i, j] += v
    b = np.array(rhs, float)
    upper = np.empty(n)
    for c in range(C):
        for r in range(R):
            for t in range(T):
                for p in range(P):
                    upper[X(c, r, t, p)] = np.inf if pr.allowed[c, r, t] else 0.0
        upper[G(c)] = pr.max_new[c]
    upper[nx + C :] = 1.0 / K
    cost = np.zeros(n)
    z_max = pr.z_max()
    if z_max > 0:
        for i, (t, r) in enumerate(pairs):
            for p in range(P):
                for k in range(K):
                    cost[S(i, p, k)] = -100.0 * pr.pw[p] * pr.w_hat[t] * pr.imp[t, r] * pr.rho[k] / z_max
    if pr.integer:
        integrality = np.zeros(n)
        integrality[nx : nx + C] = 1
        out = milp(
            cost,
            constraints=LinearConstraint(A, -np.inf, b) if len(rows) else None,
            integrality=integrality,
            bounds=Bounds(np.zeros(n), upper),
            options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
        )
    else:
        out = linprog(
            cost,
            A_ub=A if len(rows) else None,
            b_ub=b if len(rows) else None,
            bounds=np.column_stack([np.zeros(n), upper]),
            method="highs",
        )
    if out.status == 0:
        return "optimal", float(-out.fun) if z_max > 0 else 0.0
    if out.status == 2:
        return "infeasible", None
    return "unknown", None
