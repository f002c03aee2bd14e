"""The editors' widget: one tab per editor, Add / Remove above the table, the last refusal below."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shiboken6 import isValid

from ..display import clipped, plain_label, tooltip
from ..document import Document
from .base import EditorModel
from .delegates import ChoiceDelegate
from .lists import CapabilitiesModel, PostureModel, RegionsModel, ResourcesModel, TasksModel
from .matrices import DemandModel, LaydownModel, RegionFactorsModel
from .rules import RulesModel

_MAX_COLUMN_WIDTH = 240
_MIN_COLUMN_WIDTH = 52
_MAX_ROW_HEADER_WIDTH = 220
_REFUSAL_COLOUR = "#b00020"
_REFUSAL_CHARS = 400  # the refusal line quotes what was typed: a pasted megabyte must not fill the window


@dataclass(frozen=True)
class _Editor:
    key: str
    title: str
    model: type
    hint: str


_EDITORS = (
    _Editor("tasks", "Tasks", TasksModel,
            "The mandate's tasks and their priority weights."),
    _Editor("regions", "Regions", RegionsModel,
            "Where the mission operates; rules can name a zone for all its regions."),
    _Editor("capabilities", "Capabilities", CapabilitiesModel,
            "Units: what exists, what can be generated, their effect on each task and what they use."),
    _Editor("region_factors", "Region factors", RegionFactorsModel,
            "How well each capability works in each region: blank = 1 (full effect), 0 = cannot operate."),
    _Editor("posture", "Posture", PostureModel,
            "With stationing: how far each capability reaches from its base, where it may be based, "
            "what moving it costs."),
    _Editor("laydown", "Laydown", LaydownModel,
            "With stationing: where the existing units are based when the cycle starts (blank = none there)."),
    _Editor("demand", "Demand", DemandModel, ""),
    _Editor("resources", "Resources", ResourcesModel,
            "Budgets, ceilings and flight hours that limit the plan."),
    _Editor("rules", "Rules", RulesModel,
            "Policy rules; cells that do not apply to a rule's kind are greyed."),
)
_DEMAND_HINTS = {
    "need": "Need: effect units per period for full satisfaction of a task in a region; blank = no demand.",
    "importance": "Importance: how much a task matters in a region (blank = 1); only where there is a need.",
}
#: The check box above a table whose fields need stationing.
_STATIONING_BOX = ("Stationing", "Units are based in camps and work within reach of their base: the posture "
                   "fields apply (every region then needs a location). Off: every unit can work anywhere, "
                   "each period. Undoable.")
#: What goes with a removed item, for the Remove button's tooltip.
_REMOVED_WITH = {
    "task": ", with its demand and every capability's effect on it",
    "region": ", with its demand, region factors and the units based there",
    "resource": ", with every capability's use of it (per unit, per move, per km)",
}


class EditorsWidget(QWidget):
    """One tab per editor: a table with Add / Remove above it and the last refusal below.

    Parameters
    ----------
    document : Document
        The open scenario: every edit is pushed on its undo stack.
    parent : QWidget, optional
    """

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.models: dict[str, EditorModel] = {}
        self.views: dict[str, QTableView] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        self.remove_buttons: dict[str, QPushButton] = {}
        self.stationing_boxes: dict[str, QCheckBox] = {}
        self._current: dict[str, tuple[int, int] | None] = {}
        self._unfitted: set[str] = set()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.setDocumentMode(True)
        for spec in _EDITORS:
            self.tabs.addTab(self._page(spec), spec.title)
        self.tabs.currentChanged.connect(self._on_tab_changed)

        self.message = plain_label()
        self.message.setObjectName("editor_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(f"color: {_REFUSAL_COLOUR};")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        document.scenarioChanged.connect(self._on_scenario_changed)

    # -- building ---------------------------------------------------------------------
    def _page(self, spec: _Editor) -> QWidget:
        model = spec.model(self.document, self)
        view = self._view(spec.key, model)
        self.models[spec.key] = model
        self.views[spec.key] = view

        model.editRefused.connect(self.show_refusal)
        model.modelAboutToBeReset.connect(lambda k=spec.key: self._remember_current(k))
        model.modelReset.connect(lambda k=spec.key: self._after_reset(k))
        view.selectionModel().currentChanged.connect(lambda *_a, k=spec.key: self._update_buttons(k))

        page = QWidget()
        page.setObjectName(f"page_{spec.key}")
        v = QVBoxLayout(page)
        v.setContentsMargins(4, 6, 4, 0)
        v.setSpacing(4)
        v.addLayout(self._bar(spec, model, view))
        v.addWidget(view, 1)
        self._fit_columns(view)
        self._update_buttons(spec.key)
        return page

    @staticmethod
    def _view(key: str, model: EditorModel) -> QTableView:
        view = QTableView()
        view.setObjectName(f"editor_{key}")
        view.setModel(model)
        view.setItemDelegate(ChoiceDelegate(view))  # one each: a delegate's commitData goes to all its views
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        if model.can_add:
            view.verticalHeader().hide()
            view.horizontalHeader().setStretchLastSection(True)  # the note
        else:  # long task and capability names: elided, whole in the tooltip
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.verticalHeader().setMaximumWidth(_MAX_ROW_HEADER_WIDTH)
            view.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        return view

    def _bar(self, spec: _Editor, model: EditorModel, view: QTableView) -> QHBoxLayout:
        """The row above a table: Add / Remove, the demand's Show choice, the hint."""
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        if model.can_add:
            kind = model.kind
            for verb, act, tip, buttons in (
                ("Add", self.add_row, f"Add a {kind} after the selected one, with a new id (undoable)",
                 self.add_buttons),
                ("Remove", self.remove_row, f"Remove the selected {kind}{_REMOVED_WITH.get(kind, '')} (undoable)",
                 self.remove_buttons),
            ):
                button = QPushButton(f"{verb} {kind}")
                button.setObjectName(f"{verb.lower()}_{kind}")
                button.setToolTip(tip)
                button.clicked.connect(lambda _c=False, k=spec.key, act=act: act(k))
                bar.addWidget(button)
                buttons[spec.key] = button
        hint = QLabel(spec.hint)
        hint.setObjectName(f"hint_{spec.key}")
        hint.setEnabled(False)  # quiet, secondary text
        hint.setWordWrap(True)  # long hints wrap instead of widening the window
        hint.setMinimumWidth(120)
        if model.uses_stationing:
            title, tip = _STATIONING_BOX
            box = QCheckBox(title)
            box.setObjectName(f"stationing_{spec.key}")
            box.setToolTip(tip)
            box.setChecked(self.document.scenario.stationing)
            box.toggled.connect(lambda on, m=model: self._set_stationing(m, on))
            bar.addWidget(box)
            self.stationing_boxes[spec.key] = box
        if isinstance(model, DemandModel):
            bar.addWidget(QLabel("Show:"))
            group = QButtonGroup(view)
            for mode in DemandModel.modes:
                button = QRadioButton(mode.capitalize())
                button.setObjectName(f"demand_{mode}")
                button.setChecked(mode == model.mode)
                button.toggled.connect(
                    lambda on, m=mode, h=hint: on and self._set_demand_mode(m, h))
                group.addButton(button)
                bar.addWidget(button)
            hint.setText(_DEMAND_HINTS[model.mode])
        bar.addSpacing(8)
        bar.addWidget(hint, 1)
        return bar

    # -- actions ------------------------------------------------------------------------
    def add_row(self, key: str) -> int | None:
        """Add an item after the selected row of editor ``key``, and select it.

        Parameters
        ----------
        key : str
            The editor: "tasks", "regions", "capabilities", "resources" or "rules".

        Returns
        -------
        int or None
            The new row, or None if refused.
        """
        view = self.views[key]
        current = view.currentIndex()
        row = self.models[key].add_row(current.row() if current.isValid() else None)
        if row is not None:
            index = self.models[key].index(row, 1)
            view.setCurrentIndex(index)
            view.scrollTo(index)
            view.setFocus()
        return row

    def remove_row(self, key: str) -> bool:
        """Remove the selected item of editor ``key``.

        Parameters
        ----------
        key : str
            The editor, as for :meth:`add_row`.

        Returns
        -------
        bool
            False when nothing is selected or the removal is refused.
        """
        view = self.views[key]
        current = view.currentIndex()
        if not current.isValid():
            self.show_refusal(f"Select the {self.models[key].kind} to remove first")
            return False
        return self.models[key].remove_row(current.row())

    def show_refusal(self, message: str) -> None:
        """Show why an edit was refused, until the next accepted edit."""
        text = clipped(message[:1].upper() + message[1:], _REFUSAL_CHARS, lines=3)
        self.message.setText(text)
        self.message.setToolTip(tooltip(text))

    def _set_stationing(self, model: EditorModel, on: bool) -> None:
        if not model.set_setting("stationing", on):
            self._sync_boxes()  # refused: the box shows the scenario as it is

    def _sync_boxes(self) -> None:
        on = self.document.scenario.stationing
        for box in self.stationing_boxes.values():
            if isValid(box) and box.isChecked() != on:
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)

    def _set_demand_mode(self, mode: str, hint: QLabel) -> None:
        self.models["demand"].set_mode(mode)
        hint.setText(_DEMAND_HINTS[mode])

    # -- keeping the view steady across resets --------------------------------------------
    def _remember_current(self, key: str) -> None:
        index = self.views[key].currentIndex()
        self._current[key] = (index.row(), index.column()) if index.isValid() else None

    def _after_reset(self, key: str) -> None:
        view = self.views[key]
        if not isValid(view):  # the widget is being destroyed
            return
        # fitting columns measures every cell: only for the table on screen
        # (a slider drag elsewhere changes the scenario many times a second)
        if view.isVisible():
            self._fit_columns(view)
        else:
            self._unfitted.add(key)
        where = self._current.pop(key, None)
        model = view.model()
        if where and model.rowCount() and model.columnCount():
            row = min(where[0], model.rowCount() - 1)
            col = min(where[1], model.columnCount() - 1)
            view.setCurrentIndex(model.index(row, col))
        self._update_buttons(key)

    @staticmethod
    def _fit_columns(view: QTableView) -> None:
        view.resizeColumnsToContents()
        header = view.horizontalHeader()
        for col in range(header.count()):
            size = header.sectionSize(col)
            if not _MIN_COLUMN_WIDTH <= size <= _MAX_COLUMN_WIDTH:
                header.resizeSection(col, min(max(size, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._on_tab_changed(self.tabs.currentIndex())

    def _on_tab_changed(self, index: int) -> None:
        if 0 <= index < len(_EDITORS) and _EDITORS[index].key in self._unfitted:
            self._unfitted.discard(_EDITORS[index].key)
            self._fit_columns(self.views[_EDITORS[index].key])

    def _update_buttons(self, key: str) -> None:
        if key in self.remove_buttons and isValid(self.remove_buttons[key]) and isValid(self.views[key]):
            self.remove_buttons[key].setEnabled(self.views[key].currentIndex().isValid())

    def _on_scenario_changed(self, _scenario) -> None:
        self.message.clear()
        self.message.setToolTip("")
        self._sync_boxes()
