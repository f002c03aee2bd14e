"""List editors: one row per task, region, resource or capability.

Each column is a :class:`Column` saying which field it shows and how that is
typed; :class:`ListModel` shows and edits every column type, and a model
only adds what is particular to its kind (a location typed in two halves,
the choice of basis, a column per task and per resource).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex

from planner.scenario import BASES

from .base import Cell, EditorModel
from .edits import LIST_KEY, check_id, put_key, rename_id
from .numbers import EditRefused, edit_number, format_number, parse_field, stored


@dataclass(frozen=True)
class Column:
    """One column of a list editor: which field, headed how, edited how."""

    field: str
    title: str
    tip: str
    type: str = "text"  # id | name | text | note | number | whole | choice | map | ref (rules)
    optional: bool = False  # blank removes the field
    key: str | None = None  # for "map" columns: the key inside the mapping
    word: str = ""  # the field in an undo text / message (default: the title, lower case)

    @property
    def words(self) -> str:
        return self.word or self.title.lower()


_ID_TIP = ("Short identifier used in the file and by rules (a-z, 0-9, '_' or '-'); "
           "renaming it updates every reference")
_NOTE_TIP = "Where the numbers come from (provenance); blank = none"
#: Every list editor starts with the id and ends with the note.
ID_COLUMN = Column("id", "ID", _ID_TIP, "id")
NOTE_COLUMN = Column("note", "Note", _NOTE_TIP, "note")


def _name_column(kind: str, shown_in: str = "charts and reports") -> Column:
    return Column("name", "Name", f"The {kind} as {shown_in} name it", "name")


class ListModel(EditorModel):
    """Rows are the items of one list of the scenario."""

    columns: tuple[Column, ...] = ()

    def _items(self) -> tuple:
        return getattr(self._scenario, LIST_KEY[self.kind]) or ()

    def _columns(self) -> Sequence[Column]:
        return self.columns

    def _row_id(self, row: int) -> str:
        return self._items()[row].id

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns())

    def _header(self, col: int) -> tuple[str, str]:
        c = self._columns()[col]
        return c.title, c.tip

    def _choices(self, column: Column) -> tuple[Sequence[str] | None, bool]:
        """What a "choice" column offers, and whether it also takes typed text."""
        return None, False

    def _cell(self, row: int, col: int) -> Cell:
        return self._item_cell(self._items()[row], self._columns()[col])

    def _item_cell(self, item, c: Column) -> Cell:
        if c.type == "map":
            value = getattr(item, c.field).get(c.key)
            return Cell(format_number(value), edit=edit_number(value), number=True, tip=c.tip)
        value = getattr(item, c.field)
        if c.type in ("number", "whole"):
            return Cell(format_number(value), edit=edit_number(value), number=True)
        choices, free = self._choices(c)
        return Cell("" if value is None else str(value), choices=choices, free_text=free,
                    tip=str(value) if c.type == "note" and value else None)

    def _edit(self, data: dict, row: int, col: int, text: str) -> str | None:
        item = data[LIST_KEY[self.kind]][row]
        return self._edit_field(data, item, self._columns()[col], text)

    def _edit_field(self, data: dict, item: dict, c: Column, text: str) -> str | None:
        who = f"{self.kind} '{item['id']}'"
        if c.type == "id":
            old = item["id"]
            rename_id(data, self.kind, old, text)
            return f"Rename {self.kind} '{old}' to '{text}'"
        if c.type == "name":
            if not text:
                raise EditRefused(f"{who} needs a name")
            item[c.field] = text
        elif c.type == "text":
            item[c.field] = text
        elif c.type == "note":
            if text:
                item[c.field] = text
            else:
                item.pop(c.field, None)
        elif c.type in ("number", "whole"):
            if not text:
                if not c.optional:
                    raise EditRefused(f"{who} {c.words}: a number is needed")
                item.pop(c.field, None)
            else:
                item[c.field] = self._parse(text, c, who)
        elif c.type == "map":
            if text:
                value = self._parse(text, c, who)
                item[c.field] = put_key(item.get(c.field) or {}, c.key, value, self._map_order(c))
            elif c.field in item:
                item[c.field].pop(c.key, None)
        elif c.type == "choice":
            choices, _free = self._choices(c)
            match = [x for x in choices or () if x.lower() == text.lower()]
            item[c.field] = match[0] if match else text
        else:  # pragma: no cover - a column type without an editor
            raise EditRefused(f"{c.title} cannot be edited here")
        return f"Edit {c.words} of {who}"

    @staticmethod
    def _parse(text: str, c: Column, who: str) -> int | float:
        return stored(parse_field(text, f"{who} {c.words}", whole=c.type == "whole"))

    def _map_order(self, c: Column) -> list[str]:
        """The ids a "map" column's keys follow, so a new key goes in its place."""
        return []


