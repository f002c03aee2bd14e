"""Which sheets a scenario workbook has, and how their rows go to and from the file data.

The columns of a sheet of objects (periods, tasks, ...) are the file keys of
:func:`planner.fields.file_keys` in the same order, each standing in a cell by its
annotated type; every mapping field (a capability's effects, uses, ...) has a sheet of
its own, one row per entry, with the names beside the ids.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints
from collections.abc import Iterator, Mapping

from .fields import file_keys
from .jsontext import joined_path
from .scenario import Capability, Location, PanelMember, Period, Region, Resource, Rule, Scenario, Settings, Task
from .validate import found, quoted
from .workbook_cells import (
    ABOUT, CHOICES, IDS_OF, ONE, UNITS, Cells, Column, Names, Reading, header, id_column, name_column, ref_of,
    to_cell,
)


def _kind(hint) -> str:
    """How a field of this annotated type stands in a cell (``map``: on a sheet of its own)."""
    if isinstance(hint, UnionType):
        (hint,) = [a for a in get_args(hint) if a is not type(None)]
    origin = get_origin(hint)
    if origin is tuple:
        return "ids" if get_args(hint)[0] is str else "list"
    if origin is Mapping:
        return "json" if get_args(hint)[1] is Any else "map"
    return {str: "text", float: "number", int: "whole", bool: "bool", Location: "location"}.get(hint, "object")


def _required(cls) -> set[str]:
    none = dataclasses.MISSING
    return {f.name for f in dataclasses.fields(cls) if f.default is none and f.default_factory is none}


# -- the sheets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectSheet:
    """A list of objects: one row each, one column per file key."""

    title: str  # the list's file key
    cls: type

    @property
    def columns(self) -> tuple[Column, ...]:
        hints, required, out = get_type_hints(self.cls), _required(self.cls), []
        for key in file_keys(self.cls):
            kind = _kind(hints[key])
            if kind == "location":
                out += [Column(k, header(k), "number") for k in ("lat", "lon")]
            elif kind not in ("map", "object", "list"):
                ids_of = IDS_OF.get(key) if self.cls is Rule else None
                out.append(Column(key, header(key, self.title), kind, key in required,
                                  CHOICES.get(key), ids_of))
        return tuple(out)

    def rows(self, data: dict, names: Names) -> Iterator[list]:
        for item in data.get(self.title) or ():
            place = item.get("location") or {}
            yield [to_cell(c.kind, place.get(c.key) if c.key in ("lat", "lon") else item.get(c.key))
                   for c in self.columns]

    def read(self, rows: list[Cells], r: Reading) -> None:
        items = r.data[self.title] = []
        for i, cells in enumerate(rows):
            item: dict = {}
            r.note((self.title, i), cells.get("id", next(iter(cells.values())))[1])
            for c in self.columns:
                value, ref = r.value(c, cells), ref_of(cells, c)
                path = (self.title, i, "location", c.key) if c.key in ("lat", "lon") else (self.title, i, c.key)
                r.note(path, ref)
                if value is None:
                    continue
                if c.key in ("lat", "lon"):
                    item.setdefault("location", {})[c.key] = value
                    r.note(path[:-1], ref)
                else:
                    item[c.key] = value
            items.append(item)


@dataclass(frozen=True)
class MapSheet:
    """One mapping field of a list's objects: a row per entry. A row naming only its owner says
    the mapping is given and empty (as a file may spell it out)."""

    title: str
    owner: str  # the list of the objects that hold the mapping
    field: str
    key_of: str  # the list whose ids the keys are, or "category"
    value: str  # the value's header

    @property
    def columns(self) -> tuple[Column, ...]:
        keys = ((Column("category", "category", "text", True),) if self.key_of == "category"
                else (id_column(self.key_of), name_column(self.key_of)))
        return (id_column(self.owner), name_column(self.owner), *keys,
                Column("value", self.value, "number", True))

    def rows(self, data: dict, names: Names) -> Iterator[list]:
        for item in data.get(self.owner) or ():
            entries = item.get(self.field)
            if entries is None:
                continue
            head = [item["id"], item.get("name")]
            if not entries:
                yield head
            for key, value in entries.items():
                named = [] if self.key_of == "category" else [names(self.key_of, key)]
                yield [*head, key, *named, value]

    def read(self, rows: list[Cells], r: Reading) -> None:
        owner, _, key, *_, value = self.columns
        index = r.index(self.owner)
        for cells in rows:
            item = _owner(r, cells, owner, index)
            if item is None:
                continue
            i, obj = item
            k, v = r.value(key, cells), r.value(value, cells)
            entries = obj.setdefault(self.field, {})
            _entry(r, entries, k, v, (self.owner, i, self.field), cells, key, value)


def _owner(r: Reading, cells: Cells, column: Column, index: dict[str, int]):
    """(position, object) of the item a row names in ``column``, or None having said why."""
    owner_id, ref = r.value(column, cells), ref_of(cells, column)
    what = ONE[column.ids_of]
    if owner_id is None:
        r.problems.append((ref, f"no {what} named: give the {column.header}"))
        return None
    if owner_id not in index:
        r.problems.append((ref, f"unknown {what} {found(owner_id)} (not on the {column.ids_of} sheet)"))
        return None
    return index[owner_id], r.data[column.ids_of][index[owner_id]]


def _entry(r: Reading, entries: dict, key, value, path: tuple, cells: Cells, key_col: Column,
           value_col: Column) -> None:
    """Put one row's entry in a mapping, having checked the row gives both key and value once."""
    key_ref, value_ref = ref_of(cells, key_col), ref_of(cells, value_col)
    if key is None and value is None:
        return  # the owner alone: the mapping is given, empty
    if key is None:
        r.problems.append((key_ref, f"blank: give the {key_col.header} of this {value_col.name}"))
        return
    if value is None:
        r.problems.append((value_ref, f"blank: give the {value_col.header} for {found(key)}"))
        return
    if not isinstance(key, str):
        r.problems.append((key_ref, f"{found(key)} is not an id"))
        return
    if key in entries:
        r.problems.append((key_ref, f"{found(key)} is given twice here ({r.key_where[joined_path((*path, key))]} too)"))
        return
    entries[key] = value
    r.note((*path, key), value_ref)
    r.key_where[joined_path((*path, key))] = key_ref


