"""Weights from judgements: swing weighting and pairwise comparison.

Swing weighting (von Winterfeldt and Edwards): the planner ranks the tasks by
how much it matters to take each from no coverage to full coverage, gives the
top swing 100 and rates every other swing against it (0 to 100); the weights
are the ratings, normalised to sum to 100.

Pairwise comparison (Saaty's AHP): for each pair of tasks, how many times more
important the first is than the second (1/9 to 9); the weights are the
principal eigenvector of the comparison matrix, and the consistency ratio says
how far the judgements contradict each other (above 0.1 they should be
revisited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Saaty's random consistency index by matrix size (1-based; sizes 1 and 2 are always consistent).
RANDOM_INDEX = (0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
CONSISTENT_ENOUGH = 0.1


class ElicitationError(ValueError):
    """Judgements that do not give weights, in the planner's words."""


def swing_weights(ranking: Sequence[str], ratings: Mapping[str, float]) -> dict[str, float]:
    """Weights (summing to 100) from a ranking of swings, best first, and ratings against the best.

    The top-ranked task's rating is 100 whatever is given; the others must not
    be rated above the task ranked before them.
    """
    if not ranking:
        raise ElicitationError("rank at least one task")
    if len(set(ranking)) != len(ranking):
        raise ElicitationError("each task may be ranked only once")
    rated = {ranking[0]: 100.0}
    previous = 100.0
    for task in ranking[1:]:
        value = float(ratings.get(task, 0.0))
        if not 0.0 <= value <= 100.0:
            raise ElicitationError(f"the rating of '{task}' must be between 0 and 100 (found {value:g})")
        if value > previous + 1e-9:
            raise ElicitationError(f"'{task}' is rated {value:g}, above the task ranked before it "
                                   f"({previous:g}): move it up the ranking or lower its rating")
        rated[task] = value
        previous = value
    total = sum(rated.values())
    return {task: 100.0 * value / total for task, value in rated.items()}


@dataclass(frozen=True)
class PairwiseWeights:
    weights: dict[str, float]  # summing to 100
    consistency_ratio: float  # 0 for perfectly consistent judgements

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= CONSISTENT_ENOUGH


def pairwise_weights(tasks: Sequence[str], judgements: Mapping[tuple[str, str], float]) -> PairwiseWeights:
    """Weights from pairwise judgements: ``judgements[(a, b)]`` = how many times a matters more than b.

    Each unordered pair needs one judgement (either order); the reciprocal is implied.
    """
    n = len(tasks)
    if n == 0:
        raise ElicitationError("compare at least one task")
    index = {t: i for i, t in enumerate(tasks)}
    m = np.ones((n, n))
    given = set()
    for (a, b), value in judgements.items():
        if a not in index or b not in index:
            raise ElicitationError(f"unknown task in the judgement ({a}, {b})")
        if a == b:
            continue
        value = float(value)
        if not (1 / 9 - 1e-12 <= value <= 9 + 1e-12):
            raise ElicitationError(f"'{a}' against '{b}': {value:g} is outside 1/9 to 9")
        m[index[a], index[b]], m[index[b], index[a]] = value, 1.0 / value
        given.add(frozenset((a, b)))
    missing = [(a, b) for i, a in enumerate(tasks) for b in tasks[i + 1:] if frozenset((a, b)) not in given]
    if missing:
        a, b = missing[0]
        raise ElicitationError(f"compare '{a}' with '{b}' ({len(missing)} pair(s) still open)")
    values, vectors = np.linalg.eig(m)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lam = float(values[k].real)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n] if n < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    cr = max(0.0, ci / ri) if ri > 0 else 0.0
    return PairwiseWeights({t: 100.0 * float(w[i]) for t, i in index.items()}, cr)
