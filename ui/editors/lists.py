"""List editors: one row per task, region, resource or capability.

Each column is a :class:`Column` saying which field it shows and how that is
typed, and a :class:`PerItem` stands for a column per task, resource or
category (one entry of a mapping each); :class:`ListModel` shows and edits
every column type, and a model only adds what is particular to its kind (a
location typed in two halves, the choices of a zone or a category).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QModelIndex

from planner.edits import (
    DEFAULTS, LIST_KEY, EditRefused, check_id, named, rename_id, resolve, resolve_list, set_value,
)
from planner.problems import change_text, field_words
from planner.scenario import BASES
from planner.text import shown

from .base import Cell, EditorModel
from .numbers import edit_number, format_number, parse_field, stored


@dataclass(frozen=True)
class Column:
    """One column of a list editor: which field, headed how, edited how."""

    field: str
    title: str
    tip: str
    # id | name | text | note | number | whole | choice | check | ref (an item) | refs (items) | map
    # (rules have columns of their own too)
    type: str = "text"
    optional: bool = False  # blank leaves the field out
    key: str | None = None  # "map": the entry of the mapping
    ref: str = ""  # "ref", "refs": the kind of item named
    blank: str = ""  # shown grey while the field is left out (a number with a default shows that)
    choices: tuple[str, ...] = ()  # "choice": the values offered (else the model's own)
    stationing: bool = False  # means something only with stationing on: greyed out without


@dataclass(frozen=True)
class PerItem:
    """A column per task, resource or capability category: one entry of a mapping field each.

    ``title`` and ``tip`` are filled in with the item's ``name``, ``short``
    (name), ``id``, ``unit`` (" in USD") and ``basis`` (what its basis counts).
    """

    field: str
    over: str  # "task", "resource" or "category"
    title: str
    tip: str
    stationing: bool = False


_ID_TIP = ("Short identifier used in the file and by rules (a-z, 0-9, '_' or '-'); "
           "renaming it updates every reference")
_NOTE_TIP = "Where the numbers come from (provenance); blank = none"
#: Every list editor starts with the id and ends with the note.
ID_COLUMN = Column("id", "ID", _ID_TIP, "id")
NOTE_COLUMN = Column("note", "Note", _NOTE_TIP, "note")


def _name_column(kind: str, shown_in: str = "charts and reports") -> Column:
    return Column("name", "Name", f"The {kind} as {shown_in} name it", "name")


def _short(text: str, n: int = 22) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class ListModel(EditorModel):
    """Rows are the items of one list of the scenario: ``columns``, a column per
    item of each ``per_item``, then ``trailing``."""

    columns: tuple[Column, ...] = ()
    per_item: tuple[PerItem, ...] = ()
    trailing: tuple[Column, ...] = (NOTE_COLUMN,)

    def _refresh(self) -> None:
        cols = list(self.columns)
        for family in self.per_item:
            for key, words in self._per_item_keys(family.over):
                cols.append(Column(family.field, family.title.format(**words), family.tip.format(**words),
                                   "map", key=key, stationing=family.stationing))
        self._cols = cols + list(self.trailing)

    def _per_item_keys(self, over: str) -> Iterator[tuple[str, dict[str, str]]]:
        s = self._scenario
        if over == "category":
            for category in dict.fromkeys(c.category for c in s.capabilities):
                yield category, {"name": category, "short": _short(category), "id": category}
            return
        for item in getattr(s, LIST_KEY[over]):
            unit = getattr(item, "unit", "")
            yield item.id, {
                "name": item.name, "short": _short(item.name), "id": item.id,
                "unit": f" in {unit}" if unit else " in its unit",
                "basis": BASIS_TIP.get(getattr(item, "basis", ""), ""),
            }

    def _items(self) -> tuple:
        return getattr(self._scenario, LIST_KEY[self.kind]) or ()

    def _columns(self) -> Sequence[Column]:
        return self._cols

    @property
    def uses_stationing(self) -> bool:
        return any(c.stationing for c in self._columns())

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
        return (list(column.choices), False) if column.choices else (None, False)

    def _ref_ids(self, column: Column) -> list[str]:
        """The items a "ref" or "refs" column may name."""
        return [i.id for i in getattr(self._scenario, LIST_KEY[column.ref])]

    # -- showing ------------------------------------------------------------------
    def _cell(self, row: int, col: int) -> Cell:
        return self._item_cell(self._items()[row], self._columns()[col])

    def _item_cell(self, item, c: Column) -> Cell:
        cell = self._value_cell(item, c)
        return cell.needs_stationing() if c.stationing and not self._scenario.stationing else cell

    def _value_cell(self, item, c: Column) -> Cell:
        if c.type == "map":
            return self._number_cell((getattr(item, c.field) or {}).get(c.key), c, tip=c.tip)
        value = getattr(item, c.field)
        if c.type in ("number", "whole"):
            return self._number_cell(value, c)
        if c.type == "check":
            return Cell("", check=DEFAULTS.get(c.field, False) if value is None else bool(value), tip=c.tip)
        if c.type in ("ref", "refs"):
            return self._ref_cell(c, value)
        choices, free = self._choices(c)
        unset = self._unset(c) if value is None else None
        if unset is not None:
            return Cell(unset, edit="", muted=True, choices=choices, free_text=free, tip=c.tip)
        return Cell("" if value is None else str(value), choices=choices, free_text=free,
                    tip=str(value) if c.type == "note" and value else None)

    @staticmethod
    def _unset(c: Column) -> str | None:
        """What a cell shows, grey, while the file leaves its field out: the column's blank, or the default."""
        if c.blank or c.field not in DEFAULTS:
            return c.blank or None
        default = DEFAULTS[c.field]
        return str(default) if isinstance(default, str) else format_number(default)

    def _number_cell(self, value, c: Column, tip: str | None = None) -> Cell:
        unset = self._unset(c) if value is None else None
        if unset is not None:
            return Cell(unset, edit="", number=True, muted=True, tip=tip)
        return Cell(format_number(value), edit=edit_number(value), number=True, tip=tip)

    def _ref_cell(self, c: Column, value) -> Cell:
        """A cell naming items by name; none named shows the column's blank."""
        named_ids = list(value) if isinstance(value, (list, tuple)) else [] if value is None else [value]
        choices = [self.display_name(c.ref, i) for i in self._ref_ids(c)]
        if c.optional:
            choices = ["", *choices]
        if not named_ids:
            return Cell(c.blank, edit="", muted=True, choices=choices, free_text=True, tip=c.tip)
        ids_shown = [self.display_name(c.ref, i) for i in named_ids]
        return Cell(", ".join(ids_shown), choices=choices, free_text=True,
                    tip="; ".join(f"{n} ({i})" for n, i in zip(ids_shown, named_ids)))

    # -- editing --------------------------------------------------------------------
    def _edit(self, data: dict, row: int, col: int, value) -> str | None:
        item = data[LIST_KEY[self.kind]][row]
        return self._edit_field(data, item, self._columns()[col], value)

    def _edit_field(self, data: dict, item: dict, c: Column, value) -> str | None:
        item_id = item["id"]
        who = named(data, self.kind, item_id)
        if c.type == "id":
            rename_id(data, self.kind, item_id, value)
            return f"Change the id of {who} to '{value}'"
        if c.type == "name":
            if not value:
                raise EditRefused(f"{who} needs a name")
            set_value(data, self.kind, item_id, c.field, value)
            return f"Rename {who} to '{shown(value)}'"
        text = change_text(data, self.kind, item_id, c.field, c.key)
        what = f"{who} {field_words(c.field, data, c.key)}"
        set_value(data, self.kind, item_id, c.field, self._value(data, c, value, what), c.key)
        return text

    def _value(self, data: dict, c: Column, value, what: str):
        """What the file holds for ``value`` put in a cell of ``c``; None: leave the field out.

        ``what`` names the field in a refusal ("capability 'Utility helicopter' reach (km)").
        """
        if c.type in ("check", "text"):
            return value
        if not value:
            if c.type in ("number", "whole") and not c.optional:
                raise EditRefused(f"{what}: a number is needed")
            return None
        if c.type in ("number", "whole", "map"):
            return self._parse(value, c, what)
        if c.type == "choice":
            choices, _free = self._choices(c)
            folded = value.lower().replace("_", " ")
            match = [x for x in choices or () if x.lower().replace("_", " ") == folded]
            return match[0] if match else value
        if c.type == "ref":
            return resolve(data, c.ref, value)
        if c.type == "refs":
            return resolve_list(data, c.ref, value)
        return value  # a note

    @staticmethod
    def _parse(text: str, c: Column, what: str) -> int | float:
        return stored(parse_field(text, what, whole=c.type == "whole"))


