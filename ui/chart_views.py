"""Chart tabs: the drawing functions of :mod:`planner.plots` on Qt canvases,
the sortable allocation table and, with stationing, the basing table.

Each canvas keeps one :class:`planner.plots.PlanChart`: a new result updates
its artists in place (a full rebuild only when the scenario's shape changes, or
when an update fails), and the canvas renders on the next event-loop pass
(``draw_idle``), once however many results came in between. Only the visible
chart follows each result; the others are marked stale and brought up to date
when their tab is shown.

matplotlib loads with the first chart drawn, not with the window: a canvas and its
figure are made when first needed (a result to draw, or a caller asking for them),
so the window is on screen before matplotlib's half second of imports.
"""

from __future__ import annotations

import math
import sys
import time

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer, Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.money import is_money
from planner.plots.style import elide, zone_label
from planner.plots.titles import PLAN_TITLES
from planner.result import Result

from .display import tooltip


# Short tab names; the charts' full titles head the exported pictures.
TAB_NAMES = {
    "allocation": "Allocation",
    "coverage": "Coverage",
    "timeline": "Timeline",
    "resources": "Resources",
    "map": "Map",
    "tasks": "Task scores",
}


FIRST_PAINT_WAIT_MS = 400  # the charts' imports start by then even if no paint of the window is seen
LIVE_GAP_S = 0.1  # during a drag, a chart renders at most once per this many seconds
TABLE_COLUMN_PX = 190  # a table column at most this wide (its text elided, the rest in the tooltip)
CHART_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_qtagg", "planner.plots")
# The charts' imports, one event-loop pass each (each step imports what it needs of the steps
# before): a result that comes meanwhile is shown in the panels at once, not after the last.
CHART_IMPORT_STEPS = (
    "matplotlib", "matplotlib.font_manager", "matplotlib.patches", "matplotlib.collections", "matplotlib.text",
    "matplotlib.backend_bases", "matplotlib.axis", "matplotlib.axes", "matplotlib.projections",
    *CHART_MODULES, "planner.plots.chart", "planner.plots.allocation", "planner.plots.registry",
)
MEASURE_CHARS = 32  # a resource's name in the allocation's "Count in" box, at most


def chart_modules_loaded() -> bool:
    """Whether matplotlib and the plan charts are imported (a chart can be drawn without waiting)."""
    return all(m in sys.modules for m in CHART_IMPORT_STEPS)


class _ChartModules(QObject):
    """Imports the charts' modules on the GUI thread, a step per event-loop pass, once."""

    loaded = Signal()  # the last step is done: charts waiting for them can be drawn

    def __init__(self):
        super().__init__()
        self.asked = False
        self._steps: list[str] = []

    def load_soon(self) -> None:
        if self.asked:
            return
        self.asked = True
        self._steps = [m for m in CHART_IMPORT_STEPS if m not in sys.modules]
        QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        import importlib

        if self._steps:
            importlib.import_module(self._steps.pop(0))
        if self._steps:
            QTimer.singleShot(0, self._step)
        else:
            self.loaded.emit()


_chart_modules: _ChartModules | None = None


def chart_modules() -> _ChartModules:
    """The one loader of the charts' modules (its ``loaded`` signal says when they are in)."""
    global _chart_modules
    if _chart_modules is None:
        _chart_modules = _ChartModules()
    return _chart_modules


def load_chart_modules_soon() -> None:
    """Import matplotlib and the plan charts on the GUI thread once it is idle, once.

    Asked for when the window is first painted, so that it is on screen first;
    the import (a quarter to half a second, all Python) then runs while the first
    plan is being solved (in the head start's process, or on the solve thread),
    one module per event-loop pass (:data:`CHART_IMPORT_STEPS`): a plan that comes
    meanwhile is shown in the panels at once and its chart drawn after the last step
    (:class:`ChartTabs` listens to ``chart_modules().loaded``). On the GUI thread,
    never on one of its own: two threads importing matplotlib at once can each find
    a module of its import cycles half made (an ImportError at start-up, seen when
    a fast first plan met a slow import).
    """
    if chart_modules_loaded():
        return
    chart_modules().load_soon()


