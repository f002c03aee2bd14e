"""Scenario files as JSON text: strict parsing, and problems with their place.

Valid JSON may hold what a scenario may not: NaN and Infinity, duplicate keys,
integers of thousands of digits, nesting without end, lone surrogates. Each is
refused with its JSON path and, where the text gives one, its line and column,
found by one linear scan."""

from __future__ import annotations

import json
import math
import re
from json.decoder import scanstring
from typing import Any
from collections.abc import Iterator


from .validate import Problem, path_join, quoted, visible
from .errors import ScenarioError

MAX_FILE_BYTES = 20_000_000  # 20 MB
#: The longest integer a file may hold, in digits. Numbers are at most 1e12, but a lead
#: time past the cycle means "never" however large it is written.
MAX_INTEGER_DIGITS = 30


def too_large(what: str) -> Problem:
    return ("", f"{what}; scenario files are limited to {MAX_FILE_BYTES // 1_000_000} MB")


def size_text(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB ({n_bytes:,} bytes)"

class _Refused(Exception):
    """Raised inside the JSON parser at something valid JSON may hold but a scenario may not."""


def _refuse(_text: str):
    raise _Refused


def _no_duplicates(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Refused
    return result


def _whole_number(text: str) -> int:
    if len(text) > MAX_INTEGER_DIGITS and len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _Refused  # before int() spends time on it
    return int(text)


def parse_json(text: str | bytes, source: str | None = None) -> Any:
    """The JSON data of a scenario file's text. Beyond JSON's own rules, refuses what a
    scenario cannot hold: NaN and Infinity, a key twice in one object, integers of more
    than MAX_INTEGER_DIGITS digits; each is named by its JSON path, line and column."""
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_FILE_BYTES:
            raise ScenarioError([too_large(f"the text is {size_text(len(text))}")], source)
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [("", f"not UTF-8 text (byte {exc.start} cannot be decoded)")], source
            ) from None
    elif len(text) > MAX_FILE_BYTES:
        raise ScenarioError([too_large(f"the text is {len(text):,} characters")], source)
    try:
        return json.loads(
            text, parse_constant=_refuse, object_pairs_hook=_no_duplicates, parse_int=_whole_number
        )
    except _Refused:
        raise ScenarioError(_refusals(text), source) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError([_syntax_problem(exc)], source) from None
    except RecursionError:
        raise ScenarioError([("", "not valid JSON: nested too deeply")], source) from None
    except ValueError as exc:  # no input known gets here; if one does, it still gets a message
        raise ScenarioError([("", f"not valid JSON: {visible(str(exc))}")], source) from None


def _syntax_problem(exc: json.JSONDecodeError) -> Problem:
    return ("", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")


def _ignore(_text: str) -> None:
    return None


def _refusals(text: str) -> list[Problem]:
    """Every problem of a text the strict parse refused, by JSON path, line and column, and
    the first syntax error after them if there is one."""
    syntax, end = None, len(text)
    try:  # where does the text stop being JSON at all?
        json.loads(text, parse_constant=_ignore, parse_int=_ignore, parse_float=_ignore)
    except json.JSONDecodeError as exc:
        syntax, end = _syntax_problem(exc), exc.pos
    except RecursionError:
        syntax = ("", "not valid JSON: nested too deeply")
    problems = list(_scan_refusals(text, end))
    if syntax:
        problems.append(syntax)
    return problems or [("", "not valid JSON")]


MAX_PROBLEMS = 50  # a file with more problems than this is not worth listing further

_WS = r"[ \t\n\r]*"
# One token of valid JSON, with the comma before it if any: a key with its colon, a value,
# or a bracket. A string with escapes is read by scanstring.
_TOKEN = re.compile(
    rf"{_WS}(?P<comma>,)?{_WS}(?:"
    rf'(?P<key>"(?P<plain_key>[^"\\]*)"{_WS}:)|(?P<plain>"[^"\\]*")|(?P<string>")'
    r"|(?P<number>-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)|(?P<constant>NaN|-?Infinity)"
    r"|(?P<open>[{\[])|(?P<close>[}\]])|(?P<literal>true|false|null))"
)
_COLON = re.compile(rf"{_WS}:")


def _scan_refusals(text: str, end: int) -> Iterator[Problem]:
    """What the strict parse refuses in ``text[:end]`` (valid JSON up to ``end``), in order.

    One pass over the tokens, without recursion. Each open object or list is a frame
    ``[path node, current key or index, keys seen (objects) or None (lists)]``; a path
    node is ``(parent node, key)``, spelled out only for a problem."""
    stack: list[list] = []
    top = None  # the innermost open object or list
    lines = _LineCounter(text)
    count = 0
    pos = 0
    match, colon = _TOKEN.match, _COLON.match
    while pos < end and count < MAX_PROBLEMS:
        m = match(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        pos = m.end()
        if m.start("comma") >= 0 and top is not None and top[2] is None:
            top[1] += 1  # the next item of a list
        if kind == "plain":
            continue
        key = None
        if kind == "key":
            key = m.group("plain_key")
        elif kind == "string":
            try:
                value, pos = scanstring(text, pos)
            except ValueError:
                break
            after = colon(text, pos)
            if after is None:
                continue  # a value
            key, pos = value, after.end()
        if key is not None:
            if top is None or top[2] is None:
                break  # not JSON after all
            if key in top[2]:
                count += 1
                at = m.start(kind)
                yield (_path(top[0]), f"key {quoted(key)} appears twice in one object ({lines.at(at)})")
            else:
                top[2].add(key)
            top[1] = key
        elif kind == "open":
            is_object = m.group(kind) == "{"
            top = [_here(top), None if is_object else 0, set() if is_object else None]
            stack.append(top)
        elif kind == "close":
            if not stack:
                break
            stack.pop()
            top = stack[-1] if stack else None
        elif kind == "constant":
            count += 1
            yield (_path(_here(top)),
                   f"{m.group(kind)} is not allowed: numbers must be finite ({lines.at(m.start(kind))})")
        elif kind == "number" and len(m.group(kind)) > MAX_INTEGER_DIGITS:
            token = m.group(kind)
            sign, digits = ("-", token[1:]) if token.startswith("-") else ("", token)
            if len(digits) > MAX_INTEGER_DIGITS and digits.isdigit():
                count += 1
                yield (_path(_here(top)),
                       f"the number {sign}{digits[:12]}… has {len(digits):,} digits: "
                       f"at most {MAX_INTEGER_DIGITS} are allowed ({lines.at(m.start(kind))})")


def _here(frame):
    """The path node of the value at a frame's current key or index (None: the top)."""
    return None if frame is None else (frame[0], frame[1])


class _LineCounter:
    """Line and column of positions in a text, asked for in increasing order: linear time."""

    def __init__(self, text: str):
        self.text, self.pos, self.line, self.line_start = text, 0, 1, 0

    def at(self, pos: int) -> str:
        newlines = self.text.count("\n", self.pos, pos)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.pos, pos) + 1
        self.pos = pos
        return f"line {self.line}, column {pos - self.line_start + 1}"


def _path(node) -> str:
    """A JSON path from a path node ``(parent node, key or index)``; None is the top."""
    parts = []
    while node is not None:
        node, key = node
        parts.append(key)
    return joined_path(reversed(parts))


def joined_path(parts) -> str:
    """A JSON path from its keys and indexes: ``capabilities[3].effect.poc``."""
    path = ""
    for part in parts:
        path = path_join(path, part)
    return path


MAX_DEPTH = 64
_PATH_SHOWN = 80  # characters of a path nested too deeply


def check_values(data) -> list:
    """Problems no schema can see: nesting too deep, numbers too big to be finite
    (``1e999``), text that is not valid Unicode. Walks the data without recursion."""
    problems = []
    stack = [(None, data, 0)]
    while stack:
        node, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            path = _path(node)
            short = path if len(path) <= _PATH_SHOWN else path[:_PATH_SHOWN] + "…"
            problems.append((short, f"nested more than {MAX_DEPTH} levels deep"))
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if _is_text(key):
                    stack.append(((node, key), item, depth + 1))
                else:
                    problems.append((_path(node), "a key is not valid Unicode text"))
                    stack.append((node, item, depth + 1))
        elif isinstance(value, list):
            stack.extend(((node, i), item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((_path(node), "must be a finite number"))
        elif isinstance(value, str) and not _is_text(value):
            problems.append((_path(node), "text that is not valid Unicode (a lone surrogate)"))
    problems.sort()
    return problems


def _is_text(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
