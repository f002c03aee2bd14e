"""The command line: ``solve``, ``validate``, ``export``, ``analyse``, ``compare``,
``brief``, ``workbook``, ``scenarios``, ``schema``. Headless: the window is opened by ``ui.app.main``,
which hands every command to :func:`main`.

Every bad argument is one clear line on stderr and exit code 2; an infeasible
scenario exits 3 with its diagnosis; Ctrl+C exits 130; never a traceback.
A FILE argument may also be a bundled scenario's name (``minusma_2020``).

Text for a person goes out through :func:`say`, which escapes control
characters (:func:`planner.text.printable`), JSON through :func:`say_json`;
a value quoted in a message is quoted with :func:`planner.text.shown`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from .analyses.registry import ANALYSES
from .status import Status
from .bundled import bundled_scenarios, default_scenario_path
from .cli_args import (  # noqa: F401 - UsageError, PROG and _parser are read from here too
    COMMANDS, EXIT_INFEASIBLE, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, MAX_TIME_LIMIT, PROG, UsageError, _cannot_write,
    _check_folder, _check_time_limit, _load, _parser, _picture_size, _Progress, _scenario_path, _Stop,
    apply_assignments, say, say_json,
)
from .text import shown, shown_path

# The analyses' parameters that the command line calls otherwise.
_OPTION_OF = {"task_a": "tasks", "task_b": "tasks", "resource_id": "resource"}


def main(argv: list[str] | None = None, open_window: Callable[[Path], int] | None = None) -> int:
    """Run one command; exit code 0 (done), 2 (bad input), 3 (no plan), 130 (interrupted).

    Without a command the call is for the window: ``open_window(path)`` opens
    it on FILE or the bundled default. The GUI passes its launcher in
    (``ui.app.main``); the core itself never imports the GUI.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
            if open_window is None:
                raise UsageError("name a command: " + ", ".join(COMMANDS))
            return open_window(_window_path(argv))
        args = _parser().parse_args(argv)
        if args.command is None:
            raise UsageError("name a command: " + ", ".join(COMMANDS))
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        say(f"{PROG}: error: {exc}", err=True)
        return EXIT_INVALID
    except _Stop as exc:
        say(str(exc), err=True)
        return exc.code
    except KeyboardInterrupt:
        say(f"{PROG}: interrupted", err=True)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `solve --json | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _solve(args) -> int:
    from .model import build_model
    from .solve import solve_model
    from .summary import summary

    _check_time_limit(args.time_limit)
    if args.csv:
        _check_folder("--csv", args.csv)
    scenario = apply_assignments(_load(args.file), args.set, args.integer)
    import dataclasses

    t0 = time.perf_counter()
    model = build_model(scenario)
    result = solve_model(model, time_limit=args.time_limit)
    result = dataclasses.replace(result, solve_seconds=time.perf_counter() - t0)
    if args.json:
        say_json(result.to_json())
    else:
        say(summary(result, model), end="")
    if args.csv and result.ok:
        from .csv_export import write_allocation_csv

        try:
            write_allocation_csv(result, args.csv)
        except OSError as exc:
            raise _cannot_write(args.csv, exc) from None
        say(f"wrote {args.csv}", err=args.json)
    if result.status == Status.INFEASIBLE:
        return EXIT_INFEASIBLE
    return EXIT_OK if result.ok else EXIT_INVALID


def _validate(args) -> int:
    s = _load(args.file)
    say(f"{Path(args.file).name}: valid ({len(s.tasks)} tasks, {len(s.regions)} regions, "
        f"{len(s.capabilities)} capabilities, {len(s.periods)} periods)")
    return EXIT_OK


def _export(args) -> int:
    size = _picture_size(args)
    scenario = apply_assignments(_load(args.file), args.set, args.integer)
    from . import plots

    if args.chart not in plots.CHARTS:
        raise UsageError(f"--chart '{shown(args.chart)}': unknown chart "
                         f"(choose from {', '.join(plots.CHARTS)})")
    out = Path(args.png)
    from .solve import solve

    result = solve(scenario)
    try:
        plots.export_png(result, args.chart, out, size=size, dpi=args.dpi)
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    say(f"wrote {out} ({size[0]}x{size[1]} px, {args.chart})")
    return EXIT_INFEASIBLE if result.status == Status.INFEASIBLE else EXIT_OK


def _analyse(args) -> int:
    size = _picture_size(args)
    scenario = apply_assignments(_load(args.file), args.set)
    executor = _executor(args) if args.kind in ("smaa", "stability") else None
    try:
        result = _run(args, args.kind, lambda progress: _run_analysis(args, scenario, executor, progress))
    except BaseException:
        if hasattr(executor, "_processes"):  # a local process pool; Ctrl+C: no waiting for the chunks in flight
            from .analyses._sweep import stop_pool

            stop_pool(executor)
        raise
    finally:
        if executor is not None and hasattr(executor, "shutdown"):
            executor.shutdown()
    return _report(args, result, args.kind, scenario, size)


def _run(args, what: str, job):
    """``job(progress)``, its progress shown on a terminal and its refusals worded for the command line."""
    from .analyses import AnalysisError, InfeasibleScenario

    progress = _Progress(what)
    try:
        return job(progress)
    except InfeasibleScenario as exc:
        raise _Stop(f"{PROG}: {exc}", EXIT_INFEASIBLE) from None
    except AnalysisError as exc:
        option = _OPTION_OF.get(exc.parameter, exc.parameter)
        if option and hasattr(args, option):  # named as the command line names it, with the value given
            raise UsageError(exc.naming(f"--{option.replace('_', '-')}", getattr(args, option))) from None
        raise UsageError(str(exc)) from None
    finally:
        progress.close()


def _run_analysis(args, scenario, executor, progress):
    """The analysis ``args.kind`` with the parameters it takes, from the command line's options."""
    analysis = ANALYSES[args.kind]
    options = {"resource_id": args.resource, "points": args.points, "samples": args.samples,
               "mode": args.mode, "spread": args.spread, "seed": args.seed, "executor": executor,
               "exact_resolve": True if args.exact_resolve else None, "within": args.within, "count": args.count,
               "whole_units": args.whole_units, "gap_limit": args.gap_limit, "method": args.method}
    if "task_a" in analysis.parameters:
        if not args.tasks or args.tasks.count(",") != 1:
            given = f" (got '{shown(args.tasks)}')" if args.tasks else ""
            raise UsageError(f"{args.kind} needs --tasks A,B (two task ids){given}")
        options["task_a"], options["task_b"] = (t.strip() for t in args.tasks.split(","))
    params = {k: v for k, v in options.items() if k in analysis.parameters}
    return analysis.run(scenario, progress=progress, **params)


def _executor(args):
    if args.dask:
        try:
            from dask.distributed import Client
        except ImportError:
            raise UsageError("--dask needs the cluster extra: pip install 'mandate-planner[cluster]'") from None
        try:
            return Client(args.dask, timeout=10).get_executor()
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"--dask '{shown(args.dask)}': cannot reach the cluster "
                             f"({shown(str(exc), 200)})") from None
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

    size = _picture_size(args)
    files = [args.base, *args.others]
    scenarios = [_load(f) for f in files]
    result = _run(args, "compare", lambda progress: compare(scenarios[0], scenarios[1:], progress=progress))
    code = _report(args, result, "compare", scenarios[0], size)
    without = [(f, o) for f, o in zip(files, result.outcomes) if o.score is None]
    for f, o in without:
        say(f"{PROG}: '{shown_path(f)}' has no plan: {o.message}", err=True)
    return EXIT_INFEASIBLE if without else code


def _report(args, result, kind, scenario, size) -> int:
    from .analyses.report import describe

    if args.json:
        say_json(result.to_json())
    else:
        say(describe(result), end="")
    if args.png:
        from .plots import export_analysis_png

        try:
            export_analysis_png(result, kind, Path(args.png), size=size, dpi=args.dpi, scenario=scenario)
        except OSError as exc:
            raise _cannot_write(args.png, exc) from None
        say(f"wrote {args.png}", err=args.json)
    return EXIT_OK


def _brief(args) -> int:
    from .deck import write_briefing
    from .solve import solve_scenario

    _check_folder("--pptx", args.pptx)
    scenario = _load(args.file)
    base = _load(args.baseline) if args.baseline else None
    result = solve_scenario(scenario)
    baseline = None if base is None else solve_scenario(base)
    name = Path(args.baseline).name if args.baseline else ""
    try:
        slides = write_briefing(result, args.pptx, baseline, name)
    except OSError as exc:
        raise _cannot_write(args.pptx, exc) from None
    say(f"wrote {args.pptx} ({slides} slides)")
    return EXIT_INFEASIBLE if result.status == Status.INFEASIBLE else EXIT_OK


def _workbook(args) -> int:
    if args.action is None:
        raise UsageError("workbook: name what to do: export FILE OUT.xlsx, or import IN.xlsx OUT.json")
    _check_folder("OUT.xlsx" if args.action == "export" else "OUT.json", args.out)
    if args.action == "export":
        from .solve import solve_scenario
        from .workbook import write_workbook

        scenario = _load(args.file)
        result = solve_scenario(scenario)
        try:
            write_workbook(scenario, args.out, result)
        except OSError as exc:
            raise _cannot_write(args.out, exc) from None
        say(f"wrote {args.out}" + ("" if result.ok else f" (the scenario; no plan: {result.status.value})"))
        return EXIT_INFEASIBLE if result.status == Status.INFEASIBLE else EXIT_OK
    from .fileio import ScenarioError, save_scenario
    from .workbook import read_workbook

    if not Path(args.workbook).exists():
        raise UsageError(f"'{shown_path(args.workbook)}': no such file")
    try:
        scenario = read_workbook(args.workbook)
    except ScenarioError as exc:
        raise _Stop(str(exc), EXIT_INVALID) from None
    try:
        save_scenario(scenario, args.out)
    except OSError as exc:
        raise _cannot_write(args.out, exc) from None
    say(f"wrote {args.out} ({len(scenario.tasks)} tasks, {len(scenario.regions)} regions, "
        f"{len(scenario.capabilities)} capabilities, {len(scenario.periods)} periods)")
    return EXIT_OK


def _scenarios(args) -> int:
    items = bundled_scenarios()
    names = max((len(item.name) for item in items), default=0)
    paths = max((len(str(item.path)) for item in items), default=0)
    for item in items:
        say(f"{item.name:<{names}}  {str(item.path):<{paths}}  {item.title}")
    return EXIT_OK


def _schema(args) -> int:
    from .schema import json_schema

    say_json(json_schema())
    return EXIT_OK


_COMMANDS = {"solve": _solve, "validate": _validate, "export": _export, "analyse": _analyse,
             "compare": _compare, "brief": _brief, "workbook": _workbook, "scenarios": _scenarios,
             "schema": _schema}


def _window_path(argv: list[str]) -> Path:
    """The file the window opens: FILE, or the bundled default.

    A missing file is refused before any window opens; a bad file opens the
    window with the problem shown.
    """
    if len(argv) > 1:
        raise UsageError(f"unexpected argument '{shown(argv[1])}' (to open a file: {PROG} FILE)")
    return _scenario_path(argv[0]) if argv else default_scenario_path()
