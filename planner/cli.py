"""The command line: ``solve``, ``validate``, ``export``, ``schema``, or the GUI.

Every bad argument is one clear line on stderr and exit code 2; an infeasible
scenario exits 3 with its diagnosis; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE = 0, 2, 3
COMMANDS = ("solve", "validate", "export", "analyse", "compare", "schema")
ANALYSES = ("budget", "stability", "smaa", "pareto", "panel")
PROG = "mandate-planner"


def default_scenario_path() -> Path:
    return Path(__file__).resolve().parent.parent / "scenarios" / "minusma_2020.json"


class UsageError(Exception):
    """A bad command-line argument (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage block
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Prioritise a peacekeeping mandate against its resources.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    solve = sub.add_parser("solve", help="solve a scenario and print the plan")
    solve.add_argument("file")
    solve.add_argument("--json", action="store_true", help="print the result as JSON")
    solve.add_argument("--integer", action="store_true", help="generate whole units only (MILP)")
    solve.add_argument("--set", action="append", default=[], metavar="ASSIGNMENT",
                       help="task.ID.weight=V or resource.ID.capacity=V (repeatable)")
    solve.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                       help="time limit for a whole-units solve (default 60)")

    val = sub.add_parser("validate", help="check a scenario file and list every problem")
    val.add_argument("file")

    exp = sub.add_parser("export", help="render a chart to PNG without opening a window")
    exp.add_argument("file")
    exp.add_argument("--png", required=True, metavar="OUT")
    exp.add_argument("--chart", default="allocation", metavar="NAME")
    exp.add_argument("--size", default="1920x1080", metavar="WxH")
    exp.add_argument("--dpi", type=int, default=150)
    exp.add_argument("--set", action="append", default=[], metavar="ASSIGNMENT")
    exp.add_argument("--integer", action="store_true")

    ana = sub.add_parser("analyse", help="budget curve, weight stability, robustness, Pareto, panel")
    ana.add_argument("kind", choices=ANALYSES)
    ana.add_argument("file")
    ana.add_argument("--json", action="store_true", help="print the result as JSON")
    ana.add_argument("--png", metavar="OUT", help="also draw the analysis to a PNG")
    ana.add_argument("--size", default="1920x1080", metavar="WxH")
    ana.add_argument("--dpi", type=int, default=150)
    ana.add_argument("--set", action="append", default=[], metavar="ASSIGNMENT")
    ana.add_argument("--resource", metavar="ID", help="budget: the resource to vary (default: the budget)")
    ana.add_argument("--points", type=int, metavar="N", help="budget / pareto: how many points")
    ana.add_argument("--samples", type=int, default=1000, metavar="N", help="smaa: weight samples")
    ana.add_argument("--mode", choices=("simplex", "around", "panel"), default="simplex",
                     help="smaa: sample every weighting, around the current one, or the panel's")
    ana.add_argument("--spread", type=float, default=0.2, help="smaa around: relative spread (0.2 = ±20%%)")
    ana.add_argument("--seed", type=int, default=0)
    ana.add_argument("--workers", type=int, metavar="N", help="smaa: local processes (default: the CPUs)")
    ana.add_argument("--dask", metavar="ADDRESS", help="smaa: run on an existing Dask cluster")
    ana.add_argument("--tasks", metavar="A,B", help="pareto: the two task ids")

    cmp_ = sub.add_parser("compare", help="compare scenarios side by side")
    cmp_.add_argument("base")
    cmp_.add_argument("others", nargs="+")
    cmp_.add_argument("--json", action="store_true")
    cmp_.add_argument("--png", metavar="OUT")
    cmp_.add_argument("--size", default="1920x1080", metavar="WxH")
    cmp_.add_argument("--dpi", type=int, default=150)

    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
            return _gui(argv)
        args = _parser().parse_args(argv)
        if args.command is None:
            raise UsageError("name a command: " + ", ".join(COMMANDS))
        return {"solve": _solve, "validate": _validate, "export": _export, "schema": _schema,
                "analyse": _analyse, "compare": _compare}[args.command](args)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `solve --json | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _load(path: str):
    from .fileio import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        raise _Invalid() from None


class _Invalid(Exception):
    pass


def apply_assignments(scenario, assignments: list[str], integer: bool = False):
    """Apply ``--set`` assignments; raise UsageError naming the bad one."""
    for text in assignments:
        key, sep, value = text.partition("=")
        parts = key.split(".")
        if not sep or len(parts) != 3 or (parts[0], parts[2]) not in (("task", "weight"), ("resource", "capacity")):
            raise UsageError(f"--set '{text}': expected task.ID.weight=V or resource.ID.capacity=V")
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"--set '{text}': '{value}' is not a number") from None
        if not (number >= 0) or number == float("inf"):
            raise UsageError(f"--set '{text}': the value must be a finite number >= 0")
        try:
            if parts[0] == "task":
                scenario = scenario.with_task_weight(parts[1], number)
            else:
                scenario = scenario.with_resource_capacity(parts[1], number)
        except KeyError as exc:
            known = [t.id for t in scenario.tasks] if parts[0] == "task" else [q.id for q in scenario.resources]
            raise UsageError(f"--set '{text}': {exc.args[0]} (known: {', '.join(known)})") from None
    if sum(t.weight for t in scenario.tasks) <= 0:
        raise UsageError("--set: every task weight is now 0; give at least one task a positive weight")
    if integer:
        scenario = scenario.with_integer_units(True)
    return scenario


def _solve(args) -> int:
    from .model import build_model
    from .solve import solve_model
    from .summary import summary

    try:
        scenario = apply_assignments(_load(args.file), args.set, args.integer)
    except _Invalid:
        return EXIT_INVALID
    import time

    t0 = time.perf_counter()
    model = build_model(scenario)
    result = solve_model(model, time_limit=args.time_limit)
    import dataclasses

    result = dataclasses.replace(result, solve_seconds=time.perf_counter() - t0)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(summary(result, model), end="")
    if result.status == "infeasible":
        return EXIT_INFEASIBLE
    return EXIT_OK if result.ok else EXIT_INVALID


def _validate(args) -> int:
    try:
        s = _load(args.file)
    except _Invalid:
        return EXIT_INVALID
    print(f"{Path(args.file).name}: valid ({len(s.tasks)} tasks, {len(s.regions)} regions, "
          f"{len(s.capabilities)} capabilities, {len(s.periods)} periods)")
    return EXIT_OK


def _export(args) -> int:
    size = _parse_size(args.size)
    _check_png_target(args.png, args.dpi)
    try:
        scenario = apply_assignments(_load(args.file), args.set, args.integer)
    except _Invalid:
        return EXIT_INVALID
    from ui import charts

    if args.chart not in charts.CHARTS:
        raise UsageError(f"--chart '{args.chart}': unknown chart (choose from {', '.join(charts.CHARTS)})")
    out = Path(args.png)
    from .solve import solve

    result = solve(scenario)
    try:
        charts.export_png(result, args.chart, out, size=size, dpi=args.dpi)
    except OSError as exc:
        print(f"{PROG}: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {out} ({size[0]}x{size[1]} px, {args.chart})")
    return EXIT_INFEASIBLE if result.status == "infeasible" else EXIT_OK


def _parse_size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    try:
        size = (int(w), int(h))
    except ValueError:
        raise UsageError(f"--size '{text}': expected WIDTHxHEIGHT in pixels, e.g. 1920x1080") from None
    if not sep or not (100 <= size[0] <= 10000 and 100 <= size[1] <= 10000):
        raise UsageError(f"--size '{text}': expected WIDTHxHEIGHT between 100 and 10000 pixels")
    return size


def _analyse(args) -> int:
    from .analyses import AnalysisError, InfeasibleScenario

    size = _parse_size(args.size) if args.png else None
    if args.png:
        _check_png_target(args.png, args.dpi)
    if args.points is not None and not 2 <= args.points <= 500:
        raise UsageError(f"--points {args.points}: choose between 2 and 500")
    if not 1 <= args.samples <= 1_000_000:
        raise UsageError(f"--samples {args.samples}: choose between 1 and 1,000,000")
    try:
        scenario = apply_assignments(_load(args.file), args.set)
    except _Invalid:
        return EXIT_INVALID
    executor = _executor(args) if args.kind == "smaa" else None
    try:
        result = _run_analysis(args, scenario, executor)
    except InfeasibleScenario as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_INFEASIBLE
    except AnalysisError as exc:
        raise UsageError(str(exc)) from None
    except KeyError as exc:  # an unknown task or resource id
        raise UsageError(str(exc.args[0]) if exc.args else "unknown id") from None
    finally:
        if executor is not None and hasattr(executor, "shutdown"):
            executor.shutdown()
    return _report(args, result, args.kind, scenario, size)


def _run_analysis(args, scenario, executor):
    from . import analyses

    if args.kind == "budget":
        kw = {} if args.points is None else {"points": args.points}
        return analyses.budget_curve(scenario, args.resource, **kw)
    if args.kind == "stability":
        return analyses.weight_stability(scenario)
    if args.kind == "smaa":
        return analyses.smaa(scenario, samples=args.samples, mode=args.mode, spread=args.spread,
                             seed=args.seed, executor=executor)
    if args.kind == "pareto":
        if not args.tasks or args.tasks.count(",") != 1:
            raise UsageError("pareto needs --tasks A,B (two task ids)")
        a, b = (t.strip() for t in args.tasks.split(","))
        kw = {} if args.points is None else {"points": args.points}
        return analyses.pareto(scenario, a, b, **kw)
    return analyses.panel_analysis(scenario)


def _executor(args):
    if args.dask:
        try:
            from dask.distributed import Client
        except ImportError:
            raise UsageError("--dask needs the cluster extra: pip install 'mandate-planner[cluster]'") from None
        try:
            return Client(args.dask, timeout=10).get_executor()
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--dask {args.dask}: cannot reach the cluster ({exc})") from None
    if args.workers is not None:
        if not 1 <= args.workers <= 256:
            raise UsageError(f"--workers {args.workers}: choose between 1 and 256")
        if args.workers == 1:
            return "serial"
        from .analyses import process_pool

        return process_pool(args.workers)
    return None


def _compare(args) -> int:
    from .analyses import compare
    from .fileio import ScenarioError, load_scenario

    size = _parse_size(args.size) if args.png else None
    if args.png:
        _check_png_target(args.png, args.dpi)
    scenarios = []
    for path in [args.base, *args.others]:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INVALID
    result = compare(scenarios[0], scenarios[1:])
    return _report(args, result, "compare", scenarios[0], size)


def _report(args, result, kind, scenario, size) -> int:
    from .analyses.report import describe

    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(describe(result), end="")
    if args.png:
        from ui.analysis_charts import export_analysis_png

        try:
            export_analysis_png(result, kind, Path(args.png), size=size, dpi=args.dpi, scenario=scenario)
        except OSError as exc:
            print(f"{PROG}: error: cannot write {args.png}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_INVALID
        print(f"wrote {args.png}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def _check_png_target(png: str, dpi: int) -> None:
    if not 30 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi}: choose a value between 30 and 1200")
    out = Path(png)
    if not out.parent.exists():
        raise UsageError(f"--png '{png}': the folder {out.parent} does not exist")


def _schema(args) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


def _gui(argv: list[str]) -> int:
    if len(argv) > 1:
        raise UsageError(f"unexpected argument '{argv[1]}' (to open a file: {PROG} FILE)")
    path = Path(argv[0]) if argv else default_scenario_path()
    if argv:
        # Refuse a missing file before any window opens; a bad file opens the
        # window with the problem shown.
        if not path.exists():
            raise UsageError(f"'{argv[0]}': no such file")
    if _no_display():
        raise UsageError("no display to open the window on (DISPLAY is not set); "
                         f"use '{PROG} solve FILE' or '{PROG} export FILE --png OUT' without a screen")
    from ui.app import run

    return run(path)


def _no_display() -> bool:
    """On Linux without X11 or Wayland, Qt would abort: say why instead."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
