"""Corruptions of what a file says: well-formed JSON whose content breaks the contract.

A value of the wrong type, a required key removed, an unknown or misplaced
key, a reference to an id that does not exist, a duplicate id, a value out of
its range (or a rule that cannot make sense), an emptied list or map. Each
knows the JSON path where the loader must report it.
"""

from __future__ import annotations

import copy

from hypothesis import strategies as st

from .contract import (
    FIELDS,
    REQUIRED,
    RULE_APPLIES,
    RULE_COMMON,
    SELECTORS,
    fmt_path,
    get_at,
    id_sets,
    set_at,
    walk,
)
from .corruption import Corruption, json_text, missing_id
from .values import json_values


def _wrong_values(value, leaf: str):
    if isinstance(value, bool):
        return ["true", 1, 0, [value], {"v": value}]
    if isinstance(value, (int, float)):
        out = [str(value), [value], {"v": value}, True, False, "1"]
        if leaf in ("int", "pidx", "version"):
            out += [1.5, float(value) + 0.5]
        return out
    if isinstance(value, str):
        if leaf in ("id", "ref"):  # containers are what breaks code that hashes ids
            return [1, True, [value], {"v": value}, [value], {value: value}]
        return [1, 0.5, True, [value], {"v": value}, ["x"]]
    if isinstance(value, list):
        return [{}, "x", 1, True, {"0": value[0]} if value else {"a": 1}]
    if isinstance(value, dict):
        return [[], "x", 1, True, list(value.values())[:1] or [1]]
    return [1, "x", []]


def wrong_type(draw, d):
    nodes = [n for n in walk(d) if n.parts and n.role in ("leaf", "list", "map", "object", "extra")]
    ids_ = [n for n in nodes if n.role == "leaf" and n.spec in ("id", "ref")]
    # ids and references a third of the time: the validator hashes and compares them
    n = draw(st.sampled_from(ids_ if ids_ and draw(st.integers(0, 2)) == 0 else nodes))
    new = draw(st.sampled_from(_wrong_values(n.value, n.spec)))
    if n.role == "extra" and not isinstance(new, (list, str, int, float, bool)):
        new = [new]
    d = copy.deepcopy(d)
    set_at(d, n.parts, new)
    return Corruption(
        "wrong_type",
        f"{fmt_path(n.parts)}: {type(n.value).__name__} -> {new!r}",
        json_text(draw, d).encode(),
        True,
        (fmt_path(n.parts),),
    )


def _required_here(obj: dict, typ: str) -> list[tuple[str, str]]:
    """(key, path suffix rule) pairs whose removal must be refused: 'key' or 'self' for the object itself."""
    out = [(k, "key") for k in REQUIRED[typ] if k in obj]
    if typ == "rule":
        kind = obj.get("kind")
        if kind == "floor":
            out += [(k, "key") for k in ("task", "min_satisfaction") if k in obj]
        elif kind == "max_share":
            out += [(k, "key") for k in ("task", "max_share") if k in obj]
        elif kind == "min_units":
            out += [(k, "key") for k in ("capability", "units") if k in obj]
        if kind in ("floor", "min_units"):
            present = [k for k in SELECTORS if k in obj]
            if len(present) == 1:
                out.append((present[0], "self"))
        if kind == "forbid":
            present = [k for k in ("capability", "task", "region") if k in obj]
            if len(present) == 1:
                out.append((present[0], "self"))
    return out


def missing_key(draw, d):
    options = []
    for n in walk(d):
        if n.role == "object" and isinstance(n.value, dict):
            for key, how in _required_here(n.value, n.spec):
                options.append((n.parts, key, how))
    parts, key, how = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    del get_at(d, parts)[key]
    here = fmt_path(parts)
    paths = (fmt_path(parts + (key,)),) + ((here,) if here else ())
    if how == "self":
        paths = (here,)
    return Corruption(
        "missing_key", f"{fmt_path(parts + (key,))} removed", json_text(draw, d).encode(), True, paths
    )


def _typos(key: str) -> list[str]:
    out = [
        key[:-1],
        key + "s",
        key.upper(),
        key.capitalize(),
        key + " ",
        " " + key,
        key.replace("_", "-"),
        key.replace("_", ""),
        key[1:] + key[0],
        key + key[-1],
        "_" + key,
    ]
    if len(key) > 2:
        out.append(key[0] + key[2] + key[1] + key[3:])
    return out


