"""Timeline: a deployment schedule, one row per capability and one column per period."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planner.result import Result

from .chart import Empty, PlanChart, scenario_shape
from .parts import MIN_SLOTS, corners, rects, units_crtp
from .style import EXISTING_COLOR, NEW_COLOR, TRACK_COLOR, chars_across, elide, fmt_units, name_label, tx

MOVE_COLOR = "#0072B2"
LEGEND_LABELS = ("In use: existing units", "In use: new units", "Available, not in use", "New units arrive")
MOVE_LABEL = "Units change base"


CELL, PAD, HEIGHT = 1.0, 0.06, 0.42  # a period's width, the gap at its edges, a bar's height


class TimelineChart(PlanChart):
    """A deployment schedule: one row per capability, one column per period. In each
    cell the light track is what is available (existing units, plus new ones from
    their arrival after the lead time), the bar what is in use, grey from the existing
    force and dark red from new units. Each row is scaled to its own largest number."""

    def numbers(self, result: Result):
        s = result.scenario
        C, P = len(s.capabilities), len(s.periods)
        if C == 0 or P == 0:
            return Empty("No capabilities or periods to show")
        used = units_crtp(result).sum(axis=(1, 2))  # (C, P)
        # the existing force less what the plan repatriates
        existing = np.array([c.existing - float(result.repatriate.get(c.id, 0.0)) for c in s.capabilities])
        gen = np.array([float(result.generate.get(c.id, 0.0)) for c in s.capabilities])
        lead = np.array([c.lead_time for c in s.capabilities])
        periods = np.arange(P)
        avail = existing[:, None] + np.where(periods[None, :] >= lead[:, None], gen[:, None], 0.0)
        scale = np.maximum(avail.max(axis=1), used.max(axis=1))  # (C,)
        safe = np.where(scale > 1e-9, scale, 1.0)[:, None]
        moves = _moves(result)
        return SimpleNamespace(scenario=s, used=used, avail=avail, gen=gen, lead=lead, safe=safe,
                               from_existing=np.minimum(used, existing[:, None]),
                               from_new=np.clip(used - existing[:, None], 0.0, None), moves=moves)

    def layout(self, result, n):
        return scenario_shape(result.scenario), bool(n.moves), self._legend_columns(bool(n.moves))

    def build(self, fig, n) -> None:
        s = n.scenario
        C, P = len(s.capabilities), len(s.periods)
        periods = np.arange(P)
        ax = self.ax = fig.add_subplot()
        # one collection instead of 3 x C x P bar patches: a fraction of the drawing time
        self.cells = rects([], [], 0.0, HEIGHT, [])
        ax.add_collection(self.cells, autolim=False)
        self.cell_texts = [[ax.text(p * CELL + PAD, ci - HEIGHT / 2 - 0.04, "", ha="left", va="bottom",
                                    fontsize="small", color="#333333", in_layout=False) for p in range(P)]
                           for ci in range(C)]
        # arrivals: a mark where new units become available, and the count beside the row
        self.arrivals = LineCollection([], colors=NEW_COLOR, linewidths=2.2, zorder=3, capstyle="butt")
        ax.add_collection(self.arrivals, autolim=False)
        self.notes = [ax.text(P * CELL + 0.04, ci, "", ha="left", va="center", fontsize="small",
                              color=NEW_COLOR, fontweight="bold") for ci in range(C)]
        self.move_marks = LineCollection([], colors=MOVE_COLOR, linewidths=1.6, linestyles=":", zorder=3)
        ax.add_collection(self.move_marks, autolim=False)
        self.move_texts = []
        for p in range(1, P):
            ax.axvline(p * CELL, color="#DDDDDD", lw=0.8, zorder=0)
        ax.set_xlim(0, P * CELL)
        ax.set_ylim(max(C, MIN_SLOTS) - 0.5, -0.62)
        ax.set_yticks(np.arange(C))
        ax.set_yticklabels([name_label(c.name, 24) for c in s.capabilities])
        ax.set_xticks(periods * CELL + CELL / 2)
        wrap = max(6, 64 // P)
        ax.set_xticklabels([name_label(p.name, wrap) for p in s.periods])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        handles = [
            Patch(facecolor=EXISTING_COLOR, label=LEGEND_LABELS[0]),
            Patch(facecolor=NEW_COLOR, label=LEGEND_LABELS[1]),
            Patch(facecolor=TRACK_COLOR, label=LEGEND_LABELS[2]),
            Line2D([], [], color=NEW_COLOR, lw=2.2, label=LEGEND_LABELS[3]),
        ]
        if n.moves:
            handles.append(Line2D([], [], color=MOVE_COLOR, lw=1.6, ls=":", label=MOVE_LABEL))
        # below the chart, in the figure's layout: a legend tied to the axes and wider than
        # them would narrow the axes a little more at every render
        fig.legend(handles=handles, loc="outside lower center", ncols=self._legend_columns(n.moves),
                   frameon=False)

    def _legend_columns(self, moved: bool) -> int:
        """The legend's entries on one row where they fit across the figure, else on two."""
        labels = [*LEGEND_LABELS, *([MOVE_LABEL] if moved else [])]
        one_row = sum(len(label) + 6 for label in labels)  # characters: a label, its mark, the gap
        return len(labels) if one_row <= chars_across(self.fig, 0.95) else math.ceil(len(labels) / 2)

    def show(self, n) -> None:
        s = n.scenario
        C, P = n.used.shape
        span = CELL - 2 * PAD
        yy = np.repeat(np.arange(C), P).astype(float)
        left = np.tile(np.arange(P) * CELL + PAD, C).astype(float)
        w_old = (span * n.from_existing / n.safe).ravel()
        lefts = np.concatenate([left, left, left + w_old])
        widths = np.concatenate([(span * n.avail / n.safe).ravel(), w_old,
                                 (span * n.from_new / n.safe).ravel()])
        ys = np.concatenate([yy, yy, yy]) - HEIGHT / 2
        colors = np.repeat([TRACK_COLOR, EXISTING_COLOR, NEW_COLOR], yy.size)
        keep = widths > 1e-9
        self.cells.set_verts(corners(lefts[keep], ys[keep], widths[keep], HEIGHT))
        self.cells.set_facecolor(list(colors[keep]))
        for ci in range(C):
            for p in range(P):
                if n.avail[ci, p] <= 1e-9 and n.used[ci, p] <= 1e-9:
                    text = "none available"
                elif P > 6:  # narrow cells: the count in use only
                    text = fmt_units(n.used[ci, p])
                else:
                    text = f"{fmt_units(n.used[ci, p])} of {fmt_units(n.avail[ci, p])}"
                self.cell_texts[ci][p].set_text(text)
        marks = []
        for ci, cap in enumerate(s.capabilities):
            if n.gen[ci] <= 1e-6:
                note = ""
            elif cap.lead_time < P:
                x = cap.lead_time * CELL
                marks.append([(x, ci - 0.45), (x, ci + 0.45)])
                note = f"+{fmt_units(n.gen[ci])} new from {elide(s.periods[cap.lead_time].name)}"
            else:
                note = f"+{fmt_units(n.gen[ci])} new, after this cycle"
            self.notes[ci].set_text(tx(note))
            self.notes[ci].set_visible(bool(note))
        self.arrivals.set_segments(marks)
        self._show_moves(n.moves)

    def _show_moves(self, moves) -> None:
        """With stationing: where units leave a base at the start of a period, a dotted mark
        on the period's edge and the count of units moving."""
        self.move_marks.set_segments([[(p * CELL, ci - 0.45), (p * CELL, ci + 0.45)] for ci, p, _ in moves])
        while len(self.move_texts) < len(moves):
            self.move_texts.append(self.ax.text(0.0, 0.0, "", ha="right", va="bottom", fontsize="small",
                                                color=MOVE_COLOR, in_layout=False, gid="moves"))
        for k, text in enumerate(self.move_texts):
            text.set_visible(k < len(moves))
            if k < len(moves):
                ci, p, units = moves[k]
                text.set_position((p * CELL + CELL - PAD, ci - HEIGHT / 2 - 0.04))
                text.set_text(f"{fmt_units(units)} move")


def _moves(result: Result) -> list[tuple[int, int, float]]:
    """With stationing, (capability, period, units) where units leave a base at the start
    of a period, in what shows as at least 0.1 units."""
    s = result.scenario
    m = result.moves
    if not s.stationing or m.units.size == 0:
        return []
    per_cp = np.zeros((len(s.capabilities), len(s.periods)))
    np.add.at(per_cp, (m.capability, m.period), m.units)
    return [(int(ci), int(p), float(per_cp[ci, p])) for ci, p in zip(*np.nonzero(per_cp >= 0.05))]


def draw_timeline(fig, result: Result) -> None:
    """A deployment schedule: one row per capability, one column per period (see
    :class:`TimelineChart`)."""
    TimelineChart().draw(fig, result)
