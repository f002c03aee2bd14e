"""Benchmark of Mandate Planner: where the time and memory of a solve go.

    python bench/run.py [--quick] [--sizes default,bundled,medium,large] [--repeat N]
                        [--out PATH] [--skip-pulp-large] [--no-pulp] [--no-crossover]

Prints one table and writes ``bench/RESULTS.md`` (or ``--out``). Rows: the
default scenario, the other bundled scenarios, and generated scenarios of
medium (~10k x-variables) and large (>= 100k variables) size
(``bench/generate.py``). Each time is the median over the repeats with the
min-max range (time.perf_counter):

- validate: ``loads_scenario`` on the file text (parse, schema, references);
- build: ``build_model``;
- HiGHS stage 1 ("the HiGHS floor"): SciPy's ``linprog`` call alone on the built
  arrays, with the method the planner picks (``IPM_ABOVE``);
- stage 2: ``planner.solve._tidy`` (same score, fewest units), from stage 1's point;
- solve_model: both stages and the extraction, as the product runs them;
- extract: ``planner.solve.extract`` on a solved vector;
- infeasible: a variant with an impossible floor (``generate.infeasible_variant``):
  the stage-1 call that proves it infeasible, then ``planner.diagnose.diagnose``;
- memory: tracemalloc's peak over build + solve_model (a fresh process), against
  the constraint matrix's own size (A.data + A.indices + A.indptr); HiGHS's own
  C++ memory is invisible to tracemalloc, so the peak RSS growth is shown beside;
- PuLP: the same model written plainly in PuLP (``bench/pulp_model.py``, stage 1
  only), build and CBC solve (``PULP_CBC_CMD(msg=False)``) timed separately; the
  three optimum scores (HiGHS stage 1, solve_model, CBC) must agree to 1e-6.

Then the method crossover: stage 1 (and both stages) with ``highs-ds`` against
``highs-ipm`` on a ladder of generated sizes, to set ``IPM_ABOVE``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
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


class LinprogClock:
    """Times every ``linprog`` call that ``planner.solve`` makes, while active.

    Inside ``solve_model`` call 1 is stage 1 and call 2 is stage 2: HiGHS's share
    of the very runs that are timed, without a second measurement.
    """

    def __init__(self):
        self.calls: list[float] = []
        self.starts: list[int] = []

    def __enter__(self):
        self._saved = S.linprog
        inner = self._saved

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.calls.append(time.perf_counter() - t0)

        S.linprog = timed
        return self

    def __exit__(self, *exc):
        S.linprog = self._saved
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


# -- versions -----------------------------------------------------------------


def environment() -> dict:
    from importlib import metadata

    try:
        from scipy.optimize._highspy import _core

        scipy_highs = f"{_core.HIGHS_VERSION_MAJOR}.{_core.HIGHS_VERSION_MINOR}.{_core.HIGHS_VERSION_PATCH}"
    except Exception:  # pragma: no cover - private module moved
        scipy_highs = "unknown"

    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpus": f"{os.cpu_count()} ({usable} usable)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "highs": f"{scipy_highs} (SciPy's bundled HiGHS, used by the planner); highspy {version('highspy')}",
        "pulp": version("pulp"),
        "load": _loadavg(),
    }


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
            reps = repeat or (1 if quick else {"small": 7, "medium": 3, "large": 1}[token])
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
    row: dict = {"name": case.name, "repeats": reps}

    t, s = timeit(lambda: loads_scenario(case.text, source=case.name), reps, warm)
    row["validate"] = t
    t, m = timeit(lambda: build_model(s), reps, warm)
    row["build"] = t
    row["shape"] = (m.n_vars, m.n_x, m.A.shape[0], m.A.nnz)
    method = S._lp_method(m)
    row["method"] = method
    log(f"  {m.n_vars} vars ({m.n_x} x), {m.A.shape[0]} rows, {m.A.nnz} nonzeros; stage 1 by {method}")

    bounds = np.column_stack([m.lower, m.upper])
    cost1 = -m.score_coef
    t, res = timeit(lambda: quiet_linprog(cost1, A_ub=m.A, b_ub=m.b, bounds=bounds, method=method),
                    reps, warm)
    if res.status != 0:
        raise RuntimeError(f"{case.name}: stage 1 did not solve: {res.message}")
    row["highs"] = t
    row["score_highs"] = float(-res.fun)
    log(f"  HiGHS stage 1 {t.cell()}")

    t, v2 = timeit(lambda: S._tidy(m, m.b, res.x, False, S.DEFAULT_TIME_LIMIT), reps, warm)
    row["stage2"] = t
    log(f"  stage 2 {t.cell()}")

    with LinprogClock() as clock:
        t, result = timeit(lambda: (clock.mark(), S.solve_model(m))[1], reps, warm)
    if result.status != "optimal":
        raise RuntimeError(f"{case.name}: solve_model gave {result.status}: {result.message}")
    row["full"] = t
    row["in_full"] = clock.per_run(len(t.samples))
    row["score_ours"] = float(result.score)
    log(f"  solve_model {t.cell()}; inside it, linprog: "
        + ", ".join(f"call {i + 1} {x.cell()}" for i, x in enumerate(row["in_full"])))

    duals = res.ineqlin.marginals
    t, _ = timeit(lambda: S.extract(m, m.b, v2, duals, "optimal", "optimal"), reps, warm)
    row["extract"] = t

    # infeasible variant: proof of infeasibility (stage 1) and the diagnosis
    bad = loads_scenario(json.dumps(gen.infeasible_variant(json.loads(case.text))))
    mb = build_model(bad)
    t, sol = timeit(lambda: S._maximise(mb, mb.b, False, S.DEFAULT_TIME_LIMIT), reps, warm)
    row["detect"] = t
    row["detect_ok"] = sol.status == "infeasible"
    t, problems = timeit(lambda: diagnose(mb), reps, warm)
    row["diagnose"] = t
    row["diagnose_ok"] = any(p.key == "impossible-floor" for p in problems)
    log(f"  infeasible: detect {row['detect'].cell()}, diagnose {t.cell()} "
        f"({len(problems)} problems, names the floor: {row['diagnose_ok']})")

    row.update(memory_probe(case))
    log(f"  memory: tracemalloc peak {fmt_bytes(row['mem_peak'])}, A {fmt_bytes(row['a_bytes'])}, "
        f"RSS growth {fmt_bytes(row['rss_growth'])}")

    del m, mb, res, result
    gc.collect()
    if args.no_pulp or (args.skip_pulp_large and m_is_large(row)) or not pulp_available():
        row["pulp_build"] = row["pulp_solve"] = None
        row["score_cbc"] = None
        row["pulp_status"] = "skipped" if pulp_available() else "PuLP not installed"
    else:
        row.update(pulp_case(s, reps, args.pulp_time_limit))
        log(f"  PuLP build {row['pulp_build'].cell()}, CBC {row['pulp_solve'].cell()} ({row['pulp_status']})")
    return row


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
    """Child process: tracemalloc peak and RSS growth of build + solve_model."""
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
    r = S.solve_model(m)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    a_bytes = m.A.data.nbytes + m.A.indices.nbytes + m.A.indptr.nbytes
    print(json.dumps({
        "mem_peak": peak, "a_bytes": a_bytes,
        "rss_growth": None if rss0 is None else max(0, maxrss - rss0),
        "mem_status": r.status,
    }))


# -- method crossover ---------------------------------------------------------


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
    saved = S.IPM_ABOVE
    try:
        for name, m in models:
            n = m.n_vars
            reps = repeat or (1 if quick else (5 if n < 5000 else 3 if n < 40_000 else 1))
            warm = 1 if reps > 1 else 0
            bounds = np.column_stack([m.lower, m.upper])
            row = {"name": name, "vars": n, "rows": m.A.shape[0], "nnz": m.A.nnz}
            for method in ("highs-ds", "highs-ipm"):
                t, res = timeit(lambda: quiet_linprog(
                    -m.score_coef, A_ub=m.A, b_ub=m.b, bounds=bounds, method=method,
                    options={"time_limit": CROSSOVER_TIME_LIMIT}), reps, warm)
                row[method] = t
                row[method + "_ok"] = res.status == 0
            for label, threshold in (("both-ds", 10**12), ("both-ipm", -1)):
                S.IPM_ABOVE = threshold
                t, r = timeit(lambda: S.solve_model(m), reps, warm)
                row[label] = t
            S.IPM_ABOVE = saved
            log(f"  {name}: {n} vars: stage 1 ds {row['highs-ds'].cell()} ipm {row['highs-ipm'].cell()}; "
                f"both stages ds {row['both-ds'].cell()} ipm {row['both-ipm'].cell()}")
            rows.append(row)
    finally:
        S.IPM_ABOVE = saved
    return rows


def recommend_threshold(rows: list[dict]) -> tuple[str, int | None]:
    """The smallest size above which IPM wins everywhere (both stages), if any."""
    rows = sorted(rows, key=lambda r: r["vars"])
    ipm_wins = [r["both-ipm"].median < r["both-ds"].median and r["highs-ipm"].median < r["highs-ds"].median
                for r in rows]
    if not any(ipm_wins):
        biggest = rows[-1]["vars"]
        both = [r["both-ipm"].median / r["both-ds"].median for r in rows]
        return (f"highs-ds was faster at every size measured ({rows[0]['vars']:,} to {biggest:,} variables; "
                f"both stages {min(both):.1f}–{max(both):.1f}× faster than with highs-ipm). "
                f"IPM_ABOVE = {S.IPM_ABOVE:,} routes every size above {S.IPM_ABOVE:,} to the method that "
                f"lost here: on this family, raise it above {biggest:,} (no crossover below that), "
                "minding the caveat below."), None
    first = next(i for i in range(len(rows)) if all(ipm_wins[i:]))
    if first == 0:
        return "highs-ipm was faster at every size measured.", 0
    below, above = rows[first - 1]["vars"], rows[first]["vars"]
    thr = int(round((below + above) / 2, -3))
    return (f"highs-ipm wins from {above:,} variables on, highs-ds up to {below:,}: "
            f"IPM_ABOVE ≈ {thr:,}."), thr


# -- report -------------------------------------------------------------------


def e2e(row) -> float:
    return row["build"].median + row["full"].median


def pulp_total(row) -> float | None:
    if row.get("pulp_build") is None:
        return None
    return row["pulp_build"].median + row["pulp_solve"].median


def scores_agree(row) -> bool | None:
    scores = [row["score_highs"], row["score_ours"]]
    if row.get("score_cbc") is not None:
        scores.append(row["score_cbc"])
    return all(rel_diff(a, b) <= REL_TOL for a in scores for b in scores)


def main_table(rows: list[dict]) -> list[str]:
    head = ["scenario", "vars / rows / nnz", "stage-1 method", "validate", "build", "HiGHS stage 1",
            "stage 2", "solve_model (both stages)", "extract", "infeasible: detect", "diagnose",
            "peak mem / A (×)", "RSS growth", "(build+extract) / HiGHS", "ours: build + solve_model",
            "PuLP build", "CBC solve", "PuLP+CBC ÷ ours", "score HiGHS / ours / CBC", "agree ≤1e-6"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        n, nx, nr, nnz = r["shape"]
        ours_share = (r["build"].median + r["extract"].median) / r["highs"].median
        pt = pulp_total(r)
        cbc = "–" if r.get("score_cbc") is None else f"{r['score_cbc']:.7f}"
        agree = scores_agree(r)
        cells = [
            f"{r['name']} ×{r['repeats']}",
            f"{n:,} / {nr:,} / {nnz:,}",
            r["method"],
            r["validate"].cell(), r["build"].cell(), r["highs"].cell(), r["stage2"].cell(),
            r["full"].cell(), r["extract"].cell(),
            r["detect"].cell() + ("" if r["detect_ok"] else " (NOT infeasible!)"),
            r["diagnose"].cell() + ("" if r["diagnose_ok"] else " (floor not named!)"),
            f"{fmt_bytes(r['mem_peak'])} / {fmt_bytes(r['a_bytes'])} ({r['mem_peak'] / r['a_bytes']:.1f}×)",
            fmt_bytes(r["rss_growth"]),
            f"{100 * ours_share:.1f} %",
            fmt_time(e2e(r)),
            "–" if r.get("pulp_build") is None else r["pulp_build"].cell(),
            "–" if r.get("pulp_solve") is None else r["pulp_solve"].cell()
            + ("" if r["pulp_status"] == "Optimal" else f" ({r['pulp_status']})"),
            "–" if pt is None else f"{pt / e2e(r):.1f}×",
            f"{r['score_highs']:.7f} / {r['score_ours']:.7f} / {cbc}",
            "yes" if agree else "NO",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def crossover_table(rows: list[dict]) -> list[str]:
    lines = ["| LP | vars / rows / nnz | stage 1 highs-ds | stage 1 highs-ipm | ipm ÷ ds | "
             "both stages, ds | both stages, ipm | ipm ÷ ds |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        def cell(key):
            return r[key].cell() + ("" if r.get(key + "_ok", True) else " (stopped)")
        lines.append(
            f"| {r['name']} | {r['vars']:,} / {r['rows']:,} / {r['nnz']:,} | {cell('highs-ds')} | "
            f"{cell('highs-ipm')} | {r['highs-ipm'].median / r['highs-ds'].median:.2f} | "
            f"{r['both-ds'].cell()} | {r['both-ipm'].cell()} | "
            f"{r['both-ipm'].median / r['both-ds'].median:.2f} |")
    return lines


def targets(rows: list[dict]) -> list[str]:
    out = []

    def met(ok):
        return "**met**" if ok else "**not met**"

    default = next((r for r in rows if r["name"].startswith("default")), None)
    if default:
        ms = 1e3 * e2e(default)
        out.append(f"- Default scenario build + solve ≤ {TARGET_DEFAULT_MS:g} ms (median build + median "
                   f"solve_model): {ms:.1f} ms ({1e3 * default['build'].median:.2f} + "
                   f"{1e3 * default['full'].median:.1f}) — {met(ms <= TARGET_DEFAULT_MS)}.")
    else:
        out.append("- Default scenario build + solve: not measured in this run.")
    large = [r for r in rows if r["name"].startswith("large")]
    if large:
        r = large[0]
        share = (r["build"].median + r["extract"].median) / r["highs"].median
        pct = 100 * TARGET_OURS_SHARE
        out.append(f"- Build + extraction ≤ {pct:g} % of HiGHS's solve at the large size "
                   "(HiGHS stage 1 alone): "
                   f"{1e3 * r['build'].median:.0f} ms + {1e3 * r['extract'].median:.0f} ms against "
                   f"{r['highs'].median:.2f} s = {100 * share:.1f} % — {met(share <= TARGET_OURS_SHARE)}.")
    else:
        out.append("- Build + extraction at the large size: not measured in this run.")
    ratios = [(r["name"], r["mem_peak"] / r["a_bytes"]) for r in rows]
    ok = all(x <= TARGET_MEMORY_RATIO for _, x in ratios)
    worst = max(ratios, key=lambda t: t[1])
    out.append(f"- Memory (tracemalloc peak of build + solve_model) within {TARGET_MEMORY_RATIO:g}× the "
               f"matrix's own size: " + ", ".join(f"{n.split(' ')[0]} {x:.1f}×" for n, x in ratios)
               + f" — {met(ok)} (worst: {worst[0]}).")
    speed = [(r["name"], pulp_total(r) / e2e(r)) for r in rows if pulp_total(r) is not None]
    if speed:
        ok = all(x >= TARGET_PULP_SPEEDUP for _, x in speed)
        skipped = [r["name"] for r in rows if pulp_total(r) is None]
        out.append(f"- End to end ≥ {TARGET_PULP_SPEEDUP:g}× faster than PuLP + CBC at every size "
                   "(ours: build + both stages + extraction; theirs: build + stage 1 only): "
                   + ", ".join(f"{n.split(' ')[0]} {x:.1f}×" for n, x in speed)
                   + f" — {met(ok and not skipped)}"
                   + (f" (PuLP skipped for {', '.join(skipped)})" if skipped else "") + ".")
    else:
        out.append("- End to end against PuLP + CBC: not measured in this run.")
    return out


def where_time_goes(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        total = e2e(r)
        calls = r.get("in_full") or []
        if len(calls) < 2:
            continue
        st1, st2 = calls[0].median, calls[1].median
        rest = total - st1 - st2
        out.append(f"- {r['name']}: of {fmt_time(total)} (build + solve_model), HiGHS's two `linprog` calls "
                   f"take {100 * (st1 + st2) / total:.0f} %: "
                   f"stage 1 {fmt_time(st1)} ({100 * st1 / total:.0f} %), "
                   f"stage 2 {fmt_time(st2)} ({100 * st2 / total:.0f} %; "
                   f"stage 2 ÷ stage 1 = {st2 / st1:.2f}); "
                   f"ours (build, stage 2's matrix, extraction, glue) {fmt_time(rest)} "
                   f"({100 * rest / total:.0f} %).")
    out.append("")
    out.append("Timed inside the very `solve_model` runs of the table (each `linprog` call that "
               "`planner.solve` makes is clocked), so the shares add up.")
    return out


def write_report(path: Path, env: dict, rows: list[dict], cross: list[dict], args, seconds: float) -> str:
    lines = [
        "# Mandate Planner benchmark results",
        "",
        f"Written by `{' '.join(['python bench/run.py', *args.argv])}` in {seconds / 60:.1f} min.",
        "",
        f"- Date: {env['date']}",
        f"- Machine: {env['platform']}; CPUs: {env['cpus']}",
        f"- Python {env['python']}, NumPy {env['numpy']}, SciPy {env['scipy']}",
        f"- HiGHS: {env['highs']}",
        f"- PuLP {env['pulp']} (CBC bundled with PuLP)",
        f"- Load average (1, 5, 15 min) at the start: {env['load']}; at the end: {_loadavg()} "
        "(other work on the machine shows up as noise in the min–max ranges)",
        f"- Planner settings: IPM_ABOVE = {S.IPM_ABOVE:,} variables, TIE_TOLERANCE = {S.TIE_TOLERANCE:g}",
        "",
        "Times are medians over the repeats (×N after the name) with min–max; one untimed warm-up call "
        "precedes the timed ones when N > 1. Generated scenarios come from `bench/generate.py` (seed 0).",
        "",
        "## Stages",
        "",
        *main_table(rows),
        "",
        "Columns: *HiGHS stage 1* is SciPy's `linprog` call alone on the built arrays (the floor no "
        "wrapper can beat); *stage 2* is `planner.solve._tidy` from stage 1's point (a second, cold "
        "`linprog`); *solve_model* is both stages plus extraction as the product runs them; *infeasible* "
        "is a variant with a 100 % floor on a need no force can meet: *detect* is the stage-1 call that "
        "proves it infeasible, *diagnose* is `planner.diagnose.diagnose` (the elastic LP). *Peak mem* is "
        "tracemalloc's peak over build + solve_model in a fresh process; it sees NumPy/SciPy arrays but "
        "not HiGHS's C++ heap, which *RSS growth* (peak RSS minus RSS before the build) includes. *A* is "
        "the CSR matrix's data + indices + indptr. The PuLP model (`bench/pulp_model.py`) is written "
        "from MODEL.md independently of `planner.model` and solves stage 1 only; *CBC solve* includes "
        "PuLP writing the MPS file and starting CBC, as a PuLP user pays it.",
        "",
        "## Targets",
        "",
        *targets(rows),
        "",
        "## Where the time goes",
        "",
        *where_time_goes(rows),
        "",
    ]
    if cross:
        text, _ = recommend_threshold(cross)
        lines += [
            "## Method crossover (highs-ds against highs-ipm)",
            "",
            "Stage 1 alone (`linprog`), and both stages through `solve_model` with `IPM_ABOVE` forced "
            "so that both stages use the method. Generated scenarios of growing shape (C×R×T×P).",
            "",
            *crossover_table(cross),
            "",
            f"Recommendation from these figures: {text}",
            "",
            "Caveat: the crossover depends on the LP family. `/work/shared/PERF-NOTES.md` measured another "
            "generated family where the dual simplex took 1.4 s at 12.8k variables and 179 s at 108k "
            "(IPM 0.33 s and 8.1 s). Check against real scenarios of the size in question before relying "
            "on one threshold.",
            "",
        ]
    lines += [
        "## See also",
        "",
        "`python bench/whatif.py --out bench/WHATIF.md` measures the fixes recommended for `planner/` "
        "(both stages in one highspy instance with a warm-started stage 2, the method threshold, a "
        "leaner triplet build) against `solve_model`, with the same checks of the optimum.",
        "",
    ]
    text = "\n".join(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


# -- command line -------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description="Benchmark Mandate Planner's build, solve and diagnosis.")
    p.add_argument("--quick", action="store_true",
                   help="smoke test: the default scenario, one bundled scenario and medium, 1 repeat")
    p.add_argument("--sizes", default=None,
                   help="comma-separated rows: default, bundled, small, medium, large or a bundled "
                        "scenario's name (default: default,bundled,medium,large)")
    p.add_argument("--repeat", type=int, default=None,
                   help="repeats for every row (default 7 small, 3 medium, 1 large)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report path (default {DEFAULT_OUT})")
    p.add_argument("--skip-pulp-large", action="store_true",
                   help="do not run PuLP + CBC on scenarios of 50k variables or more (minutes)")
    p.add_argument("--no-pulp", action="store_true", help="no PuLP baseline at all")
    p.add_argument("--pulp-time-limit", type=float, default=1200.0, help="CBC time limit in seconds")
    p.add_argument("--no-crossover", action="store_true", help="skip the highs-ds / highs-ipm crossover")
    p.add_argument("--memprobe", help=argparse.SUPPRESS)
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
    write_report(args.out, env, rows, cross, args, time.perf_counter() - t_start)
    print("\n".join(main_table(rows)))
    print()
    print("\n".join(targets(rows)))
    if cross:
        print()
        print("Method crossover: " + recommend_threshold(cross)[0])
    log(f"written {args.out} in {(time.perf_counter() - t_start) / 60:.1f} min")
    bad = [r["name"] for r in rows if not scores_agree(r) or not r["detect_ok"]]
    if bad:
        log(f"scores disagree or the infeasible variant was not infeasible: {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
