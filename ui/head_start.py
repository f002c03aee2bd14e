"""The window's first plan, solved in another process while the window loads.

Opening the window costs its process Qt, NumPy, the scenario types and
matplotlib before anything is drawn; solving the first plan costs SciPy and
HiGHS on top, and the two would share one interpreter lock. So :func:`start`,
called before Qt is imported, starts :mod:`planner.first_solve` on the file:
it solves on the machine's other core while this process loads, and the solve
thread's first request takes its plan, then its marginal gains.

The head start can make the first plan sooner, never different or missing:
its plan is used only for a request of the very scenario it solved (equal in
every field) with whole units as the file says, and anything else (another
scenario asked for first, a file that does not load, the process failing or
taking longer than a solve may) closes it, and the solve thread solves as it
always does; marginal gains it cannot give are worked out in the window, as
for every other plan. Not on Windows (no ``select`` on pipes); ``MANDATE_PLANNER_HEAD_START=0``
turns it off.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

# The child's slowest honest answer, for each frame: its imports and a solve to the time
# limit (planner.lp.highs.DEFAULT_TIME_LIMIT, 60 s), with room for a loaded machine. Past it
# the window solves the plan itself, or works out the gains itself.
WAIT_S = 120.0
POLL_S = 0.05  # how often a wait for the marginal gains checks whether it is still wanted
HEADER_BYTES = 8  # planner.first_solve's frame header: the length, big-endian
# This copy's planner package first on the path, in the place ``-c`` gives the working folder
# (as the script's folder is for ``python main.py``), or ahead of all where it gives none
# (PYTHONSAFEPATH).
_CHILD = ("import sys; p = sys.path\n"
          "if p and p[0] == '': p[0] = sys.argv[1]\n"
          "else: p.insert(0, sys.argv[1])\n"
          "from planner.first_solve import main; sys.exit(main(sys.argv[2]))")


def start(path: Path) -> HeadStart | None:
    """Start solving ``path`` in another process; None where that is not done."""
    if os.name != "posix" or getattr(sys, "frozen", False) or os.environ.get("MANDATE_PLANNER_HEAD_START") == "0":
        return None  # (a frozen program's executable is the program itself, not Python)
    root = str(Path(__file__).resolve().parent.parent)  # where this copy's planner package lives
    try:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, root, str(Path(path).resolve())],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        return None
    return HeadStart(proc)


class HeadStart:
    """The other process's answers, read once each: :meth:`result_for`, then :meth:`gains`.

    Each is called from a worker thread (one at a time) and may wait; :meth:`close`
    (any thread) ends the process and every wait. The pipe is closed by whoever is last
    done with it: the reading thread, or :meth:`close` when none reads.
    """

    def __init__(self, proc: subprocess.Popen):
        self._proc = proc
        self._fd = proc.stdout.fileno()
        self._buffer = b""
        self._lock = threading.Lock()
        self._closed = False
        self._reading = False
        self.used = False  # its plan was taken
        atexit.register(self.close)

    @property
    def closed(self) -> bool:
        return self._closed

    def result_for(self, scenario, relaxed: bool):
        """The plan solved for ``scenario`` (the same object in ``result.scenario``), or
        None: then the head start is closed and the caller solves."""
        frame = None if relaxed else self._frame(lambda: True)
        try:
            if frame[0] == "result" and frame[1] == scenario:
                result = dataclasses.replace(frame[2], scenario=scenario)
                self.used = True
                return result
        except Exception:  # noqa: BLE001 - no frame, or not one this copy of the program wrote
            pass
        self.close()
        return None

    def gains(self, progress=None):
        """The marginal gains of the plan :meth:`result_for` gave, or None (the process failed
        or took too long, or ``progress(fraction)`` returned False while waiting). Closes
        the head start."""
        frame = None
        if self.used:
            frame = self._frame(lambda: progress is None or progress(0.0) is not False)
        self.close()
        try:
            return frame[1] if frame[0] == "gains" else None
        except Exception:  # noqa: BLE001
            return None

    def _frame(self, wanted):
        """The next frame, or None: the process ended or failed, ``wanted()`` turned False,
        or WAIT_S passed."""
        with self._lock:
            if self._closed:
                return None
            self._reading = True
        deadline = time.monotonic() + WAIT_S
        try:
            while True:
                frame = self._take()
                if frame is not None:
                    return pickle.loads(frame)
                if self._closed or not wanted() or time.monotonic() > deadline:
                    return None
                ready, _, _ = select.select([self._fd], [], [], POLL_S)
                if ready:
                    data = os.read(self._fd, 1 << 20)
                    if not data:  # the process ended before writing the frame
                        return None
                    self._buffer += data
        except Exception:  # noqa: BLE001 - a pipe gone, or a frame that does not read
            return None
        finally:
            with self._lock:
                self._reading = False
                if self._closed:
                    self._close_pipe()

    def _take(self) -> bytes | None:
        if len(self._buffer) < HEADER_BYTES:
            return None
        size = int.from_bytes(self._buffer[:HEADER_BYTES], "big")
        end = HEADER_BYTES + size
        if len(self._buffer) < end:
            return None
        frame, self._buffer = self._buffer[HEADER_BYTES:end], self._buffer[end:]
        return frame

    def close(self) -> None:
        """End the process (if it still runs) and every wait on it; safe to call again, from
        any thread. A wait in another thread sees the pipe's end and returns None."""
        with self._lock:  # held until the process is gone: a second close returns after it
            if self._closed:
                return
            self._closed = True
            atexit.unregister(self.close)
            proc = self._proc
            if proc.poll() is None:
                proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            if not self._reading:
                self._close_pipe()

    def _close_pipe(self) -> None:
        try:
            self._proc.stdout.close()
        except OSError:
            pass
