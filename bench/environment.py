"""What the benchmark ran on: the machine, its load, and the versions of what was measured."""

from __future__ import annotations

import datetime as _dt
import os
import platform
from importlib import metadata


def dist_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def pyside_version() -> str:
    """PySide6's version, whichever of its distributions is installed."""
    pyside = dist_version("PySide6")
    return dist_version("PySide6-Essentials") if pyside == "not installed" else pyside


def environment() -> dict:
    import numpy as np
    import scipy

    from planner.lp.highs import highs_version
    from planner.solve import BACKENDS

    try:
        from scipy.optimize._highspy import _core

        scipy_highs = f"{_core.HIGHS_VERSION_MAJOR}.{_core.HIGHS_VERSION_MINOR}.{_core.HIGHS_VERSION_PATCH}"
    except Exception:  # pragma: no cover - private module moved
        scipy_highs = "unknown"
    if "highspy" in BACKENDS:
        highs = (f"highspy {dist_version('highspy')} (HiGHS {highs_version()}): the product's default backend "
                 f"and every whole-unit search; SciPy's bundled HiGHS {scipy_highs}: linprog, the scipy backend "
                 "and the diagnosis")
    else:
        highs = f"highspy not installed; SciPy's bundled HiGHS {scipy_highs} for everything"
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpus": f"{os.cpu_count()} ({usable} usable)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "highs": highs,
        "pulp": dist_version("pulp"),
        "pyside6": pyside_version(),
        "matplotlib": dist_version("matplotlib"),
        "load": loadavg(),
    }


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover
        pass
    return platform.processor() or "unknown"


def load1() -> float | None:
    """The 1-minute load average, where the system has one."""
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover
        return None


def loadavg() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "unknown"
