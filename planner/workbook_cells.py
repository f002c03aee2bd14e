"""The cells of a scenario workbook: columns and their headers, values to and from cells, and
what reading a workbook gathers.

A header is its file key and, in brackets, the unit or meaning (``existing (units)``); a
reader matches the key alone. Reading notes, for every JSON path, the cell its value came
from, so that the scenario check's problems can be named by sheet and cell.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from .jsontext import joined_path
from .scenario import BASES, REQUIRES_COUNTS, REQUIRES_SCOPES, RULE_KINDS
from .validate import found

#: The singular of each list, for the id and name columns that refer to its items.
ONE = {"periods": "period", "tasks": "task", "regions": "region", "capabilities": "capability",
       "resources": "resource", "rules": "rule", "panel": "member"}

# The unit or meaning a header shows after its key: "existing (units)".
UNITS = {
    "existing": "units", "max_new": "units", "lead_time": "periods until new units arrive",
    "max_per_region": "units", "reach_km": "km", "edge_factor": "share of effect at the edge of reach",
    "bases": "region ids, comma-separated", "max_repatriate": "units", "capacity": "in the resource's unit",
    "basis": "generated, fielded, employed or in_service", "personnel": "TRUE: its uses are persons",
    "zone": "zone id", "lat": "degrees", "lon": "degrees", "camp": "TRUE/FALSE, blank = TRUE",
    "camp_capacity": "persons", "min_satisfaction": "share 0-1", "max_share": "share 0-1",
    "from_period": "period index, 0 = first", "to_period": "period index, 0 = first",
    "regions": "region ids, comma-separated", "capabilities": "capability ids, comma-separated",
    "beyond_km": "km", "within_km": "km", "scope": "region or zone", "count": "employed or based_within",
    "any": "TRUE: any one enabler will do", "extra": "JSON object, kept as it is",
    "tasks.weight": "relative priority", "periods.weight": "how much it counts, blank = 1",
    "integer_units": "TRUE: whole units only", "stationing": "TRUE: units are based and work within reach",
    "illustrative": "TRUE: the numbers are assumptions", "version": "file format version",
}
ABOUT = {"name": "the scenario's title", "description": "what it is about"}
# The choices of a column, for its drop-down list.
CHOICES = {"basis": BASES, "kind": RULE_KINDS, "scope": REQUIRES_SCOPES, "count": REQUIRES_COUNTS}
# Rule fields that hold the id of one item of a list.
IDS_OF = {"task": "tasks", "via_task": "tasks", "capability": "capabilities", "region": "regions"}


class BadCell(ValueError):
    """A cell whose value cannot stand in the file data, with the message to show."""


@dataclass(frozen=True)
class Column:
    key: str  # the file key it holds, or for a name beside an id the list it names ("" = not read)
    header: str
    kind: str  # text, number, whole, bool, ids, json, name (written only, never read)
    required: bool = False
    choices: tuple[str, ...] | None = None  # for a drop-down list of these values
    ids_of: str | None = None  # for a drop-down list of this sheet's ids

    @property
    def name(self) -> str:
        """The header's key: what a reader matches (``existing`` of ``existing (units)``)."""
        return header_key(self.header)


def header_key(text: str) -> str:
    """What a header names: its text before the bracket, in lower case."""
    return text.split(" (", 1)[0].strip().lower()


def header(key: str, scope: str = "") -> str:
    """A file key's header, its unit after it: ``existing (units)``; ``scope``: the sheet, where it differs."""
    unit = UNITS.get(f"{scope}.{key}") or UNITS.get(key)
    return f"{key} ({unit})" if unit else key


def id_column(of: str) -> Column:
    """The column of the ids of items of the list ``of``, with a drop-down list of them."""
    return Column(f"{ONE[of]}_id", f"{ONE[of]}_id", "text", True, ids_of=of)


def name_column(of: str) -> Column:
    """The column of the names beside those ids: written for reading, never read."""
    return Column(of, ONE[of], "name")


# -- cells ---------------------------------------------------------------------------------------


def _whole(v):
    return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v


def to_cell(kind: str, value):
    """A file value as a cell holds it."""
    if value is None:
        return None
    if kind == "ids":
        return ", ".join(value)
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return value


_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def from_cell(kind: str, value):
    """A cell's value as the file data holds it (None for a blank cell: a spreadsheet keeps no
    empty text, so an empty text reads as left out); a value of the wrong type is left as it
    is, for the scenario check to name. Raises :class:`BadCell`."""
    if value is None or (isinstance(value, str) and not value.strip() and (kind != "text" or not value)):
        return None
    if not isinstance(value, (str, int, float, bool)):  # a date, a time
        value = str(value)
    if isinstance(value, float):
        value = _whole(value)
    if kind in ("text", "ids") and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if kind == "ids" and isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if kind == "bool" and isinstance(value, (str, int)) and not isinstance(value, bool):
        word = str(value).strip().lower()
        return True if word in _TRUE else False if word in _FALSE else value
    if kind == "json":
        if not isinstance(value, str):
            raise BadCell(f"{found(value)} is not a JSON object written as text")
        try:
            return json.loads(value)
        except ValueError as exc:
            raise BadCell(f"not valid JSON ({exc.args[0].split(':')[0]})") from None
    return value


# -- reading -------------------------------------------------------------------------------------


Cells = dict[str, tuple[Any, str]]  # column name -> (value, cell reference)
Names = Callable[[str, str], str]  # (list, id) -> the item's name, for the names beside the ids


@dataclass
class Reading:
    """What the reading of a workbook gathers: the file data, where each value came from, problems."""

    data: dict
    where: dict[str, str] = dataclasses.field(default_factory=dict)  # JSON path -> cell
    key_where: dict[str, str] = dataclasses.field(default_factory=dict)  # a mapping entry's path -> its key's cell
    problems: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def value(self, column: Column, cells: Cells):
        value, ref = cells.get(column.name, (None, ""))
        try:
            return from_cell(column.kind, value)
        except BadCell as exc:
            self.problems.append((ref, str(exc)))
            return None

    def note(self, path: tuple, ref: str) -> None:
        self.where.setdefault(joined_path(path), ref)

    def index(self, of: str) -> dict[str, int]:
        """The position of each id in the list ``of`` (its first, if an id is there twice)."""
        out: dict[str, int] = {}
        for i, item in enumerate(self.data.get(of) or ()):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.setdefault(item["id"], i)
        return out


def ref_of(cells: Cells, column: Column) -> str:
    """The cell a row has in ``column`` ("" when the sheet has no such column)."""
    return cells.get(column.name, (None, ""))[1]


_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def cell_ref(title: str, coordinate: str) -> str:
    """``capabilities!D7``; ``'region factors'!C4`` (quoted as Excel quotes it)."""
    sheet = title if _PLAIN_TITLE.fullmatch(title) else "'" + title.replace("'", "''") + "'"
    return f"{sheet}!{coordinate}"
