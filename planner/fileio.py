"""Reading and writing scenario files.

Loading checks everything the contract asks and reports every problem at once,
each by its JSON path; a failed load never touches the file. Saving is atomic
and canonical: keys in a stable order, 2-space indentation, whole numbers
written as integers, so that load -> save gives back the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
import re
import stat
import time
from json.decoder import scanstring
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Any, NamedTuple, get_args, get_origin, get_type_hints
from collections.abc import Callable, Iterator, Mapping

from pydantic import ValidationError

from .scenario import (
    FORMAT, Capability, Demand, Period, Region, Resource, Rule, Scenario, Settings, frozen_map,
)
from .schema import CURRENT_VERSION, ScenarioModel
from .validate import Problem, check_references, found, path_join, quoted, visible

MAX_FILE_BYTES = 20_000_000  # 20 MB
#: The longest integer a file may hold, in digits. Numbers are at most 1e12, but a lead
#: time past the cycle means "never" however large it is written.
MAX_INTEGER_DIGITS = 30


def _version_1_to_2(data: dict) -> dict:
    """Version 2 only adds optional fields and choices: a version 1 file reads as it is.

    A version 1 file that already uses version 2 fields is read as well (and saved as
    version 2): every version 1 file stays valid, the additions are optional, and
    refusing the file would only make its author change a number by hand."""
    return data


# version n -> function turning a version-n dict into a version-(n+1) dict.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _version_1_to_2}


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem by JSON path."""

    def __init__(self, problems: list[Problem], source: str | None = None):
        self.problems = list(problems)
        self.source = source
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"{visible(self.source, 300)}: " if self.source else ""
        if len(self.problems) == 1:
            path, msg = self.problems[0]
            return f"{head}{path + ': ' if path else ''}{msg}"
        lines = [f"{head}{len(self.problems)} problems"]
        lines += [f"  {p + ': ' if p else ''}{m}" for p, m in self.problems]
        return "\n".join(lines)


# -- reading ------------------------------------------------------------------


def _too_large(what: str) -> Problem:
    return ("", f"{what}; scenario files are limited to {MAX_FILE_BYTES // 1_000_000} MB")


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB ({n_bytes:,} bytes)"


def _not_a_file(mode: int) -> str | None:
    """Why a file of this mode cannot be a scenario file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "this is a folder, not a scenario file"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (a device)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (a socket)"
    return "not a regular file"


# Opening never blocks (a named pipe without a writer would wait forever) and never makes
# a terminal the controlling one; bytes are read as they are.
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)


def _read_regular_file(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES, without ever blocking."""

    def check(info: os.stat_result) -> None:
        why = _not_a_file(info.st_mode)
        if why:
            raise ScenarioError([("", why)], name)
        if info.st_size > MAX_FILE_BYTES:
            raise ScenarioError([_too_large(f"the file is {_size(info.st_size)}")], name)

    check(os.stat(path))  # does not block, whatever the file is
    fd = os.open(path, _OPEN_FLAGS)
    try:
        check(os.fstat(fd))  # the file opened may not be the one looked at
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise ScenarioError([_too_large(f"the file holds more than {MAX_FILE_BYTES:,} bytes")], name)
    return b"".join(chunks)


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Read and check a scenario file; raise :class:`ScenarioError` if it is bad."""
    path = Path(path)
    name = path.name
    try:
        data = _read_regular_file(path, name)
    except ScenarioError:
        raise
    except FileNotFoundError:
        raise ScenarioError([("", "no such file")], str(path)) from None
    except OSError as exc:
        raise ScenarioError([("", f"cannot be read ({exc.strerror or exc})")], str(path)) from None
    except ValueError:  # a name no file can have
        raise ScenarioError([("", "cannot be read (the name holds a NUL character)")], str(path)) from None
    return loads_scenario(data, source=name)


def loads_scenario(text: str | bytes, source: str | None = None) -> Scenario:
    """Parse and check a scenario from JSON text."""
    data = parse_json(text, source)
    return scenario_from_dict(data, source)


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
            raise ScenarioError([_too_large(f"the text is {_size(len(text))}")], source)
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError(
                [("", f"not UTF-8 text (byte {exc.start} cannot be decoded)")], source
            ) from None
    elif len(text) > MAX_FILE_BYTES:
        raise ScenarioError([_too_large(f"the text is {len(text):,} characters")], source)
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
    return _join(reversed(parts))


def _join(parts) -> str:
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


def scenario_from_dict(data: Any, source: str | None = None) -> Scenario:
    """Check a parsed scenario file and build the :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError([("", "a scenario file must hold one JSON object")], source)
    problems = check_values(data)
    if problems:
        raise ScenarioError(problems[:MAX_PROBLEMS], source)
    if data.get("format") != FORMAT:
        head = f"{found(data['format'])}: " if "format" in data else ""
        raise ScenarioError(
            [("format", f"{head}not a Mandate Planner scenario (expected \"format\": \"{FORMAT}\")")],
            source,
        )
    migrated = migrate(data, source)  # checks the version, so data["version"] is a known one
    problems: list[Problem] = []
    model = None
    try:
        model = ScenarioModel.model_validate(migrated)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc))
    except RecursionError:
        problems.append(("", "nested too deeply"))
    problems.extend(check_references(migrated))
    if problems:
        raise ScenarioError(_dedupe(problems), source)
    # The scenario keeps the version the file had, so that a save writes it back.
    return _load_object(Scenario, model, version=data["version"])


