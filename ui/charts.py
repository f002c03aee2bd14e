"""The plan as charts: drawing functions shared by the GUI and the PNG export.

Every ``draw_<name>(fig, result)`` clears ``fig`` (a matplotlib ``Figure`` or
``SubFigure``) and draws one chart of a :class:`planner.result.Result` on it.
The GUI calls them on the ``Figure`` of its ``FigureCanvasQTAgg``; the headless
export (:func:`export_png`) calls them on a fresh ``Figure`` rendered by Agg.
No Qt and no pyplot here: pyplot keeps global state and fails headless with
the QtAgg backend selected.

Colours are colour-blind safe: tasks take the Okabe-Ito palette by task index
(:func:`task_color`, the same colour in every chart), capabilities and zones
take Paul Tol's "muted" and "bright" palettes.
"""

from __future__ import annotations

import datetime as _dt
import math
import textwrap
from pathlib import Path
from collections.abc import Callable

import matplotlib
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from planner.result import Result
from planner.scenario import Scenario
from planner.summary import format_amount

# -- colours --------------------------------------------------------------------

#: Okabe & Ito (2008), without black (black draws the floors and outlines).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def _darker(color: str, amount: float = 0.4) -> str:
    return to_hex(tuple(c * (1.0 - amount) for c in to_rgb(color)))


#: One colour per task, by task index; past seven tasks, darker shades of the same hues.
TASK_COLORS = OKABE_ITO + tuple(_darker(c) for c in OKABE_ITO)
#: Paul Tol's "muted" scheme, by capability index (stacking by capability).
CAPABILITY_COLORS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
                     "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777")
#: Paul Tol's "bright" scheme, by zone (in the order of ``Scenario.zones()``), for the map.
ZONE_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")

EXISTING_COLOR = "#8C96A0"  # units already fielded
NEW_COLOR = "#882255"  # newly generated units
BAR_COLOR = "#4477AA"  # resource use
BINDING_COLOR = "#CC3311"  # a resource used to the limit
TRACK_COLOR = "#E8E8E8"
BAND_COLOR = "#F3F3F3"
MUTED_TEXT = "#555555"
CAVEAT_COLOR = "#B03A2E"
ILLUSTRATIVE_CAVEAT = "Illustrative data — numbers are assumptions, not official figures"


def task_color(scenario: Scenario, task_id: str) -> str:
    """The colour of a task, the same in every chart."""
    for i, t in enumerate(scenario.tasks):
        if t.id == task_id:
            return TASK_COLORS[i % len(TASK_COLORS)]
    raise KeyError(f"unknown task '{task_id}'")


def capability_color(scenario: Scenario, capability_id: str) -> str:
    for i, c in enumerate(scenario.capabilities):
        if c.id == capability_id:
            return CAPABILITY_COLORS[i % len(CAPABILITY_COLORS)]
    raise KeyError(f"unknown capability '{capability_id}'")


def zone_color(scenario: Scenario, zone: str) -> str:
    zones = scenario.zones()
    if zone not in zones:
        raise KeyError(f"unknown zone '{zone}'")
    return ZONE_COLORS[zones.index(zone) % len(ZONE_COLORS)]


def zone_label(zone: str) -> str:
    text = zone.replace("_", " ")
    return text[:1].upper() + text[1:]


def _tx(text: str) -> str:
    """Text shown as typed: a "$" would otherwise start matplotlib's mathtext."""
    return text.replace("$", r"\$")


NAME_CHARS = 40  # a name in a tick label, a legend or beside a mark, at most
TITLE_CHARS = 80  # a name in a title or an axis label, at most


def elide(name: str, limit: int = NAME_CHARS) -> str:
    """``name`` at most ``limit`` characters long, with "…" where it is cut.

    Names come from files and may be long: in full they would crowd the plot
    out of the figure and make every layout pass slow.
    """
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int) -> str:
    """``text`` on lines of about ``width`` characters (words kept whole), shown as typed."""
    return _tx(textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False))


def name_label(name: str, width: int) -> str:
    """A name as a chart labels it: elided, then wrapped at ``width`` characters."""
    return _wrap(elide(name), width)


# -- shared pieces --------------------------------------------------------------


def _prepare(fig) -> None:
    # Figure.clear() would first clear every axes (milliseconds each, for nothing):
    # detach them instead.
    for ax in list(fig.axes):
        fig.delaxes(ax)
    fig.clear()
    if isinstance(fig, Figure) and fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")


