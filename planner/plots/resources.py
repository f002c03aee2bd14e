"""Resources: each resource's use against its capacity."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.result import Result
from planner.summary import format_amount

from .parts import check_plan, draw_message, prepare, style_axes
from .style import BAR_COLOR, BINDING_COLOR, TRACK_COLOR, name_label, tx


def draw_resources(fig, result: Result) -> None:
    """Each resource's use against its capacity, as a percentage bar with the amounts."""
    if not check_plan(fig, result):
        return
    s = result.scenario
    if not s.resources:
        draw_message(fig, "No resources in this scenario")
        return
    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax, "x")
    n = len(s.resources)
    y = np.arange(n)
    shares, colors, labels, names = [], [], [], []
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
        names.append(name_label(q.name, 28))
    shares = np.array(shares)
    right = max(100.0, float(shares.max()) if n else 100.0)
    ax.barh(y, np.full(n, 100.0), 0.55, color=TRACK_COLOR, zorder=1)
    ax.barh(y, np.minimum(shares, right), 0.55, color=colors, zorder=2)
    for yi, share, text in zip(y, shares, labels):
        if share >= 55:
            ax.text(min(share, right) - 1.5, yi, text, ha="right", va="center", color="white",
                    fontsize="medium", fontweight="bold", zorder=3, in_layout=False)
        else:
            ax.text(share + 1.5, yi, text, ha="left", va="center", color="#222222",
                    fontsize="medium", zorder=3, in_layout=False)
    ax.axvline(100, color="#444444", lw=1, zorder=2.5)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlim(0, right * 1.02)
    ax.set_ylim(max(n, 3) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xlabel("Share of capacity used")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(handles=[Patch(facecolor=BAR_COLOR, label="Used"),
                       Patch(facecolor=BINDING_COLOR, label="Used to the limit (binding)"),
                       Patch(facecolor=TRACK_COLOR, label="Unused capacity")],
              loc="lower right", frameon=False,
              bbox_to_anchor=(1.0, 1.0), ncols=3, borderaxespad=0.3)


def _amount_of(used: float, capacity: float, unit: str) -> str:
    """``$57.2M of $58.0M``, ``13,087 of 15,209 persons``."""
    a, b = format_amount(used, unit), format_amount(capacity, unit)
    suffix = f" {unit}"
    if a.endswith(suffix) and b.endswith(suffix):
        a = a[: -len(suffix)]
    return f"{a} of {b}"
