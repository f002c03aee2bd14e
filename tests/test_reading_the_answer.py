"""What the plan adds over the status quo, per task and per region, in the summary."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from conftest import SCENARIOS, V1_DEFAULT

from planner.fileio import load_scenario
from planner.solve import solve_scenario
from planner.summary import COVERAGE_CHANGE_SHOWN, coverage_changes, summary


@pytest.fixture(scope="module", params=[V1_DEFAULT, SCENARIOS / "minusma_2020.json"], ids=["v1", "bundled"])
def result(request):
    return solve_scenario(load_scenario(request.param))


def test_the_changes_are_the_plans_coverage_against_the_status_quos(result):
    changes = coverage_changes(result)
    sq = result.status_quo
    assert sq is not None and sq.satisfaction is not None
    for t, r, before, after in changes:
        assert before == pytest.approx(np.nanmean(sq.satisfaction[t, r]))
        assert after == pytest.approx(np.nanmean(result.satisfaction[t, r]))
        assert abs(after - before) >= COVERAGE_CHANGE_SHOWN - 1e-12
    deltas = [after - before for _, _, before, after in changes]
    gains = [d for d in deltas if d > 0]
    assert gains == sorted(gains, reverse=True)  # the largest gains first, then any losses
    assert deltas == gains + [d for d in deltas if d < 0]
    # nothing left out that changed more than the least gain shown
    if gains and len(changes) < 5:
        with np.errstate(invalid="ignore"):
            all_deltas = np.nanmean(result.satisfaction, axis=2) - np.nanmean(sq.satisfaction, axis=2)
        assert np.nansum(all_deltas >= COVERAGE_CHANGE_SHOWN) == len(gains)


def test_the_summary_gives_each_tasks_change_on_the_status_quo(result):
    text = summary(result, gains=False)
    sq = result.status_quo
    for t in result.scenario.tasks:
        now, before = result.task_scores.get(t.id), sq.task_scores.get(t.id)
        line = next(x for x in text.splitlines() if x.strip().startswith(t.name))
        if now is None:
            assert "no demand" in line and "status quo" not in line
        else:
            got = float(re.search(r"([+-]\d+\.\d) on the status quo", line).group(1))
            assert got == pytest.approx(now - before, abs=0.051)
    for t, r, before, after in coverage_changes(result):
        s = result.scenario
        assert f"{s.tasks[t].name} in {s.regions[r].name}: {before:.0%} → {after:.0%}" in text


def test_without_a_status_quo_nothing_is_compared(result):
    bare = dataclasses.replace(result, status_quo=None, status_quo_reason="not solved")
    assert coverage_changes(bare) == []
    text = summary(bare, gains=False)
    assert "on the status quo" not in text and "changes coverage" not in text
