"""Valid scenario dicts of every shape contract v1 (MODEL.md) allows.

All four rule kinds with every selector, all three resource bases, lead times
up to and past the number of periods, region caps, zero region factors /
importances / period weights / task weights, 1-4 non-increasing return
segments, whole units on and off, optional fields present or absent, notes
and verbatim ``extra`` objects. ``wild=True`` draws arbitrary finite floats
(subnormals, 17-digit values) for the file round trip; the default draws
"planner" numbers the solver properties can check tightly.
"""

from __future__ import annotations

from hypothesis import strategies as st

from .values import (
    FORMAT,
    MAX_NUMBER,
    add_notes,
    extra_objects,
    ids,
    maybe_add,
    nonneg,
    positive,
    shares,
    steps,
    texts,
    unique_ids,
)

RULE_KINDS = ("floor", "max_share", "forbid", "min_units")
BASES = ("generated", "fielded", "employed")


def _period_range(draw, rule: dict, P: int) -> None:
    choice = draw(st.sampled_from(["none", "from", "to", "both"]))
    lo = draw(st.integers(0, P - 1))
    hi = draw(st.integers(lo, P - 1))
    if choice in ("from", "both"):
        rule["from_period"] = lo
    if choice in ("to", "both"):
        rule["to_period"] = hi


def _selector(draw, rule: dict, regions: list[str], zone_of: dict, must_include: str | None = None):
    """One of region / regions / zone; when must_include is given, it is covered."""
    kind = draw(st.sampled_from(["region", "regions", "zone", "zone"]))
    anchor = must_include if must_include is not None else draw(st.sampled_from(regions))
    if kind == "region":
        rule["region"] = anchor
    elif kind == "regions":
        others = draw(st.lists(st.sampled_from(regions), max_size=3))
        rule["regions"] = draw(st.permutations(others + [anchor]))
    else:
        rule["zone"] = zone_of[anchor]


