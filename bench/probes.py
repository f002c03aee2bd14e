"""What is timed on each scenario (one row of the tables).

- validate: ``loads_scenario`` on the file text (parse, schema, references);
- build: ``build_model``;
- HiGHS stage 1 ("the HiGHS floor"), HiGHS alone on the built arrays, with the
  method the planner picks: SciPy's ``linprog`` call, and the same LP through
  ``highspy`` (the planner's path: ``Highs()``, ``passModel``, ``run``,
  ``getSolution``), with ``run()`` alone beside it (``bench/highs.py``);
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
- memory: ``bench/memory.py``, in a fresh process;
- PuLP: the same model written plainly in PuLP (``bench/pulp_model.py``, stage 1
  only), build and CBC solve (``PULP_CBC_CMD(msg=False)``) timed separately.
"""

from __future__ import annotations

import functools
import gc
import json
import time

from bench import generate as gen
from bench.cases import Case
from bench.environment import load1
from bench.highs import (
    HAVE_HIGHSPY,
    HighsRunClock,
    clocked_solves,
    collect_runs,
    highspy_stage1,
    linprog_stage1,
    solve_module,
    stage1_method,
)
from bench.memory import memory_probe
from bench.timing import Timing, fmt_bytes, timeit
from planner.diagnose import diagnose
from planner.fileio import loads_scenario
from planner.model import build_model
from planner.solve import BACKENDS, DEFAULT_TIME_LIMIT, extract, solve_model


def measure(case: Case, args, log) -> dict:
    reps = case.repeats
    warm = 1 if reps > 1 else 0  # first-call costs (imports, caches) out of the medians
    row: dict = {"name": case.name, "repeats": reps, "load": load1()}

    t, s = timeit(functools.partial(loads_scenario, case.text, source=case.name), reps, warm)
    row["validate"] = t
    t, m = timeit(functools.partial(build_model, s), reps, warm)
    row["build"] = t
    measure_model(m, row, reps, warm, log)
    del m
    measure_infeasible(case, row, reps, warm, log)

    row.update(memory_probe(case.text))
    log(f"  memory: tracemalloc peak {fmt_bytes(row['mem_peak'])} (model {fmt_bytes(row['mem_model'])}), "
        f"A {fmt_bytes(row['a_bytes'])}, RSS growth {fmt_bytes(row['rss_growth'])}")

    gc.collect()
    if args.no_pulp or (args.skip_pulp_large and is_large(row)) or not pulp_available():
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
    method = stage1_method(m)
    row["method"] = method
    log(f"  {m.n_vars} vars ({m.n_x} x), {m.A.shape[0]} rows, {m.A.nnz} nonzeros; stage 1 by {method}")

    t, res = timeit(functools.partial(linprog_stage1, m, method), reps, warm)
    if res.status != 0:
        raise RuntimeError(f"{row['name']}: stage 1 did not solve: {res.message}")
    row["highs"] = t
    row["score_highs"] = float(-res.fun)
    log(f"  HiGHS stage 1 by linprog {t.cell()}")

    # Stage 1 alone is the LP: with whole units its score is the relaxation's, not the plan's.
    integer = bool(m.integrality.any())
    scores = {} if integer else {"linprog": row["score_highs"]}
    if HAVE_HIGHSPY:
        runs: list[float] = []
        t, one = timeit(collect_runs(functools.partial(highspy_stage1, m), runs), reps, warm)
        if one.status != "optimal":
            raise RuntimeError(f"{row['name']}: highspy stage 1 gave {one.status}")
        row["highs_py"] = t
        row["highs_py_run"] = Timing(runs[-reps:])
        row["score_highs_py"] = float(m.score_coef @ one.x)
        if not integer:
            scores["highspy"] = row["score_highs_py"]
        log(f"  HiGHS stage 1 by highspy {t.cell()}, run() {row['highs_py_run'].cell()}")

    t, v2 = timeit(functools.partial(solve_module._tidy, m, m.b, res.x, False, DEFAULT_TIME_LIMIT), reps, warm)
    row["stage2"] = t
    log(f"  stage 2 (scipy, cold) {t.cell()}")

    for backend in BACKENDS:
        key = "full_" + backend
        if backend == "highspy":
            with HighsRunClock() as clock:
                t, result = timeit(clocked_solves(m, clock, backend="highspy"), reps, warm)
            row["in_full"] = clock.per_run(len(t.samples))
        else:
            t, result = timeit(functools.partial(solve_model, m, backend=backend), reps, warm)
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
    t, _ = timeit(functools.partial(extract, m, m.b, v2, duals, "optimal", "optimal"), reps, warm)
    row["extract"] = t


def measure_infeasible(case: Case, row: dict, reps: int, warm: int, log) -> None:
    """The infeasible variant: the proof of infeasibility, the diagnosis, solve_model on it."""
    bad = loads_scenario(json.dumps(gen.infeasible_variant(json.loads(case.text))))
    mb = build_model(bad)
    if HAVE_HIGHSPY:
        t, sol = timeit(functools.partial(highspy_stage1, mb), reps, warm)
    else:
        t, sol = timeit(functools.partial(solve_module._maximise, mb, mb.b, False, DEFAULT_TIME_LIMIT),
                        reps, warm)
    row["detect"] = t
    row["detect_ok"] = sol.status == "infeasible"
    t, problems = timeit(functools.partial(diagnose, mb), reps, warm)
    row["diagnose"] = t
    row["diagnose_ok"] = any(p.key == "impossible-floor" for p in problems)
    t, res = timeit(functools.partial(solve_model, mb), reps, warm)
    row["infeasible_full"] = t
    row["detect_ok"] = row["detect_ok"] and res.status == "infeasible"
    log(f"  infeasible: detect {row['detect'].cell()}, diagnose {row['diagnose'].cell()} "
        f"({len(problems)} problems, names the floor: {row['diagnose_ok']}), solve_model {t.cell()}")


def is_large(row) -> bool:
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