def migrate(data: dict, source: str | None = None) -> dict:
    """Bring an older file up to :data:`CURRENT_VERSION`; refuse newer ones."""
    if "version" not in data:
        raise ScenarioError([("version", "required field is missing (the file format version)")], source)
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise ScenarioError(
            [("version", f"{found(version)} is not a whole number (the file format version)")], source
        )
    if version > CURRENT_VERSION:
        raise ScenarioError(
            [("version", f"the file is format version {found(version)}, newer than this program reads "
              f"(up to {CURRENT_VERSION}); update Mandate Planner to open it")],
            source,
        )
    if version < 1:
        raise ScenarioError([("version", f"unknown format version {found(version)}")], source)
    while version < CURRENT_VERSION:
        data = MIGRATIONS[version](dict(data))
        version += 1
        data["version"] = version
    return data


_ID_MESSAGE = "an id must be 1-64 characters of a-z, 0-9, '_' or '-'"

_FRIENDLY = {
    "extra_forbidden": "unknown key (check the spelling)",
    "missing": "required field is missing",
    "finite_number": "must be a finite number",
}

# A value of the wrong JSON type: what it should have been.
_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
}


def _pydantic_problems(exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc.pop()
        message = _pydantic_message(err, is_key)
        problems.append((_join(loc), message + (" (as a key)" if is_key else "")))
    return problems


def _pydantic_message(err: dict, is_key: bool) -> str:
    """One validation error in plain words, naming the value found."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "float_type" and isinstance(value, int) and not isinstance(value, bool):
        return f"{found(value)} is too large for a number"
    if kind in _EXPECTED:
        return f"{found(value)} is not {_EXPECTED[kind]}"
    if kind == "literal_error":
        choices = str(ctx.get("expected", ""))  # "'a', 'b' or 'c'": our own constants
        if " or " in choices:
            return f"{found(value)} is not one of {choices.replace(' or ', ', ')}"
        return f"{found(value)} is not {choices}"
    if kind == "string_pattern_mismatch":
        # a key is already in the path; a value is named
        return _ID_MESSAGE if is_key else f"{found(value)}: {_ID_MESSAGE}"
    if kind == "string_too_long":
        return f"too long: at most {ctx['max_length']:,} characters (found {len(value):,})"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']:g} (found {found(value)})"
    if kind == "greater_than_equal":
        bound = "must not be negative" if ctx["ge"] == 0 else f"must be at least {ctx['ge']:g}"
        return f"{bound} (found {found(value)})"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']:g} (found {found(value)})"
    msg = err["msg"]
    return msg[:1].lower() + msg[1:]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# -- the file's fields ---------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """How one kind of object of :mod:`planner.scenario` stands in the file.

    Its file keys are its dataclass fields, named alike, in the dataclass's order except
    that ``first`` come first and ``note`` and ``extra`` last; each value is converted by
    its annotated type (see :func:`_converter`)."""

    first: tuple[str, ...] = ()
    #: A mapping the file may leave out or spell out empty -> the attribute saying which it did.
    spelled_out: Mapping[str, str] = field(default_factory=dict)
    #: Fields the object keeps that are not written as they are.
    hidden: tuple[str, ...] = ()
    #: What format version 2 added: fields, and values of older fields.
    since_v2: tuple[str, ...] = ()
    v2_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


_LAYOUTS: dict[type, _Layout] = {
    Scenario: _Layout(first=("name", "description", "illustrative", "sources"), hidden=("version",)),
    Period: _Layout(since_v2=("effect_factor",)),
    Region: _Layout(since_v2=("camp", "camp_capacity", "camp_limits")),
    Capability: _Layout(
        spelled_out={"region_factor": "has_region_factor", "uses": "has_uses"},
        since_v2=(
            "reach_km", "edge_factor", "uses_per_km", "bases", "based_at", "move_uses", "max_repatriate",
        ),
    ),
    Demand: _Layout(since_v2=("need_by_period",)),
    Resource: _Layout(since_v2=("personnel",), v2_values={"basis": ("in_service",)}),
    Rule: _Layout(
        first=("id", "name", "kind"),
        since_v2=("needs", "scope", "via_task", "beyond_km", "count", "within_km", "any"),
        v2_values={"kind": ("requires",)},
    ),
    Settings: _Layout(since_v2=("stationing",)),
}
_PLAIN_LAYOUT = _Layout()


class _Converter(NamedTuple):
    """How a value goes between file and object (None: as it is)."""

    load: Callable[[Any], Any] | None = None  # a checked file value (pydantic) -> the object's
    dump: Callable[[Any], Any] | None = None  # the object's value -> JSON data
    objects: Callable[[Any], Iterator[Any]] | None = None  # the scenario objects a value holds


class _Field(NamedTuple):
    key: str  # the file key, and the attribute
    convert: _Converter
    spelled_out: str | None  # see _Layout.spelled_out


def _each(convert, make):
    """``make`` of a list's or tuple's items, each converted (None: as it is)."""
    return make if convert is None else (lambda v: make(convert(x) for x in v))


def _each_value(convert, make):
    """``make`` of a mapping whose values are each converted (None: as they are)."""
    return make if convert is None else (lambda v: make({k: convert(x) for k, x in v.items()}))


def _converter(hint) -> _Converter:
    """How a value of the annotated type goes between file and object: objects of
    :mod:`planner.scenario` by their own fields, tuples as lists, read-only maps as objects
    (``Mapping[str, Any]``: verbatim data), numbers with :func:`_num`; ``| None`` is left to
    the caller."""
    args = [a for a in get_args(hint) if a is not type(None)]
    if isinstance(hint, UnionType):
        (hint,) = args
        args = list(get_args(hint))
    origin = get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _Converter(lambda m: _load_object(hint, m), _dump_object, lambda v: (v,))
    if origin is tuple:
        item = _converter(args[0])
        objects = item.objects and (lambda v: (o for x in v for o in item.objects(x)))
        return _Converter(_each(item.load, tuple), _each(item.dump, list), objects)
    if origin is Mapping:
        if args[1] is Any:
            return _Converter(frozen_map, _plain)
        item = _converter(args[1])
        objects = item.objects and (lambda v: (o for x in v.values() for o in item.objects(x)))
        return _Converter(_each_value(item.load, frozen_map), _each_value(item.dump, dict), objects)
    return _Converter(dump=_num if hint is float else None)


@functools.cache
def _fields(cls: type) -> tuple[_Field, ...]:
    """The file fields of a kind of scenario object, in the canonical order."""
    layout = _LAYOUTS.get(cls, _PLAIN_LAYOUT)
    hints = get_type_hints(cls)
    skip = {*layout.hidden, *layout.spelled_out.values()}
    names = [f.name for f in dataclasses.fields(cls) if f.name not in skip]
    last = [n for n in ("note", "extra") if n in names]
    order = [*layout.first, *(n for n in names if n not in layout.first and n not in last), *last]
    return tuple(_Field(n, _converter(hints[n]), layout.spelled_out.get(n)) for n in order)


def file_keys(cls: type) -> tuple[str, ...]:
    """The keys an object of ``cls`` (a :mod:`planner.scenario` dataclass) may have in a file,
    in the order a save writes them (a scenario's ``format`` and ``version`` aside)."""
    return tuple(f.key for f in _fields(cls))


def _load_object(cls: type, model, **given):
    """The ``cls`` object of a checked file object (a pydantic model of the same fields)."""
    values = dict(given)
    for f in _fields(cls):
        value = getattr(model, f.key)
        if f.spelled_out:
            values[f.spelled_out] = value is not None
            value = {} if value is None else value
        if value is not None and f.convert.load:
            value = f.convert.load(value)
        values[f.key] = value
    return cls(**values)


def _dump_object(obj) -> dict[str, Any]:
    """An object's file data: keys in the canonical order, None left out."""
    out: dict[str, Any] = {}
    for f in _fields(type(obj)):
        value = getattr(obj, f.key)
        if f.spelled_out:
            if not (getattr(obj, f.spelled_out) or value):
                continue
        elif value is None:
            continue
        out[f.key] = f.convert.dump(value) if f.convert.dump else value
    return out


def _objects(obj) -> Iterator[Any]:
    """``obj`` and every scenario object inside it."""
    yield obj
    for f in _fields(type(obj)):
        value = getattr(obj, f.key)
        if f.convert.objects and value is not None:
            for inner in f.convert.objects(value):
                yield from _objects(inner)


def _uses_v2_itself(obj) -> bool:
    layout = _LAYOUTS.get(type(obj), _PLAIN_LAYOUT)
    return any(getattr(obj, key) is not None for key in layout.since_v2) or any(
        getattr(obj, key) in values for key, values in layout.v2_values.items()
    )


def uses_v2(s: Scenario) -> bool:
    """Whether the scenario uses anything format version 2 added (a field, a resource basis,
    a rule kind): a program that reads only version 1 would refuse it."""
    return any(_uses_v2_itself(obj) for obj in _objects(s))


def saved_version(s: Scenario) -> int:
    """The format version a save writes: the file's own, or 2 once a version 2 field is used."""
    return max(s.version, 2 if uses_v2(s) else 1)


# -- writing ------------------------------------------------------------------


def _num(x: float) -> int | float:
    """Whole numbers as integers, so files stay tidy and diffs stable."""
    if isinstance(x, bool):
        return x
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def _plain(value):
    """A JSON-ready copy of verbatim data (read-only maps become dicts)."""
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def scenario_to_dict(s: Scenario) -> dict:
    """The scenario as file data, keys in the canonical order."""
    return {"format": FORMAT, "version": saved_version(s), **_dump_object(s)}


def dumps_scenario(s: Scenario) -> str:
    """The canonical file text of a scenario."""
    return json.dumps(scenario_to_dict(s), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def save_scenario(s: Scenario, path: str | os.PathLike) -> None:
    """Write a scenario atomically: the old file stays whole if anything fails."""
    write_atomic(Path(path), dumps_scenario(s).encode("utf-8"))


#: A temporary file older than this was left by a save that was killed: no save takes so long.
STALE_TEMPORARY_SECONDS = 300
# A temporary file is named ``.NAME.`` + eight random characters of these + ``.tmp``.
_TEMPORARY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TEMPORARY_TAIL = re.compile(r"[a-z0-9_]{8}\.tmp")


def _create_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file beside ``name``, created with the usual permissions
    (0o666 less the umask, as any new file), unlike mkstemp's private 0o600."""
    import secrets

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tail = "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(8))
        tmp = os.path.join(folder, f".{name}.{tail}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {name}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the file, fsync, then rename over it.

    Through a symbolic link, the file written is the one the link points to (the link
    stays a link); the temporary file is made in that file's folder, so that the rename
    stays within one file system. Temporary files of earlier saves of the same file that
    were killed half-way are removed."""
    target = Path(os.path.realpath(path))
    folder = target.parent
    _remove_stale_temporaries(target)
    fd, tmp = _create_temporary(folder, target.name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():  # a replaced file keeps its permissions
            try:
                os.chmod(tmp, target.stat().st_mode & 0o777)
            except OSError:
                pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable where the platform allows it
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _remove_stale_temporaries(target: Path) -> None:
    """Remove the temporary files of ``target``'s killed saves: our naming, for that file
    only, regular files only, and only when old enough that no save can still be writing them."""
    prefix = f".{target.name}."
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    try:
        entries = os.scandir(target.parent)
    except OSError:
        return
    with entries:
        for entry in entries:
            if not entry.name.startswith(prefix) or not _TEMPORARY_TAIL.fullmatch(entry.name, len(prefix)):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                    os.unlink(entry.path)
            except OSError:
                pass  # gone already, or not ours to remove: the save goes on
