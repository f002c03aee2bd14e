"""Pareto frontier: the trade-off between two tasks' scores."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .parts import draw_message, prepare, style_axes
from .style import (
    CURRENT_COLOR, LINE_COLOR, REACHABLE_COLOR, TITLE_CHARS, elide, font_size, task_color_or_grey, tx, wrap,
)


def draw_pareto(fig, frontier) -> None:
    """Task A's score against task B's along the frontier; the current plan marked, with
    what task A could gain at the same task B score if it lies inside the frontier
    (a gain the other tasks pay for: the frontier looks at these two only)."""
    f = frontier
    s = f.scenario
    if not f.points:
        draw_message(fig, "No frontier to show")
        return
    a = np.array([p.score_a for p in f.points])
    b = np.array([p.score_b for p in f.points])
    short_a, short_b = elide(f.name_a, 30), elide(f.name_b, 30)

    prepare(fig)
    ax = fig.add_subplot()
    style_axes(ax, "both")
    fs = font_size()
    col_a, col_b = task_color_or_grey(s, f.task_a), task_color_or_grey(s, f.task_b)
    c = f.current

    xs = np.append(a, c.score_a)
    ys = np.append(b, c.score_b)
    span_x = max(float(np.ptp(xs)), 6.0)
    span_y = max(float(np.ptp(ys)), 6.0)
    # room above and to the right for the labels of the ends (beyond the frontier nothing is drawn)
    x0, x1 = xs.min() - 0.08 * span_x, xs.max() + 0.3 * span_x
    y0, y1 = ys.min() - 0.1 * span_y, ys.max() + 0.16 * span_y

    # what can be reached lies under the frontier
    order = np.argsort(a)
    fx = np.concatenate([[x0], a[order], [a[order][-1]]])
    fy = np.concatenate([[b[order][0]], b[order], [y0]])
    ax.fill_between(fx, y0, fy, color=REACHABLE_COLOR, lw=0, zorder=0)
    ax.plot(a, b, color=LINE_COLOR, lw=2.2, marker="o", ms=0.55 * fs, mfc=LINE_COLOR, mec="white",
            mew=0.8, zorder=3)

    # ends: the plan best for each task, labelled on the unreachable side
    def note(x, y, text, dx, dy, ha, va, color):
        ax.annotate(tx(text), (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                    fontsize="small", color="#222222", zorder=6, in_layout=False,
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=color, lw=1.5))

    note(a[-1], b[-1], f"Best for {short_b}\n{a[-1]:.1f} / {b[-1]:.1f}", 0.7 * fs, 0.4 * fs,
         "left", "bottom", col_b)
    # task a's end is low on the right: its label goes to the left, inside the reachable area
    note(a[0], b[0], f"Best for {short_a}\n{a[0]:.1f} / {b[0]:.1f}", -1.0 * fs, 0.4 * fs,
         "right", "bottom", col_a)

    ax.plot([c.score_a], [c.score_b], ls="", marker="*", ms=1.9 * fs, mfc=CURRENT_COLOR, mec="white",
            mew=1.0, zorder=5)
    text = f"Current plan: {c.score_a:.1f} / {c.score_b:.1f}\n(overall score {c.score:.1f})"
    if not f.current_on_frontier:
        ax.annotate("", (c.score_a + f.current_gap, c.score_b), xytext=(c.score_a, c.score_b),
                    arrowprops=dict(arrowstyle="-|>", color=CURRENT_COLOR, lw=1.4, shrinkA=7, shrinkB=1,
                                    mutation_scale=1.2 * fs),
                    zorder=4)
        text += (f"\nThe frontier is {f.current_gap:.1f} points further right,\n"
                 f"at a cost to the other tasks")
    if f.current_on_frontier:  # beyond the frontier, where nothing else is drawn
        where = dict(xytext=(1.0 * fs, 0.6 * fs), ha="left", va="bottom")
    else:  # inside, below the star, on the side with room
        fx_ = (c.score_a - x0) / (x1 - x0)
        fy_ = (c.score_b - y0) / (y1 - y0)
        where = dict(xytext=(-0.6 * fs if fx_ < 0.55 else 0.6 * fs, -1.3 * fs if fy_ > 0.35 else 1.3 * fs),
                     ha="left" if fx_ < 0.55 else "right", va="top" if fy_ > 0.35 else "bottom")
    ax.annotate(tx(text), (c.score_a, c.score_b), textcoords="offset points", fontsize="small",
                color=CURRENT_COLOR, zorder=6, in_layout=False, linespacing=1.25,
                bbox=dict(boxstyle="square,pad=0.2", fc="white", ec="none", alpha=0.85), **where)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    # no ticks for scores no plan can have (the margins go past 0 and 100)
    score_ticks = FuncFormatter(lambda v, _: f"{v:g}" if -1e-9 <= v <= 100.0001 else "")
    ax.xaxis.set_major_formatter(score_ticks)
    ax.yaxis.set_major_formatter(score_ticks)
    ax.set_xlabel(tx(f"{elide(f.name_a, TITLE_CHARS)}: score"))
    ax.set_ylabel(wrap(f"{elide(f.name_b, TITLE_CHARS)}: score", 36))
    # the task colours on the axes they measure
    for side, col in (("bottom", col_a), ("left", col_b)):
        ax.spines[side].set_color(col)
        ax.spines[side].set_linewidth(0.3 * fs)
    ax.legend(handles=[
        Line2D([], [], color=LINE_COLOR, lw=2.2, marker="o", ms=0.55 * fs, mec="white",
               label="Frontier: the most of one task for each score of the other"),
        Patch(facecolor=REACHABLE_COLOR, label="Reachable"),
        Line2D([], [], ls="", marker="*", ms=1.3 * fs, mfc=CURRENT_COLOR, mec="white", label="Current plan"),
    ], loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, fontsize="small",
        borderaxespad=0.3, handlelength=1.6)
