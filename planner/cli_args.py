"""The command line's words and checks: its parser, its errors, what it prints, and how it
reads the arguments a command takes (a FILE, ``--set`` assignments, sizes, folders).

:mod:`planner.cli` runs the commands with these; nothing here solves or analyses.
Text for a person goes out through :func:`say`, which escapes control characters
(:func:`planner.text.printable`), JSON through :func:`say_json`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .analyses.registry import ANALYSES, COMMAND_LINE_KINDS
from .bundled import resolve_scenario_argument
from .text import printable, shown, shown_path

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_INTERRUPTED = 0, 2, 3, 130
COMMANDS = ("solve", "validate", "export", "analyse", "compare", "brief", "workbook", "scenarios", "schema")
PROG = "mandate-planner"
MAX_TIME_LIMIT = 3600.0  # seconds a whole-units solve may take
PROGRESS_AFTER = 1.0  # seconds before a long run shows its progress on a terminal
PROGRESS_EVERY = 0.2  # seconds between two updates of that line


class UsageError(Exception):
    """A bad command-line argument (exit 2)."""


class _Stop(Exception):
    """End the command with ``code`` after writing the message (already worded) on stderr."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage block; argparse quotes the arguments
        raise UsageError(shown(message, 300))


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Prioritise a peacekeeping mandate against its resources.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    solve = sub.add_parser("solve", help="solve a scenario and print the plan")
    solve.add_argument("file")
    solve.add_argument("--json", action="store_true", help="print the result as JSON")
    solve.add_argument("--integer", action="store_true", help="generate whole units only (MILP)")
    solve.add_argument("--csv", metavar="OUT", help="also write the allocation as CSV (UTF-8, opens in Excel)")
    solve.add_argument("--set", action="append", default=[], metavar="ASSIGNMENT",
                       help="task.ID.weight=V or resource.ID.capacity=V (repeatable)")
    solve.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                       help=f"time limit for a whole-units solve (default 60, at most {MAX_TIME_LIMIT:g})")

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

    ana = sub.add_parser("analyse", help="; ".join(f"{k}: {ANALYSES[k].help}" for k in COMMAND_LINE_KINDS))
    ana.add_argument("kind", choices=COMMAND_LINE_KINDS)
    ana.add_argument("file")
    ana.add_argument("--json", action="store_true", help="print the result as JSON")
    ana.add_argument("--png", metavar="OUT", help="also draw the analysis to a PNG")
    ana.add_argument("--size", default="1920x1080", metavar="WxH")
    ana.add_argument("--dpi", type=int, default=150)
    ana.add_argument("--set", action="append", default=[], metavar="ASSIGNMENT")
    ana.add_argument("--resource", metavar="ID", help="budget: the resource to vary (default: the budget)")
    ana.add_argument("--points", type=int, metavar="N", help="budget / pareto: how many points (2 to 500)")
    ana.add_argument("--samples", type=int, default=1000, metavar="N",
                     help="smaa: weight samples (1 to 100,000)")
    ana.add_argument("--mode", choices=("simplex", "around", "panel"), default="simplex",
                     help="smaa: sample every weighting, around the current one, or the panel's")
    ana.add_argument("--spread", type=float, default=0.2,
                     help="smaa around: relative spread, between 0 and 1 (0.2 = ±20%%)")
    ana.add_argument("--seed", type=int, default=0, help="smaa: a whole number >= 0")
    ana.add_argument("--workers", type=int, metavar="N", help="smaa, stability: local processes (default: the CPUs)")
    ana.add_argument("--dask", metavar="ADDRESS", help="smaa, stability: run on an existing Dask cluster")
    ana.add_argument("--exact-resolve", action="store_true",
                     help="smaa: solve every sample, not only those no known optimal basis certifies")
    ana.add_argument("--whole-units", choices=("fast", "exact"), default=None,
                     help="smaa with whole units: 'fast' (default) keeps the best known set of units "
                          "where it is within --gap-limit of the sample's bound and says by how much; "
                          "'exact' searches every sample to the optimum")
    ana.add_argument("--gap-limit", type=float, metavar="POINTS",
                     help="smaa fast whole units: the largest gap kept without a search (default 0.25 points)")
    ana.add_argument("--method", metavar="NAME",
                     help="stability: 'exact' (default) places each change at its exact share; 'grid' "
                          "narrows each end by bisection")
    ana.add_argument("--tasks", metavar="A,B", help="pareto: the two task ids")
    ana.add_argument("--within", type=float, metavar="POINTS",
                     help="alternatives: points below the best a plan may score (default 0.1, 0 to 100)")
    ana.add_argument("--count", type=int, metavar="N", help="alternatives: most plans to list (default 10, 1 to 100)")

    cmp_ = sub.add_parser("compare", help="compare scenarios side by side")
    cmp_.add_argument("base")
    cmp_.add_argument("others", nargs="+")
    cmp_.add_argument("--json", action="store_true")
    cmp_.add_argument("--png", metavar="OUT")
    cmp_.add_argument("--size", default="1920x1080", metavar="WxH")
    cmp_.add_argument("--dpi", type=int, default=150)

    brief = sub.add_parser("brief", help="write a briefing deck of the plan (.pptx)")
    brief.add_argument("file")
    brief.add_argument("--pptx", required=True, metavar="OUT")
    brief.add_argument("--baseline", metavar="OTHER", help="a scenario whose plan to brief the plan against")

    book = sub.add_parser("workbook", help="a scenario as an Excel workbook (.xlsx), out and in")
    actions = book.add_subparsers(dest="action", parser_class=_Parser)
    book_out = actions.add_parser("export", help="write FILE and its plan as a workbook")
    book_out.add_argument("file")
    book_out.add_argument("out", metavar="OUT.xlsx")
    book_in = actions.add_parser("import", help="check a workbook and write it as a scenario file")
    book_in.add_argument("workbook", metavar="IN.xlsx")
    book_in.add_argument("out", metavar="OUT.json")

    sub.add_parser("scenarios", help="list the bundled scenarios (usable by name as FILE)")
    sub.add_parser("schema", help="print the JSON Schema of scenario files")
    return p


