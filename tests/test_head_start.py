"""The window's first plan solved in another process (``planner.first_solve``, ``ui.head_start``):
the same plan and marginal gains as the window's own solve, or none at all, never another."""

import io
import subprocess
import sys
import threading

import numpy as np
import pytest

from planner.fileio import load_scenario
from planner.first_solve import HEADER, main, write_frame
from planner.model import build_model
from planner.solve import solve_model
from planner.summary import marginal_gains
from ui import head_start

from conftest import V1_BUDGET_CUT, V1_DEFAULT, _qtbot

WAIT_S = 60


def _frames(data: bytes) -> list:
    import pickle

    out = []
    while data:
        (size,) = HEADER.unpack(data[:HEADER.size])
        out.append(pickle.loads(data[HEADER.size:HEADER.size + size]))
        data = data[HEADER.size + size:]
    return out


def _in_process(path):
    scenario = load_scenario(path)
    model = build_model(scenario)
    result = solve_model(model)
    return scenario, result, marginal_gains(model, result)


def _same_plan(a, b):
    """The same solve's plan: equal to the last bit but for what depends on the clock."""
    assert (a.status, a.score, a.task_scores, a.generate, a.repatriate) == \
        (b.status, b.score, b.task_scores, b.generate, b.repatriate)
    for name in ("alloc_capability", "alloc_region", "alloc_task", "alloc_period", "alloc_units"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.binding == b.binding


@pytest.mark.parametrize("path", [V1_DEFAULT, "bundled"], ids=["v1", "bundled v2"])
def test_the_process_writes_the_windows_plan_then_its_gains(path, bundled_default):
    path = bundled_default if path == "bundled" else path
    out = io.BytesIO()
    assert main(str(path), out) == 0
    (kind, scenario, result), (kind2, gains) = _frames(out.getvalue())
    want_scenario, want, want_gains = _in_process(path)
    assert (kind, kind2) == ("result", "gains")
    assert scenario == want_scenario
    _same_plan(result, want)
    assert gains == want_gains


def test_a_file_that_does_not_load_ends_it_with_status_1_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 2, "name": ', encoding="utf-8")
    out = io.BytesIO()
    assert main(str(bad), out) == 1
    assert out.getvalue() == b""


def test_the_head_start_gives_the_plan_of_the_scenario_asked_for():
    head = head_start.start(V1_DEFAULT)
    assert head is not None
    scenario, want, want_gains = _in_process(V1_DEFAULT)
    result = head.result_for(scenario, relaxed=False)
    assert result is not None and result.scenario is scenario
    _same_plan(result, want)
    assert head.gains() == want_gains
    assert head.closed


@pytest.mark.parametrize("ask", ["another scenario", "continuous units"])
def test_the_head_start_gives_nothing_for_another_request_and_ends_its_process(ask):
    head = head_start.start(V1_DEFAULT)
    scenario = load_scenario(V1_BUDGET_CUT if ask == "another scenario" else V1_DEFAULT)
    assert head.result_for(scenario, relaxed=ask == "continuous units") is None
    assert head.closed and head._proc.poll() is not None
    assert head.gains() is None


def test_closing_ends_a_wait_on_a_process_that_never_answers():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], stdout=subprocess.PIPE)
    head = head_start.HeadStart(proc)
    got = []
    waiter = threading.Thread(target=lambda: got.append(head.result_for(load_scenario(V1_DEFAULT), False)))
    waiter.start()
    threading.Timer(0.3, head.close).start()
    waiter.join(WAIT_S)
    assert not waiter.is_alive() and got == [None]
    assert proc.poll() is not None


@pytest.mark.parametrize("written", [b"", b"\x00\x00\x00\x00\x00\x00\x00\x10short", b"\x00" * 8,
                                     "frame of another kind"])
def test_a_process_that_writes_nothing_usable_gives_nothing(written, tmp_path):
    if written == "frame of another kind":
        buf = io.BytesIO()
        write_frame(buf, ("gains", []))
        written = buf.getvalue()
    blob = tmp_path / "out.bin"
    blob.write_bytes(written)
    proc = subprocess.Popen([sys.executable, "-c", f"import sys; sys.stdout.buffer.write(open({str(blob)!r}, 'rb').read())"],
                            stdout=subprocess.PIPE)
    head = head_start.HeadStart(proc)
    assert head.result_for(load_scenario(V1_DEFAULT), False) is None
    assert head.closed


def test_it_is_off_when_asked(monkeypatch):
    monkeypatch.setenv("MANDATE_PLANNER_HEAD_START", "0")
    assert head_start.start(V1_DEFAULT) is None


def some_weight_slider(w, avoid):
    from test_ui_main import some_weight_slider as pick

    return pick(w, avoid)


def _window(qtbot, path, head):
    from ui.main_window import MainWindow

    w = MainWindow(path, head_start=head)
    qtbot.addWidget(w)
    gains = []
    w.solver.gainsReady.connect(gains.append)
    with qtbot.waitExposed(w):
        w.show()
    qtbot.waitUntil(lambda: w.last_result is not None and not w.solver.busy, timeout=WAIT_S * 1000)
    return w, gains


