"""Near-optimal alternatives: one row per whole-unit plan, its score and the units that differ."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .parts import draw_message, headline, hbars, prepare, rects, style_axes
from .style import BAR_COLOR, CURRENT_COLOR, MUTED_TEXT, NEW_COLOR, TRACK_COLOR, elide, font_size, tx, wrap

MORE_COLOR = "#BBD4EA"  # more units than the best plan
FEWER_COLOR = "#F2C4B8"  # fewer
SAME_COLOR = "#F3F3F3"
ROWS_SHOWN = 25  # rows beyond these are left to the text account


def draw_alternatives(fig, result) -> None:
    """Each alternative as a row, best at the top: on the left how many points it scores below
    the best (a bar, the tolerance marked), on the right the units of each capability whose
    units differ among the plans, shaded where they differ from the best plan's."""
    r = result
    if not r.alternatives:
        draw_message(fig, "No alternative to show")
        return
    alts = r.alternatives[:ROWS_SHOWN]
    n = len(alts)
    columns = _columns(r)

    prepare(fig)
    widths = [1.0, max(1.2, 0.45 * len(columns))] if columns else [1.0]
    axes = fig.subplots(1, len(widths), sharey=True, gridspec_kw={"width_ratios": widths}, squeeze=False)[0]
    ax = axes[0]
    style_axes(ax, "x")
    fs = font_size()
    y = np.arange(n, dtype=float)
    gaps = np.array([a.gap for a in alts])
    span = max(r.within, float(gaps.max()), 1e-3)
    hbars(ax, y, np.full(n, -span), 0.7, TRACK_COLOR, left=0.0, zorder=1)
    colors = [CURRENT_COLOR if a.is_best else BAR_COLOR for a in alts]
    hbars(ax, y, -np.maximum(gaps, span * 0.004), 0.7, colors, left=0.0, gid="gaps")
    ax.axvline(-r.within, color=NEW_COLOR, lw=1.4, ls="--", zorder=3)
    ax.annotate(tx(f"tolerance: {r.within:g} points"), (-r.within, 1.0), xycoords=("data", "axes fraction"),
                xytext=(0.3 * fs, 0.2 * fs), textcoords="offset points", ha="left", va="bottom",
                fontsize="small", color=NEW_COLOR, in_layout=False)
    for yi, a in zip(y, alts):
        ax.annotate(f"{a.score:.2f}", (0.0, yi), xytext=(0.4 * fs, 0), textcoords="offset points",
                    ha="left", va="center", fontsize="small", color="#222222", in_layout=False)
    ax.set_xlim(-1.08 * span, 0.22 * span)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(y, [("Best" if a.is_best else f"#{a.rank}") for a in alts])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.set_xlabel("Points below the best plan (its score at the right)")

    if columns:
        grid = axes[1]
        grid.set_xlim(-0.5, len(columns) - 0.5)
        for side in ("top", "right", "bottom", "left"):
            grid.spines[side].set_visible(False)
        grid.tick_params(axis="both", length=0)
        grid.xaxis.tick_top()
        grid.set_xticks(range(len(columns)), [wrap(label, 14) for _, _, label in columns], fontsize="small")
        best = r.best
        xs, ys, shades = [], [], []
        for j, (cid, which, _) in enumerate(columns):
            ref = getattr(best, which).get(cid, 0)
            for i, a in enumerate(alts):
                units = getattr(a, which).get(cid, 0)
                xs.append(j - 0.46)
                ys.append(i - 0.4)
                shades.append(SAME_COLOR if units == ref else MORE_COLOR if units > ref else FEWER_COLOR)
                weight = "normal" if units == ref else "bold"
                grid.text(j, i, str(units), ha="center", va="center", fontsize="small", fontweight=weight,
                          color="#222222" if units else MUTED_TEXT)
        grid.add_collection(rects(xs, ys, 0.92, 0.8, shades), autolim=False)
        grid.set_xlabel("Units of each capability that differs among the plans: blue more, red fewer "
                        "than the best")

    head = f"{len(r.alternatives)} whole-unit plan{'s' if len(r.alternatives) != 1 else ''} within " \
           f"{r.within:g} points of the best"
    head += "" if r.complete else f" ({r.message})"
    if r.whole_units_assumed:
        head += ". The scenario plans fractional units: these are its whole-unit plans"
    if len(r.alternatives) > n:
        head += f". The first {n} are shown"
    headline(fig, head)
    if not columns and n == 1:
        ax.annotate(tx("No other plan comes within the tolerance: the data decides every unit"),
                    (0.5, 0.5), xycoords="axes fraction", ha="center", va="center", color=MUTED_TEXT,
                    fontsize="small", in_layout=False)


def _columns(r) -> list[tuple[str, str, str]]:
    """(capability id, "generate" or "repatriate", label) for every count that differs among the plans."""
    out = []
    for c in r.scenario.capabilities:
        for which, suffix in (("generate", ""), ("repatriate", " (repatriated)")):
            values = {getattr(a, which).get(c.id, 0) for a in r.alternatives}
            if len(values) > 1:
                out.append((c.id, which, elide(c.name, 28) + suffix))
    return out
