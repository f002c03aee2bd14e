"""Stationing (MODEL.md v2): where units are based, how far they reach, what moving costs.

With ``settings.stationing`` every capability is based: ``b[c,h,p]`` units of
c at base h in period p (h one of its bases that is a camp), each employed
only within ``reach_km`` of its base (``x[c,h,r,t,p]``, its effect falling
with distance by the edge factor), and ``m[c,h,p]`` units leaving base h
between periods (from the initial laydown ``based_at`` into period 0).

:class:`Stationing` holds the base pairs and distances of one scenario and
adds the rows that only stationing has: employment from a base, moves, camp
capacities and camp limits by category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .geo import REACH_TOLERANCE_KM, distance_matrix
from .scenario import Scenario

if TYPE_CHECKING:
    from .model_columns import Layout
    from .model_rows import Rows
    from .model_params import Params


@dataclass
class Stationing:
    s: Scenario
    p: Params
    dist: np.ndarray  # (R, R) km
    pair_cap: np.ndarray  # the (capability, base) pairs that may hold units
    pair_base: np.ndarray
    pair_of: np.ndarray  # (C, R): pair index, -1 where c may not be based
    reach: np.ndarray  # (C,) km
    edge: np.ndarray  # (C,)
    init: np.ndarray  # (C, R) initial laydown, 0 where none

    @classmethod
    def of(cls, s: Scenario, p: Params) -> Stationing:
        C, R, _, _ = p.shape
        camp = np.array([r.is_camp for r in s.regions], bool)
        may_base = np.zeros((C, R), bool)
        init = np.zeros((C, R))
        for ci, cap in enumerate(s.capabilities):
            if cap.bases is None:
                may_base[ci] = camp
            else:
                may_base[ci, [p.r_ix[h] for h in cap.bases]] = True
            for h, units in (cap.based_at or {}).items():
                init[ci, p.r_ix[h]] = units
        may_base &= camp
        pair_cap, pair_base = np.nonzero(may_base)
        pair_of = np.full((C, R), -1)
        pair_of[pair_cap, pair_base] = np.arange(pair_cap.size)
        return cls(
            s=s, p=p, dist=distance_matrix(s), pair_cap=pair_cap, pair_base=pair_base, pair_of=pair_of,
            reach=np.array([c.effective_reach_km for c in s.capabilities], float),
            edge=np.array([c.effective_edge_factor for c in s.capabilities], float), init=init,
        )

    @property
    def n_periods(self) -> int:
        return len(self.s.periods)

    def cells(self, allowed: np.ndarray):
        """The employment cells ``(c, h, r, t)`` within reach of a base, with the share of the effect
        left at that distance (``phi``) and the distance in km."""
        c_of, h_of = self.pair_cap, self.pair_base
        within = self.dist[h_of] <= (self.reach[c_of] + REACH_TOLERANCE_KM)[:, None]  # (pairs, R)
        pair, r, t = np.nonzero(allowed[c_of] & within[:, :, None])
        c, h = c_of[pair], h_of[pair]
        km = self.dist[h, r]
        reach = self.reach[c]
        far = reach > 0
        phi = np.ones(c.size)
        phi[far] = 1.0 - (1.0 - self.edge[c[far]]) * km[far] / reach[far]
        return c, h, r, t, phi, km

    def columns(self):
        """``b_cap, b_base, b_period`` (pair-major) and ``m_cap, m_base, m_period`` (by capability, base, period).

        Moves: from every base into every period after the first, and out of the
        initial laydown into period 0.
        """
        P = self.n_periods
        n = self.pair_cap.size
        b_cap, b_base = np.repeat(self.pair_cap, P), np.repeat(self.pair_base, P)
        b_period = np.tile(np.arange(P), n)
        later = b_period >= 1
        ic, ih = np.nonzero(self.init > 0)
        m_cap = np.concatenate([b_cap[later], ic])
        m_base = np.concatenate([b_base[later], ih])
        m_period = np.concatenate([b_period[later], np.zeros(ic.size, int)])
        order = np.lexsort((m_period, m_base, m_cap))
        return b_cap, b_base, b_period, m_cap[order], m_base[order], m_period[order]

    def b_column(self, lay: Layout, cap, base, period) -> np.ndarray:
        """The b column of (c, h, p), -1 where c may not be based at h."""
        pair = self.pair_of[cap, base]
        return np.where(pair >= 0, lay.b_slice.start + pair * self.n_periods + period, -1)

    # -- rows ---------------------------------------------------------------------
    def base_employment_rows(self, rows: Rows, lay: Layout) -> None:
        """``sum_{r,t} x[c,h,r,t,p] <= b[c,h,p]`` for every base pair and period."""
        P = self.n_periods
        start = rows.block(
            "base_employment", None, lay.b_cap.size, 0.0,
            {"capability": lay.b_cap, "base": lay.b_base, "period": lay.b_period},
        )
        rows.add(start + self.pair_of[lay.xc, lay.xh] * P + lay.xp, np.arange(lay.n_x), 1.0)
        rows.add(start + np.arange(lay.b_cap.size), lay.b_slice.start + np.arange(lay.b_cap.size), -1.0)

    def move_rows(self, rows: Rows, lay: Layout) -> None:
        """``b[c,h,p-1] - b[c,h,p] - m[c,h,p] <= 0``; into period 0, ``-b[c,h,0] - m[c,h,0] <= -init``."""
        c, h, per = lay.m_cap, lay.m_base, lay.m_period
        n = c.size
        first = per == 0
        start = rows.block(
            "move", None, n, np.where(first, -self.init[c, h], 0.0),
            {"capability": c, "base": h, "period": per},
        )
        row = start + np.arange(n)
        rows.add(row, lay.m_slice.start + np.arange(n), -1.0)
        rows.add(row[~first], self.b_column(lay, c[~first], h[~first], per[~first] - 1), 1.0)
        now = self.b_column(lay, c, h, per)
        rows.add(row[now >= 0], now[now >= 0], -1.0)

    def camp_rows(self, rows: Rows, lay: Layout) -> None:
        """Persons based in a camp within its capacity; units of a category within its limit."""
        s = self.s
        b_cols = lay.b_slice.start + np.arange(lay.b_cap.size)
        people = [i for i, q in enumerate(s.resources) if q.personnel]
        capacity = np.array([np.nan if r.camp_capacity is None else r.camp_capacity for r in s.regions], float)
        if people:
            self._per_camp_rows(rows, lay, "camp", None, capacity, self.p.use[lay.b_cap, people[0]], b_cols)
        categories = list(dict.fromkeys(cat for r in s.regions for cat in (r.camp_limits or {})))
        cap_category = np.array([c.category for c in s.capabilities], object)
        for cat in categories:
            limit = np.array([(r.camp_limits or {}).get(cat, np.nan) for r in s.regions], float)
            coef = (cap_category[lay.b_cap] == cat).astype(float) if lay.b_cap.size else np.zeros(0)
            self._per_camp_rows(rows, lay, "camp_limit", cat, limit, coef, b_cols)

    def _per_camp_rows(self, rows, lay, kind, key, limit, coef, b_cols) -> None:
        """``sum coef * b[., h, p] <= limit[h]`` for every region h with a limit, every period."""
        P = self.n_periods
        regions = np.flatnonzero(~np.isnan(limit))
        if regions.size == 0:
            return
        row_of_region = np.full(limit.size, -1)
        row_of_region[regions] = np.arange(regions.size)
        start = rows.block(
            kind, key, regions.size * P, np.repeat(limit[regions], P),
            {"region": np.repeat(regions, P), "period": np.tile(np.arange(P), regions.size)}, soft=True,
        )
        pos = row_of_region[lay.b_base]
        keep = (pos >= 0) & (coef != 0)
        rows.add(start + pos[keep] * P + lay.b_period[keep], b_cols[keep], coef[keep])

    def based_within(self, lay: Layout, cap: int, group_of: np.ndarray, n_groups: int, within_km: float,
                     period_pos: np.ndarray):
        """(group-period key, b column) of c's basing that covers a group: based within ``within_km``
        of one of the group's regions, in a period of the rule (keys as ``period_pos`` numbers them)."""
        n_per = int((period_pos >= 0).sum())
        near = np.full((n_groups, self.dist.shape[0]), np.inf)  # km from each group to each base
        place = np.flatnonzero(group_of >= 0)
        np.minimum.at(near, group_of[place], self.dist[place])
        cols = np.flatnonzero((lay.b_cap == cap) & (period_pos[lay.b_period] >= 0))
        g, i = np.nonzero(near[:, lay.b_base[cols]] <= within_km + REACH_TOLERANCE_KM)
        cols = cols[i]
        return g * n_per + period_pos[lay.b_period[cols]], lay.b_slice.start + cols
