"""Matrix editors: a row per capability or task, a column per region."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from planner.edits import named, set_importance, set_need, set_value
from planner.problems import change_text, demand_words, field_words

from .base import Cell, EditorModel
from .numbers import edit_number, format_number, parse_field, stored


class _RegionMatrixModel(EditorModel):
    """A row per item of ``row_list`` (a list of the scenario), a column per region."""

    row_list = ""  # the scenario's list the rows show: "capabilities", "tasks"
    row_kind = ""  # what a row is: "capability", "task"

    def _items(self) -> tuple:
        return getattr(self._scenario, self.row_list)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.regions)

    def _header(self, col: int) -> tuple[str, str]:
        r = self._scenario.regions[col]
        return self.display_name("region", r.id), f"{r.name} ({r.id}), zone {r.zone}"

    def _row_header(self, row: int) -> tuple[str, str]:
        item = self._items()[row]
        return self.display_name(self.row_kind, item.id), f"{item.name} ({item.id}): {self._row_words(item)}"

    def _cell(self, row: int, col: int) -> Cell:
        return self._pair_cell(self._items()[row], self._scenario.regions[col])

    def _edit(self, data: dict, row: int, col: int, text: str) -> str:
        return self._edit_pair(data, self._items()[row].id, self._scenario.regions[col].id, text)

    # -- to override ------------------------------------------------------------
    def _row_words(self, item) -> str:
        """What a row is, for its header's tooltip."""
        raise NotImplementedError

    def _pair_cell(self, item, region) -> Cell:
        raise NotImplementedError

    def _edit_pair(self, data: dict, item_id: str, region_id: str, text: str) -> str:
        raise NotImplementedError


class _CapabilityRegionModel(_RegionMatrixModel):
    """Capabilities × regions: one mapping of each capability, keyed by region (blank: left out)."""

    row_list = "capabilities"
    row_kind = "capability"
    field = ""  # the mapping: "region_factor", "based_at"

    def _row_words(self, cap) -> str:
        return f"{cap.category}, {format_number(cap.existing)} existing"

    def _pair_cell(self, cap, region) -> Cell:
        value = (getattr(cap, self.field) or {}).get(region.id)
        return Cell(format_number(value), edit=edit_number(value), number=True,
                    tip=f"{cap.name} in {region.name}: {self._meaning(cap, region)}")

    def _meaning(self, cap, region) -> str:
        """What a cell's number means, for its tooltip."""
        raise NotImplementedError

    def _edit_pair(self, data: dict, cap_id: str, region_id: str, text: str) -> str:
        undo = change_text(data, "capability", cap_id, self.field, region_id)
        what = f"{named(data, 'capability', cap_id)} {field_words(self.field, data, region_id)}"
        value = stored(parse_field(text, what)) if text else None
        set_value(data, "capability", cap_id, self.field, value, key=region_id)
        return undo


class RegionFactorsModel(_CapabilityRegionModel):
    """Capabilities × regions: the terrain/distance factor (blank = 1)."""

    field = "region_factor"

    def _meaning(self, cap, region) -> str:
        return "effect multiplied by this factor; 1 = full effect, 0 = cannot operate there (blank = 1)"


class LaydownModel(_CapabilityRegionModel):
    """Capabilities × regions: where the existing units are based when the cycle starts."""

    field = "based_at"

    @property
    def uses_stationing(self) -> bool:
        return True

    def _row_words(self, cap) -> str:
        based = sum((cap.based_at or {}).values())
        return f"{super()._row_words(cap)}, {format_number(based)} based at the start"

    def _meaning(self, cap, region) -> str:
        return (f"existing units based here when the cycle starts (the units based sum to at most the "
                f"{format_number(cap.existing)} existing; blank = none)")

    def _pair_cell(self, cap, region) -> Cell:
        cell = super()._pair_cell(cap, region)
        if not self._scenario.stationing:
            return cell.needs_stationing()
        if not region.is_camp:
            cell.enabled, cell.tip = False, f"{region.name} is not a camp: no unit is based there"
        elif cap.bases is not None and region.id not in cap.bases:
            cell.enabled, cell.tip = False, f"{region.name} is not one of the bases of {cap.name}"
        return cell


class DemandModel(_RegionMatrixModel):
    """Tasks × regions: the need (blank = no demand), or the importance of each need."""

    row_list = "tasks"
    row_kind = "task"
    modes = ("need", "importance")
    _mode = "need"

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show the need or the importance of each task in each region.

        Parameters
        ----------
        mode : str
            "need" or "importance".

        Raises
        ------
        ValueError
            For any other mode.
        """
        if mode not in self.modes:
            raise ValueError(mode)
        if mode != self._mode:
            self.beginResetModel()
            self._mode = mode
            self.endResetModel()

    def _row_words(self, task) -> str:
        return f"weight {format_number(task.weight)}"

    def _pair_cell(self, task, region) -> Cell:
        d = (self._scenario.demand.get(task.id) or {}).get(region.id)
        where = f"{task.name} in {region.name}"
        if self._mode == "need":
            value = None if d is None else d.need
            return Cell(format_number(value), edit=edit_number(value), number=True,
                        tip=f"{where}: effect units per period for full satisfaction (blank = no demand)")
        if d is None:
            return Cell("", editable=False, tip=f"{where}: no demand (give it a need first)")
        if d.importance is None:
            return Cell("1", edit="", number=True, muted=True,
                        tip=f"{where}: how much it matters (blank = the default, 1)")
        return Cell(format_number(d.importance), edit=edit_number(d.importance), number=True,
                    tip=f"{where}: how much it matters (0 = not at all; blank = the default, 1)")

    def _edit_pair(self, data: dict, task_id: str, region_id: str, text: str) -> str:
        pair = demand_words(data, task_id, region_id)
        value = stored(parse_field(text, f"{self._mode} of {pair}")) if text else None
        if self._mode == "importance":
            set_importance(data, task_id, region_id, value)
            return f"Change the importance of {pair}"
        had = region_id in ((data.get("demand") or {}).get(task_id) or {})
        set_need(data, task_id, region_id, value)
        if value is None:
            return f"Remove the demand of {pair}"
        return f"Change the need of {pair}" if had else f"Add a need of {pair}"
