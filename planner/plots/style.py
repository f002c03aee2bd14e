"""The slide style every chart shares: colours, text, font sizes, and the slide header.

Colours are colour-blind safe: tasks take the Okabe-Ito palette by task index
(:func:`task_color`, the same colour in every chart), capabilities and zones
take Paul Tol's "muted" and "bright" palettes. Font sizes are relative
("small", "medium"), so that :func:`slide_rc` scales every chart to the pixel
height of an exported slide.
"""

from __future__ import annotations

import datetime as _dt
import textwrap

from planner.scenario import Scenario

# matplotlib is imported where a function draws: the window reads the colours and names
# here before its first chart, and starts without loading matplotlib.

# -- colours --------------------------------------------------------------------

#: Okabe & Ito (2008), without black (black draws the floors and outlines).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def _darker(color: str, amount: float = 0.4) -> str:
    """``color`` (``#RRGGBB``) with each channel scaled down by ``amount``, rounded as
    matplotlib's ``to_hex`` rounds."""
    channels = (int(color[i:i + 2], 16) / 255 * (1.0 - amount) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)


#: One colour per task, by task index; past seven tasks, darker shades of the same hues.
TASK_COLORS = OKABE_ITO + tuple(_darker(c) for c in OKABE_ITO)
#: Paul Tol's "muted" scheme, by capability index (stacking by capability).
CAPABILITY_COLORS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
                     "#DDCC77", "#CC6677", "#882255", "#AA4499", "#777777")
#: Paul Tol's "bright" scheme.
TOL_BRIGHT = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
#: By zone (in the order of ``Scenario.zones()``), for the map.
ZONE_COLORS = TOL_BRIGHT

EXISTING_COLOR = "#8C96A0"  # units already fielded
NEW_COLOR = "#882255"  # newly generated units
BAR_COLOR = "#4477AA"  # resource use
BINDING_COLOR = "#CC3311"  # a resource used to the limit
TRACK_COLOR = "#E8E8E8"
BAND_COLOR = "#F3F3F3"
MUTED_TEXT = "#555555"
CAVEAT_COLOR = "#B03A2E"
ILLUSTRATIVE_CAVEAT = "Illustrative data — numbers are assumptions, not official figures"

#: The base scenario of a comparison, then Paul Tol's "bright" scheme for the others.
BASE_COLOR = "#555555"
SCENARIO_COLORS = TOL_BRIGHT
CURRENT_COLOR = "#111111"  # the current plan / current weight: black marks
INFEASIBLE_COLOR = BINDING_COLOR
INFEASIBLE_BAND = "#F7E1DD"
LINE_COLOR = "#4477AA"
REACHABLE_COLOR = "#E9F0F7"
REGRET_COLOR = "#CC6677"
REGRET_TEXT = "#A33A4E"  # the regret colour, dark enough for text
OWN_COLOR = "#332288"


def task_color(scenario: Scenario, task_id: str) -> str:
    """The colour of a task, the same in every chart."""
    for i, t in enumerate(scenario.tasks):
        if t.id == task_id:
            return TASK_COLORS[i % len(TASK_COLORS)]
    raise KeyError(f"unknown task '{task_id}'")


def task_color_or_grey(scenario: Scenario, task_id: str) -> str:
    """:func:`task_color`, or grey for a task the scenario does not have."""
    try:
        return task_color(scenario, task_id)
    except KeyError:
        return "#777777"


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


# -- text -----------------------------------------------------------------------


def tx(text: str) -> str:
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


def wrap(text: str, width: int) -> str:
    """``text`` on lines of about ``width`` characters (words kept whole), shown as typed."""
    return tx(textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False))


def name_label(name: str, width: int) -> str:
    """A name as a chart labels it: elided, then wrapped at ``width`` characters."""
    return wrap(elide(name), width)


def legend_label(name: str) -> str:
    """A name as a legend beside the axes shows it."""
    return name_label(name, 32)


def fmt_units(u: float) -> str:
    """A number of units: whole where it is (nearly) whole, else one decimal."""
    if abs(u) >= 100:
        return f"{u:,.0f}"
    return f"{u:.1f}".rstrip("0").rstrip(".") if abs(u - round(u)) < 0.05 else f"{u:.1f}"


