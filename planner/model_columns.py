"""The model's columns: which variable each one is, laid out from the scenario.

:class:`Layout` holds parallel index arrays per kind of variable (x, g, z,
b, m, s, in that order); :func:`layout` makes them for a scenario, keeping
only the employment cells a capability can use (see :mod:`planner.model`
for the order and meaning of the variables). No rows here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import posture
from .model_params import Params
from .rules import allowed_cells
from .scenario import Scenario


@dataclass
class Layout:
    """Which column is which: parallel index arrays per kind of variable.

    x: ``xc, xh, xr, xt, xp`` (capability, base or -1 without stationing,
    region of employment, task, period), ``x_km`` its distance from the base.
    z: one column per capability in ``zc``. b and m: ``b_cap, b_base, b_period``
    and ``m_cap, m_base, m_period``. s: ``s_pair, s_period, s_segment``.
    """

    xc: np.ndarray
    xh: np.ndarray
    xr: np.ndarray
    xt: np.ndarray
    xp: np.ndarray
    x_km: np.ndarray
    n_g: int
    zc: np.ndarray
    b_cap: np.ndarray
    b_base: np.ndarray
    b_period: np.ndarray
    m_cap: np.ndarray
    m_base: np.ndarray
    m_period: np.ndarray
    pair_task: np.ndarray
    pair_region: np.ndarray
    s_pair: np.ndarray
    s_period: np.ndarray
    s_segment: np.ndarray

    @property
    def n_x(self) -> int:
        return self.xc.size

    def column_slices(self) -> dict[str, slice]:
        """The columns of each kind of variable, in their order: x, g, z, b, m, s."""
        sizes = (("x", self.n_x), ("g", self.n_g), ("z", self.zc.size), ("b", self.b_cap.size),
                 ("m", self.m_cap.size), ("s", self.s_pair.size))
        out, start = {}, 0
        for kind, n in sizes:
            out[kind] = slice(start, start + n)
            start += n
        return out

    x_slice = property(lambda self: self.column_slices()["x"])
    g_slice = property(lambda self: self.column_slices()["g"])
    z_slice = property(lambda self: self.column_slices()["z"])
    b_slice = property(lambda self: self.column_slices()["b"])
    m_slice = property(lambda self: self.column_slices()["m"])
    s_slice = property(lambda self: self.column_slices()["s"])

    @property
    def n_layout(self) -> int:
        return self.s_slice.stop

    @property
    def s_task(self) -> np.ndarray:
        return self.pair_task[self.s_pair]


def layout(s: Scenario, p: Params) -> tuple[Layout, np.ndarray, posture.Stationing | None]:
    """The columns of the model, and each x column's effect per unit."""
    C, R, T, P = p.shape
    K = p.rho.size
    allowed = allowed_cells(s, p)  # (C, R, T)
    if s.stationing:
        st = posture.Stationing.of(s, p)
        cells = st.cells(allowed)  # (capability, base, region, task, effect factor of distance, km)
    else:
        st = None
        cc, cr, ct = np.nonzero(allowed)
        cells = (cc, np.full(cc.size, -1), cr, ct, np.ones(cc.size), np.zeros(cc.size))
    xc, xh, xr, xt = (np.repeat(a, P) for a in cells[:4])
    n_cells = cells[0].size
    xp = np.tile(np.arange(P), n_cells)
    x_effect = p.eff[xc, xt] * p.rf[xc, xr]
    if st is not None or (p.effect_factor != 1).any():
        x_effect = x_effect * np.repeat(cells[4], P) * p.effect_factor[xc, xp]
    b_cap, b_base, b_period, m_cap, m_base, m_period = st.columns() if st is not None else (np.zeros(0, int),) * 6

    pair_task, pair_region = np.nonzero(p.imp > 0)
    n_pairs = pair_task.size
    lay = Layout(
        xc=xc, xh=xh, xr=xr, xt=xt, xp=xp, x_km=np.repeat(cells[5], P), n_g=C,
        zc=np.flatnonzero(p.max_repatriate > 0),
        b_cap=b_cap, b_base=b_base, b_period=b_period, m_cap=m_cap, m_base=m_base, m_period=m_period,
        pair_task=pair_task, pair_region=pair_region,
        s_pair=np.repeat(np.arange(n_pairs), P * K),
        s_period=np.tile(np.repeat(np.arange(P), K), n_pairs),
        s_segment=np.tile(np.arange(K), n_pairs * P),
    )
    return lay, x_effect, st
