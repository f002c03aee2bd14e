"""The stakeholder panel, visible and editable: members, their names and their weights.

Every change (a weight, a name, a member added or removed) is one undoable
edit of the scenario's ``panel``, which the panel and robustness analyses read.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout,
)

from planner.scenario import PanelMember, frozen_map

from .display import plain_label


def _new_id(taken: set[str]) -> str:
    n = 1
    while f"member_{n}" in taken:
        n += 1
    return f"member_{n}"


class PanelEditor(QDialog):
    """A table: one row per member, its name then a weight per task."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("panelEditor")
        self.setWindowTitle("Stakeholder panel")
        self.setModal(False)
        self.resize(820, 360)
        self._doc = document
        self._filling = False
        intro = plain_label("Each member (a delegation, a council expert, a troop contributor) weighs the "
                            "tasks in their own way. The panel analysis finds the compromise plan and what "
                            "it costs each member; robustness can sample among the members' weights.")
        intro.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setObjectName("panelTable")
        self.table.itemChanged.connect(self._on_item_changed)
        self.status = plain_label()
        self.status.setObjectName("panelStatus")
        add, remove = QPushButton("Add member"), QPushButton("Remove member")
        add.setObjectName("panelAdd")
        remove.setObjectName("panelRemove")
        add.clicked.connect(self.add_member)
        remove.clicked.connect(lambda: self.remove_member(self.table.currentRow()))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(buttons)
        document.scenarioChanged.connect(self.refresh)
        self.refresh(document.scenario)

    @property
    def members(self) -> tuple[PanelMember, ...]:
        return tuple(self._doc.scenario.panel or ())

    def refresh(self, scenario):
        self._filling = True
        tasks = scenario.tasks
        members = scenario.panel or ()
        self.table.setColumnCount(1 + len(tasks))
        self.table.setHorizontalHeaderLabels(["Member", *(t.name for t in tasks)])
        self.table.setRowCount(len(members))
        for r, m in enumerate(members):
            self.table.setItem(r, 0, QTableWidgetItem(m.name))
            for c, t in enumerate(tasks, start=1):
                item = QTableWidgetItem(f"{m.weights.get(t.id, 0.0):g}")
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self._filling = False
        self.status.setText(f"{len(members)} member(s)" if members else "No members yet: add one.")

    def _push(self, members, text: str):
        self._doc.push(self._doc.scenario.with_panel(members), text)

    def add_member(self):
        taken = {m.id for m in self.members}
        weights = {t.id: t.weight for t in self._doc.scenario.tasks}
        member = PanelMember(_new_id(taken), f"Member {len(taken) + 1}", frozen_map(weights))
        self._push((*self.members, member), f"Add panel member '{member.name}'")

    def remove_member(self, row: int) -> bool:
        members = self.members
        if not 0 <= row < len(members):
            return False
        gone = members[row]
        self._push(members[:row] + members[row + 1:], f"Remove panel member '{gone.name}'")
        return True

    def rename_member(self, row: int, name: str) -> bool:
        name = name.strip()
        members = self.members
        if not name:
            self.status.setText("A member needs a name")
            return False
        if len(name) > 200:
            self.status.setText("A member's name is at most 200 characters")
            return False
        old = members[row]
        new = dataclasses.replace(old, name=name)
        self._push(members[:row] + (new,) + members[row + 1:], f"Rename panel member '{old.name}' to '{name}'")
        return True

    def set_weight(self, row: int, task_id: str, text: str) -> bool:
        members = self.members
        member = members[row]
        task = self._doc.scenario.task(task_id)
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            self.status.setText(f"{member.name}, {task.name}: '{text[:40]}' is not a number")
            return False
        if not (0.0 <= value <= 1e12):
            self.status.setText(f"{member.name}, {task.name}: a weight is a number from 0 (found {text[:40]})")
            return False
        weights = {**member.weights, task_id: value}
        if sum(weights.values()) <= 0:
            self.status.setText(f"{member.name}: at least one weight must be above 0")
            return False
        new = dataclasses.replace(member, weights=frozen_map(weights))
        self._push(members[:row] + (new,) + members[row + 1:],
                   f"Set {member.name}'s weight for {task.name} to {value:g}")
        return True

    def _on_item_changed(self, item: QTableWidgetItem):
        if self._filling:
            return
        row, col = item.row(), item.column()
        if col == 0:
            ok = self.rename_member(row, item.text())
        else:
            ok = self.set_weight(row, self._doc.scenario.tasks[col - 1].id, item.text())
        if not ok:
            self.refresh(self._doc.scenario)  # the refused text goes; the status says why