def _no_plan_message(result: Result) -> str | None:
    if result.ok:
        return None
    if result.status == "infeasible":
        return "No plan: infeasible — see the diagnosis"
    if result.status == "error":
        return "No plan: the solver stopped"
    return f"No plan: {result.status}"


def draw_message(fig, text: str, detail: str | list[str] | None = None) -> None:
    """Clear ``fig`` and show a centred message (and optional smaller detail lines)."""
    _prepare(fig)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.58, _tx(text), ha="center", va="center", fontsize="xx-large",
            fontweight="bold", color="#333333", transform=ax.transAxes, wrap=False)
    if detail:
        lines = [detail] if isinstance(detail, str) else list(detail)
        bullet = "• " if len(lines) > 1 else ""
        wrapped = _tx("\n".join(textwrap.fill(bullet + line, 90, subsequent_indent="  " if bullet else "")
                                 for line in lines[:4]))
        if len(lines) > 4:
            wrapped += f"\n… and {len(lines) - 4} more"
        ax.text(0.5, 0.5, wrapped, ha="center", va="top", fontsize="medium",
                color=MUTED_TEXT, transform=ax.transAxes, linespacing=1.5)


def _check_plan(fig, result: Result) -> bool:
    """Draw the 'no plan' message and return False when there is nothing to chart."""
    msg = _no_plan_message(result)
    if msg is None:
        return True
    detail = [d.message for d in result.diagnosis] or ([result.message] if result.message else None)
    draw_message(fig, msg, detail)
    return False


def _units_crtp(result: Result) -> np.ndarray:
    """Units employed as (C, R, T, P); bincount is several times faster than add.at."""
    s = result.scenario
    shape = (len(s.capabilities), len(s.regions), len(s.tasks), len(s.periods))
    n = int(np.prod(shape))
    if result.alloc_units.size == 0 or n == 0:
        return np.zeros(shape)
    flat = np.ravel_multi_index(
        (result.alloc_capability, result.alloc_region, result.alloc_task, result.alloc_period), shape)
    return np.bincount(flat, result.alloc_units, minlength=n).reshape(shape)


ZONE_GAP = 0.6  # x units between the last region of a zone and the first of the next
MIN_SLOTS = 5.0  # the narrowest x range (in region slots) and the fewest rows a chart shows


def _region_layout(s: Scenario, widths=None):
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


def _decorate_zones(ax, groups, xs, names) -> None:
    """Zone bands, separators and labels above the axes; region names as ticks."""
    half = ZONE_GAP / 2
    for k, (zone, left, right) in enumerate(groups):
        if k % 2 == 1:
            ax.axvspan(left - half, right + half, color=BAND_COLOR, zorder=0, lw=0)
        if k > 0:
            ax.axvline(left - half, color="#BBBBBB", lw=0.8, ls=(0, (4, 3)), zorder=0.5)
        ax.text((left + right) / 2, 1.01, _tx(zone_label(zone)), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", fontweight="bold", fontsize="medium", color="#333333")
    if groups:
        lo, hi = groups[0][1] - half, groups[-1][2] + half
        extra = max(0.0, MIN_SLOTS - (hi - lo)) / 2  # a lone region should not become a wall of colour
        ax.set_xlim(lo - extra, hi + extra)
    ax.set_xticks(xs)
    names = [_tx(elide(n)) for n in names]
    if len(names) > 7 or max((len(n) for n in names), default=0) > 12:
        ax.set_xticklabels(names, rotation=30, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticklabels(names)
    ax.tick_params(axis="x", length=0)


def _style_axes(ax, grid_axis: str = "y") -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#DDDDDD", lw=0.8)


def _legend_right(ax, handles, title=None, **kw):
    return ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                     borderaxespad=0.0, frameon=False, alignment="left", **kw)


def _legend_label(name: str) -> str:
    return name_label(name, 32)


def _fmt_units(u: float) -> str:
    if abs(u) >= 100:
        return f"{u:,.0f}"
    return f"{u:.1f}".rstrip("0").rstrip(".") if abs(u - round(u)) < 0.05 else f"{u:.1f}"


def _pt_size(fig) -> float:
    """The figure's height in points (to scale markers with it)."""
    return fig.bbox.height * 72.0 / fig.dpi


# -- allocation ---------------------------------------------------------------------


def draw_allocation(fig, result: Result, by: str = "task") -> None:
    """Average units employed per period in each region, regions grouped by zone,
    stacked by task (``by="task"``) or by capability (``by="capability"``)."""
    if by not in ("task", "capability"):
        raise ValueError(f"by must be 'task' or 'capability', not {by!r}")
    if not _check_plan(fig, result):
        return
    s = result.scenario
    if not s.regions:
        draw_message(fig, "No regions in this scenario")
        return
    units = _units_crtp(result)
    P = max(len(s.periods), 1)
    if by == "task":
        per = units.sum(axis=(0, 3)).T / P  # (T, R)
        series = [(_legend_label(t.name), task_color(s, t.id), f"task:{t.id}") for t in s.tasks]
    else:
        per = units.sum(axis=(2, 3)) / P  # (C, R)
        series = [(_legend_label(c.name), capability_color(s, c.id), f"capability:{c.id}")
                  for c in s.capabilities]
    order, xs, groups = _region_layout(s)
    per = per[:, order]
    names = [s.regions[i].name for i in order]

    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax)
    bottom = np.zeros(len(order))
    handles = []
    for k, (label, color, gid) in enumerate(series):
        bars = ax.bar(xs, per[k], 0.7, bottom=bottom, color=color, edgecolor="white",
                      linewidth=0.6, label=label, zorder=2)
        for b in bars:
            b.set_gid(gid)
        handles.append(Patch(facecolor=color, edgecolor="none", label=label, gid=gid))
        bottom += per[k]
    top = float(bottom.max()) if bottom.size else 0.0
    for x, total in zip(xs, bottom):
        if total > 1e-6:
            ax.text(x, total, _fmt_units(total), ha="center", va="bottom", fontsize="small",
                    color="#333333", zorder=3, in_layout=False)
    ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
    _decorate_zones(ax, groups, xs, names)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.set_ylabel("Units employed (average per period)")
    _legend_right(ax, handles, title="Task" if by == "task" else "Capability")
    if top <= 1e-6:
        ax.text(0.5, 0.5, "No units employed in this plan", transform=ax.transAxes,
                ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)


