"""The pieces the charts are built of: a cleared figure, the "no plan" message, styled
axes and legends, bars drawn as one collection, zone bands, the units of a plan.

Every ``draw_<name>(fig, …)`` of :mod:`planner.plots` starts with :func:`prepare`
(or :func:`draw_message`), so that the GUI can redraw on the same figure.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D

from planner.result import Result, Status
from planner.scenario import Scenario

from .style import BAND_COLOR, MUTED_TEXT, chars_across, elide, font_size, tx, zone_label

# -- the figure ----------------------------------------------------------------------


def prepare(fig) -> None:
    """Clear ``fig`` for a new chart (a Figure gets constrained layout if it has none)."""
    # Figure.clear() would first clear every axes (milliseconds each, for nothing):
    # detach them instead.
    for ax in list(fig.axes):
        fig.delaxes(ax)
    fig.clear()
    if isinstance(fig, Figure) and fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")


def draw_message(fig, text: str, detail: str | list[str] | None = None) -> None:
    """Clear ``fig`` and show a centred message (and optional smaller detail lines)."""
    prepare(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.58, tx(text), ha="center", va="center", fontsize="xx-large",
            fontweight="bold", color="#333333", transform=ax.transAxes, wrap=False)
    if detail:
        lines = [detail] if isinstance(detail, str) else list(detail)
        bullet = "• " if len(lines) > 1 else ""
        wrapped = tx("\n".join(textwrap.fill(bullet + line, 90, subsequent_indent="  " if bullet else "")
                                for line in lines[:4]))
        if len(lines) > 4:
            wrapped += f"\n… and {len(lines) - 4} more"
        ax.text(0.5, 0.5, wrapped, ha="center", va="top", fontsize="medium",
                color=MUTED_TEXT, transform=ax.transAxes, linespacing=1.5)


def _no_plan_message(result: Result) -> str | None:
    if result.ok:
        return None
    if result.status == Status.INFEASIBLE:
        return "No plan meets every rule — see the diagnosis"
    if result.status == Status.TIME_LIMIT:
        return "No plan: the time limit was reached"
    return "No plan: the solver stopped"


def check_plan(fig, result: Result) -> bool:
    """Draw the 'no plan' message and return False when there is nothing to chart."""
    msg = _no_plan_message(result)
    if msg is None:
        return True
    detail = [d.message for d in result.diagnosis] or ([result.message] if result.message else None)
    draw_message(fig, msg, detail)
    return False


def headline(fig, text: str) -> None:
    """A line or two above the chart, left aligned: the sentence a reader should take away."""
    wrapped = textwrap.fill(text, chars_across(fig, 0.97), break_long_words=False)
    fig.suptitle(tx(wrapped), x=0.01, ha="left", fontsize="medium", color="#222222")


# -- axes ---------------------------------------------------------------------------------


def style_axes(ax, grid_axis: str = "y") -> None:
    """No top or right spine; a light grid along ``grid_axis`` ("" for none) behind the marks."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#DDDDDD", lw=0.8)


def legend_right(ax, handles, title=None, **kw):
    """A legend to the right of the axes, top aligned."""
    return ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                     borderaxespad=0.0, frameon=False, alignment="left", **kw)


def panel_title(ax, text: str, **kw) -> None:
    """A bold title over the left edge of ``ax``; a plain text, as ``set_title`` costs
    milliseconds on every draw to keep clear of the axis labels above."""
    opts = dict(fontsize="medium", fontweight="bold", color="#111111")
    opts.update(kw)
    ax.annotate(tx(text), (0.0, 1.0), xycoords="axes fraction", xytext=(0.0, 0.5 * font_size()),
                textcoords="offset points", ha="left", va="bottom", **opts)


# -- bars as one collection -----------------------------------------------------------------


def corners(x, y, w, h) -> np.ndarray:
    """The corners (n, 4, 2) of axis-aligned rectangles with lower-left corners x, y."""
    x0, y0 = np.asarray(x, float), np.asarray(y, float)
    x1, y1 = x0 + w, y0 + h
    return np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y0]),
                     np.column_stack([x1, y1]), np.column_stack([x0, y1])], axis=1)


def rects(x, y, w, h, colors) -> PolyCollection:
    """Axis-aligned rectangles (lower-left corners x, y) as a single collection
    (``set_verts(corners(…))`` moves them)."""
    return PolyCollection(corners(x, y, w, h), facecolors=colors, edgecolors="none", linewidths=0, zorder=2)


