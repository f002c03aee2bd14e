"""Matrix editors: a row per capability or task, a column per region."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from .base import Cell, EditorModel
from .edits import put_key
from .numbers import EditRefused, edit_number, format_number, parse_field, stored


class _RegionMatrixModel(EditorModel):
    """A row per item of ``row_list`` (a list of the scenario), a column per region."""

    row_list = ""  # the scenario's list the rows show: "capabilities", "tasks"

    def _items(self) -> tuple:
        return getattr(self._scenario, self.row_list)

    def _region_ids(self) -> list[str]:
        return [r.id for r in self._scenario.regions]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items())

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._scenario.regions)

    def _header(self, col: int) -> tuple[str, str]:
        r = self._scenario.regions[col]
        return r.name, f"{r.name}: region '{r.id}', zone {r.zone}"

    def _row_header(self, row: int) -> tuple[str, str]:
        item = self._items()[row]
        return item.name, f"{item.name}: {self._row_words(item)}"

    def _cell(self, row: int, col: int) -> Cell:
        return self._pair_cell(self._items()[row], self._scenario.regions[col])

    def _edit(self, data: dict, row: int, col: int, text: str) -> str:
        return self._edit_pair(data, self._items()[row].id, self._scenario.regions[col].id, text)

    # -- to override ------------------------------------------------------------
    def _row_words(self, item) -> str:
        """What a row is, for its header's tooltip ("capability 'heli' (air)")."""
        raise NotImplementedError

    def _pair_cell(self, item, region) -> Cell:
        raise NotImplementedError

    def _edit_pair(self, data: dict, item_id: str, region_id: str, text: str) -> str:
        raise NotImplementedError


class RegionFactorsModel(_RegionMatrixModel):
    """Capabilities × regions: the terrain/distance factor (blank = 1)."""

    row_list = "capabilities"

    def _row_words(self, cap) -> str:
        return f"capability '{cap.id}' ({cap.category})"

    def _pair_cell(self, cap, region) -> Cell:
        value = cap.region_factor.get(region.id)
        tip = (f"{cap.name} in {region.name}: effect multiplied by this factor; 1 = full effect, "
               f"0 = cannot operate there (blank = 1)")
        return Cell(format_number(value), edit=edit_number(value), number=True, tip=tip)

    def _edit_pair(self, data: dict, cap_id: str, region_id: str, text: str) -> str:
        cap = next(c for c in data["capabilities"] if c["id"] == cap_id)
        factors = cap.get("region_factor") or {}
        if text:
            value = stored(parse_field(text, f"capability '{cap_id}' region factor in region '{region_id}'"))
            factors = put_key(factors, region_id, value, self._region_ids())
        else:
            factors.pop(region_id, None)
        # no empty "region_factor" where the file had none
        if factors or "region_factor" in cap:
            cap["region_factor"] = factors
        return f"Edit the region factor of capability '{cap_id}' in region '{region_id}'"


class DemandModel(_RegionMatrixModel):
    """Tasks × regions: the need (blank = no demand), or the importance of each need."""

    row_list = "tasks"
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
        return f"task '{task.id}', weight {format_number(task.weight)}"

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
        demand = data.setdefault("demand", {})
        per = demand.get(task_id)
        pair = f"task '{task_id}' in region '{region_id}'"
        if self._mode == "importance":
            if per is None or region_id not in per:
                raise EditRefused(f"{pair} has no demand: give it a need first")
            if text:
                per[region_id]["importance"] = stored(parse_field(text, f"importance of {pair}"))
            else:
                per[region_id].pop("importance", None)
            return f"Edit the importance of {pair}"
        if not text:
            if per is None or region_id not in per:
                return f"Remove the demand of {pair}"  # nothing there: no change, no undo step
            del per[region_id]
            if not per:
                del demand[task_id]
            return f"Remove the demand of {pair}"
        need = stored(parse_field(text, f"need of {pair}"))
        if per is not None and region_id in per:
            per[region_id]["need"] = need
            return f"Edit the need of {pair}"
        tasks = [t.id for t in self._scenario.tasks]
        per = put_key(per or {}, region_id, {"need": need}, self._region_ids())
        data["demand"] = put_key(demand, task_id, per, tasks)
        return f"Add a need of {pair}"
