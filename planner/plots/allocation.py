"""Allocation: the average units employed per period in each region, regions grouped
by zone, stacked by task or by capability."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from planner.result import Result

from .chart import Empty, PlanChart, scenario_shape
from .parts import decorate_zones, legend_right, region_layout, style_axes, units_crtp
from .style import MUTED_TEXT, capability_color, fmt_units, legend_label, task_color


class AllocationChart(PlanChart):
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``)."""

    def __init__(self, by: str = "task"):
        if by not in ("task", "capability"):
            raise ValueError(f"by must be 'task' or 'capability', not {by!r}")
        super().__init__(by=by)
        self.by = by

    def numbers(self, result: Result):
        s = result.scenario
        if not s.regions:
            return Empty("No regions in this scenario")
        units = units_crtp(result)
        P = max(len(s.periods), 1)
        if self.by == "task":
            per = units.sum(axis=(0, 3)).T / P  # (T, R)
            series = [(legend_label(t.name), task_color(s, t.id), f"task:{t.id}") for t in s.tasks]
        else:
            per = units.sum(axis=(2, 3)) / P  # (C, R)
            series = [(legend_label(c.name), capability_color(s, c.id), f"capability:{c.id}")
                      for c in s.capabilities]
        order, xs, groups = region_layout(s)
        per = per[:, order]
        return SimpleNamespace(per=per, series=series, order=order, xs=xs, groups=groups,
                               names=[s.regions[i].name for i in order],
                               bottoms=np.cumsum(per, axis=0) - per, totals=per.sum(axis=0))

    def layout(self, result, n):
        return scenario_shape(result.scenario), self.by, tuple(n.series)

    def build(self, fig, n) -> None:
        ax = self.ax = fig.add_subplot()
        style_axes(ax)
        zero = np.zeros(len(n.xs))
        self.bars, handles = [], []
        for label, color, gid in n.series:
            bars = ax.bar(n.xs, zero, 0.7, bottom=zero, color=color, edgecolor="white",
                          linewidth=0.6, label=label, zorder=2)
            for b in bars:
                b.set_gid(gid)
            self.bars.append(bars)
            handles.append(Patch(facecolor=color, edgecolor="none", label=label, gid=gid))
        self.totals = [ax.text(x, 0.0, "", ha="center", va="bottom", fontsize="small", color="#333333",
                               zorder=3, in_layout=False) for x in n.xs]
        decorate_zones(ax, n.groups, n.xs, n.names)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.set_ylabel("Units employed (average per period)")
        legend_right(ax, handles, title="Task" if self.by == "task" else "Capability")
        self.nothing = ax.text(0.5, 0.5, "No units employed in this plan", transform=ax.transAxes,
                               ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)

    def show(self, n) -> None:
        for bars, heights, bottoms in zip(self.bars, n.per, n.bottoms):
            for b, h, y in zip(bars, heights, bottoms):
                b.set_height(h)
                b.set_y(y)
        for text, total in zip(self.totals, n.totals):
            text.set_visible(total > 1e-6)
            text.set_y(total)
            text.set_text(fmt_units(total))
        top = float(n.totals.max()) if n.totals.size else 0.0
        ylim = (0.0, top * 1.1 if top > 0 else 1.0)
        if self.ax.get_ylim() != ylim:
            self.ax.set_ylim(*ylim)
        self.nothing.set_visible(top <= 1e-6)


def draw_allocation(fig, result: Result, by: str = "task") -> None:
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``)."""
    AllocationChart(by).draw(fig, result)


def draw_allocation_by_capability(fig, result: Result) -> None:
    draw_allocation(fig, result, by="capability")
