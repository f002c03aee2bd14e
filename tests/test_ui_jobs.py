"""The one job runner of the window: latest job wins, stale work is dropped, cancel stops."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("PySide6")

from ui.jobs import JobRunner  # noqa: E402


@pytest.fixture
def runner(qtbot):
    r = JobRunner()
    outcomes = {"finished": [], "failed": [], "progress": []}
    r.finished.connect(outcomes["finished"].append)
    r.failed.connect(outcomes["failed"].append)
    r.progressed.connect(outcomes["progress"].append)
    r.outcomes = outcomes
    yield r
    r.cancel()
    r.wait()


def test_only_the_latest_of_several_submissions_is_reported(qtbot, runner):
    release = threading.Event()
    saw_stop = []

    def slow(progress):
        release.wait(5)
        saw_stop.append(progress(0.5))  # superseded by now: told to stop
        return "first"

    runner.submit(slow)
    runner.submit(lambda progress: "second")  # waits, then is replaced
    runner.submit(lambda progress: "third")
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert runner.outcomes["finished"] == ["third"]
    assert saw_stop == [False]


def test_a_cancelled_job_reports_nothing_and_stops_at_its_next_check(qtbot, runner):
    started, checks = threading.Event(), []

    def long(progress):
        started.set()
        for i in range(10_000):
            if not progress(i / 10_000):
                checks.append(i)
                return "stopped early"
            threading.Event().wait(0.001)
        return "ran to the end"

    runner.submit(long)
    assert started.wait(5)
    runner.cancel()
    qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
    assert runner.outcomes["finished"] == [] and runner.outcomes["failed"] == []
    assert checks and checks[0] < 10_000


def test_a_failing_job_reports_its_exception_and_the_runner_goes_on(qtbot, runner):
    def broken(progress):
        raise ValueError("no such thing")

    runner.submit(broken)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert [type(e) for e in runner.outcomes["failed"]] == [ValueError]
    runner.submit(lambda progress: progress(1.0) and "fine")
    qtbot.waitUntil(lambda: runner.outcomes["finished"] == ["fine"], timeout=5000)
    assert runner.outcomes["progress"][-1] == 1.0
