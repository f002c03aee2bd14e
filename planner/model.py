"""The allocation LP of MODEL.md (contract v2), built as sparse matrices.

Variables, in this order (:class:`Layout`): ``x`` employment cells (only where
a capability has an effect or a support task to do, can operate, is within
reach of a base and is not forbidden), ``g[c]`` for every capability, ``z[c]``
for the capabilities that may repatriate units, then with stationing ``b``
(basing) and ``m`` (moves), and last ``s[t,r,p,k]`` for every (task, region)
pair with demand. A v1 scenario has only x, g and s: the same matrix as the
v1 model. Every row belongs to a named :class:`RowBlock`, so that duals and
the infeasibility diagnosis can speak of availability, a camp, an effect, a
resource or a rule instead of row numbers.

The build is vectorised: index arrays, one COO matrix, no Python loop over
nonzeros (loops run over rules, resources and a few capability fields only).
Stationing is in :mod:`planner.posture`, the rules' rows in :mod:`planner.rules`,
the columns' layout in :mod:`planner.model_columns` and the row blocks with
their triplets in :mod:`planner.model_rows`; here are the built model, its
objective, and the rows of availability, region caps, effect and resources.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .model_columns import Layout, layout
from .model_params import Params, scenario_params
from .model_rows import RowBlock, Rows
from .rules import rule_periods, rule_regions, rule_rows
from .scenario import Scenario

__all__ = ["MAX_SHARE_PER_UNIT", "Layout", "LinearModel", "Params", "RowBlock", "build_model", "normalised_weights",
           "numeric_warnings", "objective", "rule_periods", "rule_regions"]


@dataclass
class LinearModel(Layout):
    """The built LP: ``maximise score_coef @ v`` s.t. ``A @ v <= b``, bounds."""

    scenario: Scenario
    A: sp.csr_matrix
    b: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray
    blocks: list[RowBlock]
    # objective: weight-free part per s variable; score_coef depends on weights
    s_base: np.ndarray
    score_coef: np.ndarray
    z_max: float
    # parameters kept for the result
    need: np.ndarray  # (T, R, P)
    importance: np.ndarray  # (T, R)
    x_effect: np.ndarray  # effect units per unit, per x column (eff * rf * edge factor * period factor)
    use: np.ndarray  # (C, Q)
    existing: np.ndarray
    lead: np.ndarray
    resource_fixed: np.ndarray  # (Q,) the existing force's use, moved to each resource row's right-hand side

    @property
    def n_vars(self) -> int:
        return self.A.shape[1]

    @property
    def stationing(self) -> bool:
        return self.scenario.stationing

    def block(self, kind: str, key: str | None = None) -> RowBlock:
        for blk in self.blocks:
            if blk.kind == kind and blk.key == key:
                return blk
        raise KeyError(f"no {kind} block {key!r}")

    def with_weights(self, weights) -> LinearModel:
        """The same model under other task weights: only the objective changes."""
        coef, z_max = objective(self.s_base, self.s_task, self.s_slice.start, weights, self.n_segments)
        return dataclasses.replace(self, score_coef=coef, z_max=z_max)

    @property
    def n_segments(self) -> int:
        return len(self.scenario.effective_returns)


def normalised_weights(weights) -> np.ndarray:
    w = np.asarray(weights, float)
    total = float(w.sum())
    return w / total if total > 0 else np.zeros(len(w))


def objective(s_base, s_task, offset, weights, n_segments):
    """Score coefficients (so that ``coef @ v`` is the 0-100 score) and Zmax."""
    obj = s_base * normalised_weights(weights)[s_task]
    z_max = float(obj.sum()) / n_segments
    coef = np.zeros(offset + obj.size)
    if z_max > 0:
        coef[offset:] = 100.0 * obj / z_max
    return coef, z_max


MAX_SHARE_PER_UNIT = 1e6  # of a need, delivered by one unit in one period


def build_model(s: Scenario) -> LinearModel:
    """Build the LP of ``MODEL.md`` for scenario ``s``."""
    p = scenario_params(s)
    C, R, T, P = p.shape
    K = p.rho.size
    lay, x_effect, st = layout(s, p)
    xc, xr, xt, xp = lay.xc, lay.xr, lay.xt, lay.xp
    n_x = lay.n_x
    x_cols = np.arange(n_x)
    g0, z0 = lay.g_slice.start, lay.z_slice.start
    s0 = lay.s_slice.start
    s_cols = s0 + np.arange(lay.s_pair.size)
    n_pairs = lay.pair_task.size
    pair_id = np.full((T, R), -1)
    pair_id[lay.pair_task, lay.pair_region] = np.arange(n_pairs)
    s_base = p.pw[lay.s_period] * p.imp[lay.pair_task[lay.s_pair], lay.pair_region[lay.s_pair]] * p.rho[lay.s_segment]

    rows = Rows()
    # 1. availability: sum_{r,t} x[c,r,t,p] (with stationing: sum_h b[c,h,p]) + z[c] - [p >= lead] g[c]
    #    <= existing[c]
    start = rows.block(
        "availability", None, C * P, np.repeat(p.existing, P),
        {"capability": np.repeat(np.arange(C), P), "period": np.tile(np.arange(P), C)},
    )
    if st is None:
        rows.add(start + xc * P + xp, x_cols, 1.0)
    else:
        rows.add(start + lay.b_cap * P + lay.b_period, np.arange(lay.b_slice.start, lay.b_slice.stop), 1.0)
    gc, gp = np.nonzero(np.arange(P)[None, :] >= p.lead[:, None])
    rows.add(start + gc * P + gp, g0 + gc, -1.0)
    zi = np.repeat(np.arange(lay.zc.size), P)
    rows.add(start + lay.zc[zi] * P + np.tile(np.arange(P), lay.zc.size), z0 + zi, 1.0)
    if st is not None:
        st.base_employment_rows(rows, lay)

    # 2. region caps
    capped = np.array([c.max_per_region is not None for c in s.capabilities], bool)
    if capped.any():
        cap_caps = np.flatnonzero(capped)
        cap_pos = np.full(C, -1)
        cap_pos[cap_caps] = np.arange(cap_caps.size)
        cap_val = np.array([s.capabilities[i].max_per_region for i in cap_caps], float)
        n_rows = cap_caps.size * R * P
        start = rows.block(
            "region_cap", None, n_rows, np.repeat(cap_val, R * P),
            {
                "capability": np.repeat(cap_caps, R * P),
                "region": np.tile(np.repeat(np.arange(R), P), cap_caps.size),
                "period": np.tile(np.arange(P), cap_caps.size * R),
            },
        )
        m = capped[xc]
        rows.add(start + (cap_pos[xc[m]] * R + xr[m]) * P + xp[m], x_cols[m], 1.0)

    # 3. effect: sum_k s - sum_c (eff*rf / need) x <= 0. Dividing by the need keeps the
    #    satisfaction side at 1 whatever the units of effect, which HiGHS needs to stay exact.
    start = rows.block(
        "effect", None, n_pairs * P, 0.0,
        {"pair": np.repeat(np.arange(n_pairs), P), "period": np.tile(np.arange(P), n_pairs),
         "task": np.repeat(lay.pair_task, P), "region": np.repeat(lay.pair_region, P)},
    )
    x_pair = pair_id[xt, xr]
    m = (x_pair >= 0) & (x_effect > 0)  # a support task's or a period's zero effect adds no entry
    # A unit meeting a million times the need is as good as one meeting it all; the cap keeps
    # HiGHS's matrix values finite in scenarios with absurd effects (and changes nothing else).
    share = np.minimum(x_effect[m] / p.need[xt[m], xr[m], xp[m]], MAX_SHARE_PER_UNIT)
    rows.add(start + x_pair[m] * P + xp[m], x_cols[m], -share)
    rows.add(start + lay.s_pair * P + lay.s_period, s_cols, 1.0)

    # 4. resources
    resource_fixed = _resource_rows(rows, s, p, lay)

    # 5. rules
    rule_rows(rows, s, p, lay, pair_id, st)

    # 6. moves, 7. camps
    if st is not None:
        st.move_rows(rows, lay)
        st.camp_rows(rows, lay)

    n_vars = lay.n_layout
    A, b = rows.matrix(n_vars)
    lower = np.zeros(n_vars)
    upper = np.concatenate([
        np.full(n_x, np.inf), p.max_new, p.max_repatriate[lay.zc],
        np.full(lay.b_cap.size + lay.m_cap.size, np.inf), np.full(lay.s_pair.size, 1.0 / K),
    ])
    integrality = np.zeros(n_vars, np.uint8)
    if s.integer_units:
        integrality[g0 : lay.z_slice.stop] = 1  # g and z: b, m and x stay shares of a unit
    coef, z_max = objective(s_base, lay.s_task, s0, [t.weight for t in s.tasks], K)
    return LinearModel(
        **{f.name: getattr(lay, f.name) for f in dataclasses.fields(Layout)},
        scenario=s, A=A, b=b, lower=lower, upper=upper, integrality=integrality, blocks=rows.blocks,
        s_base=s_base, score_coef=coef, z_max=z_max, need=p.need, importance=p.imp, x_effect=x_effect,
        use=p.use, existing=p.existing, lead=p.lead, resource_fixed=resource_fixed,
    )


def _resource_rows(rows: Rows, s: Scenario, p: Params, lay: Layout) -> np.ndarray:
    """Resources by basis (MODEL.md 4, v2 refinements 2-3); moves and distance charge every basis.

    generated: ``u g``; fielded: ``u (existing - z + g)``; in_service: ``sum_p u (existing - z
    + [p >= lead] g)``; employed: ``u x`` per period. Move and per-km uses go to period p's row
    of an employed resource, to the cycle total of any other. Returns the existing force's
    use of each resource, which its row carries on the right-hand side.
    """
    P = len(s.periods)
    g0, z0, m0 = lay.g_slice.start, lay.z_slice.start, lay.m_slice.start
    x_cols = np.arange(lay.n_x)
    m_cols = m0 + np.arange(lay.m_cap.size)
    z_cols = z0 + np.arange(lay.zc.size)
    fixed = np.zeros(len(s.resources))
    for qi, q in enumerate(s.resources):
        u = p.use[:, qi]
        per_km = p.use_per_km[lay.xc, qi] * lay.x_km
        if q.basis == "employed":  # every period
            start = rows.block("resource", q.id, P, q.capacity, {"period": np.arange(P)})
            rows.add_nonzero(start + lay.xp, x_cols, u[lay.xc] + per_km)
            rows.add_nonzero(start + lay.m_period, m_cols, p.move_use[lay.m_cap, qi])
            continue
        periods_in_service = {"generated": 1.0, "fielded": 1.0, "in_service": P - p.lead}[q.basis]
        existing_periods = {"generated": 0.0, "fielded": 1.0, "in_service": float(P)}[q.basis]
        fixed[qi] = float(u @ p.existing) * existing_periods if existing_periods else 0.0
        rhs = q.capacity - fixed[qi]
        start = rows.block("resource", q.id, 1, rhs, soft=q.basis != "generated")
        g_coef = u * periods_in_service
        nz = np.flatnonzero(g_coef)
        rows.add(np.full(nz.size, start), g0 + nz, g_coef[nz])
        rows.add_nonzero(np.full(lay.zc.size, start), z_cols, -u[lay.zc] * existing_periods)
        rows.add_nonzero(np.full(lay.n_x, start), x_cols, per_km)
        rows.add_nonzero(np.full(lay.m_cap.size, start), m_cols, p.move_use[lay.m_cap, qi])
    return fixed


def numeric_warnings(model: LinearModel) -> list[str]:
    """Warn when the numbers span so many orders of magnitude that HiGHS may lose accuracy."""
    out = []
    coef = np.abs(model.A.data[model.A.data != 0])
    if coef.size:
        lo, hi = float(coef.min()), float(coef.max())
        if hi / lo > 1e10:
            out.append(
                f"the scenario's numbers span {np.log10(hi / lo):.0f} orders of magnitude "
                f"(from {lo:.3g} to {hi:.3g}); the plan may be inaccurate: express large amounts "
                "in bigger units (e.g. USD millions) or very small effects in smaller ones"
            )
    return out
