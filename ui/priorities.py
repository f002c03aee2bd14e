"""Priorities: a weight per task (slider + spin box, kept in sync, with its
share of the total), resource capacities in human units, the whole-units switch.

Every change is pushed on the document's undo stack; one slider drag is one
undo step. The panel rebuilds itself when the scenario's tasks or resources
change and otherwise only updates values (signals blocked, so an update never
echoes back as an edit).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.money import is_money
from planner.scenario import Scenario
from planner.text import shown

from planner.plots import task_color
from .display import plain_label, tooltip
from .document import Document, new_edit_session

WEIGHT_MAX = 100

# How a resource's capacity is shown: (divisor, suffix, decimals, step)
_USD_MILLIONS = (1e6, " M", 2, 1.0)


def capacity_display(unit: str):
    if is_money(unit):
        return _USD_MILLIONS
    return (1.0, f" {unit}", 0, 10.0)


class PrioritiesPanel(QWidget):
    dragFinished = Signal()  # a weight slider was let go: time for the whole-units plan

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self._doc = document
        self._shape = None
        self._sliders: dict[str, QSlider] = {}
        self._spins: dict[str, QSpinBox] = {}
        self._shares: dict[str, QLabel] = {}
        self._capacities: dict[str, QDoubleSpinBox] = {}
        self._drag_session: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 6, 6)
        self._tasks_box = QGroupBox("Task priorities")
        self._resources_box = QGroupBox("Resources")
        layout.addWidget(self._tasks_box)
        layout.addWidget(self._resources_box)
        self.integer_units = QCheckBox("Generate whole units only")
        self.integer_units.setObjectName("integerUnits")
        self.integer_units.setToolTip(
            "New capabilities come in whole units (a mixed-integer solve).\n"
            "Off: fractions are allowed, a quick estimate of the best plan."
        )
        self.integer_units.toggled.connect(self._on_integer_toggled)
        layout.addWidget(self.integer_units)
        layout.addStretch(1)
        document.scenarioChanged.connect(self.refresh)
        self.refresh(document.scenario)

    # -- building -------------------------------------------------------------
    def _build(self, s: Scenario):
        for box in (self._tasks_box, self._resources_box):
            old = box.layout()
            if old is not None:
                while old.count():
                    w = old.takeAt(0).widget()
                    if w is not None:
                        w.deleteLater()
                QWidget().setLayout(old)  # reparent the old layout so it is deleted
        self._sliders.clear(), self._spins.clear(), self._shares.clear(), self._capacities.clear()

        grid = QGridLayout(self._tasks_box)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for i, t in enumerate(s.tasks):
            name = plain_label(t.name)
            name.setWordWrap(True)
            name.setStyleSheet(f"border-left: 5px solid {task_color(s, t.id)}; padding-left: 5px;")
            name.setToolTip(tooltip(t.note or t.name))
            slider = QSlider(Qt.Horizontal)
            slider.setObjectName(f"weight_{t.id}")
            slider.setRange(0, WEIGHT_MAX)
            slider.setToolTip(tooltip(f"Weight of {t.name}"))
            slider.setAccessibleName(f"Weight of {t.name}")
            spin = QSpinBox()
            spin.setObjectName(f"weightSpin_{t.id}")
            spin.setRange(0, WEIGHT_MAX)
            spin.setAccessibleName(f"Weight of {t.name}")
            share = plain_label()
            share.setObjectName(f"share_{t.id}")
            share.setMinimumWidth(40)
            share.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            share.setToolTip("Share of the total weight")
            grid.addWidget(name, 2 * i, 0, 1, 3)
            grid.addWidget(slider, 2 * i + 1, 0, 1, 2)
            grid.addWidget(spin, 2 * i + 1, 2)
            grid.addWidget(share, 2 * i + 1, 3)
            slider.sliderPressed.connect(lambda tid=t.id: self._drag_session.__setitem__(tid, new_edit_session()))
            slider.sliderReleased.connect(lambda tid=t.id: self._end_drag(tid))
            slider.valueChanged.connect(lambda v, tid=t.id: self._on_weight(tid, v))
            spin.valueChanged.connect(lambda v, tid=t.id: self._on_weight(tid, v))
            self._sliders[t.id], self._spins[t.id], self._shares[t.id] = slider, spin, share

        grid = QGridLayout(self._resources_box)
        grid.setColumnStretch(0, 1)
        grid.setVerticalSpacing(2)
        for i, q in enumerate(s.resources):
            label = plain_label(q.name)
            label.setWordWrap(True)
            label.setToolTip(tooltip(q.note or q.name))
            div, suffix, decimals, step = capacity_display(q.unit)
            box = QDoubleSpinBox()
            box.setObjectName(f"capacity_{q.id}")
            box.setDecimals(decimals)
            box.setRange(0.0, 1e12 / div)
            box.setSingleStep(step)
            box.setSuffix(suffix)
            if div == 1e6:
                box.setPrefix("$ ")
            box.setKeyboardTracking(False)
            box.setGroupSeparatorShown(True)
            box.setAccessibleName(q.name)
            box.setToolTip(tooltip(f"{q.name}: capacity ({q.basis} basis)"))
            box.valueChanged.connect(lambda v, qid=q.id, d=div: self._on_capacity(qid, v * d))
            grid.addWidget(label, 2 * i, 0)
            grid.addWidget(box, 2 * i + 1, 0)
            self._capacities[q.id] = box

    # -- showing the scenario ---------------------------------------------------
    def refresh(self, s: Scenario):
        shape = (tuple((t.id, t.name) for t in s.tasks), tuple((q.id, q.name, q.unit) for q in s.resources))
        if shape != self._shape:
            self._build(s)
            self._shape = shape
        total = sum(t.weight for t in s.tasks)
        for t in s.tasks:
            for w in (self._sliders[t.id], self._spins[t.id]):
                if w.value() != round(t.weight):
                    w.blockSignals(True)
                    w.setValue(min(WEIGHT_MAX, round(t.weight)))
                    w.blockSignals(False)
            self._shares[t.id].setText(f"{100 * t.weight / total:.0f}%" if total > 0 else "–")
        for q in s.resources:
            box = self._capacities[q.id]
            div = capacity_display(q.unit)[0]
            if abs(box.value() * div - q.capacity) > 1e-9 * max(1.0, q.capacity):
                box.blockSignals(True)
                box.setValue(q.capacity / div)
                box.blockSignals(False)
        if self.integer_units.isChecked() != s.integer_units:
            self.integer_units.blockSignals(True)
            self.integer_units.setChecked(s.integer_units)
            self.integer_units.blockSignals(False)

    # -- edits ------------------------------------------------------------------
    @property
    def dragging(self) -> bool:
        """A weight slider is being dragged (its plan may be shown provisionally)."""
        return bool(self._drag_session)

    def _end_drag(self, task_id: str):
        self._drag_session.pop(task_id, None)
        self.dragFinished.emit()

    def _on_weight(self, task_id: str, value: int):
        s = self._doc.scenario
        if round(s.task(task_id).weight) == value:
            return
        new = s.with_task_weight(task_id, value)
        if sum(t.weight for t in new.tasks) <= 0:
            self.refresh(s)  # every weight 0 has no meaning: refuse and show the old value
            return
        key = ("weight", task_id, self._drag_session.get(task_id) or new_edit_session())
        self._doc.push(new, f"Weight of {shown(s.task(task_id).name)} → {value}", merge_key=key)

    def _on_capacity(self, resource_id: str, value: float):
        s = self._doc.scenario
        q = s.resource(resource_id)
        if abs(q.capacity - value) <= 1e-9 * max(1.0, value):
            return
        self._doc.push(s.with_resource_capacity(resource_id, value), f"Capacity of {shown(q.name)}")

    def _on_integer_toggled(self, on: bool):
        s = self._doc.scenario
        self._doc.push(s.with_integer_units(on), "Whole units " + ("on" if on else "off"))
