"""Benchmark of Mandate Planner: where the time and memory of a solve go.

    python bench/run.py [--quick] [--sizes default,bundled,medium,large] [--repeat N]
                        [--out PATH] [--skip-pulp-large] [--no-pulp] [--no-crossover]
                        [--no-contention] [--no-gui]

Prints the tables and writes ``bench/RESULTS.md`` (or ``--out``). Rows: the
default scenario, the other bundled scenarios, and generated scenarios of
medium (~10k x-variables) and large (>= 100k variables) size
(``bench/generate.py``). Each time is the median over the repeats with the
min-max range (time.perf_counter):

- validate: ``loads_scenario`` on the file text (parse, schema, references);
- build: ``build_model``;
- HiGHS stage 1 ("the HiGHS floor"), HiGHS alone on the built arrays, with the
  method the planner picks (``IPM_ABOVE``): SciPy's ``linprog`` call, and the
  same LP through ``highspy`` (the planner's path: ``Highs()``, ``passModel``,
  ``run``, ``getSolution``), with ``run()`` alone beside it;
- stage 2: ``planner.solve._tidy`` from stage 1's point (the scipy backend's
  second, cold ``linprog``), and the warm-started stage-2 ``run()`` inside the
  highspy backend's ``solve_model`` (clocked in those very runs);
- solve_model, both backends: ``backend="highspy"`` (the product's path: both
  stages in one HiGHS instance, stage 2 from stage 1's basis) and
  ``backend="scipy"`` (``linprog`` twice, cold); both stages and extraction;
- extract: ``planner.solve.extract`` on a solved vector;
- infeasible: a variant with an impossible floor (``generate.infeasible_variant``):
  the highspy stage-1 call that proves it infeasible, ``planner.diagnose.diagnose``,
  and ``solve_model`` on it (both, plus glue: what the user waits for);
- memory: tracemalloc's peak over build + solve_model (a fresh process), against
  the constraint matrix's own size (A.data + A.indices + A.indptr), with the
  built model's resident size and the peak RSS growth (see ``memory_note``);
- PuLP: the same model written plainly in PuLP (``bench/pulp_model.py``, stage 1
  only), build and CBC solve (``PULP_CBC_CMD(msg=False)``) timed separately.

Every optimum score (HiGHS stage 1 by linprog and by highspy, solve_model by
both backends, CBC) must agree to 1e-6 relative. Then the method crossover
(``highs-ds`` against ``highs-ipm`` on a ladder of generated sizes, to check
``IPM_ABOVE``), a contention probe (solve_model with the other core busy, with
NumPy's OpenBLAS threaded and single-threaded; not in --quick) and the GUI
(``bench/gui.py``: cold start, slider latency).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import gc
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import linprog  # noqa: E402

from bench import generate as gen  # noqa: E402
from planner.diagnose import diagnose  # noqa: E402
from planner.fileio import loads_scenario  # noqa: E402
from planner.model import build_model  # noqa: E402

S = importlib.import_module("planner.solve")  # the module (planner.solve is shadowed by the function)
HAVE_HIGHSPY = "highspy" in S.BACKENDS

SCENARIOS = ROOT / "scenarios"
DEFAULT_SCENARIO = "minusma_2020"
DEFAULT_OUT = ROOT / "bench" / "RESULTS.md"
REL_TOL = 1e-6

# Targets (reported, never asserted).
TARGET_DEFAULT_MS = 15.0
TARGET_OURS_SHARE = 0.10
TARGET_MEMORY_RATIO = 3.0
TARGET_PULP_SPEEDUP = 5.0

# Ladder for the method crossover: (C, R, T, P, effect density). Medium and large are
# the benchmark sizes; the others fill the gaps.
CROSSOVER_SHAPES = [
    (10, 9, 5, 4, 0.7),
    (14, 10, 6, 5, 0.8),
    gen.SIZES["medium"],
    (30, 20, 10, 6, 0.8),
    (40, 24, 12, 8, 0.7),
    gen.SIZES["large"],
]
CROSSOVER_TIME_LIMIT = 300.0  # a simplex that stalls must not take the run with it


# -- timing helpers -----------------------------------------------------------


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def lo(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    @property
    def hi(self) -> float:
        return max(self.samples) if self.samples else float("nan")

    def cell(self) -> str:
        if not self.samples:
            return "–"
        if len(self.samples) == 1:
            return fmt_time(self.median)
        return f"{fmt_time(self.median)} ({fmt_time(self.lo, unit=False)}–{fmt_time(self.hi, unit=False)})"


def timeit(fn, repeats: int, warmup: int = 0):
    """Run ``fn`` repeatedly; return (Timing, last return value)."""
    out = None
    for _ in range(warmup):
        out = fn()
    t = Timing()
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        t.samples.append(time.perf_counter() - t0)
    return t, out


def fmt_time(sec: float, unit: bool = True) -> str:
    if sec != sec:  # nan
        return "–"
    if sec >= 10:
        s, u = f"{sec:.1f}", " s"
    elif sec >= 1:
        s, u = f"{sec:.2f}", " s"
    elif sec >= 0.1:
        s, u = f"{sec * 1e3:.0f}", " ms"
    elif sec >= 0.01:
        s, u = f"{sec * 1e3:.1f}", " ms"
    else:
        s, u = f"{sec * 1e3:.2f}", " ms"
    return s + (u if unit else "")


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "–"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} B"


def rel_diff(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-12)


class _HighspyProxy:
    """``highspy`` with another ``Highs`` class; everything else is the real module's."""

    def __init__(self, real, highs):
        self._real, self.Highs = real, highs

    def __getattr__(self, name):
        return getattr(self._real, name)


