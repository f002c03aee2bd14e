"""Task scores: each task's score in its colour, with its weight share and the overall score."""

from __future__ import annotations

import numpy as np

from planner.result import Result

from .parts import check_plan, draw_message, prepare, style_axes
from .style import MUTED_TEXT, name_label, task_color


def draw_tasks(fig, result: Result) -> None:
    """Each task's score (100 = every need fully met) in its colour, with its weight share."""
    if not check_plan(fig, result):
        return
    s = result.scenario
    if not s.tasks:
        draw_message(fig, "No tasks in this scenario")
        return
    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax, "x")
    total_w = sum(t.weight for t in s.tasks) or 1.0
    y = np.arange(len(s.tasks))
    scores = [result.task_scores.get(t.id) for t in s.tasks]
    values = np.array([0.0 if v is None else v for v in scores])
    colors = [task_color(s, t.id) for t in s.tasks]
    bars = ax.barh(y, values, 0.66, color=colors, zorder=2)
    for b, t in zip(bars, s.tasks):
        b.set_gid(f"task:{t.id}")
    for yi, v in zip(y, scores):
        text = "no demand" if v is None else f"{v:.1f}"
        ax.text((v or 0) + 1.0, yi, text, va="center", ha="left", fontsize="medium",
                fontweight="bold" if v is not None else "normal", zorder=4,
                color="#222222" if v is not None else MUTED_TEXT,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none"), in_layout=False)
    ax.axvline(result.score, color="#333333", lw=1.4, ls=(0, (5, 3)), zorder=3)
    ax.text(result.score, 1.0, f"Overall score {result.score:.1f}", transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize="medium", color="#333333")
    names = [f"{name_label(t.name, 40)}\nweight {100 * t.weight / total_w:.0f}%" for t in s.tasks]
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(len(s.tasks), 3) - 0.5, -0.5)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("Task score (100 = every need fully met)")
