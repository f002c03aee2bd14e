"""Map: Mali's border, the regions at their capitals (bubble area the units employed,
colour the zone) and, with stationing, the bases and how far their air units reach."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter

from planner.result import Result

from .chart import Empty, PlanChart, scenario_shape
from .parts import units_crtp
from .style import MUTED_TEXT, elide, fmt_units, font_size, pt_size, tx, zone_color, zone_label

AIR_CATEGORIES = ("air", "aviation", "isr")  # capabilities whose reach the map draws around their base
KM_PER_DEGREE = 111.0
BORDER_FILL, BORDER_EDGE = "#F3F1EC", "#8A8A8A"
BASE_COLOR, REACH_COLOR = "#222222", "#33557F"
CREDIT = "Border: Natural Earth (public domain)"


@lru_cache(maxsize=1)
def mali_outline() -> tuple[np.ndarray, ...]:
    """Mali's border as rings of (lon, lat) points, from the package's Natural Earth outline."""
    text = resources.files("planner.plots").joinpath("mali-outline.geojson").read_text(encoding="utf-8")
    rings = []
    for feature in json.loads(text)["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings.extend(np.array(poly[0], float) for poly in polygons)
    return tuple(rings)


def reach_ring(lon: float, lat: float, radius_km: float, n: int = 90) -> np.ndarray:
    """A circle of ``radius_km`` around (lon, lat) in degrees (small-circle approximation)."""
    theta = np.linspace(0.0, 2.0 * math.pi, n)
    r_lat = radius_km / KM_PER_DEGREE
    r_lon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.05))
    return np.column_stack([lon + r_lon * np.cos(theta), lat + r_lat * np.sin(theta)])


def based_last_period(result: Result) -> tuple[np.ndarray, np.ndarray]:
    """Per region, the units based there in the last period and the largest reach (km) of the
    air units among them (0 where none)."""
    s = result.scenario
    units = np.zeros(len(s.regions))
    reach = np.zeros(len(s.regions))
    b = result.basing
    last = (b.period == len(s.periods) - 1) & (b.units > 1e-6)
    np.add.at(units, b.base[last], b.units[last])
    for c, h in zip(b.capability[last].tolist(), b.base[last].tolist()):
        cap = s.capabilities[c]
        if cap.category in AIR_CATEGORIES:
            reach[h] = max(reach[h], cap.effective_reach_km)
    return units, reach


def _deg(value: float, pos_char: str, neg_char: str) -> str:
    char = pos_char if value > 0 else neg_char if value < 0 else ""
    return f"{abs(value):g}°{char}"


class MapChart(PlanChart):
    """Regions at their capitals, bubble area = average units employed per period,
    colour = zone; with stationing, the bases and the reach of their air units."""

    def numbers(self, result: Result):
        s = result.scenario
        placed = [i for i, r in enumerate(s.regions) if r.location is not None]
        if not placed:
            return Empty("No region has a location to place on the map",
                         "Add \"location\": {\"lat\": …, \"lon\": …} to the regions "
                         "in the scenario file.")
        per_region = units_crtp(result).sum(axis=(0, 2, 3)) / max(len(s.periods), 1)
        stationed = s.stationing and result.basing.units.size > 0
        based, reach = based_last_period(result) if stationed else (np.zeros(len(s.regions)),) * 2
        u = per_region[placed]
        u_max = float(u.max()) if u.size else 0.0
        return SimpleNamespace(
            scenario=s, placed=placed, u=u, u_max=u_max, stationed=stationed,
            based=based[placed], reach=reach[placed],
            lon=np.array([s.regions[i].location.lon for i in placed]),
            lat=np.array([s.regions[i].location.lat for i in placed]))

    def layout(self, result, n):
        # the markers scale with the figure's height, the legend says what the map shows
        fig = self.fig
        return (scenario_shape(result.scenario), (fig.bbox.width, fig.bbox.height, fig.dpi),
                n.stationed, bool((n.u <= 1e-6).any()), bool((n.based > 1e-6).any()),
                bool((n.reach > 0).any()))

    def build(self, fig, n) -> None:
        s = n.scenario
        lon, lat = n.lon, n.lat
        ax = self.ax = fig.add_subplot()
        self._legend_key = None  # the sizes the reference bubbles' legend shows
        ax.set_axisbelow(True)
        ax.grid(color="#E4E4E4", lw=0.8)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_color("#CCCCCC")
        rings = mali_outline()
        for ring in rings:
            ax.add_patch(Polygon(ring, closed=True, fc=BORDER_FILL, ec=BORDER_EDGE, lw=1.2, zorder=1,
                                 gid="border"))
        # room for bubbles and labels, and the whole border
        pad = 1.2
        x0, x1 = lon.min() - 2 * pad, lon.max() + 2 * pad
        y0, y1 = lat.min() - pad, lat.max() + pad
        for ring in rings:
            x0, x1 = min(x0, ring[:, 0].min() - 0.3), max(x1, ring[:, 0].max() + 0.3)
            y0, y1 = min(y0, ring[:, 1].min() - 0.3), max(y1, ring[:, 1].max() + 0.3)
        # equal distances both ways at the map's middle latitude; data limits (not fixed
        # ones) so the aspect can widen them
        ax.set_aspect(1.0 / max(math.cos(math.radians((y0 + y1) / 2)), 0.2), adjustable="datalim")
        ax.update_datalim([(x0, y0), (x1, y1)])
        ax.margins(0)
        ax.autoscale_view()

        h_pt = pt_size(fig)
        self.colors = [zone_color(s, s.regions[i].zone) for i in n.placed]
        xy = np.column_stack([lon, lat])
        self.bubbles = ax.scatter(lon, lat, s=1.0, c=self.colors, alpha=0.75, edgecolors="white",
                                  linewidths=1.2, zorder=3)
        self.empty = ax.scatter(lon, lat, s=(0.014 * h_pt) ** 2, facecolors="white", edgecolors=self.colors,
                                linewidths=1.6, zorder=3)
        self.bases = None
        if n.stationed:
            self.bases = ax.scatter(lon, lat, s=1.0, marker="s", facecolors="none", edgecolors=BASE_COLOR,
                                    linewidths=1.6, zorder=3.5, gid="bases")
        self.reach = [ax.add_artist(Line2D([x], [y], color=REACH_COLOR, ls="--", lw=1.0, alpha=0.55,
                                           zorder=2, gid="reach", visible=False)) for x, y in xy]
        # add_artist: a reach wider than the map must not widen its limits
        self.labels = [ax.annotate("", (x, y), xytext=(0.0, 0.0), textcoords="offset points",
                                   fontsize="medium", zorder=4, linespacing=1.1,
                                   bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7),
                                   # a label set a step away from its bubble points to it
                                   arrowprops=dict(arrowstyle="-", color="#555555", lw=0.7,
                                                   shrinkA=0, visible=False),
                                   in_layout=False) for x, y in xy]

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "E", "W")))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _deg(v, "N", "S")))
        zones = [z for z in s.zones() if any(s.regions[i].zone == z for i in n.placed)]
        handles = [Line2D([], [], ls="", marker="o", markersize=0.035 * h_pt, color=zone_color(s, z),
                          alpha=0.75, label=tx(zone_label(z))) for z in zones]
        if (n.u <= 1e-6).any():
            handles.append(Line2D([], [], ls="", marker="o", markersize=0.028 * h_pt, mfc="white",
                                  mec="#666666", mew=1.4, label="No units"))
        if (n.based > 1e-6).any():
            handles.append(Line2D([], [], ls="", marker="s", markersize=0.026 * h_pt, mfc="none",
                                  mec=BASE_COLOR, mew=1.6, label="Base"))
        if (n.reach > 0).any():
            handles.append(Line2D([], [], color=REACH_COLOR, ls="--", lw=1.0, label="Air reach"))
        ax.add_artist(Legend(ax, handles, [h.get_label() for h in handles], title="Zone", loc="upper left",
                             bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, frameon=False, alignment="left"))
        ax.text(0.99, 0.01, CREDIT, transform=ax.transAxes, ha="right", va="bottom", fontsize="x-small",
                color=MUTED_TEXT, zorder=5, in_layout=False)
        missing = [elide(r.name) for r in s.regions if r.location is None]
        if missing:
            ax.text(0.0, -0.06, tx("Not on the map (no location): " + ", ".join(missing)),
                    transform=ax.transAxes, ha="left", va="top", fontsize="small", color=MUTED_TEXT)
        # the labels' room is reckoned before the layout moves the axes, the same every time
        self.deg_per_pt = _deg_per_point(fig, ax)
        self.limits = ax.get_xlim(), ax.get_ylim()  # before the equal aspect widens them

    def show(self, n) -> None:
        s, ax = n.scenario, self.ax
        # each render widens the limits to the equal aspect from where they are: start every
        # result from the data's, so that an updated map settles where a fresh one does
        ax.set_xlim(*self.limits[0], auto=None)
        ax.set_ylim(*self.limits[1], auto=None)
        lon, lat, u, based = n.lon, n.lat, n.u, n.based
        h_pt = pt_size(self.fig)
        d_max = 0.11 * h_pt  # diameter of the largest bubble, points
        sizes = np.where(u > 1e-6, (d_max ** 2) * u / n.u_max if n.u_max > 0 else 0.0, 0.0)
        big = sizes > 0
        xy = np.column_stack([lon, lat])
        self.bubbles.set_offsets(xy[big])
        self.bubbles.set_sizes(np.maximum(sizes[big], (0.012 * h_pt) ** 2))
        self.bubbles.set_facecolor([c for c, b in zip(self.colors, big) if b])
        self.empty.set_offsets(xy[~big])
        self.empty.set_edgecolor([c for c, b in zip(self.colors, big) if not b])
        base_sizes = self._show_bases(n, h_pt)
        self._place_labels(n, sizes, base_sizes, h_pt)

        self._show_size_legend(n, d_max)
        title = "Bubble area: average units employed per period"
        if (based > 1e-6).any():
            title += f" · square: units based there in {elide(s.periods[-1].name)}"
        ax.set_title(tx(title), loc="left", fontsize="medium", color=MUTED_TEXT)

    def _show_size_legend(self, n, d_max) -> None:
        """The reference bubbles' legend, made afresh only when its sizes change."""
        ax = self.ax
        fs = font_size()
        refs = _nice_refs(n.u_max) if n.u_max > 0 else []
        diam = [d_max * math.sqrt(r / n.u_max) for r in refs]
        key = (tuple(refs), tuple(diam), fs)
        if ax.legend_ is not None and self._legend_key == key:
            return
        if ax.legend_ is not None:
            ax.legend_.remove()
        self._legend_key = key
        if refs:
            size_handles = [Line2D([], [], ls="", marker="o", markersize=d, mfc="#BBBBBB", mec="white",
                                   label=f"{fmt_units(r)} units") for r, d in zip(refs, diam)]
            # rows as tall as the biggest reference bubble, so the bubbles never overlap
            ax.legend(handles=size_handles, loc="lower left",
                      bbox_to_anchor=(1.02, 0.0), borderaxespad=0.0, frameon=False, alignment="left",
                      handleheight=diam[0] / fs + 0.5, handlelength=diam[0] / fs, labelspacing=0.2,
                      handletextpad=0.8)

    def _show_bases(self, n, h_pt) -> np.ndarray:
        """A square per base, area the units based there, and a dashed circle of its air units'
        reach; returns the squares' sizes (points squared, 0 where no base)."""
        based = n.based
        b_max = float(based.max()) if based.size else 0.0
        sizes = np.zeros_like(based)
        if b_max > 1e-6:
            smallest = (0.02 * h_pt) ** 2
            sizes = np.where(based > 1e-6, np.maximum((0.06 * h_pt) ** 2 * based / b_max, smallest), 0.0)
        here = sizes > 0
        if self.bases is not None:
            self.bases.set_offsets(np.column_stack([n.lon, n.lat])[here])
            self.bases.set_sizes(sizes[here])
        for line, x, y, r in zip(self.reach, n.lon, n.lat, n.reach):
            line.set_visible(bool(r > 0 and b_max > 1e-6))
            if r > 0:
                ring = reach_ring(float(x), float(y), float(r))
                line.set_data(ring[:, 0], ring[:, 1])
        return sizes

    def _place_labels(self, n, sizes, base_sizes, h_pt) -> None:
        """Labels beside the bubbles, the biggest placed first, trying four sides."""
        s, lon, lat, u = n.scenario, n.lon, n.lat, n.u
        fs = font_size()
        radius = np.sqrt(np.maximum(sizes, (0.014 * h_pt) ** 2)) / 2  # points
        deg_per_pt = self.deg_per_pt
        boxes = np.zeros((0, 4))  # (x0, y0, x1, y1) in data units of labels placed so far
        radius = np.maximum(radius, np.sqrt(base_sizes) / 2)
        r_deg = radius * deg_per_pt
        circles = np.column_stack([lon - r_deg, lat - r_deg, lon + r_deg, lat + r_deg])
        for k in np.argsort(-u, kind="stable"):
            name = elide(s.regions[n.placed[k]].name)
            units = f"{fmt_units(u[k])} units" if u[k] > 1e-6 else "no units"
            full = f"{name}\n{units}" + (f"\n{fmt_units(n.based[k])} based" if n.based[k] > 1e-6 else "")
            # a crowded place gets its label on one line, without the units based there
            short = f"{name} · {fmt_units(u[k])}" if u[k] > 1e-6 else name
            others = np.delete(circles, k, axis=0)
            best = None  # (cost, text, dx, dy, ha, va, box)
            for text in (full, short):
                w_pt, h_lab = _text_size_pt(text, fs)
                sides = _label_sides(radius[k] + 3, h_lab)
                cand = np.array([_label_box(lon[k], lat[k], dx, dy, ha, va, w_pt, h_lab, deg_per_pt)
                                 for dx, dy, ha, va in sides])
                # over another label is worse than over a bubble; farther out is a little worse
                costs = (LABEL_OVER_LABEL * _overlaps(cand, boxes).sum(axis=1) + _overlaps(cand, others).sum(axis=1)
                         + 1e-9 * np.array([abs(dx) + abs(dy) for dx, dy, _, _ in sides]))
                for (dx, dy, ha, va), box, cost in zip(sides, cand, costs.tolist()):
                    if best is None or cost < best[0] - 1e-15:
                        best = (cost, text, dx, dy, ha, va, box)
                if best[0] < 1e-6:  # the full label fits somewhere: no need to shorten it
                    break
            _, text, dx, dy, ha, va, box = best
            boxes = np.vstack([boxes, box])
            far = math.hypot(dx, dy) > radius[k] + 3 + 1e-9
            label = self.labels[k]
            label.set_text(tx(text))
            label.xyann = (dx, dy)
            label.set_horizontalalignment(ha)
            label.set_verticalalignment(va)
            label.arrow_patch.set_visible(far)
            label.arrow_patch.shrinkB = float(radius[k])


