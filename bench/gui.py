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

The children's code is in ``bench/gui_child.py``. Run by ``bench/run.py``
(unless ``--no-gui``), which adds the figures to ``bench/RESULTS.md``; on its
own it prints them.
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The child processes' code. Both modules import only the standard library at the top:
# the cold-start child runs them inside the time it measures.
from bench import gui_child  # noqa: E402
from bench.gui_child import DRAG_INTERVAL_MS, DRAG_STEPS, SLIDER_TASK  # noqa: E402

# Targets (reported, never asserted).
TARGET_SLIDER_MS = 60.0  # slider -> visible chart (issue 13)
TARGET_SOLVE_RATIO = 3.0  # ... and at most this times the solve measured in the same run (issue 13)
TARGET_COLD_S = 0.7  # cold start to the first painted result (issue 13)
TARGET_RELEASE_MS = 300.0  # a drag's release -> the whole-units plan on screen (issue 13)


# -- the parent: run the children ------------------------------------------------


def _child_env(settings: str) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["MANDATE_PLANNER_SETTINGS"] = settings
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run_child(args: list[str], settings: str, timeout: float = 300.0, python_flags=(),
               stderr: list | None = None, env_extra: dict | None = None) -> tuple[float, dict]:
    """Run ``gui.py --child ...``; (wall time, the child's JSON)."""
    env = {**_child_env(settings), **(env_extra or {})}
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
    ("planner.cli", "planner.cli"),
    ("PySide6.QtWidgets", "PySide6 (QtCore, QtGui, QtWidgets)"),
    ("numpy", "NumPy"),
    ("pydantic", "pydantic"),
    ("planner.fileio", "planner.fileio (the scenario file's schema and checks, pydantic included)"),
    ("ui.main_window", "ui.main_window (what the modules above left to import)"),
    ("planner.solve", "not in the window's process before its first result (the head start solves it): "
                      "planner.solve"),
    ("scipy.sparse", "· scipy.sparse"),
    ("scipy.optimize", "scipy.optimize"),
    ("ui.editors", "ui.editors"),
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


# The two ways the first plan is solved: the product's head start (another process) and,
# to set it against, the window's own solve thread (MANDATE_PLANNER_HEAD_START=0).
COLD_MODES = {"head": {}, "thread": {"MANDATE_PLANNER_HEAD_START": "0"}}


