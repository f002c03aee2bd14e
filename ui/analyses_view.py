"""The Analyses tab: pick an analysis, run it off the GUI thread with progress
and Cancel, and read its chart and its plain-language account."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # after PySide6
from matplotlib.figure import Figure

from planner import analyses
from planner.analyses.registry import ANALYSES
from planner.analyses.report import describe
from planner.fileio import ScenarioError, load_scenario
from planner.plots import ANALYSIS_CHARTS
from planner.plots.style import elide
from planner.solve import solve
from planner.text import shown

from .display import clipped, no_plan_text, plain_label
from .document import Document
from .errors import log_exception
from .jobs import JobRunner

KINDS = tuple((a.kind, a.label) for a in ANALYSES.values())


def _failure_text(exc: BaseException) -> str:
    """What the tab says when an analysis ends without a result."""
    if isinstance(exc, analyses.InfeasibleScenario):
        return no_plan_text(getattr(exc, "result", None))
    if isinstance(exc, (analyses.AnalysisError, KeyError)):
        return str(exc.args[0]) if exc.args else str(exc)
    return f"{type(exc).__name__}: {exc}"


def _note(text: str, tip: str) -> QLabel:
    """A short line beside the Run button (room for it at 1366 px), the whole sentence on hover."""
    label = QLabel(text)
    label.setToolTip(tip)
    return label


def _with_plan(curve, scenario):
    """The budget curve, unless the scenario as it stands has no plan: then raise, saying why."""
    if curve.current.feasible:
        return curve
    raise analyses.InfeasibleScenario(solve(scenario))


COMBO_CHARS = 20  # a resource's or task's name in a choice box, at most (whole in its tooltip)

class AnalysesView(QWidget):
    """One analysis at a time, on the scenario as it is when Run is pressed."""

    finished = Signal(object)  # the analysis result

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self._doc = document
        self._runner = JobRunner(self)
        self._runner.progressed.connect(self._on_progress)
        self._runner.finished.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self.result = None
        self.result_kind: str | None = None
        self.result_scenario = None  # the scenario the result on screen was computed for
        self._stale_note = None  # the "out of date" mark on the chart, while there is one
        self._done_text = ""
        self._compare_paths: list[str] = []

        self.kind = QComboBox()
        self.kind.setObjectName("analysisKind")
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.params = QStackedWidget()
        self._build_params()
        self.kind.currentIndexChanged.connect(self.params.setCurrentIndex)

        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("analysisRun")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("analysisCancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setObjectName("analysisProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.status = plain_label("Choose an analysis and press Run.")
        self.status.setObjectName("analysisStatus")
        self.status.setWordWrap(True)

        # Narrow combos: long task names must not widen the window past a laptop screen.
        for combo in self.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.params.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        top = QHBoxLayout()
        top.addWidget(QLabel("Analysis"))
        top.addWidget(self.kind)
        top.addWidget(self.params, 1)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)

        self.figure = Figure(layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setObjectName("analysisCanvas")
        self.text = QPlainTextEdit()
        self.text.setObjectName("analysisText")
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(2000)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.canvas)
        split.addWidget(self.text)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        document.scenarioChanged.connect(self._on_scenario_changed)
        self._on_scenario_changed(document.scenario)

    # -- parameters -------------------------------------------------------------------
    def _page(self, *rows):
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.DontWrapRows)
        row = QHBoxLayout()
        for label, widget in rows:
            if label:
                row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)
        form.addRow(row)
        self.params.addWidget(page)

    def _build_params(self):
        self.budget_resource = QComboBox()
        self.budget_resource.setObjectName("budgetResource")
        self.budget_points = QSpinBox()
        self.budget_points.setRange(3, 101)
        self.budget_points.setValue(21)
        self._page(("Resource", self.budget_resource), ("Points", self.budget_points))
        self._page(("", _note("Each weight's range before the plan changes",
                              "How far each task's weight can move, the others rescaled in proportion, "
                              "before the set of new capabilities changes: every change at its exact share")))
        self.smaa_mode = QComboBox()
        self.smaa_mode.setObjectName("smaaMode")
        self.smaa_mode.addItem("Any weighting", "simplex")
        self.smaa_mode.addItem("Around the current weights", "around")
        self.smaa_mode.addItem("The stakeholder panel", "panel")
        self.smaa_samples = QSpinBox()
        self.smaa_samples.setObjectName("smaaSamples")
        self.smaa_samples.setRange(10, 100_000)
        self.smaa_samples.setSingleStep(500)
        self.smaa_samples.setValue(1000)
        self.smaa_spread = QDoubleSpinBox()
        self.smaa_spread.setRange(1, 100)
        self.smaa_spread.setValue(20)
        self.smaa_spread.setSuffix(" %")
        self._page(("Weights", self.smaa_mode), ("Samples", self.smaa_samples), ("±", self.smaa_spread))
        self.pareto_a, self.pareto_b = QComboBox(), QComboBox()
        self.pareto_a.setObjectName("paretoTaskA")
        self.pareto_b.setObjectName("paretoTaskB")
        self._page(("Between", self.pareto_a), ("and", self.pareto_b))
        self._page(("", _note("Each member's best plan against the compromise",
                              "Each panel member's own best plan against the panel's compromise plan, "
                              "and what the compromise costs each of them")))
        self.compare_button = QPushButton("Choose scenarios…")
        self.compare_button.setObjectName("compareChoose")
        self.compare_button.clicked.connect(self._choose_compare)
        self.compare_label = plain_label("none chosen")
        self._page(("", self.compare_button), ("", self.compare_label))
        self.alternatives_within = QDoubleSpinBox()
        self.alternatives_within.setObjectName("alternativesWithin")
        self.alternatives_within.setRange(0.0, 100.0)
        self.alternatives_within.setDecimals(2)
        self.alternatives_within.setSingleStep(0.05)
        self.alternatives_within.setValue(0.1)
        self.alternatives_within.setSuffix(" points")
        self.alternatives_count = QSpinBox()
        self.alternatives_count.setObjectName("alternativesCount")
        self.alternatives_count.setRange(1, 100)
        self.alternatives_count.setValue(10)
        self._page(("Whole-unit plans within", self.alternatives_within), ("of the best, at most",
                                                                           self.alternatives_count))

    def _on_scenario_changed(self, s):
        self._mark_staleness()
        refilled = set()
        for combo, items in (
            (self.budget_resource, [(q.name, q.id) for q in s.resources]),
            (self.pareto_a, [(t.name, t.id) for t in s.tasks]),
            (self.pareto_b, [(t.name, t.id) for t in s.tasks]),
        ):
            current = combo.currentData()
            if [combo.itemData(i) for i in range(combo.count())] == [i for _, i in items]:
                continue
            refilled.add(combo)
            combo.blockSignals(True)
            combo.clear()
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # a name is read whole or elided, not cut
            for name, item_id in items:
                combo.addItem(elide(name, COMBO_CHARS), item_id)
                combo.setItemData(combo.count() - 1, name, Qt.ToolTipRole)
            index = combo.findData(current)
            combo.setCurrentIndex(index if index >= 0 else 0)
            combo.blockSignals(False)
        if self.pareto_b.count() > 1 and self.pareto_b.currentIndex() == self.pareto_a.currentIndex():
            self.pareto_b.setCurrentIndex(1)
        generated = [i for i, q in enumerate(s.resources) if q.basis == "generated"]
        if generated and self.budget_resource in refilled and self.result is None:
            self.budget_resource.setCurrentIndex(generated[0])

    def _choose_compare(self):
        paths, _ = QFileDialog.getOpenFileNames(self, "Compare with", "", "Mandate Planner scenarios (*.json)")
        if paths:
            self._compare_paths = paths
            self.compare_label.setText(", ".join(shown(Path(p).name) for p in paths))

    # -- running ----------------------------------------------------------------------
    def job(self, kind: str):
        """The analysis to run, as a function of ``progress`` (built on the GUI thread)."""
        s = self._doc.scenario
        if kind == "budget":
            resource, points = self.budget_resource.currentData(), self.budget_points.value()
            return lambda progress: _with_plan(analyses.budget_curve(s, resource, points, progress=progress), s)
        if kind == "stability":
            return lambda progress: analyses.weight_stability(s, progress=progress)
        if kind == "smaa":
            mode, samples = self.smaa_mode.currentData(), self.smaa_samples.value()
            spread = self.smaa_spread.value() / 100.0
            # executor None: the sweep decides when a run is large enough for every core
            return lambda progress: analyses.smaa(s, samples=samples, mode=mode, spread=spread,
                                                  progress=progress, executor=None)
        if kind == "pareto":
            a, b = self.pareto_a.currentData(), self.pareto_b.currentData()
            if a == b:
                raise analyses.AnalysisError("choose two different tasks")
            return lambda progress: analyses.pareto(s, a, b, progress=progress)
        if kind == "panel":
            return lambda progress: analyses.panel_analysis(s, progress=progress)
        if kind == "alternatives":
            within, count = self.alternatives_within.value(), self.alternatives_count.value()
            return lambda progress: analyses.alternatives(s, within=within, count=count, progress=progress)
        if not self._compare_paths:
            raise analyses.AnalysisError("choose one or more scenario files to compare with")
        others = []
        for path in self._compare_paths:
            try:
                others.append(load_scenario(path))
            except ScenarioError as exc:
                raise analyses.AnalysisError(str(exc)) from None
        return lambda progress: analyses.compare(s, others)

    def run(self) -> bool:
        kind = self.kind.currentData()
        try:
            fn = self.job(kind)
        except analyses.AnalysisError as exc:
            self._show_status(str(exc), error=True)
            return False
        self._running_kind = kind
        self._running_scenario = self._doc.scenario
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._show_status(f"{self.kind.currentText()}: running…")
        self._runner.submit(fn)
        return True

    def cancel(self):
        """Stop the running analysis (it ends at its next progress check); nothing of it is shown."""
        was_running = self.is_running()
        self._runner.cancel()
        if was_running:
            self._idle()
            self.progress.setValue(0)
            self._show_status("Cancelled.")

    def is_running(self) -> bool:
        return self.cancel_button.isEnabled()

    def wait(self, msecs: int = 30000) -> bool:
        return self._runner.wait(msecs)

    def _idle(self):
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _show_status(self, text: str, error: bool = False):
        self.status.setText(clipped(text, lines=4))
        self.status.setStyleSheet("color: #a61b1b;" if error else "")

    def _on_progress(self, fraction):
        self.progress.setValue(round(1000 * min(max(fraction, 0.0), 1.0)))

    def _on_done(self, result):
        self._idle()
        self.progress.setValue(1000)
        kind = self._running_kind
        label = self.kind.itemText(self.kind.findData(kind))
        try:
            account = describe(result)
            ANALYSIS_CHARTS[kind][1](self.figure, result)
        except Exception:  # a result the view cannot show must not take the window with it
            log_exception(*sys.exc_info())
            self._clear()
            self._show_status(f"{label}: the result cannot be shown (the details are in the error log)",
                              error=True)
            return
        self.result, self.result_kind = result, kind
        self.result_scenario = self._running_scenario
        self._stale_note = None
        self.text.setPlainText(account)
        self.canvas.draw_idle()
        self._done_text = f"{label}: done in {getattr(result, 'seconds', 0.0):.1f} s"
        self._show_status(self._done_text)
        self._mark_staleness()
        self.finished.emit(result)

    @property
    def is_stale(self) -> bool:
        """The result on screen was computed for another scenario than the one open now."""
        return self.result is not None and self.result_scenario != self._doc.scenario

    def _mark_staleness(self):
        """Say plainly, on the chart and in the status line, when the result is out of date."""
        if self.result is None:
            return
        if self.is_stale and self._stale_note is None:
            self._stale_note = self.figure.text(
                0.5, 0.5, "Out of date — re-run", ha="center", va="center", fontsize=22, color="#a61b1b",
                alpha=0.85, bbox={"facecolor": "white", "edgecolor": "#a61b1b", "alpha": 0.85}, zorder=10)
            self.canvas.draw_idle()
            self._show_status("Out of date: the scenario changed since this analysis ran (its "
                              "'current plan' marks are for the old inputs). Press Run to re-run.", error=True)
        elif not self.is_stale and self._stale_note is not None:
            self._stale_note.remove()
            self._stale_note = None
            self.canvas.draw_idle()
            self._show_status(self._done_text)

    def _on_failed(self, exc):
        if isinstance(exc, analyses.Cancelled):  # stopped from its own progress check
            return
        self._idle()
        self._clear()
        self._show_status(_failure_text(exc), error=True)

    def _clear(self):
        """No result, no chart, no account: what was shown belongs to another run."""
        self.result = self.result_kind = self.result_scenario = None
        self._stale_note = None
        self.figure.clear()
        self.canvas.draw_idle()
        self.text.clear()

