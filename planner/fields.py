"""Scenario objects <-> file data, generated from the dataclasses' own fields.

One table (the dataclass fields, their types and order, plus the few
exceptions in ``_LAYOUTS``) gives both directions: loading a checked file into
frozen objects, and the canonical, byte-stable dict a save writes."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, NamedTuple, get_args, get_origin, get_type_hints
from collections.abc import Callable, Iterator, Mapping


from .scenario import (
    Capability, Demand, Period, Region, Resource, Rule, Scenario, Settings, frozen_map,
)


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
        return _Converter(lambda m: load_object(hint, m), dump_object, lambda v: (v,))
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


def load_object(cls: type, model, **given):
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


def dump_object(obj) -> dict[str, Any]:
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