# -- output -----------------------------------------------------------------------------


def say(text: str = "", *, err: bool = False, end: str = "\n") -> None:
    """Write text for a person on stdout (or stderr), control characters escaped."""
    print(printable(text), end=end, file=sys.stderr if err else sys.stdout)


def say_json(data) -> None:
    """Write ``data`` as JSON on stdout, with no raw control character in it.

    JSON escapes C0 controls itself; DEL, C1 controls and bidirectional
    overrides it leaves as they are unless every non-ASCII character is
    escaped, which is done only when such a character is there.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if printable(text) != text:
        text = json.dumps(data, indent=2)
    print(text)


class _Progress:
    """``progress(fraction)`` for an analysis: a percentage on stderr, when stderr is a terminal.

    A run shorter than :data:`PROGRESS_AFTER` shows nothing, and so does any
    run whose stderr is a file or a pipe; the line is wiped when the run ends.
    """

    def __init__(self, what: str):
        self.what = what
        self.stream = sys.stderr
        try:
            self.on = bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            self.on = False
        self.start = time.monotonic()
        self.last: float | None = None
        self.line = ""
        self.width = 0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if not self.on or now - self.start < PROGRESS_AFTER or (
                self.last is not None and now - self.last < PROGRESS_EVERY):
            return
        line = f"{PROG}: {self.what} {100 * fraction:.0f}%"
        if line == self.line:
            return
        self.last, self.line = now, line
        self.width = max(self.width, len(line))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()

    def close(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


# -- arguments -----------------------------------------------------------------------------


def _scenario_path(text: str) -> Path:
    """A FILE argument as a path: a file, or a bundled scenario's name."""
    path = resolve_scenario_argument(text)
    if not path.exists():
        hint = "" if Path(text).suffix else f" or bundled scenario (see '{PROG} scenarios')"
        raise UsageError(f"'{shown_path(text)}': no such file{hint}")
    return path


