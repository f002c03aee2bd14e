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
COMMANDS = ("solve", "validate", "export", "schema")
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
        return {"solve": _solve, "validate": _validate, "export": _export, "schema": _schema}[
            args.command
        ](args)
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
    if not 30 <= args.dpi <= 1200:
        raise UsageError(f"--dpi {args.dpi}: choose a value between 30 and 1200")
    try:
        scenario = apply_assignments(_load(args.file), args.set, args.integer)
    except _Invalid:
        return EXIT_INVALID
    from ui import charts

    if args.chart not in charts.CHARTS:
        raise UsageError(f"--chart '{args.chart}': unknown chart (choose from {', '.join(charts.CHARTS)})")
    out = Path(args.png)
    if not out.parent.exists():
        raise UsageError(f"--png '{args.png}': the folder {out.parent} does not exist")
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
