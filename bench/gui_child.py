"""The GUI benchmark's child processes: what runs inside the processes that are timed.

Started by ``bench/gui.py`` as ``python bench/gui.py --child cold`` and
``python bench/gui.py --child slider MOVES DRAGS``; each prints one JSON line.
Both run the real window (``ui.create_main_window()``) on Qt's offscreen
platform. Imports beyond the standard library happen inside the functions,
where they are part of what is timed.
"""

from __future__ import annotations

import json
import os
import sys
import time

SLIDER_TASK = None  # None: the first task's weight slider (whatever the default scenario's ids)
DRAG_STEPS = 20
DRAG_INTERVAL_MS = 16  # a 60 Hz drag
WAIT_LIMIT_S = 30.0  # nothing may hang the benchmark


def run_cold_start() -> None:
    """As ``main.py`` opens the window: the command line's module, then ``ui.app.show_window``
    (the first plan's process started, Qt imported, the window built and shown)."""
    t_launch = float(os.environ["BENCH_T_LAUNCH"])
    now = time.perf_counter
    stamps = {"script": now()}
    from planner import cli  # noqa: F401 - what main.py imports before it knows a window is wanted

    stamps["import_cli"] = now()
    from ui.app import show_window
    from ui.chart_views import CHART_IMPORT_STEPS

    chart_imports = _time_imports(CHART_IMPORT_STEPS)
    _app, window = show_window(None)
    stamps["show"] = now()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    probe = _Probe(window)
    window.solver.resultReady.connect(lambda *_: stamps.setdefault("result", now()))
    probe.wait(app, lambda: probe.label_at is not None and probe.chart_at is not None)
    stamps["label"], stamps["chart"] = probe.label_at, probe.chart_at
    stamps["head_start_used"] = window.solver.head_start_used
    stamps["chart_imports_s"] = sum(chart_imports)
    print(json.dumps({k: (v - t_launch if isinstance(v, float) and not k.endswith("_s") else v)
                      for k, v in stamps.items()}), flush=True)
    sys.stderr.flush()
    os._exit(0)  # the first result is on screen: no teardown in the figure


def _time_imports(names) -> list[float]:
    """Seconds of each ``importlib.import_module`` of ``names`` from now on (the charts' modules,
    which the window imports that way once it is shown)."""
    import importlib

    spent: list[float] = []
    real = importlib.import_module

    def timed(name, package=None):
        if name not in names:
            return real(name, package)
        t0 = time.perf_counter()
        try:
            return real(name, package)
        finally:
            spent.append(time.perf_counter() - t0)

    importlib.import_module = timed
    return spent


class _Probe:
    """Watches the score label and the visible chart being painted.

    ``label_at``: perf_counter when the score label began a paint showing the
    window's last result (for the document's current scenario); when the new
    result leaves the label's text as it was painted last (the same score to one
    decimal), Qt paints nothing and the screen already shows it: then the moment
    ``insights.show_result`` returned (counted in ``unchanged``). ``chart_at``:
    the end of the event-loop pass in which the visible chart was painted after
    the result arrived (the Agg render happens in that pass at the latest).
    """

    def __init__(self, window):
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QLabel

        self.window = window
        self.label = window.findChild(QLabel, "scoreLabel")
        self.view = window.charts.currentWidget()  # its canvas is made with the first chart drawn
        probe = self

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    probe._on_paint(obj)
                return False

        self._filter = Filter()
        self.label.installEventFilter(self._filter)
        if self.view._canvas is not None:
            self.view._canvas.installEventFilter(self._filter)
        self.view.canvasMade.connect(lambda canvas: canvas.installEventFilter(self._filter))
        self.result_at: float | None = None
        self.results = 0  # results the window has applied
        self.unchanged = 0  # results whose score text was already on screen
        self._painted_text = None
        show = window.insights.show_result

        def show_result(*args, **kwargs):
            out = show(*args, **kwargs)
            if (self.label_at is None and self._shows_current()
                    and self.label.text() == self._painted_text):
                self.label_at = time.perf_counter()
                self.unchanged += 1
            return out

        window.insights.show_result = show_result  # _on_result looks it up at call time
        self.busy = True
        window.solver.resultReady.connect(self._on_result)
        window.solver.busyChanged.connect(self._on_busy)
        self.reset()

    def reset(self):
        self.label_at = self.chart_at = self.result_at = self.idle_at = None
        self._chart_painted = False

    def _on_result(self, *_):
        self.results += 1
        if self.result_at is None:
            self.result_at = time.perf_counter()

    def _on_busy(self, busy):
        self.busy = bool(busy)
        if not busy:
            self.idle_at = time.perf_counter()

    def current(self) -> bool:
        r = self.window.last_result
        return r is not None and r.scenario is self.window.document.scenario

    def _shows_current(self) -> bool:
        return self.current() and self.label.text() == f"{self.window.last_result.score:.1f}"

    def _on_paint(self, obj):
        t = time.perf_counter()
        if obj is self.label:
            self._painted_text = self.label.text()
            if self.label_at is None and self._shows_current():
                self.label_at = t
        elif self.result_at is not None and self.current():
            self._chart_painted = True

    def wait(self, app, done, limit: float = WAIT_LIMIT_S):
        """Process events, sleep-free, until ``done()``; stamps the chart after each pass."""
        from PySide6.QtCore import QEventLoop, QTimer

        heartbeat = QTimer()  # wakes the loop if no event comes (never expected)
        heartbeat.start(100)
        flags = QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
        end = time.perf_counter() + limit
        try:
            while not done():
                if time.perf_counter() > end:
                    raise TimeoutError("the GUI did not show the result in time")
                app.processEvents(flags)
                if self._chart_painted and self.chart_at is None:
                    self.chart_at = time.perf_counter()
        finally:
            heartbeat.stop()