def draw_allocation_by_capability(fig, result: Result) -> None:
    draw_allocation(fig, result, by="capability")


# -- coverage -------------------------------------------------------------------------


def floor_levels(s: Scenario) -> np.ndarray:
    """The highest floor on each (task, region) pair as a fraction, nan where none: (T, R)."""
    T, R = len(s.tasks), len(s.regions)
    out = np.full((T, R), np.nan)
    t_ix = {t.id: i for i, t in enumerate(s.tasks)}
    for rule in s.effective_rules:
        if rule.kind != "floor" or rule.task not in t_ix or rule.min_satisfaction is None:
            continue
        if rule.regions is not None:
            wanted = set(rule.regions)
            regions = [i for i, r in enumerate(s.regions) if r.id in wanted]
        else:
            regions = [i for i, r in enumerate(s.regions) if r.zone == rule.zone]
        ti = t_ix[rule.task]
        for ri in regions:
            out[ti, ri] = np.fmax(out[ti, ri], rule.min_satisfaction)
    return out


def draw_coverage(fig, result: Result) -> None:
    """Share of each task's need met in each region (mean over periods, with the range
    across periods), with the floors that rules require."""
    if not _check_plan(fig, result):
        return
    s = result.scenario
    sat = result.satisfaction
    if sat is None or not s.regions or not s.tasks:
        draw_message(fig, "No coverage to show")
        return
    T = len(s.tasks)
    has = ~np.isnan(sat[:, :, 0]) if sat.shape[2] else np.zeros(sat.shape[:2], bool)  # (T, R)
    with np.errstate(invalid="ignore"):
        mean = np.where(has, np.nan_to_num(sat).mean(axis=2), np.nan) * 100
        lo = np.where(has, np.nan_to_num(sat).min(axis=2), np.nan) * 100
        hi = np.where(has, np.nan_to_num(sat).max(axis=2), np.nan) * 100
    floors = floor_levels(s) * 100

    # each region gets a slot as wide as its bars: the tasks with demand there, side by side
    width = 0.25
    n_here = has.sum(axis=0)
    order, xs, groups = _region_layout(s, np.maximum(0.7, n_here * width + 0.3))
    bar_x = np.full((T, len(s.regions)), np.nan)
    for x, ri in zip(xs, order):
        tasks_here = np.flatnonzero(has[:, ri])
        offs = (np.arange(tasks_here.size) - (tasks_here.size - 1) / 2) * width
        bar_x[tasks_here, ri] = x + offs

    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax)
    handles = []
    for ti, t in enumerate(s.tasks):
        color = task_color(s, t.id)
        gid = f"task:{t.id}"
        sel = has[ti]
        if sel.any():
            bars = ax.bar(bar_x[ti, sel], mean[ti, sel], width * 0.9, color=color, zorder=2,
                          edgecolor="none")
            for b in bars:
                b.set_gid(gid)
        handles.append(Patch(facecolor=color, edgecolor="none", label=_legend_label(t.name), gid=gid))
    nothing = has & (mean < 0.5)  # a need left entirely unmet: say so, a bar of 0 is invisible
    for x in bar_x[nothing]:
        ax.text(x, 1.0, "0", ha="center", va="bottom", fontsize="small", color="#333333", zorder=3,
                in_layout=False)

    varies = has & (hi - lo > 0.5)
    if varies.any():
        ax.vlines(bar_x[varies], lo[varies], hi[varies], color="#555555", lw=1.0, zorder=3)
        handles.append(Line2D([], [], color="#555555", lw=1.0, label="Range across periods"))
    floored = has & ~np.isnan(floors)
    if floored.any():
        fx = bar_x[floored]
        ax.hlines(floors[floored], fx - width * 0.6, fx + width * 0.6, color="black", lw=2.6, zorder=4)
        handles.append(Line2D([], [], color="black", lw=2.6, label="Floor set by a rule"))
    ax.set_ylim(0, 105)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    names = [s.regions[i].name for i in order]
    _decorate_zones(ax, groups, xs, names)
    ax.set_ylabel("Need met (mean over periods)")
    _legend_right(ax, handles, title="Task")
    if not has.any():
        ax.text(0.5, 0.5, "No task has demand in any region", transform=ax.transAxes,
                ha="center", va="center", fontsize="x-large", color=MUTED_TEXT)