class TasksModel(ListModel):
    """Tasks: id, name, weight, note."""

    kind = "task"
    columns = (
        ID_COLUMN,
        _name_column("task"),
        Column("weight", "Weight", "Priority of the task (0 or more); weights are normalised, "
               "so only their ratios matter", "number"),
    )

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "weight":
            total = sum(t.weight for t in self._scenario.tasks)
            if total > 0:
                cell.tip = f"{item.weight / total:.0%} of the total weight ({format_number(total)})"
        return cell


class RegionsModel(ListModel):
    """Regions: id, name, zone, latitude, longitude, camp, camp capacity and limits, note."""

    kind = "region"
    columns = (
        ID_COLUMN,
        _name_column("region", "charts and maps"),
        Column("zone", "Zone", "The group of regions that rules can name (e.g. north, center); "
               "pick one or type a new one", "choice"),
        Column("lat", "Latitude", "Latitude of the region's capital in degrees (-90 to 90), for maps and "
               "distances; blank = no location", "number", optional=True),
        Column("lon", "Longitude", "Longitude of the region's capital in degrees (-180 to 180), for maps and "
               "distances; blank = no location", "number", optional=True),
        Column("camp", "Camp", "Units may be based here (ticked unless the file says otherwise)", "check",
               stationing=True),
        Column("camp_capacity", "Camp capacity\n(persons)", "Most persons based here in one period, counted "
               "by the resource that counts persons (blank = no limit)", "number", optional=True,
               stationing=True),
    )
    per_item = (
        PerItem("camp_limits", "category", "Camp limit\n{short}",
                "Most units of category '{name}' based here in one period (apron, hangar space; "
                "blank = no limit)", stationing=True),
    )

    def _refresh(self) -> None:
        super()._refresh()
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
        return super()._choices(column)

    def _value_cell(self, item, c: Column) -> Cell:
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
        return super()._value_cell(item, c)

    def _edit_field(self, data: dict, item: dict, c: Column, value) -> str | None:
        if c.field == "zone" and value:
            check_id(value, "zone name")
        if c.field not in ("lat", "lon"):
            return super()._edit_field(data, item, c, value)
        rid = item["id"]
        who = named(data, "region", rid)
        other = "lon" if c.field == "lat" else "lat"
        location = item.get("location")
        if not value:
            if location is None:
                self._pending.get(rid, {}).pop(c.field, None)
                return None
            # the half left stays shown, so that retyping the other half is enough
            keep = location[other]
            set_value(data, "region", rid, "location", None)
            self._after_push = lambda: self._pending.__setitem__(rid, {other: keep})
            return f"Remove the location of {who}"
        number = self._parse(value, c, f"{who} {field_words(c.field)}")
        limit = 90 if c.field == "lat" else 180
        if not -limit <= number <= limit:
            raise EditRefused(f"{who} {field_words(c.field)}: must be between -{limit} and {limit} degrees")
        if location is not None:
            text = change_text(data, "region", rid, c.field)
            location[c.field] = number
            return text
        pending = self._pending.setdefault(rid, {})
        if other not in pending:
            pending[c.field] = number
            return None
        both = {c.field: number, other: pending[other]}
        set_value(data, "region", rid, "location", {"lat": both["lat"], "lon": both["lon"]})
        self._after_push = lambda: self._pending.pop(rid, None)
        return f"Set the location of {who}"


