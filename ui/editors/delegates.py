"""How a cell is edited in the view: a combo box where the model offers choices."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from .base import CHOICES_ROLE, EDIT, FREE_TEXT_ROLE


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box for cells that offer choices (basis, kind, zone, …), a line edit otherwise."""

    def createEditor(self, parent, option, index):
        choices = index.data(CHOICES_ROLE)
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setEditable(bool(index.data(FREE_TEXT_ROLE)))
        combo.addItems([str(c) for c in choices])
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if not combo.isEditable():
            # a pick from a closed list is the whole edit: commit it at once
            combo.activated.connect(lambda _i, c=combo: self._commit(c))
        return combo

    def eventFilter(self, editor, event) -> bool:  # noqa: N802 (Qt's name)
        # An edit resets the model, which hides and later deletes the editor;
        # its focus-out on the way must not commit it a second time.
        if event.type() == QEvent.Type.FocusOut and not editor.isVisible():
            return False
        return super().eventFilter(editor, event)

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            text = index.data(EDIT) or ""
            i = editor.findText(text)
            if i >= 0:
                editor.setCurrentIndex(i)
            elif editor.isEditable():
                editor.setCurrentIndex(-1)
                editor.setEditText(text)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), EDIT)
            return
        super().setModelData(editor, model, index)
