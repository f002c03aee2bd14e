"""The small values scenarios are made of: ids, texts, JSON values and numbers.

Numbers come two ways: "planner" numbers (multiples of a step, as people type
them), which the solver properties can check tightly, and ``wild`` ones
(arbitrary finite floats, subnormals, 17-digit values, up to the planner's
largest number) for the file round trip.
"""

from __future__ import annotations

from hypothesis import strategies as st

# The largest number the planner accepts (1e12; not in contract v1, which bounds
# nothing): valid scenarios stay below it, extreme_scenarios() probes past it.
from planner.schema import MAX_NUMBER

FORMAT = "mandate-planner-scenario"
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-"

#: ids: short ones collide across lists (a task and a region both called "a"),
#: long ones hit the 64-character limit.
ids = st.one_of(
    st.sampled_from(["a", "b", "c", "x", "0", "-", "_", "q3-2020", "poc_center", "extra", "id"]),
    st.text(ID_CHARS, min_size=1, max_size=12),
    st.text(ID_CHARS, min_size=64, max_size=64),
)


def unique_ids(n: int):
    return st.lists(ids, min_size=n, max_size=n, unique=True)


texts = st.text(max_size=16)  # any Unicode scalar value (no lone surrogates)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
#: anything JSON can hold (finite numbers), for ``extra`` objects.
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
extra_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=3)


def steps(hi: float, step: float, lo: float = 0.0):
    """Multiples of ``step`` in [lo, hi]: numbers a planner types, exact in binary or nearly."""
    return st.integers(int(round(lo / step)), int(round(hi / step))).map(lambda k: round(k * step, 10))


def nonneg(wild: bool, hi: float = 10.0, step: float = 0.5):
    nice = st.one_of(st.just(0), st.integers(0, int(hi)), steps(hi, step))
    if not wild:
        return nice
    return st.one_of(
        nice,
        st.floats(0, hi * 10, allow_nan=False, allow_infinity=False, allow_subnormal=True),
        st.floats(0, 1e12, allow_nan=False, allow_infinity=False),
        st.integers(0, int(MAX_NUMBER)),  # the schema's MAX_NUMBER
    )


def positive(wild: bool, hi: float = 10.0, step: float = 0.5):
    nice = st.one_of(st.integers(1, max(1, int(hi))), steps(hi, step, lo=step))
    if not wild:
        return nice
    return st.one_of(
        nice,
        st.floats(0, hi * 10, exclude_min=True, allow_nan=False, allow_infinity=False, allow_subnormal=True),
        st.integers(1, int(MAX_NUMBER)),
    )


def shares(wild: bool):
    nice = st.one_of(st.sampled_from([0, 1, 0.0, 1.0]), steps(1, 0.05))
    return st.one_of(nice, st.floats(0, 1, allow_nan=False)) if wild else nice


def maybe_add(draw, obj: dict, key: str, strategy) -> None:
    """Add an optional field half of the time."""
    if draw(st.booleans()):
        obj[key] = draw(strategy)


def add_notes(draw, obj: dict) -> None:
    maybe_add(draw, obj, "note", texts)
    if draw(st.integers(0, 3)) == 0:
        obj["extra"] = draw(extra_objects)
