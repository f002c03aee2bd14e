"""Why a scenario has no plan: the elastic problem.

Every soft row (floors, presence and enabler rules, camps, fielded and
in-service resources) gets a slack variable; minimising their weighted sum
finds the least that must give. Each slack left positive is reported by its
rule, resource or camp, where, when and by how much, with the lead times that
explain it where they do.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import row_words
from .lp.highs import DEFAULT_TIME_LIMIT, OPTIMAL, linprog
from .lp.stages import whole_bounds
from .lp.whole import milp
from .rule_text import rule_label
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
    lower, upper = whole_bounds(model)
    lower = np.append(lower, np.zeros(rows.size))
    upper = np.append(upper, np.full(rows.size, np.inf))
    if model.integrality.any():  # whole units can be what makes it infeasible
        out = milp(c, A, b, lower, upper, np.append(model.integrality, np.zeros(rows.size, np.uint8)),
                   time_limit=DIAGNOSIS_TIME_LIMIT, method="choose")
    else:
        out = linprog(c, A, b, lower, upper, method="choose", time_limit=DIAGNOSIS_TIME_LIMIT)
    if out.status != OPTIMAL:
        return []
    slack = out.x[n:]
    problems = []
    offset = 0
    for blk in soft:
        k = blk.stop - blk.start
        problems.extend(_describe(model, blk, b, slack[offset : offset + k], out.x[:n]))
        offset += k
    return problems


def _slack_weights(model, blk, b):
    """Make slacks comparable: a share of the floor, the presence, the capacity, the camp or the force."""
    rhs = np.abs(b[blk.rows])
    n = blk.stop - blk.start
    if blk.kind == "resource":
        cap = model.scenario.resource(blk.key).capacity
        return np.full(n, 1.0 / max(cap, 1.0))
    if blk.kind in ("camp", "camp_limit"):
        return 1.0 / np.maximum(rhs, 1.0)
    if blk.kind == "requires":  # units of an enabler (or of the capability, for any-of): a share of that force
        rule = row_words.rule_of(model.scenario, blk.key)
        caps = np.where(blk.index["capability"] >= 0, blk.index["capability"],
                        model.scenario.capabilities.index(model.scenario.capability(rule.capability)))
        force = np.array([c.existing + c.max_new for c in model.scenario.capabilities], float)
        return 1.0 / np.maximum(force[caps], 1.0)
    return 1.0 / np.maximum(rhs, 1e-6)


def _describe(model: LinearModel, blk, b, slack, v):
    s = model.scenario
    if blk.kind == "resource":
        if slack[0] <= SLACK_EPS * max(1.0, abs(b[blk.start])):
            return []
        q = s.resource(blk.key)
        need = q.capacity + slack[0]
        which = "in service" if q.basis == "in_service" else "already fielded"
        return [Problem(
            "resource", q.id,
            f"{q.name}: the units {which} need {need:,.0f} {q.unit} against a capacity "
            f"of {q.capacity:,.0f} (short by {slack[0]:,.0f})",
            float(slack[0]),
        )]
    short = np.flatnonzero(slack > SLACK_EPS)
    if blk.kind in ("camp", "camp_limit"):
        activity = model.A[blk.rows] @ v
        out = []
        for rows in _runs(blk, short, slack, "region"):
            i, r = rows[0], int(blk.index["region"][rows[0]])
            text = row_words.camp_text(s, blk, i, float(activity[i]), float(b[blk.start + i]), over=True)
            out.append(_problem(model, blk, rows, "camp", s.regions[r].id, text, float(slack[i]), region=r))
        return out
    rule = row_words.rule_of(s, blk.key)
    period = blk.index["period"]
    if blk.kind == "requires":
        have = row_words.row_sides(model, blk, v)[1]

        def hint(i):
            enabler = int(blk.index["capability"][i])
            return _lead_time_hint(model, int(period[i]), among=rule.needs,
                                   capability=s.capabilities[enabler].id if enabler >= 0 else None)

        out = []
        for rows in _runs(blk, short, slack, ("capability", "region", "zone"), hint):
            i = rows[0]
            msg = f"enabler rule '{rule_label(s, rule)}': " + row_words.requires_text(s, rule, blk, i, float(have[i]))
            r = int(blk.index["region"][i])
            out.append(_problem(model, blk, rows, "rule", rule.id, msg, float(slack[i]), hint(i),
                                region=r if r >= 0 else None))
        return out
    if rule.kind == "floor":
        def hint(i):
            return _lead_time_hint(model, int(period[i]), task=rule.task,
                                   region=s.regions[int(blk.index["region"][i])].id)
    else:
        def hint(i):
            return _lead_time_hint(model, int(period[i]), capability=rule.capability)
    out = []
    for rows in _runs(blk, short, slack, "region" if rule.kind == "floor" else None, hint):
        i = rows[0]
        gap = float(slack[i])
        if rule.kind == "floor":
            r = int(blk.index["region"][i])
            reached = max(0.0, rule.min_satisfaction - gap)
            msg = (f"floor '{rule_label(s, rule)}' reachable only to {reached:.0%} (not {rule.min_satisfaction:.0%}) "
                   f"in {s.regions[r].name}")
            out.append(_problem(model, blk, rows, "rule", rule.id, msg, gap, hint(i), region=r))
        else:  # min_units
            reached = max(0.0, rule.units - gap)
            cap = s.capability(rule.capability)
            msg = f"presence '{rule_label(s, rule)}' reachable only to {reached:.3g} of {rule.units:g} {cap.name} units"
            out.append(_problem(model, blk, rows, "rule", rule.id, msg, gap, hint(i)))
    return out


def _runs(blk, short, slack, place, hint=lambda i: "") -> list[list[int]]:
    """The short rows in runs: the same place (the index arrays named by ``place``), consecutive
    periods, the same shortfall and the same ``hint(row)``, each told in one line."""
    names = () if place is None else (place,) if isinstance(place, str) else place

    def key(i):
        return tuple(int(blk.index[n][i]) for n in names), float(slack[i]), hint(i)

    runs: list[list[int]] = []
    for i in short.tolist():
        if runs:
            last = runs[-1][-1]
            (here, gap, why), (there, gap0, why0) = key(i), key(last)
            if (here == there and why == why0 and abs(gap - gap0) < 1e-6
                    and int(blk.index["period"][last]) == int(blk.index["period"][i]) - 1):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs


def _problem(model, blk, rows, kind, key, msg, gap, hint="", region=None) -> Problem:
    """One line of the diagnosis for a run of rows (periods ``rows[0]`` to ``rows[-1]``)."""
    s = model.scenario
    p0, p1 = int(blk.index["period"][rows[0]]), int(blk.index["period"][rows[-1]])
    when = s.periods[p0].name if p0 == p1 else f"{s.periods[p0].name} to {s.periods[p1].name}"
    return Problem(kind, key, f"{msg}, {when}{hint}", gap,
                   None if region is None else s.regions[region].id, s.periods[p0].id)


def _lead_time_hint(model, p, task=None, region=None, capability=None, among=None):
    """Name the new units that would help but arrive only after period p (of ``capability``,
    or of the capabilities ``among`` names)."""
    s = model.scenario
    late = []
    for cap in s.capabilities:
        if cap.max_new <= 0 or cap.lead_time <= p:
            continue
        if capability is not None and cap.id != capability:
            continue
        if capability is None and among is not None and cap.id not in among:
            continue
        if task is not None and (cap.effect.get(task, 0) <= 0 or cap.region_factor.get(region, 1) <= 0):
            continue
        if cap.lead_time < len(s.periods):
            late.append(f"new {cap.name} units arrive only from {s.periods[cap.lead_time].name}")
        else:
            late.append(f"new {cap.name} units do not arrive within this cycle")
    return (": " + "; ".join(late)) if late else ""
