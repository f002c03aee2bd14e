"""Memory of build + solve_model, measured in a fresh process.

tracemalloc's peak over ``build_model`` + ``solve_model`` (default backend),
set against the constraint matrix's own size (A.data + A.indices + A.indptr),
with the built model's size and the peak RSS growth (what each can see:
``bench/report.py``, ``memory_note``).

    python -m bench.memory SCENARIO.json    # the child: prints one JSON line
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def memory_probe(text: str) -> dict:
    """The figures for the scenario file text ``text``, from a child process."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        fh.write(text)
        path = fh.name
    try:
        out = subprocess.run([sys.executable, "-m", "bench.memory", path],
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


def main(path: str) -> None:
    """Child process: tracemalloc peaks and RSS growth of build + solve_model (default backend)."""
    import resource
    import tracemalloc

    from bench.cases import DEFAULT_SCENARIO, SCENARIOS
    from planner.fileio import load_scenario
    from planner.model import build_model
    from planner.solve import solve_model

    warm = build_model(load_scenario(SCENARIOS / f"{DEFAULT_SCENARIO}.json"))
    solve_model(warm)  # first-call costs (lazy imports) out of the measurement
    s = load_scenario(path)
    del warm
    gc.collect()
    rss0 = _rss_now()
    tracemalloc.start()
    m = build_model(s)
    model_bytes, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    r = solve_model(m)
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


if __name__ == "__main__":
    main(sys.argv[1])
