"""A long session survives: thousands of slider moves, tab switches, undos and an analysis.

The session runs in its own process (``tests/soak_session.py``), so that the
failure it guards against, a fatal abort once a Qt binding has lost enough
references to ``None``, shows as a dead process with its output kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

SESSION = Path(__file__).resolve().parent / "soak_session.py"


def test_a_long_session_survives_and_keeps_its_references():
    proc = subprocess.run([sys.executable, str(SESSION)], capture_output=True, text=True, timeout=900)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    tail = "\n".join(proc.stdout.splitlines()[-5:] + proc.stderr.splitlines()[-10:])
    assert "Fatal Python error" not in proc.stderr, tail
    assert proc.returncode == 0, tail
    assert lines and lines[-1].get("done") is True, tail
    assert lines[-1]["ops"] >= 4000
    if sys.version_info < (3, 12):
        # Where the counts mean something, no checkpoint saw them fall.
        assert lines[-1]["counts_checked"] is True
        falls = [min(line["drift"].values()) for line in lines if "drift" in line]
        assert len(falls) >= 8 and min(falls) >= -1500, falls
