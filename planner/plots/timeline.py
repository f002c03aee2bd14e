"""Timeline: a deployment schedule, one row per capability and one column per period."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.result import Result

from .parts import MIN_SLOTS, check_plan, draw_message, prepare, rects, units_crtp
from .style import EXISTING_COLOR, NEW_COLOR, TRACK_COLOR, elide, fmt_units, name_label, tx

MOVE_COLOR = "#0072B2"


def draw_timeline(fig, result: Result) -> None:
    """A deployment schedule: one row per capability, one column per period. In each
    cell the light track is what is available (existing units, plus new ones from
    their arrival after the lead time), the bar what is in use, grey from the existing
    force and dark red from new units. Each row is scaled to its own largest number."""
    if not check_plan(fig, result):
        return
    s = result.scenario
    C, P = len(s.capabilities), len(s.periods)
    if C == 0 or P == 0:
        draw_message(fig, "No capabilities or periods to show")
        return
    used = units_crtp(result).sum(axis=(1, 2))  # (C, P)
    # the existing force less what the plan repatriates
    existing = np.array([c.existing - float(result.repatriate.get(c.id, 0.0)) for c in s.capabilities])
    gen = np.array([float(result.generate.get(c.id, 0.0)) for c in s.capabilities])
    lead = np.array([c.lead_time for c in s.capabilities])
    periods = np.arange(P)
    avail = existing[:, None] + np.where(periods[None, :] >= lead[:, None], gen[:, None], 0.0)
    scale = np.maximum(avail.max(axis=1), used.max(axis=1))  # (C,)
    safe = np.where(scale > 1e-9, scale, 1.0)[:, None]
    from_existing = np.minimum(used, existing[:, None])
    from_new = np.clip(used - existing[:, None], 0.0, None)

    prepare(fig)
    ax = fig.add_subplot()
    cell, pad, height = 1.0, 0.06, 0.42
    span = cell - 2 * pad
    yy = np.repeat(np.arange(C), P).astype(float)
    left = np.tile(periods * cell + pad, C).astype(float)
    w_avail = (span * avail / safe).ravel()
    w_old = (span * from_existing / safe).ravel()
    w_new = (span * from_new / safe).ravel()
    # one collection instead of 3 x C x P bar patches: a fraction of the drawing time
    lefts = np.concatenate([left, left, left + w_old])
    widths = np.concatenate([w_avail, w_old, w_new])
    ys = np.concatenate([yy, yy, yy])
    colors = [TRACK_COLOR] * yy.size + [EXISTING_COLOR] * yy.size + [NEW_COLOR] * yy.size
    keep = widths > 1e-9
    ax.add_collection(rects(lefts[keep], ys[keep] - height / 2, widths[keep], height,
                             [c for c, k in zip(colors, keep) if k]), autolim=False)
    for ci in range(C):
        for p in range(P):
            if avail[ci, p] <= 1e-9 and used[ci, p] <= 1e-9:
                text = "none available"
            elif P > 6:  # narrow cells: the count in use only
                text = fmt_units(used[ci, p])
            else:
                text = f"{fmt_units(used[ci, p])} of {fmt_units(avail[ci, p])}"
            ax.text(p * cell + pad, ci - height / 2 - 0.04, text, ha="left", va="bottom",
                    fontsize="small", color="#333333", in_layout=False)
    # arrivals: a mark where new units become available, and the count beside the row
    notes = []
    for ci, cap in enumerate(s.capabilities):
        if gen[ci] <= 1e-6:
            notes.append("")
            continue
        if cap.lead_time < P:
            x = cap.lead_time * cell
            ax.plot([x, x], [ci - 0.45, ci + 0.45], color=NEW_COLOR, lw=2.2, zorder=3,
                    solid_capstyle="butt")
            notes.append(f"+{fmt_units(gen[ci])} new from {elide(s.periods[cap.lead_time].name)}")
        else:
            notes.append(f"+{fmt_units(gen[ci])} new, after this cycle")
    for ci, note in enumerate(notes):
        if note:
            ax.text(P * cell + 0.04, ci, tx(note), ha="left", va="center", fontsize="small",
                    color=NEW_COLOR, fontweight="bold")
    moved = _draw_moves(ax, result, cell, pad, height)
    for p in range(1, P):
        ax.axvline(p * cell, color="#DDDDDD", lw=0.8, zorder=0)
    ax.set_xlim(0, P * cell)
    ax.set_ylim(max(C, MIN_SLOTS) - 0.5, -0.62)
    ax.set_yticks(np.arange(C))
    ax.set_yticklabels([name_label(c.name, 24) for c in s.capabilities])
    ax.set_xticks(periods * cell + cell / 2)
    wrap = max(6, 64 // P)
    ax.set_xticklabels([name_label(p.name, wrap) for p in s.periods])
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=EXISTING_COLOR, label="In use: existing units"),
        Patch(facecolor=NEW_COLOR, label="In use: new units"),
        Patch(facecolor=TRACK_COLOR, label="Available, not in use"),
        Line2D([], [], color=NEW_COLOR, lw=2.2, label="New units arrive"),
    ]
    if moved:
        handles.append(Line2D([], [], color=MOVE_COLOR, lw=1.6, ls=":", label="Units change base"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=len(handles), frameon=False,
              borderaxespad=0.0)


def _draw_moves(ax, result: Result, cell: float, pad: float, height: float) -> bool:
    """With stationing: where units leave a base at the start of a period, a dotted mark
    on the period's edge and the count of units moving; True if any move."""
    s = result.scenario
    m = result.moves
    if not s.stationing or m.units.size == 0:
        return False
    per_cp = np.zeros((len(s.capabilities), len(s.periods)))
    np.add.at(per_cp, (m.capability, m.period), m.units)
    any_move = False
    for ci, p in zip(*np.nonzero(per_cp >= 0.05)):  # what shows as at least 0.1
        any_move = True
        x = p * cell
        ax.plot([x, x], [ci - 0.45, ci + 0.45], color=MOVE_COLOR, lw=1.6, ls=":", zorder=3)
        ax.text(x + cell - pad, ci - height / 2 - 0.04, f"{fmt_units(per_cp[ci, p])} move",
                ha="right", va="bottom", fontsize="small", color=MOVE_COLOR, in_layout=False,
                gid="moves")
    return any_move
