"""HiGHS for the whole planner: its statuses, quiet instances, warm re-solves, and the two LP stages.

``highs`` is the only module that imports highspy or SciPy's linprog;
``whole`` is the branch and bound for whole units over its LPs; ``stages``
defines stage 1 and stage 2 and how a solved point reads.
Importing this package imports neither solver and makes no instance; its names load
with their first use (``highs`` needs no SciPy, ``stages`` does).
"""

from .._lazy import lazy_names

_HOMES = {
    **{name: "highs" for name in (
        "BACKENDS", "DEFAULT_TIME_LIMIT", "ERROR", "HAVE_HIGHSPY", "INFEASIBLE", "OPTIMAL", "STATUS_TABLE",
        "TIME_LIMIT", "HighsModel", "Outcome", "Status", "check_time_limit", "status_of")},
    **{name: "stages" for name in (
        "TIE_TOLERANCE", "UNIT_EPS", "score_floor", "task_full", "task_scores", "tie_break_cost")},
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_names(__name__, _HOMES)
