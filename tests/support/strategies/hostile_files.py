"""Hostile files: a valid scenario broken in one way, as the bytes a user could feed the loader."""

from __future__ import annotations

from hypothesis import strategies as st

from .broken_content import (
    dangling_id,
    duplicate_id,
    empty,
    missing_key,
    out_of_range,
    unknown_key,
    wrong_type,
)
from .broken_text import (
    byte_noise,
    deep_nesting,
    duplicate_json_key,
    huge_number,
    lone_surrogate,
    nonfinite,
    not_an_object,
    not_utf8,
    truncated,
)
from .corruption import Corruption
from .scenarios import scenario_dicts

__all__ = ["CORRUPTIONS", "Corruption", "corruptions"]

CORRUPTIONS = {
    "wrong_type": wrong_type,
    "missing_key": missing_key,
    "unknown_key": unknown_key,
    "nonfinite": nonfinite,
    "dangling_id": dangling_id,
    "duplicate_id": duplicate_id,
    "out_of_range": out_of_range,
    "truncated": truncated,
    "not_utf8": not_utf8,
    "duplicate_json_key": duplicate_json_key,
    "deep_nesting": deep_nesting,
    "huge_number": huge_number,
    "empty": empty,
    "not_an_object": not_an_object,
    "byte_noise": byte_noise,
    "lone_surrogate": lone_surrogate,
}


@st.composite
def corruptions(draw, kinds: tuple[str, ...] = tuple(CORRUPTIONS)):
    """A valid scenario broken in one way (see :class:`Corruption`)."""
    d = draw(scenario_dicts(wild=True, max_rules=4))
    kind = draw(st.sampled_from(kinds))
    return CORRUPTIONS[kind](draw, d)