class TasksModel(ListModel):
    """Tasks: id, name, weight, note."""

    kind = "task"
    columns = (
        ID_COLUMN,
        _name_column("task"),
        Column("weight", "Weight", "Priority of the task (0 or more); weights are normalised, "
               "so only their ratios matter", "number"),
        NOTE_COLUMN,
    )

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "weight":
            total = sum(t.weight for t in self._scenario.tasks)
            if total > 0:
                cell.tip = f"{item.weight / total:.0%} of the total weight ({format_number(total)})"
        return cell


class RegionsModel(ListModel):
    """Regions: id, name, zone, latitude, longitude, note."""

    kind = "region"
    columns = (
        ID_COLUMN,
        _name_column("region", "charts and maps"),
        Column("zone", "Zone", "The group of regions that rules can name (e.g. north, center); "
               "pick one or type a new one", "choice"),
        Column("lat", "Latitude", "Latitude of the region's capital in degrees (-90 to 90), for maps; "
               "blank = no location", "number", optional=True),
        Column("lon", "Longitude", "Longitude of the region's capital in degrees (-180 to 180), for maps; "
               "blank = no location", "number", optional=True),
        NOTE_COLUMN,
    )

    def _refresh(self) -> None:
        # half a location typed before the other half, by region id: the
        # scenario only holds whole locations
        regions = {r.id: r for r in self._scenario.regions}
        self._pending: dict[str, dict[str, float]] = {
            rid: p for rid, p in getattr(self, "_pending", {}).items()
            if rid in regions and regions[rid].location is None and p
        }

    def _choices(self, column: Column):
        if column.field == "zone":
            return list(self._scenario.zones()), True
        return None, False

    def _item_cell(self, item, c: Column) -> Cell:
        if c.field in ("lat", "lon"):
            if item.location is not None:
                value = getattr(item.location, c.field)
                return Cell(format_number(value, grouping=False), edit=edit_number(value), number=True)
            pending = self._pending.get(item.id, {})
            if c.field in pending:
                other = "longitude" if c.field == "lat" else "latitude"
                value = pending[c.field]
                return Cell(format_number(value, grouping=False), edit=edit_number(value),
                            number=True, muted=True,
                            tip=f"Not saved yet: enter the {other} too, then the location is saved")
            return Cell("", number=True)
        return super()._item_cell(item, c)

    def _edit_field(self, data: dict, item: dict, c: Column, text: str) -> str | None:
        if c.field == "zone" and text:
            check_id(text, "zone name")
        if c.field not in ("lat", "lon"):
            return super()._edit_field(data, item, c, text)
        rid = item["id"]
        other = "lon" if c.field == "lat" else "lat"
        location = item.get("location")
        if not text:
            if location is None:
                self._pending.get(rid, {}).pop(c.field, None)
                return None
            # the half left stays shown, so that retyping the other half is enough
            keep = location[other]
            del item["location"]
            self._after_push = lambda: self._pending.__setitem__(rid, {other: keep})
            return f"Remove the location of region '{rid}'"
        value = self._parse(text, c, f"region '{rid}'")
        limit = 90 if c.field == "lat" else 180
        if not -limit <= value <= limit:
            raise EditRefused(f"region '{rid}' {c.words}: must be between -{limit} and {limit} degrees")
        if location is not None:
            location[c.field] = value
            return f"Edit {c.words} of region '{rid}'"
        pending = self._pending.setdefault(rid, {})
        if other not in pending:
            pending[c.field] = value
            return None
        both = {c.field: value, other: pending[other]}
        item["location"] = {"lat": both["lat"], "lon": both["lon"]}
        self._after_push = lambda: self._pending.pop(rid, None)
        return f"Set the location of region '{rid}'"


