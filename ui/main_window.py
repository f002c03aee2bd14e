"""The main window: priorities on the left, charts and data in the middle,
insights on the right; files, undo and exports in the menus."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QProxyStyle,
    QStyle,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.plots.style import PRESET_DPI, SIZE_PRESETS
from planner.bundled import default_scenario_path
from planner.fileio import ScenarioError, load_scenario
from planner.scenario import blank_scenario
from planner.text import shown, shown_path

from .chart_views import ChartTabs, DeferredTab
from .display import clipped, message, no_plan_text, plain_label
from .document import Document
from .explain_views import BaselineView, ScenarioHeader, about_dialog, how_chosen_dialog
from .insights import InsightsPanel
from .priorities import PrioritiesPanel
from .recovery import RecoveryStore
from .solver import SolveController, WarmSolver
from .window_exports import WindowExports
from .window_files import APP_NAME, FILE_FILTER, MAX_RECENT, PATH_CHARS, WindowFiles  # noqa: F401 - read from here too

AUTOSAVE_MS = 60_000


def app_settings() -> QSettings:
    """Where recent files live; ``MANDATE_PLANNER_SETTINGS`` points it at a file (tests)."""
    path = os.environ.get("MANDATE_PLANNER_SETTINGS")
    if path:
        return QSettings(path, QSettings.IniFormat)
    return QSettings("MandatePlanner", APP_NAME)


class CompactTabStyle(QProxyStyle):
    """The application's style with half its space around a tab's text, so that every tab of
    the chart area shows at 1366 px wide without scrolling."""

    def pixelMetric(self, metric, option=None, widget=None):
        value = super().pixelMetric(metric, option, widget)
        return value // 2 if metric == QStyle.PM_TabBarTabHSpace else value


class MainWindow(WindowFiles, WindowExports, QMainWindow):
    def __init__(self, path: Path | None = None, parent=None, head_start=None):
        """head_start: a ``ui.head_start.HeadStart`` solving ``path`` in another process (its
        plan is the first shown if the file loads as it did there)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = app_settings()
        start_problem = None
        path = Path(path) if path else default_scenario_path()
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            start_problem = str(exc)
            scenario, path = blank_scenario(), None
        self.document = Document(scenario, path, self)
        self.solver = SolveController(self, solve=WarmSolver(head_start))
        # solved on the solve thread while the window is built (the result is delivered
        # by the event loop, so the connections made below receive it)
        self.solver.request(scenario, immediate=True)
        self.recovery = RecoveryStore()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self.last_result = None
        self._baseline = None  # (Result, what it is) once a plan is pinned

        self._build_actions()
        self._build_menus()
        self._build_layout()
        self._update_export()
        self.statusBar().showMessage("Solving…")

        self.document.scenarioChanged.connect(self._on_scenario_changed)
        self.document.cleanChanged.connect(self._on_clean_changed)
        self.document.pathChanged.connect(lambda _p: self._update_title())
        self.solver.resultReady.connect(self._on_result)
        self.solver.gainsReady.connect(self.insights.show_gains)
        self.solver.solveFailed.connect(self._on_solve_failed)
        self._update_title()
        if path is not None:
            self._remember_recent(path)
        if start_problem:
            self.show_notice(f"Could not open the file — {start_problem}")
        self._initial_size()

    # -- building -----------------------------------------------------------------
    def _action(self, name, text, slot, shortcut=None, tip=None):
        act = QAction(text, self)
        act.setObjectName(name)
        if shortcut is not None:
            act.setShortcut(shortcut)
        if tip:
            act.setStatusTip(tip)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self):
        stack = self.document.undo_stack
        self.actionNew = self._action("actionNew", "&New", self.new_file, QKeySequence.New)
        self.actionOpen = self._action("actionOpen", "&Open…", self.open_file, QKeySequence.Open)
        self.actionSave = self._action("actionSave", "&Save", self.save, QKeySequence.Save)
        self.actionSaveAs = self._action("actionSaveAs", "Save &As…", self.save_as, QKeySequence.SaveAs)
        self.actionExportPng = self._action(
            "actionExportPng", "Export Chart as &PNG…", self.export_png, QKeySequence("Ctrl+E"),
            "Save the chart on screen as a picture for slides",
        )
        self.actionExportCsv = self._action(
            "actionExportCsv", "Export Allocation as &CSV…", self.export_csv, None,
            "Save the allocation table for a spreadsheet",
        )
        self.actionExportBriefing = self._action(
            "actionExportBriefing", "Export &Briefing…", self.export_briefing, None,
            "Save a slide deck of the plan (PowerPoint, Impress), against the baseline when one is pinned",
        )
        self.actionExportWorkbook = self._action(
            "actionExportWorkbook", "Export &Workbook…", self.export_workbook, None,
            "Save the scenario and its plan as an Excel workbook, a sheet per table",
        )
        self.actionImportWorkbook = self._action(
            "actionImportWorkbook", "&Import Workbook…", self.import_workbook, None,
            "Open a scenario from an Excel workbook; each problem is named by sheet and cell",
        )
        self.actionQuit = self._action("actionQuit", "&Quit", self.close, QKeySequence.Quit)
        self.actionPinBaseline = self._action(
            "actionPinBaseline", "&Pin as Baseline", self.pin_baseline, QKeySequence("Ctrl+B"),
            "Keep the plan on screen as the baseline; the Baseline tab shows what changes against it",
        )
        self.actionPinFileBaseline = self._action(
            "actionPinFileBaseline", "Pin a &File as Baseline…", self.pin_file_baseline, None,
            "Solve another scenario file (a variant) and compare the plan now against it",
        )
        self.actionClearBaseline = self._action(
            "actionClearBaseline", "&Clear Baseline", self.clear_baseline, None, "Forget the baseline",
        )
        self.actionElicitWeights = self._action(
            "actionElicitWeights", "Set &Weights from Judgements…", self.show_weights_dialog, None,
            "Swing weighting or pairwise comparison of the tasks; the weights follow as one undoable edit",
        )
        self.actionPanel = self._action(
            "actionPanel", "Stakeholder &Panel…", self.show_panel_editor, None,
            "The panel's members and their weights, for the panel and robustness analyses",
        )
        self.actionAboutScenario = self._action(
            "actionAboutScenario", "About this &Scenario", self.show_about_scenario, QKeySequence("F1"),
            "The scenario's description, every source, and each object's note",
        )
        self.actionHowChosen = self._action(
            "actionHowChosen", "&How the Plan Is Chosen", self.show_how_chosen, None,
            "What the score means and does not mean, and what the model leaves out",
        )
        self.actionUndo = stack.createUndoAction(self, "&Undo")
        self.actionUndo.setObjectName("actionUndo")
        self.actionUndo.setShortcut(QKeySequence.Undo)
        self.actionRedo = stack.createRedoAction(self, "&Redo")
        self.actionRedo.setObjectName("actionRedo")
        self.actionRedo.setShortcut(QKeySequence.Redo)
        self.addAction(self.actionUndo)
        self.addAction(self.actionRedo)

    def _build_menus(self):
        m = self.menuBar().addMenu("&File")
        m.addAction(self.actionNew)
        m.addAction(self.actionOpen)
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addAction(self.actionImportWorkbook)
        m.addSeparator()
        m.addAction(self.actionSave)
        m.addAction(self.actionSaveAs)
        m.addSeparator()
        m.addAction(self.actionExportPng)
        m.addAction(self.actionExportCsv)
        m.addAction(self.actionExportBriefing)
        m.addAction(self.actionExportWorkbook)
        m.addSeparator()
        m.addAction(self.actionQuit)
        e = self.menuBar().addMenu("&Edit")
        e.addAction(self.actionUndo)
        e.addAction(self.actionRedo)
        bar = self.addToolBar("Main")
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        for act in (self.actionNew, self.actionOpen, self.actionSave, None, self.actionUndo,
                    self.actionRedo, None, self.actionExportPng):
            if act is None:
                bar.addSeparator()
            else:
                bar.addAction(act)
        plan = self.menuBar().addMenu("&Plan")
        plan.addAction(self.actionPinBaseline)
        plan.addAction(self.actionPinFileBaseline)
        plan.addAction(self.actionClearBaseline)
        plan.addSeparator()
        plan.addAction(self.actionElicitWeights)
        plan.addAction(self.actionPanel)
        h = self.menuBar().addMenu("&Help")
        h.addAction(self.actionAboutScenario)
        h.addAction(self.actionHowChosen)
        h.addSeparator()
        about = QAction("&About Mandate Planner", self)
        about.triggered.connect(self._about)
        h.addAction(about)

    def _build_layout(self):
        self.notice = QWidget()
        self.notice.setObjectName("noticeBar")
        nl = QHBoxLayout(self.notice)
        nl.setContentsMargins(8, 4, 4, 4)
        self.notice_text = plain_label()
        self.notice_text.setWordWrap(True)
        self.notice_text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.notice.hide)
        nl.addWidget(self.notice_text, 1)
        nl.addWidget(close)
        self.notice.setStyleSheet("#noticeBar { background: #fff4e5; border-bottom: 1px solid #f0c36d; }")
        self.notice.hide()

        self.priorities = PrioritiesPanel(self.document)
        self.priorities.dragFinished.connect(self._on_drag_finished)
        left = QScrollArea()
        left.setObjectName("prioritiesArea")
        left.setWidgetResizable(True)
        left.setWidget(self.priorities)
        left.setMinimumWidth(280)
        left.setFrameShape(QScrollArea.NoFrame)

        self.charts = ChartTabs()
        # made when first shown or asked for: the window starts without their imports
        self._analyses = DeferredTab(self.charts, self._make_analyses, "Analyses",
                                     "Budget curve, weight stability, robustness, Pareto frontier, panel, comparison")
        self._editors = DeferredTab(self.charts, self._make_editors, "Data",
                                    "The scenario's data: tasks, regions, capabilities, effects, demand, resources, "
                                    "rules, periods and posture")
        self.baseline = BaselineView()
        self.charts.addTab(self.baseline, "Baseline")
        self.charts.setTabToolTip(self.charts.count() - 1, "The pinned baseline against the plan now")
        self._tab_style = CompactTabStyle()
        self._tab_style.setParent(self)
        self.charts.tabBar().setStyle(self._tab_style)
        self.header = ScenarioHeader()

        export_row = QHBoxLayout()
        export_row.setContentsMargins(4, 2, 4, 2)
        export_row.addStretch(1)
        export_row.addWidget(QLabel("Slide size"))
        self.export_size = QComboBox()
        self.export_size.setObjectName("exportSize")
        for label, (w, h) in SIZE_PRESETS.items():
            self.export_size.addItem(label, (w, h, PRESET_DPI[label]))
        self.export_size.currentIndexChanged.connect(self._on_size_preset)
        export_row.addWidget(self.export_size)
        export_row.addWidget(QLabel("DPI"))
        self.export_dpi = QSpinBox()
        self.export_dpi.setObjectName("exportDpi")
        self.export_dpi.setRange(50, 600)
        export_row.addWidget(self.export_dpi)
        export_button = QPushButton("Export PNG…")
        export_button.setObjectName("exportPngButton")
        export_button.clicked.connect(self.export_png)
        export_row.addWidget(export_button)
        self.export_button = export_button
        self.charts.currentChanged.connect(lambda _i: self._update_export())
        self._on_size_preset(0)

        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.setSpacing(0)
        ml.addWidget(self.charts, 1)
        ml.addLayout(export_row)

        self.insights = InsightsPanel()
        right = QScrollArea()
        right.setObjectName("insightsArea")
        right.setWidgetResizable(True)
        right.setWidget(self.insights)
        right.setMinimumWidth(260)
        right.setFrameShape(QScrollArea.NoFrame)

        splitter = QSplitter(Qt.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([310, 760, 296])
        splitter.setChildrenCollapsible(False)

        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(self.header)
        cl.addWidget(self.notice)
        cl.addWidget(splitter, 1)
        self.setCentralWidget(central)

    def _initial_size(self):
        """The last size the user left, else as much as a 1366x768 laptop screen offers."""
        geometry = self.settings.value("windowGeometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1440, 900
        if screen is not None and screen.width() > 0:
            width, height = min(width, screen.width()), min(height, screen.height())
        self.resize(width, height)

    # -- showing --------------------------------------------------------------------
    def show_notice(self, text: str):
        self.notice_text.setText(clipped(text))
        self.notice.show()

    def _file_name(self) -> str:
        """The open file's name as messages quote it."""
        return shown(self.document.path.name) if self.document.path else "Untitled"

    def _update_title(self):
        template = " (template)" if self.document.is_template else ""
        self.setWindowTitle(f"{self._file_name()}{template}[*] — {APP_NAME}")
        self.setWindowModified(self.document.is_modified)
        self.header.show_scenario(self.document.scenario, self._where())

    def _where(self) -> str:
        """Where the scenario on screen comes from, for the header."""
        if self.document.is_template:
            return f"bundled scenario {self._file_name()}, opened as a template (Save asks for a new file)"
        return self._file_name() if self.document.path else "not saved yet"

    def _on_clean_changed(self, clean: bool):
        self._update_title()
        if clean:
            self.recovery.clear()

    def _on_scenario_changed(self, scenario):
        self.statusBar().showMessage("Solving…")
        self.solver.request(scenario, provisional=self.priorities.dragging)
        self.header.show_scenario(scenario, self._where())

    def _on_drag_finished(self):
        """On release, the plan of the final position, solved as the command line solves it,
        replaces the drag's (provisional with whole units, warm-started either way)."""
        self.solver.request(self.document.scenario, immediate=True)

    def _on_result(self, result, _model):
        self.last_result = result
        self.insights.show_result(result, provisional=self.solver.provisional)
        self.charts.set_result(result, live=self.solver.live)
        self._update_export()
        self._show_baseline()
        if result.ok:
            self.statusBar().showMessage(
                f"Score {result.score:.1f} · solved in {1000 * result.solve_seconds:.0f} ms"
            )
        else:
            self.statusBar().showMessage(f"{no_plan_text(result)} — see the banner")

    # -- baseline and explanations ---------------------------------------------------------
    def pin_baseline(self) -> bool:
        """Keep the plan on screen as the baseline."""
        if self.last_result is None:
            return False
        when = _dt.datetime.now().strftime("%H:%M")
        self._baseline = (self.last_result, f"the plan pinned at {when}")
        self._show_baseline()
        self.charts.setCurrentWidget(self.baseline)
        self.statusBar().showMessage("Pinned as the baseline: the Baseline tab shows what changes", 4000)
        return True

    def pin_file_baseline(self, path=None) -> bool:
        """Solve another scenario file and pin its plan as the baseline."""
        if path is None:
            start = str(self.document.path.parent) if self.document.path else str(default_scenario_path().parent)
            chosen, _ = QFileDialog.getOpenFileName(self, "Pin a scenario as the baseline", start,
                                                    "Scenario files (*.json);;All files (*)")
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self._error("Cannot pin this file as the baseline", str(exc))
            return False
        from planner.solve import solve_scenario

        self._baseline = (solve_scenario(scenario), shown_path(path.name))
        self._show_baseline()
        self.charts.setCurrentWidget(self.baseline)
        return True

    def clear_baseline(self):
        self._baseline = None
        self.baseline.show_empty()

    def _show_baseline(self):
        if self._baseline is None or self.last_result is None:
            return
        base, name = self._baseline
        from planner.baseline import baseline_delta  # with the first baseline, not the window

        self.baseline.show_delta(baseline_delta(base, self.last_result, name))

    def _make_analyses(self):
        from .analyses_view import AnalysesView

        view = AnalysesView(self.document)
        view.finished.connect(lambda _r: self._update_export())
        return view

    def _make_editors(self):
        from .editors import EditorsWidget

        return EditorsWidget(self.document)

    @property
    def analyses(self):
        return self._analyses.get()

    @property
    def editors(self):
        return self._editors.get()

    def show_weights_dialog(self):
        from .elicit_dialog import WeightsDialog

        self._weights_dialog = WeightsDialog(self.document, self)
        self._weights_dialog.show()
        return self._weights_dialog

    def show_panel_editor(self):
        if getattr(self, "_panel_editor", None) is None:
            from .panel_editor import PanelEditor

            self._panel_editor = PanelEditor(self.document, self)
        self._panel_editor.show()
        self._panel_editor.raise_()
        return self._panel_editor

    def show_about_scenario(self):
        self._about_dialog = about_dialog(self, self.document.scenario)
        self._about_dialog.show()
        return self._about_dialog

    def show_how_chosen(self):
        self._how_dialog = how_chosen_dialog(self, self.document.scenario)
        self._how_dialog.show()
        return self._how_dialog

    def _on_solve_failed(self, text):
        self.insights.show_error(text)
        self.statusBar().showMessage("The solver failed")

    def _on_size_preset(self, index):
        data = self.export_size.itemData(index)
        if data:
            self.export_dpi.setValue(data[2])

    # -- misc ------------------------------------------------------------------------------
    def _error(self, title: str, text: str):
        QMessageBox.critical(self, title, message(text))

    def _about(self):
        QMessageBox.about(
            self, f"About {APP_NAME}",
            "<b>Mandate Planner</b><br>Prioritise a peacekeeping mandate against the resources "
            "that carry it out: a linear program (SciPy / HiGHS) decides what to generate and "
            "where, on what and when to employ it.",
        )

    def closeEvent(self, event):  # noqa: N802
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave_timer.stop()
        if self._analyses.widget is not None:
            self.analyses.cancel()
            self.analyses.wait()
        self.solver.shutdown()
        self.recovery.clear()
        self.settings.setValue("windowGeometry", self.saveGeometry())
        event.accept()


def create_main_window(path=None) -> MainWindow:
    return MainWindow(path)
