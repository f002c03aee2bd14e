"""The scenario's numbers as arrays for the model: one row per capability, task, region or period,
the contract's defaults applied (v1 and v2 fields alike)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scenario import Scenario


@dataclass
class Params:
    """The scenario's numbers as arrays, indexed like its lists (defaults of the contract applied)."""

    s: Scenario
    t_ix: dict
    r_ix: dict
    c_ix: dict
    q_ix: dict
    eff: np.ndarray  # (C, T)
    rf: np.ndarray  # (C, R)
    use: np.ndarray  # (C, Q)
    move_use: np.ndarray  # (C, Q), per unit leaving a base
    use_per_km: np.ndarray  # (C, Q), per unit employed per km from its base
    existing: np.ndarray
    max_new: np.ndarray
    max_repatriate: np.ndarray
    lead: np.ndarray  # clipped to P: never this cycle
    need: np.ndarray  # (T, R, P)
    imp: np.ndarray  # (T, R)
    pw: np.ndarray
    rho: np.ndarray
    effect_factor: np.ndarray  # (C, P)

    @property
    def shape(self) -> tuple[int, int, int, int]:
        s = self.s
        return len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods)


def scenario_params(s: Scenario) -> Params:
    C, R, T, P = len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods)
    t_ix = {t.id: i for i, t in enumerate(s.tasks)}
    r_ix = {r.id: i for i, r in enumerate(s.regions)}
    c_ix = {c.id: i for i, c in enumerate(s.capabilities)}
    q_ix = {q.id: i for i, q in enumerate(s.resources)}

    def table(n_cols, ix, attr, default=0.0):
        out = np.full((C, n_cols), default)
        for ci, cap in enumerate(s.capabilities):
            for key, v in (getattr(cap, attr) or {}).items():
                out[ci, ix[key]] = v
        return out

    need = np.ones((T, R, P))
    imp = np.zeros((T, R))
    period_ids = [p.id for p in s.periods]
    for t, per in s.demand.items():
        for r, d in per.items():
            need[t_ix[t], r_ix[r]] = [d.need_in(pid) for pid in period_ids]
            imp[t_ix[t], r_ix[r]] = d.effective_importance
    factor = np.array([[p.factor(c.category) for p in s.periods] for c in s.capabilities], float).reshape(C, P)
    return Params(
        s=s, t_ix=t_ix, r_ix=r_ix, c_ix=c_ix, q_ix=q_ix,
        eff=table(T, t_ix, "effect"), rf=table(R, r_ix, "region_factor", 1.0), use=table(len(q_ix), q_ix, "uses"),
        move_use=table(len(q_ix), q_ix, "move_uses"), use_per_km=table(len(q_ix), q_ix, "uses_per_km"),
        existing=np.array([c.existing for c in s.capabilities], float),
        max_new=np.array([c.max_new for c in s.capabilities], float),
        max_repatriate=np.array([c.effective_max_repatriate for c in s.capabilities], float),
        lead=np.array([min(c.lead_time, P) for c in s.capabilities], int),
        need=need, imp=imp, pw=np.array([p.effective_weight for p in s.periods]),
        rho=np.asarray(s.effective_returns, float), effect_factor=factor,
    )