# -- timeline -------------------------------------------------------------------------------


def draw_timeline(fig, result: Result) -> None:
    """A deployment schedule: one row per capability, one column per period. In each
    cell the light track is what is available (existing units, plus new ones from
    their arrival after the lead time), the bar what is in use, grey from the existing
    force and dark red from new units. Each row is scaled to its own largest number."""
    if not _check_plan(fig, result):
        return
    s = result.scenario
    C, P = len(s.capabilities), len(s.periods)
    if C == 0 or P == 0:
        draw_message(fig, "No capabilities or periods to show")
        return
    used = _units_crtp(result).sum(axis=(1, 2))  # (C, P)
    existing = np.array([c.existing for c in s.capabilities], float)
    gen = np.array([float(result.generate.get(c.id, 0.0)) for c in s.capabilities])
    lead = np.array([c.lead_time for c in s.capabilities])
    periods = np.arange(P)
    avail = existing[:, None] + np.where(periods[None, :] >= lead[:, None], gen[:, None], 0.0)
    scale = np.maximum(avail.max(axis=1), used.max(axis=1))  # (C,)
    safe = np.where(scale > 1e-9, scale, 1.0)[:, None]
    from_existing = np.minimum(used, existing[:, None])
    from_new = np.clip(used - existing[:, None], 0.0, None)

    _prepare(fig)
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
    ax.add_collection(_rects(lefts[keep], ys[keep] - height / 2, widths[keep], height,
                             [c for c, k in zip(colors, keep) if k]), autolim=False)
    for ci in range(C):
        for p in range(P):
            if avail[ci, p] <= 1e-9 and used[ci, p] <= 1e-9:
                text = "none available"
            elif P > 6:  # narrow cells: the count in use only
                text = _fmt_units(used[ci, p])
            else:
                text = f"{_fmt_units(used[ci, p])} of {_fmt_units(avail[ci, p])}"
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
            notes.append(f"+{_fmt_units(gen[ci])} new from {elide(s.periods[cap.lead_time].name)}")
        else:
            notes.append(f"+{_fmt_units(gen[ci])} new, after this cycle")
    for ci, note in enumerate(notes):
        if note:
            ax.text(P * cell + 0.04, ci, _tx(note), ha="left", va="center", fontsize="small",
                    color=NEW_COLOR, fontweight="bold")
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
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncols=4, frameon=False,
              borderaxespad=0.0)


