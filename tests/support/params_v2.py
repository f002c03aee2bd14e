"""Contract v2's parameters (MODEL.md, "Contract v2" to "Clarifications (v2)"), read
straight from a scenario dict, and a scenario dict turned into planner objects.

Shared by the v2 reference model (:mod:`support.reference_v2`) and the v2 plan
oracle (:func:`support.oracle.check_plan_json`); nothing here looks at the
planner's own model. Defaults are the contract's: a field left out means what
MODEL.md says it means. Distances come from ``planner.geo.distance_matrix``
(the one piece shared with the planner, so that a reach or a threshold set to
exactly a distance is the same number on both sides); :func:`haversine_km` is
an independent formula to check it against.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np

DEFAULT_RETURNS = [1.0, 0.6, 0.3]
#: reach is inclusive with this tolerance (MODEL.md, Clarifications); the same
#: tolerance is used for "within_km" (inclusive) and "beyond_km" (strictly farther).
KM_TOL = 1e-9
EARTH_RADIUS_KM = 6371.0


def haversine_km(a: dict, b: dict) -> float:
    """Great-circle distance between two ``{"lat", "lon"}`` locations, in km."""
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp = p2 - p1
    dl = math.radians(b["lon"] - a["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def distances(d: dict) -> np.ndarray:
    """d(h, r) between every two regions of the dict, km, from ``planner.geo``."""
    from planner.geo import distance_matrix

    regions = []
    for r in d["regions"]:
        loc = r.get("location")
        regions.append(SimpleNamespace(location=None if loc is None else SimpleNamespace(**loc)))
    return distance_matrix(SimpleNamespace(regions=regions))


class V2Params:
    """Every parameter of the v2 model, defaults applied, indexed by position."""

    def __init__(self, d: dict):
        self.d = d
        self.tasks = [t["id"] for t in d["tasks"]]
        self.regions = [r["id"] for r in d["regions"]]
        self.caps = [c["id"] for c in d["capabilities"]]
        self.periods = [p["id"] for p in d["periods"]]
        self.zone = [r["zone"] for r in d["regions"]]
        self.zones = list(dict.fromkeys(self.zone))
        C, R, T, P = len(self.caps), len(self.regions), len(self.tasks), len(self.periods)
        self.C, self.R, self.T, self.P = C, R, T, P
        settings = d.get("settings") or {}
        self.integer = bool(settings.get("integer_units", False))
        self.stationing = bool(settings.get("stationing", False))

        # -- tasks, periods, returns
        w = np.array([t["weight"] for t in d["tasks"]], float)
        self.w_hat = w / w.sum()
        self.pw = np.array([1.0 if p.get("weight") is None else p["weight"] for p in d["periods"]], float)
        returns = d.get("returns")
        self.rho = np.array(DEFAULT_RETURNS if returns is None else returns, float)
        self.K = self.rho.size

        # -- regions and camps
        self.camp = [r.get("camp", True) is not False for r in d["regions"]]
        self.campcap = [r.get("camp_capacity") for r in d["regions"]]
        self.camp_limits = [dict(r.get("camp_limits") or {}) for r in d["regions"]]
        self.dist = distances(d) if self.stationing else np.zeros((R, R))

        # -- capabilities
        caps = d["capabilities"]
        self.category = [c["category"] for c in caps]
        self.eff = np.zeros((C, T))
        self.rf = np.ones((C, R))
        self.existing = np.array([c["existing"] for c in caps], float)
        self.max_new = np.array([c["max_new"] for c in caps], float)
        self.lead = np.array([int(c["lead_time"]) for c in caps])
        self.cap_r = np.array([np.inf if c.get("max_per_region") is None else c["max_per_region"] for c in caps])
        self.max_rep = np.array([c.get("max_repatriate") or 0.0 for c in caps], float)
        self.reach = np.array([c.get("reach_km") or 0.0 for c in caps], float)
        self.edge = np.array([1.0 if c.get("edge_factor") is None else c["edge_factor"] for c in caps])
        for i, c in enumerate(caps):
            for t, v in (c.get("effect") or {}).items():
                self.eff[i, self.tasks.index(t)] = v
            for r, v in (c.get("region_factor") or {}).items():
                self.rf[i, self.regions.index(r)] = v
        camps = [h for h in range(R) if self.camp[h]]
        #: where each capability may be based (only meaningful with stationing)
        self.bases = [
            camps if c.get("bases") is None else [self.regions.index(h) for h in c["bases"]]
            for c in caps
        ]
        self.bases = [[h for h in hs if self.camp[h]] for hs in self.bases]
        #: initial laydown {h: units}, or None when based_at is not given
        self.init = [
            None if c.get("based_at") is None
            else {self.regions.index(h): float(u) for h, u in c["based_at"].items()}
            for c in caps
        ]

        # -- demand, by period
        self.imp = np.zeros((T, R))
        self.need = np.ones((T, R, P))
        for t, per in d["demand"].items():
            for r, dm in per.items():
                ti, ri = self.tasks.index(t), self.regions.index(r)
                imp = dm.get("importance")
                self.imp[ti, ri] = 1.0 if imp is None else imp
                for p, pid in enumerate(self.periods):
                    self.need[ti, ri, p] = (dm.get("need_by_period") or {}).get(pid, dm["need"])

        # -- effect factor of a capability's category in a period
        self.ef = np.ones((C, P))
        for p, per in enumerate(d["periods"]):
            for cat, f in (per.get("effect_factor") or {}).items():
                for c in range(C):
                    if self.category[c] == cat:
                        self.ef[c, p] = f

        # -- resources
        self.resources = d["resources"]
        people = [q["id"] for q in self.resources if q.get("personnel")]
        self.personnel = people[0] if people else None

        # -- rules; cells a unit may be employed in
        self.rules = d.get("rules") or []
        self.via = set()  # (capability, task): an enabler's employment on a via_task
        for rule in self.rules:
            if rule["kind"] == "requires" and rule.get("via_task") is not None:
                for b in rule["needs"]:
                    self.via.add((self.caps.index(b), self.tasks.index(rule["via_task"])))
        self.cell = (self.eff[:, None, :] * self.rf[:, :, None]) > 0  # (C, R, T)
        for c, t in self.via:
            self.cell[c, :, t] |= self.rf[c, :] > 0
        for rule in self.rules:
            if rule["kind"] == "forbid":
                sel = tuple(
                    slice(None) if rule.get(key) is None else names.index(rule[key])
                    for key, names in (("capability", self.caps), ("region", self.regions), ("task", self.tasks))
                )
                self.cell[sel] = False

    # -- helpers -----------------------------------------------------------------
    def use(self, c: int, qid: str) -> float:
        return float((self.d["capabilities"][c].get("uses") or {}).get(qid, 0.0))

    def move_use(self, c: int, qid: str) -> float:
        return float((self.d["capabilities"][c].get("move_uses") or {}).get(qid, 0.0))

    def per_km(self, c: int, qid: str) -> float:
        return float((self.d["capabilities"][c].get("uses_per_km") or {}).get(qid, 0.0))

    def bases_of(self, c: int) -> list:
        """The bases of c: region indices with stationing, ``[None]`` (no base) without."""
        return self.bases[c] if self.stationing else [None]

    def move_bases(self, c: int) -> list[int]:
        """Where units of c can leave from: its bases and its initial laydown."""
        if not self.stationing:
            return []
        extra = [h for h in (self.init[c] or {}) if h not in self.bases[c]]
        return list(self.bases[c]) + extra

    def in_reach(self, c: int, h, r: int) -> bool:
        return h is None or self.dist[h, r] <= self.reach[c] + KM_TOL

    def phi(self, c: int, h, r: int) -> float:
        """Share of the effect left at distance d(h, r) (1 without stationing or with reach 0)."""
        if h is None or self.reach[c] == 0:
            return 1.0
        return 1.0 - (1.0 - self.edge[c]) * self.dist[h, r] / self.reach[c]

    def km(self, h, r: int) -> float:
        return 0.0 if h is None else float(self.dist[h, r])

    def employable(self, c: int, h, r: int, t: int) -> bool:
        """Whether x[c, h, r, t, .] exists."""
        return bool(self.cell[c, r, t]) and self.in_reach(c, h, r)

    def coef(self, c: int, h, r: int, t: int, p: int) -> float:
        """Effect units per unit of c based at h employed in r on t in period p."""
        return float(self.eff[c, t] * self.rf[c, r] * self.phi(c, h, r) * self.ef[c, p])

    def rule_regions(self, rule: dict) -> list[int]:
        """The regions a rule names (every region when it names none)."""
        if rule.get("region") is not None:
            return [self.regions.index(rule["region"])]
        if rule.get("regions") is not None:
            return sorted({self.regions.index(r) for r in rule["regions"]})
        if rule.get("zone") is not None:
            return [i for i, z in enumerate(self.zone) if z == rule["zone"]]
        return list(range(self.R))

    def rule_periods(self, rule: dict) -> range:
        lo, hi = rule.get("from_period"), rule.get("to_period")
        return range(0 if lo is None else lo, (self.P - 1 if hi is None else hi) + 1)

    def requires_groups(self, rule: dict) -> list[list[int]]:
        """The groups of regions a requires rule sums over: one per region (scope region) or
        one per zone, of the rule's regions only (scope zone)."""
        place = self.rule_regions(rule)
        if (rule.get("scope") or "region") == "region":
            return [[r] for r in place]
        groups = [[r for r in place if self.zone[r] == z] for z in self.zones]
        return [g for g in groups if g]

    def arrived(self, c: int, p: int) -> bool:
        return p >= self.lead[c]

    def z_max(self) -> float:
        return float(np.einsum("p,t,tr->", self.pw, self.w_hat, self.imp) * self.rho.sum() / self.K)

    def task_denominators(self) -> np.ndarray:
        return np.einsum("p,tr->t", self.pw, self.imp) * self.rho.sum() / self.K


