"""The main window's files: new, open, save and save as, the recent files, the autosave
and the recovery of unsaved work after a crash.

:class:`WindowFiles` is a part of :class:`ui.main_window.MainWindow` (a mixin): its
methods act on the window's document and tell the user through its dialogs and
status bar.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox

from planner.bundled import default_scenario_path, is_bundled
from planner.fileio import ScenarioError
from planner.scenario import blank_scenario
from planner.text import shown

from .display import message, tooltip

APP_NAME = "Mandate Planner"
MAX_RECENT = 8
FILE_FILTER = "Mandate Planner scenarios (*.json);;All files (*)"
PATH_CHARS = 200  # a path quoted in a message


class WindowFiles:
    """Files of :class:`ui.main_window.MainWindow`: what is read and written, and how work is never lost."""

    # -- files ------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False means the user cancelled."""
        if not self.document.is_modified:
            return True
        answer = QMessageBox.warning(
            self, APP_NAME,
            message(f"Save the changes to “{self._file_name()}”?"),
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save,
        )
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_file(self):
        if self.maybe_save():
            self.document.replace(blank_scenario(), None)

    def open_file(self, path=None):
        if not self.maybe_save():
            return False
        if not path:
            start = str(self.document.path.parent if self.document.path else default_scenario_path().parent)
            path, _ = QFileDialog.getOpenFileName(self, "Open scenario", start, FILE_FILTER)
            if not path:
                return False
        return self.load(Path(path))

    def load(self, path: Path) -> bool:
        try:
            self.document.open(path)
        except ScenarioError as exc:
            self._error("Cannot open the scenario", str(exc))
            return False
        self._remember_recent(path)
        self.notice.hide()
        return True

    def save(self) -> bool:
        """Save to the open file; a new file or a template asks for a name first."""
        if self.document.path is None or self.document.is_template:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        start = self._save_folder() / (self.document.path.name if self.document.path else "scenario.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save scenario as", str(start), FILE_FILTER)
        if not path:
            return False
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".json")
        return self._save_to(path)

    def _save_folder(self) -> Path:
        """Where a save dialog starts: beside the open file, unless that came with the program."""
        if self.document.path is not None and not self.document.is_template:
            return self.document.path.parent
        documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def _may_write(self, path: Path, title: str) -> bool:
        """False, having said why, for a path among the scenarios that come with the program."""
        if not is_bundled(path):
            return True
        self._error(title, f"“{shown(path.name)}” would go in the folder of the scenarios that come with "
                           "Mandate Planner, which is never written to.\n\nNothing was saved: choose a file "
                           "in another folder.")
        return False

    def _write_failed(self, title: str, path, exc: Exception, advice: str = "") -> None:
        self._error(title, f"{shown(str(path), PATH_CHARS)}: {getattr(exc, 'strerror', None) or exc}{advice}")

    def _save_to(self, path: Path) -> bool:
        if not self._may_write(path, "Cannot save the scenario"):
            return False
        try:
            self.document.save(path)
        except OSError as exc:
            self._write_failed("Cannot save the scenario", path, exc,
                               "\n\nYour changes are kept; try another folder.")
            return False
        self._remember_recent(path)
        self.statusBar().showMessage(f"Saved {shown(path.name)}", 4000)
        return True

    def _remember_recent(self, path: Path):
        path = str(Path(path).resolve())
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", [path] + recent[: MAX_RECENT - 1])

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _fill_recent_menu(self):
        self.recent_menu.clear()
        files = self.recent_files()
        for i, p in enumerate(files):
            act = self.recent_menu.addAction(f"&{i + 1} " + shown(Path(p).name).replace("&", "&&"))
            act.setToolTip(tooltip(p))
            act.setEnabled(Path(p).exists())
            act.triggered.connect(lambda _checked=False, p=p: self.open_file(p))
        if not files:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # -- autosave and recovery ------------------------------------------------------------
    def autosave(self) -> bool:
        """Write unsaved changes to the recovery folder (nothing to do when clean)."""
        if not self.document.is_modified:
            self.recovery.clear()
            return False
        try:
            self.recovery.write(self.document.scenario, self.document.path)
        except OSError as exc:
            self.statusBar().showMessage(f"Autosave failed: {shown(exc.strerror or str(exc))}", 8000)
            return False
        return True

    def offer_recovery(self) -> bool:
        """After a crash: offer the unsaved changes another run left behind."""
        copies = self.recovery.orphans()
        if not copies:
            return False
        newest = copies[0]
        when = _dt.datetime.fromtimestamp(newest.saved_at).strftime("%d %b %Y %H:%M")
        name = shown(newest.original.name) if newest.original else "an unsaved scenario"
        answer = QMessageBox.question(
            self, "Recover unsaved changes?",
            message(f"Mandate Planner did not close properly. Unsaved changes to {name} "
                    f"from {when} were kept.\n\nRecover them? (No discards them.)"),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes,
        )
        recovered = False
        if answer == QMessageBox.Yes:
            try:
                scenario = newest.load()
            except (OSError, ScenarioError) as exc:
                self._error("Cannot recover the changes", str(exc))
            else:
                self.document.replace(scenario, newest.original)
                self.document.undo_stack.resetClean()  # recovered work is not saved yet
                self._update_title()
                recovered = True
        for copy in copies:
            if recovered or answer == QMessageBox.No:
                copy.discard()
        return recovered

    def save_copy(self) -> bool:
        """Save the scenario to another file without changing which file is open."""
        from planner.fileio import save_scenario

        start = str(self._save_folder() / "scenario-copy.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy", start, FILE_FILTER)
        if not path or not self._may_write(Path(path), "Cannot save the copy"):
            return False
        try:
            save_scenario(self.document.scenario, path)
        except OSError as exc:
            self._write_failed("Cannot save the copy", path, exc)
            return False
        return True
