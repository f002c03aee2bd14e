"""Robustness (SMAA): how often each capability is generated over sampled weights, and the
spread of the task scores."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from planner.scenario import Scenario

from .parts import draw_message, hbars, headline, panel_title, prepare, style_axes
from .style import (
    BAR_COLOR, CURRENT_COLOR, NEW_COLOR, TRACK_COLOR, chars_across, fmt_units, font_size, name_label, pct,
    task_color_or_grey,
)


_MODE_TEXT = {
    "simplex": "weights drawn uniformly over every weighting",
    "around": "weights within ±{spread:.0%} of the current ones",
    "panel": "weights mixed from the panel members'",
}


def _quantile_parts(qs, values):
    """(low, q1, median, q3, high) from reported quantiles, None where a level is missing.

    The outer pair is the widest reported, the box the next one in (if any),
    the median the level nearest 0.5.
    """
    q = np.asarray(qs, float)
    v = np.asarray(values, float)
    order = np.argsort(q)
    q, v = q[order], v[order]
    if q.size == 0:
        return None
    mid = int(np.argmin(np.abs(q - 0.5)))
    low, high = v[0], v[-1]
    q1 = v[1] if q.size >= 4 else None
    q3 = v[-2] if q.size >= 4 else None
    return low, q1, v[mid], q3, high, (q[0], q[-1]), (q[1], q[-2]) if q.size >= 4 else None


def _level(q: float) -> str:
    return f"{100 * q:g}"


def draw_smaa(fig, smaa_result) -> None:
    """Robustness over sampled weights: how often each capability is generated (with
    the number of new units), and the spread of each task's score."""
    r = smaa_result
    s = r.scenario
    # capabilities that can never be generated (max_new 0) would only be rows of 0%
    caps = [c for c in r.capabilities
            if c.probability > 0 or c.current_units > 1e-6 or _can_generate(s, c.id)]
    caps.sort(key=lambda c: (-c.probability, -c.current_units))
    tasks = [t for t in r.tasks if t.quantiles is not None]
    if not caps and not tasks:
        draw_message(fig, "Nothing to show: no capability can be generated and no task has demand")
        return

    prepare(fig)
    ax, ax_t = fig.subplots(1, 2, width_ratios=[1.0, 1.0])
    fs = font_size()
    mode = _MODE_TEXT.get(r.mode, r.mode).format(spread=r.spread or 0.0)
    headline(fig, f"The current plan's set of new capabilities comes out in "
                   f"{pct(r.current_class_probability)} of {r.solved:,} samples ({mode}). "
                   f"{_method_note(r)}")

    # capabilities: probability bars, the new units as text to the right of the axes
    style_axes(ax, "x")
    n = len(caps)
    y = np.arange(n)
    current = set(r.current_generated)
    probs = np.array([100 * c.probability for c in caps])
    colors = [NEW_COLOR if c.id in current else BAR_COLOR for c in caps]
    hbars(ax, y, 100.0, 0.62, TRACK_COLOR, zorder=1)
    hbars(ax, y, probs, 0.62, colors, gid="capabilities")
    for yi, p, c in zip(y, probs, caps):
        inside = p >= 30
        ax.text(p - 2 if inside else p + 2, yi, pct(c.probability), ha="right" if inside else "left",
                va="center", fontsize="small", fontweight="bold", color="white" if inside else "#222222",
                zorder=3, in_layout=False)
    parts = [_quantile_parts(r.quantiles, c.units_quantiles) for c in caps]
    outer = next((q[5] for q in parts if q is not None), None)
    # in the layout: constrained layout keeps room for this column between the panels
    to_right = ax.get_yaxis_transform()
    head = "New units\nmedian"
    if outer is not None:
        head += f" ({_level(outer[0])}–{_level(outer[1])}%)"
    ax.text(1.04, -0.42, head, transform=to_right, ha="left", va="bottom", fontsize="small",
            fontweight="bold", color="#222222", linespacing=1.1)
    for yi, c, q in zip(y, caps, parts):
        if q is None or c.probability <= 0:
            text = "none"
        else:
            low, _, med, _, high = q[:5]
            text = fmt_units(med)
            if high - low > 0.05:
                text += f" ({fmt_units(low)}–{fmt_units(high)})"
        if abs(c.current_units - (q[2] if q is not None else 0.0)) > 0.05:
            text += f"\nnow {fmt_units(c.current_units)}"
        ax.text(1.04, yi, text, transform=to_right, ha="left", va="center", fontsize="small",
                color="#222222", linespacing=1.1)
    ax.set_yticks(y)
    ax.set_yticklabels([name_label(c.name, 20) for c in caps])
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(n, 3) - 0.5, -1.0)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 50, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xlabel("Share of samples that generate it")
    panel_title(ax, "Capability generated")
    handles = [Patch(facecolor=col, label=label) for col, label in
               ((NEW_COLOR, "In the current plan"), (BAR_COLOR, "Not in the current plan")) if col in colors]

    # tasks: box and whiskers from the reported quantiles, the current score marked
    style_axes(ax_t, "x")
    rows = [("Overall score", "#999999", r.quantiles, r.score_quantiles, r.current_score, None)]
    rows += [(t.name, task_color_or_grey(s, t.id), r.quantiles, t.quantiles, t.current_score, t.id)
             for t in tasks]
    yt = np.arange(len(rows))
    box_h = 0.5
    levels = None
    for yi, (_name, color, qs, vals, now, tid) in zip(yt, rows):
        q = _quantile_parts(qs, vals)
        if q is None:
            continue
        low, q1, med, q3, high, outer_lv, inner_lv = q
        levels = (outer_lv, inner_lv)
        cap = box_h / 3
        ax_t.plot([low, high, np.nan, low, low, np.nan, high, high],
                  [yi, yi, np.nan, yi - cap, yi + cap, np.nan, yi - cap, yi + cap],
                  color="#444444", lw=1.2, zorder=2)
        if q1 is not None:
            hbars(ax_t, yi, max(q3 - q1, 0.3), box_h, color, left=q1, zorder=3,
                   gid=f"task:{tid}" if tid else "overall", edgecolor="#333333", lw=0.8)
        ax_t.plot([med, med], [yi - box_h / 2, yi + box_h / 2], color="#111111", lw=2.4, zorder=4,
                  solid_capstyle="butt")
        if now is not None:
            ax_t.plot([now], [yi - box_h / 2 - 0.02], ls="", marker="v", ms=0.85 * fs, mfc=CURRENT_COLOR,
                      mec="white", mew=0.8, zorder=5, clip_on=False)
    ax_t.set_yticks(yt)
    ax_t.set_yticklabels([name_label(row[0], 20) for row in rows])
    ax_t.get_yticklabels()[0].set_fontweight("bold")
    ax_t.tick_params(axis="y", length=0)
    ax_t.spines["left"].set_visible(False)
    ax_t.set_ylim(max(len(rows), 3) - 0.4, -0.75)
    ax_t.set_xlim(0, 102)
    ax_t.set_xticks([0, 25, 50, 75, 100] if chars_across(fig) >= 80 else [0, 50, 100])
    ax_t.set_xlabel("Score, best plan per sample")
    panel_title(ax_t, "Score spread")
    if levels is not None:
        outer_lv, inner_lv = levels
        if inner_lv is not None:
            handles.append(Patch(facecolor="#BBBBBB", edgecolor="#333333", linewidth=0.8,
                                 label=f"{_level(inner_lv[0])}–{_level(inner_lv[1])}% of samples"))
        handles.append(Line2D([], [], color="#444444", lw=1.2,
                              label=f"{_level(outer_lv[0])}–{_level(outer_lv[1])}%"))
    handles.append(Line2D([], [], color="#111111", lw=2.4, label="Median"))
    handles.append(Line2D([], [], ls="", marker="v", ms=0.85 * fs, mfc=CURRENT_COLOR, mec="white",
                          label="Current plan"))
    # one legend for both panels, under them: a legend under one axes wider than it
    # would widen that column's margin and squeeze the plots
    fig.legend(handles=handles, loc="outside lower center", ncols=3 if chars_across(fig) < 120 else 6,
               frameon=False, fontsize="small", columnspacing=1.2, handlelength=1.4)


def _can_generate(s: Scenario, capability_id: str) -> bool:
    try:
        return s.capability(capability_id).max_new > 0
    except KeyError:
        return False


def _method_note(r) -> str:
    """How the samples were answered, shortly (the chart's reader may wonder how exact it is)."""
    text = getattr(r, "method_text", "")
    return f"{text[0].upper()}{text[1:]}." if text else ""