def _rects(x, y, w, h, colors) -> PolyCollection:
    """Axis-aligned rectangles (lower-left corners x, y) as a single collection."""
    x0, y0 = np.asarray(x, float), np.asarray(y, float)
    x1, y1 = x0 + w, y0 + h
    verts = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y0]),
                      np.column_stack([x1, y1]), np.column_stack([x0, y1])], axis=1)
    return PolyCollection(verts, facecolors=colors, edgecolors="none", linewidths=0, zorder=2)


# -- resources ----------------------------------------------------------------------------------


def draw_resources(fig, result: Result) -> None:
    """Each resource's use against its capacity, as a percentage bar with the amounts."""
    if not _check_plan(fig, result):
        return
    s = result.scenario
    if not s.resources:
        draw_message(fig, "No resources in this scenario")
        return
    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax, "x")
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
        labels.append(_tx(f"{peak}{_amount_of(used, q.capacity, q.unit)} ({pct})"
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


# -- map --------------------------------------------------------------------------------------


def _deg(value: float, pos_char: str, neg_char: str) -> str:
    char = pos_char if value > 0 else neg_char if value < 0 else ""
    return f"{abs(value):g}°{char}"


def draw_map(fig, result: Result) -> None:
    """Regions at their capitals, bubble area = average units employed per period,
    colour = zone."""
    if not _check_plan(fig, result):
        return
    s = result.scenario
    placed = [i for i, r in enumerate(s.regions) if r.location is not None]
    if not placed:
        draw_message(fig, "No region has a location to place on the map",
                     "Add \"location\": {\"lat\": …, \"lon\": …} to the regions in the scenario file.")
        return
    units = _units_crtp(result)
    per_region = units.sum(axis=(0, 2, 3)) / max(len(s.periods), 1)
    lon = np.array([s.regions[i].location.lon for i in placed])
    lat = np.array([s.regions[i].location.lat for i in placed])
    u = per_region[placed]

    _prepare(fig)
    ax = fig.add_subplot()
    ax.set_axisbelow(True)
    ax.grid(color="#E4E4E4", lw=0.8)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_color("#CCCCCC")
    mid_lat = float(lat.mean())
    ax.set_aspect(1.0 / max(math.cos(math.radians(mid_lat)), 0.2), adjustable="datalim")

    h_pt = _pt_size(fig)
    d_max = 0.11 * h_pt  # diameter of the largest bubble, points
    u_max = float(u.max()) if u.size else 0.0
    sizes = np.where(u > 1e-6, (d_max ** 2) * u / u_max if u_max > 0 else 0.0, 0.0)
    zones = s.zones()
    colors = [zone_color(s, s.regions[i].zone) for i in placed]
    big = sizes > 0
    ax.scatter(lon[big], lat[big], s=np.maximum(sizes[big], (0.012 * h_pt) ** 2),
               c=[c for c, b in zip(colors, big) if b], alpha=0.75, edgecolors="white",
               linewidths=1.2, zorder=3)
    if (~big).any():
        ax.scatter(lon[~big], lat[~big], s=(0.014 * h_pt) ** 2, facecolors="white",
                   edgecolors=[c for c, b in zip(colors, big) if not b], linewidths=1.6, zorder=3)

    # room for bubbles and labels; data limits (not fixed ones) so the aspect can widen them
    pad = 1.2
    ax.update_datalim([(lon.min() - 2 * pad, lat.min() - pad), (lon.max() + 2 * pad, lat.max() + pad)])
    ax.margins(0)
    ax.autoscale_view()

    # labels beside the bubbles, the biggest placed first, trying four sides
    fs = matplotlib.rcParams["font.size"]
    radius = np.sqrt(np.maximum(sizes, (0.014 * h_pt) ** 2)) / 2  # points
    deg_per_pt = _deg_per_point(fig, ax)
    boxes = []  # (x0, y0, x1, y1) in data units of labels placed so far
    circles = list(zip(lon, lat, radius * deg_per_pt))
    for k in np.argsort(-u, kind="stable"):
        name = elide(s.regions[placed[k]].name)
        text = f"{name}\n{_fmt_units(u[k])} units" if u[k] > 1e-6 else f"{name}\nno units"
        w_pt = max(len(name), len(text.split("\n")[1])) * fs * 0.6
        h_lab = 2 * fs * 1.25
        r_pt = radius[k] + 3
        options = [  # (dx, dy, ha, va) offsets in points
            (r_pt, 0, "left", "center"), (-r_pt, 0, "right", "center"),
            (0, r_pt, "center", "bottom"), (0, -r_pt, "center", "top"),
        ]
        best, best_overlap = options[0], None
        for dx, dy, ha, va in options:
            box = _label_box(lon[k], lat[k], dx, dy, ha, va, w_pt, h_lab, deg_per_pt)
            overlap = sum(_overlap(box, b) for b in boxes) + sum(
                _overlap(box, (cx - cr, cy - cr, cx + cr, cy + cr))
                for j, (cx, cy, cr) in enumerate(circles) if j != k)
            if best_overlap is None or overlap < best_overlap - 1e-12:
                best, best_overlap = (dx, dy, ha, va), overlap
            if overlap <= 0:
                break
        dx, dy, ha, va = best
        boxes.append(_label_box(lon[k], lat[k], dx, dy, ha, va, w_pt, h_lab, deg_per_pt))
        ax.annotate(_tx(text), (lon[k], lat[k]), xytext=(dx, dy), textcoords="offset points",
                    ha=ha, va=va, fontsize="medium", zorder=4, linespacing=1.1,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7),
                    in_layout=False)

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "E", "W")))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "N", "S")))

    handles = [Line2D([], [], ls="", marker="o", markersize=0.035 * h_pt, color=zone_color(s, z),
                      alpha=0.75, label=_tx(zone_label(z))) for z in zones
               if any(s.regions[i].zone == z for i in placed)]
    if (~big).any():
        handles.append(Line2D([], [], ls="", marker="o", markersize=0.028 * h_pt, mfc="white",
                              mec="#666666", mew=1.4, label="No units"))
    leg = ax.legend(handles=handles, title="Zone", loc="upper left", bbox_to_anchor=(1.02, 1.0),
                    borderaxespad=0.0, frameon=False, alignment="left")
    if u_max > 0:
        refs = _nice_refs(u_max)
        diam = [d_max * math.sqrt(r / u_max) for r in refs]
        size_handles = [Line2D([], [], ls="", marker="o", markersize=d, mfc="#BBBBBB", mec="white",
                               label=f"{_fmt_units(r)} units") for r, d in zip(refs, diam)]
        ax.add_artist(leg)
        # rows as tall as the biggest reference bubble, so the bubbles never overlap
        ax.legend(handles=size_handles, loc="lower left",
                  bbox_to_anchor=(1.02, 0.0), borderaxespad=0.0, frameon=False, alignment="left",
                  handleheight=diam[0] / fs + 0.5, handlelength=diam[0] / fs, labelspacing=0.2,
                  handletextpad=0.8)
    ax.set_title("Bubble area: average units employed per period", loc="left", fontsize="medium",
                 color=MUTED_TEXT)
    missing = [elide(r.name) for r in s.regions if r.location is None]
    if missing:
        ax.text(0.0, -0.06, _tx("Not on the map (no location): " + ", ".join(missing)),
                transform=ax.transAxes, ha="left", va="top", fontsize="small", color=MUTED_TEXT)


