"""Resources: each resource's use against its capacity."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.result import Result
from planner.summary import format_amount

from .chart import Empty, PlanChart
from .parts import style_axes
from .style import BAR_COLOR, BINDING_COLOR, TRACK_COLOR, name_label, tx


class ResourcesChart(PlanChart):
    """Each resource's use against its capacity, as a percentage bar with the amounts."""

    def numbers(self, result: Result):
        s = result.scenario
        if not s.resources:
            return Empty("No resources in this scenario")
        shares, colors, labels = [], [], []
        for q in s.resources:
            use = result.resources.get(q.id)
            used = use.used if use else 0.0
            share = 100 * used / q.capacity if q.capacity > 0 else (0.0 if used <= 0 else 100.0)
            binding = bool(use and (use.shadow_price > 1e-9 or share >= 99.95))
            shares.append(share)
            colors.append(BINDING_COLOR if binding else BAR_COLOR)
            peak = "peak per period: " if q.basis == "employed" else ""
            pct = f"{share:.0f}%" if share >= 1 or share == 0 else "<1%"
            labels.append(tx(f"{peak}{_amount_of(used, q.capacity, q.unit)} ({pct})"
                             f"{' — binding' if binding else ''}"))
        shares = np.array(shares)
        return SimpleNamespace(scenario=s, shares=shares, colors=colors, labels=labels,
                               right=max(100.0, float(shares.max())))

    def build(self, fig, n) -> None:
        s = n.scenario
        ax = self.ax = fig.add_subplot()
        style_axes(ax, "x")
        k = len(s.resources)
        y = np.arange(k)
        ax.barh(y, np.full(k, 100.0), 0.55, color=TRACK_COLOR, zorder=1)
        self.bars = ax.barh(y, np.zeros(k), 0.55, color=BAR_COLOR, zorder=2)
        self.texts = [ax.text(0.0, yi, "", va="center", fontsize="medium", zorder=3, in_layout=False)
                      for yi in y]
        ax.axvline(100, color="#444444", lw=1, zorder=2.5)
        ax.set_yticks(y)
        ax.set_yticklabels([name_label(q.name, 28) for q in s.resources])
        ax.invert_yaxis()
        ax.set_ylim(max(k, 3) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_xlabel("Share of capacity used")
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.legend(handles=[Patch(facecolor=BAR_COLOR, label="Used"),
                           Patch(facecolor=BINDING_COLOR, label="Used to the limit (binding)"),
                           Patch(facecolor=TRACK_COLOR, label="Unused capacity")],
                  loc="lower right", frameon=False,
                  bbox_to_anchor=(1.0, 1.0), ncols=3, borderaxespad=0.3)

    def show(self, n) -> None:
        right = n.right
        for bar, share, color in zip(self.bars, n.shares, n.colors):
            bar.set_width(min(share, right))
            bar.set_facecolor(color)
        for text, share, label in zip(self.texts, n.shares, n.labels):
            text.set_text(label)
            inside = share >= 55
            text.set_x(min(share, right) - 1.5 if inside else share + 1.5)
            text.set_horizontalalignment("right" if inside else "left")
            text.set_color("white" if inside else "#222222")
            text.set_fontweight("bold" if inside else "normal")
        xlim = (0.0, right * 1.02)
        if self.ax.get_xlim() != xlim:
            self.ax.set_xlim(*xlim)


def draw_resources(fig, result: Result) -> None:
    """Each resource's use against its capacity, as a percentage bar with the amounts."""
    ResourcesChart().draw(fig, result)


def _amount_of(used: float, capacity: float, unit: str) -> str:
    """``$57.2M of $58.0M``, ``13,087 of 15,209 persons``."""
    a, b = format_amount(used, unit), format_amount(capacity, unit)
    suffix = f" {unit}"
    if a.endswith(suffix) and b.endswith(suffix):
        a = a[: -len(suffix)]
    return f"{a} of {b}"
