"""How a check's message names what a file says: quoted text, values, JSON paths.

A problem of a file is a :data:`Problem`, its JSON path and a message. The
helpers here make that message safe and short whatever the file holds (a
megabyte of text, lone surrogates, an integer of a million digits); they
check nothing themselves.
"""

from __future__ import annotations

import math
from typing import Any

from .text import SHOWN_LIMIT, shown

Problem = tuple[str, str]  # (JSON path, message)

_ID_LENGTH = 64  # the longest id: a key that may be one is never shortened in a path
_CUT_NOTE = 25  # what shortening adds: "… (1,000,000 characters)"


def visible(text: str, limit: int = SHOWN_LIMIT) -> str:
    """``text`` as a message shows it (see :func:`planner.text.shown`): shortened only
    where that makes it shorter, and with lone surrogates escaped as well, so that the
    message can always be printed."""
    out = shown(text, limit if len(text) > limit + _CUT_NOTE else len(text))
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = out.encode("utf-8", "backslashreplace").decode("utf-8")
    return out


def quoted(text: str) -> str:
    """Text from the file, quoted for a message: ``'poc'``."""
    return f"'{visible(text)}'"


def found(value: Any) -> str:
    """A value from the file as a message names it: ``'abc'``, ``1.5``, ``true``,
    ``null``, ``a list``; never more than a line."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        if value.bit_length() <= 128:
            return str(value)
        digits = int((value.bit_length() - 1) * math.log10(2)) + 1  # exact or one short
        if abs(value) >= 10**digits:
            digits += 1
        return f"a whole number of {digits:,} digits"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return visible(repr(value))


def path_join(base: str, key: Any) -> str:
    """``base`` extended by a list index or an object key (escaped, and shortened when
    longer than any id)."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    if not (isinstance(key, str) and len(key) <= _ID_LENGTH and key.isascii() and key.isprintable()):
        # a field name or an id is shown as it is, without the cost of looking
        key = visible(key, _ID_LENGTH) if isinstance(key, str) else visible(repr(key))
    return f"{base}.{key}" if base else key
