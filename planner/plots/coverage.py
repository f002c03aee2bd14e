"""Coverage: the share of each task's need met in each region, with the floors that
rules require."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.model import rule_regions
from planner.result import Result
from planner.scenario import Scenario

from .parts import check_plan, decorate_zones, draw_message, legend_right, prepare, region_layout, style_axes
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


def draw_coverage(fig, result: Result) -> None:
    """Share of each task's need met in each region (mean over periods, with the range
    across periods), with the floors that rules require."""
    if not check_plan(fig, result):
        return
    s = result.scenario
    sat = result.satisfaction
    if sat is None or not s.regions or not s.tasks:
        draw_message(fig, "No coverage to show")
        return
    T = len(s.tasks)
    has = ~np.isnan(sat[:, :, 0]) if sat.shape[2] else np.zeros(sat.shape[:2], bool)  # (T, R)
    with np.errstate(invalid="ignore"):
        mean = np.where(has, np.nan_to_num(sat).mean(axis=2), np.nan) * 100
        lo = np.where(has, np.nan_to_num(sat).min(axis=2), np.nan) * 100
        hi = np.where(has, np.nan_to_num(sat).max(axis=2), np.nan) * 100
    floors = floor_levels(s) * 100

    # each region gets a slot as wide as its bars: the tasks with demand there, side by side
    width = 0.25
    n_here = has.sum(axis=0)
    order, xs, groups = region_layout(s, np.maximum(0.7, n_here * width + 0.3))
    bar_x = np.full((T, len(s.regions)), np.nan)
    for x, ri in zip(xs, order):
        tasks_here = np.flatnonzero(has[:, ri])
        offs = (np.arange(tasks_here.size) - (tasks_here.size - 1) / 2) * width
        bar_x[tasks_here, ri] = x + offs

    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax)
    handles = []
    for ti, t in enumerate(s.tasks):
        color = task_color(s, t.id)
        gid = f"task:{t.id}"
        sel = has[ti]
        if sel.any():
            bars = ax.bar(bar_x[ti, sel], mean[ti, sel], width * 0.9, color=color, zorder=2,
                          edgecolor="none")
            for b in bars:
                b.set_gid(gid)
        handles.append(Patch(facecolor=color, edgecolor="none", label=legend_label(t.name), gid=gid))
    nothing = has & (mean < 0.5)  # a need left entirely unmet: say so, a bar of 0 is invisible
    for x in bar_x[nothing]:
        ax.text(x, 1.0, "0", ha="center", va="bottom", fontsize="small", color="#333333", zorder=3,
                in_layout=False)

    varies = has & (hi - lo > 0.5)
    if varies.any():
        ax.vlines(bar_x[varies], lo[varies], hi[varies], color="#555555", lw=1.0, zorder=3)
        handles.append(Line2D([], [], color="#555555", lw=1.0, label="Range across periods"))
    floored = has & ~np.isnan(floors)
    if floored.any():
        fx = bar_x[floored]
        ax.hlines(floors[floored], fx - width * 0.6, fx + width * 0.6, color="black", lw=2.6, zorder=4)
        handles.append(Line2D([], [], color="black", lw=2.6, label="Floor set by a rule"))
    ax.set_ylim(0, 105)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    names = [s.regions[i].name for i in order]
    decorate_zones(ax, groups, xs, names)
    ax.set_ylabel("Need met (mean over periods)")
    legend_right(ax, handles, title="Task")
    if not has.any():
        ax.text(0.5, 0.5, "No task has demand in any region", transform=ax.transAxes,
                ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)
