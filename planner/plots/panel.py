"""Stakeholder panel: each member's regret, their own optimum against the compromise."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .parts import draw_message, hbars, headline, panel_title, prepare, style_axes
from .style import OWN_COLOR, REGRET_COLOR, REGRET_TEXT, elide, font_size, name_label


def draw_panel(fig, panel) -> None:
    """Each panel member's regret (the points the compromise costs them, under their
    own weights), and their own optimum against their score under the compromise."""
    members = list(panel.members)
    if not members:
        draw_message(fig, "The panel has no members")
        return
    n = len(members)
    prepare(fig)
    ax_r, ax_s = fig.subplots(1, 2, sharey=True, width_ratios=[0.8, 1.2])
    fs = font_size()
    worst = max(members, key=lambda m: m.regret)
    head = f"The compromise (the mean of the members' weights) scores {panel.compromise_score:.1f}; "
    if worst.regret < 0.05:
        head += "it costs no member anything: each scores as under their own best plan."
    else:
        head += f"it costs {elide(worst.name)} the most: {worst.regret:.1f} points."
    headline(fig, head)
    y = np.arange(n)
    names = [name_label(m.name, 22) for m in members]

    style_axes(ax_r, "x")
    regrets = np.array([m.regret for m in members])
    hbars(ax_r, y, regrets, 0.6, REGRET_COLOR)
    top = float(regrets.max()) if n else 0.0
    right = top * 1.25 if top > 1e-9 else 1.0
    for yi, v in zip(y, regrets):
        ax_r.text(v + 0.02 * right, yi, f"{v:.1f}" if v >= 0.05 or v == 0 else "<0.1", ha="left",
                  va="center", fontsize="medium", fontweight="bold", color="#222222", in_layout=False)
    ax_r.set_xlim(0, right)
    ax_r.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax_r.set_yticks(y)
    ax_r.set_yticklabels(names)
    ax_r.tick_params(axis="y", length=0)
    ax_r.spines["left"].set_visible(False)
    ax_r.set_ylim(max(n, 3) - 0.5, -0.5)
    ax_r.set_xlabel("Regret (score points)")
    panel_title(ax_r, "What the compromise costs")

    style_axes(ax_s, "x")
    own = np.array([m.own_score for m in members])
    comp = np.array([m.compromise_score for m in members])
    ax_s.hlines(y, comp, own, color="#999999", lw=2.4, zorder=2)
    ms = 0.95 * fs
    # the ring larger than the dot: where they coincide (no regret) both stay visible
    ax_s.plot(comp, y, ls="", marker="o", ms=1.45 * ms, mfc="white", mec=REGRET_COLOR, mew=2.0, zorder=3)
    ax_s.plot(own, y, ls="", marker="o", ms=ms, mfc=OWN_COLOR, mec="white", mew=1.0, zorder=4)
    lo, hi = float(min(own.min(), comp.min())), float(max(own.max(), comp.max()))
    span = max(hi - lo, 4.0)
    for yi, o, c_ in zip(y, own, comp):
        ax_s.text(o + 0.04 * span, yi, f"{o:.1f}", ha="left", va="center", fontsize="small",
                  color=OWN_COLOR, in_layout=False)
        if abs(o - c_) > 0.05:
            ax_s.text(c_ - 0.04 * span, yi, f"{c_:.1f}", ha="right", va="center", fontsize="small",
                      color=REGRET_TEXT, in_layout=False)
    ax_s.set_xlim(lo - 0.25 * span, hi + 0.2 * span)  # room for the values beside the marks
    ax_s.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}" if -1e-9 <= v <= 100.0001 else ""))
    ax_s.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax_s.tick_params(axis="y", length=0)
    ax_s.spines["left"].set_visible(False)
    ax_s.set_xlabel("Score under the member's own weights")
    panel_title(ax_s, "Their own best plan and the compromise")
    fig.legend(handles=[
        Line2D([], [], ls="", marker="o", ms=ms, mfc=OWN_COLOR, mec="white", label="Their own best plan"),
        Line2D([], [], ls="", marker="o", ms=1.45 * ms, mfc="white", mec=REGRET_COLOR, mew=2.0,
               label="The compromise"),
    ], loc="outside lower center", ncols=2, frameon=False, fontsize="small")
