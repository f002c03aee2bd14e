"""Numbers as people type them and as the editors show them.

A number that does not parse is the commonest refusal: it is refused with
:class:`planner.edits.EditRefused`, as every other edit is.
"""

from __future__ import annotations

import math
import re

from planner.edits import EditRefused
from planner.text import shown


_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([, _'])\d{3})(?:\1\d{3})*(?:\.\d*)?")
_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}
# below this a whole float prints exactly as an integer
_EXACT_WHOLE = 1e15


def parse_number(text: str, *, percent: bool = False) -> float:
    """A finite number from what a person types.

    Parameters
    ----------
    text : str
        What was typed: thousands separators ("1,200", "58 000 000") and a
        scale suffix ("4.5M", "250k", "1.2bn") are understood.
    percent : bool, optional
        Also accept a percentage ("40%" gives 0.4): only for a share.

    Returns
    -------
    float
        The number; never "-0".

    Raises
    ------
    EditRefused
        Naming the text, when it is not a finite number.
    """
    raw = str(text).strip()
    s = raw
    for space in ("\u00a0", "\u2009", "\u202f"):
        s = s.replace(space, " ")
    s = s.replace("\u2212", "-").strip()
    if not s:
        raise EditRefused("a number is needed")
    scale = 1.0
    if s.endswith("%"):
        if not percent:
            raise EditRefused(f"'{shown(raw)}' is not a number (a percentage only makes sense for a share)")
        s, scale = s[:-1].strip(), 0.01
    else:
        m = re.fullmatch(r"(.*?\d\.?)\s*(k|m|mn|bn)", s, re.IGNORECASE)
        if m:
            s, scale = m.group(1), _SCALE[m.group(2).lower()]
    g = _GROUPED.fullmatch(s)
    if g:
        s = s.replace(g.group(1), "")
    elif "," in s:
        # "1,5" is a European decimal, not a thousands separator: say so
        hint = " (use '.' for decimals)" if re.fullmatch(r"[+-]?\d+,\d+", s) else ""
        raise EditRefused(f"'{shown(raw)}' is not a number{hint}")
    try:
        value = float(s) * scale
    except ValueError:
        raise EditRefused(f"'{shown(raw)}' is not a number") from None
    if not math.isfinite(value):
        raise EditRefused(f"'{shown(raw)}' is not a finite number")
    if value == 0:
        value = 0.0  # no "-0"
    return value


def parse_whole(text: str) -> int:
    """A whole number (a count of periods, a period index).

    Parameters
    ----------
    text : str
        What was typed, as :func:`parse_number` reads it.

    Returns
    -------
    int

    Raises
    ------
    EditRefused
        When the text is not a number, or not a whole one.
    """
    value = parse_number(text)
    if not value.is_integer():
        raise EditRefused(f"'{shown(str(text).strip())}' is not a whole number")
    return int(value)


def parse_field(text: str, what: str, *, percent: bool = False, whole: bool = False) -> float:
    """The number typed for one field; a refusal names the field.

    Parameters
    ----------
    text : str
        What was typed.
    what : str
        The field in words ("task 'poc' weight"): it starts the refusal.
    percent : bool, optional
        Accept a percentage, as :func:`parse_number` does.
    whole : bool, optional
        Ask for a whole number, as :func:`parse_whole` does.

    Returns
    -------
    float or int

    Raises
    ------
    EditRefused
        "``what``: why", when the text is not such a number.
    """
    try:
        return parse_whole(text) if whole else parse_number(text, percent=percent)
    except EditRefused as exc:
        raise EditRefused(f"{what}: {exc}") from None


def _exact_whole(value: float) -> int | None:
    """``value`` as an int when it is whole and prints exactly, else None."""
    v = float(value)
    return int(v) if v.is_integer() and abs(v) < _EXACT_WHOLE else None


def format_number(value: float | None, *, grouping: bool = True) -> str:
    """A number for display: "58,000,000", "0.25".

    Parameters
    ----------
    value : float or None
        None shows as a blank.
    grouping : bool, optional
        Separate thousands with commas (not for latitudes and longitudes).

    Returns
    -------
    str
    """
    if value is None:
        return ""
    whole = _exact_whole(value)
    if whole is not None:
        return f"{whole:,}" if grouping else str(whole)
    return format(float(value), ",.10g" if grouping else ".10g")


def edit_number(value: float | None) -> str:
    """A number as the editor starts with it: exact, no separators.

    Parameters
    ----------
    value : float or None
        None starts a blank editor.

    Returns
    -------
    str
    """
    if value is None:
        return ""
    whole = _exact_whole(value)
    return repr(float(value)) if whole is None else str(whole)


def format_share(value: float | None) -> str:
    """A share as a percentage ("40%"); blank for None."""
    return "" if value is None else f"{float(value) * 100:.10g}%"


def stored(value: float) -> int | float:
    """Whole numbers as integers, as the file writes them."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
