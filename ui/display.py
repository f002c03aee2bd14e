"""Text from a file on screen: shown as typed, never as markup, never at any length.

Names, ids and file names come from files anyone may have written. A label
that shows one is plain text (:func:`plain_label`). A tooltip or a message
box is rich text whenever Qt thinks the text looks like it, so those get the
text escaped inside markup of our own (:func:`tooltip`, :func:`message`):
either way the reader sees the characters the file holds. What a message
quotes is shortened: :func:`planner.text.shown` for one value, :func:`clipped`
for a whole message.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from planner.result import ERROR, TIME_LIMIT, Result
from planner.text import printable, shown

MESSAGE_CHARS = 3000  # a message box or a notice, at most
MESSAGE_LINES = 24
TOOLTIP_CHARS = 1000
CAUSE_CHARS = 160  # the cause of "no plan" quoted in a status line


def plain_label(text: str = "") -> QLabel:
    """A label that shows ``text`` as typed, markup included."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def clipped(text: str, limit: int = MESSAGE_CHARS, lines: int = MESSAGE_LINES) -> str:
    """``text`` for a message: control characters escaped, at most ``lines`` lines and ``limit`` characters."""
    text = printable(str(text))
    rows = text.split("\n")
    if len(rows) > lines:
        text = "\n".join(rows[:lines] + [f"… and {len(rows) - lines:,} more lines"])
    if len(text) > limit:
        text = text[: limit - 1] + f"… ({len(text):,} characters)"
    return text


def _rich(text: str) -> str:
    """Rich text that reads as ``text``: escaped, its line breaks kept."""
    return "<qt>" + html.escape(text, quote=False).replace("\n", "<br>") + "</qt>"


def tooltip(text: str | None) -> str:
    """A tooltip holding ``text`` as typed ("" for none)."""
    return _rich(clipped(text, TOOLTIP_CHARS)) if text else ""


def message(text: str) -> str:
    """The text of a message box holding ``text`` as typed, shortened to fit a screen."""
    return _rich(clipped(text))


def no_plan_text(result: Result | None) -> str:
    """Why there is no plan, in one line: what the diagnosis says has to give first.

    "No plan meets every rule: Military personnel ceiling: the units already
    fielded need 11,712 persons against a capacity of 5,000 (short by 6,712)".
    """
    if result is not None and result.status in (ERROR, TIME_LIMIT):
        return f"No plan: the solver stopped ({shown(result.message, CAUSE_CHARS)})"
    problems = result.diagnosis if result is not None else ()
    if not problems:
        return "No plan meets every rule"
    text = f"No plan meets every rule: {shown(problems[0].message, CAUSE_CHARS)}"
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more)"
    return text