def _deg_per_point(fig, ax) -> float:
    """Approximate degrees of latitude per point of the axes (before layout)."""
    h_pt = ax.get_position().height * _pt_size(fig)
    y0, y1 = ax.get_ylim()
    x0, x1 = ax.get_xlim()
    w_pt = ax.get_position().width * fig.bbox.width * 72.0 / fig.dpi
    # with adjustable="datalim" the tighter direction sets the scale
    aspect = ax.get_aspect() if isinstance(ax.get_aspect(), float) else 1.0
    return max((y1 - y0) / max(h_pt, 1.0), (x1 - x0) / aspect / max(w_pt, 1.0))


def _label_box(x, y, dx, dy, ha, va, w_pt, h_pt, dpp):
    cx, cy = x + dx * dpp, y + dy * dpp
    w, h = w_pt * dpp, h_pt * dpp
    x0 = cx if ha == "left" else cx - w if ha == "right" else cx - w / 2
    y0 = cy if va == "bottom" else cy - h if va == "top" else cy - h / 2
    return (x0, y0, x0 + w, y0 + h)


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _nice_refs(u_max: float) -> list[float]:
    """Two or three round reference sizes up to ``u_max``."""
    exp = 10 ** math.floor(math.log10(u_max))
    top = max(m * exp for m in (1, 2, 5, 10) if m * exp <= u_max * 1.0001)
    return [top, top / 4] if top / 4 >= 0.1 else [top]


# -- tasks ---------------------------------------------------------------------------------------


