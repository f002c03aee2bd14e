"""Benchmark of Mandate Planner: where the time and memory of a solve go.

    python bench/run.py [--quick] [--sizes default,bundled,medium,large] [--repeat N]
                        [--out PATH] [--skip-pulp-large] [--no-pulp] [--no-crossover]
                        [--no-contention] [--no-gui]

Prints the tables and writes ``bench/RESULTS.md`` (or ``--out``). Rows: the
scenarios of ``bench/cases.py``; on each, what ``bench/probes.py`` times
(validation, build, HiGHS alone, both stages, solve_model by both backends,
extraction, the infeasible variant, memory, PuLP + CBC). Then the method
crossover (``bench/crossover.py``), the contention probe
(``bench/contention.py``, not in --quick) and the GUI (``bench/gui.py``: cold
start, slider latency). ``bench/report.py`` writes the report. The run fails
when the scores disagree, the infeasible variant is not found infeasible, or
the GUI part fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import gui  # noqa: E402
from bench.cases import make_cases  # noqa: E402
from bench.contention import contention_probe  # noqa: E402
from bench.crossover import crossover, recommend_threshold  # noqa: E402
from bench.environment import environment, loadavg  # noqa: E402
from bench.highs import HAVE_HIGHSPY  # noqa: E402
from bench.probes import measure  # noqa: E402
from bench.report import main_table, scores_agree, second_table, targets, write_report  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"


def parse_args(argv):
    p = argparse.ArgumentParser(description="Benchmark Mandate Planner's build, solve, diagnosis and GUI.")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: the default scenario and medium, 1 repeat; "
                        "the GUI with 1 cold start and a few slider moves")
    p.add_argument("--sizes", default=None,
                   help="comma-separated rows: default, bundled, small, medium, large or a bundled "
                        "scenario's name (default: default,bundled,medium,large)")
    p.add_argument("--repeat", type=int, default=None,
                   help="repeats for every row (default 7 small, 5 medium, 3 large)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="report path (default bench/RESULTS.md)")
    p.add_argument("--skip-pulp-large", action="store_true",
                   help="do not run PuLP + CBC on scenarios of 50k variables or more")
    p.add_argument("--no-pulp", action="store_true", help="no PuLP baseline at all")
    p.add_argument("--pulp-time-limit", type=float, default=1200.0, help="CBC time limit in seconds")
    p.add_argument("--no-crossover", action="store_true", help="skip the highs-ds / highs-ipm crossover")
    p.add_argument("--no-gui", action="store_true", help="skip the GUI part (bench/gui.py)")
    p.add_argument("--no-contention", action="store_true",
                   help="skip the contention probe (solve_model with the other core busy)")
    args = p.parse_args(argv)
    args.argv = list(argv)
    if args.repeat is not None and args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def run_gui(quick: bool, log):
    """The GUI figures, or the error that stopped them (reported; the run then fails)."""
    try:
        load = loadavg()
        result = gui.run(quick=quick, log=log)
        result["load"] = f"{load} at the start, {loadavg()} at the end"
        return result
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        log(f"GUI benchmark failed: {message}")
        return message


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    t_start = time.perf_counter()
    default_sizes = "default,medium" if args.quick else "default,bundled,medium,large"
    sizes = [s.strip() for s in (args.sizes or default_sizes).split(",") if s.strip()]

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    env = environment()
    rows = []
    for case in make_cases(sizes, args.repeat, args.quick):
        log(f"{case.name} ×{case.repeats}")
        rows.append(measure(case, args, log))
    cross = []
    if not args.no_crossover:
        log("method crossover")
        cross = crossover(args.quick, args.repeat, log)
    contention = []
    if not (args.no_contention or args.quick) and HAVE_HIGHSPY:
        log("contention probe")
        contention = contention_probe(log)
    no_qt = importlib.util.find_spec("PySide6") is None
    if no_qt and not args.no_gui:
        log("GUI not measured: PySide6 is not installed")
    gui_result = None if args.no_gui or no_qt else run_gui(args.quick, log)
    gui_ok = isinstance(gui_result, dict)

    write_report(args.out, env, rows, cross, gui_result, args, time.perf_counter() - t_start, contention)
    print("\n".join(main_table(rows)))
    print()
    print("\n".join(second_table(rows)))
    print()
    print("\n".join(targets(rows, gui.targets(gui_result) if gui_ok else None)))
    if cross:
        print()
        print("Method crossover: " + recommend_threshold(cross)[0])
    log(f"written {args.out} in {(time.perf_counter() - t_start) / 60:.1f} min")
    bad = [r["name"] for r in rows if not scores_agree(r) or not r["detect_ok"]]
    if bad:
        log(f"scores disagree or the infeasible variant was not infeasible: {', '.join(bad)}")
        return 1
    if gui_result is not None and not gui_ok:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