BASIS_TIP = {
    "generated": "counts new units only (e.g. the force adaptation budget)",
    "fielded": "counts every unit fielded, existing and new (e.g. a troop ceiling)",
    "employed": "counts units employed, in each period (e.g. flight hours per quarter)",
    "in_service": "counts each unit for every period it is in service (e.g. running costs per quarter)",
}


class ResourcesModel(ListModel):
    """Resources: id, name, basis, capacity, unit, whether it counts persons, note."""

    kind = "resource"
    columns = (
        ID_COLUMN,
        _name_column("resource"),
        Column("basis", "Basis", "What the capacity limits: generated = new units only (a budget for "
               "new capabilities); fielded = all units, existing and new (a personnel ceiling); "
               "employed = units employed, in each period (flight hours); in_service = every unit for "
               "each period it is in service (running costs)", "choice", choices=BASES),
        Column("capacity", "Capacity", "The limit, in the resource's unit (0 or more)", "number"),
        Column("unit", "Unit", "The unit of the capacity and of each capability's use (USD, personnel, "
               "hours)", "text"),
        Column("personnel", "Persons", "Its uses are persons: camp capacities count them (at most one "
               "resource)", "check"),
    )

    def _item_cell(self, item, c: Column) -> Cell:
        cell = super()._item_cell(item, c)
        if c.field == "basis":
            cell.tip = f"{item.basis}: {BASIS_TIP.get(item.basis, '')}"
        return cell


