"""Measure the warm sweep against cold solves (a benchmark, not a test).

    python bench/sweeps.py [--samples N] [--smaa N] [--scenario FILE]
    python bench/sweeps.py --whole N   (whole-unit smaa: brute force, exact, fast)
    python bench/sweeps.py --stability  (weight stability: the exact method against the grid)

Per-sample times on the same weight vectors (Dirichlet(1) samples, and
samples within 20 % of the current weights):

- cold: ``build_model`` + ``solve_model`` on a freshly built model, as a
  caller without the sweep solver would do it;
- cold, no rebuild: ``solve_model(model.with_weights(w))``;
- warm: :class:`SweepSolver`, the samples in the order they come, and in the
  warm-start order :func:`smaa` uses (nearest neighbour within chunks).

Each variant runs ``--repeat`` times, interleaved, and the median is kept, so
that other work on the machine weighs on all of them alike. Then a whole
``smaa`` run of ``--smaa`` samples with the default executor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cases import DEFAULT_SCENARIO, SCENARIOS  # noqa: E402
from planner.analyses import SweepSolver, sample_weights, smaa, weight_stability  # noqa: E402
from planner.analyses._sweep import make_chunks, usable_cpus  # noqa: E402  (not exported)
from planner.fileio import load_scenario  # noqa: E402
from planner.model import build_model  # noqa: E402
from planner.solve import solve_model  # noqa: E402

DEFAULT = SCENARIOS / f"{DEFAULT_SCENARIO}.json"


def _per_sample(fn, weights) -> float:
    t0 = time.perf_counter()
    fn(weights)
    return (time.perf_counter() - t0) / len(weights)


def measure(scenario, samples: int = 300, repeat: int = 3, seed: int = 0) -> dict:
    s = scenario
    model = build_model(s)
    ids = [t.id for t in s.tasks]

    def cold(W):
        for w in W:
            solve_model(build_model(s.with_weights(dict(zip(ids, map(float, w))))))

    def cold_no_rebuild(W):
        for w in W:
            solve_model(model.with_weights(w))

    def warm(W):
        solver = SweepSolver(model)
        for w in W:
            solver.solve_weights(w)

    def warm_ordered(W):
        solver = SweepSolver(model)
        for idx in make_chunks(W, 1):
            for w in W[idx]:
                solver.solve_weights(w)

    variants = {"cold": cold, "cold, no rebuild": cold_no_rebuild, "warm": warm,
                "warm, sweep order": warm_ordered}
    out = {}
    for mode in ("simplex", "around"):
        W = sample_weights(s, samples, mode, 0.2, seed)
        times = {k: [] for k in variants}
        for _ in range(repeat):
            for name, fn in variants.items():
                n = len(W) if name.startswith("warm") else min(len(W), 100)
                times[name].append(_per_sample(fn, W[:n]))
        out[mode] = {k: statistics.median(v) for k, v in times.items()}
    return out


def certified_against_resolved(scenario, samples: int, repeat: int = 3, seed: int = 0) -> dict:
    """Serial ``smaa`` certified and with ``exact_resolve``, interleaved; medians and the counts."""
    out = {}
    for mode in ("simplex", "around"):
        times = {"resolved": [], "certified": []}
        last = None
        for _ in range(repeat):
            for name in times:
                t0 = time.perf_counter()
                r = smaa(scenario, samples, mode, seed=seed, executor="serial", exact_resolve=name == "resolved")
                times[name].append(time.perf_counter() - t0)
                if name == "certified":
                    last = r
        out[mode] = {k: statistics.median(v) for k, v in times.items()} | {"result": last}
    return out


def whole_units_per_sample(scenario, samples: int, repeat: int = 3, seed: int = 0) -> dict:
    """Serial whole-unit ``smaa``: brute force (every sample by branch and bound), the exact
    and the fast pooled modes, interleaved; median seconds per sample and the last results."""
    runs = {"brute force": {"exact_resolve": True}, "exact": {"whole_units": "exact"},
            "fast": {"whole_units": "fast"}}
    times = {k: [] for k in runs}
    last = {}
    for _ in range(repeat):
        for name, kw in runs.items():
            t0 = time.perf_counter()
            last[name] = smaa(scenario, samples, "simplex", seed=seed, executor="serial", **kw)
            times[name].append((time.perf_counter() - t0) / samples)
    return {k: {"per_sample": statistics.median(v), "result": last[k]} for k, v in times.items()}


def stability_methods(scenario, repeat: int = 3) -> dict:
    """``weight_stability`` by the exact method and by the grid, interleaved; median seconds
    (in-process, ``time.perf_counter``) and the last results."""
    times = {"exact": [], "grid": []}
    last = {}
    for _ in range(repeat):
        for method in times:
            t0 = time.perf_counter()
            last[method] = weight_stability(scenario, method=method)
            times[method].append(time.perf_counter() - t0)
    return {k: {"seconds": statistics.median(v), "result": last[k]} for k, v in times.items()}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default=str(DEFAULT))
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--smaa", type=int, default=10_000)
    ap.add_argument("--certified", type=int, default=0, metavar="N",
                    help="also time N-sample smaa runs certified against re-solving every sample")
    ap.add_argument("--continuous", action="store_true", help="with whole units off (an LP)")
    ap.add_argument("--stability", action="store_true",
                    help="time weight stability: the exact method against the grid (medians of --repeat runs)")
    ap.add_argument("--whole", type=int, default=0, metavar="N",
                    help="time N-sample whole-unit smaa runs: brute force, exact and fast (per sample)")
    args = ap.parse_args(argv)
    s = load_scenario(args.scenario)
    if args.continuous:
        s = s.with_integer_units(False)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"{s.name}: {usable_cpus()} usable CPUs; load average {load}")
    if args.stability:
        rows = stability_methods(s, args.repeat)
        grid = rows["grid"]["seconds"]
        for name, row in rows.items():
            r = row["result"]
            ends = ", ".join(f"{x.task} {100 * x.low_share:.2f}-{100 * x.high_share:.2f}%" for x in r.ranges)
            print(f"stability {name:<5} {row['seconds'] * 1e3:9.1f} ms (grid / this = {grid / row['seconds']:.2f}x); "
                  f"{r.method_text}; {ends}")
        print(f"load average {os.getloadavg() if hasattr(os, 'getloadavg') else None}")
        return
    if args.whole:
        rows = whole_units_per_sample(s.with_integer_units(True), args.whole, args.repeat)
        brute = rows["brute force"]["per_sample"]
        for name, row in rows.items():
            r = row["result"]
            print(f"whole units, {args.whole} samples, {name:<11}: {row['per_sample'] * 1e3:7.1f} ms/sample "
                  f"(brute force / this = {brute / row['per_sample']:.2f}x); {r.method_text}")
        print(f"load average {os.getloadavg() if hasattr(os, 'getloadavg') else None}")
        return
    if args.certified:
        for mode, row in certified_against_resolved(s, args.certified, args.repeat).items():
            r = row["result"]
            print(f"smaa {args.certified} {mode}: re-solved {row['resolved']:.2f} s, certified "
                  f"{row['certified']:.2f} s (re-solved / certified = {row['resolved'] / row['certified']:.2f}x); "
                  f"{r.method_text}; per basis (most first): {r.basis_counts[:8]}")
        print(f"load average {os.getloadavg() if hasattr(os, 'getloadavg') else None}")
        return
    res = measure(s, args.samples, args.repeat)
    for mode, times in res.items():
        base = times["cold"]
        print(f"\nweights: {mode}")
        for name, t in times.items():
            print(f"  {name:<20} {t * 1e3:7.2f} ms/sample   cold / this = {base / t:5.2f}x")
    if args.smaa:
        t0 = time.perf_counter()
        r = smaa(s, args.smaa)
        print(f"\nsmaa({args.smaa}) with the default executor: {time.perf_counter() - t0:.1f} s "
              f"({r.ran_on}, {r.solved} solved)")
    print(f"load average at the end {os.getloadavg() if hasattr(os, 'getloadavg') else None}")


if __name__ == "__main__":
    main()
