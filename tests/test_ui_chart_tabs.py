"""The chart tabs follow each result on the artists they keep: the visible chart at once,
the hidden ones and the allocation table when they are shown."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from planner.bundled import default_scenario_path  # noqa: E402
from planner.fileio import load_scenario  # noqa: E402
from planner.solve import solve  # noqa: E402
from ui.chart_views import ChartTabs  # noqa: E402


@pytest.fixture(scope="module")
def results():
    s = load_scenario(default_scenario_path()).with_integer_units(False)
    money = s.resources[0]
    changed = s.with_task_weight(s.tasks[0].id, 5.0).with_resource_capacity(money.id, 0.9 * money.capacity)
    return solve(s), solve(changed)


@pytest.fixture
def tabs(qtbot):
    tabs = ChartTabs()
    qtbot.addWidget(tabs)
    tabs.resize(1100, 600)
    with qtbot.waitExposed(tabs):
        tabs.show()
    from ui.chart_views import chart_modules_loaded

    qtbot.waitUntil(chart_modules_loaded, timeout=30_000)  # asked for at the first paint
    return tabs


def _bar_heights(view):
    return [round(p.get_height(), 9) for p in view.figure.axes[0].patches]


def test_the_visible_chart_is_updated_in_place_and_hidden_ones_when_shown(tabs, results):
    first, second = results
    tabs.set_result(first)
    allocation, coverage = tabs.canvases["allocation"], tabs.canvases["coverage"]
    assert tabs.currentWidget() is allocation and not allocation.stale and coverage.stale
    axes = allocation.figure.axes[0]
    tabs.setCurrentWidget(coverage)
    coverage_axes = coverage.figure.axes[0]
    tabs.setCurrentWidget(allocation)

    tabs.set_result(second)
    assert allocation.figure.axes[0] is axes  # updated, not rebuilt
    assert coverage.stale and coverage.figure.axes[0] is coverage_axes
    tabs.setCurrentWidget(coverage)
    assert not coverage.stale and coverage.figure.axes[0] is coverage_axes

    fresh = ChartTabs()
    fresh.set_result(second)
    fresh.canvases["allocation"].redraw()
    assert _bar_heights(allocation) == _bar_heights(fresh.canvases["allocation"])
    fresh.deleteLater()


def test_stacking_by_capability_draws_the_chart_afresh(tabs, results):
    tabs.set_result(results[0])
    view = tabs.canvases["allocation"]
    axes = view.figure.axes[0]
    view.stack_by.setCurrentIndex(1)
    assert view.figure.axes[0] is not axes
    assert view.options["by"] == "capability"
    axes = view.figure.axes[0]
    tabs.set_result(results[1])
    assert view.figure.axes[0] is axes  # and updated in place from then on


def test_the_allocation_table_is_filled_when_shown(tabs, results):
    tabs.set_result(results[0])
    assert tabs.table_model.rowCount() == 0  # hidden: not filled for nothing
    tabs.setCurrentWidget(tabs.table)
    assert tabs.table_model.rowCount() == results[0].alloc_units.size
    tabs.set_result(results[1])  # on screen: filled at once
    assert tabs.table_model.rowCount() == results[1].alloc_units.size


def test_the_allocation_table_reads_a_to_z_names_zones_and_fits_at_1366(bundled_window, qtbot):
    from PySide6.QtCore import Qt

    w = bundled_window
    w.resize(1366, 768)
    w.charts.setCurrentWidget(w.charts.table)
    qtbot.waitUntil(lambda: w.charts.table_model.rowCount() > 0)
    view, proxy = w.charts.table, w.charts.table.model()
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.AscendingOrder
    first = [proxy.index(i, 0).data() for i in range(min(proxy.rowCount(), 50))]
    assert first == sorted(first)  # A to Z
    zones = {proxy.index(i, 2).data() for i in range(proxy.rowCount())}
    s = w.document.scenario
    assert zones <= {r.zone[:1].upper() + r.zone[1:].replace("_", " ") for r in s.regions}
    assert all(not z.islower() for z in zones)
    qtbot.waitUntil(lambda: sum(view.columnWidth(c) for c in range(proxy.columnCount()))
                    <= view.viewport().width() + 1, timeout=5000)  # laid out on the next pass
    widths = sum(view.columnWidth(c) for c in range(proxy.columnCount() - 1))
    assert widths < view.viewport().width(), (widths, view.viewport().width())  # the Units column shows


def test_the_basing_table_fits_its_columns_when_shown_not_on_every_hidden_result(tabs, results, monkeypatch):
    from PySide6.QtWidgets import QHeaderView

    from ui.chart_views import SortableTable

    fits = []
    real_fit = SortableTable.fit
    monkeypatch.setattr(SortableTable, "fit", lambda self: (fits.append(self.objectName()), real_fit(self)))
    stationed = solve(load_scenario(default_scenario_path()))
    for _ in range(3):  # results while the allocation chart is on screen
        tabs.set_result(stationed)
    assert tabs.basing_model.rowCount() > 0  # the rows are there for whoever asks
    assert "basingTable" not in fits  # but no column was measured for a hidden table
    tabs.setCurrentWidget(tabs.basing)
    assert fits.count("basingTable") == 1
    header = tabs.basing_table.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.Stretch  # the capability names share the width
    tabs.set_result(stationed)  # on screen: fitted at once
    assert fits.count("basingTable") == 2


def test_a_drags_results_render_the_chart_at_most_once_per_gap_and_the_newest_last(tabs, results, qtbot):
    from ui.chart_views import LIVE_GAP_S

    first, second = results
    view = tabs.canvases["allocation"]
    tabs.set_result(first)
    qtbot.waitUntil(lambda: view._rendered_at > 0)  # the first result is rendered
    renders = []
    view.canvas.mpl_connect("draw_event", lambda _e: renders.append(view.result))
    for k in range(6):  # a drag's results, faster than the gap
        tabs.set_result(second if k % 2 else first, live=True)
    qtbot.wait(int(1000 * LIVE_GAP_S / 3))
    assert len(renders) <= 1  # not one render per result
    qtbot.waitUntil(lambda: bool(renders) and renders[-1] is second, timeout=5000)  # the newest catches up
    assert not view.stale
    assert _bar_heights(view) == _bar_heights_of(second)
    tabs.set_result(first)  # a result that stays (not a drag's) is drawn at once
    assert view.result is first and not view.stale


def _bar_heights_of(result):
    fresh = ChartTabs()
    fresh.set_result(result)
    fresh.canvases["allocation"].redraw()
    heights = _bar_heights(fresh.canvases["allocation"])
    fresh.deleteLater()
    return heights


def test_a_result_before_matplotlib_is_in_waits_for_it_and_is_drawn_when_it_is(tabs, results, monkeypatch):
    from ui import chart_views

    loaded = [False]
    asked = []
    monkeypatch.setattr(chart_views, "chart_modules_loaded", lambda: loaded[0])
    monkeypatch.setattr(chart_views, "load_chart_modules_soon", lambda: asked.append(True))
    first, _ = results
    tabs.set_result(first)
    allocation = tabs.canvases["allocation"]
    assert allocation._canvas is None and allocation.stale  # not drawn: that would import matplotlib
    assert allocation._placeholder.text() == "Drawing the chart…"
    assert asked  # the import is asked for
    loaded[0] = True
    chart_views.chart_modules().loaded.emit()
    assert allocation._canvas is not None and not allocation.stale
    assert allocation.result is first


def test_the_charts_modules_load_one_step_per_event_loop_pass(qtbot, monkeypatch):
    import sys

    from PySide6.QtWidgets import QApplication

    from ui import chart_views

    steps = ("colorsys", "wave", "tomllib")
    for name in steps:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(chart_views, "CHART_IMPORT_STEPS", steps)
    loader = chart_views._ChartModules()
    done = []
    loader.loaded.connect(lambda: done.append([m in sys.modules for m in steps]))
    loader.load_soon()
    assert not any(m in sys.modules for m in steps)  # nothing at the call: once the loop is idle
    seen = []
    for _ in range(6):
        QApplication.processEvents()
        seen.append(sum(m in sys.modules for m in steps))
    assert seen[:3] == [1, 2, 3] or seen[0] < 3  # a step per pass (a pass may run more than one timer)
    qtbot.waitUntil(lambda: bool(done), timeout=2000)
    assert done == [[True, True, True]]
    loader.load_soon()  # once only
    QApplication.processEvents()
    assert len(done) == 1
