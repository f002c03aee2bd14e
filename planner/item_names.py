"""The names a person knows items by: display names, labels in messages, and typed text back to ids.

Works on the file data (plain dicts). An item without a name goes by its id;
where two items share a name, the id tells them apart. Changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .item_refs import NAMED_LISTS, EditRefused, ids, items_of
from .text import shown


def _names(pairs: Iterable[tuple[str, str | None]]) -> dict[str, tuple[str, bool]]:
    """id -> (name, whether another item has the same name); an item without a name goes by its id."""
    named = [(item_id, name if isinstance(name, str) and name.strip() else item_id) for item_id, name in pairs]
    counts = Counter(name.strip().casefold() for _, name in named)
    return {item_id: (name, name != item_id and counts[name.strip().casefold()] > 1) for item_id, name in named}


def display_names(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """How a person tells the items apart: id -> name, or "name (id)" where names are shared.

    Parameters
    ----------
    pairs : iterable of (str, str or None)
        Each item's id and name, in order.

    Returns
    -------
    dict
    """
    return {i: f"{name} ({i})" if shared else name for i, (name, shared) in _names(pairs).items()}


def _pairs(data: dict, kind: str) -> list[tuple[str, str | None]]:
    if kind == "category":
        return [(c, c) for c in ids(data, kind)]
    return [(i.get("id"), i.get("name")) for i in items_of(data, NAMED_LISTS[kind])]


def names(data: dict, kind: str) -> dict[str, str]:
    """The display name of every item of ``kind`` in ``data``, by id (see :func:`display_names`)."""
    return display_names(_pairs(data, kind))


def item_label(data: dict, kind: str, item_id: str) -> str:
    """An item as a message names it: "'Utility helicopter'", "'Infantry' (inf_2)" where names
    are shared, "'xyz'" for an id that names no item."""
    name, shared = _names(_pairs(data, kind)).get(item_id, (item_id, False))
    return f"'{shown(name)}'" + (f" ({shown(item_id)})" if shared else "")


def named(data: dict, kind: str, item_id: str) -> str:
    """The kind and the label: "capability 'Utility helicopter'"."""
    return f"{kind} {item_label(data, kind, item_id)}"


def resolve(data: dict, kind: str, text: str) -> str:
    """The id of the item of ``kind`` that ``text`` names: by its id, its name or its display name.

    Parameters
    ----------
    data : dict
        The file data.
    kind : str
        "task", "region", "capability", "resource" or "rule".
    text : str
        What was typed or picked.

    Returns
    -------
    str

    Raises
    ------
    EditRefused
        When no item, or more than one, goes by ``text``.
    """
    pairs = _pairs(data, kind)
    known = [i for i, _ in pairs]
    if text in known:
        return text
    shown_as = display_names(pairs)
    folded = text.strip().casefold()
    by_display = [i for i, d in shown_as.items() if d.casefold() == folded]
    if by_display:
        return by_display[0]
    by_name = [i for i, name in pairs if isinstance(name, str) and name.strip().casefold() == folded]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise EditRefused(f"'{shown(text)}' names {len(by_name)} {kind}s: pick one of "
                          + ", ".join(shown(shown_as[i]) for i in by_name))
    if text.strip().lower() in known:
        return text.strip().lower()
    choices = [shown(shown_as[i]) for i in known[:8]] + (["…"] if len(known) > 8 else [])
    raise EditRefused(f"'{shown(text)}' is not a {kind}: use one of {', '.join(choices)}")


def resolve_list(data: dict, kind: str, text: str) -> list[str]:
    """The ids of the items a comma-separated text names (see :func:`resolve`); a name
    holding a comma is read whole.

    Raises
    ------
    EditRefused
        At the first part that names no item.
    """
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest run of parts that names an item
            try:
                out.append(resolve(data, kind, ", ".join(parts[i:j])))
            except EditRefused:
                if j == i + 1:
                    raise
                continue
            i = j
            break
    return out
