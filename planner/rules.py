"""The rows of the council's policy rules (MODEL.md 5, and ``requires`` of contract v2).

``floor``, ``max_share`` and ``min_units`` are v1's; ``forbid`` removes cells
before the model has columns (:func:`allowed_cells`); ``requires`` links a
capability's employment to its enablers' employment or basing, per region or
zone and period. Every rule's rows are one named block of the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .geo import REACH_TOLERANCE_KM
from .scenario import Rule, Scenario

if TYPE_CHECKING:
    from .model_columns import Layout
    from .model_rows import Rows
    from .model_params import Params
    from .posture import Stationing


def rule_regions(s: Scenario, rule: Rule) -> np.ndarray:
    """Indices of the regions a rule names (region, list or zone; every region when it names none)."""
    if rule.region is not None or rule.regions is not None:
        ids = {rule.region} if rule.region is not None else set(rule.regions)
        return np.array([i for i, r in enumerate(s.regions) if r.id in ids], int)
    if rule.zone is None:
        return np.arange(len(s.regions))
    return np.array([i for i, r in enumerate(s.regions) if r.zone == rule.zone], int)


def rule_periods(s: Scenario, rule: Rule) -> np.ndarray:
    lo = 0 if rule.from_period is None else rule.from_period
    hi = len(s.periods) - 1 if rule.to_period is None else rule.to_period
    return np.arange(lo, hi + 1)


def allowed_cells(s: Scenario, p: Params) -> np.ndarray:
    """(C, R, T): where a unit may be employed, before reach.

    Where it has an effect (``eff * rf > 0``), or on a requires rule's
    ``via_task`` for the rule's enablers wherever they can operate (``rf > 0``);
    never where a forbid rule applies.
    """
    allowed = (p.eff[:, None, :] * p.rf[:, :, None]) > 0
    for rule in s.effective_rules:
        if rule.kind == "requires" and rule.via_task is not None:
            enablers = [p.c_ix[b] for b in rule.needs]
            allowed[enablers, :, p.t_ix[rule.via_task]] |= p.rf[enablers] > 0
    for rule in s.effective_rules:
        if rule.kind == "forbid":
            sel = (
                slice(None) if rule.capability is None else p.c_ix[rule.capability],
                slice(None) if rule.region is None else p.r_ix[rule.region],
                slice(None) if rule.task is None else p.t_ix[rule.task],
            )
            allowed[sel] = False
    return allowed


def rule_rows(rows: Rows, s: Scenario, p: Params, lay: Layout, pair_id: np.ndarray,
              st: Stationing | None) -> None:
    """One block per rule (forbid rules have none: their cells do not exist)."""
    P, K = len(s.periods), p.rho.size
    xc, xr, xt, xp = lay.xc, lay.xr, lay.xt, lay.xp
    x_cols = np.arange(lay.n_x)
    s0 = lay.s_slice.start
    for rule in s.effective_rules:
        if rule.kind == "floor":
            t = p.t_ix[rule.task]
            regs = rule_regions(s, rule)
            regs = regs[p.imp[t, regs] > 0]
            pers = rule_periods(s, rule)
            rr, pp = np.repeat(regs, pers.size), np.tile(pers, regs.size)
            start = rows.block(
                "rule", rule.id, rr.size, -rule.min_satisfaction,
                {"region": rr, "period": pp, "task": np.full(rr.size, t)}, soft=True,
            )
            pairs = pair_id[t, rr]
            k = np.arange(K)
            row = np.repeat(start + np.arange(rr.size), K)
            col = s0 + ((np.repeat(pairs, K) * P + np.repeat(pp, K)) * K + np.tile(k, rr.size))
            rows.add(row, col, -1.0)
        elif rule.kind == "max_share":
            t = p.t_ix[rule.task]
            if rule.capabilities is None:
                m = np.ones(lay.n_x, bool)
            else:
                m = np.isin(xc, [p.c_ix[c] for c in rule.capabilities])
            start = rows.block("rule", rule.id, 1, 0.0)
            coef = np.where(xt[m] == t, 1.0 - rule.max_share, -rule.max_share)
            rows.add(np.full(int(m.sum()), start), x_cols[m], coef)
        elif rule.kind == "min_units":
            c = p.c_ix[rule.capability]
            regs = rule_regions(s, rule)
            pers = rule_periods(s, rule)
            start = rows.block(
                "rule", rule.id, pers.size, -rule.units,
                {"period": pers, "capability": np.full(pers.size, c)}, soft=True,
            )
            row_of_p = np.full(P, -1)
            row_of_p[pers] = start + np.arange(pers.size)
            m = (xc == c) & np.isin(xr, regs) & (row_of_p[xp] >= 0)
            rows.add(row_of_p[xp[m]], x_cols[m], -1.0)
        elif rule.kind == "requires":
            _requires_rows(rows, s, p, lay, rule, st)


def requires_groups(s: Scenario, rule: Rule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The groups a requires rule sums over: one per region of its place (scope region) or one
    per zone, of the place's regions only (scope zone).

    Returns ``group_of`` (R,: the group of each region, -1 outside the place), and per group
    its region (-1 for a zone) and its zone (into ``s.zones()``).
    """
    zones = {z: i for i, z in enumerate(s.zones())}
    zone_of = np.array([zones[r.zone] for r in s.regions], int)
    place = rule_regions(s, rule)
    group_of = np.full(len(s.regions), -1)
    if rule.effective_scope == "region":
        group_of[place] = np.arange(place.size)
        return group_of, place, zone_of[place]
    group_zone, group_of[place] = np.unique(zone_of[place], return_inverse=True)
    return group_of, np.full(group_zone.size, -1), group_zone


