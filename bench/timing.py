"""Timing a call, and writing times and sizes for the tables.

Each figure is the median over the repeats (time.perf_counter) with the
min-max range; one untimed warm-up call first keeps first-call costs
(imports, caches) out of the medians.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field


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