def _timed(obj, name: str, sink: list):
    """Wrap ``obj.name`` (a Python method, looked up at call time) to record its durations."""
    inner = getattr(obj, name)

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            sink.append(time.perf_counter() - t0)

    setattr(obj, name, wrapper)


def run_slider(moves: int, drags: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QSlider

    import ui

    app = QApplication(sys.argv[:1])
    window = ui.create_main_window()
    probe = _Probe(window)
    window.show()
    probe.wait(app, lambda: probe.label_at is not None and probe.chart_at is not None and not probe.busy)
    name = f"weight_{SLIDER_TASK}" if SLIDER_TASK else f"weight_{window.document.scenario.tasks[0].id}"
    slider = window.findChild(QSlider, name)
    if slider is None:
        raise SystemExit(f"no slider {name}")
    show_t, set_t, render_t = [], [], []
    _timed(window.insights, "show_result", show_t)
    _timed(window.charts, "set_result", set_t)
    _timed(probe.view.canvas, "draw", render_t)

    def values():
        i = 0
        while True:
            i += 1
            yield 5 + (i * 37) % 90  # jumps of varying size over 5..94

    gen = values()

    def next_value():
        v = next(gen)
        while v == slider.value():
            v = next(gen)
        return v

    def settled():
        return (probe.label_at is not None and probe.chart_at is not None and not probe.busy)

    out = {k: [] for k in ("set", "result", "label", "chart", "idle", "solve", "show_result", "set_result",
                           "render", "unchanged")}
    for _ in range(moves + 1):  # the first move is a warm-up
        probe.reset()
        show_t.clear(), set_t.clear(), render_t.clear()
        v = next_value()
        unchanged_before = probe.unchanged
        t0 = time.perf_counter()
        slider.setValue(v)
        t_set = time.perf_counter()
        probe.wait(app, settled)
        out["set"].append(t_set - t0)
        out["result"].append(probe.result_at - t0)
        out["label"].append(probe.label_at - t0)
        out["chart"].append(probe.chart_at - t0)
        out["idle"].append(probe.idle_at - t0)
        out["solve"].append(window.last_result.solve_seconds)
        out["show_result"].append(show_t[-1])
        out["set_result"].append(set_t[-1])
        out["render"].append(sum(render_t))
        out["unchanged"].append(probe.unchanged > unchanged_before)
    out = {k: v[1:] for k, v in out.items()}

    drag_out = {"last_to_label": [], "shown": [], "duration": [], "unchanged": []}
    for _ in range(drags):
        probe.reset()
        results_before = probe.results
        state = {"step": 0, "last": None, "first": None, "unchanged": 0}
        timer = QTimer()
        timer.setInterval(DRAG_INTERVAL_MS)
        slider.setSliderDown(True)  # a drag: one edit session, one undo step
        start = slider.value()
        direction = 1 if start < 50 else -1

        def step(state=state, timer=timer, start=start, direction=direction):
            state["step"] += 1
            if state["first"] is None:
                state["first"] = time.perf_counter()
            slider.setValue(start + direction * state["step"])
            if state["step"] == DRAG_STEPS:
                timer.stop()
                # The release: while the slider is down the window shows provisional plans
                # (whole units relaxed); the released position's plan is the one to wait for.
                slider.setSliderDown(False)
                state["last"] = time.perf_counter()
                state["unchanged"] = probe.unchanged
                probe.reset()

        timer.timeout.connect(step)
        timer.start()
        probe.wait(app, lambda state=state: state["last"] is not None and settled())
        drag_out["last_to_label"].append(probe.label_at - state["last"])
        drag_out["shown"].append(probe.results - results_before)
        drag_out["duration"].append(state["last"] - state["first"])
        drag_out["unchanged"].append(probe.unchanged > state["unchanged"])
    from ui.solver import DEBOUNCE_MS

    print(json.dumps({"moves": out, "drags": drag_out if drags else None, "debounce_ms": DEBOUNCE_MS}),
          flush=True)
    os._exit(0)
