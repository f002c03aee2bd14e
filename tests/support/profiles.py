"""Hypothesis profiles for the property tests, chosen by ``MANDATE_PLANNER_FUZZ``.

Default: derandomised (the same examples every run), modest counts. With
``MANDATE_PLANNER_FUZZ=1`` new examples every run, the fuzz counts, and a
``@reproduce_failure`` blob for any failure; ``MANDATE_PLANNER_FUZZ=<factor>``
(e.g. 0.1 or 3) scales the fuzz counts.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_FLAG = os.environ.get("MANDATE_PLANNER_FUZZ", "").strip().lower()
FUZZ = _FLAG not in ("", "0", "false", "no", "off")
try:
    SCALE = float(_FLAG) if FUZZ and _FLAG not in ("1", "true", "yes", "on") else 1.0
except ValueError:
    SCALE = 1.0

_COMMON = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
_DEFAULT = settings(derandomize=True, database=None, **_COMMON)
_FUZZ = settings(derandomize=False, print_blob=True,
                 phases=tuple(p for p in Phase if p is not Phase.explain), **_COMMON)


def examples(default: int, fuzz: int) -> settings:
    """Settings for a property: ``default`` examples normally, ``fuzz`` (scaled) when fuzzing."""
    if FUZZ:
        return settings(_FUZZ, max_examples=max(1, int(fuzz * SCALE)))
    return settings(_DEFAULT, max_examples=default)