class _CapabilityListModel(ListModel):
    """The capabilities, a row each."""

    kind = "capability"

    def _choices(self, column: Column):
        if column.field == "category":
            return list(dict.fromkeys(c.category for c in self._scenario.capabilities)), True
        return super()._choices(column)


class CapabilitiesModel(_CapabilityListModel):
    """Capabilities: the fixed fields, then its effect on each task, then its use of each resource."""

    columns = (
        ID_COLUMN,
        _name_column("capability"),
        Column("category", "Category", "The kind of capability (air, ground, ISR, …), for grouping; "
               "pick one or type a new one", "choice"),
        Column("existing", "Existing", "Units already fielded, usable from the first period", "number"),
        Column("max_new", "Max new", "Most new units that can be generated this cycle", "number"),
        Column("lead_time", "Lead time\n(periods)", "Lead time: periods before a new unit can be used "
               "(0 = from the first period; as many as there are periods = not this cycle)", "whole"),
        Column("max_per_region", "Max per\nregion", "Most units in one region in one period "
               "(blank = no limit)", "number", optional=True),
        Column("max_repatriate", "Max\nrepatriate", "Most existing units that may be sent home this cycle "
               "(at most the existing units; blank = 0, none)", "number", optional=True),
    )
    per_item = (
        PerItem("effect", "task", "Effect on\n{short}",
                "Effect on '{name}' ({id}): effect units delivered per unit employed on this task "
                "(blank = 0, cannot do it)"),
        PerItem("uses", "resource", "Uses of\n{short}",
                "How much of '{name}' ({id}) one unit consumes,{unit}; the resource {basis} (blank = 0)"),
    )


class PostureModel(_CapabilityListModel):
    """Where each capability may be based, how far it reaches, what moving it costs.

    The capabilities' rows again (they are added and removed in the capabilities table).
    """

    columns = (
        Column("reach_km", "Reach\n(km)", "How far from its base a unit works, in km (blank = 0: only in "
               "the region it is based in)", "number", optional=True, stationing=True),
        Column("edge_factor", "Edge\nfactor", "The share of its effect a unit keeps at the edge of its "
               "reach, falling evenly with distance (more than 0, at most 1; blank = 1: no fall-off)",
               "number", optional=True, stationing=True),
        Column("bases", "Bases", "The camps where it may be based, comma-separated (blank = every camp)",
               "refs", optional=True, ref="region", blank="(every camp)", stationing=True),
    )
    per_item = (
        PerItem("move_uses", "resource", "Move cost in\n{short}",
                "What one unit leaving a base costs in '{name}' ({id}),{unit} (blank = nothing)",
                stationing=True),
        PerItem("uses_per_km", "resource", "Use per km of\n{short}",
                "How much of '{name}' ({id}) one unit uses per km between its base and where it works,"
                "{unit} (blank = 0)", stationing=True),
    )
    trailing = ()

    @property
    def can_add(self) -> bool:
        return False

    def _row_header(self, row: int) -> tuple[str, str]:
        cap = self._items()[row]
        return self.display_name("capability", cap.id), f"{cap.name} ({cap.id}): {cap.category}"

    def _ref_ids(self, column: Column) -> list[str]:
        if column.field == "bases":
            return [r.id for r in self._scenario.regions if r.is_camp]
        return super()._ref_ids(column)
