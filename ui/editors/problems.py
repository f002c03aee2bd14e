"""A :class:`~planner.fileio.ScenarioError`'s problems in the user's words.

The scenario check names a problem by its path in the file data and a
validator's message; the editors say which task, region or rule it is about
and what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_LIST_WORDS = {
    "periods": "period", "tasks": "task", "regions": "region", "capabilities": "capability",
    "resources": "resource", "rules": "rule", "panel": "panel member",
}
#: Fields in words, where their file name is not already the word.
FIELD_WORDS = {
    "max_new": "max new", "lead_time": "lead time", "max_per_region": "max per region",
    "min_satisfaction": "min satisfaction", "max_share": "max share", "from_period": "from period",
    "to_period": "to period", "lat": "latitude", "lon": "longitude", "region_factor": "region factor in",
    "effect": "effect on", "uses": "use of", "units": "units",
}
_MAP_FIELDS = {"effect": "task", "region_factor": "region", "uses": "resource", "weights": "task"}

#: The validator's messages and how a person would say them; the first that
#: matches the whole message is used, "{}" takes what the pattern caught.
_PLAIN_WORDS = (
    (r"input should be greater than or equal to 0(?:\.0)?", "must not be negative"),
    (r"input should be greater than or equal to (\S+)", "must be {} or more"),
    (r"input should be greater than (\S+)", "must be more than {}"),
    (r"input should be less than or equal to (\S+)", "must be at most {}"),
    (r"input should be (.*'.*)", "must be {}"),  # one of some quoted values
    (r"list should have at least (\d+) items? after validation.*", "needs at least {}"),
)


def _friendly(message: str) -> str:
    for pattern, words in _PLAIN_WORDS:
        m = re.fullmatch(pattern, message)
        if m:
            return words.format(*m.groups())
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
        words.append(field)
        if names:
            words.append(f"of task '{names[0]}'")
        if len(names) > 1:
            words.append(f"in region '{names[1]}'")
        return words, field, kind
    k = 0
    while k < len(tokens):
        _, name = tokens[k]
        if name in _LIST_WORDS and k + 1 < len(tokens) and tokens[k + 1][0] is not None:
            kind = _LIST_WORDS[name]
            i = tokens[k + 1][0]
            items = data.get(name) if isinstance(data.get(name), list) else []
            item_id = items[i].get("id") if i < len(items) and isinstance(items[i], dict) else None
            if k + 2 < len(tokens) and tokens[k + 2][1] == "id":
                words.append(f"{kind} id")
                k += 3
                last = "id"
                continue
            words.append(f"{kind} '{item_id}'" if isinstance(item_id, str) else f"{kind} {i + 1}")
            k += 2
            continue
        if name:
            if last in _MAP_FIELDS:
                words.append(f"{_MAP_FIELDS[last]} '{name}'")
            else:
                words.append(FIELD_WORDS.get(name, name.replace("_", " ")))
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
        The file data checked, to name items by id rather than by position.

    Returns
    -------
    str
        For the example: "task 'poc' weight: must not be negative".
    """
    words, last, kind = _where(path, data or {})
    message = _friendly(message)
    dup = re.fullmatch(r"duplicate id '(.+)' \(also .+\)", message)
    if dup:
        message = f"duplicate id '{dup.group(1)}': there is already a {kind or 'item'} '{dup.group(1)}'"
    if last in ("min_satisfaction", "max_share") and message.startswith("must be at most 1"):
        message += " (100%; type a share as 0.4 or 40%)"
    if last == "need" and "more than 0" in message:
        message += " (leave the cell blank for no demand)"
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
