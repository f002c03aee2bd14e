"""Comparison: scenarios side by side, the base first."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .parts import draw_message, hbars, panel_title, prepare, style_axes
from .style import BASE_COLOR, MUTED_TEXT, SCENARIO_COLORS, chars_across, elide, fmt_units, name_label, tx


def _no_rows(ax, text: str) -> None:
    ax.text(0.5, 0.5, tx(text), transform=ax.transAxes, ha="center", va="center",
            fontsize="large", color=MUTED_TEXT)


_PUNCT = ":-–—·,;"


def short_names(names: list[str]) -> list[str]:
    """Scenario names without the words they all share at the start and the end
    ("MINUSMA 2020-21: Fifth Committee cut (illustrative)" -> "Fifth Committee cut")."""
    if len(names) < 2:
        return list(names)
    words = [n.split() for n in names]

    def same(ws):  # "2020-21" and "2020-21:" are the same word
        return len({w.strip(_PUNCT).casefold() for w in ws}) == 1

    k = 0
    while all(len(w) > k for w in words) and same(w[k] for w in words):
        k += 1
    e = 0
    while all(len(w) > k + e for w in words) and same(w[len(w) - 1 - e] for w in words):
        e += 1
    out = []
    for w in words:
        core = " ".join(w[k: len(w) - e]).strip(_PUNCT + " ")
        if not core:
            return list(names)
        out.append(core[:1].upper() + core[1:])
    return out if len(set(out)) == len(out) else list(names)


def _grouped(ax, labels, values, colors, gids, value_fmt, xmax=None, tolerance=0.0):
    """Horizontal grouped bars: one row per label, one bar per scenario (base on top).

    The base's values are written beside its bars, the others' only where they
    differ from the base by more than ``tolerance``: equal bars say it themselves.
    """
    n_rows, k = len(labels), len(colors)
    y = np.arange(n_rows)
    h = min(0.8 / max(k, 1), 0.3)
    offs = (np.arange(k) - (k - 1) / 2) * h
    vals = np.array([[np.nan if v is None else v for v in row] for row in values], float).reshape(n_rows, k)
    top = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
    right = xmax if xmax is not None else (top * 1.18 if top > 0 else 1.0)
    for j in range(k):
        col = vals[:, j]
        have = ~np.isnan(col)
        hbars(ax, y[have] + offs[j], col[have], h * 0.92, colors[j], gid=gids[j])
        base = vals[:, 0]
        label = have & ((j == 0) | np.isnan(base) | (np.abs(col - base) > tolerance + 1e-9))
        for yi, v in zip(y[label] + offs[j], col[label]):
            ax.text(v + 0.01 * right, yi, value_fmt(v), ha="left", va="center", fontsize="small",
                    color="#333333", zorder=3, in_layout=False)
        for yi in (y[~have] + offs[j]):
            ax.text(0.01 * right, yi, "no plan", ha="left", va="center", fontsize="small",
                    color=MUTED_TEXT, style="italic", zorder=3, in_layout=False)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n_rows, 3) - 0.5, -0.5)
    ax.set_xlim(0, right)


def draw_comparison(fig, comparison) -> None:
    """Scenarios side by side, the base first: overall and task scores, and the new
    units generated per capability (those that any scenario generates)."""
    outcomes = list(comparison.outcomes)
    if not outcomes:
        draw_message(fig, "No scenarios to compare")
        return
    scens = [o.result.scenario for o in outcomes]
    k = len(outcomes)
    short = short_names([o.name for o in outcomes])
    colors = [BASE_COLOR] + [SCENARIO_COLORS[i % len(SCENARIO_COLORS)] for i in range(k - 1)]
    gids = [f"scenario:{i}" for i in range(k)]

    def task_name(tid):
        for sc in scens:
            for t in sc.tasks:
                if t.id == tid:
                    return t.name
        return tid

    def cap_name(cid):
        for sc in scens:
            for c in sc.capabilities:
                if c.id == cid:
                    return c.name
        return cid

    prepare(fig)
    ax_s, ax_g = fig.subplots(1, 2, width_ratios=[1.0, 1.0])
    style_axes(ax_s, "x")
    style_axes(ax_g, "x")

    rows_s = [("Overall score", [o.score for o in outcomes])]
    # a task without demand has no score in any plan: no row
    rows_s += [(task_name(d.key[0]), list(d.values)) for d in comparison.task_scores
               if any(v is not None for v in d.values)]
    labels = [name_label(name, 24) for name, _ in rows_s]
    tol = float(comparison.tolerance)
    _grouped(ax_s, labels, [v for _, v in rows_s], colors, gids, lambda v: f"{v:.1f}", xmax=112,
             tolerance=max(tol, 0.05))  # scores show one decimal
    ax_s.get_yticklabels()[0].set_fontweight("bold")
    ax_s.set_xticks([0, 20, 40, 60, 80, 100])
    ax_s.set_xlabel("Score (100 = every need fully met)")
    panel_title(ax_s, "Scores")

    gen = [d for d in comparison.generate if any(v for v in d.values if v is not None)]
    if gen:
        _grouped(ax_g, [name_label(cap_name(d.key[0]), 24) for d in gen], [list(d.values) for d in gen],
                 colors, gids, fmt_units, tolerance=max(tol, 0.05))
        ax_g.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    else:
        ax_g.set_yticks([])
        ax_g.spines["left"].set_visible(False)
        _no_rows(ax_g, "No scenario generates new units")
    ax_g.set_xlabel("New units generated")
    panel_title(ax_g, "New units")

    handles, widths = [], []
    for j, (o, name) in enumerate(zip(outcomes, short)):
        label = elide(name) + (" (base)" if j == 0 else "")
        if o.score is None:
            label += f" — no plan ({o.status})"
        handles.append(Patch(facecolor=colors[j], label=tx(label), gid=gids[j]))
        widths.append(len(label) + 6)  # the patch and the gap, in characters
    room = chars_across(fig, 0.95, 0.83)  # the legend is in the small font
    ncols = k
    while ncols > 1 and max(widths) * ncols > room:
        ncols -= 1
    ncols = -(-k // -(-k // ncols))  # as many rows, filled evenly: 4 in 2 x 2 rather than 3 + 1
    leg = fig.legend(handles=handles, loc="outside upper center", ncols=ncols, frameon=False, fontsize="small",
                     title="Values are written where they differ from the base", title_fontsize="small")
    leg.get_title().set_color(MUTED_TEXT)
