"""The open scenario, its file and its undo history.

Every edit is a :class:`ScenarioCommand` pushed on the undo stack: it swaps
immutable scenario snapshots, so undo is exact and nothing is half-applied.
Views listen to ``scenarioChanged`` and redraw what they show.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from planner.bundled import is_bundled
from planner.fileio import ScenarioError, load_scenario, save_scenario, scenario_from_dict, scenario_to_dict
from planner.scenario import Scenario

_MERGE_ID = 1000
_session = itertools.count(1)


def new_edit_session() -> int:
    """A fresh key: edits with the same key merge into one undo step."""
    return next(_session)


class ScenarioCommand(QUndoCommand):
    """Replace the document's scenario; consecutive commands with one merge key merge."""

    def __init__(self, document: Document, new: Scenario, text: str, merge_key=None):
        super().__init__(text)
        self._doc = document
        self._old = document.scenario
        self._new = new
        self._merge_key = merge_key

    def id(self) -> int:  # noqa: A003 (Qt's name)
        return _MERGE_ID if self._merge_key is not None else -1

    def mergeWith(self, other) -> bool:  # noqa: N802
        if not isinstance(other, ScenarioCommand) or other._merge_key != self._merge_key:
            return False
        self._new = other._new
        return True

    def redo(self):
        self._doc._set(self._new)

    def undo(self):
        self._doc._set(self._old)


class Document(QObject):
    """The scenario being edited, where it lives on disk, and its undo stack."""

    scenarioChanged = Signal(object)  # the new Scenario
    pathChanged = Signal(object)  # Path or None
    cleanChanged = Signal(bool)

    def __init__(self, scenario: Scenario, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.scenario = scenario
        self.path = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self.cleanChanged)

    # -- edits -------------------------------------------------------------
    def push(self, new: Scenario, text: str, merge_key=None) -> None:
        """Make an undoable edit (no-op when nothing changes)."""
        if new == self.scenario:
            return
        self.undo_stack.push(ScenarioCommand(self, new, text, merge_key))

    def push_data(self, data: dict, text: str, merge_key=None) -> None:
        """Make an edit expressed on the file data; raises ScenarioError if invalid.

        The scenario is checked as a whole before anything changes.
        """
        self.push(scenario_from_dict(data), text, merge_key)

    def data(self) -> dict:
        """The scenario as file data (a fresh, editable copy)."""
        return scenario_to_dict(self.scenario)

    def _set(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.scenarioChanged.emit(scenario)

    # -- files ---------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def is_template(self) -> bool:
        """The file is one of the scenarios that come with the program: a start, never written over."""
        return self.path is not None and is_bundled(self.path)

    def replace(self, scenario: Scenario, path: Path | None) -> None:
        """Open another scenario: a new history, clean."""
        self.undo_stack.clear()
        self.path = Path(path) if path else None
        self.scenario = scenario
        self.undo_stack.setClean()
        self.pathChanged.emit(self.path)
        self.scenarioChanged.emit(scenario)
        self.cleanChanged.emit(True)

    def open(self, path: Path) -> None:
        """Load ``path``; on failure raises ScenarioError and nothing changes."""
        self.replace(load_scenario(path), path)

    def save(self, path: Path | None = None) -> None:
        """Save atomically; on failure raises OSError and stays modified."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name")
        save_scenario(self.scenario, target)
        self.undo_stack.setClean()
        if target != self.path:
            self.path = target
            self.pathChanged.emit(target)
        self.cleanChanged.emit(True)


__all__ = ["Document", "ScenarioCommand", "ScenarioError", "new_edit_session"]
