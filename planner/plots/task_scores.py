"""Task scores: each task's score in its colour, with its weight share and the overall score."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from planner.result import Result

from .chart import Empty, PlanChart
from .parts import style_axes
from .style import MUTED_TEXT, name_label, task_color


class TasksChart(PlanChart):
    """Each task's score (100 = every need fully met) in its colour, with its weight share."""

    def numbers(self, result: Result):
        s = result.scenario
        if not s.tasks:
            return Empty("No tasks in this scenario")
        total_w = sum(t.weight for t in s.tasks) or 1.0
        return SimpleNamespace(scenario=s, score=result.score,
                               scores=[result.task_scores.get(t.id) for t in s.tasks],
                               names=[f"{name_label(t.name, 40)}\nweight {100 * t.weight / total_w:.0f}%"
                                      for t in s.tasks])

    def build(self, fig, n) -> None:
        s = n.scenario
        ax = self.ax = fig.add_subplot()
        style_axes(ax, "x")
        y = np.arange(len(s.tasks))
        self.bars = ax.barh(y, np.zeros(len(s.tasks)), 0.66, color=[task_color(s, t.id) for t in s.tasks],
                            zorder=2)
        for b, t in zip(self.bars, s.tasks):
            b.set_gid(f"task:{t.id}")
        self.texts = [ax.text(0.0, yi, "", va="center", ha="left", fontsize="medium", zorder=4,
                              bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none"), in_layout=False)
                      for yi in y]
        self.overall_line = ax.axvline(0.0, color="#333333", lw=1.4, ls=(0, (5, 3)), zorder=3)
        self.overall = ax.text(0.0, 1.0, "", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                               fontsize="medium", color="#333333")
        ax.set_yticks(y)
        self._names = None
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_ylim(max(len(s.tasks), 3) - 0.5, -0.5)
        ax.set_xlim(0, 108)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel("Task score (100 = every need fully met)")

    def show(self, n) -> None:
        for bar, text, v in zip(self.bars, self.texts, n.scores):
            bar.set_width(v or 0.0)
            text.set_x((v or 0) + 1.0)
            text.set_text("no demand" if v is None else f"{v:.1f}")
            text.set_fontweight("normal" if v is None else "bold")
            text.set_color(MUTED_TEXT if v is None else "#222222")
        self.overall_line.set_xdata([n.score, n.score])
        self.overall.set_x(n.score)
        self.overall.set_text(f"Overall score {n.score:.1f}")
        if n.names != self._names:  # the weight shares in the labels
            self.ax.set_yticklabels(n.names)
            self._names = n.names


def draw_tasks(fig, result: Result) -> None:
    """Each task's score (100 = every need fully met) in its colour, with its weight share."""
    TasksChart().draw(fig, result)