class ChartCanvas(QWidget):
    """One chart on a Qt canvas."""

    canvasMade = Signal(object)  # the Qt canvas, once it replaces the placeholder

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.name = name
        self.title = PLAN_TITLES[name]
        self._figure = self._canvas = self._chart = None  # made when first needed
        self.options: dict = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if name == "allocation":
            row = QHBoxLayout()
            row.setContentsMargins(6, 4, 6, 0)
            row.addWidget(QLabel("Stack by"))
            self.stack_by = QComboBox()
            self.stack_by.setObjectName("allocationStackBy")
            self.stack_by.addItem("Task", "task")
            self.stack_by.addItem("Capability", "capability")
            self.stack_by.currentIndexChanged.connect(self._on_stack_by)
            row.addWidget(self.stack_by)
            row.addSpacing(12)
            row.addWidget(QLabel("Count in"))
            self.measure = QComboBox()
            self.measure.setObjectName("allocationMeasure")
            self.measure.setToolTip("Units count a battalion and a drone alike: count what the units "
                                    "employed use of a resource (personnel, cost) to compare them")
            self.measure.addItem("Units", "units")
            self.measure.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            self.measure.currentIndexChanged.connect(self._on_stack_by)
            row.addWidget(self.measure)
            row.addStretch(1)
            layout.addLayout(row)
        self._placeholder = QLabel()  # the canvas's place until it is made
        self._placeholder.setObjectName(f"chartPlaceholder_{name}")
        self._placeholder.setAlignment(Qt.AlignCenter)
        self._placeholder.setAutoFillBackground(True)
        self._placeholder.setStyleSheet("background: white; color: #666666")
        layout.addWidget(self._placeholder, 1)
        self.result: Result | None = None
        self.stale = True
        # A drag's results come faster than a chart renders: at most one render per LIVE_GAP_S,
        # the newest result at the end of the gap (the score follows every result meanwhile).
        self._rendered_at = -math.inf
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.timeout.connect(lambda: self.stale and self.redraw())

    @property
    def figure(self):
        """The chart's matplotlib figure (made, with its canvas, at the first call)."""
        if self._figure is None:
            self._make_canvas()
        return self._figure

    @property
    def canvas(self):
        """The chart's Qt canvas (made at the first call)."""
        if self._canvas is None:
            self._make_canvas()
        return self._canvas

    def _make_canvas(self):
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # after PySide6
        from matplotlib.figure import Figure

        self._figure = Figure(layout="constrained")
        self._canvas = FigureCanvasQTAgg(self._figure)
        self._canvas.setObjectName(f"chart_{self.name}")
        self._canvas.mpl_connect("draw_event", lambda _event: self._on_rendered())
        self.layout().replaceWidget(self._placeholder, self._canvas)
        self._placeholder.deleteLater()
        self._placeholder = None
        self.canvasMade.emit(self._canvas)

    @property
    def chart(self):
        """The :class:`planner.plots.PlanChart` drawn on the figure, with :attr:`options`."""
        if self._chart is None:
            from planner.plots import plan_chart

            self._chart = plan_chart(self.name, **self.options)
        return self._chart

    def _on_stack_by(self, _index):
        self.options["by"] = self.stack_by.currentData()
        self.options["measure"] = self.measure.currentData() or "units"
        self._chart = None  # other bars: drawn afresh
        self.redraw()

    def _fill_measures(self, scenario) -> None:
        """The measures of this scenario's resources; the choice kept where it still exists,
        else the first resource counted in persons (comparable across kinds of unit), else units."""
        from planner.plots.titles import measures

        wanted = measures(scenario)
        have = [(self.measure.itemData(i), self.measure.itemData(i, Qt.ToolTipRole) or self.measure.itemText(i))
                for i in range(self.measure.count())]
        if have == wanted:
            return
        current = self.measure.currentData() if have[1:] else None
        if current not in {m for m, _ in wanted}:
            persons = [q.id for q in scenario.resources if not is_money(q.unit)
                       and any((c.uses or {}).get(q.id) for c in scenario.capabilities)]
            current = persons[0] if persons else "units"
        blocked = self.measure.blockSignals(True)
        try:
            self.measure.clear()
            for m, label in wanted:
                self.measure.addItem(elide(label, MEASURE_CHARS), m)
                self.measure.setItemData(self.measure.count() - 1, label, Qt.ToolTipRole)
            self.measure.setCurrentIndex(max(0, self.measure.findData(current)))
        finally:
            self.measure.blockSignals(blocked)
        if self.options.get("measure") != current:
            self.options["measure"] = current
            self.options["by"] = self.stack_by.currentData()
            self._chart = None

    def set_result(self, result: Result, draw: bool, live: bool = False):
        """Show ``result`` (at once when ``draw``, else when next shown); ``live``: one of a
        drag's results, rendered at most once per :data:`LIVE_GAP_S`."""
        if self.name == "allocation":
            self._fill_measures(result.scenario)
        self.result = result
        self.stale = True
        if not draw:
            return
        if not chart_modules_loaded():  # drawn once they are in (ChartTabs), the panels show it now
            if self._placeholder is not None:
                self._placeholder.setText("Drawing the chart…")
            load_chart_modules_soon()
            return
        wait = LIVE_GAP_S - (time.perf_counter() - self._rendered_at) if live else 0.0
        if wait <= 0:
            self._catch_up.stop()
            self.redraw()
        elif not self._catch_up.isActive():
            self._catch_up.start(max(1, round(1000 * wait)))

    def _on_rendered(self):
        self._rendered_at = time.perf_counter()

    def redraw(self):
        if self.result is None:
            return
        self.chart.render(self.figure, self.result)  # in place when it can, else afresh
        self.canvas.draw_idle()
        self.stale = False


