"""Benchmark of the plan charts: an update in place against a rebuild, per chart.

    python bench/charts.py [--quick] [--repeat N]

On the default scenario (whole units, as the window shows it) at the window's
chart size, each plan chart of ``planner.plots.PLAN_CHARTS`` is drawn on an Agg
figure; then results alternate between two plans of the same scenario shape
(a task weight and a capacity moved), and each is shown either by
``chart.update(result)`` on the kept artists or by ``chart.draw(fig, result)``
(what every result cost before). Timed: the call alone (the GUI thread's work
when a result arrives) and the call followed by the Agg render (what the canvas
then paints). Medians, and the ratio rebuild / update within the same run, with
the load average before and after. Run by ``bench/gui.py`` (so by
``bench/run.py``); on its own it prints the table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIGSIZE, DPI = (11.0, 6.0), 100  # about the chart area of the window at 1366×768 and larger
TARGET_RATIO = 4.0  # an update at least this many times faster than a rebuild (reported, never asserted)


def _plans():
    from planner.bundled import default_scenario_path
    from planner.fileio import load_scenario
    from planner.solve import solve_scenario

    s = load_scenario(default_scenario_path())
    task, money = s.tasks[0].id, s.resources[0]
    other = s.with_task_weight(task, 5.0).with_resource_capacity(money.id, 0.9 * money.capacity)
    return solve_scenario(s), solve_scenario(other)


def measure(repeat: int = 15, log=print) -> dict:
    """Per chart: seconds of update and rebuild, each alone and with the render."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from bench.environment import loadavg
    from planner import plots

    load_before = loadavg()
    plans = _plans()
    out = {}
    for name in plots.PLAN_CHARTS:
        times = {"update": [], "rebuild": [], "update_render": [], "rebuild_render": []}
        for way in ("update", "rebuild"):
            fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
            FigureCanvasAgg(fig)
            chart = plots.plan_chart(name)
            chart.draw(fig, plans[0])
            fig.canvas.draw()
            for k in range(repeat + 1):  # the first is a warm-up
                result = plans[(k + 1) % 2]
                t0 = time.perf_counter()
                if way == "update":
                    if not chart.update(result):
                        raise RuntimeError(f"the {name} chart refused an update of the same shape")
                else:
                    chart.draw(fig, result)
                t1 = time.perf_counter()
                fig.canvas.draw()
                t2 = time.perf_counter()
                if k:
                    times[way].append(t1 - t0)
                    times[f"{way}_render"].append(t2 - t0)
        out[name] = times
        log(f"  {name}: update {1e3 * statistics.median(times['update']):.1f} ms, "
            f"rebuild {1e3 * statistics.median(times['rebuild']):.1f} ms")
    return {"repeat": repeat, "charts": out, "load": f"{load_before} at the start, {loadavg()} at the end"}


def _ms(xs) -> str:
    return f"{1e3 * statistics.median(xs):.1f} ms"


def _ratio(a, b) -> float:
    return statistics.median(b) / max(statistics.median(a), 1e-9)


def report(res: dict) -> list[str]:
    lines = [
        f"### Plan charts: update in place against a rebuild ×{res['repeat']} per chart",
        "",
        f"Default scenario (whole units), Agg figure {FIGSIZE[0]:g}×{FIGSIZE[1]:g} in at {DPI} dpi, results "
        "alternating between two plans of the same shape; `chart.update(result)` on the kept artists "
        "against `chart.draw(fig, result)`; alone (the GUI thread's work when a result arrives) and "
        f"followed by the Agg render (`canvas.draw`). Medians; load average {res['load']}.",
        "",
        "| chart | update | rebuild | rebuild / update | update + render | rebuild + render "
        "| ratio with render |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, t in res["charts"].items():
        lines.append(
            f"| {name} | {_ms(t['update'])} | {_ms(t['rebuild'])} | "
            f"**{_ratio(t['update'], t['rebuild']):.1f}×** | "
            f"{_ms(t['update_render'])} | {_ms(t['rebuild_render'])} | "
            f"{_ratio(t['update_render'], t['rebuild_render']):.2f}× |")
    lines.append("")
    return lines


def targets(res: dict) -> list[str]:
    ratios = {n: _ratio(t["update"], t["rebuild"]) for n, t in res["charts"].items()}
    worst = min(ratios, key=ratios.get)
    met = all(r >= TARGET_RATIO for r in ratios.values())
    return [f"- Every chart's in-place update ≥ {TARGET_RATIO:g}× faster than its rebuild (medians, "
            f"one run): the least {ratios[worst]:.1f}× ({worst}) — {'**met**' if met else '**not met**'}."]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Plan charts: update in place against rebuild.")
    p.add_argument("--quick", action="store_true", help="5 repeats per chart")
    p.add_argument("--repeat", type=int, default=None, help="repeats per chart (default 15)")
    args = p.parse_args(argv)
    res = measure(args.repeat or (5 if args.quick else 15), log=lambda m: print(m, file=sys.stderr))
    print("\n".join(report(res) + targets(res)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