def pct(share: float) -> str:
    """``38%``; near 0 and 100 with a decimal (``0.6%``, ``99.7%``), never rounded onto the end."""
    p = 100.0 * share
    if 0 < p < 0.05:
        return "<0.1%"
    if 99.95 <= p < 100:
        return ">99.9%"
    if 0 < p < 1 or 99 < p < 100:
        return f"{p:.1f}%"
    return f"{p:.0f}%"


# -- font sizes -------------------------------------------------------------------


def font_size() -> float:
    """The base font size (points) in effect: markers scale with it."""
    import matplotlib

    return float(matplotlib.rcParams["font.size"])


def pt_size(fig) -> float:
    """The figure's height in points (to scale markers with it)."""
    return fig.bbox.height * 72.0 / fig.dpi


def chars_across(fig, fraction: float = 1.0, size: float = 1.0) -> int:
    """About how many characters of the base font (times ``size``) fit across ``fraction`` of ``fig``."""
    font_px = font_size() * size * fig.dpi / 72.0
    return max(20, int(fraction * fig.bbox.width / (0.58 * font_px)))


# -- slides ---------------------------------------------------------------------------

SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "1920×1080 (16:9)": (1920, 1080),
    "1280×720 (16:9)": (1280, 720),
    "A4 landscape (300 dpi)": (3508, 2480),
}
#: The dpi that goes with a preset when the user does not choose one.
PRESET_DPI = {"1920×1080 (16:9)": 150, "1280×720 (16:9)": 100, "A4 landscape (300 dpi)": 300}


def date_text(date=None) -> str:
    """``1 July 2020``: a date as a slide shows it (today when None; a string as given)."""
    if date is None:
        date = _dt.date.today()
    if isinstance(date, (_dt.date, _dt.datetime)):
        return f"{date.day} {date:%B %Y}"
    return str(date)


def slide_rc(size: tuple[int, int], dpi: float) -> dict:
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


def slide_header(fig, scenario: Scenario, title: str, size: tuple[int, int], date=None):
    """Split ``fig`` (a Figure of ``size`` pixels, under :func:`slide_rc`) into a
    header and a body; return the body sub-figure.

    The header holds ``title``, the scenario's name, the date (today by default)
    and, for illustrative scenarios, the caveat: beside the subtitle where it
    fits, else on a line of its own.
    """
    w, h = size
    base_px = h / 60.0
    subtitle = f"{elide(scenario.name, TITLE_CHARS)}  ·  {date_text(date)}"
    # about 0.6 em per character: does the caveat fit beside the subtitle?
    beside = (len(subtitle) * 1.15 + len(ILLUSTRATIVE_CAVEAT)) * 0.6 * base_px + 4 * base_px < w
    caveat_line = scenario.is_illustrative and not beside
    lines_px = base_px * (2.0 * 1.25 + 1.15 * 1.35 + 0.9 + (1.35 if caveat_line else 0.0))
    hdr = min(0.35, lines_px / h)
    head, body = fig.subfigures(2, 1, height_ratios=[hdr, 1.0 - hdr], hspace=0.0)
    fs = font_size()
    x_left = 0.9 * base_px / w
    line = base_px / (hdr * h)  # one base line as a fraction of the header's height
    head.text(x_left, 1.0 - 0.45 * line, tx(title), ha="left", va="top",
              fontsize=2.0 * fs, fontweight="bold", color="#111111")
    sub_y = 0.5 * line + (1.35 * line if caveat_line else 0.0)
    head.text(x_left, sub_y, tx(subtitle), ha="left", va="bottom", fontsize=1.15 * fs,
              color="#444444")
    if scenario.is_illustrative:
        head.text(x_left if caveat_line else 1.0 - x_left, 0.5 * line, ILLUSTRATIVE_CAVEAT,
                  ha="left" if caveat_line else "right", va="bottom", fontsize=1.0 * fs,
                  fontstyle="italic", color=CAVEAT_COLOR)
    return body
