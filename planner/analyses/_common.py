"""What every analysis shares: errors, parameter checks, cancellation, progress, weights, JSON numbers."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import numpy as np

from ..result import Result
from ..scenario import Scenario
from ..text import shown

ProgressFn = Callable[[float], "bool | None"]


class Cancelled(Exception):
    """Raised by an analysis whose ``progress`` callable returned False.

    Nothing partial is returned: a cancelled analysis has no result. Work
    already handed to other processes is dropped as it finishes.
    """


# Most points on a budget curve or a Pareto frontier.
MAX_POINTS = 500


class AnalysisError(ValueError):
    """The analysis cannot run on this scenario, or with these parameters (the message says why).

    For a bad parameter, ``parameter`` is its name as the function calls it,
    ``value`` the value given and ``reason`` what is wrong with it; the
    message reads "spread 1.5: choose ...". A front end that calls the
    parameter otherwise (a command-line option) words it with :meth:`naming`.
    """

    def __init__(self, reason: str, *, parameter: str | None = None, value=None):
        self.reason, self.parameter, self.value = reason, parameter, value
        super().__init__(self.naming(parameter, value) if parameter else reason)

    def naming(self, name: str, value) -> str:
        """The message with the parameter called ``name`` and its value shown as ``value``."""
        return f"{name} {quoted(value)}: {self.reason}"


class InfeasibleScenario(AnalysisError):
    """The scenario has no plan at all, so there is nothing to vary.

    ``result`` is the infeasible :class:`planner.result.Result`, with its
    diagnosis; the message is its message (what has to give), after
    ``context`` when given.
    """

    def __init__(self, result: Result, context: str | None = None):
        self.result = result
        super().__init__(f"{context}: {result.message}" if context else result.message)


def quoted(value) -> str:
    """A value as a message names it: text in quotes, numbers as written, escaped and shortened."""
    if isinstance(value, str):
        return f"'{shown(value)}'"
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return shown(str(int(value)))
    return shown(value)


def known(ids: Iterable[str]) -> str:
    """``(known: a, b, c)``, shortened when the list is long."""
    return f"(known: {shown(', '.join(ids), 200)})"


def check_whole(name: str, value, low: int, high: int | None = None) -> int:
    """``value`` as an int, or AnalysisError unless it is a whole number in ``[low, high]``."""
    whole = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not whole or value < low or (high is not None and value > high):
        reason = (f"choose a whole number >= {low:,}" if high is None
                  else f"choose a whole number between {low:,} and {high:,}")
        raise AnalysisError(reason, parameter=name, value=value)
    return int(value)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise AnalysisError(f"choose one of {', '.join(choices)}", parameter=name, value=value)
    return value


def task_index(s: Scenario, name: str, task_id) -> int:
    """The index of a task named by a parameter; AnalysisError naming it if it is empty or unknown."""
    ids = [t.id for t in s.tasks]
    if not isinstance(task_id, str) or not task_id.strip():
        raise AnalysisError(f"name a task {known(ids)}", parameter=name, value=task_id)
    if task_id not in ids:
        raise AnalysisError(f"unknown task {quoted(task_id)} {known(ids)}", parameter=name, value=task_id)
    return ids.index(task_id)


def require_plan(point, model) -> None:
    """Raise if a sweep's first solve found no plan: InfeasibleScenario, with the diagnosis."""
    if point.ok:
        return
    from ..result import INFEASIBLE
    from ..solve import solve_model

    if point.status == INFEASIBLE:
        raise InfeasibleScenario(solve_model(model))
    raise AnalysisError(f"the solver failed on this scenario: {point.message or point.status}")


class Reporter:
    """Wraps the caller's ``progress(fraction) -> bool``; raises :class:`Cancelled` on False.

    A reporter covers a share ``[lo, hi]`` of the whole run, so that steps of an
    analysis (or chunks of a sweep) can each report from 0 to 1.
    """

    def __init__(self, progress: ProgressFn | None, lo: float = 0.0, hi: float = 1.0):
        self._progress = progress
        self.lo, self.hi = lo, hi

    def __call__(self, fraction: float) -> None:
        if self._progress is None:
            return
        f = self.lo + (self.hi - self.lo) * min(max(float(fraction), 0.0), 1.0)
        if self._progress(f) is False:
            raise Cancelled("cancelled")

    def part(self, lo: float, hi: float) -> Reporter:
        """A reporter for the share ``[lo, hi]`` of this one."""
        span = self.hi - self.lo
        return Reporter(self._progress, self.lo + span * lo, self.lo + span * hi)


def task_weights(s: Scenario) -> np.ndarray:
    return np.array([t.weight for t in s.tasks], float)


def normalise(w) -> np.ndarray:
    w = np.asarray(w, float)
    total = float(w.sum())
    return w / total if total > 0 else np.zeros(w.shape)


def member_weights(s: Scenario, weights: Mapping[str, float]) -> np.ndarray:
    """A panel member's weights as a vector over the scenario's tasks (a task left out weighs 0)."""
    unknown = set(weights) - {t.id for t in s.tasks}
    if unknown:
        raise AnalysisError(f"panel weights name an unknown task '{sorted(unknown)[0]}'")
    return np.array([float(weights.get(t.id, 0.0)) for t in s.tasks])


def by_id(ids: Iterable[str], values) -> dict:
    return {i: num(v) for i, v in zip(ids, values)}


def num(v, digits: int = 10):
    """A JSON number: ten significant digits, None for NaN or None."""
    if v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        return None
    return float(f"{v:.{digits}g}")


def nums(values, digits: int = 10) -> list:
    return [num(v, digits) for v in values]


def generated_ids(s: Scenario, g: np.ndarray, eps: float) -> tuple[str, ...]:
    return tuple(c.id for c, u in zip(s.capabilities, g) if u > eps)


def generate_dict(s: Scenario, g: np.ndarray, eps: float) -> dict[str, float]:
    return {c.id: float(u) for c, u in zip(s.capabilities, g) if u > eps}


def check_progress(progress) -> None:
    if progress is not None and not callable(progress):
        raise TypeError("progress: expected a callable progress(fraction) -> bool, or None")