@dataclass(frozen=True)
class DemandSheet:
    """``demand`` (need, importance) by task and region; with ``by_period``, its ``need_by_period``."""

    title: str
    by_period: bool = False

    @property
    def columns(self) -> tuple[Column, ...]:
        head = (id_column("tasks"), name_column("tasks"), id_column("regions"), name_column("regions"))
        if self.by_period:
            return (*head, id_column("periods"), name_column("periods"),
                    Column("value", "need (effect units in that period)", "number", True))
        return (*head, Column("need", "need (effect units for full satisfaction)", "number", True),
                Column("importance", "importance (blank = 1)", "number"))

    def rows(self, data: dict, names: Names) -> Iterator[list]:
        for t, per in (data.get("demand") or {}).items():
            for g, d in per.items():
                head = [t, names("tasks", t), g, names("regions", g)]
                if not self.by_period:
                    yield [*head, d.get("need"), d.get("importance")]
                elif d.get("need_by_period") is not None:
                    yield from ([*head, p, names("periods", p), v] for p, v in d["need_by_period"].items())
                    if not d["need_by_period"]:
                        yield head

    def read(self, rows: list[Cells], r: Reading) -> None:
        task, _, region, _, *rest = self.columns
        demand = r.data.setdefault("demand", {})
        for cells in rows:
            t, g = r.value(task, cells), r.value(region, cells)
            for value, column in ((t, task), (g, region)):
                if not isinstance(value, str):
                    r.problems.append((ref_of(cells, column), f"give the {column.header}" if value is None
                                       else f"{found(value)} is not an id"))
            if not (isinstance(t, str) and isinstance(g, str)):
                continue
            r.note(("demand", t), ref_of(cells, task))
            r.note(("demand", t, g), ref_of(cells, region))
            per = demand.setdefault(t, {})
            if self.by_period:
                if g not in per:
                    r.problems.append((ref_of(cells, region), f"{quoted(t)} has no need in {quoted(g)} "
                                       "on the demand sheet to vary by period"))
                    continue
                entries = per[g].setdefault("need_by_period", {})
                _entry(r, entries, r.value(rest[0], cells), r.value(rest[-1], cells),
                       ("demand", t, g, "need_by_period"), cells, rest[0], rest[-1])
                continue
            if g in per:
                r.problems.append((ref_of(cells, region), f"{quoted(t)} in {quoted(g)} is given twice"))
                continue
            per[g] = {}
            for column in rest:
                value = r.value(column, cells)
                r.note(("demand", t, g, column.key), ref_of(cells, column))
                if value is not None:
                    per[g][column.key] = value