def draw_tasks(fig, result: Result) -> None:
    """Each task's score (100 = every need fully met) in its colour, with its weight share."""
    if not _check_plan(fig, result):
        return
    s = result.scenario
    if not s.tasks:
        draw_message(fig, "No tasks in this scenario")
        return
    _prepare(fig)
    ax = fig.add_subplot()
    _style_axes(ax, "x")
    total_w = sum(t.weight for t in s.tasks) or 1.0
    y = np.arange(len(s.tasks))
    scores = [result.task_scores.get(t.id) for t in s.tasks]
    values = np.array([0.0 if v is None else v for v in scores])
    colors = [task_color(s, t.id) for t in s.tasks]
    bars = ax.barh(y, values, 0.66, color=colors, zorder=2)
    for b, t in zip(bars, s.tasks):
        b.set_gid(f"task:{t.id}")
    for yi, v in zip(y, scores):
        text = "no demand" if v is None else f"{v:.1f}"
        ax.text((v or 0) + 1.0, yi, text, va="center", ha="left", fontsize="medium",
                fontweight="bold" if v is not None else "normal", zorder=4,
                color="#222222" if v is not None else MUTED_TEXT,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none"), in_layout=False)
    ax.axvline(result.score, color="#333333", lw=1.4, ls=(0, (5, 3)), zorder=3)
    ax.text(result.score, 1.0, f"Overall score {result.score:.1f}", transform=ax.get_xaxis_transform(),
            ha="center", va="bottom", fontsize="medium", color="#333333")
    names = [f"{name_label(t.name, 40)}\nweight {100 * t.weight / total_w:.0f}%" for t in s.tasks]
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_ylim(max(len(s.tasks), 3) - 0.5, -0.5)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("Task score (100 = every need fully met)")


# -- registry and export ----------------------------------------------------------------------

#: name -> (title, draw function), in the order the GUI shows them.
CHARTS: dict[str, tuple[str, Callable[..., None]]] = {
    "allocation": ("Units employed by region and task", draw_allocation),
    "coverage": ("Need met by task and region", draw_coverage),
    "timeline": ("Deployments across periods", draw_timeline),
    "resources": ("Resource use against capacity", draw_resources),
    "map": ("Where the units work", draw_map),
    "tasks": ("Task scores", draw_tasks),
}

SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "1920×1080 (16:9)": (1920, 1080),
    "1280×720 (16:9)": (1280, 720),
    "A4 landscape (300 dpi)": (3508, 2480),
}
#: The dpi that goes with a preset when the user does not choose one.
PRESET_DPI = {"1920×1080 (16:9)": 150, "1280×720 (16:9)": 100, "A4 landscape (300 dpi)": 300}


def _date_text(date) -> str:
    if date is None:
        date = _dt.date.today()
    if isinstance(date, (_dt.date, _dt.datetime)):
        return f"{date.day} {date:%B %Y}"
    return str(date)


def _export_rc(size: tuple[int, int], dpi: float) -> dict:
    """Font and line sizes for a slide: the base font is about a sixtieth of the height."""
    base_px = size[1] / 60.0
    base_pt = base_px * 72.0 / dpi
    k = base_pt / 10.0  # relative to matplotlib's 10 pt default
    return {
        "font.size": base_pt,
        "axes.titlesize": "large",
        "axes.labelsize": "medium",
        "xtick.labelsize": "medium",
        "ytick.labelsize": "medium",
        "legend.fontsize": "medium",
        "legend.title_fontsize": "medium",
        "lines.linewidth": 1.5 * k,
        "axes.linewidth": 0.8 * k,
        "grid.linewidth": 0.8 * k,
        "xtick.major.width": 0.8 * k,
        "ytick.major.width": 0.8 * k,
        "xtick.major.size": 3.5 * k,
        "ytick.major.size": 3.5 * k,
        "xtick.major.pad": 3.5 * k,
        "ytick.major.pad": 3.5 * k,
        "patch.linewidth": 1.0 * k,
        "figure.constrained_layout.h_pad": 0.06 * k,
        "figure.constrained_layout.w_pad": 0.06 * k,
    }


def _check_chart(chart: str) -> tuple[str, Callable]:
    try:
        return CHARTS[chart]
    except KeyError:
        raise ValueError(f"unknown chart '{chart}' (choose from {', '.join(CHARTS)})") from None


