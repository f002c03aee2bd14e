"""The allocation LP of MODEL.md, built as sparse matrices.

Variables, in this order: ``x[c,r,t,p]`` (only the cells where a capability
has an effect, can operate and is not forbidden), ``g[c]`` for every
capability, ``s[t,r,p,k]`` for every (task, region) pair with demand.
Every row belongs to a named :class:`RowBlock`, so that duals and the
infeasibility diagnosis can speak of availability, a region cap, an effect,
a resource or a rule instead of row numbers.

The build is vectorised: index arrays, one COO matrix, no Python loop over
nonzeros (loops run over rules and resources only, never over cells).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .scenario import Rule, Scenario


@dataclass
class RowBlock:
    """A named group of constraint rows ``A[start:stop] @ v <= b[start:stop]``.

    kind: ``availability``, ``region_cap``, ``effect``, ``resource`` or ``rule``.
    key: the resource or rule id (``None`` for the structural blocks).
    index: per-row index arrays into the scenario's lists (``capability``,
    ``region``, ``task``, ``period``, ``pair``) as they apply to the block.
    soft: rows that may give in the infeasibility diagnosis.
    """

    kind: str
    key: str | None
    start: int
    stop: int
    index: dict[str, np.ndarray] = field(default_factory=dict)
    soft: bool = False

    @property
    def rows(self) -> slice:
        return slice(self.start, self.stop)


@dataclass
class LinearModel:
    """The built LP: ``maximise score_coef @ v`` s.t. ``A @ v <= b``, bounds."""

    scenario: Scenario
    A: sp.csr_matrix
    b: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integrality: np.ndarray
    blocks: list[RowBlock]
    # variable layout
    xc: np.ndarray
    xr: np.ndarray
    xt: np.ndarray
    xp: np.ndarray
    n_x: int
    n_g: int
    pair_task: np.ndarray
    pair_region: np.ndarray
    s_pair: np.ndarray
    s_period: np.ndarray
    s_segment: np.ndarray
    # objective: weight-free part per s variable; score_coef depends on weights
    s_base: np.ndarray
    score_coef: np.ndarray
    z_max: float
    # parameters kept for the result
    need: np.ndarray  # (T, R)
    importance: np.ndarray  # (T, R)
    x_effect: np.ndarray  # eff * rf per x cell
    use: np.ndarray  # (C, Q)
    existing: np.ndarray
    lead: np.ndarray

    @property
    def n_vars(self) -> int:
        return self.A.shape[1]

    @property
    def g_slice(self) -> slice:
        return slice(self.n_x, self.n_x + self.n_g)

    @property
    def s_slice(self) -> slice:
        return slice(self.n_x + self.n_g, self.n_vars)

    def block(self, kind: str, key: str | None = None) -> RowBlock:
        for blk in self.blocks:
            if blk.kind == kind and blk.key == key:
                return blk
        raise KeyError(f"no {kind} block {key!r}")

    def with_weights(self, weights) -> LinearModel:
        """The same model under other task weights: only the objective changes."""
        coef, z_max = objective(self.s_base, self.s_task, self.n_x + self.n_g, weights, self.n_segments)
        return dataclasses.replace(self, score_coef=coef, z_max=z_max)

    @property
    def s_task(self) -> np.ndarray:
        return self.pair_task[self.s_pair]

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


class _Rows:
    """Accumulates COO triplets and named row blocks."""

    def __init__(self):
        self.rows, self.cols, self.vals, self.b = [], [], [], []
        self.blocks: list[RowBlock] = []
        self.n = 0

    def block(self, kind, key, n_rows, b, index=None, soft=False) -> int:
        start = self.n
        self.n += n_rows
        self.b.append(np.broadcast_to(np.asarray(b, float), (n_rows,)))
        self.blocks.append(RowBlock(kind, key, start, self.n, index or {}, soft))
        return start

    def add(self, rows, cols, vals):
        # int32 halves the triplets' memory; indices are computed in int64 first
        rows, cols = np.asarray(rows).astype(np.int32), np.asarray(cols).astype(np.int32)
        self.rows.append(rows)
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, float), rows.shape))

    def matrix(self, n_cols):
        if max(self.n, n_cols) >= 2**31:
            raise ValueError("the model is too large (more than 2^31 rows or variables)")

        def join(parts, dtype):
            out = np.concatenate(parts) if parts else np.zeros(0, dtype)
            parts.clear()  # free the pieces as soon as they are joined
            return out

        r, c, v = join(self.rows, np.int32), join(self.cols, np.int32), join(self.vals, float)
        A = sp.csr_matrix((v, (r, c)), shape=(self.n, n_cols))
        A.sum_duplicates()
        b = np.concatenate(self.b) if self.b else np.zeros(0)
        return A, b


def rule_regions(s: Scenario, rule: Rule) -> np.ndarray:
    """Indices of the regions a floor or min_units rule names (region, list or zone)."""
    if rule.region is not None or rule.regions is not None:
        ids = {rule.region} if rule.region is not None else set(rule.regions)
        return np.array([i for i, r in enumerate(s.regions) if r.id in ids], int)
    return np.array([i for i, r in enumerate(s.regions) if r.zone == rule.zone], int)


def rule_periods(s: Scenario, rule: Rule) -> np.ndarray:
    lo = 0 if rule.from_period is None else rule.from_period
    hi = len(s.periods) - 1 if rule.to_period is None else rule.to_period
    return np.arange(lo, hi + 1)


def build_model(s: Scenario) -> LinearModel:
    """Build the LP of ``MODEL.md`` for scenario ``s``."""
    C, R, T, P = len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods)
    K = len(s.effective_returns)
    t_ix = {t.id: i for i, t in enumerate(s.tasks)}
    r_ix = {r.id: i for i, r in enumerate(s.regions)}
    c_ix = {c.id: i for i, c in enumerate(s.capabilities)}
    q_ix = {q.id: i for i, q in enumerate(s.resources)}

    eff = np.zeros((C, T))
    rf = np.ones((C, R))
    use = np.zeros((C, len(s.resources)))
    for ci, cap in enumerate(s.capabilities):
        for t, v in cap.effect.items():
            eff[ci, t_ix[t]] = v
        for r, v in cap.region_factor.items():
            rf[ci, r_ix[r]] = v
        for q, v in cap.uses.items():
            use[ci, q_ix[q]] = v
    existing = np.array([c.existing for c in s.capabilities], float)
    max_new = np.array([c.max_new for c in s.capabilities], float)
    lead = np.array([min(c.lead_time, P) for c in s.capabilities], int)  # >= P: never this cycle
    need = np.ones((T, R))
    imp = np.zeros((T, R))
    for t, per in s.demand.items():
        for r, d in per.items():
            need[t_ix[t], r_ix[r]] = d.need
            imp[t_ix[t], r_ix[r]] = d.effective_importance
    pw = np.array([p.effective_weight for p in s.periods])
    rho = np.asarray(s.effective_returns, float)
    weights = np.array([t.weight for t in s.tasks])

    # -- x cells ---------------------------------------------------------------
    allowed = (eff[:, None, :] * rf[:, :, None]) > 0  # (C, R, T)
    for rule in s.effective_rules:
        if rule.kind == "forbid":
            sel = (
                slice(None) if rule.capability is None else c_ix[rule.capability],
                slice(None) if rule.region is None else r_ix[rule.region],
                slice(None) if rule.task is None else t_ix[rule.task],
            )
            allowed[sel] = False
    cc, cr, ct = np.nonzero(allowed)
    xc, xr, xt = (np.repeat(a, P) for a in (cc, cr, ct))
    xp = np.tile(np.arange(P), cc.size)
    n_x, n_g = xc.size, C
    x_effect = eff[xc, xt] * rf[xc, xr]
    x_cols = np.arange(n_x)
    g0 = n_x

    # -- s variables -----------------------------------------------------------
    pair_task, pair_region = np.nonzero(imp > 0)
    n_pairs = pair_task.size
    pair_id = np.full((T, R), -1)
    pair_id[pair_task, pair_region] = np.arange(n_pairs)
    s_pair = np.repeat(np.arange(n_pairs), P * K)
    s_period = np.tile(np.repeat(np.arange(P), K), n_pairs)
    s_segment = np.tile(np.arange(K), n_pairs * P)
    s0 = n_x + n_g
    n_s = s_pair.size
    s_cols = s0 + np.arange(n_s)
    s_base = pw[s_period] * imp[pair_task[s_pair], pair_region[s_pair]] * rho[s_segment]

    rows = _Rows()
    # 1. availability: sum_{r,t} x[c,r,t,p] - [p >= lead] g[c] <= existing[c]
    start = rows.block(
        "availability", None, C * P, np.repeat(existing, P),
        {"capability": np.repeat(np.arange(C), P), "period": np.tile(np.arange(P), C)},
    )
    rows.add(start + xc * P + xp, x_cols, 1.0)
    gc, gp = np.nonzero(np.arange(P)[None, :] >= lead[:, None])
    rows.add(start + gc * P + gp, g0 + gc, -1.0)

    # 2. region caps
    capped = np.array([c.max_per_region is not None for c in s.capabilities])
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
         "task": np.repeat(pair_task, P), "region": np.repeat(pair_region, P)},
    )
    x_pair = pair_id[xt, xr]
    m = x_pair >= 0
    # A unit meeting a million times the need is as good as one meeting it all; the cap keeps
    # HiGHS's matrix values finite in scenarios with absurd effects (and changes nothing else).
    share = np.minimum(x_effect[m] / need[xt[m], xr[m]], MAX_SHARE_PER_UNIT)
    rows.add(start + x_pair[m] * P + xp[m], x_cols[m], -share)
    rows.add(start + s_pair * P + s_period, s_cols, 1.0)

    # 4. resources
    for qi, q in enumerate(s.resources):
        u = use[:, qi]
        if q.basis in ("generated", "fielded"):
            rhs = q.capacity - (float(u @ existing) if q.basis == "fielded" else 0.0)
            start = rows.block("resource", q.id, 1, rhs, soft=q.basis == "fielded")
            nz = np.flatnonzero(u)
            rows.add(np.full(nz.size, start), g0 + nz, u[nz])
        else:  # employed, every period
            start = rows.block("resource", q.id, P, q.capacity, {"period": np.arange(P)})
            m = u[xc] != 0
            rows.add(start + xp[m], x_cols[m], u[xc[m]])

    # 5. rules
    for rule in s.effective_rules:
        if rule.kind == "floor":
            t = t_ix[rule.task]
            regs = rule_regions(s, rule)
            regs = regs[imp[t, regs] > 0]
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
            t = t_ix[rule.task]
            if rule.capabilities is None:
                m = np.ones(n_x, bool)
            else:
                m = np.isin(xc, [c_ix[c] for c in rule.capabilities])
            start = rows.block("rule", rule.id, 1, 0.0)
            coef = np.where(xt[m] == t, 1.0 - rule.max_share, -rule.max_share)
            rows.add(np.full(int(m.sum()), start), x_cols[m], coef)
        elif rule.kind == "min_units":
            c = c_ix[rule.capability]
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

    n_vars = n_x + n_g + n_s
    A, b = rows.matrix(n_vars)
    lower = np.zeros(n_vars)
    upper = np.concatenate([np.full(n_x, np.inf), max_new, np.full(n_s, 1.0 / K)])
    integrality = np.zeros(n_vars, np.uint8)
    if s.integer_units:
        integrality[g0 : g0 + n_g] = 1
    coef, z_max = objective(s_base, pair_task[s_pair], s0, weights, K)
    return LinearModel(
        scenario=s, A=A, b=b, lower=lower, upper=upper, integrality=integrality,
        blocks=rows.blocks, xc=xc, xr=xr, xt=xt, xp=xp, n_x=n_x, n_g=n_g,
        pair_task=pair_task, pair_region=pair_region, s_pair=s_pair, s_period=s_period,
        s_segment=s_segment, s_base=s_base, score_coef=coef, z_max=z_max,
        need=need, importance=imp, x_effect=x_effect, use=use, existing=existing, lead=lead,
    )


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