class HighsRunClock:
    """Times every ``Highs.run()`` that ``planner.solve`` makes, while active.

    Inside ``solve_model(backend="highspy")`` run 1 is stage 1 and run 2 is the
    warm-started stage 2: HiGHS's share of the very runs that are timed,
    without a second measurement.
    """

    def __init__(self):
        self.calls: list[float] = []
        self.starts: list[int] = []

    def __enter__(self):
        self._saved = S._highspy
        calls = self.calls

        class TimedHighs(self._saved.Highs):
            def run(self):
                t0 = time.perf_counter()
                try:
                    return super().run()
                finally:
                    calls.append(time.perf_counter() - t0)

        S._highspy = _HighspyProxy(self._saved, TimedHighs)
        return self

    def __exit__(self, *exc):
        S._highspy = self._saved
        return False

    def mark(self):
        """Call at the start of each run."""
        self.starts.append(len(self.calls))

    def per_run(self, runs: int) -> list[Timing]:
        """The last ``runs`` runs' calls, as one Timing per call position."""
        bounds = self.starts + [len(self.calls)]
        groups = [self.calls[a:b] for a, b in zip(bounds, bounds[1:])][-runs:]
        n = min((len(g) for g in groups), default=0)
        return [Timing([g[i] for g in groups]) for i in range(n)]