def _requires_rows(rows: Rows, s: Scenario, p: Params, lay: Layout, rule: Rule, st: Stationing | None) -> None:
    """``ratio * (A's employment) <= (B's count)`` per group and period, for each enabler B; with
    ``any``, one row ``A's employment <= sum_B count_B / ratio_B``. Only rows where A can be
    employed exist (the others bind nothing).
    """
    if st is None and (rule.beyond_km is not None or rule.effective_count == "based_within"):
        raise ValueError(f"rule '{rule.id}': beyond_km and based_within need stationing")
    P = len(s.periods)
    group_of, group_region, group_zone = requires_groups(s, rule)
    pers = rule_periods(s, rule)
    period_pos = np.full(P, -1)
    period_pos[pers] = np.arange(pers.size)
    n_keys = group_region.size * pers.size

    def x_keys(mask):
        """(group, period) key of every x column of ``mask`` in the rule's place and dates."""
        mask = mask & (group_of[lay.xr] >= 0) & (period_pos[lay.xp] >= 0)
        cols = np.flatnonzero(mask)
        return group_of[lay.xr[cols]] * pers.size + period_pos[lay.xp[cols]], cols

    a = p.c_ix[rule.capability]
    lhs = lay.xc == a
    if rule.beyond_km is not None:
        lhs &= lay.x_km > rule.beyond_km + REACH_TOLERANCE_KM
    lhs_key, lhs_cols = x_keys(lhs)
    keys = np.unique(lhs_key)
    row_of_key = np.full(n_keys, -1)
    row_of_key[keys] = np.arange(keys.size)

    def count(b):
        """(key, column) of what counts for enabler b."""
        if rule.effective_count == "based_within":
            return st.based_within(lay, b, group_of, group_region.size, rule.within_km, period_pos)
        mask = lay.xc == b
        if rule.via_task is not None:
            mask &= lay.xt == p.t_ix[rule.via_task]
        return x_keys(mask)

    enablers = [(p.c_ix[b], float(ratio)) for b, ratio in rule.needs.items()]
    n_sets = 1 if rule.any else len(enablers)
    g, pp = np.divmod(keys, pers.size)
    start = rows.block(
        "requires", rule.id, n_sets * keys.size, 0.0,
        {"capability": np.repeat([-1] if rule.any else [b for b, _ in enablers], keys.size),
         "region": np.tile(group_region[g], n_sets), "zone": np.tile(group_zone[g], n_sets),
         "period": np.tile(pers[pp], n_sets)},
        soft=True,
    )
    lhs_row = row_of_key[lhs_key]
    for j, (b, ratio) in enumerate(enablers):
        offset = start + (0 if rule.any else j * keys.size)
        if not rule.any or j == 0:
            rows.add(offset + lhs_row, lhs_cols, 1.0 if rule.any else ratio)
        key, cols = count(b)
        row = row_of_key[key]
        keep = row >= 0
        rows.add(offset + row[keep], cols[keep], -1.0 / ratio if rule.any else -1.0)