_BASIS_TIP = {
    "generated": "counts new units only (e.g. the force adaptation budget)",
    "fielded": "counts every unit fielded, existing and new (e.g. a troop ceiling)",
    "employed": "counts units employed, in each period (e.g. flight hours per quarter)",
}


class ResourcesModel(ListModel):
    """Resources: id, name, basis, capacity, unit, note."""

    kind = "resource"
    columns = (
        ID_COLUMN,
        _name_column("resource"),
        Column("basis", "Basis", "What the capacity limits: generated = new units only (a budget for "
               "new capabilities); fielded = all units, existing and new (a personnel ceiling); "
               "employed = units employed, in each period (flight hours)", "choice"),
        Column("capacity", "Capacity", "The limit, in the resource's unit (0 or more)", "number"),
        Column("unit", "Unit", "The unit of the capacity and of each capability's use (USD, personnel, "
               "hours)", "text"),
        NOTE_COLUMN,
    )

    def _choices(self, column: Column):
        if column.field == "basis":
            return list(BASES), False
        return None, False

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "basis":
            cell.tip = f"{item.basis}: {_BASIS_TIP.get(item.basis, '')}"
        return cell


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class CapabilitiesModel(ListModel):
    """Capabilities: the fixed fields, then its effect on each task, then its use of each resource."""

    kind = "capability"
    fixed = (
        ID_COLUMN,
        _name_column("capability"),
        Column("category", "Category", "The kind of capability (air, ground, ISR, …), for grouping; "
               "pick one or type a new one", "choice"),
        Column("existing", "Existing", "Units already fielded, usable from the first period", "number"),
        Column("max_new", "Max new", "Most new units that can be generated this cycle", "number"),
        Column("lead_time", "Lead time\n(periods)", "Lead time: periods before a new unit can be used "
               "(0 = from the first period; as many as there are periods = not this cycle)", "whole",
               word="lead time"),
        Column("max_per_region", "Max per\nregion", "Most units in one region in one period "
               "(blank = no limit)", "number", optional=True, word="max per region"),
    )

    def _refresh(self) -> None:
        s = self._scenario
        cols = list(self.fixed)
        for t in s.tasks:
            cols.append(Column(
                "effect", f"Effect on\n{_short(t.name)}",
                f"Effect on '{t.name}' ({t.id}): effect units delivered per unit employed on this task "
                "(blank = 0, cannot do it)",
                "map", key=t.id, word=f"effect on task '{t.id}'",
            ))
        for q in s.resources:
            unit = f" {q.unit}" if q.unit else ""
            cols.append(Column(
                "uses", f"Uses of\n{_short(q.name)}",
                f"How much of '{q.name}' ({q.id}) one unit consumes, in{unit or ' its unit'}; the resource "
                f"{_BASIS_TIP.get(q.basis, '')} (blank = 0)",
                "map", key=q.id, word=f"use of resource '{q.id}'",
            ))
        cols.append(NOTE_COLUMN)
        self._cols = cols

    def _columns(self) -> Sequence[Column]:
        return self._cols

    def _choices(self, column: Column):
        if column.field == "category":
            return list(dict.fromkeys(c.category for c in self._scenario.capabilities)), True
        return None, False

    def _map_order(self, c: Column) -> list[str]:
        return [t.id for t in self._scenario.tasks] if c.field == "effect" else [
            q.id for q in self._scenario.resources]
