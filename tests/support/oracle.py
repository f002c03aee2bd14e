"""The plan oracle: every constraint of contract v1 (MODEL.md) checked on a solved plan.

:func:`check_plan` recomputes availability with lead times, region caps,
effects, every resource basis, every rule (every selector and period range,
forbid rules, whole units) and the score from the scenario dict and the plan
alone (``result.generate`` and the allocation rows); it never looks at the
solver's matrices. :func:`check_diagnosis` checks what an infeasible result
must carry. The independently built LP that gives the optimum to compare
against is :func:`support.reference_lp.reference_optimum`.
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
