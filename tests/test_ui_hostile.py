"""Text from a file is shown as text: never as rich text, never as a formula,
never at a length that fills the screen or stalls the charts."""

from __future__ import annotations

import csv
import json
import warnings

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import Qt as GuiQt  # noqa: E402  (Qt.mightBeRichText lives in QtGui)
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget  # noqa: E402

from conftest import V1_DEFAULT  # noqa: E402
from planner.fileio import scenario_from_dict  # noqa: E402
from ui import create_main_window  # noqa: E402

BIG = "<b>BIG</b>"
BIG_ESCAPED = "&lt;b&gt;BIG&lt;/b&gt;"
IMG = "<img src='file:///etc/passwd'>"
TOOLTIP = Qt.ItemDataRole.ToolTipRole
EDIT = Qt.ItemDataRole.EditRole


def default_data() -> dict:
    """The fixed version-1 MINUSMA scenario as a dict (its ids and keys are named below)."""
    return json.loads(V1_DEFAULT.read_text(encoding="utf-8"))


def renamed(data: dict, name_of) -> dict:
    """``data`` with every task, region, capability, resource and rule renamed by ``name_of(item)``."""
    for key in ("tasks", "regions", "capabilities", "resources", "rules"):
        for item in data[key]:
            item["name"] = name_of(item)
    return data


def open_window(qtbot, tmp_path, data: dict, name: str = "hostile.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    w = create_main_window(path)
    qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=10000)
    return w


def model_tooltips(model) -> list[str]:
    """Every tooltip an editor table shows: cells and both headers."""
    tips = []
    for row in range(model.rowCount()):
        tips.append(model.headerData(row, Qt.Orientation.Vertical, TOOLTIP))
        for col in range(model.columnCount()):
            tips.append(model.index(row, col).data(TOOLTIP))
    tips += [model.headerData(col, Qt.Orientation.Horizontal, TOOLTIP) for col in range(model.columnCount())]
    return [t for t in tips if t]


# -- 1. names holding HTML ---------------------------------------------------------------------


@pytest.fixture
def html_window(qtbot, tmp_path):
    data = renamed(default_data(), lambda item: f"{BIG} {item['id']}")
    data["tasks"][0]["name"] = f"{IMG} first task"
    w = open_window(qtbot, tmp_path, data)
    yield w
    w.solver.wait()


def test_labels_show_names_holding_html_as_plain_text(html_window):
    labels = [label for label in html_window.findChildren(QLabel) if BIG in label.text()]
    # a name label per task and per resource in the priorities panel, at least
    s = html_window.document.scenario
    assert len(labels) >= len(s.tasks) - 1 + len(s.resources)
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    img = [label for label in html_window.findChildren(QLabel) if IMG in label.text()]
    assert img and all(label.textFormat() == Qt.TextFormat.PlainText for label in img)
    # labels that are rich text on purpose (the insights) carry the names escaped
    for label in html_window.findChildren(QLabel):
        if label.textFormat() != Qt.TextFormat.PlainText:
            assert BIG not in label.text() and "<img" not in label.text(), label.text()


def test_tooltips_carry_names_holding_html_escaped(html_window):
    tips = [w.toolTip() for w in html_window.findChildren(QWidget) if "BIG" in w.toolTip()]
    for model in html_window.editors.models.values():
        tips += [t for t in model_tooltips(model) if "BIG" in t]
    assert len(tips) >= 17
    for tip in tips:
        assert BIG not in tip, tip
        assert BIG_ESCAPED in tip, tip
        assert GuiQt.mightBeRichText(tip), tip  # shown as rich text, so the escapes read as the name
    img_tips = [w.toolTip() for w in html_window.findChildren(QWidget) if "passwd" in w.toolTip()]
    assert img_tips and all("<img" not in t for t in img_tips)


def test_an_editor_refusal_shows_the_typed_html_literally(html_window):
    editors = html_window.editors
    model = editors.models["tasks"]
    weight = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Weight")
    assert not model.setData(model.index(0, weight), "<b>x</b>", EDIT)
    assert "'<b>x</b>' is not a number" in editors.message.text()
    assert editors.message.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;x&lt;/b&gt;" in editors.message.toolTip()


# -- 2. long or hostile text in messages ----------------------------------------------------------


def test_a_megabyte_typed_into_a_cell_is_refused_in_a_short_message(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path, default_data())
    model = w.editors.models["tasks"]
    weight = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Weight")
    assert not model.setData(model.index(0, weight), "\x1b[2J" + "9x" * 500_000, EDIT)
    text = w.editors.message.text()
    assert "is not a number" in text
    assert len(text) < 500
    assert "\x1b" not in text and "\\x1b[2J" in text
    w.solver.wait()


def test_a_file_with_thousands_of_problems_gives_a_short_message(qtbot, tmp_path, monkeypatch):
    w = open_window(qtbot, tmp_path, default_data())
    data = default_data()
    data["tasks"] = [{"id": f"Bad Task Id\x1b[31m {'x' * 200} {i}", "name": "t", "weight": 1} for i in range(3000)]
    bad = tmp_path / "many-problems.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2]) or 0))
    assert not w.load(bad)
    assert shown and len(shown[0]) < 10_000
    assert "\x1b" not in shown[0]
    assert w.document.path.name == "hostile.json"  # the open scenario stays
    w.solver.wait()


