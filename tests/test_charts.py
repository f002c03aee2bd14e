"""Charts: every chart draws on a plan and on an infeasible scenario, exports PNGs of
the requested size that are not blank, carries the illustrative caveat, and keeps
one colour per task. No Qt here: the charts are plain matplotlib Figures, and the
export works with PySide6 absent."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from planner.fileio import load_scenario, scenario_from_dict
from planner.solve import solve
from planner import plots
from pictures import assert_png  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = ROOT / "scenarios" / "minusma_2020.json"

PERIODS = [("q3-2020", "Jul–Sep 2020"), ("q4-2020", "Oct–Dec 2020"),
           ("q1-2021", "Jan–Mar 2021"), ("q2-2021", "Apr–Jun 2021")]
REGIONS = [  # id, name, zone, lat, lon (FACTS.md)
    ("kidal", "Kidal", "north", 18.44, 1.41), ("gao", "Gao", "north", 16.27, -0.04),
    ("menaka", "Ménaka", "north", 15.92, 2.40), ("tombouctou", "Tombouctou", "north", 16.77, -3.01),
    ("taoudenit", "Taoudénit", "north", 22.68, -3.98), ("mopti", "Mopti", "centre", 14.49, -4.18),
    ("segou", "Ségou", "centre", 13.43, -6.26), ("kayes", "Kayes", "west", 14.45, -11.44),
    ("koulikoro", "Koulikoro", "west", 12.86, -7.56), ("sikasso", "Sikasso", "south", 11.32, -5.67),
    ("bamako", "Bamako", "capital", 12.64, -8.00),
]


def rich_dict() -> dict:
    """A MINUSMA-shaped scenario (illustrative numbers) with every chart feature:
    several zones, new units with lead times, three resource bases, floors."""
    north = ["kidal", "gao", "menaka", "tombouctou", "taoudenit"]
    return {
        "format": "mandate-planner-scenario", "version": 1,
        "name": "MINUSMA 2020-21 (test, illustrative)",
        "illustrative": True,
        "periods": [{"id": i, "name": n} for i, n in PERIODS],
        "tasks": [
            {"id": "peace_agreement", "name": "Support to the peace agreement", "weight": 30},
            {"id": "poc_center", "name": "Protection of civilians (centre)", "weight": 30},
            {"id": "state_authority", "name": "Restoring State authority", "weight": 10},
            {"id": "human_rights", "name": "Human rights and accountability", "weight": 15},
            {"id": "g5_support", "name": "Support to the G5 Sahel Joint Force", "weight": 5},
            {"id": "mission_protection", "name": "Protection of the mission", "weight": 10},
        ],
        "regions": [{"id": i, "name": n, "zone": z, "location": {"lat": la, "lon": lo}}
                    for i, n, z, la, lo in REGIONS],
        "capabilities": [
            {"id": "infantry", "name": "Infantry battalion", "category": "ground", "existing": 12,
             "max_new": 0, "lead_time": 0, "max_per_region": 4,
             "effect": {"peace_agreement": 2, "poc_center": 2, "state_authority": 1,
                        "mission_protection": 3, "g5_support": 0.5},
             "region_factor": {"taoudenit": 0.4, "kidal": 0.8}, "uses": {"personnel": 850}},
            {"id": "qrf", "name": "Quick-reaction company", "category": "ground", "existing": 0,
             "max_new": 3, "lead_time": 1,
             "effect": {"poc_center": 4, "peace_agreement": 3, "mission_protection": 2},
             "uses": {"new_budget": 12000000, "personnel": 250}},
            {"id": "utility_helicopter", "name": "Utility helicopter", "category": "air", "existing": 12,
             "max_new": 6, "lead_time": 1, "max_per_region": 4,
             "effect": {"poc_center": 2, "peace_agreement": 1.5, "g5_support": 1, "state_authority": 0.5},
             "uses": {"new_budget": 4500000, "personnel": 25, "flight_hours": 120}},
            {"id": "attack_helicopter", "name": "Attack helicopter", "category": "air", "existing": 4,
             "max_new": 4, "lead_time": 2, "max_per_region": 3,
             "effect": {"poc_center": 3, "mission_protection": 3},
             "uses": {"new_budget": 6000000, "personnel": 20, "flight_hours": 90}},
            {"id": "uas", "name": "Unmanned aerial system", "category": "isr", "existing": 4,
             "max_new": 2, "lead_time": 1,
             "effect": {"poc_center": 2, "peace_agreement": 2, "g5_support": 2},
             "uses": {"new_budget": 3000000, "personnel": 15}},
            {"id": "engineers", "name": "Combat engineer company", "category": "ground", "existing": 3,
             "max_new": 1, "lead_time": 2,
             "effect": {"state_authority": 3, "mission_protection": 2},
             "uses": {"new_budget": 5000000, "personnel": 117}},
            {"id": "hr_team", "name": "Human rights team", "category": "civilian", "existing": 8,
             "max_new": 4, "lead_time": 1, "effect": {"human_rights": 4},
             "uses": {"new_budget": 500000, "personnel": 10}},
            {"id": "fpu", "name": "Formed police unit", "category": "police", "existing": 8,
             "max_new": 0, "lead_time": 0,
             "effect": {"poc_center": 1.5, "state_authority": 2, "human_rights": 1},
             "uses": {"personnel": 140}},
        ],
        "demand": {
            "peace_agreement": {r: {"need": 10} for r in north},
            "poc_center": {"mopti": {"need": 30, "importance": 1.5}, "segou": {"need": 18}},
            "state_authority": {"mopti": {"need": 8}, "segou": {"need": 6}, "gao": {"need": 5},
                                "tombouctou": {"need": 5}, "kayes": {"need": 4}, "koulikoro": {"need": 3},
                                "sikasso": {"need": 3}},
            "human_rights": {r: {"need": 6} for r in ["mopti", "segou", "gao", "kidal", "tombouctou",
                                                      "bamako", "kayes"]},
            "g5_support": {"menaka": {"need": 6}, "gao": {"need": 4}, "mopti": {"need": 4}},
            "mission_protection": {r: {"need": 6} for r in ["kidal", "gao", "tombouctou", "mopti", "bamako"]},
        },
        "resources": [
            {"id": "new_budget", "name": "Force adaptation budget", "basis": "generated",
             "capacity": 58000000, "unit": "USD"},
            {"id": "personnel", "name": "Uniformed personnel ceiling", "basis": "fielded",
             "capacity": 15209, "unit": "persons"},
            {"id": "flight_hours", "name": "Flight hours", "basis": "employed",
             "capacity": 2200, "unit": "hours"},
        ],
        "rules": [
            {"id": "poc-floor", "kind": "floor", "name": "PoC in the centre ≥ 40%", "task": "poc_center",
             "zone": "centre", "min_satisfaction": 0.4, "from_period": 1},
            {"id": "kidal-floor", "kind": "floor", "task": "peace_agreement", "regions": ["kidal"],
             "min_satisfaction": 0.3},
            {"id": "g5-share", "kind": "max_share", "task": "g5_support", "max_share": 0.1},
        ],
    }


def infeasible_dict() -> dict:
    d = copy.deepcopy(rich_dict())
    d["name"] = "Impossible floors"
    d["rules"].append({"id": "too-much", "kind": "floor", "task": "poc_center", "regions": ["mopti"],
                       "min_satisfaction": 1.0, "from_period": 0})
    d["demand"]["poc_center"]["mopti"]["need"] = 500  # far beyond what the force can deliver
    return d


@pytest.fixture(scope="module")
def rich():
    return solve(scenario_from_dict(rich_dict()))


@pytest.fixture(scope="module")
def infeasible():
    return solve(scenario_from_dict(infeasible_dict()))


@pytest.fixture(scope="module")
def tiny():
    return solve(load_scenario(DATA / "tiny.json"))


def _texts(fig) -> list[str]:
    """Every string shown in a figure (figure, subfigure and axes texts, legends, titles)."""
    out = []
    for artist in fig.findobj(lambda a: hasattr(a, "get_text")):
        text = artist.get_text()
        if text:
            out.append(text)
    return out


def _task_colors_used(fig) -> dict[str, set[tuple]]:
    """Colours of every artist tagged ``task:<id>``."""
    found: dict[str, set[tuple]] = {}
    for artist in fig.findobj(lambda a: (a.get_gid() or "").startswith("task:")):
        face = tuple(np.round(to_rgba(artist.get_facecolor()), 4))
        found.setdefault(artist.get_gid()[5:], set()).add(face)
    return found


def test_scenarios_solve(rich, infeasible):
    assert rich.ok and rich.generate
    assert infeasible.status == "infeasible"


@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_every_chart_draws_a_plan(rich, tiny, name):
    title, draw = plots.CHARTS[name]
    assert title
    for result in (rich, tiny):
        fig = Figure(figsize=(13.66, 6.5), dpi=100, layout="constrained")
        draw(fig, result)
        fig.canvas.draw()
        assert fig.axes, name
        assert not any("No plan" in t for t in _texts(fig))
        draw(fig, result)  # the GUI redraws on the same figure
        fig.canvas.draw()


@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_every_chart_says_no_plan_when_infeasible(infeasible, name):
    fig = Figure(layout="constrained")
    plots.CHARTS[name][1](fig, infeasible)
    fig.canvas.draw()
    texts = _texts(fig)
    assert "No plan meets every rule — see the diagnosis" in texts
    assert any("floor" in t.lower() or "budget" in t.lower() for t in texts)  # the diagnosis


def test_chart_order():
    assert list(plots.CHARTS) == ["allocation", "coverage", "timeline", "resources", "map", "tasks"]


def test_allocation_by_capability(rich):
    fig = Figure(layout="constrained")
    plots.draw_allocation(fig, rich, by="capability")
    fig.canvas.draw()
    names = {t.get_text().replace("\n", " ") for t in fig.axes[0].get_legend().get_texts()}
    assert names == {c.name for c in rich.scenario.capabilities}
    with pytest.raises(ValueError, match="by must be"):
        plots.draw_allocation(fig, rich, by="zone")


def test_allocation_totals_match_units(rich):
    fig = Figure(layout="constrained")
    plots.draw_allocation(fig, rich)
    ax = fig.axes[0]
    heights = sum(p.get_height() for p in ax.patches if (p.get_gid() or "").startswith("task:"))
    assert heights == pytest.approx(rich.alloc_units.sum() / len(rich.scenario.periods))
    assert "average per period" in ax.get_ylabel()
    zones = {t.get_text() for t in ax.texts}
    assert {"North", "Centre", "West"} <= zones


def test_coverage_draws_floors(rich):
    fig = Figure(layout="constrained")
    plots.draw_coverage(fig, rich)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Floor set by a rule" in labels
    floors = plots.floor_levels(rich.scenario)
    s = rich.scenario
    ti = [x.id for x in s.tasks].index("poc_center")
    ri = [x.id for x in s.regions].index("mopti")
    ki = [x.id for x in s.regions].index("kidal")
    assert floors[ti, ri] == pytest.approx(0.4)
    assert np.isnan(floors[ti, ki])


def _floor_marks(fig) -> list[tuple[float, float]]:
    """(x centre, level in %) of each floor mark on the coverage chart."""
    marks = []
    for coll in fig.axes[0].collections:
        if coll.get_linewidth()[0] == pytest.approx(2.6):  # the floors' black bars
            marks += [((a[0] + b[0]) / 2, a[1]) for a, b in coll.get_segments()]
    return marks


def test_coverage_draws_a_floor_on_a_single_region():
    """A floor on one region (``"region": "mopti"``) is drawn, as the model enforces it."""
    d = rich_dict()
    d["rules"].append({"id": "hr-mopti", "kind": "floor", "task": "human_rights", "region": "mopti",
                       "min_satisfaction": 0.5})
    result = solve(scenario_from_dict(d))
    assert result.ok
    s = result.scenario
    ti = [t.id for t in s.tasks].index("human_rights")
    ri = [r.id for r in s.regions].index("mopti")
    assert plots.floor_levels(s)[ti, ri] == pytest.approx(0.5)
    fig = Figure(layout="constrained")
    plots.draw_coverage(fig, result)
    assert 50.0 in [level for _, level in _floor_marks(fig)]  # only this rule sets a floor of 50%


def test_task_colors_are_consistent(rich):
    s = rich.scenario
    expected = {t.id: tuple(np.round(to_rgba(plots.task_color(s, t.id)), 4)) for t in s.tasks}
    assert len(set(expected.values())) == len(s.tasks)  # one colour per task
    seen_in = {}
    for name in ("allocation", "coverage", "tasks"):
        fig = Figure(layout="constrained")
        plots.CHARTS[name][1](fig, rich)
        used = _task_colors_used(fig)
        assert used, name
        for task_id, colors in used.items():
            assert colors == {expected[task_id]}, (name, task_id)
        seen_in[name] = set(used)
    assert seen_in["allocation"] == seen_in["tasks"] == {t.id for t in s.tasks}


def test_task_color_palette():
    assert plots.TASK_COLORS[:7] == plots.OKABE_ITO
    assert len(set(plots.TASK_COLORS)) == len(plots.TASK_COLORS)
    s = scenario_from_dict(rich_dict())
    with pytest.raises(KeyError):
        plots.task_color(s, "nope")
    assert plots.zone_color(s, "north") != plots.zone_color(s, "centre")




@pytest.mark.parametrize("name", list(plots.CHARTS))
def test_export_png_size_and_not_blank(rich, tmp_path, name):
    out = tmp_path / f"{name}.png"
    plots.export_png(rich, name, out, size=(1280, 720), dpi=100)
    assert_png(out, (1280, 720))


@pytest.mark.parametrize("size,dpi", [((1920, 1080), 150), ((1281, 721), 97), ((3508, 2480), 300),
                                      ((800, 600), 72)])
def test_export_exact_pixel_sizes(rich, tmp_path, size, dpi):
    out = tmp_path / "x.png"
    plots.export_png(rich, "allocation", out, size=size, dpi=dpi)
    assert_png(out, size)


def test_export_replaces_the_file_whole(rich, tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "tasks.png"
    plots.export_png(rich, "tasks", out, size=(640, 360), dpi=72)
    plots.export_png(rich, "tasks", out, size=(800, 450), dpi=72)
    assert_png(out, (800, 450))
    assert [p.name for p in folder.iterdir()] == ["tasks.png"]  # no temporary file left beside it

    def fail(*_args, **_kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(FigureCanvasAgg, "print_png", fail)
    with pytest.raises(OSError):
        plots.export_png(rich, "tasks", out, size=(640, 360), dpi=72)
    assert_png(out, (800, 450))  # the earlier picture is whole
    assert [p.name for p in folder.iterdir()] == ["tasks.png"]


def test_export_infeasible_is_a_message(infeasible, tmp_path):
    out = tmp_path / "inf.png"
    plots.export_png(infeasible, "coverage", out, size=(1280, 720), dpi=100)
    img = mpimg.imread(out)
    assert img.shape[:2] == (720, 1280)
    assert (img[..., :3].min(axis=2) < 0.5).any()


def test_header_texts_and_illustrative_caveat(rich, tiny):
    fig = plots.render_figure(rich, "tasks", size=(1280, 720), dpi=100, date="1 July 2020")
    texts = _texts(fig)
    assert plots.ILLUSTRATIVE_CAVEAT in texts
    assert "Task scores" in texts
    assert any(rich.scenario.name in t and "1 July 2020" in t for t in texts)
    fig = plots.render_figure(tiny, "tasks", size=(1280, 720), dpi=100, title="My title")
    texts = _texts(fig)
    assert plots.ILLUSTRATIVE_CAVEAT not in texts
    assert "My title" in texts


def test_export_fonts_scale_with_pixel_height(rich):
    def title_px(size, dpi):
        fig = plots.render_figure(rich, "tasks", size=size, dpi=dpi)
        text = next(t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text() == "Task scores")
        return text.get_fontsize() * dpi / 72.0

    assert title_px((1920, 1080), 150) == pytest.approx(1.5 * title_px((1280, 720), 150))
    assert title_px((1920, 1080), 150) == pytest.approx(title_px((1920, 1080), 300))


def test_caveat_moves_below_when_the_header_is_narrow(rich):
    fig = plots.render_figure(rich, "tasks", size=(800, 600), dpi=100)
    assert plots.ILLUSTRATIVE_CAVEAT in _texts(fig)


def test_export_allocation_by_capability(rich, tmp_path):
    out = tmp_path / "cap.png"
    fig = plots.render_figure(rich, "allocation", size=(1280, 720), dpi=100, by="capability")
    assert "Units employed by region and capability" in _texts(fig)
    plots.export_png(rich, "allocation", out, size=(1280, 720), dpi=100, by="capability")
    assert_png(out, (1280, 720))


def test_dollar_signs_in_names_do_not_break_drawing(tmp_path):
    d = rich_dict()
    d["name"] = "Budget $58M case"
    d["tasks"][0]["name"] = "Support ($) to the agreement"
    d["resources"][0]["name"] = "New budget ($)"
    result = solve(scenario_from_dict(d))
    for name in plots.CHARTS:
        plots.export_png(result, name, tmp_path / f"{name}.png", size=(640, 360), dpi=72)


def test_draw_on_a_figure_without_layout_sets_constrained(rich):
    fig = Figure()
    plots.draw_tasks(fig, rich)
    assert fig.get_layout_engine() is not None
    fig.canvas.draw()


def test_redraw_does_not_pile_up_axes(rich):
    fig = Figure(layout="constrained")
    for name in plots.CHARTS:
        plots.CHARTS[name][1](fig, rich)
    plots.draw_tasks(fig, rich)
    assert len(fig.axes) == 1 and not fig.legends


def test_empty_plan_draws(rich):
    import dataclasses

    empty = dataclasses.replace(rich, alloc_capability=rich.alloc_capability[:0],
                                alloc_region=rich.alloc_region[:0], alloc_task=rich.alloc_task[:0],
                                alloc_period=rich.alloc_period[:0], alloc_units=rich.alloc_units[:0],
                                generate={})
    for name in plots.CHARTS:
        fig = Figure(layout="constrained")
        plots.CHARTS[name][1](fig, empty)
        fig.canvas.draw()
    fig = Figure(layout="constrained")
    plots.draw_allocation(fig, empty)
    assert "No units employed in this plan" in _texts(fig)


def test_unknown_chart_raises(rich, tmp_path):
    with pytest.raises(ValueError, match="unknown chart"):
        plots.export_png(rich, "pie", tmp_path / "x.png")


def test_size_presets():
    assert plots.SIZE_PRESETS["1920×1080 (16:9)"] == (1920, 1080)
    assert plots.SIZE_PRESETS["1280×720 (16:9)"] == (1280, 720)
    assert any("A4" in k for k in plots.SIZE_PRESETS)
    assert set(plots.PRESET_DPI) == set(plots.SIZE_PRESETS)


def test_plots_import_no_qt_no_pyplot_no_ui_and_no_backend_but_agg():
    code = ("import sys; import planner.plots; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'matplotlib.pyplot')) "
            "or m == 'ui' or m.startswith('ui.') "
            "or m.startswith('matplotlib.backends.') "
            "and m.rsplit('.', 1)[1] not in ('registry', 'backend_agg', '_backend_agg')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Every chart exported by a process in which "import PySide6" fails, with the Qt
# backend selected: the headless export needs no Qt.
HEADLESS_EXPORT = """
import sys
for name in ("PySide6", "PyQt5", "PyQt6"):
    sys.modules[name] = None  # a later "import PySide6" raises ImportError