def draw_map(fig, result: Result) -> None:
    """Regions at their capitals, bubble area = average units employed per period,
    colour = zone."""
    MapChart().draw(fig, result)


def _deg_per_point(fig, ax) -> float:
    """Approximate degrees of latitude per point of the axes (before layout)."""
    h_pt = ax.get_position().height * pt_size(fig)
    y0, y1 = ax.get_ylim()
    x0, x1 = ax.get_xlim()
    w_pt = ax.get_position().width * fig.bbox.width * 72.0 / fig.dpi
    # with adjustable="datalim" the tighter direction sets the scale
    aspect = ax.get_aspect() if isinstance(ax.get_aspect(), float) else 1.0
    return max((y1 - y0) / max(h_pt, 1.0), (x1 - x0) / aspect / max(w_pt, 1.0))


def _text_size_pt(text: str, fs: float) -> tuple[float, float]:
    """Width and height in points of a label's text at ``fs`` points, with its box's padding
    (measured from the font's glyphs, as Agg will draw them)."""
    lines = text.split("\n")
    width = max(_line_width_pt(line, fs) for line in lines)
    return width + 0.6 * fs, len(lines) * fs * 1.1 * 1.2 + 0.6 * fs  # linespacing 1.1; pad 0.15 em


@lru_cache(maxsize=4096)
def _line_width_pt(line: str, fs: float) -> float:
    """One line's width in points (about 1 ms to measure: names recur from result to result)."""
    return _TEXT_PATHS.get_text_width_height_descent(line, FontProperties(size=fs), ismath=False)[0]