def test_a_window_opened_on_a_bad_file_gives_a_short_notice(qtbot, tmp_path):
    data = default_data()
    data["tasks"] = [{"id": f"Bad Id {'y' * 300} {i}", "name": "t", "weight": 1} for i in range(3000)]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    w = create_main_window(bad)
    qtbot.addWidget(w)
    assert not w.notice.isHidden()
    assert len(w.notice_text.text()) < 10_000
    assert w.notice_text.textFormat() == Qt.TextFormat.PlainText
    w.solver.wait()


def test_file_names_with_escapes_are_shown_escaped(qtbot, tmp_path, monkeypatch):
    w = open_window(qtbot, tmp_path, default_data())
    target = tmp_path / ("evil\x1b[2J" + "n" * 200 + ".json")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    w.document.push(w.document.scenario.with_task_weight("g5_support", 7), "edit")
    assert w.save_as()
    assert target.exists()
    status = w.statusBar().currentMessage()
    assert status.startswith("Saved") and "\x1b" not in status and len(status) < 120
    assert "\x1b" not in w.windowTitle()
    w.document.push(w.document.scenario.with_task_weight("g5_support", 8), "edit")
    asked = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.Cancel))
    assert not w.maybe_save()
    assert asked and "\x1b" not in asked[0] and len(asked[0]) < 200
    w.solver.wait()


# -- 3. CSV cells are never formulas --------------------------------------------------------------


def test_csv_export_neutralises_formulas(qtbot, tmp_path, monkeypatch):
    data = default_data()
    formulas = {"capabilities": '=HYPERLINK("x")', "regions": "+SUM(A1)", "tasks": "-2+3", "periods": "@cmd"}
    for key, text in formulas.items():
        for item in data[key]:
            item["name"] = f"{text} {item['id']}"
    w = open_window(qtbot, tmp_path, data)
    target = tmp_path / "alloc.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert w.export_csv()
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert len(rows) > 1
    for row in rows:
        for key in ("capability", "region", "task", "period"):
            assert not row[key].startswith(("=", "+", "-", "@")), row[key]
        assert row["capability"].startswith("'=HYPERLINK(\"x\")")
        assert row["region"].startswith("'+SUM(A1)")
        assert row["task"].startswith("'-2+3")
        assert row["period"].startswith("'@cmd")
        float(row["units"])  # a number, written as one
    w.solver.wait()


# -- 8. long names in the charts ----------------------------------------------------------------------

LONG = "with a very long name"  # in every name of the scenario below
NAME_CHARS = 40  # of a name a chart shows, at most
LINE_CHARS = NAME_CHARS + len(" (base)")  # a legend entry may add a word to the name


def long_names_scenario():
    def name(item):
        return (f"{item['id']} {LONG} " * 12)[:200]

    data = renamed(default_data(), name)
    for item in data["periods"] + data.get("panel", []):
        item["name"] = name(item)
    data["name"] = name({"id": "scenario"})
    return scenario_from_dict(data)


def chart_label_texts(fig) -> list[str]:
    """Tick labels and legend entries of every axes of ``fig``, and of the figure's legends."""
    texts = []
    for ax in fig.axes:
        texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend is not None:
            texts += [t.get_text() for t in legend.get_texts()]
    for legend in fig.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    return [t for t in texts if t]


def draw_checked(draw, result) -> list[str]:
    """Draw on a 1280x720 figure: the layout must hold, and every name in a label is elided."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12.8, 7.2), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*constrained_layout not applied.*")
        draw(fig, result)
        fig.canvas.draw()
    named = [t for t in chart_label_texts(fig) if "with a" in t or "very" in t]
    for text in named:
        assert "…" in text, text
        assert all(len(line) <= LINE_CHARS for line in text.split("\n")), text
    return named


@pytest.fixture(scope="module")
def long_names_results():
    from planner import analyses
    from planner.solve import solve

    s = long_names_scenario()
    first, second = s.tasks[0].id, s.tasks[1].id
    return {
        "plan": solve(s),
        "budget": analyses.budget_curve(s, points=5),
        "pareto": analyses.pareto(s, first, second),
        "panel": analyses.panel_analysis(s),
        "compare": analyses.compare(s, [s.with_task_weight(first, 0)]),
    }


@pytest.mark.parametrize("chart", ["allocation", "coverage", "timeline", "resources", "map", "tasks"])
def test_plan_charts_elide_long_names(long_names_results, chart):
    from planner import plots as charts

    named = draw_checked(charts.CHARTS[chart][1], long_names_results["plan"])
    assert named or chart == "map"  # the map names its regions beside the bubbles


@pytest.mark.parametrize("kind", ["budget", "pareto", "panel", "compare"])
def test_analysis_charts_elide_long_names(long_names_results, kind):
    from planner import plots as analysis_charts

    named = draw_checked(analysis_charts.ANALYSIS_CHARTS[kind][1], long_names_results[kind])
    assert named or kind in ("budget", "pareto")  # those two name no item in a tick or legend


def test_the_map_elides_long_region_names(long_names_results):
    from matplotlib.figure import Figure

    from planner import plots as charts

    fig = Figure(figsize=(12.8, 7.2), dpi=100, layout="constrained")
    charts.draw_map(fig, long_names_results["plan"])
    # a label is "name\nunits" or, where the map is crowded, "name · units" on one line
    names = [t.get_text().split("\n")[0].split(" · ")[0] for ax in fig.axes for t in ax.texts if LONG[:6] in t.get_text()]
    assert names and all(len(n) <= NAME_CHARS and n.endswith("…") for n in names), names