def quiet_linprog(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return linprog(*args, **kwargs)


# -- HiGHS alone on the built arrays ---------------------------------------------


def linprog_stage1(m, method: str, options: dict | None = None):
    """Stage 1 by SciPy's ``linprog``: maximise the score on the built arrays."""
    return quiet_linprog(-m.score_coef, A_ub=m.A, b_ub=m.b, bounds=np.column_stack([m.lower, m.upper]),
                         method=method, options=options)


@dataclass
class HighspyStage1:
    status: str
    x: np.ndarray | None
    run_seconds: float


def highspy_stage1(m) -> HighspyStage1:
    """Stage 1 through highspy as the planner passes it: a fresh instance, the CSR arrays
    as they are, the planner's method; ``run()`` timed on its own."""
    hs = S._highspy
    h = S.highs_instance(m)  # exactly as the planner passes the model
    t0 = time.perf_counter()
    h.run()
    run_seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    if status == hs.HighsModelStatus.kOptimal:
        return HighspyStage1("optimal", np.array(h.getSolution().col_value), run_seconds)
    if status in (hs.HighsModelStatus.kInfeasible, hs.HighsModelStatus.kUnboundedOrInfeasible):
        return HighspyStage1("infeasible", None, run_seconds)
    return HighspyStage1(h.modelStatusToString(status), None, run_seconds)


def _collect_runs(fn, sink: list):
    """``fn`` (a highspy_stage1 call) whose ``run()`` time lands in ``sink``."""

    def call():
        out = fn()
        sink.append(out.run_seconds)
        return out

    return call


# -- versions -----------------------------------------------------------------


def _dist_version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment() -> dict:
    try:
        from scipy.optimize._highspy import _core

        scipy_highs = f"{_core.HIGHS_VERSION_MAJOR}.{_core.HIGHS_VERSION_MINOR}.{_core.HIGHS_VERSION_PATCH}"
    except Exception:  # pragma: no cover - private module moved
        scipy_highs = "unknown"
    if HAVE_HIGHSPY:
        highs_own = S._highspy.Highs().version()  # the banner was silenced by planner.solve
        highs = (f"highspy {_dist_version('highspy')} (HiGHS {highs_own}): the product's default backend; "
                 f"SciPy's bundled HiGHS {scipy_highs}: linprog, the scipy backend, milp and the diagnosis")
    else:
        highs = f"highspy not installed; SciPy's bundled HiGHS {scipy_highs} for everything"
    pyside = _dist_version("PySide6")
    if pyside == "not installed":
        pyside = _dist_version("PySide6-Essentials")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": f"{os.cpu_count()} ({usable} usable)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "highs": highs,
        "pulp": _dist_version("pulp"),
        "pyside6": pyside,
        "matplotlib": _dist_version("matplotlib"),
        "load": _loadavg(),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover
        pass
    return platform.processor() or "unknown"


def _load1() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return None


def _loadavg() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "unknown"


# -- cases --------------------------------------------------------------------


@dataclass
class Case:
    name: str
    text: str  # the scenario file's text
    repeats: int
    note: str = ""


def bundled_names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


def make_cases(sizes: list[str], repeat: int | None, quick: bool) -> list[Case]:
    cases = []
    small_reps = repeat or (1 if quick else 7)
    for token in sizes:
        if token == "default":
            text = (SCENARIOS / f"{DEFAULT_SCENARIO}.json").read_text("utf-8")
            cases.append(Case(f"default ({DEFAULT_SCENARIO})", text, small_reps))
        elif token == "bundled":
            names = [n for n in bundled_names() if n != DEFAULT_SCENARIO]
            if quick:
                names = names[:1]
            for n in names:
                cases.append(Case(n, (SCENARIOS / f"{n}.json").read_text("utf-8"), small_reps))
        elif token in gen.SIZES:
            reps = repeat or (1 if quick else {"small": 7, "medium": 5, "large": 3}[token])
            C, R, T, P, _ = gen.SIZES[token]
            text = json.dumps(gen.generate_size(token, seed=0))
            cases.append(Case(f"{token} ({C}×{R}×{T}×{P})", text, reps, "generated"))
        elif (SCENARIOS / f"{token}.json").exists():
            cases.append(Case(token, (SCENARIOS / f"{token}.json").read_text("utf-8"), small_reps))
        else:
            raise SystemExit(f"unknown size '{token}' (use default, bundled, small, medium, large "
                             "or a bundled scenario's name)")
    return cases


# -- one case -----------------------------------------------------------------


def measure(case: Case, args, log) -> dict:
    reps = case.repeats
    warm = 1 if reps > 1 else 0  # first-call costs (imports, caches) out of the medians
    row: dict = {"name": case.name, "repeats": reps, "load": _load1()}

    t, s = timeit(functools.partial(loads_scenario, case.text, source=case.name), reps, warm)
    row["validate"] = t
    t, m = timeit(functools.partial(build_model, s), reps, warm)
    row["build"] = t
    measure_model(m, row, reps, warm, log)
    del m
    measure_infeasible(case, row, reps, warm, log)

    row.update(memory_probe(case))
    log(f"  memory: tracemalloc peak {fmt_bytes(row['mem_peak'])} (model {fmt_bytes(row['mem_model'])}), "
        f"A {fmt_bytes(row['a_bytes'])}, RSS growth {fmt_bytes(row['rss_growth'])}")

    gc.collect()
    if args.no_pulp or (args.skip_pulp_large and m_is_large(row)) or not pulp_available():
        row["pulp_build"] = row["pulp_solve"] = None
        row["score_cbc"] = None
        row["pulp_status"] = "skipped" if pulp_available() else "PuLP not installed"
    else:
        row.update(pulp_case(s, reps, args.pulp_time_limit))
        log(f"  PuLP build {row['pulp_build'].cell()}, CBC {row['pulp_solve'].cell()} ({row['pulp_status']})")
    return row


def measure_model(m, row: dict, reps: int, warm: int, log) -> None:
    """The feasible model: HiGHS alone, the stages, solve_model by both backends, extraction."""
    row["shape"] = (m.n_vars, m.n_x, m.A.shape[0], m.A.nnz)
    method = S._lp_method(m)
    row["method"] = method
    log(f"  {m.n_vars} vars ({m.n_x} x), {m.A.shape[0]} rows, {m.A.nnz} nonzeros; stage 1 by {method}")

    t, res = timeit(functools.partial(linprog_stage1, m, method), reps, warm)
    if res.status != 0:
        raise RuntimeError(f"{row['name']}: stage 1 did not solve: {res.message}")
    row["highs"] = t
    row["score_highs"] = float(-res.fun)
    log(f"  HiGHS stage 1 by linprog {t.cell()}")

    scores = {"linprog": row["score_highs"]}
    if HAVE_HIGHSPY:
        runs: list[float] = []
        t, one = timeit(_collect_runs(functools.partial(highspy_stage1, m), runs), reps, warm)
        if one.status != "optimal":
            raise RuntimeError(f"{row['name']}: highspy stage 1 gave {one.status}")
        row["highs_py"] = t
        row["highs_py_run"] = Timing(runs[-reps:])
        row["score_highs_py"] = float(m.score_coef @ one.x)
        scores["highspy"] = row["score_highs_py"]
        log(f"  HiGHS stage 1 by highspy {t.cell()}, run() {row['highs_py_run'].cell()}")

    t, v2 = timeit(functools.partial(S._tidy, m, m.b, res.x, False, S.DEFAULT_TIME_LIMIT), reps, warm)
    row["stage2"] = t
    log(f"  stage 2 (scipy, cold) {t.cell()}")

    for backend in S.BACKENDS:
        key = "full_" + backend
        if backend == "highspy":
            with HighsRunClock() as clock:
                def run(clock=clock):
                    clock.mark()
                    return S.solve_model(m, backend="highspy")

                t, result = timeit(run, reps, warm)
            row["in_full"] = clock.per_run(len(t.samples))
        else:
            t, result = timeit(functools.partial(S.solve_model, m, backend=backend), reps, warm)
        if result.status != "optimal":
            raise RuntimeError(f"{row['name']}: solve_model({backend}) gave {result.status}: {result.message}")
        row[key] = t
        row["score_" + backend] = float(result.score)
        scores["solve_model " + backend] = row["score_" + backend]
        extra = ""
        if backend == "highspy":
            extra = "; inside it, HiGHS run(): " + ", ".join(
                f"stage {i + 1} {x.cell()}" for i, x in enumerate(row["in_full"]))
        log(f"  solve_model({backend}) {t.cell()}{extra}")
    row["scores"] = scores

    duals = res.ineqlin.marginals
    t, _ = timeit(functools.partial(S.extract, m, m.b, v2, duals, "optimal", "optimal"), reps, warm)
    row["extract"] = t


def measure_infeasible(case: Case, row: dict, reps: int, warm: int, log) -> None:
    """The infeasible variant: the proof of infeasibility, the diagnosis, solve_model on it."""
    bad = loads_scenario(json.dumps(gen.infeasible_variant(json.loads(case.text))))
    mb = build_model(bad)
    if HAVE_HIGHSPY:
        t, sol = timeit(functools.partial(highspy_stage1, mb), reps, warm)
    else:
        t, sol = timeit(functools.partial(S._maximise, mb, mb.b, False, S.DEFAULT_TIME_LIMIT), reps, warm)
    row["detect"] = t
    row["detect_ok"] = sol.status == "infeasible"
    t, problems = timeit(functools.partial(diagnose, mb), reps, warm)
    row["diagnose"] = t
    row["diagnose_ok"] = any(p.key == "impossible-floor" for p in problems)
    t, res = timeit(functools.partial(S.solve_model, mb), reps, warm)
    row["infeasible_full"] = t
    row["detect_ok"] = row["detect_ok"] and res.status == "infeasible"
    log(f"  infeasible: detect {row['detect'].cell()}, diagnose {row['diagnose'].cell()} "
        f"({len(problems)} problems, names the floor: {row['diagnose_ok']}), solve_model {t.cell()}")


def m_is_large(row) -> bool:
    return row["shape"][0] >= 50_000


def pulp_available() -> bool:
    try:
        import pulp  # noqa: F401
    except ImportError:
        return False
    return True


def pulp_case(s, reps: int, time_limit: float) -> dict:
    from bench import pulp_model

    build_t, solve_t = Timing(), Timing()
    score, status = None, None
    for i in range(reps + (1 if reps > 1 else 0)):
        gc.collect()
        t0 = time.perf_counter()
        prob, score_of = pulp_model.build(s)
        t1 = time.perf_counter()
        status = pulp_model.solve(prob, time_limit)
        t2 = time.perf_counter()
        if reps > 1 and i == 0:
            continue  # warm-up
        build_t.samples.append(t1 - t0)
        solve_t.samples.append(t2 - t1)
        score = score_of(prob)
        del prob
    return {"pulp_build": build_t, "pulp_solve": solve_t, "score_cbc": score, "pulp_status": status}


# -- memory, in a fresh process -----------------------------------------------


def memory_probe(case: Case) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        fh.write(case.text)
        path = fh.name
    try:
        out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--memprobe", path],
                             capture_output=True, text=True, check=True, cwd=str(ROOT))
    finally:
        os.unlink(path)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rss_now() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def run_memprobe(path: str) -> None:
    """Child process: tracemalloc peaks and RSS growth of build + solve_model (default backend)."""
    import resource
    import tracemalloc

    from planner.fileio import load_scenario

    warm = build_model(load_scenario(SCENARIOS / f"{DEFAULT_SCENARIO}.json"))
    S.solve_model(warm)  # first-call costs (lazy imports) out of the measurement
    s = load_scenario(path)
    del warm
    gc.collect()
    rss0 = _rss_now()
    tracemalloc.start()
    m = build_model(s)
    model_bytes, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    r = S.solve_model(m)
    _, solve_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    a_bytes = m.A.data.nbytes + m.A.indices.nbytes + m.A.indptr.nbytes
    print(json.dumps({
        "mem_peak": max(build_peak, solve_peak), "mem_model": model_bytes,
        "mem_build_peak": build_peak, "mem_solve_peak": solve_peak, "a_bytes": a_bytes,
        "rss_growth": None if rss0 is None else max(0, maxrss - rss0),
        "mem_status": r.status,
    }))


