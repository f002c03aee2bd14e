"""Distances between regions, for stationing (MODEL.md v2): great circles on a
sphere of 6,371 km between the regions' locations."""

from __future__ import annotations

import numpy as np

from .scenario import EARTH_RADIUS_KM, Scenario

REACH_TOLERANCE_KM = 1e-9  # reach is inclusive: d(h, r) <= reach + this


def distance_matrix(s: Scenario) -> np.ndarray:
    """``d[h, r]`` in km between every two regions (0 on the diagonal).

    Regions without a location are ``inf`` from every other region (and 0
    from themselves); validation requires locations when stationing is on.
    """
    R = len(s.regions)
    lat = np.array([r.location.lat if r.location else np.nan for r in s.regions], float)
    lon = np.array([r.location.lon if r.location else np.nan for r in s.regions], float)
    phi, lam = np.radians(lat), np.radians(lon)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    d[np.isnan(d)] = np.inf
    d[np.arange(R), np.arange(R)] = 0.0
    return d