from pathlib import Path

from planner import analyses, plots
from planner.fileio import load_scenario
from planner.solve import solve

s, out = load_scenario(Path(sys.argv[1])), Path(sys.argv[2])
result = solve(s)
for name in plots.CHARTS:
    plots.export_png(result, name, out / f"{name}.png", size=(640, 360), dpi=72)
first, second = s.tasks[0].id, s.tasks[1].id
found = {
    "budget": analyses.budget_curve(s, points=3),
    "stability": analyses.weight_stability(s, grid=3),
    "smaa": analyses.smaa(s, samples=8, executor="serial"),
    "pareto": analyses.pareto(s, first, second, points=3),
    "panel": analyses.panel_analysis(s),
    "compare": analyses.compare(s, [s.with_task_weight(first, 0)]),
    "alternatives": analyses.alternatives(s, within=0.5, count=3),
}
for kind in plots.ANALYSIS_CHARTS:
    plots.export_analysis_png(found[kind], kind, out / f"{kind}.png", size=(640, 360), dpi=72)
loaded = [m for m, mod in sys.modules.items() if mod is not None and (
    m.startswith(("PySide6", "PyQt", "matplotlib.pyplot")) or m == "ui" or m.startswith("ui."))]
print(loaded)
sys.exit(1 if loaded else 0)
"""


def test_every_chart_exports_with_pyside6_blocked(tmp_path):
    d = rich_dict()
    d["panel"] = [
        {"id": "north", "name": "Northern stakeholders", "weights": {"peace_agreement": 3, "g5_support": 1}},
        {"id": "centre", "name": "Centre stakeholders", "weights": {"poc_center": 3, "human_rights": 1}},
    ]
    src = tmp_path / "rich.json"
    src.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "QtAgg"}  # pyplot would try Qt; the export must not
    proc = subprocess.run([sys.executable, "-c", HEADLESS_EXPORT, str(src), str(tmp_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in [*plots.CHARTS, *plots.ANALYSIS_CHARTS]:
        assert_png(tmp_path / f"{name}.png", (640, 360))


def test_bundled_scenario_charts(tmp_path):
    if not BUNDLED.exists():
        pytest.skip("scenarios/minusma_2020.json not there yet")
    result = solve(load_scenario(BUNDLED))
    for name in plots.CHARTS:
        fig = Figure(figsize=(13.66, 6.5), dpi=100, layout="constrained")
        plots.CHARTS[name][1](fig, result)
        fig.canvas.draw()


# -- command line -------------------------------------------------------------------------------


def _cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_export_png(tmp_path):
    out = tmp_path / "coverage.png"
    proc = _cli("export", str(DATA / "tiny.json"), "--png", str(out), "--chart", "coverage",
                "--size", "1280x720", "--dpi", "100")
    assert proc.returncode == 0, proc.stderr
    assert_png(out, (1280, 720))


def test_cli_export_unknown_chart(tmp_path):
    out = tmp_path / "x.png"
    proc = _cli("export", str(DATA / "tiny.json"), "--png", str(out), "--chart", "pie")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "pie" in proc.stderr
    assert not out.exists()


def test_cli_export_rich_scenario(tmp_path):
    src = tmp_path / "rich.json"
    src.write_text(json.dumps(rich_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "map.png"
    proc = _cli("export", str(src), "--png", str(out), "--chart", "map")
    assert proc.returncode == 0, proc.stderr
    assert_png(out, (1920, 1080))