# -- contention: OpenBLAS's idle threads against HiGHS -------------------------------


CONTENTION_SIZE = "medium"


def run_contention_child() -> None:
    """Child process: medians of solve_model (default backend) on the medium scenario."""
    m = build_model(loads_scenario(json.dumps(gen.generate_size(CONTENTION_SIZE, seed=0))))
    with HighsRunClock() as clock:
        def run(clock=clock):
            clock.mark()
            return S.solve_model(m)

        t, _ = timeit(run, 7, 1)
    runs = clock.per_run(7)
    print(json.dumps({"solve_model": t.median, "stage1": runs[0].median, "stage2": runs[1].median}))


def contention_probe(log) -> list[dict]:
    """solve_model on medium in fresh processes: the other core idle or kept busy by a
    spinning process, each with NumPy's OpenBLAS as shipped and with OPENBLAS_NUM_THREADS=1."""
    out = []

    def child(env_extra):
        env = dict(os.environ, **env_extra)
        proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--contention-child"],
                              capture_output=True, text=True, check=True, cwd=str(ROOT), env=env)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    for busy in (False, True):
        burner = None
        if busy:  # one core kept busy, as by the GUI thread drawing or another program
            burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            for label, env_extra in (("OpenBLAS as shipped", {}), ("OPENBLAS_NUM_THREADS=1",
                                                                   {"OPENBLAS_NUM_THREADS": "1"})):
                r = child(env_extra)
                r.update(busy=busy, blas=label, load=_load1())
                out.append(r)
                log(f"  other core {'busy' if busy else 'idle'}, {label}: solve_model "
                    f"{fmt_time(r['solve_model'])} (HiGHS stage 1 {fmt_time(r['stage1'])}, "
                    f"stage 2 {fmt_time(r['stage2'])})")
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
    return out


def contention_lines(rows: list[dict]) -> list[str]:
    lines = [
        f"`solve_model` (highspy) on the {CONTENTION_SIZE} scenario, median of 7, each in a fresh process; "
        "\"busy\": a second process spinning (`while True: pass`) for the duration, as the GUI thread "
        "drawing a chart or any other program would on a 2-core machine.",
        "",
        "| other core | NumPy's OpenBLAS | solve_model | HiGHS stage 1 run() | stage 2 run() | load at start |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {'busy' if r['busy'] else 'idle'} | {r['blas']} | {fmt_time(r['solve_model'])} | "
                     f"{fmt_time(r['stage1'])} | {fmt_time(r['stage2'])} | "
                     + ("–" if r.get("load") is None else f"{r['load']:.2f}") + " |")
    ratios = []
    for busy in (False, True):
        pair = {r["blas"]: r for r in rows if r["busy"] == busy}
        if len(pair) == 2:
            a, b = pair["OpenBLAS as shipped"], pair["OPENBLAS_NUM_THREADS=1"]
            ratios.append(f"{'busy' if busy else 'idle'} {a['solve_model'] / b['solve_model']:.1f}×")
    if ratios:
        lines += [
            "",
            "solve_model with OpenBLAS as shipped ÷ with OPENBLAS_NUM_THREADS=1, other core "
            + ", ".join(ratios) + ". The cause: `planner.solve` computes `score_coef @ v` (between the "
            "stages and in `extract`); above roughly 10k variables OpenBLAS runs that dot product on its "
            "thread pool, whose worker then spins idle for a while and takes a core from HiGHS. It shows "
            "only when the cores are short (other processes, or the GUI thread drawing while the worker "
            "solves); an \"idle\" row is only idle if the load column says nothing else ran. The default "
            "scenario (1.6k variables) is below the threshold.",
        ]
    lines.append("")
    return lines


# -- method crossover ---------------------------------------------------------


def _solve_with_threshold(m, threshold: int):
    saved = S.IPM_ABOVE
    S.IPM_ABOVE = threshold
    try:
        return S.solve_model(m)
    finally:
        S.IPM_ABOVE = saved


