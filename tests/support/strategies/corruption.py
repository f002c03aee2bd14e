"""A broken scenario file and what loading it must do, and the helpers that write one."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from hypothesis import strategies as st

from .contract import set_at
from .values import ID_CHARS


@dataclass(frozen=True)
class Corruption:
    """A broken (or possibly still valid) scenario file and what loading it must do.

    must_fail: loading must raise ScenarioError (else: ScenarioError, or a
    scenario that saves and reloads to the same bytes).
    paths: when not empty, some problem's JSON path must lie under one of them.
    """

    kind: str
    detail: str
    data: bytes
    must_fail: bool
    paths: tuple[str, ...] = ()


def json_text(draw, d) -> str:
    """The JSON text of ``d`` in a drawn style: compact, indented, or ASCII with escapes."""
    style = draw(st.sampled_from(["compact", "indent", "ascii"]))
    if style == "compact":
        return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
    if style == "indent":
        return json.dumps(d, ensure_ascii=False, indent=2)
    return json.dumps(d)  # \uXXXX escapes, surrogate pairs included


SENTINEL = "\u2063fuzz-sentinel\u2063"


def with_literal(draw, d, parts, literal: str) -> bytes:
    """The JSON text of ``d`` with the value at ``parts`` replaced by a raw literal."""
    d = copy.deepcopy(d)
    set_at(d, parts, SENTINEL)
    return replace_sentinel(json_text(draw, d), literal).encode("utf-8")


def replace_sentinel(text: str, literal: str) -> str:
    for token in (json.dumps(SENTINEL), json.dumps(SENTINEL, ensure_ascii=False)):
        if token in text:
            return text.replace(token, literal, 1)
    raise AssertionError("sentinel lost")


def missing_id(draw, taken: set) -> str:
    """A well-formed id that names nothing in ``taken``."""
    base = draw(
        st.sampled_from(["missing", "zz", "poc_cente", "kidall", "t9", "q5-2021"])
        | st.text(ID_CHARS, min_size=1, max_size=8)
    )
    candidate = base
    n = 0
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"[:64]
    return candidate
