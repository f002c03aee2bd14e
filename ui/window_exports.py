"""The main window's exports: the chart on screen as a PNG, the allocation as CSV, the
briefing deck, and Excel workbooks out and in.

:class:`WindowExports` is a part of :class:`ui.main_window.MainWindow` (a mixin): its
methods read the window's tabs, document and last result, and ask where to write
through the window's file dialogs.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from planner import plots
from planner.csv_export import write_allocation_csv
from planner.fileio import ScenarioError
from planner.text import shown


class WindowExports:
    """Exports of :class:`ui.main_window.MainWindow`: what is on screen, written where the user says."""

    # -- exports -------------------------------------------------------------------------
    def _export_reason(self) -> str | None:
        """Why Export PNG cannot save what is on screen now (None: it can)."""
        if self._on_analyses_tab():
            view = self._analyses.widget
            return None if view is not None and view.result is not None else (
                "Run an analysis first, then export its chart")
        if self.charts.current_chart() is None:
            return ("This tab has no chart: switch to a chart tab (the Table tab exports as CSV, "
                    "File ▸ Export Allocation as CSV)")
        return None if self.last_result is not None else "No plan yet: the chart appears once it is solved"

    def _on_analyses_tab(self) -> bool:
        """Whether the Analyses tab is on screen (made yet or not: asking does not make it)."""
        current = self.charts.currentWidget()
        return current is self._analyses or (current is not None and current is self._analyses.widget)

    def _update_export(self) -> None:
        """Export PNG saves what is on screen: off, with the reason, where nothing can be saved."""
        reason = self._export_reason()
        tip = reason or "Save the chart on screen as a picture for slides (Ctrl+E)"
        for widget in (self.export_button, self.actionExportPng):
            widget.setEnabled(reason is None)
            widget.setToolTip(tip)

    def export_png(self) -> bool:
        """Save the chart on screen (a plan chart or the last analysis) as a slide picture."""
        reason = self._export_reason()
        if reason is not None:
            self.statusBar().showMessage(reason, 5000)
            return False
        w, h, _ = self.export_size.currentData()
        dpi = self.export_dpi.value()
        if self._on_analyses_tab():
            view = self._analyses.widget
            name = view.result_kind

            def write(path):
                plots.export_analysis_png(view.result, view.result_kind, path, size=(w, h), dpi=dpi,
                                          scenario=self.document.scenario)
        else:
            name = self.charts.current_chart()
            result, options = self.last_result, self.charts.chart_options(name)

            def write(path):
                plots.export_png(result, name, path, size=(w, h), dpi=dpi, date=_dt.date.today(), **options)

        path = self._ask_save_path("Export chart as PNG", f"{name}.png", "PNG images (*.png)")
        if path is None:
            return False
        path = path.with_suffix(".png")
        try:
            write(path)
        except (OSError, ValueError) as exc:
            self._write_failed("Cannot export the chart", path, exc)
            return False
        self.statusBar().showMessage(f"Exported {shown(path.name)} ({w}×{h})", 4000)
        return True

    def _ask_save_path(self, caption: str, suffix: str, file_filter: str) -> Path | None:
        """Ask where to save, starting as '<scenario>-<suffix>' in :meth:`_save_folder`."""
        stem = self.document.path.stem if self.document.path else "scenario"
        start = self._save_folder() / f"{stem}-{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, caption, str(start), file_filter)
        if not path or not self._may_write(Path(path), caption):
            return None
        return Path(path)

    def export_csv(self) -> bool:
        if self.last_result is None:
            return False
        path = self._ask_save_path("Export allocation as CSV", "allocation.csv", "CSV files (*.csv)")
        if path is None:
            return False
        try:
            write_allocation_csv(self.last_result, path)
        except OSError as exc:
            self._write_failed("Cannot export the allocation", path, exc)
            return False
        self.statusBar().showMessage(f"Exported {shown(path.name)}", 4000)
        return True

    def _current_result(self):
        """The plan of the scenario on screen: the last solve's, or one solved now if that is older."""
        if self.last_result is not None and self.last_result.scenario == self.document.scenario:
            return self.last_result
        from planner.solve import solve_scenario

        return solve_scenario(self.document.scenario)

    def export_briefing(self) -> bool:
        """Save a briefing deck of the plan, against the pinned baseline if there is one."""
        from planner.deck import write_briefing

        path = self._ask_save_path("Export briefing", "briefing.pptx", "PowerPoint presentations (*.pptx)")
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".pptx")
        base, base_name = self._baseline or (None, "")
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            slides = write_briefing(self._current_result(), path, base, base_name, date=_dt.date.today())
        except (OSError, ValueError) as exc:
            self._write_failed("Cannot export the briefing", path, exc)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Exported {shown(path.name)} ({slides} slides)", 4000)
        return True

    def export_workbook(self) -> bool:
        """Save the scenario and its plan as an Excel workbook."""
        from planner.workbook import write_workbook

        path = self._ask_save_path("Export workbook", "workbook.xlsx", "Excel workbooks (*.xlsx)")
        if path is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".xlsx")
        try:
            write_workbook(self.document.scenario, path, self._current_result())
        except OSError as exc:
            self._write_failed("Cannot export the workbook", path, exc)
            return False
        self.statusBar().showMessage(f"Exported {shown(path.name)}", 4000)
        return True

    def import_workbook(self, path=None) -> bool:
        """Open a scenario from an Excel workbook as a new, unsaved scenario. A workbook with
        problems changes nothing: they are listed, each by sheet and cell."""
        from planner.workbook import read_workbook

        if not self.maybe_save():
            return False
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Import workbook", str(self._save_folder()),
                                                  "Excel workbooks (*.xlsx);;All files (*)")
            if not path:
                return False
        try:
            scenario = read_workbook(path)
        except ScenarioError as exc:
            self._error("Cannot import the workbook", str(exc))
            return False
        self.document.replace(scenario, None)
        self.document.undo_stack.resetClean()  # imported work is not saved yet
        self._update_title()
        self.notice.hide()
        self.statusBar().showMessage(f"Imported {shown(Path(path).name)}: save it to keep it", 6000)
        return True
