"""The plan oracle: every constraint of MODEL.md checked on a solved plan.

:func:`check_plan_json` (contract v2) works from the scenario dict and the plan as
``result.to_json()`` reports it: basing, reach, moves, camps, resources with moves,
distance and time in service, repatriation, enabler rules, the score recomputed from
the allocation, and ``gap_closed``. :func:`check_plan` (contract v1) recomputes
availability with lead times, region caps, effects, every resource basis, every
rule (every selector and period range, forbid rules, whole units) and the score
from the scenario dict and the plan alone (``result.generate`` and the
allocation rows). Neither looks at the solver's matrices. :func:`check_diagnosis` checks what an infeasible result
must carry. The independently built LPs that give the optimum to compare
against are :func:`support.reference_lp.reference_optimum` (v1) and
:func:`support.reference_v2.reference_v2`.
"""

from __future__ import annotations

import math

import numpy as np

from .params import Params, recomputed_score

TOL = 1e-6


def _tol(*scales) -> float:
    """Absolute tolerance for a constraint whose terms reach ``scales``."""
    finite = [abs(float(s)) for s in scales if np.isfinite(s)]
    return TOL * max([1.0] + finite)


def check_plan(d: dict, res) -> None:
    """Every constraint of MODEL.md, recomputed from ``res.generate`` and the allocation rows."""
    pr = Params(d)
    C, R, T, P = pr.C, pr.R, pr.T, pr.P
    assert set(res.generate) <= set(pr.caps), res.generate
    g = np.array([res.generate.get(c, 0.0) for c in pr.caps], float)
    assert np.isfinite(g).all()
    # the allocation, from its rows (ids), not from the solver's index arrays
    U = np.zeros((C, R, T, P))
    for row in res.allocation_rows():
        assert row["units"] > 0 and np.isfinite(row["units"]), row
        key = (
            pr.caps.index(row["capability"]),
            pr.regions.index(row["region"]),
            pr.tasks.index(row["task"]),
            pr.periods.index(row["period"]),
        )
        assert U[key] == 0, f"two rows for one cell: {row}"
        U[key] = row["units"]
    assert res.units_array().shape == (C, R, T, P)
    assert np.allclose(U, res.units_array())

    # g in [0, max_new], whole under integer_units
    assert (g >= -TOL).all() and (g <= pr.max_new + _tol(*pr.max_new)).all(), (g, pr.max_new)
    if pr.integer:
        assert np.array_equal(g, np.round(g)), g
    # units only where a capability has an effect, can operate and is not forbidden
    assert (U[~pr.allowed] == 0).all(), (
        "units in a cell with no effect, a zero region factor or a forbid rule"
    )
    # 1. availability, with lead times
    avail = pr.existing[:, None] + (np.arange(P)[None, :] >= pr.lead[:, None]) * g[:, None]
    employed = U.sum(axis=(1, 2))  # (C, P)
    assert (employed <= avail + TOL * np.maximum(1, avail)).all(), (employed, avail)
    # 2. region caps
    by_region = U.sum(axis=2)  # (C, R, P)
    assert (
        by_region
        <= pr.cap_r[:, None, None]
        + TOL * np.maximum(1, np.where(np.isfinite(pr.cap_r), pr.cap_r, 0))[:, None, None]
    ).all()
    # 3. effect: need * S <= what the units deliver; S in [0, 1]; NaN where there is no demand
    delivered = np.einsum("ct,cr,crtp->trp", pr.eff, pr.rf, U)
    S = np.asarray(res.satisfaction, float)
    assert S.shape == (T, R, P)
    has = pr.imp > 0
    assert np.isnan(S[~has]).all(), "satisfaction reported where there is no demand"
    S0 = np.where(has[..., None], S, 0.0)
    assert not np.isnan(S0).any()
    assert (S0 >= -TOL).all() and (S0 <= 1 + TOL).all()
    assert (pr.need[..., None] * S0 <= delivered + TOL * np.maximum(1, pr.need[..., None])).all()
    # 4. resources, by basis
    assert set(res.resources) == {q["id"] for q in d["resources"]}
    for q in d["resources"]:
        use = pr.use(q["id"])
        if q["basis"] == "generated":
            used = float(use @ g)
            assert used <= q["capacity"] + _tol(q["capacity"], used), (q, used)
        elif q["basis"] == "fielded":
            used = float(use @ (pr.existing + g))
            assert used <= q["capacity"] + _tol(q["capacity"], used), (q, used)
        else:
            per_period = np.einsum("c,crtp->p", use, U)
            assert (per_period <= q["capacity"] + _tol(q["capacity"], *per_period)).all(), (q, per_period)
            used = float(per_period.max())
        got = res.resources[q["id"]]
        assert got.used == _approx(used, _tol(used, q["capacity"])), (q["id"], got.used, used)
        assert got.capacity == q["capacity"]
        assert got.shadow_price >= 0 and np.isfinite(got.shadow_price)
    # 5. rules
    for rule in pr.rules:
        kind = rule["kind"]
        if kind == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if pr.imp[t, r] > 0:
                    for p in pr.rule_periods(rule):
                        assert S[t, r, p] >= rule["min_satisfaction"] - TOL, (rule, r, p, S[t, r, p])
        elif kind == "max_share":
            cs = [pr.caps.index(c) for c in rule.get("capabilities") or pr.caps]
            cs = sorted(set(cs))
            t = pr.tasks.index(rule["task"])
            total = U[cs].sum()
            assert U[cs][:, :, t].sum() <= rule["max_share"] * total + _tol(total), rule
        elif kind == "forbid":
            pass  # checked with the cells above
        elif kind == "min_units":
            c = pr.caps.index(rule["capability"])
            rs = pr.rule_regions(rule)
            for p in pr.rule_periods(rule):
                present = U[c][rs][:, :, p].sum()
                assert present >= rule["units"] - _tol(rule["units"]), (rule, p, present)
    # the score: in [0, 100] and what the satisfaction is worth by MODEL.md's formula
    assert 0.0 <= res.score <= 100.0, res.score
    assert abs(res.score - recomputed_score(pr, S0)) <= 1e-6, (res.score, recomputed_score(pr, S0))
    for tid, v in res.task_scores.items():
        assert v is None or 0.0 <= v <= 100.0 + 1e-9, (tid, v)


