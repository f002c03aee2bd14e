"""Seeded generator of valid, feasible scenario dicts of a given shape.

``generate(C, R, T, P, seed=...)`` returns a plain dict in the scenario file
format of ``MODEL.md`` (loadable by ``planner.fileio.scenario_from_dict``):

- capabilities with sparse-ish effects (each acts on a random share of the
  tasks), region factors (a few zeros: cannot operate there), region caps on
  most of them, existing units, new units with lead times;
- demand on most task x region pairs, needs scaled (``need_factor``) so that
  the force cannot meet everything: optimum scores land around 50-80, like
  the bundled scenarios' 64-70;
- resources: a generated-basis budget, a fielded personnel ceiling and an
  employed flight-hours resource per period, sized to be tight (they usually
  bind);
- round numbers for effects, region factors and importances, as planners type
  them (ties make the LP degenerate, as real ones are);
- rules: one floor, one max_share, one min_units, one forbid.

Feasibility is by construction: a witness plan that employs existing units
only (no generation) meets the floor and the presence rule, obeys the region
caps, the forbid rule and the max_share rule (it puts nothing on the capped
task), and the fielded and employed capacities are set above what it uses.
``check_feasible`` confirms it with a zero-objective LP.

``SIZES`` names the benchmark shapes; ``infeasible_variant`` makes a copy
that no plan can satisfy (a floor of 100 % on a need no force can meet), for
timing the diagnosis.
"""

from __future__ import annotations

import copy
import math

import numpy as np

# name -> (capabilities, regions, tasks, periods, effect density)
SIZES = {
    "small": (10, 9, 5, 4, 0.7),
    "medium": (20, 12, 8, 6, 0.9),
    "large": (60, 30, 12, 8, 0.7),
}

RETURNS = [1.0, 0.6, 0.3]
# Planners type round numbers (the bundled scenarios use effects like 0.5, 2.5, 4
# and region factors like 0.8, 0.9, 1): ties make the LP degenerate, as real ones are.
EFFECTS = np.array([0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0])
REGION_FACTORS = np.array([0.3, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0, 1.0, 1.0, 1.0])
IMPORTANCES = np.array([0.2, 0.4, 0.5, 0.6, 0.8, 1.0, 1.0])


def generate_size(name: str, seed: int = 0) -> dict:
    C, R, T, P, density = SIZES[name]
    return generate(C, R, T, P, seed=seed, effect_density=density, name=f"generated {name}")


