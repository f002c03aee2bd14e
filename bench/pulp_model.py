"""A straightforward PuLP formulation of MODEL.md's LP, for the baseline.

Written from the contract, not from ``planner.model``: one ``LpVariable`` per
cell, constraints built with ``lpSum`` over dictionaries, as someone would
write it with PuLP. Stage 1 only (maximise the score); the tie-break of
stage 2 is not modelled, so the baseline does less work than the planner.

``build(scenario)`` returns ``(problem, score_of)`` where ``score_of(problem)``
gives the 0-100 score of the solved problem: :func:`build_v1` for a scenario
that uses only contract v1, :func:`build_v2` (posture, enablers, drawdown, whole
units) otherwise. ``build_v2`` writes in PuLP the rows of the independent v2
formulation the tests compare the planner with (``tests/support/reference_v2``,
written from MODEL.md alone), one ``LpVariable`` per named variable, whole where
units are whole. :func:`solve` uses CBC where PuLP has it, else HiGHS through PuLP.
"""

from __future__ import annotations

from collections import defaultdict

import pulp


def build(s):
    """The PuLP problem of scenario ``s`` and its score function (v1 rows when v1 suffices)."""
    from planner.fields import uses_v2
    from planner.fileio import scenario_to_dict

    return build_v2(scenario_to_dict(s)) if uses_v2(s) or s.integer_units else build_v1(s)


def build_v2(d: dict):
    """Contract v2 (MODEL.md) for the scenario dict ``d``, from the tests' independent formulation."""
    import sys
    from pathlib import Path

    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from support.reference_v2 import INF, V2Params
    from support.reference_v2 import build as reference_build

    lp = reference_build(V2Params(d))
    prob = pulp.LpProblem("mandate_v2", pulp.LpMinimize)
    cols = [None] * len(lp.ub)
    for j in lp.index.values():
        ub = None if lp.ub[j] == INF else lp.ub[j]
        if lp.integer[j] and ub is not None:
            ub = float(int(ub + 1e-9))  # g <= max_new means g <= floor(max_new)
        name = "v" + str(j)
        cols[j] = pulp.LpVariable(name, lowBound=0, upBound=ub,
                                  cat=pulp.LpInteger if lp.integer[j] else pulp.LpContinuous)
    prob += pulp.lpSum(v * cols[lp.index[key]] for key, v in lp.objective.items())
    for i, (_, coefs, lo, hi) in enumerate(lp.rows):
        expr = pulp.lpSum(v * cols[j] for j, v in coefs.items())
        if lo == hi:
            prob += expr == lo, f"r{i}"
            continue
        if hi < INF:
            prob += expr <= hi, f"r{i}u"
        if lo > -INF:
            prob += expr >= lo, f"r{i}l"
    has_demand = bool(lp.objective)

    def score_of(problem) -> float:
        value = pulp.value(problem.objective) if has_demand else 0.0
        return min(100.0, max(0.0, -(value or 0.0)))

    return prob, score_of


