"""Coverage: the share of each task's need met in each region, with the floors that
rules require."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.rules import rule_regions
from planner.result import Result
from planner.scenario import Scenario

from .chart import Empty, PlanChart, scenario_shape
from .parts import decorate_zones, legend_right, region_layout, style_axes
from .style import MUTED_TEXT, legend_label, task_color


def floor_levels(s: Scenario) -> np.ndarray:
    """The highest floor on each (task, region) pair as a fraction, nan where none: (T, R)."""
    T, R = len(s.tasks), len(s.regions)
    out = np.full((T, R), np.nan)
    t_ix = {t.id: i for i, t in enumerate(s.tasks)}
    for rule in s.effective_rules:
        if rule.kind != "floor" or rule.task not in t_ix or rule.min_satisfaction is None:
            continue
        ti, regions = t_ix[rule.task], rule_regions(s, rule)  # the regions the model enforces it in
        out[ti, regions] = np.fmax(out[ti, regions], rule.min_satisfaction)
    return out


class CoverageChart(PlanChart):
    """Share of each task's need met in each region (mean over periods, with the range
    across periods), with the floors that rules require."""

    WIDTH = 0.25  # of a bar, in region slots

    def numbers(self, result: Result):
        s = result.scenario
        sat = result.satisfaction
        if sat is None or not s.regions or not s.tasks:
            return Empty("No coverage to show")
        T = len(s.tasks)
        has = ~np.isnan(sat[:, :, 0]) if sat.shape[2] else np.zeros(sat.shape[:2], bool)  # (T, R)
        with np.errstate(invalid="ignore"):
            mean = np.where(has, np.nan_to_num(sat).mean(axis=2), np.nan) * 100
            lo = np.where(has, np.nan_to_num(sat).min(axis=2), np.nan) * 100
            hi = np.where(has, np.nan_to_num(sat).max(axis=2), np.nan) * 100
        floors = floor_levels(s) * 100
        # each region gets a slot as wide as its bars: the tasks with demand there, side by side
        width = self.WIDTH
        order, xs, groups = region_layout(s, np.maximum(0.7, has.sum(axis=0) * width + 0.3))
        bar_x = np.full((T, len(s.regions)), np.nan)
        for x, ri in zip(xs, order):
            tasks_here = np.flatnonzero(has[:, ri])
            bar_x[tasks_here, ri] = x + (np.arange(tasks_here.size) - (tasks_here.size - 1) / 2) * width
        with np.errstate(invalid="ignore"):
            varies = has & (hi - lo > 0.5)
        floored = has & ~np.isnan(floors)
        return SimpleNamespace(scenario=s, has=has, mean=mean, lo=lo, hi=hi, floors=floors, order=order,
                               xs=xs, groups=groups, bar_x=bar_x, varies=varies, floored=floored,
                               names=[s.regions[i].name for i in order])

    def layout(self, result, n):
        return (scenario_shape(result.scenario), n.has.tobytes(), bool(n.varies.any()),
                bool(n.floored.any()))

    def build(self, fig, n) -> None:
        s = n.scenario
        ax = self.ax = fig.add_subplot()
        style_axes(ax)
        width = self.WIDTH
        handles, self.bars = [], []
        for ti, t in enumerate(s.tasks):
            color = task_color(s, t.id)
            gid = f"task:{t.id}"
            sel = n.has[ti]
            bars = ax.bar(n.bar_x[ti, sel], np.zeros(int(sel.sum())), width * 0.9, color=color, zorder=2,
                          edgecolor="none") if sel.any() else []
            for b in bars:
                b.set_gid(gid)
            self.bars.append(bars)
            handles.append(Patch(facecolor=color, edgecolor="none", label=legend_label(t.name), gid=gid))
        # a need left entirely unmet says so: a bar of 0 is invisible
        self.zeros = [ax.text(x, 1.0, "0", ha="center", va="bottom", fontsize="small", color="#333333",
                              zorder=3, in_layout=False) for x in n.bar_x[n.has]]
        self.ranges = LineCollection([], colors="#555555", linewidths=1.0, zorder=3)
        ax.add_collection(self.ranges, autolim=False)
        if n.varies.any():
            handles.append(Line2D([], [], color="#555555", lw=1.0, label="Range across periods"))
        self.floor_marks = LineCollection([], colors="black", linewidths=2.6, zorder=4)
        ax.add_collection(self.floor_marks, autolim=False)
        if n.floored.any():
            handles.append(Line2D([], [], color="black", lw=2.6, label="Floor set by a rule"))
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        decorate_zones(ax, n.groups, n.xs, n.names)
        ax.set_ylabel("Need met (mean over periods)")
        legend_right(ax, handles, title="Task")
        if not n.has.any():
            ax.text(0.5, 0.5, "No task has demand in any region", transform=ax.transAxes,
                    ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)

    def show(self, n) -> None:
        for ti, bars in enumerate(self.bars):
            for b, h in zip(bars, n.mean[ti, n.has[ti]]):
                b.set_height(h)
        for text, m in zip(self.zeros, n.mean[n.has]):
            text.set_visible(m < 0.5)
        x = n.bar_x[n.varies]
        self.ranges.set_segments(np.stack([np.column_stack([x, n.lo[n.varies]]),
                                           np.column_stack([x, n.hi[n.varies]])], axis=1))
        fx, fy = n.bar_x[n.floored], n.floors[n.floored]
        half = self.WIDTH * 0.6
        self.floor_marks.set_segments(np.stack([np.column_stack([fx - half, fy]),
                                                np.column_stack([fx + half, fy])], axis=1))


def draw_coverage(fig, result: Result) -> None:
    """Share of each task's need met in each region (mean over periods, with the range
    across periods), with the floors that rules require."""
    CoverageChart().draw(fig, result)
