"""Weights from judgements, in a dialog: swing weighting, or pairwise comparison.

The arithmetic is :mod:`planner.elicit`; applying pushes the new weights as
one undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from planner.elicit import ElicitationError, pairwise_weights, swing_weights

from .display import plain_label

# Saaty's scale, as the planner reads it: label -> value of "row task against column task".
SCALE = (("9 × more", 9.0), ("7 ×", 7.0), ("5 ×", 5.0), ("3 ×", 3.0), ("equal", 1.0),
         ("1/3", 1 / 3), ("1/5", 1 / 5), ("1/7", 1 / 7), ("1/9 (9 × less)", 1 / 9))


class WeightsDialog(QDialog):
    """Swing weighting and pairwise comparison of the scenario's tasks."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.setObjectName("weightsDialog")
        self.setWindowTitle("Set weights from judgements")
        self._doc = document
        s = document.scenario
        self._names = {t.id: t.name for t in s.tasks}
        self._ids = [t.id for t in sorted(s.tasks, key=lambda t: -t.weight)]
        self.tabs = QTabWidget()
        self.tabs.addTab(self._swing_page(), "Swing weighting")
        self.tabs.addTab(self._pairwise_page(), "Pairwise comparison")
        self.result_label = plain_label()
        self.result_label.setObjectName("weightsResult")
        self.result_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.tabs.currentChanged.connect(lambda _i: self._preview())
        self._preview()

    # -- swing weighting --------------------------------------------------------------
    def _swing_page(self) -> QWidget:
        page = QWidget()
        intro = plain_label("Rank the tasks by how much it matters to take each from no coverage to full "
                            "coverage, the most important first. The first swing is worth 100; rate each "
                            "other swing against it.")
        intro.setWordWrap(True)
        self.ranking = QListWidget()
        self.ranking.setObjectName("swingRanking")
        self.ranking.setDragDropMode(QListWidget.InternalMove)
        self.ranking.model().rowsMoved.connect(lambda *_: self._preview())
        self.ratings: dict[str, QSpinBox] = {}
        grid = QGridLayout()
        for i, task_id in enumerate(self._ids):
            item = QListWidgetItem(self._names[task_id])
            item.setData(Qt.UserRole, task_id)
            self.ranking.addItem(item)
            spin = QSpinBox()
            spin.setObjectName(f"swingRating_{task_id}")
            spin.setRange(0, 100)
            spin.setValue(100 if i == 0 else max(0, 100 - 20 * i))
            spin.setSuffix(" / 100")
            spin.valueChanged.connect(lambda _v: self._preview())
            self.ratings[task_id] = spin
            grid.addWidget(plain_label(self._names[task_id]), i, 0)
            grid.addWidget(spin, i, 1)
        up, down = QPushButton("Move up"), QPushButton("Move down")
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(+1))
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        moves.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        row = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(plain_label("Ranking (most important swing first)"))
        left.addWidget(self.ranking, 1)
        left.addLayout(moves)
        right = QVBoxLayout()
        right.addWidget(plain_label("Rating against the first"))
        right.addLayout(grid)
        right.addStretch(1)
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        layout.addLayout(row, 1)
        return page

    def _move(self, step: int):
        row = self.ranking.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.ranking.count():
            return
        item = self.ranking.takeItem(row)
        self.ranking.insertItem(target, item)
        self.ranking.setCurrentRow(target)
        self._preview()

    def set_ranking(self, task_ids: list[str]):
        """Order the ranking list (most important first)."""
        items = {self.ranking.item(i).data(Qt.UserRole): self.ranking.item(i) for i in range(self.ranking.count())}
        while self.ranking.count():
            self.ranking.takeItem(0)
        for task_id in task_ids:
            self.ranking.addItem(items[task_id])
        self._preview()

    def ranked(self) -> list[str]:
        return [self.ranking.item(i).data(Qt.UserRole) for i in range(self.ranking.count())]

    def set_rating(self, task_id: str, value: int):
        self.ratings[task_id].setValue(value)

    # -- pairwise -------------------------------------------------------------------
    def _pairwise_page(self) -> QWidget:
        page = QWidget()
        intro = plain_label("For each pair: how many times more does the task on the left matter than the "
                            "one on the right? The consistency ratio below 0.10 means the judgements "
                            "agree with each other well enough.")
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.pairs: dict[tuple[str, str], QComboBox] = {}
        row = 0
        for i, a in enumerate(self._ids):
            for b in self._ids[i + 1:]:
                combo = QComboBox()
                combo.setObjectName(f"pair_{a}__{b}")
                for label, value in SCALE:
                    combo.addItem(label, value)
                combo.setCurrentIndex(4)  # equal
                combo.currentIndexChanged.connect(lambda _i: self._preview())
                self.pairs[(a, b)] = combo
                grid.addWidget(plain_label(self._names[a]), row, 0)
                grid.addWidget(combo, row, 1)
                grid.addWidget(plain_label(self._names[b]), row, 2)
                row += 1
        self.consistency = plain_label()
        self.consistency.setObjectName("pairwiseConsistency")
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.consistency)
        layout.addStretch(1)
        return page

    def set_pair(self, a: str, b: str, value: float):
        if (a, b) in self.pairs:
            combo, value = self.pairs[(a, b)], value
        else:
            combo, value = self.pairs[(b, a)], 1.0 / value
        best = min(range(combo.count()), key=lambda i: abs(combo.itemData(i) - value))
        combo.setCurrentIndex(best)

    # -- both -----------------------------------------------------------------------
    def weights(self) -> dict[str, float]:
        """The weights the current page's judgements give (raises ElicitationError)."""
        if self.tabs.currentIndex() == 0:
            ranked = self.ranked()
            return swing_weights(ranked, {t: self.ratings[t].value() for t in ranked})
        result = pairwise_weights(self._ids, {k: c.currentData() for k, c in self.pairs.items()})
        self.consistency.setText(f"Consistency ratio {result.consistency_ratio:.2f}"
                                 + ("" if result.consistent else ": the judgements contradict each other; "
                                    "revisit the pairs that disagree"))
        return result.weights

    def _preview(self):
        try:
            w = self.weights()
        except ElicitationError as exc:
            self.result_label.setText(str(exc))
            return
        self.result_label.setText("Weights: " + ", ".join(f"{self._names[t]} {w[t]:.1f}" for t in self._ids))

    def apply(self) -> bool:
        """Set the scenario's weights as one undoable edit."""
        try:
            w = self.weights()
        except ElicitationError as exc:
            self.result_label.setText(str(exc))
            return False
        rounded = {t: round(v, 1) for t, v in w.items()}
        how = "swing weighting" if self.tabs.currentIndex() == 0 else "pairwise comparison"
        self._doc.push(self._doc.scenario.with_weights(rounded), f"Set weights by {how}")
        return True
