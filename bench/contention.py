"""Contention: solve_model with the other core busy, OpenBLAS's idle threads against HiGHS.

``solve_model`` (default backend) on the medium scenario, median of 7, in fresh
processes: the other core idle or kept busy by a spinning process, each with
NumPy's OpenBLAS as shipped and with ``OPENBLAS_NUM_THREADS=1``. Not in
``--quick``.

    python -m bench.contention    # the child: prints one JSON line
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.environment import load1
from bench.timing import fmt_time

ROOT = Path(__file__).resolve().parent.parent
CONTENTION_SIZE = "medium"
BLAS_SETTINGS = (("OpenBLAS as shipped", {}), ("OPENBLAS_NUM_THREADS=1", {"OPENBLAS_NUM_THREADS": "1"}))


def contention_probe(log) -> list[dict]:
    """One row per (other core idle or busy, OpenBLAS setting), each from a fresh process."""
    out = []

    def child(env_extra):
        env = dict(os.environ, **env_extra)
        proc = subprocess.run([sys.executable, "-m", "bench.contention"],
                              capture_output=True, text=True, check=True, cwd=str(ROOT), env=env)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    for busy in (False, True):
        burner = None
        if busy:  # one core kept busy, as by the GUI thread drawing or another program
            burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            for label, env_extra in BLAS_SETTINGS:
                r = child(env_extra)
                r.update(busy=busy, blas=label, load=load1())
                out.append(r)
                log(f"  other core {'busy' if busy else 'idle'}, {label}: solve_model "
                    f"{fmt_time(r['solve_model'])} (HiGHS stage 1 {fmt_time(r['stage1'])}, "
                    f"stage 2 {fmt_time(r['stage2'])})")
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
    return out


def main() -> None:
    """Child process: medians of solve_model (default backend) on the medium scenario."""
    from bench import generate as gen
    from bench.highs import HighsRunClock, clocked_solves
    from bench.timing import timeit
    from planner.fileio import loads_scenario
    from planner.model import build_model

    m = build_model(loads_scenario(json.dumps(gen.generate_size(CONTENTION_SIZE, seed=0))))
    with HighsRunClock() as clock:
        t, _ = timeit(clocked_solves(m, clock), 7, 1)
    runs = clock.per_run(7)
    print(json.dumps({"solve_model": t.median, "stage1": runs[0].median, "stage2": runs[1].median}))


if __name__ == "__main__":
    main()