class _approx(float):
    """``x == _approx(y, tol)`` compares within tol (keeps the assert messages short)."""

    def __new__(cls, value, tol):
        obj = super().__new__(cls, value)
        obj.tol = tol
        return obj

    def __eq__(self, other):
        return abs(float(other) - float(self)) <= self.tol

    __hash__ = float.__hash__


def check_diagnosis(d: dict, res) -> None:
    assert res.status == "infeasible"
    assert res.diagnosis, f"an infeasible result must carry a diagnosis: {res.message!r}"
    assert res.message.strip() and res.message.strip().lower() != "infeasible"
    rule_ids = {r["id"] for r in d.get("rules") or []}
    res_ids = {q["id"] for q in d["resources"]}
    for problem in res.diagnosis:
        assert problem.message.strip(), problem
        assert problem.shortfall > 0 and math.isfinite(problem.shortfall), problem
        assert problem.kind in ("rule", "resource"), problem
        assert problem.key in (rule_ids if problem.kind == "rule" else res_ids), problem


# -- contract v2: the plan as ``result.to_json()`` reports it ------------------------------


def check_plan_json(d: dict, j: dict) -> None:
    """Every constraint of contract v2 (MODEL.md), recomputed from the scenario dict and the
    plan as ``solve --json`` reports it: ``generate``, ``repatriate``, the allocation rows
    (with ``base`` when stationing is on), ``basing`` and ``moves``; then the satisfaction,
    the score and the task scores from the allocation, and ``gap_closed`` from
    ``status_quo``. Works for v1 scenarios too (no stationing: no bases, no moves)."""
    from .params_v2 import KM_TOL, V2Params, score_of

    pr = V2Params(d)
    C, R, T, P = pr.C, pr.R, pr.T, pr.P
    assert j["status"] in ("optimal", "time_limit"), j["status"]
    cap_ix = {c: i for i, c in enumerate(pr.caps)}
    reg_ix = {r: i for i, r in enumerate(pr.regions)}
    task_ix = {t: i for i, t in enumerate(pr.tasks)}
    per_ix = {p: i for i, p in enumerate(pr.periods)}

    # -- g and z: in range, whole under integer_units
    assert set(j["generate"]) <= set(pr.caps), j["generate"]
    assert "repatriate" in j, "the result must report 'repatriate' (MODEL.md, Drawdown)"
    assert set(j["repatriate"] or {}) <= set(pr.caps), j["repatriate"]
    g = np.array([j["generate"].get(c, 0.0) for c in pr.caps], float)
    z = np.array([(j["repatriate"] or {}).get(c, 0.0) for c in pr.caps], float)
    for name, v, hi in (("generate", g, pr.max_new), ("repatriate", z, pr.max_rep)):
        assert np.isfinite(v).all(), (name, v)
        assert (v >= -TOL).all() and (v <= hi + TOL * np.maximum(1, hi)).all(), (name, v, hi)
        if pr.integer:
            assert np.array_equal(v, np.round(v)), f"{name} must be whole numbers: {v}"

    # -- the allocation: x[c, h, r, t, p] (h None without stationing)
    x: dict[tuple, float] = {}
    for row in j["allocation"]:
        u = row["units"]
        assert u > 0 and np.isfinite(u), row
        c, r, t, p = cap_ix[row["capability"]], reg_ix[row["region"]], task_ix[row["task"]], per_ix[row["period"]]
        if pr.stationing:
            assert row.get("base") in reg_ix, f"an allocation row without a base: {row}"
            h = reg_ix[row["base"]]
            assert h in pr.bases[c], f"employed from {row['base']}, not a base of {row['capability']}: {row}"
            assert pr.in_reach(c, h, r), (
                f"out of reach: d({row['base']}, {row['region']}) = {pr.dist[h, r]!r} km > "
                f"reach {pr.reach[c]!r}: {row}")
        else:
            assert row.get("base") is None, f"a base without stationing: {row}"
            h = None
        assert pr.cell[c, r, t], (
            f"units in a cell with no effect, a zero region factor or a forbid rule: {row}")
        key = (c, h, r, t, p)
        assert key not in x, f"two rows for one cell: {row}"
        x[key] = u

    Xa = np.zeros((C, R, T, P))  # employment X[c, r, t, p], summed over bases
    for (c, _h, r, t, p), v in x.items():
        Xa[c, r, t, p] += v
    from_base = {}  # (c, h, p) -> units employed from base h
    for (c, h, _r, _t, p), v in x.items():
        from_base[(c, h, p)] = from_base.get((c, h, p), 0.0) + v

    # -- basing and moves
    b = np.zeros((C, R, P))
    m = np.zeros((C, R, P))
    if pr.stationing:
        assert "basing" in j and "moves" in j, "with stationing the result reports 'basing' and 'moves'"
        for name, arr, rows in (("basing", b, j["basing"]), ("moves", m, j["moves"])):
            seen = set()
            for row in rows:
                c, h, p = cap_ix[row["capability"]], reg_ix[row["base"]], per_ix[row["period"]]
                assert (c, h, p) not in seen, f"two {name} rows for one cell: {row}"
                seen.add((c, h, p))
                assert np.isfinite(row["units"]) and row["units"] >= -TOL, row
                arr[c, h, p] = row["units"]
                if name == "basing":
                    assert h in pr.bases[c] or row["units"] <= TOL, (
                        f"based where it may not be (not a camp, or not in 'bases'): {row}")
                else:
                    assert h in pr.move_bases(c) or row["units"] <= TOL, f"a move from no base: {row}"
    else:
        for name in ("basing", "moves"):
            assert not j.get(name), f"'{name}' rows without stationing: {j.get(name)}"

    avail = np.array([[pr.existing[c] - z[c] + (g[c] if pr.arrived(c, p) else 0.0) for p in range(P)]
                      for c in range(C)])
    for c in range(C):
        for p in range(P):
            # 1. availability: units based (with stationing) or employed (without)
            total = b[c, :, p].sum() if pr.stationing else Xa[c, :, :, p].sum()
            assert total <= avail[c, p] + _tol(avail[c, p]), (
                f"{pr.caps[c]} in period {p}: {total!r} units {'based' if pr.stationing else 'employed'}, "
                f"{avail[c, p]!r} available (existing - repatriated + arrived)")
            if pr.stationing:
                for h in range(R):
                    used = from_base.get((c, h, p), 0.0)
                    assert used <= b[c, h, p] + _tol(b[c, h, p]), (
                        f"{pr.caps[c]} at {pr.regions[h]} in period {p}: {used!r} employed, {b[c, h, p]!r} based")
                    # 6. moves: at least the units that left
                    if p == 0:
                        left = (pr.init[c] or {}).get(h, 0.0) - b[c, h, 0]
                    else:
                        left = b[c, h, p - 1] - b[c, h, p]
                    assert m[c, h, p] >= left - _tol(left, b[c, h, p]), (
                        f"{pr.caps[c]} leaving {pr.regions[h]} before period {p}: {left!r} units left, "
                        f"moves report {m[c, h, p]!r}")
            # 2. region caps
            if np.isfinite(pr.cap_r[c]):
                for r in range(R):
                    v = Xa[c, r, :, p].sum()
                    assert v <= pr.cap_r[c] + _tol(pr.cap_r[c]), (pr.caps[c], pr.regions[r], p, v)

    # 7. camps
    if pr.stationing:
        for h in range(R):
            for p in range(P):
                if pr.campcap[h] is not None and pr.personnel is not None:
                    persons = sum(pr.use(c, pr.personnel) * b[c, h, p] for c in range(C))
                    assert persons <= pr.campcap[h] + _tol(pr.campcap[h], persons), (
                        f"camp {pr.regions[h]} period {p}: {persons!r} persons, capacity {pr.campcap[h]!r}")
                for cat, limit in pr.camp_limits[h].items():
                    units = sum(b[c, h, p] for c in range(C) if pr.category[c] == cat)
                    assert units <= limit + _tol(limit), (
                        f"camp {pr.regions[h]} period {p}: {units!r} '{cat}' units based, limit {limit!r}")

    # 3. effect: need * S <= delivered, S in [0, 1]; the satisfaction of every pair with demand
    delivered = np.zeros((T, R, P))
    for (c, h, r, t, p), v in x.items():
        delivered[t, r, p] += pr.coef(c, h, r, t, p) * v
    has = pr.imp > 0
    reported = j.get("satisfaction") or {}
    S = np.zeros((T, R, P))
    for t in range(T):
        for r in range(R):
            got = (reported.get(pr.tasks[t]) or {}).get(pr.regions[r])
            if not has[t, r]:
                assert got is None, f"satisfaction reported where there is no demand: {pr.tasks[t]}/{pr.regions[r]}"
                continue
            assert got is not None and len(got) == P, (pr.tasks[t], pr.regions[r], got)
            S[t, r] = got
    assert (S >= -TOL).all() and (S <= 1 + TOL).all(), S
    need = pr.need
    short = need * S - delivered
    assert (short <= TOL * np.maximum(1, need)).all(), (
        f"satisfaction above what the units deliver: max shortfall {short.max()!r} at "
        f"{np.unravel_index(short.argmax(), short.shape)}")

    # 4. resources
    assert set(j["resources"]) == {q["id"] for q in d["resources"]}, j["resources"]
    for q in d["resources"]:
        qid, basis, cap = q["id"], q["basis"], float(q["capacity"])
        per_period = np.zeros(P)  # moves and distance-driven use, by period
        for (c, h, r, _t, p), v in x.items():
            per_period[p] += pr.per_km(c, qid) * pr.km(h, r) * v
        for c in range(C):
            for h in range(R):
                for p in range(P):
                    per_period[p] += pr.move_use(c, qid) * m[c, h, p]
        use = np.array([pr.use(c, qid) for c in range(C)])
        if basis == "employed":
            per_period += np.einsum("c,crtp->p", use, Xa)
            assert (per_period <= cap + _tol(cap, *per_period)).all(), (qid, per_period, cap)
            used = float(per_period.max()) if P else 0.0
        else:
            if basis == "generated":
                base = float(use @ g)
            elif basis == "fielded":
                base = float(use @ (pr.existing - z + g))
            else:  # in_service
                base = float(sum(use @ avail[:, p] for p in range(P)))
            used = base + float(per_period.sum())
            assert used <= cap + _tol(cap, used), f"resource {qid} ({basis}): {used!r} used, capacity {cap!r}"
        got = j["resources"][qid]
        assert abs(got["used"] - used) <= _tol(used, cap), f"resource {qid} ({basis}): reports {got['used']!r} used, the plan uses {used!r}"
        assert got["capacity"] == cap, (qid, got["capacity"], cap)

    # 5. rules
    for rule in pr.rules:
        kind = rule["kind"]
        if kind == "floor":
            t = pr.tasks.index(rule["task"])
            for r in pr.rule_regions(rule):
                if has[t, r]:
                    for p in pr.rule_periods(rule):
                        assert S[t, r, p] >= rule["min_satisfaction"] - TOL, (rule["id"], r, p, S[t, r, p])
        elif kind == "max_share":
            cs = sorted({pr.caps.index(c) for c in rule.get("capabilities") or pr.caps})
            t = pr.tasks.index(rule["task"])
            total = Xa[cs].sum()
            assert Xa[cs][:, :, t].sum() <= rule["max_share"] * total + _tol(total), rule["id"]
        elif kind == "min_units":
            c = pr.caps.index(rule["capability"])
            rs = pr.rule_regions(rule)
            for p in pr.rule_periods(rule):
                present = Xa[c][rs][:, :, p].sum()
                assert present >= rule["units"] - _tol(rule["units"]), (rule["id"], p, present)
        elif kind == "requires":
            _check_requires(pr, rule, x, Xa, b, KM_TOL)

    # the score from the allocation: each pair satisfied as far as its delivery allows
    best = np.where(has[..., None], np.minimum(1.0, delivered / need), 0.0)
    score, tasks = score_of(pr, S)
    from_alloc, _ = score_of(pr, best)
    assert 0.0 <= j["score"] <= 100.0, j["score"]
    assert abs(j["score"] - score) <= 1e-6, f"score {j['score']!r}, the satisfaction is worth {score!r}"
    if j["status"] == "optimal":  # an optimum leaves no satisfaction its units could carry
        assert abs(j["score"] - from_alloc) <= 1e-6 * max(1.0, from_alloc), (
            f"score {j['score']!r}, the allocation is worth {from_alloc!r}")
    assert set(j["task_scores"]) == set(pr.tasks), j["task_scores"]
    for t, (tid, v) in enumerate(tasks.items()):
        got = j["task_scores"][tid]
        if v is None:
            assert got is None, (tid, got)
        elif pr.w_hat[t] > 0:
            assert got is not None and abs(got - v) <= 1e-6, f"task {tid}: reports {got!r}, worth {v!r}"
        else:  # a task of weight 0: its segments need not be filled best first
            assert got is not None and -1e-9 <= got <= v + 1e-6, f"task {tid}: reports {got!r}, at most {v!r}"
    check_gap_closed(j)


