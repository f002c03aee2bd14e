"""A scenario's problems and changes in the user's words.

The scenario check names a problem by its path in the file data and a
validator's message; here it says which task, region or rule it is about,
by name, and what to type instead. The words for the file's fields are
written once, in :data:`FIELD_WORDS`, for problems and for the texts that
say what an edit did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .item_names import item_label, named
from .item_refs import MAP_KEYS
from .text import shown

_LIST_WORDS = {
    "periods": "period", "tasks": "task", "regions": "region", "capabilities": "capability",
    "resources": "resource", "rules": "rule", "panel": "panel member",
}
#: Fields in words, where their file name is not already the word.
FIELD_WORDS = {
    "max_new": "max new", "lead_time": "lead time", "max_per_region": "max per region",
    "min_satisfaction": "minimum satisfaction", "max_share": "maximum share", "from_period": "from period",
    "to_period": "to period", "lat": "latitude", "lon": "longitude", "region_factor": "region factors",
    "effect": "effects", "weights": "weights",
    # v2: posture, camps, drawdown, enablers
    "camp_capacity": "camp capacity (persons)", "camp_limits": "camp limits",
    "reach_km": "reach (km)", "edge_factor": "edge factor", "uses_per_km": "use per km",
    "based_at": "laydown (units based at the start)", "move_uses": "cost of a move",
    "max_repatriate": "max repatriation", "personnel": "counts persons",
    "needs": "enablers needed", "via_task": "via task", "beyond_km": "only beyond (km)",
    "count": "how enablers count", "within_km": "within (km)", "any": "any enabler will do",
    "integer_units": "whole units", "need_by_period": "need by period", "effect_factor": "effect factors",
    "place": "where it applies",
}
#: One entry of a mapping field in words, before the item it is keyed by: "use of 'Adaptation budget'".
ENTRY_WORDS = {
    "effect": "effect on", "region_factor": "region factor in", "uses": "use of", "weights": "weight of",
    "camp_limits": "camp limit for", "uses_per_km": "use per km of", "based_at": "units based at",
    "move_uses": "cost of a move in", "needs": "needs", "need_by_period": "need in",
    "effect_factor": "effect factor for",
}
#: Each kind of rule in words.
KIND_WORDS = {"floor": "floor", "max_share": "max share", "forbid": "forbid", "min_units": "min units",
              "requires": "requires"}


def field_words(field: str, data: dict | None = None, key: str | None = None) -> str:
    """A field in words; with ``key``, one entry of a mapping: "use of 'Adaptation budget'".

    Parameters
    ----------
    field : str
        The file key.
    data : dict, optional
        The file data, to name the item ``key`` is the id of.
    key : str, optional
        The entry of a mapping field.

    Returns
    -------
    str
    """
    if key is None:
        return FIELD_WORDS.get(field, field.replace("_", " "))
    words = ENTRY_WORDS.get(field, field.replace("_", " "))
    kind = MAP_KEYS.get(field)
    if kind is None:
        return f"{words} '{shown(key)}'"
    if data is not None and kind != "category":
        return f"{words} {named(data, kind, key)}"
    return f"{words} {kind} '{shown(key)}'"


def change_text(data: dict, kind: str, item_id: str, field: str, key: str | None = None) -> str:
    """What an edit of one field does, as an undo step says it.

    Parameters
    ----------
    data : dict
        The file data before the edit.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    item_id : str
    field : str
    key : str, optional
        The entry of a mapping field.

    Returns
    -------
    str
        "Change 'PoC in the centre >= 40%': minimum satisfaction".
    """
    return f"Change {item_label(data, kind, item_id)}: {field_words(field, data, key)}"


def demand_words(data: dict, task_id: str, region_id: str) -> str:
    """A task in a region, by name: "task 'Protection of civilians' in region 'Mopti'"."""
    return f"{named(data, 'task', task_id)} in {named(data, 'region', region_id)}"


# -- problems --------------------------------------------------------------------------

Words = Callable[[dict, str], str]


def _label(kind: str) -> Words:
    return lambda data, text: named(data, kind, text)


def _at(list_key: str) -> Words:
    """An item named by its position in a list ("resources[0]")."""
    def words(data: dict, index: str) -> str:
        items = data.get(list_key) if isinstance(data.get(list_key), list) else []
        i = int(index)
        item = items[i] if i < len(items) and isinstance(items[i], dict) else {}
        kind = _LIST_WORDS[list_key]
        return named(data, kind, item["id"]) if isinstance(item.get("id"), str) else f"{kind} {i + 1}"
    return words


def _field(_data: dict, key: str) -> str:
    return field_words(key)


def _kind(_data: dict, kind: str) -> str:
    return KIND_WORDS.get(kind, kind)


def _as_is(_data: dict, text: str) -> str:
    return text


_STATIONING = r'"stationing": true in "settings"'

#: The validator's messages and how a person would say them; the first whose
#: pattern matches the whole message is used, each "{}" taking what a group
#: caught, put in words by the function beside the pattern.
_PLAIN_WORDS: tuple[tuple[str, str, tuple[Words, ...]], ...] = (
    (r"input should be greater than or equal to 0(?:\.0)?", "must not be negative", ()),
    (r"input should be greater than or equal to (\S+)", "must be {} or more", (_as_is,)),
    (r"input should be greater than (\S+)", "must be more than {}", (_as_is,)),
    (r"input should be less than or equal to (\S+)", "must be at most {}", (_as_is,)),
    (r"input should be (.*'.*)", "must be {}", (_as_is,)),  # one of some quoted values
    (r"list should have at least (\d+) items? after validation.*", "needs at least {}", (_as_is,)),
    (r"the floor matches no region where task '(.+)' has demand",
     "the floor matches no region where {} has demand", (_label("task"),)),
    (r"""region '(.+)' is not a camp \(it has "camp": false\)""",
     "{} is not a camp", (_label("region"),)),
    (r"'(.+)' is not one of the capability's 'bases'", "{} is not one of its bases", (_label("region"),)),
    (r"'(.+)' appears twice \(also bases\[\d+\]\)", "{} is named twice", (_label("region"),)),
    (r"'.+' is the rule's own capability: it cannot be its own enabler",
     "that is the rule's own capability: it cannot be its own enabler", ()),
    (rf"needs {_STATIONING} \(found .*\)", "works only with stationing on: turn stationing on, or clear it", ()),
    (rf"missing: with {_STATIONING} every region needs one .*",
     "missing: with stationing on, every region needs a location (distances are measured between them)",
     ()),
    (r'counts persons, but no resource has "personnel": true \(found (.*)\)',
     "counts persons, but no resource counts persons (found {}): tick 'Persons' on one resource", (_as_is,)),
    (r'only one resource may have "personnel": true \(resources\[(\d+)\] has it too\)',
     "only one resource may count persons ({} does too)", (_at("resources"),)),
    (r"""a requires rule with "count": "based_within" needs 'within_km'""",
     "counting enablers where they are based needs a distance: within (km)", ()),
    (r'applies only with "count": "based_within" \(found .*\)',
     "applies only when enablers count where they are based (count: based_within)", ()),
    (r"a (\w+) rule needs '(\w+)'", "a {} rule needs its {}", (_kind, _field)),
    (r"'(\w+)' does not apply to a (\w+) rule", "{} does not apply to a {} rule", (_field, _kind)),
    (r"a (\w+) rule needs exactly one of .*", "a {} rule needs its regions or a zone", (_kind,)),
    (r"a (\w+) rule takes at most one of .*", "a {} rule takes its regions or a zone, not both", (_kind,)),
)
#: What to add to a message about a field, where it helps to type the right thing.
_HINTS = (
    (("min_satisfaction", "max_share"), "must be at most 1", " (100%; type a share as 0.4 or 40%)"),
    (("need",), "more than 0", " (leave the cell blank for no demand)"),
    (("edge_factor",), "more than 0",
     " (the share of its effect left at the edge of its reach: 0.3 = 30%; blank = 1)"),
    (("needs",), "more than 0", " (enablers per unit of the rule's capability)"),
)


def _friendly(message: str, data: dict) -> str:
    for pattern, words, parts in _PLAIN_WORDS:
        m = re.fullmatch(pattern, message)
        if m:
            return words.format(*(part(data, group) for part, group in zip(parts, m.groups())))
    return message


def _where(path: str, data: dict) -> tuple[list[str], str, str]:
    """The words naming what ``path`` points at, its last field and the kind of item."""
    tokens = [(int(i) if i else None, name) for i, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", path)]
    words: list[str] = []
    last = ""
    kind = ""
    if tokens and tokens[0][1] == "demand":
        names = [n for _, n in tokens[1:] if n]
        field = names[2] if len(names) > 2 else "demand"
        words.append(field_words(field, data, names[3]) if len(names) > 3 else field_words(field))
        if names:
            words.append(f"of {named(data, 'task', names[0])}")
        if len(names) > 1:
            words.append(f"in {named(data, 'region', names[1])}")
        return words, field, kind
    k = 0
    while k < len(tokens):
        _, name = tokens[k]
        if name in _LIST_WORDS and k + 1 < len(tokens) and tokens[k + 1][0] is not None:
            kind = _LIST_WORDS[name]
            i = tokens[k + 1][0]
            if k + 2 < len(tokens) and tokens[k + 2][1] == "id":
                words.append(f"{kind} id")
                k += 3
                last = "id"
                continue
            words.append(_at(name)(data, str(i)))
            k += 2
            continue
        if name:
            if last in MAP_KEYS:  # the key of a mapping: the field stays the mapping
                words[-1] = field_words(last, data, name)
            else:
                words.append(field_words(name))
                last = name
        k += 1
    return words, last, kind


def describe_problem(path: str, message: str, data: dict | None = None) -> str:
    """One problem of a ScenarioError in the user's words.

    Parameters
    ----------
    path : str
        Where the problem is in the file data ("tasks[0].weight").
    message : str
        What is wrong ("input should be greater than or equal to 0").
    data : dict, optional
        The file data checked, to name items by their names rather than by position.

    Returns
    -------
    str
        For the example: "task 'Protection of civilians' weight: must not be negative".
    """
    data = data or {}
    words, last, kind = _where(path, data)
    message = _friendly(message, data)
    dup = re.fullmatch(r"duplicate id '(.+)' \(also .+\)", message)
    if dup:
        message = f"duplicate id '{dup.group(1)}': there is already a {kind or 'item'} '{dup.group(1)}'"
    for fields, after, hint in _HINTS:
        if last in fields and after in message:
            message += hint
    where = " ".join(words)
    return f"{where}: {message}" if where else message


def describe_problems(problems: Sequence[tuple[str, str]], data: dict | None = None) -> str:
    """Every problem of a ScenarioError in words, on one line.

    Parameters
    ----------
    problems : sequence of (str, str)
        ``ScenarioError.problems``: (path, message) pairs.
    data : dict, optional
        The file data checked.

    Returns
    -------
    str
        The first three problems, then how many more there are.
    """
    texts = list(dict.fromkeys(describe_problem(p, m, data) for p, m in problems))
    if len(texts) > 3:
        texts = texts[:3] + [f"and {len(texts) - 3} more problems"]
    return "; ".join(texts) or "the edit makes the scenario invalid"
