"""What a scenario file's references may name, gathered once, and the small checks every item's check uses.

The file data here is raw JSON, not yet known to be well formed: every helper
reads it defensively and leaves a value of the wrong type to the structural
check (:mod:`planner.schema`), which names it once. The checks themselves are
in :mod:`planner.validate` and :mod:`planner.validate_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .check_messages import Problem, found, path_join, quoted
from .schema import ID_PATTERN, MAX_NAME_CHARS

_ID = re.compile(ID_PATTERN)


def is_id(value: Any) -> bool:
    """Whether ``value`` could be an id. Only such references are looked up: one that
    cannot be an id is already named by the structural check, once."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def items_with_index(data: dict, key: str) -> list[tuple[int, dict]]:
    """(index, item) of the items of one list that are objects."""
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _ids(data: dict, key: str) -> set[str]:
    return {v["id"] for _, v in items_with_index(data, key) if isinstance(v.get("id"), str)}


def as_number(value: Any) -> float | None:
    """A number of the file as a float; None for anything else (true and false included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer too big for a float: the structural check names it
        return None


@dataclass
class Known:
    """What references in a scenario file may name, gathered once."""

    tasks: set[str]
    regions: set[str]
    resources: set[str]
    capabilities: set[str]
    periods: set[str]
    zones: set[str]
    categories: set[str]  # the capabilities' categories
    not_camps: set[str]  # regions with "camp": false
    n_periods: int | None
    # None below: given, but not as true or false (the structural check names it)
    stationing: bool | None
    personnel: bool | None  # some resource has "personnel": true

    @classmethod
    def of(cls, data: dict) -> Known:
        regions = [v for _, v in items_with_index(data, "regions")]
        periods = data.get("periods")
        settings = data.get("settings")
        stationing = settings.get("stationing", False) if isinstance(settings, dict) else False
        personnel = [v.get("personnel") for _, v in items_with_index(data, "resources")]
        return cls(
            tasks=_ids(data, "tasks"),
            regions=_ids(data, "regions"),
            resources=_ids(data, "resources"),
            capabilities=_ids(data, "capabilities"),
            periods=_ids(data, "periods"),
            zones={v["zone"] for v in regions if isinstance(v.get("zone"), str)},
            categories={
                v["category"] for _, v in items_with_index(data, "capabilities") if isinstance(v.get("category"), str)
            },
            not_camps={v["id"] for v in regions if v.get("camp") is False and isinstance(v.get("id"), str)},
            n_periods=len(periods) if isinstance(periods, list) else None,
            stationing=_flag([stationing]),
            personnel=_flag(personnel),
        )


def _flag(values: list) -> bool | None:
    """Whether any of these file values is true; None when one is not true or false (or null)."""
    if any(v is True for v in values):
        return True
    return False if all(v is False or v is None for v in values) else None


def unknown(path: str, value: Any, known: set[str], what: str) -> Iterator[Problem]:
    """A reference that does not resolve (one that cannot be an id is the structural check's)."""
    if is_id(value) and value not in known:
        yield (path, f"unknown {what} {quoted(value)}")


def unknown_keys(path: str, mapping: Any, known: set[str], what: str) -> Iterator[Problem]:
    """The keys of an id-keyed object that do not resolve."""
    if isinstance(mapping, dict):
        for key in mapping:
            if key not in known:  # the path only for a problem: most keys resolve
                yield from unknown(path_join(path, key), key, known, what)


def unknown_categories(path: str, mapping: Any, known: Known) -> Iterator[Problem]:
    if isinstance(mapping, dict):
        for key in mapping:
            if len(key) <= MAX_NAME_CHARS and key not in known.categories:
                yield (path_join(path, key), f"unknown category {quoted(key)}: no capability has it")


STATIONING = '"stationing": true in "settings"'
_STATIONING_ONLY = f"needs {STATIONING}"


def stationing_only(path: str, value: Any, known: Known) -> Iterator[Problem]:
    """A field that means something only when units are based (MODEL.md, Clarifications)."""
    if value is not None and known.stationing is False:
        yield (path, f"{_STATIONING_ONLY} (found {found(value)})")


def period_index(path: str, value: Any, known: Known) -> Iterator[Problem]:
    if isinstance(value, int) and not isinstance(value, bool) and known.n_periods is not None:
        if value >= known.n_periods:
            yield (path, f"period index {found(value)} is out of range "
                         f"(the scenario has {known.n_periods} periods, 0 to {known.n_periods - 1})")