def crossover(quick: bool, repeat: int | None, log, include_default=True) -> list[dict]:
    shapes = CROSSOVER_SHAPES[:3] if quick else CROSSOVER_SHAPES
    rows = []
    models = []
    if include_default:
        s = loads_scenario((SCENARIOS / f"{DEFAULT_SCENARIO}.json").read_text("utf-8"))
        models.append((f"default ({DEFAULT_SCENARIO})", build_model(s)))
    for C, R, T, P, dens in shapes:
        d = gen.generate(C, R, T, P, seed=0, effect_density=dens)
        models.append((f"{C}×{R}×{T}×{P}", build_model(loads_scenario(json.dumps(d)))))
    for name, m in models:
        n = m.n_vars
        reps = repeat or (1 if quick else (5 if n < 5000 else 3 if n < 40_000 else 1))
        warm = 1 if reps > 1 else 0
        row = {"name": name, "vars": n, "rows": m.A.shape[0], "nnz": m.A.nnz, "load": _load1()}
        for method in ("highs-ds", "highs-ipm"):
            fn = functools.partial(linprog_stage1, m, method, {"time_limit": CROSSOVER_TIME_LIMIT})
            t, res = timeit(fn, reps, warm)
            row[method] = t
            row[method + "_ok"] = res.status == 0
        for label, threshold in (("both-ds", 10**12), ("both-ipm", -1)):
            t, _ = timeit(functools.partial(_solve_with_threshold, m, threshold), reps, warm)
            row[label] = t
        log(f"  {name}: {n} vars: stage 1 ds {row['highs-ds'].cell()} ipm {row['highs-ipm'].cell()}; "
            f"solve_model ds {row['both-ds'].cell()} ipm {row['both-ipm'].cell()}")
        rows.append(row)
    return rows


def recommend_threshold(rows: list[dict]) -> tuple[str, int | None]:
    """The smallest size above which IPM wins everywhere (both stages), if any."""
    rows = sorted(rows, key=lambda r: r["vars"])
    ipm_wins = [r["both-ipm"].median < r["both-ds"].median and r["highs-ipm"].median < r["highs-ds"].median
                for r in rows]
    biggest = rows[-1]["vars"]
    if not any(ipm_wins):
        both = [r["both-ipm"].median / r["both-ds"].median for r in rows]
        text = (f"highs-ds was faster at every size measured ({rows[0]['vars']:,} to {biggest:,} variables; "
                f"solve_model {min(both):.1f}–{max(both):.1f}× faster than with stage 1 by highs-ipm). ")
        if S.IPM_ABOVE >= biggest:
            text += (f"IPM_ABOVE = {S.IPM_ABOVE:,} agrees: every size measured gets the dual simplex "
                     "(sizes above it are not measured here).")
        else:
            text += (f"IPM_ABOVE = {S.IPM_ABOVE:,} routes the sizes above it to the method that lost here: "
                     f"on this family, raise it above {biggest:,}.")
        return text, None
    first = next(i for i in range(len(rows)) if all(ipm_wins[i:]))
    if first == 0:
        return "highs-ipm was faster at every size measured.", 0
    below, above = rows[first - 1]["vars"], rows[first]["vars"]
    thr = int(round((below + above) / 2, -3))
    return (f"highs-ipm wins from {above:,} variables on, highs-ds up to {below:,}: "
            f"IPM_ABOVE ≈ {thr:,} (now {S.IPM_ABOVE:,})."), thr


# -- report -------------------------------------------------------------------


def full(row) -> Timing:
    """solve_model as the product runs it (the default backend)."""
    return row["full_" + S.BACKENDS[0]]


def e2e(row, backend: str | None = None) -> float:
    return row["build"].median + row["full_" + (backend or S.BACKENDS[0])].median


def highs_runs(row) -> float | None:
    """HiGHS's own time inside the product's solve_model (both run() calls), median each."""
    calls = row.get("in_full") or []
    return sum(c.median for c in calls) if calls else None


def highs_floor(row) -> float:
    """HiGHS's own stage-1 solve: highspy's run() where the product uses it, else linprog."""
    return row["highs_py_run"].median if "highs_py_run" in row else row["highs"].median


def pulp_total(row) -> float | None:
    if row.get("pulp_build") is None:
        return None
    return row["pulp_build"].median + row["pulp_solve"].median


def all_scores(row) -> dict:
    scores = dict(row["scores"])
    if row.get("score_cbc") is not None:
        scores["CBC"] = row["score_cbc"]
    return scores


def scores_agree(row) -> bool:
    scores = list(all_scores(row).values())
    return all(rel_diff(a, b) <= REL_TOL for a in scores for b in scores)


def _short(name: str) -> str:
    return name.split(" ")[0]


