"""What v2 posture adds to the display: the map's border and bases, moves on the
timeline, the basing table, and repatriations and the gap closed in the insights."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from planner.fileio import scenario_from_dict
from planner.plots import draw_map, draw_timeline
from planner.solve import solve_scenario

PySide6 = pytest.importorskip("PySide6")
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.chart_views import NO_STATIONING, ChartTabs  # noqa: E402
from ui.insights import InsightsPanel  # noqa: E402


def _tiny(stationing=True, running_cap=100.0, repatriable=0):
    """Two regions, one task: a helicopter based in Mopti must move to Gao, where the need is."""
    return scenario_from_dict({
        "format": "mandate-planner-scenario", "version": 2, "name": "Tiny posture",
        "periods": [{"id": "p0", "name": "Q1"}, {"id": "p1", "name": "Q2"}],
        "tasks": [{"id": "poc", "name": "Protection", "weight": 1}],
        "regions": [
            {"id": "mopti", "name": "Mopti", "zone": "center", "location": {"lat": 14.49, "lon": -4.18}},
            {"id": "gao", "name": "Gao", "zone": "north", "location": {"lat": 16.27, "lon": -0.04}},
        ],
        "capabilities": [
            {"id": "heli", "name": "Utility helicopter", "category": "air", "existing": 2, "max_new": 1,
             "lead_time": 1, "reach_km": 0, "effect": {"poc": 1},
             **({"based_at": {"mopti": 2}} if stationing else {}),
             "max_repatriate": repatriable,
             "uses": {"budget": 1e6, "running": 10}},
        ],
        "demand": {"poc": {"gao": {"need": 4}}},
        "resources": [
            {"id": "budget", "name": "Budget", "basis": "generated", "capacity": 5e6, "unit": "USD"},
            {"id": "running", "name": "Running costs", "basis": "in_service", "capacity": running_cap,
             "unit": "USD"},
        ],
        "settings": {"integer_units": True, "stationing": stationing},
    })


@pytest.fixture(scope="module")
def stationed():
    result = solve_scenario(_tiny())
    assert result.ok
    return result


@pytest.fixture(scope="module")
def app():
    return QApplication.instance() or QApplication([])


def test_map_draws_the_border_and_a_marker_per_base(stationed):
    fig = Figure(figsize=(12.8, 7.2), dpi=100)
    draw_map(fig, stationed)
    ax = fig.axes[0]
    border = [p for p in ax.patches if isinstance(p, Polygon) and p.get_gid() == "border"]
    assert border and len(border[0].get_xy()) > 20
    bases = [c for c in ax.collections if c.get_gid() == "bases"]
    b = stationed.basing
    last = (b.period == len(stationed.scenario.periods) - 1) & (b.units > 1e-6)
    assert len(bases) == 1 and len(bases[0].get_offsets()) == len(set(b.base[last].tolist()))
    assert any("Natural Earth" in t.get_text() for t in ax.texts)


def test_map_draws_the_border_without_stationing():
    result = solve_scenario(_tiny(stationing=False))
    fig = Figure(figsize=(12.8, 7.2), dpi=100)
    draw_map(fig, result)
    ax = fig.axes[0]
    assert any(p.get_gid() == "border" for p in ax.patches)
    assert not any(c.get_gid() == "bases" for c in ax.collections)


def test_timeline_marks_the_moves(stationed):
    assert stationed.moves.units.sum() > 0.5  # the helicopters leave Mopti for Gao
    fig = Figure(figsize=(12.8, 7.2), dpi=100)
    draw_timeline(fig, stationed)
    marks = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "moves"]
    assert marks and all(m.endswith("move") for m in marks)
    fig = Figure(figsize=(12.8, 7.2), dpi=100)
    draw_timeline(fig, solve_scenario(_tiny(stationing=False)))
    assert not [t for t in fig.axes[0].texts if t.get_gid() == "moves"]


def test_basing_tab_lists_the_basing_rows_by_name(app, stationed):
    tabs = ChartTabs()
    tabs.set_result(stationed)
    s = stationed.scenario
    expected = {}
    for row in stationed.basing.rows(s):
        key = (s.capability(row["capability"]).name, s.region(row["base"]).name)
        expected.setdefault(key, [0.0] * len(s.periods))[[p.id for p in s.periods].index(row["period"])] += row["units"]
    rows = tabs.basing_model.rows()
    shown = {(r[0], r[1]): list(r[3:]) for r in rows}
    assert expected and shown.keys() == expected.keys()
    for key, units in expected.items():
        assert shown[key] == pytest.approx(units)
    assert tabs.basing.currentWidget() is tabs.basing_table
    assert tabs.basing_table.model().rowCount() == len(rows)
    assert tabs.basing_model.headerData(3, PySide6.QtCore.Qt.Horizontal) == "Q1"
    tabs.set_result(solve_scenario(_tiny(stationing=False)))
    assert tabs.basing.currentWidget() is tabs.basing_note and tabs.basing_note.text() == NO_STATIONING
    assert tabs.basing_model.rowCount() == 0


def test_insights_show_a_repatriation_and_what_it_saves(app):
    # the running costs of two helicopters for two quarters are 40; the cap allows one
    result = solve_scenario(_tiny(running_cap=25.0, repatriable=1))
    assert result.ok and result.repatriate == {"heli": pytest.approx(1.0)}
    panel = InsightsPanel()
    panel.show_result(result)
    assert "Repatriate 1 Utility helicopter: saves $20 (Running costs)" in panel.details.text()


def test_insights_show_the_gap_closed(app):
    result = solve_scenario(_tiny(stationing=False))
    assert result.gap_closed is not None and result.generate
    panel = InsightsPanel()
    panel.show_result(result)
    text = panel.details.text()
    expected = (f"The plan closes {100 * result.gap_closed:.0f} % of the remaining gap "
                f"(status quo {result.status_quo.score:.1f} / 100)")
    assert expected in text
    assert np.isfinite(result.gap_closed)