def unknown_key(draw, d):
    objects = [n for n in walk(d) if n.role == "object" and isinstance(n.value, dict)]
    n = draw(st.sampled_from(objects))
    known = set(FIELDS[n.spec])
    misplaced = []
    if n.spec == "rule" and n.value.get("kind") in RULE_APPLIES:
        # a key of another kind of rule: known to the schema, meaningless here
        misplaced = sorted(set(FIELDS["rule"]) - RULE_APPLIES[n.value["kind"]] - RULE_COMMON - set(n.value))
    typos = [k for base in sorted(known) for k in _typos(base) if k and k not in known]
    randoms = st.text(st.characters(codec="utf-8"), min_size=1, max_size=10).filter(lambda k: k not in known)
    if misplaced and draw(st.booleans()):
        key = draw(st.sampled_from(misplaced))
        value = {
            "capability": "x",
            "task": "x",
            "region": "x",
            "zone": "x",
            "regions": ["x"],
            "capabilities": ["x"],
            "min_satisfaction": 0.5,
            "max_share": 0.5,
            "units": 1,
            "from_period": 0,
            "to_period": 0,
        }[key]
        detail = "misplaced"
    else:
        key = draw(st.sampled_from(typos) | randoms)
        value = draw(json_values)
        detail = "typo"
    d = copy.deepcopy(d)
    get_at(d, n.parts)[key] = value
    path = fmt_path(n.parts + (key,))
    return Corruption("unknown_key", f"{detail}: {path!r}", json_text(draw, d).encode(), True, (path,))


def _reference_sites(d):
    """(parts, kind of id, how): where a file refers to an id."""
    sites = []
    for n in walk(d):
        if n.role == "map" and isinstance(n.value, dict):
            sites.append((n.parts, n.spec, "key"))
        if n.role == "leaf" and n.spec == "ref":
            field = n.parts[-1] if isinstance(n.parts[-1], str) else n.parts[-2]
            what = {
                "task": "task",
                "capability": "capability",
                "region": "region",
                "regions": "region",
                "zone": "zone",
                "capabilities": "capability",
            }[field]
            sites.append((n.parts, what, "value"))
    return sites


def dangling_id(draw, d):
    sites = _reference_sites(d)
    # forbid rules may also gain a reference
    for i, rule in enumerate(d.get("rules") or []):
        if rule["kind"] == "forbid":
            for key in ("capability", "task", "region"):
                sites.append((("rules", i, key), key, "add"))
    parts, what, how = draw(st.sampled_from(sites))
    missing = missing_id(draw, id_sets(d)[what])
    d = copy.deepcopy(d)
    if how == "key":
        mapping = get_at(d, parts)
        if mapping and draw(st.booleans()):  # rename an existing key
            old = draw(st.sampled_from(sorted(mapping)))
            mapping[missing] = mapping.pop(old)
        elif parts == ("demand",):
            mapping[missing] = {}
        elif parts[0] == "demand":
            mapping[missing] = {"need": 1}
        else:
            mapping[missing] = 1
        path = fmt_path(parts + (missing,))
    else:
        set_at(d, parts, missing)
        path = fmt_path(parts)
    return Corruption(
        "dangling_id", f"{path} -> unknown {what} {missing!r}", json_text(draw, d).encode(), True, (path,)
    )


def duplicate_id(draw, d):
    lists = [
        k for k in ("periods", "tasks", "regions", "capabilities", "resources", "rules", "panel") if d.get(k)
    ]
    key = draw(st.sampled_from(lists))
    d = copy.deepcopy(d)
    items = d[key]
    if len(items) >= 2 and draw(st.booleans()):
        i = draw(st.integers(0, len(items) - 2))
        j = draw(st.integers(i + 1, len(items) - 1))
        items[j]["id"] = items[i]["id"]
    else:
        i = draw(st.integers(0, len(items) - 1))
        items.append(copy.deepcopy(items[i]))
        j = len(items) - 1
    path = f"{key}[{j}].id"
    return Corruption("duplicate_id", path, json_text(draw, d).encode(), True, (path,))


BAD_IDS = ["", "Upper", "a b", "x" * 65, "é", "a.b", "tab\t", "ÄÖ", "a/b", "-" * 65, "0" * 100]