@dataclass(frozen=True)
class ValuesSheet:
    """A list of plain values (sources, returns): one row each."""

    title: str
    column: Column
    numbered: str | None = None  # the header of a numbering column before it, written only

    @property
    def columns(self) -> tuple[Column, ...]:
        return ((Column("", self.numbered, "name"),) if self.numbered else ()) + (self.column,)

    def rows(self, data: dict, names: Names) -> Iterator[list]:
        for i, value in enumerate(data.get(self.title) or ()):
            yield [i + 1, value] if self.numbered else [value]

    def read(self, rows: list[Cells], r: Reading) -> None:
        values = r.data[self.title] = []
        for cells in rows:
            value = r.value(self.column, cells)
            if value is not None:
                r.note((self.title, len(values)), ref_of(cells, self.column))
                values.append(value)


def _scenario_fields() -> list[tuple[str, str, str]]:
    """(key, kind, owner) of each row of the scenario sheet: the scenario's and its settings' plain fields."""
    rows = [("version", "whole", "")]
    for cls, owner in ((Scenario, ""), (Settings, "settings")):
        hints = get_type_hints(cls)
        rows += [(k, _kind(hints[k]), owner) for k in file_keys(cls)
                 if _kind(hints[k]) in ("text", "number", "whole", "bool", "json")]
    return rows


@dataclass(frozen=True)
class FieldsSheet:
    """The scenario's own fields and its settings, one row each: field, value."""

    title: str = "scenario"
    columns: tuple[Column, ...] = (Column("field", "field", "text", True), Column("value", "value", "text", True),
                                   Column("", "about", "name"))

    def rows(self, data: dict, names: Names) -> Iterator[list]:
        for key, kind, owner in _scenario_fields():
            value = (data.get(owner) or {}).get(key) if owner else data.get(key)
            yield [key, to_cell(kind, value), ABOUT.get(key) or UNITS.get(key)]

    def read(self, rows: list[Cells], r: Reading) -> None:
        known = {key: (kind, owner) for key, kind, owner in _scenario_fields()}
        seen: dict[str, str] = {}
        for cells in rows:
            key, ref = r.value(self.columns[0], cells), ref_of(cells, self.columns[0])
            if key not in known or key in seen:
                what = ("blank" if key is None else f"{found(key)} is given twice ({seen[key]} too)" if key in seen
                        else f"unknown field {found(key)}")
                r.problems.append((ref, f"{what}: the fields are {', '.join(known)}"))
                continue
            seen[key] = ref
            kind, owner = known[key]
            value = r.value(Column("value", "value", kind), cells)
            r.note((owner, key) if owner else (key,), ref_of(cells, self.columns[1]))
            if value is not None:
                (r.data.setdefault(owner, {}) if owner else r.data)[key] = value


#: Every sheet of the scenario, in the workbook's order.
SHEETS = (
    FieldsSheet(),
    ObjectSheet("periods", Period),
    ObjectSheet("tasks", Task),
    ObjectSheet("regions", Region),
    ObjectSheet("capabilities", Capability),
    MapSheet("effects", "capabilities", "effect", "tasks", "effect (effect units per unit employed)"),
    MapSheet("region factors", "capabilities", "region_factor", "regions", "factor (1 = as usual, 0 = cannot work there)"),
    MapSheet("uses", "capabilities", "uses", "resources", "use (resource units per unit)"),
    DemandSheet("demand"),
    ObjectSheet("resources", Resource),
    ObjectSheet("rules", Rule),
    ValuesSheet("returns", Column("slope", "slope (value of each equal segment of a need)", "number"), "segment"),
    ValuesSheet("sources", Column("source", "source", "text")),
    ObjectSheet("panel", PanelMember),
    MapSheet("panel weights", "panel", "weights", "tasks", "weight (relative priority)"),
    # format version 2
    DemandSheet("need by period", by_period=True),
    MapSheet("effect factors", "periods", "effect_factor", "category", "factor (1 = as usual)"),
    MapSheet("camp limits", "regions", "camp_limits", "category", "units (most based there)"),
    MapSheet("uses per km", "capabilities", "uses_per_km", "resources", "use (per unit per km from its base)"),
    MapSheet("based at", "capabilities", "based_at", "regions", "units (existing units based there at the start)"),
    MapSheet("move costs", "capabilities", "move_uses", "resources", "use (per unit leaving a base)"),
    MapSheet("rule needs", "rules", "needs", "capabilities", "ratio (enabler units per unit)"),
)
#: Sheets a workbook must have: those of the file's required fields.
REQUIRED_SHEETS = ("scenario", "periods", "tasks", "regions", "capabilities", "demand", "resources")
#: Lists the file may leave out: their sheets are written only when the list is there, so that
#: a list left out and an empty one stay apart.
OPTIONAL_LISTS = ("rules", "returns", "sources", "panel")
