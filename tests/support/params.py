"""The model's parameters and its score, read straight from a scenario dict.

Nothing here looks at the planner's own model or matrices: the parameters come
from the dict with contract v1's (MODEL.md) defaults applied, and the score is
MODEL.md's formula applied to a satisfaction array.
"""

from __future__ import annotations

import numpy as np

DEFAULT_RETURNS = [1.0, 0.6, 0.3]


class Params:
    """The model's parameters read straight from the scenario dict (MODEL.md defaults applied)."""

    def __init__(self, d: dict):
        self.d = d
        self.tasks = [t["id"] for t in d["tasks"]]
        self.regions = [r["id"] for r in d["regions"]]
        self.caps = [c["id"] for c in d["capabilities"]]
        self.periods = [p["id"] for p in d["periods"]]
        self.zone = [r["zone"] for r in d["regions"]]
        C, R, T, P = len(self.caps), len(self.regions), len(self.tasks), len(self.periods)
        self.C, self.R, self.T, self.P = C, R, T, P
        self.eff = np.zeros((C, T))
        self.rf = np.ones((C, R))
        self.existing = np.zeros(C)
        self.max_new = np.zeros(C)
        self.lead = np.zeros(C, int)  # lead >= P is stored as P + 1: never
        self.cap_r = np.full(C, np.inf)
        for i, c in enumerate(d["capabilities"]):
            for t, v in (c.get("effect") or {}).items():
                self.eff[i, self.tasks.index(t)] = v
            for r, v in (c.get("region_factor") or {}).items():
                self.rf[i, self.regions.index(r)] = v
            self.existing[i], self.max_new[i] = c["existing"], c["max_new"]
            self.lead[i] = min(c["lead_time"], P + 1)
            if c.get("max_per_region") is not None:
                self.cap_r[i] = c["max_per_region"]
        self.need = np.ones((T, R))
        self.imp = np.zeros((T, R))
        for t, per in d["demand"].items():
            for r, dm in per.items():
                ti, ri = self.tasks.index(t), self.regions.index(r)
                self.need[ti, ri] = dm["need"]
                imp = dm.get("importance")
                self.imp[ti, ri] = 1.0 if imp is None else imp
        self.pw = np.array([1.0 if p.get("weight") is None else p["weight"] for p in d["periods"]], float)
        returns = d.get("returns")
        self.rho = np.array(DEFAULT_RETURNS if returns is None else returns, float)
        w = np.array([t["weight"] for t in d["tasks"]], float)
        self.w_hat = w / w.sum()
        self.rules = d.get("rules") or []
        self.integer = bool((d.get("settings") or {}).get("integer_units", False))
        # cells a unit may work in: an effect, a non-zero region factor, no forbid rule
        self.allowed = (self.eff[:, None, :] * self.rf[:, :, None]) > 0  # (C, R, T)
        for rule in self.rules:
            if rule["kind"] == "forbid":
                sel = tuple(
                    slice(None) if rule.get(key) is None else names.index(rule[key])
                    for key, names in (
                        ("capability", self.caps),
                        ("region", self.regions),
                        ("task", self.tasks),
                    )
                )
                self.allowed[sel] = False

    def use(self, qid: str) -> np.ndarray:
        return np.array([(c.get("uses") or {}).get(qid, 0.0) for c in self.d["capabilities"]], float)

    def rule_regions(self, rule: dict) -> list[int]:
        """Indices of the regions a floor / min_units rule names (a set: duplicates count once)."""
        if rule.get("region") is not None:
            return [self.regions.index(rule["region"])]
        if rule.get("regions") is not None:
            return sorted({self.regions.index(r) for r in rule["regions"]})
        return [i for i, z in enumerate(self.zone) if z == rule["zone"]]

    def rule_periods(self, rule: dict) -> range:
        lo = rule.get("from_period")
        hi = rule.get("to_period")
        return range(0 if lo is None else lo, (self.P - 1 if hi is None else hi) + 1)

    def z_max(self) -> float:
        K = self.rho.size
        return float(np.einsum("p,t,tr->", self.pw, self.w_hat, self.imp) * self.rho.sum() / K)


def recomputed_score(pr: Params, S: np.ndarray) -> float:
    """MODEL.md's score of satisfaction S (T, R, P), segments filled best first."""
    K = pr.rho.size
    seg = np.clip(S[..., None] - np.arange(K) / K, 0.0, 1.0 / K)  # (T, R, P, K)
    value = (seg * pr.rho).sum(-1)
    z = np.einsum("p,t,tr,trp->", pr.pw, pr.w_hat, pr.imp, value)
    z_max = pr.z_max()
    return 100.0 * z / z_max if z_max > 0 else 0.0
