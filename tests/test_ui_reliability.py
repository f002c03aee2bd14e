"""Nothing a planner did is lost: autosave, recovery after a crash, errors that do not kill the window."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QMessageBox, QSlider  # noqa: E402

from conftest import V1_DEFAULT  # noqa: E402
from planner import load_scenario  # noqa: E402
from ui import create_main_window  # noqa: E402
from ui.recovery import RecoveryStore  # noqa: E402


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_autosave_writes_only_unsaved_changes(window):
    assert not window.autosave()  # clean: nothing to keep
    assert not window.recovery.scenario_file.exists()
    window.findChild(QSlider, "weight_human_rights").setValue(44)
    assert window.autosave()
    kept = load_scenario(window.recovery.scenario_file)
    assert kept.task("human_rights").weight == 44
    meta = json.loads(window.recovery.meta_file.read_text())
    assert meta["original"].endswith(V1_DEFAULT.name)


def test_saving_removes_the_recovery_copy(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window.findChild(QSlider, "weight_human_rights").setValue(45)
    window.autosave()
    target = tmp_path / "saved.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.save_as()
    assert not window.recovery.scenario_file.exists()


def test_a_clean_exit_removes_the_recovery_copy(qtbot, monkeypatch):
    w = create_main_window(V1_DEFAULT)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=10000)
    w.findChild(QSlider, "weight_human_rights").setValue(46)
    assert w.autosave()
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.Discard))
    assert w.close()
    assert not w.recovery.scenario_file.exists()


def _orphan(window, weight: float, original):
    """A copy as a crashed run leaves it: its process is gone."""
    other = RecoveryStore(window.recovery.folder)
    scenario = window.document.scenario.with_task_weight("human_rights", weight)
    other.write(scenario, original)
    meta = json.loads(other.meta_file.read_text())
    meta["pid"] = dead_pid()
    other.meta_file.write_text(json.dumps(meta))
    return other


def test_after_a_crash_the_changes_are_offered_back(window, monkeypatch):
    original = window.document.path
    other = _orphan(window, 77, original)
    asked = []

    def yes(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    assert window.offer_recovery()
    assert asked and V1_DEFAULT.name in asked[0]
    assert window.document.scenario.task("human_rights").weight == 77
    assert window.document.path == original
    assert window.isWindowModified()  # recovered work is not saved yet
    assert not other.scenario_file.exists()


def test_declining_recovery_discards_the_copy(window, monkeypatch):
    other = _orphan(window, 78, None)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.No))
    assert not window.offer_recovery()
    assert window.document.scenario.task("human_rights").weight != 78
    assert not other.scenario_file.exists()


def test_a_running_windows_copy_is_not_offered(window):
    other = RecoveryStore(window.recovery.folder)
    other.write(window.document.scenario, None)  # this process is alive
    assert window.recovery.orphans() == []
    assert not window.offer_recovery()


def test_an_unexpected_error_is_logged_and_the_window_keeps_working(qtbot, window, monkeypatch):
    from ui import errors

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        errors.report_exception(window, *sys.exc_info())
    assert shown and "boom in a slot" in shown[0]
    assert "boom in a slot" in errors.log_path().read_text()
    # still alive and responsive
    window.findChild(QSlider, "weight_human_rights").setValue(41)
    qtbot.waitUntil(lambda: window.last_result.scenario == window.document.scenario, timeout=10000)


def test_two_hundred_rapid_slider_moves_leave_no_running_work(qtbot):
    import threading

    threads_before = threading.active_count()
    w = create_main_window(V1_DEFAULT)
    qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=10000)
    slider = w.findChild(QSlider, "weight_poc_center")
    slider.sliderPressed.emit()
    for i in range(200):
        slider.setValue((i * 37) % 101)
        if i % 10 == 0:
            qtbot.wait(1)  # let the event loop breathe, as a real drag does
    slider.sliderReleased.emit()
    qtbot.waitUntil(lambda: w.last_result.scenario == w.document.scenario, timeout=20000)
    assert w.last_result.scenario.task("poc_center").weight == (199 * 37) % 101
    assert w.document.undo_stack.count() == 1  # one drag, one undo step
    w.document.undo_stack.setClean()
    assert w.close()
    assert w.solver._runner._pool.activeThreadCount() == 0
    assert not w.solver._timer.isActive() and not w.autosave_timer.isActive()
    qtbot.waitUntil(lambda: threading.active_count() <= threads_before + 1, timeout=5000)


def test_opening_a_fifo_neither_freezes_the_window_nor_loses_work(window, tmp_path, monkeypatch):
    import os
    import threading

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    window.findChild(QSlider, "weight_human_rights").setValue(47)
    before = window.document.scenario
    errors = []
    monkeypatch.setattr(window, "_error", lambda title, text: errors.append(text))
    stuck = threading.Event()
    done = threading.Event()

    def watchdog():
        """A reader stuck opening the FIFO gets a writer and an end of file, so the test fails, not hangs."""
        if done.wait(5.0):
            return
        stuck.set()
        while not done.is_set():
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader yet
                pass
            done.wait(0.05)

    guard = threading.Thread(target=watchdog, daemon=True)
    guard.start()
    try:
        assert not window.load(fifo)
    finally:
        done.set()
        guard.join(5.0)
    assert not stuck.is_set(), "loading a FIFO blocked the GUI thread"
    assert errors and "pipe.json" in errors[0]
    assert window.document.scenario is before
    assert window.isWindowModified()
    assert window.document.path.name == V1_DEFAULT.name