def _check_requires(pr, rule, x, Xa, b, km_tol) -> None:
    """ratio · A's employment ≤ each enabler's count (or Σ count / ratio with ``any``)."""
    a = pr.caps.index(rule["capability"])
    needs = {pr.caps.index(k): float(v) for k, v in rule["needs"].items()}
    via = None if rule.get("via_task") is None else pr.tasks.index(rule["via_task"])
    beyond = rule.get("beyond_km")
    based_within = (rule.get("count") or "employed") == "based_within"
    for p in pr.rule_periods(rule):
        for group in pr.requires_groups(rule):
            lhs = 0.0
            for (c, h, r, _t, p2), v in x.items():
                if c == a and p2 == p and r in group:
                    if beyond is None or (h is not None and pr.dist[h, r] > beyond + km_tol):
                        lhs += v
            counts = {}
            for e in needs:
                if based_within:
                    counts[e] = sum(b[e, h, p] for h in range(pr.R)
                                    if min(pr.dist[h, r] for r in group) <= rule["within_km"] + km_tol)
                elif via is not None:
                    counts[e] = float(Xa[e, group, via, p].sum())
                else:
                    counts[e] = float(Xa[e, group, :, p].sum())
            where = f"rule {rule['id']} in {[pr.regions[r] for r in group]} period {p}"
            if rule.get("any"):
                cover = sum(counts[e] / needs[e] for e in needs)
                assert lhs <= cover + _tol(lhs, cover), f"{where}: {lhs!r} employed, enablers cover {cover!r}"
            else:
                for e, ratio in needs.items():
                    assert ratio * lhs <= counts[e] + _tol(ratio * lhs, counts[e]), (
                        f"{where}: {ratio!r} x {lhs!r} needed of {pr.caps[e]}, {counts[e]!r} counted")


