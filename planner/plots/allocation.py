"""Allocation: the average units employed per period in each region, regions grouped
by zone, stacked by task or by capability, counted in units or in what the units
use of a resource (personnel, cost), so that a battalion and a drone do not count alike."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from planner.money import is_money
from planner.result import Result

from .chart import Empty, PlanChart, scenario_shape
from .parts import StaggeredLabels, decorate_zones, legend_right, region_layout, style_axes, units_crtp
from .titles import measures  # noqa: F401 - the allocation's measures, named with it
from .style import NAME_CHARS, MUTED_TEXT, capability_color, elide, fmt_units, legend_label, task_color, tx


def measure_of(scenario, measure: str):
    """``(weight per unit of each capability, axis label)`` of a measure: ``"units"``, or
    a resource id (what a unit uses of it: a battalion's 850 persons, a drone's 10). A resource
    the scenario does not have counts units (a measure kept from another scenario)."""
    q = next((r for r in scenario.resources if r.id == measure), None) if measure != "units" else None
    if q is None:
        return np.ones(len(scenario.capabilities)), "Units employed (average per period)"
    w = np.array([float((c.uses or {}).get(q.id, 0.0)) for c in scenario.capabilities])
    if is_money(q.unit):
        return w / 1e6, tx(f"Cost of the units employed, $M per period ({elide(q.name, NAME_CHARS)})")
    return w, tx(f"{q.unit[:1].upper()}{q.unit[1:]} in the units employed (average per period)")


class AllocationChart(PlanChart):
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``), counted in
    ``measure`` (``"units"`` or a resource id, :func:`measure_of`)."""

    def __init__(self, by: str = "task", measure: str = "units"):
        if by not in ("task", "capability"):
            raise ValueError(f"by must be 'task' or 'capability', not {by!r}")
        super().__init__(by=by, measure=measure)
        self.by, self.measure = by, measure

    def numbers(self, result: Result):
        s = result.scenario
        if not s.regions:
            return Empty("No regions in this scenario")
        weight, self.ylabel = measure_of(s, self.measure)
        raw = units_crtp(result)
        units = raw * weight[:, None, None, None]
        used = raw.sum(axis=(1, 2, 3)) > 1e-6
        uncounted = [c.name for c, u, w in zip(s.capabilities, used, weight) if u and w == 0]
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
        return SimpleNamespace(per=per, series=series, order=order, xs=xs, groups=groups, uncounted=uncounted,
                               names=[s.regions[i].name for i in order],
                               bottoms=np.cumsum(per, axis=0) - per, totals=per.sum(axis=0))

    def layout(self, result, n):
        return scenario_shape(result.scenario), self.by, self.ylabel, tuple(n.series)

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
        ax.add_artist(StaggeredLabels(self.totals, zorder=3))  # neighbours' totals never touch
        decorate_zones(ax, n.groups, n.xs, n.names)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        ax.set_ylabel(self.ylabel)
        legend_right(ax, handles, title="Task" if self.by == "task" else "Capability")
        self.nothing = ax.text(0.5, 0.5, "No units employed in this plan", transform=ax.transAxes,
                               ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)
        # what a measure other than units leaves out, said under the legend
        self.note = ax.text(1.02, 0.0, "", transform=ax.transAxes, ha="left", va="bottom",
                            fontsize="small", color=MUTED_TEXT, in_layout=False, linespacing=1.2)

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
        names = [elide(x, NAME_CHARS) for x in n.uncounted[:4]] + (["…"] if len(n.uncounted) > 4 else [])
        self.note.set_text(tx("Not counted (they use none of it):\n" + "\n".join(names)) if names else "")


def draw_allocation(fig, result: Result, by: str = "task", measure: str = "units") -> None:
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``), counted in
    ``measure`` (``"units"`` or a resource id)."""
    AllocationChart(by, measure).draw(fig, result)


def draw_allocation_by_capability(fig, result: Result) -> None:
    draw_allocation(fig, result, by="capability")