def hbars(ax, y, width, height, color, left=0.0, gid=None, zorder=2.0, edgecolor=None, lw=0.0):
    """Horizontal bars as one collection (a patch per bar costs milliseconds to add and draw).

    The axes limits are the caller's to set: the collection does not move them.
    """
    y = np.atleast_1d(np.asarray(y, float))
    width = np.broadcast_to(np.asarray(width, float), y.shape)
    left = np.broadcast_to(np.asarray(left, float), y.shape)
    colors = [color] * y.size if isinstance(color, str) else list(color)
    coll = rects(left, y - height / 2, width, height, colors)
    coll.set_zorder(zorder)
    if edgecolor is not None:
        coll.set_edgecolor(edgecolor)
        coll.set_linewidth(lw)
    if gid:
        coll.set_gid(gid)
    ax.add_collection(coll, autolim=False)
    return coll


def vbars(ax, x, height, width, color, bottom=0.0, zorder=2.0):
    """Vertical bars centred on ``x``, as one collection."""
    x = np.atleast_1d(np.asarray(x, float))
    width = np.broadcast_to(np.asarray(width, float), x.shape)
    bottom = np.broadcast_to(np.asarray(bottom, float), x.shape)
    coll = rects(x - width / 2, bottom, width, np.asarray(height, float), [color] * x.size)
    coll.set_zorder(zorder)
    ax.add_collection(coll, autolim=False)
    return coll


# -- regions by zone -------------------------------------------------------------------------

ZONE_GAP = 0.6  # x units between the last region of a zone and the first of the next
MIN_SLOTS = 5.0  # the narrowest x range (in region slots) and the fewest rows a chart shows


def region_layout(s: Scenario, widths=None):
    """Regions grouped by zone, each in a slot of ``widths[region index]`` (default 1).

    Returns the region indices in drawing order, the x centre of each, and the
    zone groups as (zone, left edge, right edge).
    """
    order, xs, groups = [], [], []
    x = 0.0
    for zone in s.zones():
        left = x
        for i, r in enumerate(s.regions):
            if r.zone == zone:
                w = 1.0 if widths is None else float(widths[i])
                order.append(i)
                xs.append(x + w / 2)
                x += w
        groups.append((zone, left, x))
        x += ZONE_GAP
    return np.array(order, int), np.array(xs, float), groups


def decorate_zones(ax, groups, xs, names) -> None:
    """Zone bands, separators and labels above the axes; region names as ticks."""
    half = ZONE_GAP / 2
    for k, (zone, left, right) in enumerate(groups):
        if k % 2 == 1:
            ax.axvspan(left - half, right + half, color=BAND_COLOR, zorder=0, lw=0)
        if k > 0:
            ax.axvline(left - half, color="#BBBBBB", lw=0.8, ls=(0, (4, 3)), zorder=0.5)
        ax.text((left + right) / 2, 1.01, tx(zone_label(zone)), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontweight="bold", fontsize="medium", color="#333333")
    if groups:
        lo, hi = groups[0][1] - half, groups[-1][2] + half
        extra = max(0.0, MIN_SLOTS - (hi - lo)) / 2  # a lone region should not become a wall of colour
        ax.set_xlim(lo - extra, hi + extra)
    ax.set_xticks(xs)
    names = [tx(elide(n)) for n in names]
    if len(names) > 7 or max((len(n) for n in names), default=0) > 12:
        ax.set_xticklabels(names, rotation=30, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticklabels(names)
    ax.tick_params(axis="x", length=0)


# -- the plan's numbers ----------------------------------------------------------------------------


def units_crtp(result: Result) -> np.ndarray:
    """Units employed as (C, R, T, P); bincount is several times faster than add.at."""
    s = result.scenario
    shape = (len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods))
    n = int(np.prod(shape))
    if result.alloc_units.size == 0 or n == 0:
        return np.zeros(shape)
    flat = np.ravel_multi_index(
        (result.alloc_capability, result.alloc_region, result.alloc_task, result.alloc_period), shape)
    return np.bincount(flat, result.alloc_units, minlength=n).reshape(shape)


class StaggeredLabels(Artist):
    """Keeps value labels over bars from touching: at each draw, after the layout, a label
    that would touch the label left of it is raised just above that one.

    Added to the axes below the labels' z-order, so that it is drawn (and places them) first;
    the labels keep their data positions, only their offset changes.
    """

    GAP_PX = 2.0

    def __init__(self, texts, zorder: float):
        super().__init__()
        self.texts = list(texts)
        self.set_zorder(zorder - 0.01)

    def draw(self, renderer):
        base, prev = self.axes.transData, None
        for text in self.texts:
            if text.get_transform() is not base:  # where the last draw raised it
                text.set_transform(base)
            if not text.get_visible() or not text.get_text():
                continue
            box = text.get_window_extent(renderer)
            if (prev is not None and box.x0 < prev.x1 + self.GAP_PX
                    and box.y0 < prev.y1 + self.GAP_PX and box.y1 > prev.y0 - self.GAP_PX):
                dy = prev.y1 + self.GAP_PX - box.y0
                text.set_transform(base + Affine2D().translate(0.0, dy))
                box = box.translated(0.0, dy)
            prev = box
        self.stale = False