def test_the_window_shows_the_head_starts_plan_and_gains(request, monkeypatch):
    qtbot = _qtbot(request)
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Discard))  # the edit
    w, gains = _window(qtbot, V1_DEFAULT, head_start.start(V1_DEFAULT))
    _, want, want_gains = _in_process(V1_DEFAULT)
    assert w.solver.head_start_used
    assert w.last_result.scenario is w.document.scenario
    _same_plan(w.last_result, want)
    assert gains == [want_gains]
    # the next plan is the window's own solve, as ever
    slider, task = some_weight_slider(w, avoid=0)
    slider.setValue(0)
    qtbot.waitUntil(lambda: w.last_result.scenario is w.document.scenario and not w.solver.busy,
                    timeout=WAIT_S * 1000)
    _same_plan(w.last_result, solve_model(build_model(w.document.scenario)))


def test_a_head_start_of_another_file_is_not_shown(request):
    qtbot = _qtbot(request)
    w, _ = _window(qtbot, V1_DEFAULT, head_start.start(V1_BUDGET_CUT))
    _, want, _ = _in_process(V1_DEFAULT)
    assert not w.solver.head_start_used
    _same_plan(w.last_result, want)


def test_an_infeasible_file_gives_its_diagnosis_and_no_gains(tmp_path):
    from planner.fileio import save_scenario, scenario_from_dict
    from test_alternatives import infeasible_dict

    path = tmp_path / "impossible.json"
    save_scenario(scenario_from_dict(infeasible_dict()), path)
    out = io.BytesIO()
    assert main(str(path), out) == 0
    (_, _, result), (_, gains) = _frames(out.getvalue())
    _, want, _ = _in_process(path)
    assert result.status == want.status == "infeasible"
    assert result.diagnosis == want.diagnosis and result.diagnosis
    assert gains is None


def _head_writing(frames, tmp_path, then="exit"):
    """A head start over a process that writes ``frames`` and then exits or sleeps."""
    buf = io.BytesIO()
    for frame in frames:
        write_frame(buf, frame)
    blob = tmp_path / "frames.bin"
    blob.write_bytes(buf.getvalue())
    code = (f"import sys, time; sys.stdout.buffer.write(open({str(blob)!r}, 'rb').read()); sys.stdout.flush()"
            + ("; time.sleep(120)" if then == "sleep" else ""))
    return head_start.HeadStart(subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE))


def test_gains_the_process_did_not_give_are_worked_out_here(tmp_path):
    pytest.importorskip("PySide6")  # ui.solver is Qt's
    from ui.solver import WarmSolver

    scenario, want, want_gains = _in_process(V1_DEFAULT)
    solver = WarmSolver(_head_writing([("result", scenario, want)], tmp_path))  # then it ends
    result, model, gains_job = solver(scenario, False)
    assert model is None and solver.head_used
    assert gains_job(lambda _f: True) == want_gains and want_gains


def test_a_cancelled_wait_for_the_gains_gives_none(tmp_path):
    pytest.importorskip("PySide6")  # ui.solver is Qt's
    from ui.solver import WarmSolver

    scenario, want, _ = _in_process(V1_DEFAULT)
    head = _head_writing([("result", scenario, want)], tmp_path, then="sleep")
    _, _, gains_job = WarmSolver(head)(scenario, False)
    assert gains_job(lambda _f: False) is None
    assert head.closed and head._proc.poll() is not None


def test_a_window_closing_during_the_wait_solves_nothing(tmp_path):
    pytest.importorskip("PySide6")  # ui.solver is Qt's
    from ui.solver import SolveAbandoned, WarmSolver

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], stdout=subprocess.PIPE)
    solver = WarmSolver(head_start.HeadStart(proc))
    raised = []

    def first_request():
        try:
            solver(load_scenario(V1_DEFAULT), False)
        except SolveAbandoned as exc:
            raised.append(exc)

    waiter = threading.Thread(target=first_request)
    waiter.start()
    threading.Timer(0.3, lambda: solver.end_head_start(closing=True)).start()
    waiter.join(WAIT_S)
    assert not waiter.is_alive() and raised and proc.poll() is not None


def test_a_head_start_plan_that_is_superseded_ends_its_process(request):
    qtbot = _qtbot(request)
    from ui.solver import SolveController, WarmSolver

    scenario = load_scenario(V1_DEFAULT)
    head = head_start.start(V1_DEFAULT)
    c = SolveController(solve=WarmSolver(head))
    shown = []
    c.resultReady.connect(lambda result, _m: shown.append(result.scenario))
    c.request(scenario, immediate=True)
    other = load_scenario(V1_BUDGET_CUT)
    c.request(other, immediate=True)  # before the first plan is delivered
    qtbot.waitUntil(lambda: not c.busy, timeout=WAIT_S * 1000)
    assert shown[-1] is other
    qtbot.waitUntil(lambda: head.closed and head._proc.poll() is not None, timeout=WAIT_S * 1000)
    c.wait()