def main_table(rows: list[dict]) -> list[str]:
    head = ["scenario", "vars / rows / nnz", "stage-1 method", "validate", "build",
            "HiGHS stage 1: linprog", "HiGHS stage 1: highspy", "of which run()",
            "stage 2: scipy, cold", "stage 2: highspy, warm run()",
            "**solve_model, highspy** (product)", "solve_model, scipy", "extract",
            "infeasible: detect", "diagnose", "solve_model (infeasible)", "agree ≤1e-6"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        n, nx, nr, nnz = r["shape"]
        stage2_warm = r["in_full"][1].cell() if len(r.get("in_full") or []) > 1 else "–"
        cells = [
            f"{r['name']} ×{r['repeats']}",
            f"{n:,} / {nr:,} / {nnz:,}",
            r["method"],
            r["validate"].cell(), r["build"].cell(), r["highs"].cell(),
            r["highs_py"].cell() if "highs_py" in r else "–",
            r["highs_py_run"].cell() if "highs_py_run" in r else "–",
            r["stage2"].cell(), stage2_warm,
            "**" + r["full_highspy"].cell() + "**" if "full_highspy" in r else "–",
            r["full_scipy"].cell(), r["extract"].cell(),
            r["detect"].cell() + ("" if r["detect_ok"] else " (NOT infeasible!)"),
            r["diagnose"].cell() + ("" if r["diagnose_ok"] else " (floor not named!)"),
            r["infeasible_full"].cell(),
            "yes" if scores_agree(r) else "NO",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def second_table(rows: list[dict]) -> list[str]:
    head = ["scenario", "ours: build + solve_model (highspy)", "(scipy)",
            "(build + extract) / HiGHS stage-1 run()", "peak mem / A (×)", "built model / A (×)",
            "RSS growth", "PuLP build", "CBC solve", "PuLP+CBC ÷ ours", "scores", "load at start"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        ours_share = (r["build"].median + r["extract"].median) / highs_floor(r)
        pt = pulp_total(r)
        scores = all_scores(r)
        spread = max(rel_diff(a, b) for a in scores.values() for b in scores.values())
        cells = [
            r["name"],
            fmt_time(e2e(r)),
            fmt_time(e2e(r, "scipy")),
            f"{100 * ours_share:.1f} %",
            f"{fmt_bytes(r['mem_peak'])} / {fmt_bytes(r['a_bytes'])} ({r['mem_peak'] / r['a_bytes']:.1f}×)",
            f"{fmt_bytes(r['mem_model'])} ({r['mem_model'] / r['a_bytes']:.1f}×)",
            fmt_bytes(r["rss_growth"]),
            "–" if r.get("pulp_build") is None else r["pulp_build"].cell(),
            "–" if r.get("pulp_solve") is None else r["pulp_solve"].cell()
            + ("" if r["pulp_status"] == "Optimal" else f" ({r['pulp_status']})"),
            "–" if pt is None else f"{pt / e2e(r):.1f}×",
            " / ".join(f"{v:.7f}" for v in scores.values()) + f" (spread {spread:.1g})",
            "–" if r.get("load") is None else f"{r['load']:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def crossover_table(rows: list[dict]) -> list[str]:
    lines = ["| LP | vars / rows / nnz | stage 1 highs-ds | stage 1 highs-ipm | ipm ÷ ds | "
             "solve_model, stage 1 ds | solve_model, stage 1 ipm | ipm ÷ ds | load at start |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        def cell(key, r=r):
            return r[key].cell() + ("" if r.get(key + "_ok", True) else " (stopped)")

        lines.append(
            f"| {r['name']} | {r['vars']:,} / {r['rows']:,} / {r['nnz']:,} | {cell('highs-ds')} | "
            f"{cell('highs-ipm')} | {r['highs-ipm'].median / r['highs-ds'].median:.2f} | "
            f"{r['both-ds'].cell()} | {r['both-ipm'].cell()} | "
            f"{r['both-ipm'].median / r['both-ds'].median:.2f} | "
            + ("–" if r.get("load") is None else f"{r['load']:.2f}") + " |")
    return lines


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def targets(rows: list[dict], gui_lines: list[str] | None = None) -> list[str]:
    out = []
    default = next((r for r in rows if r["name"].startswith("default")), None)
    if default:
        ms = 1e3 * e2e(default)
        out.append(f"- Default scenario build + solve ≤ {TARGET_DEFAULT_MS:g} ms (median build + median "
                   f"solve_model, {S.BACKENDS[0]} backend): {ms:.1f} ms ({1e3 * default['build'].median:.2f} + "
                   f"{1e3 * full(default).median:.2f}) — {_met(ms <= TARGET_DEFAULT_MS)}. "
                   f"(scipy backend: {1e3 * e2e(default, 'scipy'):.1f} ms.)")
    else:
        out.append("- Default scenario build + solve: not measured in this run.")
    large = [r for r in rows if r["name"].startswith("large")]
    if large:
        r = large[0]
        ours = r["build"].median + r["extract"].median
        share = ours / highs_floor(r)
        both = highs_runs(r)
        pct = 100 * TARGET_OURS_SHARE
        out.append(f"- Build + extraction ≤ {pct:g} % of HiGHS's own solve time at the large size "
                   f"(against HiGHS stage 1's `run()`, timed alone): "
                   f"{1e3 * r['build'].median:.1f} ms + {1e3 * r['extract'].median:.1f} ms against "
                   f"{fmt_time(highs_floor(r))} = {100 * share:.1f} %"
                   + (f" (against both HiGHS runs inside solve_model, {fmt_time(both)}: "
                      f"{100 * ours / both:.1f} %)" if both else "")
                   + f" — {_met(share <= TARGET_OURS_SHARE)}.")
    else:
        out.append("- Build + extraction at the large size: not measured in this run.")
    ratios = [(r["name"], r["mem_peak"] / r["a_bytes"], r["mem_model"] / r["a_bytes"]) for r in rows]
    ok = all(x <= TARGET_MEMORY_RATIO for _, x, _ in ratios)
    worst = max(ratios, key=lambda t: t[1])
    out.append(f"- Memory (tracemalloc peak of build + solve_model) within {TARGET_MEMORY_RATIO:g}× the "
               f"matrix's own size: " + ", ".join(f"{_short(n)} {x:.1f}×" for n, x, _ in ratios)
               + f" — {_met(ok)} (worst: {worst[0]}, {worst[1]:.1f}×; the built model alone holds "
               + ", ".join(f"{_short(n)} {y:.1f}×" for n, _, y in ratios) + ").")
    speed = [(r, pulp_total(r) / e2e(r)) for r in rows if pulp_total(r) is not None]
    if speed:
        ok = all(x >= TARGET_PULP_SPEEDUP for _, x in speed)
        skipped = [r["name"] for r in rows if pulp_total(r) is None]
        out.append(f"- End to end ≥ {TARGET_PULP_SPEEDUP:g}× faster than PuLP + CBC at every size "
                   "(ours: build + solve_model with both stages and extraction; theirs: PuLP build + "
                   "CBC, stage 1 only): "
                   + ", ".join(f"{_short(r['name'])} {x:.1f}×" for r, x in speed)
                   + f" — {_met(ok and not skipped)}"
                   + (f" (PuLP skipped for {', '.join(skipped)})" if skipped else "") + ".")
        if not ok:
            out.append("  Why: most of our time is HiGHS itself. "
                       + "; ".join(_why_pulp(r) for r, x in speed if x < TARGET_PULP_SPEEDUP) + ".")
    else:
        out.append("- End to end against PuLP + CBC: not measured in this run.")
    if gui_lines:
        out += gui_lines
    return out


def _why_pulp(r) -> str:
    total, hr = e2e(r), highs_runs(r)
    pt = pulp_total(r)
    if hr is None:
        return f"{_short(r['name'])}: no HiGHS clock"
    return (f"{_short(r['name'])}: HiGHS's two runs {fmt_time(hr)} of our {fmt_time(total)} "
            f"({100 * hr / total:.0f} %); PuLP + CBC {fmt_time(pt)} ({fmt_time(r['pulp_build'].median)} "
            f"build + {fmt_time(r['pulp_solve'].median)} CBC), so even with zero time of ours the "
            f"ratio could be at most {pt / hr:.1f}×; against stage 1 alone "
            f"({fmt_time(highs_floor(r))}, the work CBC does) {pt / (r['build'].median + highs_floor(r)):.1f}×")


def where_time_goes(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        total = e2e(r)
        calls = r.get("in_full") or []
        if len(calls) < 2:
            continue
        st1, st2 = calls[0].median, calls[1].median
        rest = total - st1 - st2
        out.append(f"- {r['name']}: of {fmt_time(total)} (build + solve_model, highspy), HiGHS's two "
                   f"`run()` calls take {100 * (st1 + st2) / total:.0f} %: "
                   f"stage 1 {fmt_time(st1)} ({100 * st1 / total:.0f} %), "
                   f"stage 2 warm {fmt_time(st2)} ({100 * st2 / total:.0f} %; "
                   f"stage 2 ÷ stage 1 = {st2 / st1:.2f}); "
                   f"ours (build, passing the LP, the score row, extraction, glue) {fmt_time(rest)} "
                   f"({100 * rest / total:.0f} %). "
                   f"The scipy backend: {fmt_time(e2e(r, 'scipy'))} "
                   f"({e2e(r, 'scipy') / total:.1f}× the highspy path; its stage 2 alone, cold, "
                   f"{fmt_time(r['stage2'].median)}).")
    out.append("")
    out.append("Timed inside the very `solve_model` runs of the table (each `Highs.run()` that "
               "`planner.solve` makes is clocked), so the shares add up.")
    return out


def memory_note(rows: list[dict]) -> list[str]:
    lines = [
        "What the memory figures can see. tracemalloc counts the allocations that go through "
        "Python's allocators: Python objects and NumPy/SciPy array buffers (NumPy reports its data "
        "allocations to tracemalloc), so the model's arrays, A, the triplets of the build, stage 1/2 "
        "cost vectors and the result are all in the peak. It cannot see memory that C/C++ code takes "
        "from malloc/new directly: HiGHS's own copy of the LP made by `passModel`, its presolved LP, "
        "factorisation and basis, and SciPy's HiGHS wrapper's copies. *RSS growth* (peak RSS of the "
        "process minus RSS before the build) sees everything, but also counts allocator pages not "
        "returned, and is page-granular; the gap between the two is mostly HiGHS.",
        "",
    ]
    for r in rows:
        if r["name"].startswith(("default", "large")):
            lines.append(
                f"- {r['name']}: A {fmt_bytes(r['a_bytes'])}; the built `LinearModel` holds "
                f"{fmt_bytes(r['mem_model'])} ({r['mem_model'] / r['a_bytes']:.1f}× A: A plus the "
                "variable-layout and row-block index arrays); peak during `build_model` "
                f"{fmt_bytes(r['mem_build_peak'])} ({r['mem_build_peak'] / r['a_bytes']:.1f}×: COO "
                "triplets and their CSR conversion); peak during `solve_model` "
                f"{fmt_bytes(r['mem_solve_peak'])} ({r['mem_solve_peak'] / r['a_bytes']:.1f}×, the "
                "model included); RSS growth "
                f"{fmt_bytes(r['rss_growth'])}.")
    lines.append("")
    return lines


def write_report(path: Path, env: dict, rows: list[dict], cross: list[dict], gui_result, args,
                 seconds: float, contention: list[dict] | None = None) -> str:
    gui_mod = _gui_module() if gui_result is not None else None
    gui_ok = isinstance(gui_result, dict)
    lines = [
        "# Mandate Planner benchmark results",
        "",
        f"Written by `{' '.join(['python bench/run.py', *args.argv])}` in {seconds / 60:.1f} min.",
        "",
        f"- Date: {env['date']}",
        f"- Machine: {env['platform']}; CPU: {env['cpu']}; CPUs: {env['cpus']}",
        f"- Python {env['python']}, NumPy {env['numpy']}, SciPy {env['scipy']}",
        f"- HiGHS: {env['highs']}",
        f"- PuLP {env['pulp']} (CBC bundled with PuLP); PySide6 {env['pyside6']}, "
        f"matplotlib {env['matplotlib']}",
        f"- Load average (1, 5, 15 min) at the start: {env['load']}; at the end: {_loadavg()} "
        "(other work on the 2 cores, tests among it, shows up as noise in the min–max ranges)",
        f"- Planner settings: backends {', '.join(S.BACKENDS)} (default {S.BACKENDS[0]}), "
        f"IPM_ABOVE = {S.IPM_ABOVE:,} variables, TIE_TOLERANCE = {S.TIE_TOLERANCE:g}",
        "",
        "Times are medians over the repeats (×N after the name) with min–max; one untimed warm-up call "
        "precedes the timed ones when N > 1. Generated scenarios come from `bench/generate.py` (seed 0).",
        "",
        "## Stages",
        "",
        *main_table(rows),
        "",
        "Columns: *HiGHS stage 1* is HiGHS alone on the built arrays (the floor no wrapper can beat), "
        "called two ways: SciPy's `linprog`, and `highspy` as the product calls it (a fresh `Highs`, "
        "`passModel` of the CSR arrays, `run`, `getSolution`), with its `run()` alone beside it. "
        "*Stage 2: scipy, cold* is `planner.solve._tidy` from stage 1's point (a second, cold "
        "`linprog`); *stage 2: highspy, warm run()* is the second `Highs.run()` inside the product's "
        "`solve_model` (primal simplex from stage 1's basis, after the score row is added). "
        "*solve_model* is both stages plus extraction, by each backend. *infeasible* is a variant with "
        "a 100 % floor on a need no force can meet: *detect* is the highspy stage-1 call that proves it "
        "infeasible, *diagnose* is `planner.diagnose.diagnose` (the elastic LP, by `linprog`), and "
        "*solve_model (infeasible)* is what the user waits for: detection, diagnosis and glue. "
        "*agree*: every score of the next table within 1e-6 relative.",
        "",
        *second_table(rows),
        "",
        "*Load at start*: the 1-minute load average when the row began (2 cores; other people's "
        "tests run on the same machine). "
        "*Ours* is median build + median solve_model. *(build + extract) / HiGHS* sets our own code "
        "against HiGHS's stage-1 `run()`. *Peak mem* is tracemalloc's peak over build + solve_model "
        "(highspy backend) in a fresh process; *built model* is what the `LinearModel` holds once "
        "built; *A* is the CSR matrix's data + indices + indptr (see the memory notes below). The PuLP "
        "model (`bench/pulp_model.py`) is written from MODEL.md independently of `planner.model` and "
        "solves stage 1 only; *CBC solve* includes PuLP writing the MPS file and starting CBC, as a "
        "PuLP user pays it. *Scores*: " + " / ".join([*rows[0]["scores"].keys(), "CBC"]) + ".",
        "",
        "## Targets",
        "",
        *targets(rows, gui_mod.targets(gui_result) if gui_ok else None),
        "",
        "## Where the time goes",
        "",
        *where_time_goes(rows),
        "",
        "## Memory",
        "",
        *memory_note(rows),
    ]
    if contention:
        lines += ["## Under contention: OpenBLAS threads against HiGHS", "", *contention_lines(contention)]
    if gui_result is not None:
        lines += ["## GUI", ""]
        if gui_ok:
            lines += [f"Load average (1, 5, 15 min): {gui_result['load']}.", ""]
            lines += gui_mod.report(gui_result)
        else:
            lines += [f"Not measured: {gui_result}", ""]
    if cross:
        text, _ = recommend_threshold(cross)
        lines += [
            "## Method crossover (highs-ds against highs-ipm)",
            "",
            "Stage 1 alone (`linprog`), and `solve_model` (highspy backend) with `IPM_ABOVE` forced so "
            "that stage 1 uses the method (stage 2 is the warm primal simplex either way). Generated "
            "scenarios of growing shape (C×R×T×P).",
            "",
            *crossover_table(cross),
            "",
            f"From these figures: {text}",
            "",
            "Caveat: the crossover depends on the LP family. `/work/shared/PERF-NOTES.md` measured another "
            "generated family where the dual simplex took 1.4 s at 12.8k variables and 179 s at 108k "
            "(IPM 0.33 s and 8.1 s). Check against real scenarios of the size in question before relying "
            "on one threshold.",
            "",
        ]
    text = "\n".join(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def _gui_module():
    from bench import gui

    return gui


# -- command line -------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description="Benchmark Mandate Planner's build, solve, diagnosis and GUI.")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: the default scenario, one bundled scenario and medium, 1 repeat; "
                        "the GUI with 1 cold start and a few slider moves")
    p.add_argument("--sizes", default=None,
                   help="comma-separated rows: default, bundled, small, medium, large or a bundled "
                        "scenario's name (default: default,bundled,medium,large)")
    p.add_argument("--repeat", type=int, default=None,
                   help="repeats for every row (default 7 small, 5 medium, 3 large)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report path (default {DEFAULT_OUT})")
    p.add_argument("--skip-pulp-large", action="store_true",
                   help="do not run PuLP + CBC on scenarios of 50k variables or more")
    p.add_argument("--no-pulp", action="store_true", help="no PuLP baseline at all")
    p.add_argument("--pulp-time-limit", type=float, default=1200.0, help="CBC time limit in seconds")
    p.add_argument("--no-crossover", action="store_true", help="skip the highs-ds / highs-ipm crossover")
    p.add_argument("--no-gui", action="store_true", help="skip the GUI part (bench/gui.py)")
    p.add_argument("--no-contention", action="store_true",
                   help="skip the contention probe (solve_model with the other core busy)")
    p.add_argument("--memprobe", help=argparse.SUPPRESS)
    p.add_argument("--contention-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.argv = list(argv)
    if args.repeat is not None and args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.memprobe:
        run_memprobe(args.memprobe)
        return 0
    if args.contention_child:
        run_contention_child()
        return 0
    t_start = time.perf_counter()
    default_sizes = "default,bundled,medium" if args.quick else "default,bundled,medium,large"
    sizes = (args.sizes or default_sizes).split(",")
    sizes = [s.strip() for s in sizes if s.strip()]

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    env = environment()
    cases = make_cases(sizes, args.repeat, args.quick)
    rows = []
    for case in cases:
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
    gui_result = None
    if not args.no_gui:
        try:
            load = _loadavg()
            gui_result = _gui_module().run(quick=args.quick, log=log)
            gui_result["load"] = f"{load} at the start, {_loadavg()} at the end"
        except Exception as exc:  # reported, and the run fails at the end
            gui_result = f"{type(exc).__name__}: {exc}"
            log(f"GUI benchmark failed: {gui_result}")
    write_report(args.out, env, rows, cross, gui_result, args, time.perf_counter() - t_start, contention)
    print("\n".join(main_table(rows)))
    print()
    print("\n".join(second_table(rows)))
    print()
    gui_ok = isinstance(gui_result, dict)
    print("\n".join(targets(rows, _gui_module().targets(gui_result) if gui_ok else None)))
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