def render_slide(scenario: Scenario, title: str, draw_body, size: tuple[int, int] = (1920, 1080),
                 dpi: float = 150, date=None, *, predraw: bool = True) -> Figure:
    """A new Figure of ``size`` pixels at ``dpi``: a slide header over a body.

    The header holds ``title``, the scenario's name, the date (today by default)
    and, for illustrative scenarios, the caveat. ``draw_body(body)`` draws into
    the body sub-figure under the same export sizes. With ``predraw`` the figure
    is drawn once on an Agg canvas so its text sizes and layout are fixed.
    Every picture for slides, plans and analyses alike, is made here.
    """
    w, h = int(size[0]), int(size[1])
    if w <= 0 or h <= 0 or dpi <= 0:
        raise ValueError(f"size and dpi must be positive, not {size} at {dpi}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with matplotlib.rc_context(_export_rc((w, h), dpi)):
        fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, layout="constrained", facecolor="white")
        FigureCanvasAgg(fig)
        base_px = h / 60.0
        subtitle = f"{elide(scenario.name, TITLE_CHARS)}  ·  {_date_text(date)}"
        # about 0.6 em per character: does the caveat fit beside the subtitle?
        beside = (len(subtitle) * 1.15 + len(ILLUSTRATIVE_CAVEAT)) * 0.6 * base_px + 4 * base_px < w
        caveat_line = scenario.is_illustrative and not beside
        lines_px = base_px * (2.0 * 1.25 + 1.15 * 1.35 + 0.9 + (1.35 if caveat_line else 0.0))
        hdr = min(0.35, lines_px / h)
        head, body = fig.subfigures(2, 1, height_ratios=[hdr, 1.0 - hdr], hspace=0.0)
        fs = matplotlib.rcParams["font.size"]
        x_left = 0.9 * base_px / w
        line = base_px / (hdr * h)  # one base line as a fraction of the header's height
        head.text(x_left, 1.0 - 0.45 * line, _tx(title), ha="left", va="top",
                  fontsize=2.0 * fs, fontweight="bold", color="#111111")
        sub_y = 0.5 * line + (1.35 * line if caveat_line else 0.0)
        head.text(x_left, sub_y, _tx(subtitle), ha="left", va="bottom", fontsize=1.15 * fs,
                  color="#444444")
        if scenario.is_illustrative:
            head.text(x_left if caveat_line else 1.0 - x_left, 0.5 * line, ILLUSTRATIVE_CAVEAT,
                      ha="left" if caveat_line else "right", va="bottom", fontsize=1.0 * fs,
                      fontstyle="italic", color=CAVEAT_COLOR)
        draw_body(body)
        if predraw:
            fig.canvas.draw()  # create ticks and lay out under these sizes
    return fig


def save_slide(fig: Figure, path, size: tuple[int, int], dpi: float) -> Path:
    """Save a figure from :func:`render_slide` as a PNG of exactly ``size`` pixels."""
    path = Path(path)
    with matplotlib.rc_context(_export_rc((int(size[0]), int(size[1])), dpi)):
        fig.savefig(path, format="png", dpi=dpi, facecolor="white")
    return path


def render_figure(result: Result, chart: str, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                  title: str | None = None, date=None, *, _predraw: bool = True, **options) -> Figure:
    """A slide of ``chart`` for ``result`` (see :func:`render_slide`).

    ``options`` go to the drawing function (``by="capability"`` for the allocation).
    """
    chart_title, draw = _check_chart(chart)
    if chart == "allocation" and options.get("by") == "capability":
        chart_title = "Units employed by region and capability"
    return render_slide(result.scenario, title or chart_title, lambda body: draw(body, result, **options),
                        size, dpi, date, predraw=_predraw)


def export_png(result: Result, chart: str, path, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
               title: str | None = None, date=None, **options) -> Path:
    """Render ``chart`` for a slide and save it as a PNG of exactly ``size`` pixels."""
    # savefig draws under the same sizes: no need to draw the figure twice
    fig = render_figure(result, chart, size=size, dpi=dpi, title=title, date=date, _predraw=False, **options)
    return save_slide(fig, path, size, dpi)


__all__ = [
    "render_slide", "save_slide", "CHARTS", "SIZE_PRESETS", "PRESET_DPI", "TASK_COLORS", "ZONE_COLORS", "CAPABILITY_COLORS",
    "ILLUSTRATIVE_CAVEAT", "task_color", "zone_color", "capability_color", "zone_label", "elide", "name_label",
    "draw_allocation", "draw_allocation_by_capability", "draw_coverage", "draw_timeline",
    "draw_resources", "draw_map", "draw_tasks", "draw_message", "floor_levels", "render_figure",
    "export_png",
]
