"""The map's labels are read, not guessed at: on the bundled case none covers another."""

from __future__ import annotations

import pytest
from matplotlib.text import Text
from conftest import SCENARIOS, V1_DEFAULT

from planner.fileio import load_scenario
from planner.plots.export import render_figure
from planner.solve import solve_scenario


@pytest.mark.parametrize("path", [SCENARIOS / "minusma_2020.json", SCENARIOS / "minusma_2020_west.json", V1_DEFAULT],
                         ids=["default", "west", "v1"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_no_map_label_covers_another(path, size):
    res = solve_scenario(load_scenario(path))
    fig = render_figure(res, "map", size=size, dpi=150)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text() and hasattr(t, "xyann")]
    assert len(labels) >= len(res.scenario.regions) - 1  # every placed region has one
    boxes = [Text.get_window_extent(t, renderer) for t in labels]  # the text, not its leader line
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert w <= 1 or h <= 1, (labels[i].get_text(), labels[j].get_text())
