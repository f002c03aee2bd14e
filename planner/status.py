"""How a solve ended: :class:`Status`, without NumPy or HiGHS.

Its own module so that the command line knows the statuses (its exit codes) before
anything heavy is imported; :mod:`planner.lp.highs` maps HiGHS's statuses onto it.
"""

from __future__ import annotations

import enum


class Status(str, enum.Enum):
    """How a solve ended. A ``str``: ``Status.OPTIMAL == "optimal"``, and JSON writes the word."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time_limit"
    ERROR = "error"

    def __str__(self) -> str:  # the word, on every Python version ("No plan: time_limit")
        return self.value


OPTIMAL, INFEASIBLE, TIME_LIMIT, ERROR = Status.OPTIMAL, Status.INFEASIBLE, Status.TIME_LIMIT, Status.ERROR