class AllocationModel(QAbstractTableModel):
    """The allocation, one row per capability × region × task × period."""

    COLUMNS = ("Capability", "Region", "Zone", "Task", "Period", "Units")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple] = []

    def set_result(self, result: Result):
        self.beginResetModel()
        s = result.scenario
        self._rows = [
            (s.capabilities[c].name, s.regions[r].name, zone_label(s.regions[r].zone), s.tasks[t].name, p,
             s.periods[p].name, float(u))
            for c, r, t, p, u in zip(
                result.alloc_capability.tolist(), result.alloc_region.tolist(),
                result.alloc_task.tolist(), result.alloc_period.tolist(), result.alloc_units.tolist(),
            )
        ] if result.ok else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 5:
                return f"{row[6]:.2f}"
            return row[col] if col < 4 else row[5]
        if role == Qt.UserRole:  # sort key
            return (row[0], row[1], row[2], row[3], row[4], row[6])[col]
        if role == Qt.ToolTipRole and col < 4:  # a name elided in a narrow column, whole
            return tooltip(row[col])
        if role == Qt.TextAlignmentRole and col == 5:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.COLUMNS[section]
        return None


NO_STATIONING = "This scenario does not station units (settings.stationing is off)"


class BasingModel(QAbstractTableModel):
    """Where the units are based: one row per capability and base, one column per period."""

    FIXED = ("Capability", "Base", "Zone")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple] = []
        self._periods: list[str] = []

    def set_result(self, result: Result):
        self.beginResetModel()
        s = result.scenario
        self._periods = [p.name for p in s.periods]
        cells: dict[tuple[int, int], list[float]] = {}
        if result.ok and s.stationing:
            b = result.basing
            for c, h, p, u in zip(b.capability.tolist(), b.base.tolist(), b.period.tolist(), b.units.tolist()):
                cells.setdefault((c, h), [0.0] * len(s.periods))[p] += u
        self._rows = sorted(
            ((s.capabilities[c].name, s.regions[h].name, zone_label(s.regions[h].zone), *units)
             for (c, h), units in cells.items() if max(units) > 1e-6),
            key=lambda row: (row[0], row[1]))
        self.endResetModel()

    def rows(self) -> list[tuple]:
        """(capability name, base name, zone, units per period …) per row."""
        return list(self._rows)

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.FIXED) + len(self._periods)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        numeric = index.column() >= len(self.FIXED)
        if role == Qt.DisplayRole:
            return f"{value:.2f}" if numeric else value
        if role == Qt.UserRole:  # sort key
            return value
        if role == Qt.TextAlignmentRole and numeric:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return (self.FIXED + tuple(self._periods))[section]
        return None


