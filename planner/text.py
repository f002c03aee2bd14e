"""Text from a file or a user, made safe to show.

Ids and names come from scenario files that anyone may have written. Before
such text reaches a terminal, a message box or a CSV cell it goes through one
of these functions, so that an escape sequence cannot drive the terminal, a
megabyte-long id cannot fill the screen, and a cell cannot become a formula.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional
# overrides that can make a line read differently from what it holds.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SHOWN_LIMIT = 60  # characters of a value echoed in a message


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (newlines and tabs kept)."""
    return _CONTROL.sub(_escape, text)


def shown(value, limit: int = SHOWN_LIMIT) -> str:
    """A value as a message quotes it: on one line, escaped, at most ``limit`` characters.

    >>> shown("poc\\x1b[2J")
    'poc\\\\x1b[2J'
    >>> shown("a" * 100, limit=10)
    'aaaaaaaaa… (100 characters)'
    """
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + f"… ({len(text):,} characters)"
    return _CONTROL_ONE_LINE.sub(_escape, text)


def shown_path(path, limit: int = 2 * SHOWN_LIMIT) -> str:
    """A file path as a message quotes it: escaped, and when too long its start cut, not its name.

    >>> shown_path("/a/very/long/folder/" + "x" * 100 + "/plan.json", limit=30)
    '…xxxxxxxxxxxxxxxxxxx/plan.json'
    """
    text = _CONTROL_ONE_LINE.sub(_escape, str(path))
    if len(text) > limit:
        text = "…" + text[-(limit - 1):]
    return text


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula.

    Text starting with ``= + - @`` (or a tab or carriage return) gets a leading
    apostrophe, as OWASP recommends; numbers are written as numbers.
    """
    if not isinstance(value, str):
        return str(value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value