def generate(C: int, R: int, T: int, P: int, *, seed: int = 0, effect_density: float = 0.7,
             rf_zero: float = 0.05, demand_density: float = 0.85, need_factor: float = 2.5,
             name: str | None = None) -> dict:
    """A scenario dict with C capabilities, R regions, T tasks and P periods."""
    if min(C, R, T, P) < 1 or C < 3 or T < 3:
        raise ValueError("need at least 3 capabilities, 3 tasks, 1 region and 1 period")
    rng = np.random.default_rng(seed)
    tasks = [f"t{i:03d}" for i in range(T)]
    regions = [f"r{i:03d}" for i in range(R)]
    caps = [f"c{i:03d}" for i in range(C)]
    n_zones = max(1, min(4, R // 3))
    zone_of = [f"z{i % n_zones}" for i in range(R)]

    # -- capabilities ----------------------------------------------------------
    eff = np.zeros((C, T))
    for c in range(C):
        k = max(1, int(round(effect_density * T + rng.normal(0, 0.5))))
        k = min(T, k)
        on = rng.choice(T, size=k, replace=False)
        eff[c, on] = rng.choice(EFFECTS, size=k)
    rf = rng.choice(REGION_FACTORS, size=(C, R))
    rf[rng.random((C, R)) < rf_zero] = 0.0
    rf[:, 0] = np.maximum(rf[:, 0], 0.5)  # every capability can work in the first region
    existing = rng.integers(2, 31, size=C).astype(float)
    max_new = rng.integers(0, 9, size=C).astype(float)
    lead = rng.integers(0, max(1, (P + 1) // 2) + 1, size=C)
    capped = rng.random(C) < 0.7
    max_per_region = np.ceil(0.35 * (existing + max_new)) + 1
    cost = np.round(rng.uniform(1.0, 8.0, size=C), 2) * 1e6
    personnel = rng.integers(10, 800, size=C).astype(float)
    air = rng.random(C) < 0.35
    hours = np.where(air, rng.integers(20, 150, size=C), 0).astype(float)

    # -- demand ----------------------------------------------------------------
    has = rng.random((T, R)) < demand_density
    has[:, 0] = True  # every task has demand somewhere
    imp = rng.choice(IMPORTANCES, size=(T, R))
    # scale needs so that full satisfaction takes about NEED_FACTOR times the effect
    # the whole force could deliver if every unit worked on its best task
    best_eff = eff.max(axis=1)
    deliverable = float(((existing + max_new) * best_eff).sum()) * float(rf[rf > 0].mean())
    share = rng.lognormal(0.0, 0.5, size=(T, R)) * has
    need = np.round(need_factor * deliverable * share / share.sum(), 2)
    need = np.where(has, np.maximum(need, 0.5), 0.0)

    # -- rules -----------------------------------------------------------------
    floor_task, share_task = 0, 1
    # forbid: one capability (not the floor's workhorse) on the capped task
    forbid_cap = C - 1
    allowed = (eff[:, None, :] * rf[:, :, None]) > 0  # (C, R, T)
    allowed[forbid_cap, :, share_task] = False

    remaining = existing.copy()  # per-period capacity left for the witness
    per_region_used = np.zeros((C, R))
    plan = np.zeros((C, R, T))  # units employed in every period (witness)

    def employ(c, r, t, units):
        plan[c, r, t] += units
        remaining[c] -= units
        per_region_used[c, r] += units

    def room(c, r):
        cap_room = max_per_region[c] - per_region_used[c, r] if capped[c] else math.inf
        return max(0.0, min(remaining[c], cap_room))

    # floor: floor_task in the zone of region 0, reachable with existing units at 50 % use
    floor_zone = zone_of[0]
    floor_regions = [r for r in range(R) if zone_of[r] == floor_zone and has[floor_task, r]]
    reach = []
    for r in floor_regions:
        got = 0.0
        for c in np.argsort(-(eff[:, floor_task] * rf[:, r])):
            e = eff[c, floor_task] * rf[c, r]
            if e <= 0 or not allowed[c, r, floor_task]:
                continue
            u = 0.5 * room(c, r)
            want = (need[floor_task, r] - got) / e
            u = min(u, want)
            if u > 0:
                employ(c, r, floor_task, u)
                got += u * e
            if got >= need[floor_task, r] - 1e-9:
                break
        reach.append(got / need[floor_task, r])
    # keep the regions the existing force can reach (all of them, in practice)
    reached = [r for r, q in zip(floor_regions, reach) if q >= 0.05]
    if not reached:  # no unit can act on the floor task in that zone: floor region 0 lightly
        reached = [0]
        reach = [0.05]
        eff[0, floor_task] = max(eff[0, floor_task], 1.0)
        employ(0, 0, floor_task, 0.05 * need[floor_task, 0] / (eff[0, floor_task] * rf[0, 0]))
        allowed[0, 0, floor_task] = True
    floor_where = ({"zone": floor_zone} if len(reached) == len(floor_regions)
                   else {"regions": [regions[r] for r in reached]})
    min_sat = math.floor(0.9 * min(q for q in reach if q >= 0.05) * 100) / 100
    min_sat = max(0.01, min(min_sat, 0.5))

    # min_units: the capability with most existing units left, in region 0, on a task != share task
    mu_cap = int(np.argmax(np.where(np.arange(C) == forbid_cap, -1, remaining)))
    mu_task = next((t for t in range(T) if t != share_task and allowed[mu_cap, 0, t]), None)
    if mu_task is None:  # give it an effect on task 0 so that the presence can be useful
        eff[mu_cap, floor_task] = max(eff[mu_cap, floor_task], 1.0)
        allowed[mu_cap, 0, floor_task] = True
        mu_task = floor_task
    mu_units = float(math.floor(0.5 * room(mu_cap, 0)))
    mu_units = max(mu_units, 0.0)
    if mu_units > 0:
        employ(mu_cap, 0, mu_task, mu_units)

    # resources: capacities above the witness, binding for the optimum
    plan_units = plan.sum(axis=(1, 2))
    gen_cap = float(np.round(0.35 * (cost * max_new).sum(), -3))
    fielded_cap = float(np.ceil(personnel @ existing + 0.4 * (personnel @ max_new)))
    hours_cap = float(np.ceil(max(0.55 * (hours @ (existing + max_new)), 1.05 * (hours @ plan_units) + 1)))

    def num(v):
        v = float(v)
        return int(v) if v.is_integer() else v

    cap_dicts = []
    for c in range(C):
        d = {
            "id": caps[c], "name": f"Capability {c}", "category": "air" if air[c] else "ground",
            "existing": num(existing[c]), "max_new": num(max_new[c]), "lead_time": int(lead[c]),
        }
        if capped[c]:
            d["max_per_region"] = num(max_per_region[c])
        d["effect"] = {tasks[t]: num(eff[c, t]) for t in range(T) if eff[c, t] > 0}
        d["region_factor"] = {regions[r]: num(rf[c, r]) for r in range(R) if rf[c, r] != 1.0}
        uses = {"budget": num(cost[c]), "personnel": num(personnel[c])}
        if hours[c] > 0:
            uses["flight_hours"] = num(hours[c])
        d["uses"] = uses
        cap_dicts.append(d)

    demand = {
        tasks[t]: {regions[r]: {"need": num(need[t, r]), "importance": num(imp[t, r])}
                   for r in range(R) if has[t, r]}
        for t in range(T)
    }
    rules = [
        {"id": "floor", "kind": "floor", "task": tasks[floor_task], **floor_where,
         "min_satisfaction": num(min_sat)},
        {"id": "share", "kind": "max_share", "task": tasks[share_task], "max_share": 0.15},
        {"id": "forbid", "kind": "forbid", "capability": caps[forbid_cap], "task": tasks[share_task]},
    ]
    if mu_units > 0:
        rules.append({"id": "presence", "kind": "min_units", "capability": caps[mu_cap],
                      "region": regions[0], "units": num(mu_units)})

    return {
        "format": "mandate-planner-scenario",
        "version": 1,
        "name": name or f"generated {C}x{R}x{T}x{P} seed {seed}",
        "description": "Synthetic benchmark scenario (bench/generate.py).",
        "illustrative": True,
        "periods": [{"id": f"p{p}", "name": f"Period {p}", "weight": 1} for p in range(P)],
        "tasks": [{"id": tasks[t], "name": f"Task {t}", "weight": int(rng.integers(5, 41))}
                  for t in range(T)],
        "regions": [{"id": regions[r], "name": f"Region {r}", "zone": zone_of[r]} for r in range(R)],
        "capabilities": cap_dicts,
        "demand": demand,
        "resources": [
            {"id": "budget", "name": "New-capability budget", "basis": "generated",
             "capacity": num(gen_cap), "unit": "USD"},
            {"id": "personnel", "name": "Personnel ceiling", "basis": "fielded",
             "capacity": num(fielded_cap), "unit": "persons"},
            {"id": "flight_hours", "name": "Flight hours per period", "basis": "employed",
             "capacity": num(hours_cap), "unit": "hours"},
        ],
        "returns": list(RETURNS),
        "rules": rules,
        "settings": {"integer_units": False},
    }


def check_feasible(data: dict) -> bool:
    """Whether the scenario loads and its LP has a feasible point (zero objective)."""
    from scipy.optimize import linprog

    from planner.fileio import scenario_from_dict
    from planner.model import build_model

    m = build_model(scenario_from_dict(data))
    res = linprog(np.zeros(m.n_vars), A_ub=m.A, b_ub=m.b,
                  bounds=np.column_stack([m.lower, m.upper]), method="highs")
    return res.status == 0


def infeasible_variant(data: dict) -> dict:
    """A copy no plan can satisfy: one need raised beyond any force, floored at 100 %.

    The chosen (task, region) pair's need is set to ten times the most effect
    all units (existing and new) could deliver there, and a floor rule asks
    for full satisfaction there in the first period.
    """
    d = copy.deepcopy(data)
    caps = d["capabilities"]
    task, per = next((t, per) for t, per in d["demand"].items() if per)
    region = next(iter(per))
    most = 0.0
    for c in caps:
        e = c.get("effect", {}).get(task, 0.0) * c.get("region_factor", {}).get(region, 1.0)
        most += e * (c["existing"] + c["max_new"])
    per[region]["need"] = float(10.0 * most + 10.0)
    if per[region].get("importance", 1) == 0:
        per[region]["importance"] = 1
    rules = d.setdefault("rules", [])
    rules.append({"id": "impossible-floor", "kind": "floor", "task": task, "region": region,
                  "min_satisfaction": 1.0, "from_period": 0, "to_period": 0})
    return d


if __name__ == "__main__":  # pragma: no cover - a manual check
    import json
    import sys

    size = sys.argv[1] if len(sys.argv) > 1 else "medium"
    print(json.dumps(generate_size(size), indent=2))
