"""HiGHS for the whole planner: its statuses, quiet instances, warm re-solves, and the two LP stages.

``highs`` is the only module that imports highspy or SciPy's linprog;
``whole`` is the branch and bound for whole units over its LPs; ``stages``
defines stage 1 and stage 2 and how a solved point reads.
Importing this package imports neither solver and makes no instance.
"""

from .highs import (
    BACKENDS, DEFAULT_TIME_LIMIT, ERROR, HAVE_HIGHSPY, INFEASIBLE, OPTIMAL, STATUS_TABLE, TIME_LIMIT, HighsModel,
    Outcome, Status, check_time_limit, status_of,
)
from .stages import TIE_TOLERANCE, UNIT_EPS, score_floor, task_full, task_scores, tie_break_cost

__all__ = [
    "BACKENDS", "DEFAULT_TIME_LIMIT", "ERROR", "HAVE_HIGHSPY", "INFEASIBLE", "OPTIMAL", "STATUS_TABLE",
    "TIE_TOLERANCE", "TIME_LIMIT", "UNIT_EPS", "HighsModel", "Outcome", "Status", "check_time_limit",
    "score_floor", "status_of", "task_full", "task_scores", "tie_break_cost",
]
