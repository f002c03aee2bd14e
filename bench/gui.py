"""GUI benchmark of Mandate Planner: cold start and slider latency.

    python bench/gui.py [--quick] [--runs N] [--moves N] [--drags N]

Both parts run the real window (``ui.create_main_window()``) on Qt's offscreen
platform (``QT_QPA_PLATFORM=offscreen``: the raster painting of a desktop,
without a display server or compositor), each in a fresh process, with the
settings (recent files) in a temporary file.

- Cold start: a whole process (``python bench/gui.py --child cold``) imports
  PySide6 and ``ui``, makes the QApplication and the window on the default
  scenario, shows it and stops (``os._exit``) once the first result is on
  screen: the score label painted showing the result's score, and the visible
  chart painted after the result. Timed from outside with time.perf_counter
  around ``subprocess.run`` (interpreter start to exit). The child stamps its
  own milestones with the same clock (perf_counter is CLOCK_MONOTONIC on
  Linux, shared by processes) against the parent's launch time, for the
  breakdown.
- Slider: in one process, the window is opened and its first result awaited;
  then each move sets the weight slider ``weight_<task>`` to a new value and
  waits, sleep-free (``processEvents(WaitForMoreEvents)``), until the score
  label (``scoreLabel``) is painted showing the new result's score (the result
  is for the document's current scenario). Stamps per move: the synchronous
  part of ``setValue`` (undo push, panels), the result applied by the window,
  the score label painted, the chart repainted. Moves start from an idle
  solver (the marginal gains of the previous result computed). Drags are
  bursts of moves at 60 Hz with the slider held down, timed from the last
  move to its score on screen. ``ui.solver.DEBOUNCE_MS`` is part of every
  figure.

Run by ``bench/run.py`` (unless ``--no-gui``), which adds the figures to
``bench/RESULTS.md``; on its own it prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Targets (reported, never asserted).
TARGET_SLIDER_MS = 60.0
TARGET_COLD_S = 2.0

SLIDER_TASK = "poc_center"  # a task of the default scenario
DRAG_STEPS = 20
DRAG_INTERVAL_MS = 16  # a 60 Hz drag
WAIT_LIMIT_S = 30.0  # nothing may hang the benchmark


# -- the parent: run the children ------------------------------------------------


def _child_env(settings: str) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["MANDATE_PLANNER_SETTINGS"] = settings
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_child(args: list[str], settings: str, timeout: float = 300.0, python_flags=(),
               stderr: list | None = None) -> tuple[float, dict]:
    """Run ``gui.py --child ...``; (wall time, the child's JSON)."""
    env = _child_env(settings)
    cmd = [sys.executable, *python_flags, str(Path(__file__).resolve()), "--child", *args]
    t_launch = time.perf_counter()
    env["BENCH_T_LAUNCH"] = repr(t_launch)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=timeout)
    wall = time.perf_counter() - t_launch
    if proc.returncode != 0:
        raise RuntimeError(f"GUI child {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"GUI child {args[0]} printed no result: {proc.stderr[-2000:]}")
    if stderr is not None:
        stderr.append(proc.stderr)
    return wall, json.loads(lines[-1])


# Where the imports of a cold start go (``python -X importtime``): cumulative time of each,
# charged to the package that imported it first.
IMPORTS = [
    ("PySide6.QtWidgets", "PySide6 (QtCore, QtGui, QtWidgets)"),
    ("ui.main_window", "ui.main_window, all it imports:"),
    ("planner", "· planner (its __init__ imports the whole core):"),
    ("numpy", "· · NumPy"),
    ("scipy.sparse", "· · scipy.sparse"),
    ("scipy.optimize", "· · scipy.optimize"),
    ("highspy", "· · highspy"),
    ("pydantic", "· · pydantic"),
    ("ui.charts", "· ui.charts:"),
    ("matplotlib", "· · matplotlib"),
    ("matplotlib.figure", "· · matplotlib.figure (axes, text, …)"),
    ("matplotlib.backends.backend_qtagg", "· matplotlib's Qt canvas"),
    ("ui.editors", "· ui.editors"),
]


def import_times(text: str) -> dict[str, float]:
    """Cumulative seconds per module from ``-X importtime`` output."""
    out = {}
    for line in text.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        out.setdefault(parts[2].strip(), int(parts[1]) * 1e-6)
    return out


def cold_start(runs: int, log=print) -> dict:
    """Whole-process cold starts; one untimed run first warms the OS file cache."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = str(Path(tmp) / "settings.ini")
        _run_child(["cold"], settings)  # warm-up: .pyc files and the page cache, as a second start has them
        walls, stamps = [], []
        for _ in range(runs):
            wall, st = _run_child(["cold"], settings)
            walls.append(wall)
            stamps.append(st)
            log(f"  cold start {wall:.3f} s (score painted at {st['label']:.3f} s from launch)")
        err: list[str] = []
        _run_child(["cold"], settings, python_flags=("-X", "importtime"), stderr=err)
    keys = stamps[0].keys()
    return {"runs": runs, "wall": walls, "stamps": {k: [st[k] for st in stamps] for k in keys},
            "imports": import_times(err[0])}


def slider(moves: int, drags: int, log=print) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        _, out = _run_child(["slider", str(moves), str(drags)], str(Path(tmp) / "settings.ini"))
    t = out["moves"]
    log(f"  slider → score painted {1e3 * statistics.median(t['label']):.1f} ms median over {moves} moves; "
        f"chart {1e3 * statistics.median(t['chart']):.1f} ms")
    return out


def run(quick: bool = False, runs: int | None = None, moves: int | None = None, drags: int | None = None,
        log=print) -> dict:
    """Both parts, as bench/run.py uses them."""
    runs = runs or (1 if quick else 5)
    moves = moves or (6 if quick else 30)
    drags = drags if drags is not None else (1 if quick else 5)
    log(f"GUI cold start ×{runs}")
    cold = cold_start(runs, log)
    log(f"GUI slider ×{moves} moves, {drags} drags")
    return {"cold": cold, "slider": slider(moves, drags, log), "versions": versions()}


def versions() -> dict:
    from importlib import metadata

    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    pyside = version("PySide6")
    if pyside == "not installed":
        pyside = version("PySide6-Essentials")
    return {"pyside6": pyside, "matplotlib": version("matplotlib")}


# -- report ------------------------------------------------------------------------


def _ms(x: float) -> str:
    return f"{1e3 * x:.1f}"


def _cell_ms(xs: list[float]) -> str:
    if not xs:
        return "–"
    if len(xs) == 1:
        return f"{_ms(xs[0])} ms"
    return f"{_ms(statistics.median(xs))} ms ({_ms(min(xs))}–{_ms(max(xs))})"


def _cell_s(xs: list[float]) -> str:
    if len(xs) == 1:
        return f"{xs[0]:.2f} s"
    return f"{statistics.median(xs):.2f} s ({min(xs):.2f}–{max(xs):.2f})"


COLD_STEPS = [
    ("script", "interpreter start (launch → first line of the script)"),
    ("import_qt", "import PySide6.QtWidgets and ui"),
    ("qapp", "QApplication"),
    ("import_window", "import ui.main_window (matplotlib, NumPy, SciPy, highspy, planner)"),
    ("window", "ui.create_main_window() (load the scenario, build the panels; first solve requested)"),
    ("show", "window.show()"),
    ("result", "first result applied by the window (solve in the worker, panels and chart drawn)"),
    ("label", "score label painted with the result"),
    ("chart", "visible chart painted with the result"),
]


def report(gui: dict) -> list[str]:
    """Markdown lines: the GUI section of RESULTS.md."""
    cold, sl = gui["cold"], gui["slider"]
    st = cold["stamps"]
    lines = [
        f"PySide6 {gui['versions']['pyside6']}, matplotlib {gui['versions']['matplotlib']}; "
        f"`QT_QPA_PLATFORM=offscreen` (Qt's raster painting into memory: no display server, no "
        f"compositor, no vsync). Debounce `ui/solver.py` DEBOUNCE_MS = {gui['slider']['debounce_ms']} ms "
        "is inside every slider figure.",
        "",
        f"### Cold start to the first result on screen ×{cold['runs']}",
        "",
        "Whole process `python bench/gui.py --child cold`, timed from outside (perf_counter around "
        "`subprocess.run`, interpreter start to exit right after the first painted result); one untimed "
        "start first, so the OS file cache is warm as on a second start of the day. The breakdown is "
        "stamped inside the child with the same clock, from the parent's launch time (medians; each "
        "step's median of its own, so they need not add up exactly).",
        "",
        "| milestone (from launch) | time | step |",
        "|---|---|---|",
    ]
    prev = None
    steps = sorted((k for k, _ in COLD_STEPS if st.get(k)), key=lambda k: statistics.median(st[k]))
    names = dict(COLD_STEPS)
    for key in steps:
        xs = st[key]
        step = _cell_ms(xs if prev is None else [a - b for a, b in zip(xs, st[prev])])
        lines.append(f"| {names[key]} | {_cell_ms(xs)} | {step} |")
        prev = key
    in_proc = [a - b for a, b in zip(st["label"], st["script"])]
    lines += [
        f"| **whole process, outer clock** (launch → exit) | **{_cell_s(cold['wall'])}** | |",
        "",
        f"In-process time to the first painted result (first line of the script → score label painted): "
        f"{_cell_ms(in_proc)}.",
        "",
    ]
    imports = cold.get("imports") or {}
    if imports:
        lines += [
            "Where the imports go (one more start under `python -X importtime`, which slows imports "
            "a little; cumulative, each module charged to whoever imported it first): "
            + "; ".join(f"{text} {_ms(imports[mod])} ms" for mod, text in IMPORTS if mod in imports)
            + ".",
            "",
        ]
    m = sl["moves"]
    lines += [
        f"### Slider → new score on screen, default scenario ×{len(m['label'])} moves",
        "",
        f"Slider `weight_{SLIDER_TASK}` set to a new value (`QSlider.setValue`, as a drag step does), "
        "from an idle solver; times from the call, median (min–max).",
        "",
        "| from setValue to … | time |",
        "|---|---|",
        f"| setValue returned (undo push, priorities and editors refreshed, solve requested) | "
        f"{_cell_ms(m['set'])} |",
        f"| **score label painted with the new score** | **{_cell_ms(m['label'])}** |",
        f"| result applied by the window (`_on_result` returned: insights, chart figure rebuilt) | "
        f"{_cell_ms(m['result'])} |",
        f"| visible chart repainted with the new result | {_cell_ms(m['chart'])} |",
        f"| solver idle again (the worker's marginal-gain re-solves done) | {_cell_ms(m['idle'])} |",
        "",
        "Inside those, per move: "
        f"`solve_model` in the worker {_cell_ms(m['solve'])} (the result's `solve_seconds`; "
        f"plus `build_model`); `insights.show_result` {_cell_ms(m['show_result'])}; "
        f"`charts.set_result` {_cell_ms(m['set_result'])} (the visible chart's figure rebuilt by "
        f"matplotlib); the chart's Agg render (`canvas.draw`, on the next event-loop pass) "
        f"{_cell_ms(m['render'])}. All of these but the solve run on the GUI thread. The score label "
        "paints inside `insights.show_result`, before the chart work: the task bars' "
        "`QProgressBar.setValue` repaints at once and the pending label update is painted with it."
        + (f" In {sum(m['unchanged'])} of the moves the new score had the same text as the old one "
           "(no repaint: counted as on screen when `show_result` returned)." if sum(m["unchanged"]) else ""),
        "",
    ]
    if sl.get("drags"):
        d = sl["drags"]
        lines += [
            f"Drags ×{len(d['last_to_label'])}: {DRAG_STEPS} moves, one every {DRAG_INTERVAL_MS} ms "
            "(a QTimer; 60 Hz) with the slider held down (one undo step). From the last move to its "
            f"score painted: {_cell_ms(d['last_to_label'])}. The {DRAG_STEPS} moves took "
            f"{_cell_ms(d['duration'])} instead of {DRAG_STEPS * DRAG_INTERVAL_MS} ms (the moves wait "
            "while the GUI thread draws a result), and "
            f"{statistics.median(d['shown']):g} of {DRAG_STEPS} results were shown (median)"
            + (f"; in {sum(1 for u in d['unchanged'] if u)} drag(s) the final score's text was already on "
               "screen." if any(d["unchanged"]) else "."),
            "",
        ]
    return lines


def targets(gui: dict) -> list[str]:
    def met(ok):
        return "**met**" if ok else "**not met**"

    label = statistics.median(gui["slider"]["moves"]["label"])
    chart = statistics.median(gui["slider"]["moves"]["chart"])
    wall = statistics.median(gui["cold"]["wall"])
    return [
        f"- Slider → new score on screen ≤ {TARGET_SLIDER_MS:g} ms median (default scenario, score label "
        f"painted): {1e3 * label:.1f} ms (min–max {_ms(min(gui['slider']['moves']['label']))}–"
        f"{_ms(max(gui['slider']['moves']['label']))}; chart repainted at {1e3 * chart:.0f} ms) — "
        f"{met(1e3 * label <= TARGET_SLIDER_MS)}.",
        f"- GUI cold start ≤ {TARGET_COLD_S:g} s (whole process to the first result painted, median of "
        f"{gui['cold']['runs']}): {wall:.2f} s — {met(wall <= TARGET_COLD_S)}.",
    ]


# -- the children --------------------------------------------------------------------


def _child_cold() -> None:
    t_launch = float(os.environ["BENCH_T_LAUNCH"])
    now = time.perf_counter
    stamps = {"script": now()}
    from PySide6.QtWidgets import QApplication

    import ui

    stamps["import_qt"] = now()
    app = QApplication(sys.argv[:1])
    stamps["qapp"] = now()
    import ui.main_window  # noqa: F401 - the window's imports, stamped on their own

    stamps["import_window"] = now()
    window = ui.create_main_window()
    stamps["window"] = now()
    probe = _Probe(window)
    window.solver.resultReady.connect(lambda *_: stamps.setdefault("result", now()))
    window.show()
    stamps["show"] = now()
    probe.wait(app, lambda: probe.label_at is not None and probe.chart_at is not None)
    stamps["label"], stamps["chart"] = probe.label_at, probe.chart_at
    print(json.dumps({k: v - t_launch for k, v in stamps.items()}), flush=True)
    sys.stderr.flush()
    os._exit(0)  # the first result is on screen: no teardown in the figure


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
        self.canvas = window.charts.currentWidget().canvas
        probe = self

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    probe._on_paint(obj)
                return False

        self._filter = Filter()
        self.label.installEventFilter(self._filter)
        self.canvas.installEventFilter(self._filter)
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


def _child_slider(moves: int, drags: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QSlider

    import ui

    app = QApplication(sys.argv[:1])
    window = ui.create_main_window()
    probe = _Probe(window)
    window.show()
    probe.wait(app, lambda: probe.label_at is not None and probe.chart_at is not None and not probe.busy)
    slider = window.findChild(QSlider, f"weight_{SLIDER_TASK}")
    if slider is None:
        raise SystemExit(f"no slider weight_{SLIDER_TASK}")
    show_t, set_t, render_t = [], [], []
    _timed(window.insights, "show_result", show_t)
    _timed(window.charts, "set_result", set_t)
    _timed(probe.canvas, "draw", render_t)

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
                state["last"] = time.perf_counter()
                state["unchanged"] = probe.unchanged
                probe.reset()

        timer.timeout.connect(step)
        timer.start()
        probe.wait(app, lambda state=state: state["last"] is not None and settled())
        slider.setSliderDown(False)
        drag_out["last_to_label"].append(probe.label_at - state["last"])
        drag_out["shown"].append(probe.results - results_before)
        drag_out["duration"].append(state["last"] - state["first"])
        drag_out["unchanged"].append(probe.unchanged > state["unchanged"])
    from ui.solver import DEBOUNCE_MS

    print(json.dumps({"moves": out, "drags": drag_out if drags else None, "debounce_ms": DEBOUNCE_MS}),
          flush=True)
    os._exit(0)


# -- command line --------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="GUI cold start and slider latency of Mandate Planner.")
    p.add_argument("--quick", action="store_true", help="1 cold start, 6 moves, 1 drag")
    p.add_argument("--runs", type=int, default=None, help="cold starts (default 5)")
    p.add_argument("--moves", type=int, default=None, help="slider moves (default 30)")
    p.add_argument("--drags", type=int, default=None, help="slider drags (default 5)")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        if args.child[0] == "cold":
            _child_cold()
        elif args.child[0] == "slider":
            _child_slider(int(args.child[1]), int(args.child[2]))
        return 0
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    gui = run(args.quick, args.runs, args.moves, args.drags, log)
    print("\n".join(report(gui)))
    print("\n".join(targets(gui)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
