"""Allocation: the average units employed per period in each region, regions grouped
by zone, stacked by task or by capability."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from planner.result import Result

from .parts import (
    check_plan, decorate_zones, draw_message, legend_right, prepare, region_layout, style_axes, units_crtp,
)
from .style import MUTED_TEXT, capability_color, fmt_units, legend_label, task_color


def draw_allocation(fig, result: Result, by: str = "task") -> None:
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``)."""
    if by not in ("task", "capability"):
        raise ValueError(f"by must be 'task' or 'capability', not {by!r}")
    if not check_plan(fig, result):
        return
    s = result.scenario
    if not s.regions:
        draw_message(fig, "No regions in this scenario")
        return
    units = units_crtp(result)
    P = max(len(s.periods), 1)
    if by == "task":
        per = units.sum(axis=(0, 3)).T / P  # (T, R)
        series = [(legend_label(t.name), task_color(s, t.id), f"task:{t.id}") for t in s.tasks]
    else:
        per = units.sum(axis=(2, 3)) / P  # (C, R)
        series = [(legend_label(c.name), capability_color(s, c.id), f"capability:{c.id}")
                  for c in s.capabilities]
    order, xs, groups = region_layout(s)
    per = per[:, order]
    names = [s.regions[i].name for i in order]

    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax)
    bottom = np.zeros(len(order))
    handles = []
    for k, (label, color, gid) in enumerate(series):
        bars = ax.bar(xs, per[k], 0.7, bottom=bottom, color=color, edgecolor="white",
                      linewidth=0.6, label=label, zorder=2)
        for b in bars:
            b.set_gid(gid)
        handles.append(Patch(facecolor=color, edgecolor="none", label=label, gid=gid))
        bottom += per[k]
    top = float(bottom.max()) if bottom.size else 0.0
    for x, total in zip(xs, bottom):
        if total > 1e-6:
            ax.text(x, total, fmt_units(total), ha="center", va="bottom", fontsize="small",
                    color="#333333", zorder=3, in_layout=False)
    ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
    decorate_zones(ax, groups, xs, names)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.set_ylabel("Units employed (average per period)")
    legend_right(ax, handles, title="Task" if by == "task" else "Capability")
    if top <= 1e-6:
        ax.text(0.5, 0.5, "No units employed in this plan", transform=ax.transAxes,
                ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)


def draw_allocation_by_capability(fig, result: Result) -> None:
    draw_allocation(fig, result, by="capability")