def build_v1(s):
    P = range(len(s.periods))
    K = len(s.effective_returns)
    rho = s.effective_returns
    wsum = sum(t.weight for t in s.tasks)
    w_hat = {t.id: (t.weight / wsum if wsum > 0 else 0.0) for t in s.tasks}
    pw = [p.effective_weight for p in s.periods]
    region_zone = {r.id: r.zone for r in s.regions}
    rules = s.effective_rules
    forbids = [r for r in rules if r.kind == "forbid"]

    def forbidden(c, r, t):
        return any(
            (f.capability is None or f.capability == c)
            and (f.region is None or f.region == r)
            and (f.task is None or f.task == t)
            for f in forbids
        )

    prob = pulp.LpProblem("mandate", pulp.LpMaximize)

    # variables
    x = {}
    for cap in s.capabilities:
        for reg in s.regions:
            rf = cap.region_factor.get(reg.id, 1.0)
            for task in s.tasks:
                e = cap.effect.get(task.id, 0.0)
                if e * rf > 0 and not forbidden(cap.id, reg.id, task.id):
                    for p in P:
                        x[cap.id, reg.id, task.id, p] = pulp.LpVariable(
                            f"x_{cap.id}_{reg.id}_{task.id}_{p}", lowBound=0)
    g = {cap.id: pulp.LpVariable(f"g_{cap.id}", 0, cap.max_new) for cap in s.capabilities}
    demand = {}
    for t, per in s.demand.items():
        for r, d in per.items():
            if d.effective_importance > 0:
                demand[t, r] = d
    sat = {}
    for (t, r) in demand:
        for p in P:
            for k in range(K):
                sat[t, r, p, k] = pulp.LpVariable(f"s_{t}_{r}_{p}_{k}", 0, 1.0 / K)

    # objective
    obj_terms = []
    z_max = 0.0
    for (t, r), d in demand.items():
        for p in P:
            for k in range(K):
                coef = pw[p] * w_hat[t] * d.effective_importance * rho[k]
                obj_terms.append((sat[t, r, p, k], coef))
                z_max += coef / K
    prob += pulp.LpAffineExpression(obj_terms)

    # group x by the constraints they enter
    by_cp = defaultdict(list)
    by_crp = defaultdict(list)
    by_trp = defaultdict(list)
    by_p = defaultdict(list)
    for (c, r, t, p), var in x.items():
        by_cp[c, p].append(var)
        by_crp[c, r, p].append(var)
        by_trp[t, r, p].append((c, var))
        by_p[p].append((c, var))
    caps = {c.id: c for c in s.capabilities}

    # 1. availability
    for cap in s.capabilities:
        for p in P:
            avail = cap.existing + (g[cap.id] if p >= cap.lead_time else 0)
            prob += pulp.lpSum(by_cp[cap.id, p]) <= avail, f"avail_{cap.id}_{p}"
    # 2. region caps
    for cap in s.capabilities:
        if cap.max_per_region is not None:
            for reg in s.regions:
                for p in P:
                    if by_crp[cap.id, reg.id, p]:
                        prob += pulp.lpSum(by_crp[cap.id, reg.id, p]) <= cap.max_per_region, \
                            f"cap_{cap.id}_{reg.id}_{p}"
    # 3. effect
    for (t, r), d in demand.items():
        for p in P:
            delivered = pulp.lpSum(
                caps[c].effect[t] * caps[c].region_factor.get(r, 1.0) * var for c, var in by_trp[t, r, p])
            prob += d.need * pulp.lpSum(sat[t, r, p, k] for k in range(K)) <= delivered, f"eff_{t}_{r}_{p}"
    # 4. resources
    for q in s.resources:
        if q.basis == "generated":
            prob += pulp.lpSum(c.uses.get(q.id, 0.0) * g[c.id] for c in s.capabilities) <= q.capacity, q.id
        elif q.basis == "fielded":
            prob += pulp.lpSum(c.uses.get(q.id, 0.0) * (c.existing + g[c.id]) for c in s.capabilities) \
                <= q.capacity, q.id
        else:
            for p in P:
                prob += pulp.lpSum(caps[c].uses.get(q.id, 0.0) * var for c, var in by_p[p]
                                   if caps[c].uses.get(q.id, 0.0)) <= q.capacity, f"{q.id}_{p}"
    # 5. rules
    for rule in rules:
        lo = rule.from_period or 0
        hi = len(s.periods) - 1 if rule.to_period is None else rule.to_period
        periods = range(lo, hi + 1)
        if rule.region is not None:
            regions = [rule.region]
        elif rule.regions is not None:
            regions = list(rule.regions)
        else:
            regions = [r for r, z in region_zone.items() if z == rule.zone]
        if rule.kind == "floor":
            for r in regions:
                if (rule.task, r) not in demand:
                    continue
                for p in periods:
                    prob += pulp.lpSum(sat[rule.task, r, p, k] for k in range(K)) >= rule.min_satisfaction, \
                        f"floor_{rule.id}_{r}_{p}"
        elif rule.kind == "max_share":
            chosen = set(rule.capabilities) if rule.capabilities is not None else set(caps)
            on_task = pulp.lpSum(v for (c, r, t, p), v in x.items() if c in chosen and t == rule.task)
            total = pulp.lpSum(v for (c, r, t, p), v in x.items() if c in chosen)
            prob += on_task <= rule.max_share * total, f"share_{rule.id}"
        elif rule.kind == "min_units":
            for p in periods:
                prob += pulp.lpSum(v for r in regions for v in by_crp[rule.capability, r, p]) >= rule.units, \
                    f"units_{rule.id}_{p}"

    def score_of(problem) -> float:
        value = pulp.value(problem.objective)
        return 100.0 * (value or 0.0) / z_max if z_max > 0 else 0.0

    return prob, score_of


def solver_name() -> str:
    """The solver :func:`solve` uses: CBC where this PuLP has it, else HiGHS."""
    return "CBC" if "PULP_CBC_CMD" in pulp.listSolvers(onlyAvailable=True) else "HiGHS"


def solve(prob, time_limit: float | None = None):
    """Solve quietly with :func:`solver_name`'s solver; returns PuLP's status string."""
    if solver_name() == "CBC":
        solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    else:
        solver = pulp.HiGHS(msg=False, timeLimit=time_limit)
    prob.solve(solver)
    return pulp.LpStatus[prob.status]
