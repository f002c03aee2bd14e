"""The method crossover: highs-ds against highs-ipm on a ladder of sizes, to check ``IPM_ABOVE``.

Stage 1 alone (``linprog``) by each method, and ``solve_model`` (highspy
backend) with stage 1 forced to each method (stage 2 is the warm primal
simplex either way), on the default scenario and generated scenarios of
growing shape (C×R×T×P).
"""

from __future__ import annotations

import functools
import json

from bench import generate as gen
from bench.cases import DEFAULT_NAME, DEFAULT_SCENARIO, scenario_text
from bench.environment import load1
from bench.highs import forced_stage1_method, linprog_stage1, solve_module
from bench.timing import timeit
from planner.fileio import loads_scenario
from planner.model import build_model

# Ladder: (C, R, T, P, effect density). Medium and large are the benchmark sizes;
# the others fill the gaps.
CROSSOVER_SHAPES = [
    (10, 9, 5, 4, 0.7),
    (14, 10, 6, 5, 0.8),
    gen.SIZES["medium"],
    (30, 20, 10, 6, 0.8),
    (40, 24, 12, 8, 0.7),
    gen.SIZES["large"],
]
CROSSOVER_TIME_LIMIT = 300.0  # a simplex that stalls must not take the run with it


def crossover(quick: bool, repeat: int | None, log, include_default=True) -> list[dict]:
    shapes = CROSSOVER_SHAPES[:3] if quick else CROSSOVER_SHAPES
    rows = []
    models = []
    if include_default:
        models.append((DEFAULT_NAME, build_model(loads_scenario(scenario_text(DEFAULT_SCENARIO)))))
    for C, R, T, P, dens in shapes:
        d = gen.generate(C, R, T, P, seed=0, effect_density=dens)
        models.append((f"{C}×{R}×{T}×{P}", build_model(loads_scenario(json.dumps(d)))))
    for name, m in models:
        n = m.n_vars
        reps = repeat or (1 if quick else (5 if n < 5000 else 3 if n < 40_000 else 1))
        warm = 1 if reps > 1 else 0
        row = {"name": name, "vars": n, "rows": m.A.shape[0], "nnz": m.A.nnz, "load": load1()}
        for method in ("highs-ds", "highs-ipm"):
            fn = functools.partial(linprog_stage1, m, method, {"time_limit": CROSSOVER_TIME_LIMIT})
            t, res = timeit(fn, reps, warm)
            row[method] = t
            row[method + "_ok"] = res.status == 0
        for label, method in (("both-ds", "highs-ds"), ("both-ipm", "highs-ipm")):
            t, _ = timeit(functools.partial(forced_stage1_method, m, method), reps, warm)
            row[label] = t
        log(f"  {name}: {n} vars: stage 1 ds {row['highs-ds'].cell()} ipm {row['highs-ipm'].cell()}; "
            f"solve_model ds {row['both-ds'].cell()} ipm {row['both-ipm'].cell()}")
        rows.append(row)
    return rows


def recommend_threshold(rows: list[dict]) -> tuple[str, int | None]:
    """The smallest size above which IPM wins everywhere (both stages), if any."""
    ipm_above = solve_module.IPM_ABOVE
    rows = sorted(rows, key=lambda r: r["vars"])
    ipm_wins = [r["both-ipm"].median < r["both-ds"].median and r["highs-ipm"].median < r["highs-ds"].median
                for r in rows]
    biggest = rows[-1]["vars"]
    if not any(ipm_wins):
        both = [r["both-ipm"].median / r["both-ds"].median for r in rows]
        text = (f"highs-ds was faster at every size measured ({rows[0]['vars']:,} to {biggest:,} variables; "
                f"solve_model {min(both):.1f}–{max(both):.1f}× faster than with stage 1 by highs-ipm). ")
        if ipm_above >= biggest:
            text += (f"IPM_ABOVE = {ipm_above:,} agrees: every size measured gets the dual simplex "
                     "(sizes above it are not measured here).")
        else:
            text += (f"IPM_ABOVE = {ipm_above:,} routes the sizes above it to the method that lost here: "
                     f"on this family, raise it above {biggest:,}.")
        return text, None
    first = next((i for i in range(len(rows)) if all(ipm_wins[i:])), None)
    if first is None:  # IPM won somewhere, but not at the largest size: no crossover to set
        won = ", ".join(f"{r['vars']:,}" for r, w in zip(rows, ipm_wins) if w)
        return (f"highs-ipm won only at {won} variables, highs-ds at the largest ({biggest:,}): no size "
                f"above which IPM wins everywhere; IPM_ABOVE = {ipm_above:,} left as it is."), None
    if first == 0:
        return "highs-ipm was faster at every size measured.", 0
    below, above = rows[first - 1]["vars"], rows[first]["vars"]
    thr = int(round((below + above) / 2, -3))
    return (f"highs-ipm wins from {above:,} variables on, highs-ds up to {below:,}: "
            f"IPM_ABOVE ≈ {thr:,} (now {ipm_above:,})."), thr