class SortableTable(QTableView):
    """A table sorted A to Z by its first column, whose columns fit their contents after each
    new result: at once when it is on screen, else when it is next shown (fitting measures
    every cell, about 0.2 s for the basing table: no work for a hidden tab on every result)."""

    def __init__(self, model, name: str):
        super().__init__()
        self._source = model
        self._unfitted = False
        proxy = QSortFilterProxyModel(model.parent())
        proxy.setSourceModel(model)
        proxy.setSortRole(Qt.UserRole)
        self.setObjectName(name)
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.sortByColumn(0, Qt.AscendingOrder)  # Qt starts a sortable view descending: A to Z reads first
        model.modelReset.connect(self._on_reset)

    def _on_reset(self):
        if self.isVisible():
            self.fit()
        else:
            self._unfitted = True

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if self._unfitted:
            self.fit()

    def fit(self):
        """Every column on screen: names share the width (elided, whole on hover)."""
        self._unfitted = False
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for c in range(self._source.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        self.resizeColumnsToContents()
        for c in range(self._source.columnCount()):
            if self.columnWidth(c) > TABLE_COLUMN_PX // 2:  # a column of names
                header.setSectionResizeMode(c, QHeaderView.Stretch)


class DeferredTab(QWidget):
    """Holds a tab's place until its widget is first shown or asked for (:meth:`get`):
    the widget's imports and construction wait until then, not the window's start."""

    def __init__(self, tabs: QTabWidget, make, label: str, tip: str = ""):
        super().__init__()
        self._tabs, self._make = tabs, make
        self.widget = None  # the tab's widget, once made
        tabs.addTab(self, label)
        tabs.setTabToolTip(tabs.count() - 1, tip)

    def get(self):
        """The tab's widget, made now and put in this placeholder's tab if it is not yet."""
        if self.widget is None:
            self.widget = self._make()
            tabs = self._tabs
            index = tabs.indexOf(self)
            current = tabs.currentIndex() == index
            blocked = tabs.blockSignals(True)  # the tab's neighbours are not shown on the way
            try:
                tabs.insertTab(index, self.widget, tabs.tabText(index))
                tabs.setTabToolTip(index, tabs.tabToolTip(index + 1))
                tabs.removeTab(index + 1)
                if current:
                    tabs.setCurrentIndex(index)
            finally:
                tabs.blockSignals(blocked)
            self.deleteLater()
        return self.widget


class ChartTabs(QTabWidget):
    """Every chart in its own tab, plus the allocation table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("chartTabs")
        self._watching_first_paint = False
        self.setDocumentMode(True)
        self.canvases: dict[str, ChartCanvas] = {}
        for name in PLAN_TITLES:
            view = ChartCanvas(name)
            self.canvases[name] = view
            self.addTab(view, TAB_NAMES.get(name, view.title))
            self.setTabToolTip(self.count() - 1, view.title)
        self.table_model = AllocationModel(self)
        self._table_result: Result | None = None  # a result the table has not shown yet
        self.table = SortableTable(self.table_model, "allocationTable")
        self.addTab(self.table, "Table")
        self.setTabToolTip(self.count() - 1, "Every allocation, sortable by any column")
        self.basing_model = BasingModel(self)
        self.basing_table = SortableTable(self.basing_model, "basingTable")
        self.basing_note = QLabel(NO_STATIONING)
        self.basing_note.setObjectName("basingNote")
        self.basing_note.setAlignment(Qt.AlignCenter)
        self.basing_note.setWordWrap(True)
        self.basing = QStackedWidget()
        self.basing.addWidget(self.basing_note)
        self.basing.addWidget(self.basing_table)
        self.addTab(self.basing, "Basing")
        self.setTabToolTip(self.count() - 1, "Where each capability's units are based, period by period")
        self.currentChanged.connect(self._on_current_changed)
        chart_modules().loaded.connect(self._on_chart_modules_loaded)

    def current_chart(self) -> str | None:
        widget = self.currentWidget()
        return widget.name if isinstance(widget, ChartCanvas) else None

    def chart_options(self, name: str) -> dict:
        """The options the chart is drawn with on screen (so an export matches it)."""
        return dict(self.canvases[name].options)

    def set_result(self, result: Result, live: bool = False):
        """Show ``result``: the visible chart at once (``live``, a drag's: throttled), the others when shown."""
        current = self.currentWidget()
        for view in self.canvases.values():
            view.set_result(result, draw=view is current and self.isVisible(), live=live)
        # the table re-sorts every row when it is filled: only when it is on screen
        self._table_result = result
        if self.currentWidget() is self.table:
            self._fill_table()
        self.basing_model.set_result(result)
        self.basing.setCurrentWidget(self.basing_table if result.scenario.stationing else self.basing_note)

    def _on_chart_modules_loaded(self):
        """The chart on screen, drawn now that matplotlib is in (a result came before it)."""
        widget = self.currentWidget()
        if isinstance(widget, ChartCanvas) and widget.stale and self.isVisible():
            widget.redraw()

    def _fill_table(self):
        if self._table_result is not None:
            self.table_model.set_result(self._table_result)
            self._table_result = None

    def _on_current_changed(self, _index):
        widget = self.currentWidget()
        if isinstance(widget, DeferredTab):
            widget.get()
        elif isinstance(widget, ChartCanvas) and widget.stale:
            widget.redraw()
        elif widget is self.table:
            self._fill_table()

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        if not self._watching_first_paint:  # the charts' imports once the window is on screen
            self._watching_first_paint = True
            self.window().installEventFilter(self)
            QTimer.singleShot(FIRST_PAINT_WAIT_MS, load_chart_modules_soon)  # should it never paint
        self._on_current_changed(self.currentIndex())

    def eventFilter(self, obj, event):  # noqa: N802
        if obj is self.window() and event.type() == QEvent.Paint:
            obj.removeEventFilter(self)
            load_chart_modules_soon()  # after this paint pass: the whole window is drawn first
        return False