def segment_value(pr: V2Params, S: np.ndarray) -> np.ndarray:
    """Σ_k ρ_k s_k of satisfaction S (T, R, P), segments filled best first."""
    seg = np.clip(S[..., None] - np.arange(pr.K) / pr.K, 0.0, 1.0 / pr.K)
    return (seg * pr.rho).sum(-1)


def score_of(pr: V2Params, S: np.ndarray) -> tuple[float, dict]:
    """MODEL.md's score and per-task scores of satisfaction S (T, R, P); 0 where no demand."""
    value = segment_value(pr, S)
    z = float(np.einsum("p,t,tr,trp->", pr.pw, pr.w_hat, pr.imp, value))
    zmax = pr.z_max()
    score = 100.0 * z / zmax if zmax > 0 else 0.0
    den = pr.task_denominators()
    num = np.einsum("p,tr,trp->t", pr.pw, pr.imp, value)
    tasks = {tid: (100.0 * num[t] / den[t] if den[t] > 0 else None) for t, tid in enumerate(pr.tasks)}
    return score, tasks


# -- a scenario dict as planner objects ------------------------------------------------


def to_scenario(d: dict):
    """The :class:`planner.scenario.Scenario` of a (valid) v2 scenario dict, built directly
    from the data classes (no file validation)."""
    from planner import scenario as S

    fm = S.frozen_map

    def opt_map(v):
        return None if v is None else fm(v)

    def opt_tuple(v):
        return None if v is None else tuple(v)

    periods = tuple(
        S.Period(p["id"], p["name"], weight=p.get("weight"), note=p.get("note"),
                 effect_factor=opt_map(p.get("effect_factor")))
        for p in d["periods"]
    )
    tasks = tuple(S.Task(t["id"], t["name"], float(t["weight"])) for t in d["tasks"])
    regions = tuple(
        S.Region(
            r["id"], r["name"], r["zone"],
            location=None if r.get("location") is None else S.Location(r["location"]["lat"], r["location"]["lon"]),
            camp=r.get("camp"), camp_capacity=r.get("camp_capacity"), camp_limits=opt_map(r.get("camp_limits")),
        )
        for r in d["regions"]
    )
    caps = tuple(
        S.Capability(
            c["id"], c["name"], c["category"], float(c["existing"]), float(c["max_new"]), int(c["lead_time"]),
            max_per_region=c.get("max_per_region"),
            effect=fm(c.get("effect") or {}),
            region_factor=fm(c.get("region_factor") or {}),
            uses=fm(c.get("uses") or {}),
            has_region_factor="region_factor" in c,
            has_uses="uses" in c,
            reach_km=c.get("reach_km"), edge_factor=c.get("edge_factor"),
            uses_per_km=opt_map(c.get("uses_per_km")), bases=opt_tuple(c.get("bases")),
            based_at=opt_map(c.get("based_at")), move_uses=opt_map(c.get("move_uses")),
            max_repatriate=c.get("max_repatriate"),
        )
        for c in d["capabilities"]
    )
    demand = fm({
        t: fm({
            r: S.Demand(dm["need"], dm.get("importance"), opt_map(dm.get("need_by_period")))
            for r, dm in per.items()
        })
        for t, per in d["demand"].items()
    })
    resources = tuple(
        S.Resource(q["id"], q["name"], q["basis"], float(q["capacity"]), q["unit"], personnel=q.get("personnel"))
        for q in d["resources"]
    )
    rule_keys = {f.name for f in dataclasses.fields(S.Rule)}
    rules = []
    for rule in d.get("rules") or []:
        kw = {k: v for k, v in rule.items() if k in rule_keys}
        for k in ("regions", "capabilities"):
            if kw.get(k) is not None:
                kw[k] = tuple(kw[k])
        if kw.get("needs") is not None:
            kw["needs"] = fm(kw["needs"])
        rules.append(S.Rule(**kw))
    settings = d.get("settings")
    return S.Scenario(
        name=d["name"], periods=periods, tasks=tasks, regions=regions, capabilities=caps,
        demand=demand, resources=resources, version=d.get("version", 1),
        returns=None if d.get("returns") is None else tuple(d["returns"]),
        rules=None if d.get("rules") is None else tuple(rules),
        settings=None if settings is None else S.Settings(
            bool(settings.get("integer_units", False)), settings.get("stationing")),
    )
