"""Why a scenario has no plan: the elastic problem.

Every soft row (floors, presence rules, fielded resources) gets a slack
variable; minimising their weighted sum finds the least that must give.
Each slack left positive is reported by its rule or resource, where, when and
by how much, with the lead times that explain it where they do.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .lp.highs import DEFAULT_TIME_LIMIT, OPTIMAL, linprog, milp
from .model import LinearModel
from .result import Problem

SLACK_EPS = 1e-7
# The diagnosis follows a solve that may have had the whole default limit.
DIAGNOSIS_TIME_LIMIT = DEFAULT_TIME_LIMIT / 2


def diagnose(model: LinearModel, b: np.ndarray | None = None) -> list[Problem]:
    """Name what must give for the scenario to have a plan."""
    b = model.b if b is None else b
    soft = [blk for blk in model.blocks if blk.soft]
    rows = np.concatenate([np.arange(blk.start, blk.stop) for blk in soft]) if soft else np.zeros(0, int)
    if rows.size == 0:
        return []
    weights = np.concatenate([_slack_weights(model, blk, b) for blk in soft])
    n = model.n_vars
    E = sp.csr_matrix((-np.ones(rows.size), (rows, np.arange(rows.size))), shape=(model.A.shape[0], rows.size))
    A = sp.hstack([model.A, E], format="csr")
    c = np.concatenate([np.zeros(n), weights])
    lower = np.append(model.lower, np.zeros(rows.size))
    upper = np.append(model.upper, np.full(rows.size, np.inf))
    if model.integrality.any():  # whole units can be what makes it infeasible
        out = milp(c, A, b, lower, upper, np.append(model.integrality, np.zeros(rows.size, np.uint8)),
                   time_limit=DIAGNOSIS_TIME_LIMIT, mip_rel_gap=None)
    else:
        out = linprog(c, A, b, lower, upper, method="choose", time_limit=DIAGNOSIS_TIME_LIMIT)
    if out.status != OPTIMAL:
        return []
    slack = out.x[n:]
    problems = []
    offset = 0
    for blk in soft:
        k = blk.stop - blk.start
        problems.extend(_describe(model, blk, b, slack[offset : offset + k]))
        offset += k
    return problems


def _slack_weights(model, blk, b):
    """Make slacks comparable: a share of the floor, the presence or the capacity."""
    rhs = np.abs(b[blk.rows])
    if blk.kind == "resource":
        cap = model.scenario.resource(blk.key).capacity
        return np.full(blk.stop - blk.start, 1.0 / max(cap, 1.0))
    return 1.0 / np.maximum(rhs, 1e-6)


def _describe(model: LinearModel, blk, b, slack):
    s = model.scenario
    out = []
    if blk.kind == "resource":
        if slack[0] > SLACK_EPS * max(1.0, abs(b[blk.start])):
            q = s.resource(blk.key)
            need = q.capacity + slack[0]
            out.append(Problem(
                "resource", q.id,
                f"{q.name}: the units already fielded need {need:,.0f} {q.unit} against a capacity "
                f"of {q.capacity:,.0f} (short by {slack[0]:,.0f})",
                float(slack[0]),
            ))
        return out
    rule = next(r for r in s.effective_rules if r.id == blk.key)
    short = np.flatnonzero(slack > SLACK_EPS)
    regions = blk.index["region"][short] if rule.kind == "floor" else np.full(short.size, -1)
    # One line per region and run of periods with the same shortfall and reason.
    runs: list[list] = []
    for i, r in zip(short.tolist(), regions.tolist()):
        p = int(blk.index["period"][i])
        if rule.kind == "floor":
            hint = _lead_time_hint(model, p, task=rule.task, region=s.regions[r].id)
        else:
            hint = _lead_time_hint(model, p, capability=rule.capability)
        last = runs[-1] if runs else None
        if (last and last[0] == r and last[2] == p - 1 and abs(last[3] - slack[i]) < 1e-6
                and last[4] == hint):
            last[2] = p
        else:
            runs.append([r, p, p, float(slack[i]), hint])
    for r, p0, p1, gap, hint in runs:
        when = s.periods[p0].name if p0 == p1 else f"{s.periods[p0].name} to {s.periods[p1].name}"
        if rule.kind == "floor":
            region = s.regions[r]
            reached = max(0.0, rule.min_satisfaction - gap)
            msg = (f"floor '{rule.label}' reachable only to {reached:.0%} "
                   f"(not {rule.min_satisfaction:.0%}) in {region.name}, {when}")
            out.append(Problem("rule", rule.id, msg + hint, gap, region.id, s.periods[p0].id))
        else:  # min_units
            reached = max(0.0, rule.units - gap)
            cap = s.capability(rule.capability)
            msg = (f"presence '{rule.label}' reachable only to {reached:.3g} of {rule.units:g} "
                   f"{cap.name} units, {when}")
            out.append(Problem("rule", rule.id, msg + hint, gap, None, s.periods[p0].id))
    return out


def _lead_time_hint(model, p, task=None, region=None, capability=None):
    """Name the new units that would help but arrive only after period p."""
    s = model.scenario
    late = []
    for cap in s.capabilities:
        if cap.max_new <= 0 or cap.lead_time <= p:
            continue
        if capability is not None and cap.id != capability:
            continue
        if task is not None and (cap.effect.get(task, 0) <= 0 or cap.region_factor.get(region, 1) <= 0):
            continue
        if cap.lead_time < len(s.periods):
            late.append(f"new {cap.name} units arrive only from {s.periods[cap.lead_time].name}")
        else:
            late.append(f"new {cap.name} units do not arrive within this cycle")
    return (": " + "; ".join(late)) if late else ""
