"""A rule made another kind: what still applies kept, what the new kind needs filled in.

Works on the file data (plain dicts); the rule's other fields are set in
:mod:`planner.value_edits`.
"""

from __future__ import annotations

from .item_refs import EditRefused, find_item, ids, regions_with_demand, rule_region_ids
from .scenario import PLACES, RULE_COMMON, RULE_FIELDS, RULE_KINDS
from .text import shown


#: The field holding each kind's value (a forbid rule has none; a requires rule's are its needs).
RULE_VALUE = {"floor": "min_satisfaction", "max_share": "max_share", "min_units": "units"}
#: Values that bind nothing: a floor of 0, a max share of 100%, 0 units.
_RULE_NEUTRAL = {"min_satisfaction": 0, "max_share": 1, "units": 0}
#: A requires rule's first enabler needs this many per unit of its capability.
_FIRST_RATIO = 1


def convert_rule(rule: dict, kind: str, data: dict) -> dict:
    """The rule as another kind: keeps what still applies, fills what is needed.

    The value starts where it binds nothing (a floor of 0, a max share of
    100%, 0 units) rather than carrying over: a floor's "at least 40%" is not a
    max share's "at most 40%". The user then types the value meant. A requires
    rule has no such value: it starts needing one unit of the first other
    capability per unit of its own.

    Parameters
    ----------
    rule : dict
        The rule's file data (not changed).
    kind : str
        One of :data:`~planner.scenario.RULE_KINDS`.
    data : dict
        The file data, to pick a task and regions with demand.

    Returns
    -------
    dict
        The converted rule (``rule`` itself when it already is of ``kind``).

    Raises
    ------
    EditRefused
        For a requires rule in a scenario of one capability.
    """
    if kind == rule.get("kind"):
        return rule
    fields = RULE_FIELDS[kind]
    values = {*RULE_VALUE.values(), "needs"}
    out = {k: v for k, v in rule.items() if k in RULE_COMMON}
    out["kind"] = kind
    for k in fields.allowed:
        if k in rule and k not in RULE_COMMON and k not in values:
            out[k] = rule[k]
    # one capability <-> a list of them; a forbid rule's one region from a list of one
    if "capability" in fields.allowed and "capability" not in out and rule.get("capabilities"):
        out["capability"] = rule["capabilities"][0]
    if "capabilities" in fields.allowed and rule.get("capability"):
        out.setdefault("capabilities", [rule["capability"]])
    if kind == "forbid" and "region" not in out and len(rule.get("regions") or ()) == 1:
        out["region"] = rule["regions"][0]
    if kind in RULE_VALUE:
        out[RULE_VALUE[kind]] = _RULE_NEUTRAL[RULE_VALUE[kind]]
    tasks = ids(data, "task")
    if "task" in fields.required and not out.get("task"):
        with_demand = [t for t in tasks if regions_with_demand(data, t)]
        where = set(rule_region_ids(data, out) or ())
        there = [t for t in with_demand if where & set(regions_with_demand(data, t))]
        out["task"] = (there or with_demand or tasks)[0]
    if "capability" in fields.required and not out.get("capability"):
        out["capability"] = ids(data, "capability")[0]
    if kind == "requires":
        others = [c for c in ids(data, "capability") if c != out["capability"]]
        if not others:
            raise EditRefused("a requires rule links two capabilities: add another capability first")
        out["needs"] = {others[0]: _FIRST_RATIO}
    if fields.place == "one" and not any(out.get(p) is not None for p in PLACES):
        candidates = regions_with_demand(data, out.get("task")) if kind == "floor" else []
        out["regions"] = [(candidates or ids(data, "region"))[0]]
    if kind == "floor":
        candidates = regions_with_demand(data, out["task"])
        if candidates and not set(rule_region_ids(data, out) or ()) & set(candidates):
            for place in PLACES:
                out.pop(place, None)
            out["regions"] = [candidates[0]]
    return out


def set_rule_kind(data: dict, rule_id: str, kind: str) -> None:
    """Make a rule of ``data`` (changed in place) another kind, as :func:`convert_rule` does.

    ``kind`` is read as typed: "max share" and "Max_Share" are "max_share".

    Raises
    ------
    EditRefused
        For a kind that is not one.
    """
    wanted = kind.strip().lower().replace(" ", "_")
    if wanted not in RULE_KINDS:
        raise EditRefused(f"'{shown(kind)}' is not a kind of rule: use one of {', '.join(RULE_KINDS)}")
    rule = find_item(data, "rule", rule_id)
    rules = data["rules"]
    rules[rules.index(rule)] = convert_rule(rule, wanted, data)