def cold_start(runs: int, log=print, warm_up: bool = True) -> dict:
    """Whole-process cold starts, each mode in turn (one start of each, ``runs`` times, so
    that the machine's load falls on both alike); one untimed start first warms the OS
    file cache (``warm_up``)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = str(Path(tmp) / "settings.ini")
        if warm_up:  # .pyc files and the page cache, as a second start has them
            _run_child(["cold"], settings)
        got = {mode: ([], []) for mode in COLD_MODES}
        chart_imports = []
        for _ in range(runs):
            for mode, env in COLD_MODES.items():
                wall, st = _run_child(["cold"], settings, env_extra=env)
                chart_imports.append(st.pop("chart_imports_s"))
                if st.pop("head_start_used") != (mode == "head"):
                    raise RuntimeError(f"cold start ({mode}): the first plan did not come from where it should")
                got[mode][0].append(wall)
                got[mode][1].append(st)
                log(f"  cold start ({mode}) {wall:.3f} s (score painted at {st['label']:.3f} s from launch)")
        err: list[str] = []
        _run_child(["cold"], settings, python_flags=("-X", "importtime"), stderr=err)

    def columns(stamps):
        return {k: [st[k] for st in stamps] for k in stamps[0]}

    (walls, stamps), (walls_thread, stamps_thread) = got["head"], got["thread"]
    return {"runs": runs, "wall": walls, "stamps": columns(stamps), "chart_imports": chart_imports,
            "wall_thread": walls_thread, "stamps_thread": columns(stamps_thread),
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
    cold = cold_start(runs, log, warm_up=not quick)  # quick: a smoke run, its figures rough
    log(f"GUI slider ×{moves} moves, {drags} drags")
    sl = slider(moves, drags, log)
    from bench import charts  # in this process: the children never import it

    log("plan charts: update in place against rebuild")
    return {"cold": cold, "slider": sl, "charts": charts.measure(1 if quick else 15, log),
            "versions": versions()}


def versions() -> dict:
    from bench.environment import dist_version, pyside_version  # not in the children's imports

    return {"pyside6": pyside_version(), "matplotlib": dist_version("matplotlib")}


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
    ("import_cli", "import planner.cli (what main.py loads before it knows a window is wanted)"),
    ("show", "`ui.app.show_window`: head start's process started, Qt and the window's modules imported, "
             "the scenario loaded, the window built and shown"),
    ("result", "first result reaches the window (its plan from the head start or the solve thread; "
               "matplotlib is imported on the GUI thread meanwhile, a module per event-loop pass, so the "
               "result is taken between two of them)"),
    ("label", "score label and panels painted with the result (its chart waits for matplotlib)"),
    ("chart", "visible chart painted with the result (once matplotlib is in)"),
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
        "Whole process `python bench/gui.py --child cold`, started as `main.py` starts the window "
        "(`planner.cli`, then `ui.app.show_window`), timed from outside (perf_counter around "
        "`subprocess.run`, interpreter start to exit right after the visible chart is painted); one untimed "
        "start first, so the OS file cache is warm as on a second start of the day. Two ways of solving "
        "the first plan, one start of each in turn: the *head start* (the product: "
        "`planner.first_solve` in a process of its own, started before Qt is imported, on the other "
        "core) and the *solve thread* (`MANDATE_PLANNER_HEAD_START=0`: the window's own solve thread, "
        "sharing this process's interpreter lock with the window's imports). The breakdown is stamped "
        "inside the child with the same clock, from the parent's launch time (medians; each step's "
        "median of its own, so they need not add up exactly).",
        "",
        "| milestone (from launch) | head start | step | solve thread | step |",
        "|---|---|---|---|---|",
    ]
    st_thread = cold["stamps_thread"]
    prev = None
    steps = sorted((k for k, _ in COLD_STEPS if st.get(k)), key=lambda k: statistics.median(st[k]))
    names = dict(COLD_STEPS)
    for key in steps:
        cells = []
        for stamps in (st, st_thread):
            xs = stamps[key]
            cells += [_cell_ms(xs), _cell_ms(xs if prev is None else [a - b for a, b in zip(xs, stamps[prev])])]
        lines.append(f"| {names[key]} | " + " | ".join(cells) + " |")
        prev = key
    in_proc = [a - b for a, b in zip(st["label"], st["script"])]
    ratio = statistics.median(cold["wall"]) / statistics.median(cold["wall_thread"])
    lines += [
        f"| **whole process, outer clock** (launch → exit) | **{_cell_s(cold['wall'])}** | | "
        f"{_cell_s(cold['wall_thread'])} | |",
        "",
        f"In-process time to the first painted result (first line of the script → score label painted), "
        f"head start: {_cell_ms(in_proc)}. Head start ÷ solve thread, whole process: {ratio:.2f}.",
        "",
    ]
    imports = cold.get("imports") or {}
    if imports:
        lines += [
            "Where the imports go (one more start under `python -X importtime`, which slows imports "
            "a little; cumulative, each module charged to whoever imported it first): "
            + "; ".join(f"{text} {_ms(imports[mod])} ms" for mod, text in IMPORTS if mod in imports)
            + ". The charts' modules (matplotlib's figure and Qt canvas, `planner.plots`), imported on "
            "the GUI thread once the window is shown, a module per event-loop pass, took in all "
            f"{_cell_ms(cold.get('chart_imports') or [])} (timed in every start above, both modes).",
            "",
        ]
    m = sl["moves"]
    lines += [
        f"### Slider → new score on screen, default scenario ×{len(m['label'])} moves",
        "",
        f"Slider `weight_{SLIDER_TASK or '<first task>'}` set to a new value (`QSlider.setValue`, as a drag step does), "
        "from an idle solver; times from the call, median (min–max).",
        "",
        "| from setValue to … | time |",
        "|---|---|",
        f"| setValue returned (undo push, priorities and editors refreshed, solve requested) | "
        f"{_cell_ms(m['set'])} |",
        f"| **score label painted with the new score** | **{_cell_ms(m['label'])}** |",
        f"| result applied by the window (`_on_result` returned: insights, chart updated) | "
        f"{_cell_ms(m['result'])} |",
        f"| visible chart repainted with the new result | {_cell_ms(m['chart'])} |",
        f"| solver idle again (the worker's marginal-gain re-solves done) | {_cell_ms(m['idle'])} |",
        "",
        "Inside those, per move: "
        f"`solve_model` in the worker {_cell_ms(m['solve'])} (the result's `solve_seconds`; "
        f"plus `build_model`); `insights.show_result` {_cell_ms(m['show_result'])}; "
        f"`charts.set_result` {_cell_ms(m['set_result'])} (the visible chart's artists updated in "
        f"place); the chart's Agg render (`canvas.draw`, on the next event-loop pass) "
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
    if gui.get("charts"):
        from bench import charts

        lines += charts.report(gui["charts"])
    return lines


def targets(gui: dict) -> list[str]:
    from bench import charts

    def met(ok):
        return "**met**" if ok else "**not met**"

    moves = gui["slider"]["moves"]
    label = statistics.median(moves["label"])
    chart = statistics.median(moves["chart"])
    solve = statistics.median(moves["solve"])
    wall = statistics.median(gui["cold"]["wall"])
    first = statistics.median(gui["cold"]["stamps"]["label"])
    out = [
        f"- Slider → visible chart repainted ≤ {TARGET_SLIDER_MS:g} ms median and ≤ {TARGET_SOLVE_RATIO:g}× the "
        f"solve (default scenario, whole units, a move from an idle window): chart at {1e3 * chart:.0f} ms "
        f"(score label at {1e3 * label:.1f} ms, min–max {_ms(min(moves['label']))}–{_ms(max(moves['label']))}) "
        f"against the solve's {1e3 * solve:.0f} ms in the same moves ({chart / solve:.2f}×) — "
        f"{met(1e3 * chart <= TARGET_SLIDER_MS)} for {TARGET_SLIDER_MS:g} ms, "
        f"{met(chart <= TARGET_SOLVE_RATIO * solve)} for {TARGET_SOLVE_RATIO:g}× the solve.",
        f"- GUI cold start to the first painted result ≤ {TARGET_COLD_S:g} s (from launch, median of "
        f"{gui['cold']['runs']}, with the head start; the score and the panels, which show the plan before its "
        f"chart): {first:.2f} s — {met(first <= TARGET_COLD_S)} (its chart at "
        f"{statistics.median(gui['cold']['stamps']['chart']):.2f} s, the whole process to exit {wall:.2f} s; "
        f"the window's own solve thread in the same run: score at "
        f"{statistics.median(gui['cold']['stamps_thread']['label']):.2f} s).",
    ]
    d = gui["slider"].get("drags")
    if d:
        per_100 = [100.0 * shown / (1e3 * dur) for shown, dur in zip(d["shown"], d["duration"]) if dur > 0]
        fresh = statistics.median(per_100) if per_100 else 0.0
        release = statistics.median(d["last_to_label"])
        out += [
            f"- 60 Hz drag of {DRAG_STEPS} moves: ≥ 1 fresh result painted per 100 ms of drag: "
            f"{fresh:.2f} per 100 ms (median of {len(per_100)} drags) — {met(fresh >= 1.0)}.",
            f"- Whole-units re-solve on release ≤ {TARGET_RELEASE_MS:g} ms (release → its score painted; the "
            f"whole-units plan, solved cold as `solve` solves it): {1e3 * release:.0f} ms — "
            f"{met(1e3 * release <= TARGET_RELEASE_MS)}.",
        ]
    out += charts.targets(gui["charts"]) if gui.get("charts") else []
    return out


# -- command line --------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="GUI cold start and slider latency of Mandate Planner.")
    p.add_argument("--quick", action="store_true", help="a smoke run: 1 cold start without the warm-up, 6 moves, 1 drag, each chart once")
    p.add_argument("--runs", type=int, default=None, help="cold starts (default 5)")
    p.add_argument("--moves", type=int, default=None, help="slider moves (default 30)")
    p.add_argument("--drags", type=int, default=None, help="slider drags (default 5)")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        if args.child[0] == "cold":
            gui_child.run_cold_start()
        elif args.child[0] == "slider":
            gui_child.run_slider(int(args.child[1]), int(args.child[2]))
        return 0

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    gui = run(args.quick, args.runs, args.moves, args.drags, log)
    print("\n".join(report(gui)))
    print("\n".join(targets(gui)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