def out_of_range(draw, d):
    """A value outside its allowed range, or a rule that cannot make sense."""
    P = len(d["periods"])
    options = []  # (label, mutate(d) -> None, paths)
    for n in walk(d):
        path = fmt_path(n.parts)
        if n.role == "leaf":
            bad = {
                "num": [-1, -0.5, -1e-9, -1e308, -(2**40)],
                "pos": [0, 0.0, -1, -1e-300],
                "int": [-1, -(2**40)],
                "pidx": [-1, P, P + 3, 10**6],
                "share": [1.0000001, 1.5, -0.25, 2, 1e308],
                "lat": [90.5, -91, 1e6],
                "lon": [180.01, -181, -1e6],
                "version": [3, 0, -1, 99, 10**6],
                "id": BAD_IDS,
                "ref": BAD_IDS,
                "enum:basis": ["monthly", "Generated", "", "employed "],
                "enum:kind": ["ceiling", "Floor", "", "max-share"],
                "enum:format": ["mandate-planner", "Mandate-Planner-Scenario", ""],
                "str": ["x" * 100_001],
            }.get(n.spec, [])
            for v in bad:
                options.append((f"{path} = {str(v)[:20]}", ("set", n.parts, v), (path,)))
        if n.role == "map" and n.spec in ("task", "region", "resource") and isinstance(n.value, dict):
            for v in BAD_IDS[:6]:
                options.append((f"{path} key {v!r}", ("addkey", n.parts, v), (fmt_path(n.parts + (v,)),)))
    returns = d.get("returns")
    if returns and len(returns) >= 2:
        k = len(returns) - 1
        options.append(
            ("returns increase", ("set", ("returns", k), returns[k - 1] * 2 + 1), (f"returns[{k}]",))
        )
    options.append(("21 returns", ("set", ("returns",), [1] * 21), ("returns",)))
    options.append(("all task weights 0", ("weights0",), ("tasks",)))
    for i, rule in enumerate(d.get("rules") or []):
        base = f"rules[{i}]"
        if rule["kind"] in ("floor", "min_units") and P >= 2:
            options.append((f"{base} from > to", ("range", i), (base,)))
        if rule["kind"] in ("floor", "min_units"):
            if "zone" in rule:
                second = ("region", d["regions"][0]["id"])
            else:
                second = ("zone", d["regions"][0]["zone"])
            options.append((f"{base} two selectors", ("set", ("rules", i, second[0]), second[1]), (base,)))
        if rule["kind"] == "forbid":
            options.append((f"{base} forbid nothing", ("forbid0", i), (base,)))
        if rule["kind"] == "floor":
            with_demand = {
                r for r, dm in (d["demand"].get(rule["task"]) or {}).items() if dm.get("importance", 1) > 0
            }
            without = [r["id"] for r in d["regions"] if r["id"] not in with_demand]
            if without:
                options.append((f"{base} floor matches no demand", ("nomatch", i, without[0]), (base,)))
    label, op, paths = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    if op[0] == "set":
        set_at(d, op[1], op[2])
    elif op[0] == "addkey":
        mapping = get_at(d, op[1])
        mapping[op[2]] = {} if op[1] == ("demand",) else {"need": 1} if op[1][0] == "demand" else 1
    elif op[0] == "weights0":
        for t in d["tasks"]:
            t["weight"] = 0
    elif op[0] == "range":
        rule = d["rules"][op[1]]
        rule["from_period"], rule["to_period"] = P - 1, 0
    elif op[0] == "forbid0":
        rule = d["rules"][op[1]]
        for key in ("capability", "task", "region"):
            rule.pop(key, None)
    elif op[0] == "nomatch":
        rule = d["rules"][op[1]]
        for key in SELECTORS:
            rule.pop(key, None)
        rule["region"] = op[2]
    return Corruption("out_of_range", label, json_text(draw, d).encode(), True, paths)


def empty(draw, d):
    options = []
    for n in walk(d):
        if n.role in ("list", "map") and n.parts:
            path = fmt_path(n.parts)
            top = n.parts[0]
            if n.parts in (("periods",), ("tasks",), ("regions",), ("capabilities",), ("returns",)):
                options.append((n.parts, [], True, (path,)))
            elif len(n.parts) == 3 and top == "rules" and n.parts[2] in ("regions", "capabilities"):
                options.append((n.parts, [], True, (path,)))
            elif n.parts[-1] == "weights":
                options.append((n.parts, {}, True, (path,)))
            else:
                options.append((n.parts, [] if n.role == "list" else {}, False, ()))
    parts, value, must_fail, paths = draw(st.sampled_from(options))
    d = copy.deepcopy(d)
    set_at(d, parts, value)
    return Corruption("empty", fmt_path(parts), json_text(draw, d).encode(), must_fail, paths)
