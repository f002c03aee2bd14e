"""What every editor table shares: the cell description and the base model.

Every edit of a cell, every added or removed row, is one undoable command:
the model builds the new file data from ``document.data()``, changes it and
hands it to ``Document.push_data``, which checks the whole scenario before
anything changes. A refused edit changes nothing and says why, in words,
through the model's ``editRefused`` signal.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from planner.edits import LIST_KEY, EditRefused, add_item, display_names, named, remove_item, set_setting
from planner.fileio import ScenarioError
from planner.problems import describe_problems, field_words

from ..display import tooltip
from ..document import Document

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
CHECK = Qt.ItemDataRole.CheckStateRole
#: A list of strings: offer them in a combo box when the cell is edited.
CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: True when the combo box also takes typed text.
FREE_TEXT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: The tooltip of a field that means something only when units are based.
NEEDS_STATIONING = ("Needs stationing (units based in camps, working within reach of their base): "
                    "turn on 'Stationing' above the table")


@dataclass
class Cell:
    """What a model shows in one cell and how it is edited."""

    text: str = ""
    edit: str | None = None  # the editor's starting text (None: the same as text)
    tip: str | None = None
    editable: bool = True
    choices: Sequence[str] | None = None  # offer these in a combo box
    free_text: bool = False  # the combo also takes typed text
    number: bool = False  # right-aligned
    muted: bool = False  # a default or a value that does not apply: grey
    check: bool | None = None  # a check box, ticked or not (then there is no text to edit)
    enabled: bool = True  # False: greyed out and not editable (a field that needs stationing)

    def needs_stationing(self) -> Cell:
        """The cell greyed out, saying why, while stationing is off."""
        self.enabled = False
        self.tip = NEEDS_STATIONING
        return self


def _muted_colour() -> QColor:
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class EditorModel(QAbstractTableModel):
    """Base of the editor models: cells from ``_cell``, edits through ``_edit``.

    The models hold no state of their own beyond the scenario snapshot they
    show (the one exception: half of a region's location typed before the
    other half); they reset whenever the document's ``scenarioChanged``
    fires, undo and redo included.
    """

    #: The reason an edit was refused, in words.
    editRefused = Signal(str)
    #: What an accepted edit did (its undo text).
    edited = Signal(str)

    kind = ""  # "task", "region", ...: set by list models, whose rows can be added and removed

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self._document = document
        self._scenario = document.scenario
        self._after_push: Callable[[], None] | None = None
        self._display: dict[str, dict[str, str]] = {}
        self._refresh()
        document.scenarioChanged.connect(self._on_scenario_changed)

    @property
    def document(self) -> Document:
        return self._document

    @property
    def can_add(self) -> bool:
        return bool(self.kind)

    @property
    def uses_stationing(self) -> bool:
        """Whether some of its cells need stationing (then the table offers to turn it on)."""
        return False

    def display_name(self, kind: str, item_id: str) -> str:
        """How the tables show an item: its name, with its id where names are shared."""
        if kind not in self._display:
            items = getattr(self._scenario, LIST_KEY[kind]) or ()
            self._display[kind] = display_names((i.id, i.name) for i in items)
        return self._display[kind].get(item_id, item_id)

    # -- to override ------------------------------------------------------------
    def _refresh(self) -> None:
        """Recompute what depends on the scenario (after a reset began)."""

    def _cell(self, row: int, col: int) -> Cell:
        raise NotImplementedError

    def _header(self, col: int) -> tuple[str, str]:
        raise NotImplementedError

    def _row_header(self, row: int) -> tuple[str, str] | None:
        return None

    def _edit(self, data: dict, row: int, col: int, value: str | bool) -> str | None:
        """Change ``data`` for the edit of a cell (the text typed, or whether its box is ticked);
        the undo text, or None when handled locally."""
        raise NotImplementedError

    def _row_id(self, row: int) -> str:
        raise NotImplementedError

    # -- Qt -----------------------------------------------------------------------
    def _on_scenario_changed(self, scenario) -> None:
        self.beginResetModel()
        self._scenario = scenario
        self._display = {}
        self._refresh()
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = DISPLAY):
        if not index.isValid():
            return None
        cell = self._cell(index.row(), index.column())
        if role == DISPLAY:
            return cell.text
        if role == CHECK:
            return None if cell.check is None else (
                Qt.CheckState.Checked if cell.check else Qt.CheckState.Unchecked)
        if role == EDIT:
            return cell.text if cell.edit is None else cell.edit
        if role == TOOLTIP:
            return tooltip(cell.tip) or None
        if role == ALIGN and cell.number:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == FOREGROUND and cell.muted:
            return _muted_colour()
        if role == CHOICES_ROLE:
            return None if cell.choices is None else list(cell.choices)
        if role == FREE_TEXT_ROLE:
            return cell.free_text
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        cell = self._cell(index.row(), index.column())
        if not cell.enabled:
            return Qt.ItemFlag.ItemIsSelectable
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if cell.editable:
            f |= Qt.ItemFlag.ItemIsUserCheckable if cell.check is not None else Qt.ItemFlag.ItemIsEditable
        return f

    def headerData(self, section: int, orientation, role: int = DISPLAY):
        if role not in (DISPLAY, TOOLTIP):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.columnCount():
                return None
            title, tip = self._header(section)
        else:
            if not 0 <= section < self.rowCount():
                return None
            head = self._row_header(section)
            if head is None:
                return super().headerData(section, orientation, role)
            title, tip = head
        return title if role == DISPLAY else tooltip(tip) or None

    def setData(self, index: QModelIndex, value, role: int = EDIT) -> bool:
        """An edit of a cell: text typed (the edit role) or a box ticked (the check state role)."""
        if not index.isValid():
            return False
        flags = self.flags(index)
        if role == EDIT and flags & Qt.ItemFlag.ItemIsEditable:
            value = "" if value is None else str(value).strip()
        elif role == CHECK and flags & Qt.ItemFlag.ItemIsUserCheckable:
            value = getattr(value, "value", value) == Qt.CheckState.Checked.value
        else:
            return False
        accepted, undo_text = self._apply(lambda data: self._edit(data, index.row(), index.column(), value))
        if accepted and undo_text is None:  # kept by the model, not pushed: show it
            self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(self.columnCount() - 1))
        return accepted

    # -- one undo step ------------------------------------------------------------
    def _apply(self, change: Callable[[dict], str | None]) -> tuple[bool, str | None]:
        """Change a copy of the file data and push it as one undo step.

        Parameters
        ----------
        change : callable
            Changes the file data it is given; returns the undo text, or None
            when the model kept the edit itself and there is nothing to push.
            It raises :class:`EditRefused` to refuse.

        Returns
        -------
        accepted : bool
            False when refused: the refusal is emitted in words and nothing changed.
        undo_text : str or None
        """
        data = self._document.data()
        self._after_push = None
        try:
            undo_text = change(data)
            if undo_text is not None:
                self._document.push_data(data, undo_text)
        except EditRefused as exc:
            self.editRefused.emit(str(exc))
            return False, None
        except ScenarioError as exc:
            self.editRefused.emit(describe_problems(exc.problems, data))
            return False, None
        if undo_text is None:
            return True, None
        if self._after_push is not None:  # model state that follows the pushed scenario
            self._after_push()
            self._after_push = None
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.edited.emit(undo_text)
        return True, undo_text

    # -- rows -------------------------------------------------------------------
    def add_row(self, after: int | None = None) -> int | None:
        """Add an item of the model's kind with a fresh id.

        Parameters
        ----------
        after : int, optional
            The row to add it after; None: at the end.

        Returns
        -------
        int or None
            The new row, or None if refused (or the model has no rows to add).
        """
        if not self.can_add:
            return None
        row = None

        def add(data: dict) -> str:
            nonlocal row
            row = add_item(data, self.kind, after)
            return f"Add {named(data, self.kind, data[LIST_KEY[self.kind]][row]['id'])}"

        accepted, _undo_text = self._apply(add)
        return row if accepted else None

    def remove_row(self, row: int) -> bool:
        """Remove the item of ``row`` with what only makes sense with it.

        Parameters
        ----------
        row : int

        Returns
        -------
        bool
            False if refused (a rule names it, it is the last one, …).
        """
        if not self.can_add or not 0 <= row < self.rowCount():
            return False
        item_id = self._row_id(row)

        def remove(data: dict) -> str:
            text = f"Remove {named(data, self.kind, item_id)}"
            remove_item(data, self.kind, item_id)
            return text

        return self._apply(remove)[0]

    # -- settings -----------------------------------------------------------------
    def set_setting(self, name: str, on: bool) -> bool:
        """Turn a setting of the scenario on or off ("stationing"), as one undo step.

        Parameters
        ----------
        name : str
            The setting's file key.
        on : bool

        Returns
        -------
        bool
            False if refused (stationing without a location for every region, …).
        """
        def change(data: dict) -> str:
            set_setting(data, name, on)
            return f"Turn {field_words(name)} {'on' if on else 'off'}"

        return self._apply(change)[0]