def check_gap_closed(j: dict) -> None:
    """``gap_closed`` = (score − status quo) / (100 − status quo); null without a status quo
    plan or when the status quo already scores 100 (MODEL.md, Refinements 7)."""
    assert "status_quo" in j and "gap_closed" in j, "the result must report 'status_quo' and 'gap_closed'"
    sq = j["status_quo"]
    if sq is None:
        assert j["gap_closed"] is None, j["gap_closed"]
        # "or null with the reason": the contract does not name the key, only that it is said
        reasons = [v for k, v in j.items() if k.startswith("status_quo") and isinstance(v, str) and v.strip()]
        assert reasons, "a status quo of null must come with the reason"
        return
    assert 0.0 <= sq["score"] <= 100.0, sq
    # the status quo is one of the plans the planner chose from
    assert sq["score"] <= j["score"] + 1e-6, (sq["score"], j["score"])
    gap = j["gap_closed"]
    if gap is not None:
        # the plan is never worse than the status quo, nor better than 100
        assert -1e-6 <= gap <= 1.0 + 1e-6, f"gap_closed {gap!r} (score {j['score']!r}, status quo {sq['score']!r})"
    if sq["score"] >= 100.0 - 1e-9:
        assert gap is None, gap
        return
    if 100.0 - sq["score"] <= 1e-4:
        return  # 100 within the contract's 1e-6 relative: the ratio is noise over noise
    want = (j["score"] - sq["score"]) / (100.0 - sq["score"])
    assert gap is not None and abs(gap - want) <= 1e-6, (gap, want)


def check_diagnosis_json(d: dict, j: dict) -> None:
    """An infeasible v2 result names what had to give (MODEL.md, Infeasible scenarios): at
    least one problem, each with a message and a positive shortfall; a rule or resource it
    names exists."""
    assert j["status"] == "infeasible", j["status"]
    assert j["diagnosis"], f"an infeasible result must carry a diagnosis: {j.get('message')!r}"
    assert (j.get("message") or "").strip().lower() not in ("", "infeasible"), j.get("message")
    known = {"rule": {r["id"] for r in d.get("rules") or []}, "resource": {q["id"] for q in d["resources"]}}
    for problem in j["diagnosis"]:
        assert (problem.get("message") or "").strip(), problem
        assert problem["shortfall"] > 0 and math.isfinite(problem["shortfall"]), problem
        if problem.get("kind") in known:
            assert problem["id"] in known[problem["kind"]], problem
