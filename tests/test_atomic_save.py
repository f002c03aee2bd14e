"""A save killed half-way leaves the old file whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner import load_scenario, save_scenario

ROOT = Path(__file__).resolve().parent.parent

WRITER = r"""
import sys, dataclasses
sys.path.insert(0, sys.argv[1])
from planner import load_scenario, save_scenario
s = load_scenario(sys.argv[2])
big = dataclasses.replace(s, sources=tuple("x" * 2000 for _ in range(2000)))  # a slow write
open(sys.argv[4], "w").close()  # ready
while True:
    save_scenario(big, sys.argv[3])
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path, default_path):
    target = tmp_path / "plan.json"
    old = load_scenario(default_path)
    save_scenario(old, target)
    ready = tmp_path / "ready"
    interrupted = 0  # kills that landed inside a save (its temporary file is left behind)
    for attempt in range(20):
        if interrupted >= 3:
            break
        delay = 0.01 + 0.013 * attempt
        ready.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(ROOT), str(default_path), str(target),
                                 str(ready)])
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        s = load_scenario(target)  # whole: the old scenario or the new one, never half
        assert s == old or len(s.sources) == 2000
        interrupted = len(list(tmp_path.glob(".plan.json.*.tmp")))
    assert interrupted >= 1, "no kill landed during a save: the test proved nothing"
