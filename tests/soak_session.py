"""An hour of a planner's work compressed: thousands of operations on the real window.

Run as its own process by ``tests/test_soak.py`` so that a fatal abort (the
failure this guards against) is seen as a dead process, not as a dead test run.

    python tests/soak_session.py [--moves N]

Prints one JSON line per checkpoint (``{"ops": ..., "none": ..., ...}``)
and a last line ``{"done": true, ...}``; exits 1 at the first checkpoint
where the reference count of ``None``, ``True`` or ``False`` falls, which is
how a binding that loses references shows itself long before it aborts.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A binding that takes a reference to None (or True/False) per call without
# giving it back makes the count FALL, by thousands per few hundred operations,
# until None is deallocated and the process aborts. A rising count is not that
# failure: the undo history and the charts keep objects that hold None.
DRIFT_LIMIT = 1500  # the most a count may fall between two checkpoints
COUNTS_MEANINGFUL = sys.version_info < (3, 12)  # 3.12+ makes None/True/False immortal


def counts() -> dict[str, int]:
    gc.collect()
    return {"none": sys.getrefcount(None), "true": sys.getrefcount(True), "false": sys.getrefcount(False)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=1500)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="soak-"))
    os.environ["MANDATE_PLANNER_SETTINGS"] = str(home / "settings.ini")
    os.environ["MANDATE_PLANNER_DATA"] = str(home / "data")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QSlider

    from ui import create_main_window

    app = QApplication.instance() or QApplication([])
    # The v1 case as fixed in tests/data: continuous units keep each pause short, so the
    # session spends its time on window operations rather than on branch and bound.
    window = create_main_window(ROOT / "tests" / "data" / "minusma_2020_v1.json")
    window.resize(1366, 768)
    window.show()
    sliders = [s for s in window.findChildren(QSlider) if s.objectName().startswith("weight_")]
    stack = window.document.undo_stack
    tabs = window.charts
    busy = [False]
    window.solver.busyChanged.connect(lambda b: busy.__setitem__(0, b))

    def settle(timeout_ms: int = 20000):
        """Let queued solves and redraws finish, as a user pausing would."""
        loop = QEventLoop()
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        deadline.start(timeout_ms)
        ticks = [0]

        def check():  # past the debounce, then until the worker is idle
            ticks[0] += 1
            if ticks[0] > 8 and not busy[0]:
                loop.quit()

        poll = QTimer()
        poll.timeout.connect(check)
        poll.start(5)
        loop.exec()
        poll.stop()

    settle()
    ops = 0
    base = counts()
    last = dict(base)

    def checkpoint() -> bool:
        nonlocal last
        now = counts()
        drift = {k: now[k] - last[k] for k in now}
        print(json.dumps({"ops": ops, **now, "drift": drift}), flush=True)
        last = now
        return not COUNTS_MEANINGFUL or all(d >= -DRIFT_LIMIT for d in drift.values())

    def fail() -> int:
        print(json.dumps({"done": False, "ops": ops}), flush=True)
        window.document.undo_stack.setClean()
        os._exit(1)  # leave at once: a leaking binding would abort at a normal exit

    # 1. Slider drags: moves in runs of 20, as a hand drags, with a pause to solve.
    for i in range(args.moves):
        slider = sliders[(i // 20) % len(sliders)]
        slider.setValue(10 + (i * 7) % 80)
        app.processEvents()
        ops += 1
        if i % 20 == 19:
            settle()
        if i % 250 == 249 and not checkpoint():
            return fail()
    # 2. Tab switches: every chart shown, many times over.
    for i in range(600):
        tabs.setCurrentIndex(i % tabs.count())
        app.processEvents()
        ops += 1
        if i % 200 == 199 and not checkpoint():
            return fail()
    settle()
    # 3. Undo and redo, far back into the history and forward again.
    for _ in range(2):
        steps = 0
        while stack.canUndo() and steps < 500:
            stack.undo()
            app.processEvents()
            steps += 1
        settle()
        for _ in range(steps):
            stack.redo()
            app.processEvents()
        ops += 2 * steps
        settle()
        if not checkpoint():
            return fail()
    # 4. An analysis, run to its end.
    view = window.analyses
    tabs.setCurrentWidget(view)
    view.kind.setCurrentIndex(view.kind.findData("budget"))
    finished = []
    view.finished.connect(finished.append)
    view.run()
    loop = QEventLoop()
    view.finished.connect(lambda *_: loop.quit())
    QTimer.singleShot(60000, loop.quit)
    if not finished:
        loop.exec()
    ops += 1
    if not finished or not checkpoint():
        return fail()

    total = {k: counts()[k] - base[k] for k in base}
    print(json.dumps({"done": True, "ops": ops, "total_drift": total,
                      "counts_checked": COUNTS_MEANINGFUL}), flush=True)
    stack.setClean()
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