def _load(text: str):
    """The scenario a FILE argument names; the loader's problems (every one) end the command."""
    from .fileio import ScenarioError, load_scenario

    try:
        return load_scenario(_scenario_path(text))
    except ScenarioError as exc:
        raise _Stop(str(exc), EXIT_INVALID) from None


def apply_assignments(scenario, assignments: list[str], integer: bool = False):
    """Apply ``--set`` assignments; raise UsageError naming the bad one.

    Values keep the limits of a scenario file: finite, >= 0, at most
    :data:`planner.schema.MAX_NUMBER`.
    """
    from .analyses._common import known
    from .schema import MAX_NUMBER

    for text in assignments:
        where = f"--set '{shown(text)}'"
        key, sep, value = text.partition("=")
        parts = key.split(".")
        if not sep or len(parts) != 3 or (parts[0], parts[2]) not in (("task", "weight"), ("resource", "capacity")):
            raise UsageError(f"{where}: expected task.ID.weight=V or resource.ID.capacity=V")
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"{where}: '{shown(value)}' is not a number") from None
        if not (number >= 0) or number == float("inf"):
            raise UsageError(f"{where}: the value must be a finite number >= 0")
        if number > MAX_NUMBER:
            raise UsageError(f"{where}: at most " + f"{MAX_NUMBER:.0e}".replace("e+", "e"))
        kind, item = parts[0], parts[1]
        ids = [t.id for t in scenario.tasks] if kind == "task" else [q.id for q in scenario.resources]
        if item not in ids:
            raise UsageError(f"{where}: unknown {kind} '{shown(item)}' {known(ids)}")
        if kind == "task":
            scenario = scenario.with_task_weight(item, number)
        else:
            scenario = scenario.with_resource_capacity(item, number)
    if sum(t.weight for t in scenario.tasks) <= 0:
        raise UsageError("--set: every task weight is now 0; give at least one task a positive weight")
    if integer:
        scenario = scenario.with_integer_units(True)
    return scenario


def _check_time_limit(seconds: float) -> None:
    if not 0 < seconds <= MAX_TIME_LIMIT:  # NaN too
        raise UsageError(f"--time-limit {seconds:g}: choose a number of seconds above 0 "
                         f"and at most {MAX_TIME_LIMIT:g}")


def _parse_size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    try:
        size = (int(w), int(h))
    except ValueError:
        raise UsageError(f"--size '{shown(text)}': expected WIDTHxHEIGHT in pixels, e.g. 1920x1080") from None
    if not sep or not (100 <= size[0] <= 10000 and 100 <= size[1] <= 10000):
        raise UsageError(f"--size '{shown(text)}': expected WIDTHxHEIGHT between 100 and 10000 pixels")
    return size


def _picture_size(args) -> tuple[int, int] | None:
    """The checked ``--size`` of the ``--png`` to draw (None without ``--png``)."""
    if not args.png:
        return None
    size = _parse_size(args.size)
    if not 30 <= args.dpi <= 1200:
        raise UsageError(f"--dpi {args.dpi}: choose a value between 30 and 1200")
    _check_folder("--png", args.png)
    return size


def _check_folder(option: str, out: str) -> None:
    """Refuse an output file whose folder does not exist, or that is a folder, before any work."""
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{option} '{shown_path(out)}': this is a folder; name a file in it")
    if not path.parent.exists():
        raise UsageError(f"{option} '{shown_path(out)}': the folder '{shown_path(path.parent)}' does not exist")


def _cannot_write(path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write '{shown_path(path)}': {exc.strerror or exc}")


# -- commands ------------------------------------------------------------------------------