_TEXT_PATHS = TextToPath()
LABEL_OVER_LABEL = 4.0  # how much worse a label over a label is than a label over a bubble


def _label_sides(r_pt: float, h_lab: float):
    """Where a label may go, in points from its bubble's centre, nearest first: the four
    sides, the four corners, then the same a label's height farther out."""
    out = []
    for far in (0.0, h_lab):
        r = r_pt + far
        d = r / math.sqrt(2)
        out += [(r, 0, "left", "center"), (-r, 0, "right", "center"),
                (0, r, "center", "bottom"), (0, -r, "center", "top"),
                (d, d, "left", "bottom"), (-d, d, "right", "bottom"),
                (d, -d, "left", "top"), (-d, -d, "right", "top")]
    return out


def _label_box(x, y, dx, dy, ha, va, w_pt, h_pt, dpp):
    cx, cy = x + dx * dpp, y + dy * dpp
    w, h = w_pt * dpp, h_pt * dpp
    x0 = cx if ha == "left" else cx - w if ha == "right" else cx - w / 2
    y0 = cy if va == "bottom" else cy - h if va == "top" else cy - h / 2
    return (x0, y0, x0 + w, y0 + h)


def _overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Areas of overlap of each box of ``a`` (n, 4) with each of ``b`` (m, 4), boxes as
    ``(x0, y0, x1, y1)``: an (n, m) array, 0 where they do not overlap."""
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.where((w > 0) & (h > 0), w * h, 0.0)


def _nice_refs(u_max: float) -> list[float]:
    """Two or three round reference sizes up to ``u_max``."""
    exp = 10 ** math.floor(math.log10(u_max))
    top = max(m * exp for m in (1, 2, 5, 10) if m * exp <= u_max * 1.0001)
    return [top, top / 4] if top / 4 >= 0.1 else [top]
