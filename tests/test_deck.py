"""The briefing deck, read back with python-pptx: its slides, their texts, its pictures."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from planner import deck as deck_module
from planner.deck import DECK_CHARTS, briefing_bytes, chart_png, summary_sections, write_briefing
from planner.fileio import load_scenario, scenario_from_dict, scenario_to_dict
from planner.plots import CHARTS, ILLUSTRATIVE_CAVEAT
from planner.rule_text import rule_label
from planner.solve import solve_scenario

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEFAULT = ROOT / "tests" / "data" / "minusma_2020_v1.json"
VARIANT = ROOT / "tests" / "data" / "minusma_2020_v1_budget_cut.json"


def texts(shape) -> list[str]:
    """Every paragraph of a shape: a text frame's, or each cell's of a table."""
    if shape.has_text_frame:
        return [p.text for p in shape.text_frame.paragraphs]
    if shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    return []


def slide_texts(slide) -> list[str]:
    return [t for shape in slide.shapes for t in texts(shape)]


def titles(prs) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in prs.slides]


def slides_titled(prs, start: str) -> list:
    return [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text.startswith(start)]


@pytest.fixture(scope="module")
def plan():
    return solve_scenario(load_scenario(VARIANT))


@pytest.fixture(scope="module")
def baseline():
    return solve_scenario(load_scenario(DEFAULT))


@pytest.fixture(scope="module")
def prs(plan, baseline):
    return Presentation(io.BytesIO(briefing_bytes(plan, baseline, "minusma_2020.json", date="1 July 2020")))


def test_native_16_9_and_the_slides_in_order(prs, plan):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    order = [t.removesuffix(" (continued)") for t in titles(prs)]
    expected = [plan.scenario.name, "Assumptions", "Rules the plan keeps", "The plan", "The plan by region",
                *(CHARTS[c][0] for c in DECK_CHARTS), "Against minusma_2020.json",
                "Against minusma_2020.json: what changed", "What limits the plan", "Sources"]
    assert [t for t in dict.fromkeys(order) if not t.startswith("Annex")] == expected
    assert titles(prs)[-1].startswith("Annex: where the numbers come from")


def test_the_title_slide_names_the_scenario_the_date_and_the_caveat(prs, plan):
    first = prs.slides[0]
    assert first.shapes.title.text == plan.scenario.name
    said = slide_texts(first)
    assert "Briefing  ·  1 July 2020" in said
    assert f"Mandate delivery score {plan.score:.1f} / 100" in said
    assert ILLUSTRATIVE_CAVEAT in said


def test_every_slide_carries_the_caveat_and_its_number(prs):
    total = len(prs.slides)
    for n, slide in enumerate(prs.slides, start=1):
        said = " ".join(slide_texts(slide))
        assert ILLUSTRATIVE_CAVEAT in said
        assert f"{n} / {total}" in said


def test_the_assumptions_list_weights_capacities_and_whole_units(prs, plan):
    s = plan.scenario
    (slide,) = slides_titled(prs, "Assumptions")
    said = slide_texts(slide)
    for t in s.tasks:
        assert t.name in said and f"{t.weight:g}" in said
    for q in s.resources:
        assert q.name in said
    assert "$52.1M" in said  # the capacity as the summary writes amounts
    assert any(line.startswith("Whole units: no") for line in said)
    rules = " ".join(slide_texts(slides_titled(prs, "Rules the plan keeps")[0]))
    assert all(rule_label(s, r) in rules for r in s.effective_rules)  # what each asks now


def test_the_plan_in_words_is_the_summary_s(prs, plan):
    sections = summary_sections(plan)
    said = [t for slide in slides_titled(prs, "The plan") for t in slide_texts(slide)]
    assert f"Mandate delivery score: {plan.score:.1f} / 100" in said
    for cap_id in plan.generate:
        assert any(line.endswith(")") and plan.scenario.capability(cap_id).name in line for line in said)
    for line in sections["Resources"].lines + sections["Where the units work"].lines:
        assert line in said
    limits = slide_texts(slides_titled(prs, "What limits the plan")[0])
    assert sections["What limits the plan"].lines
    assert all(line in limits for line in sections["What limits the plan"].lines)


def test_the_charts_are_high_resolution_pictures_and_the_rest_is_text(prs):
    pictures = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:  # a picture
                pictures[slide.shapes.title.text] = shape
    assert set(pictures) == {CHARTS[c][0] for c in DECK_CHARTS}
    for shape in pictures.values():
        width, height = Image.open(io.BytesIO(shape.image.blob)).size
        assert width >= 2400 and height >= 1000
        assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height


def test_the_baseline_against_the_plan(prs, plan, baseline):
    table = [t for t in slide_texts(slides_titled(prs, "Against minusma_2020.json")[0])]
    assert ["Score", f"{baseline.score:.1f}", f"{plan.score:.1f}", f"{plan.score - baseline.score:+.1f}"] == \
        table[table.index("Score"): table.index("Score") + 4]
    changed = slide_texts(slides_titled(prs, "Against minusma_2020.json: what changed")[0])
    assert "Force adaptation budget: $58.0M → $52.1M" in changed


def test_the_sources_and_notes(prs, plan):
    said = " ".join(t for slide in slides_titled(prs, "Sources") for t in slide_texts(slide))
    assert all(source in said for source in plan.scenario.sources)
    annex = " ".join(t for slide in slides_titled(prs, "Annex") for t in slide_texts(slide))
    assert all(c.note in annex for c in plan.scenario.capabilities if c.note)


def test_no_shape_runs_off_its_slide(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height


def test_with_stationing_where_the_units_are_based_and_what_goes_home():
    data = scenario_to_dict(load_scenario(DATA / "v2" / "posture.json"))
    data["rules"] = [r for r in data["rules"] if r["kind"] != "requires"]
    result = solve_scenario(scenario_from_dict(data))
    assert result.ok and result.basing.units.size
    s, cap = result.scenario, result.scenario.capabilities[0]
    result = dataclasses.replace(result, repatriate={cap.id: 2.0})
    prs = Presentation(io.BytesIO(briefing_bytes(result)))
    said = slide_texts(slides_titled(prs, "The plan")[0])
    assert said[said.index("Repatriate") + 1] == f"2 {cap.name}"
    based = slide_texts(slides_titled(prs, "The plan by base and region")[0])
    section = summary_sections(result)["Where the units are based"]  # the summary's own words
    assert section.head in based and section.lines and all(line in based for line in section.lines)
    bases = {s.regions[h].name for h, u in zip(result.basing.base.tolist(), result.basing.units.tolist()) if u > 1e-6}
    assert bases and all(any(line.startswith(f"{name}: ") for line in based) for name in bases)


def test_many_tasks_go_on_continuation_slides_and_nothing_is_lost():
    data = scenario_to_dict(load_scenario(DATA / "tiny.json"))
    data["illustrative"] = False
    data["tasks"] += [{"id": f"t{i}", "name": f"Mandate task number {i} with a long descriptive name " * 2,
                       "weight": 1} for i in range(40)]
    result = solve_scenario(scenario_from_dict(data))
    prs = Presentation(io.BytesIO(briefing_bytes(result)))
    assumptions = slides_titled(prs, "Assumptions")
    assert len(assumptions) > 1 and assumptions[1].shapes.title.text == "Assumptions (continued)"
    said = [t for slide in assumptions for t in slide_texts(slide)]
    assert all(t.name in said for t in result.scenario.tasks)
    assert not any(ILLUSTRATIVE_CAVEAT in " ".join(slide_texts(s)) for s in prs.slides)  # not illustrative


def test_a_scenario_without_a_plan_says_what_would_have_to_give():
    data = scenario_to_dict(load_scenario(DATA / "tiny.json"))
    data["rules"] = [{"id": "full", "kind": "floor", "task": "poc", "regions": ["mopti"], "min_satisfaction": 1}]
    result = solve_scenario(scenario_from_dict(data))
    assert not result.ok
    prs = Presentation(io.BytesIO(briefing_bytes(result)))
    (slide,) = slides_titled(prs, "No plan: infeasible")
    assert all(d.message in slide_texts(slide) for d in result.diagnosis)
    assert not any(shape.shape_type == 13 for s in prs.slides for shape in s.shapes)


def test_control_characters_in_a_name_are_shown_escaped(plan):
    s = dataclasses.replace(plan.scenario, name="Plan\x1b[2J")
    prs = Presentation(io.BytesIO(briefing_bytes(dataclasses.replace(plan, scenario=s))))
    assert prs.slides[0].shapes.title.text == "Plan\\x1b[2J"


def test_a_crowded_chart_is_drawn_at_its_size(plan):
    png = chart_png(plan, "allocation", size=(800, 300), dpi=100)
    assert Image.open(io.BytesIO(png)).size == (800, 300)


def test_a_failed_write_leaves_the_earlier_file_whole(tmp_path, plan, monkeypatch):
    path = tmp_path / "brief.pptx"
    path.write_bytes(b"earlier")

    def fail(*args, **kwargs):
        raise RuntimeError("drawing failed")
    monkeypatch.setattr(deck_module, "chart_png", fail)
    with pytest.raises(RuntimeError):
        write_briefing(plan, path)
    assert path.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pptx"]


def test_the_window_exports_a_briefing_against_the_pinned_baseline(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    w = window
    assert w.pin_baseline()
    target = tmp_path / "brief"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert w.export_briefing()
    prs = Presentation(target.with_suffix(".pptx"))
    assert prs.slides[0].shapes.title.text == w.document.scenario.name
    assert any(t.startswith("Against the plan pinned at") for t in titles(prs))
    w.solver.wait()
