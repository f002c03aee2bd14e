"""Small random scenarios of contract v2 (MODEL.md, "Contract v2" to "Clarifications (v2)").

:func:`v2_scenario_dicts` draws VALID v2 scenario dicts small enough for the
dense reference model: stationing on or off; 2-4 regions with locations on a
grid along the equator (so distances repeat and can be hit exactly), some not
camps, with camp capacities and camp limits by category; 2-3 capabilities
with reach (often exactly a distance between two regions, to probe the
inclusive reach), edge factors, use by distance, bases, an initial laydown,
move costs and repatriation; every resource basis (``in_service`` included)
and a personnel resource; need by period and effect factors by category;
v1 rules and 0-2 ``requires`` rules with every option (place, scope, period
range, ``via_task``, ``beyond_km``, ``based_within``, ``any``); whole units
on and off. Numbers are "planner" numbers (one decimal), so the solver
properties can check tightly.

:func:`capacity_raises` lists the numbers whose increase can only loosen the
model, for the "more capacity never hurts" property.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from ..params_v2 import distances

#: longitudes of the region grid, degrees along the equator (1 degree = 111.19 km)
LONGITUDES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
CATEGORIES = ("ground", "air")
#: room left under a fielded / in-service ceiling, in a resource's own steps: often none
#: (so new units need repatriations), sometimes short (infeasible unless units go home)
_MARGINS = st.sampled_from([0, 0, 0.5, 1, 4, 10, -1])


def _num(lo, hi, digits=1):
    """A number in [lo, hi] with ``digits`` decimals (drawn as an integer: no bias to lo)."""
    f = 10**digits
    return st.integers(int(round(lo * f)), int(round(hi * f))).map(lambda k: round(k / f, digits))


def _distance_or(draw, dist, R, lo, hi):
    """A distance between two of the regions (exactly), or a number in [lo, hi]."""
    if R > 1 and draw(st.booleans()):
        h, r = draw(st.integers(0, R - 1)), draw(st.integers(0, R - 1))
        return float(dist[h, r])
    return draw(_num(lo, hi, 0))


def _period_range(draw, rule: dict, P: int) -> None:
    if P > 1 and draw(st.integers(0, 2)) == 0:
        lo = draw(st.integers(0, P - 1))
        hi = draw(st.integers(lo, P - 1))
        if draw(st.booleans()):
            rule["from_period"] = lo
        if draw(st.booleans()):
            rule["to_period"] = hi


@st.composite
def v2_scenario_dicts(draw, stationing: bool | None = None, requires: bool = True, integer: bool | None = None,
                      max_periods: int = 3, max_regions: int = 4, max_capabilities: int = 3, max_requires: int = 2):
    """A valid, small contract-v2 scenario dict.

    ``stationing``/``integer``: forced on or off (None: drawn). ``requires``: may draw
    enabler rules (up to ``max_requires``)."""
    if stationing is None:
        stationing = draw(st.booleans())
    P = draw(st.integers(1, max_periods))
    T = draw(st.integers(1, 3))
    R = draw(st.integers(2, max_regions) if stationing else st.integers(1, max_regions - 1))
    C = draw(st.integers(2, max_capabilities))
    # categories first: camp limits and effect factors name the capabilities' own
    category = [draw(st.sampled_from(CATEGORIES)) for _ in range(C)]
    cats = sorted(set(category))
    tasks = [f"t{i}" for i in range(T)]
    regions = [f"r{i}" for i in range(R)]
    caps = [f"c{i}" for i in range(C)]
    periods = [f"p{i}" for i in range(P)]
    weights = [draw(st.integers(0, 5)) for _ in tasks]
    weights[0] = max(weights[0], 1)
    support_task = draw(st.booleans()) if requires else False  # a weight-0 task with no demand, for via_task
    task_list = [{"id": t, "name": t, "weight": w} for t, w in zip(tasks, weights)]
    if support_task:
        task_list.append({"id": "lift", "name": "Lift", "weight": 0})
    all_tasks = [t["id"] for t in task_list]

    # -- regions: locations, zones, camps
    zones = ["z0", "z1"]
    region_list = []
    for rid in regions:
        reg = {"id": rid, "name": rid, "zone": draw(st.sampled_from(zones)),
               "location": {"lat": 0.0, "lon": draw(st.sampled_from(LONGITUDES))}}
        region_list.append(reg)
    dist = distances({"regions": region_list})
    with_people = draw(st.booleans())
    people_basis = draw(st.sampled_from(["fielded", "in_service"]))
    personnel = with_people and stationing and draw(st.booleans())
    if stationing:
        for i, reg in enumerate(region_list):
            if i > 0 and draw(st.integers(0, 3)) == 0:
                reg["camp"] = False
            elif draw(st.integers(0, 5)) == 0:
                reg["camp"] = True
            if reg.get("camp", True):
                if personnel and draw(st.integers(0, 2)) == 0:
                    reg["camp_capacity"] = draw(_num(0, 60, 0))
                if draw(st.integers(0, 3)) == 0:
                    reg["camp_limits"] = {draw(st.sampled_from(cats)): draw(_num(0, 3))}
    camps = [r["id"] for r in region_list if r.get("camp", True)]

    # -- periods
    period_list = []
    for pid in periods:
        p = {"id": pid, "name": pid}
        if draw(st.integers(0, 2)) == 0:
            p["weight"] = draw(_num(0, 3))
        if draw(st.integers(0, 3)) == 0:
            p["effect_factor"] = {draw(st.sampled_from(cats)): draw(st.sampled_from([0, 0.5, 1.5]))}
        period_list.append(p)

    with_hours = draw(st.booleans())
    with_running = draw(st.integers(0, 2)) == 0
    resource_ids = ["budget"] + (["people"] if with_people else []) + (["hours"] if with_hours else []) + (
        ["running"] if with_running else [])

    # -- capabilities
    cap_list = []
    for cid, cat in zip(caps, category):
        c = {"id": cid, "name": cid, "category": cat,
             "existing": draw(_num(0, 3)), "max_new": draw(_num(0, 3)),
             "lead_time": draw(st.integers(0, P)), "effect": {}}
        for t in tasks:
            if draw(st.integers(0, 2)):
                c["effect"][t] = draw(_num(0, 3))
        if draw(st.integers(0, 2)) == 0:
            c["region_factor"] = {r: draw(st.sampled_from([0, 0.5, 1, 1.5])) for r in regions}
        if draw(st.integers(0, 2)) == 0:
            c["max_per_region"] = draw(_num(0.5, 3))
        uses = {"budget": draw(_num(1, 10))}
        if with_people:
            uses["people"] = draw(_num(0, 20, 0))
        if with_hours:
            uses["hours"] = draw(_num(0, 10))
        if with_running:
            uses["running"] = draw(_num(0, 5))
        c["uses"] = uses
        if draw(st.booleans()) and c["existing"] > 0:
            c["max_repatriate"] = draw(st.sampled_from([c["existing"], round(c["existing"] / 2, 2), 0]))
        if stationing:
            if draw(st.integers(0, 4)):
                c["reach_km"] = _distance_or(draw, dist, R, 0, 400)
            if draw(st.booleans()):
                c["edge_factor"] = draw(st.sampled_from([0.3, 0.5, 1]) | _num(0.1, 1))
            if draw(st.integers(0, 3)) == 0:
                q = draw(st.sampled_from(resource_ids))
                c["uses_per_km"] = {q: draw(st.sampled_from([0.005, 0.01, 0.02, 0.05]))}
            if camps and draw(st.integers(0, 2)) == 0:
                c["bases"] = draw(st.lists(st.sampled_from(camps), min_size=1, unique=True))
            allowed = c.get("bases", camps)
            if allowed and c["existing"] > 0 and draw(st.booleans()):
                where = draw(st.lists(st.sampled_from(allowed), min_size=1, unique=True))
                left = c["existing"]
                based = {}
                for h in where:
                    u = round(draw(st.floats(0, 1)) * left, 1)
                    based[h] = u
                    left = round(left - u, 1)
                c["based_at"] = based
            if draw(st.integers(0, 2)) == 0:
                q = draw(st.sampled_from(resource_ids))
                c["move_uses"] = {q: draw(_num(0.5, 5))}
        cap_list.append(c)

    # -- demand
    demand: dict = {}
    for t in tasks:
        for r in regions:
            if draw(st.integers(0, 2)):
                dm = {"need": draw(_num(0.5, 5))}
                if draw(st.integers(0, 2)) == 0:
                    dm["importance"] = draw(_num(0, 2))
                if draw(st.integers(0, 3)) == 0:
                    dm["need_by_period"] = {draw(st.sampled_from(periods)): draw(_num(0.5, 8))}
                demand.setdefault(t, {})[r] = dm
    if not demand:
        demand[tasks[0]] = {regions[-1]: {"need": draw(_num(0.5, 5))}}

    # -- resources
    resources = [{"id": "budget", "name": "Budget", "basis": "generated",
                  "capacity": draw(_num(0, 30)), "unit": "USD"}]
    if with_people:
        fielded = sum(c["uses"]["people"] * c["existing"] for c in cap_list)
        times = P if people_basis == "in_service" else 1
        q = {"id": "people", "name": "People", "basis": people_basis,
             "capacity": round(max(0.0, fielded * times + draw(_MARGINS) * 10), 1), "unit": "persons"}
        if personnel:
            q["personnel"] = True
        resources.append(q)
    if with_hours:
        resources.append({"id": "hours", "name": "Hours", "basis": "employed",
                          "capacity": draw(_num(0, 20)), "unit": "h"})
    if with_running:
        running = sum(c["uses"]["running"] * c["existing"] for c in cap_list) * P
        resources.append({"id": "running", "name": "Running costs", "basis": "in_service",
                          "capacity": round(max(0.0, running + draw(_MARGINS) * 3), 1), "unit": "USD"})

    # -- rules
    rules = []
    pairs = [(t, r) for t, per in demand.items() for r, dm in per.items() if dm.get("importance", 1) > 0]
    if pairs and draw(st.integers(0, 2)) == 0:
        t, r = draw(st.sampled_from(pairs))
        rule = {"id": "floor", "kind": "floor", "task": t, "regions": [r],
                "min_satisfaction": draw(st.sampled_from([0, 0.05, 0.1, 0.2]))}
        _period_range(draw, rule, P)
        rules.append(rule)
    if draw(st.integers(0, 3)) == 0:
        rule = {"id": "forbid", "kind": "forbid"}
        for key in sorted(draw(st.sets(st.sampled_from(["capability", "task", "region"]), min_size=1))):
            rule[key] = draw(st.sampled_from({"capability": caps, "task": all_tasks, "region": regions}[key]))
        rules.append(rule)
    if draw(st.integers(0, 3)) == 0:
        rule = {"id": "share", "kind": "max_share", "task": draw(st.sampled_from(tasks)),
                "max_share": draw(_num(0, 1, 2))}
        if draw(st.booleans()):
            rule["capabilities"] = sorted(draw(st.sets(st.sampled_from(caps), min_size=1)))
        rules.append(rule)
    if draw(st.integers(0, 3)) == 0:
        c = draw(st.integers(0, C - 1))  # mostly a presence the force can keep
        units = round(draw(st.sampled_from([0.0, 0.25, 0.5, 1.2])) * cap_list[c]["existing"], 2)
        rules.append({"id": "presence", "kind": "min_units", "capability": caps[c],
                      "regions": [draw(st.sampled_from(regions))], "units": units})
    if requires:
        for i in range(draw(st.integers(0, max_requires))):
            rules.append(_requires_rule(draw, f"req{i}", caps, regions, region_list, P, stationing,
                                        dist, support_task, tasks))

    d = {
        "format": "mandate-planner-scenario",
        "version": 2,
        "name": "random v2",
        "periods": period_list,
        "tasks": task_list,
        "regions": region_list,
        "capabilities": cap_list,
        "demand": demand,
        "resources": resources,
        "returns": draw(st.sampled_from([[1], [1, 0.5], [1, 0.6, 0.3], [2, 0.5, 0.5]])),
        "rules": rules,
    }
    settings = {}
    if integer is None:
        integer = draw(st.integers(0, 3)) == 0
    if integer:
        settings["integer_units"] = True
    if stationing:
        settings["stationing"] = True
    if settings:
        d["settings"] = settings
    return d


def _requires_rule(draw, rid, caps, regions, region_list, P, stationing, dist, support_task, tasks):
    a = draw(st.sampled_from(caps))
    others = [c for c in caps if c != a]
    enablers = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
    rule = {"id": rid, "kind": "requires", "capability": a,
            "needs": {b: draw(st.sampled_from([0.25, 0.5, 1, 2]) | _num(0.1, 2)) for b in enablers}}
    place = draw(st.sampled_from(["none", "none", "region", "regions", "zone"]))
    if place == "region":
        rule["region"] = draw(st.sampled_from(regions))
    elif place == "regions":
        rule["regions"] = sorted(draw(st.sets(st.sampled_from(regions), min_size=1)))
    elif place == "zone":
        rule["zone"] = draw(st.sampled_from(sorted({r["zone"] for r in region_list})))
    based_within = stationing and draw(st.integers(0, 3)) == 0
    if draw(st.integers(0, 2)) == 0:
        rule["scope"] = "zone"
    elif draw(st.booleans()):
        rule["scope"] = "region"
    _period_range(draw, rule, P)
    if based_within:
        rule["count"] = "based_within"
        rule["within_km"] = _distance_or(draw, dist, len(regions), 0, 300)
    elif draw(st.integers(0, 2)) == 0:
        rule["via_task"] = "lift" if support_task and draw(st.booleans()) else draw(st.sampled_from(tasks))
    if stationing and draw(st.integers(0, 2)) == 0:
        rule["beyond_km"] = _distance_or(draw, dist, len(regions), 0, 300)
    if draw(st.integers(0, 2)) == 0:
        rule["any"] = True
    return rule


def capacity_raises(d: dict) -> list[tuple[str, tuple]]:
    """(what, path) of every number of ``d`` whose increase can only loosen the model:
    resource capacities, camp capacities and limits, max_new, max_repatriate (up to
    existing), max_per_region and reach (a farther reach adds cells and, with an edge
    factor, raises the effect at every distance)."""
    out = [("capacity", ("resources", i, "capacity")) for i in range(len(d["resources"]))]
    for i, r in enumerate(d["regions"]):
        if "camp_capacity" in r:
            out.append(("camp_capacity", ("regions", i, "camp_capacity")))
        for cat in r.get("camp_limits") or {}:
            out.append(("camp_limits", ("regions", i, "camp_limits", cat)))
    for i, c in enumerate(d["capabilities"]):
        out.append(("max_new", ("capabilities", i, "max_new")))
        if c.get("max_per_region") is not None:
            out.append(("max_per_region", ("capabilities", i, "max_per_region")))
        if (d.get("settings") or {}).get("stationing"):
            out.append(("reach_km", ("capabilities", i, "reach_km")))
        if c["existing"] > (c.get("max_repatriate") or 0):
            out.append(("max_repatriate", ("capabilities", i, "max_repatriate")))
    return out


def raised(d: dict, path: tuple, amount: float) -> dict:
    """A copy of ``d`` with the number at ``path`` raised by ``amount`` (a missing reach or
    max_repatriate counts from its default 0; max_repatriate stops at existing)."""
    d = copy.deepcopy(d)
    obj = d
    for key in path[:-1]:
        obj = obj[key]
    last = path[-1]
    value = obj.get(last) or 0.0
    new = round(value + amount, 6)
    if last == "max_repatriate":
        new = min(new, obj["existing"])
    obj[last] = new
    return d