@st.composite
def scenario_dicts(
    draw,
    wild: bool = False,
    max_periods: int = 4,
    max_tasks: int = 3,
    max_regions: int = 4,
    max_capabilities: int = 4,
    max_resources: int = 3,
    max_rules: int = 5,
):
    """A VALID scenario dict (contract v1). ``wild``: arbitrary finite floats."""
    P = draw(st.integers(1, max_periods))
    T = draw(st.integers(1, max_tasks))
    R = draw(st.integers(1, max_regions))
    C = draw(st.integers(1, max_capabilities))
    Q = draw(st.integers(0, max_resources))
    period_ids, task_ids, region_ids = draw(unique_ids(P)), draw(unique_ids(T)), draw(unique_ids(R))
    cap_ids, res_ids = draw(unique_ids(C)), draw(unique_ids(Q))
    scale = draw(st.sampled_from([1, 1, 1, 1000, 1_000_000]))  # resource units: people, USD

    d: dict = {"format": FORMAT, "version": 1, "name": draw(texts)}
    maybe_add(draw, d, "description", st.text(max_size=40))
    maybe_add(draw, d, "illustrative", st.booleans())
    maybe_add(draw, d, "sources", st.lists(texts, max_size=3))

    periods = []
    for pid in period_ids:
        p = {"id": pid, "name": draw(texts)}
        maybe_add(draw, p, "weight", nonneg(wild, 3))
        add_notes(draw, p)
        periods.append(p)
    d["periods"] = periods

    tasks = []
    for tid in task_ids:
        t = {"id": tid, "name": draw(texts), "weight": draw(nonneg(wild, 50, 5))}
        add_notes(draw, t)
        tasks.append(t)
    if all(t["weight"] == 0 for t in tasks):
        tasks[draw(st.integers(0, T - 1))]["weight"] = draw(positive(wild, 50, 5))
    d["tasks"] = tasks

    zones = draw(st.lists(ids, min_size=1, max_size=min(R, 3), unique=True))
    regions, zone_of = [], {}
    for rid in region_ids:
        r = {"id": rid, "name": draw(texts), "zone": draw(st.sampled_from(zones))}
        zone_of[rid] = r["zone"]
        if draw(st.booleans()):
            r["location"] = {
                "lat": draw(st.floats(-90, 90) if wild else steps(90, 0.01, -90)),
                "lon": draw(st.floats(-180, 180) if wild else steps(180, 0.01, -180)),
            }
        add_notes(draw, r)
        regions.append(r)
    d["regions"] = regions

    bases = [draw(st.sampled_from(BASES)) for _ in res_ids]
    capabilities = []
    for cid in cap_ids:
        c = {
            "id": cid,
            "name": draw(texts),
            "category": draw(st.sampled_from(["ground", "air", "isr", ""]) | texts),
            "existing": draw(nonneg(wild, 4)),
            "max_new": draw(nonneg(wild, 4)),
            # lead >= P: the new units never arrive this cycle
            "lead_time": draw(st.integers(0, P + 2)),
        }
        maybe_add(draw, c, "max_per_region", nonneg(wild, 3))  # 0 included
        if draw(st.integers(0, 4)):  # "effect" defaults to {}
            c["effect"] = {
                t: draw(nonneg(wild, 3)) for t in draw(st.lists(st.sampled_from(task_ids), unique=True))
            }
        if draw(st.booleans()):
            c["region_factor"] = {
                r: draw(st.sampled_from([0, 0.5, 1, 1.5]) | nonneg(wild, 2))
                for r in draw(st.lists(st.sampled_from(region_ids), unique=True))
            }
        if res_ids and draw(st.integers(0, 3)):
            c["uses"] = {
                q: min(draw(nonneg(wild, 5)) * scale, MAX_NUMBER)
                for q in draw(st.lists(st.sampled_from(res_ids), unique=True))
            }
        elif draw(st.integers(0, 5)) == 0:
            c["uses"] = {}
        add_notes(draw, c)
        capabilities.append(c)
    d["capabilities"] = capabilities

    demand: dict = {}
    for t in task_ids:
        for r in region_ids:
            if draw(st.booleans()):
                dm = {"need": draw(positive(wild, 10))}
                maybe_add(draw, dm, "importance", st.sampled_from([0, 1, 2]) | nonneg(wild, 2))
                demand.setdefault(t, {})[r] = dm
        if t not in demand and draw(st.integers(0, 5)) == 0:
            demand[t] = {}
    d["demand"] = demand

    resources = []
    for qid, basis in zip(res_ids, bases):
        q = {
            "id": qid,
            "name": draw(texts),
            "basis": basis,
            "unit": draw(st.sampled_from(["USD", "persons", "h", ""])),
        }
        if basis == "fielded":
            # a ceiling near what is already fielded: sometimes room, sometimes exactly full, sometimes short
            fielded = sum(c.get("uses", {}).get(qid, 0) * c["existing"] for c in capabilities)
            margin = draw(st.sampled_from([-1, 0, 0.5, 1, 2, 5, 100])) * scale
            q["capacity"] = min(max(0, fielded + margin), MAX_NUMBER)
        else:
            q["capacity"] = min(draw(nonneg(wild, 30)) * scale, MAX_NUMBER)
        add_notes(draw, q)
        resources.append(q)
    d["resources"] = resources

    if draw(st.integers(0, 3)):
        k = draw(st.integers(1, 4))
        vals = draw(st.lists(positive(wild, 2, 0.1), min_size=k, max_size=k))
        d["returns"] = sorted(vals, reverse=True)  # > 0 and non-increasing

    rule_state = draw(st.sampled_from(["absent", "empty", "some", "some", "some", "some"]))
    if rule_state != "absent":
        d["rules"] = []
    if rule_state == "some":
        n_rules = draw(st.integers(1, max_rules))
        rule_ids = draw(unique_ids(n_rules))
        with_demand = [
            (t, r) for t, per in demand.items() for r, dm in per.items() if dm.get("importance", 1) > 0
        ]
        for rid in rule_ids:
            kind = draw(st.sampled_from(RULE_KINDS + ("floor",)))  # floors carry the most validation
            rule: dict = {"id": rid, "kind": kind}
            maybe_add(draw, rule, "name", texts)
            if kind == "floor":
                if not with_demand:
                    continue  # a floor must match a region where its task has demand
                t, r = draw(st.sampled_from(with_demand))
                rule["task"] = t
                _selector(draw, rule, region_ids, zone_of, must_include=r)
                rule["min_satisfaction"] = draw(
                    st.sampled_from([0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 1]) | shares(wild)
                )
                _period_range(draw, rule, P)
            elif kind == "max_share":
                rule["task"] = draw(st.sampled_from(task_ids))
                if draw(st.booleans()):
                    rule["capabilities"] = draw(st.lists(st.sampled_from(cap_ids), min_size=1, unique=True))
                rule["max_share"] = draw(shares(wild))
            elif kind == "forbid":
                keys = draw(st.sets(st.sampled_from(["capability", "task", "region"]), min_size=1))
                pools = {"capability": cap_ids, "task": task_ids, "region": region_ids}
                for key in sorted(keys):
                    rule[key] = draw(st.sampled_from(pools[key]))
            else:
                rule["capability"] = draw(st.sampled_from(cap_ids))
                _selector(draw, rule, region_ids, zone_of)
                rule["units"] = draw(st.sampled_from([0, 0.5, 1, 2]) | nonneg(wild, 3))
                _period_range(draw, rule, P)
            add_notes(draw, rule)
            d["rules"].append(rule)

    settings_state = draw(st.sampled_from(["absent", "empty", "off", "on"]))
    if settings_state == "empty":
        d["settings"] = {}
    elif settings_state != "absent":
        d["settings"] = {"integer_units": settings_state == "on"}

    if draw(st.integers(0, 4)) == 0:
        panel = []
        for pid in draw(st.lists(ids, max_size=2, unique=True)):
            weights = {
                t: draw(nonneg(wild, 10))
                for t in draw(st.lists(st.sampled_from(task_ids), min_size=1, unique=True))
            }
            if all(v == 0 for v in weights.values()):
                weights[next(iter(weights))] = 1
            member = {"id": pid, "name": draw(texts), "weights": weights}
            if draw(st.booleans()):
                member["extra"] = draw(extra_objects)
            panel.append(member)
        d["panel"] = panel
    if draw(st.integers(0, 3)) == 0:
        d["extra"] = draw(extra_objects)
    return d
