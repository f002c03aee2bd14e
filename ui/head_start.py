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
always does. Not on Windows (no ``select`` on pipes); ``MANDATE_PLANNER_HEAD_START=0``
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

# The child's slowest honest answer: its imports and a solve to the time limit
# (planner.lp.highs.DEFAULT_TIME_LIMIT, 60 s), with room for a loaded machine.
WAIT_S = 120.0
POLL_S = 0.05  # how often a wait for the marginal gains checks whether it is still wanted
HEADER_BYTES = 8  # planner.first_solve's frame header: the length, big-endian
_CHILD = ("import sys; sys.path.insert(0, sys.argv[1]); "
          "from planner.first_solve import main; sys.exit(main(sys.argv[2]))")


def start(path: Path) -> HeadStart | None:
    """Start solving ``path`` in another process; None where that is not done."""
    if os.name != "posix" or os.environ.get("MANDATE_PLANNER_HEAD_START") == "0":
        return None
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
    (any thread) ends the process and every wait.
    """

    def __init__(self, proc: subprocess.Popen):
        self._proc = proc
        self._fd = proc.stdout.fileno()
        self._buffer = b""
        self._lock = threading.Lock()
        self._closed = False
        self.used = False  # its plan was taken
        atexit.register(self.close)

    @property
    def closed(self) -> bool:
        return self._closed

    def result_for(self, scenario, relaxed: bool):
        """The plan solved for ``scenario`` (the same object in ``result.scenario``), or
        None: then the head start is closed and the caller solves."""
        frame = None if relaxed or self._closed else self._frame(lambda: True)
        if frame is None or frame[0] != "result" or frame[1] != scenario:
            self._done()
            return None
        self.used = True
        return dataclasses.replace(frame[2], scenario=scenario)

    def gains(self, progress=None):
        """The marginal gains of the plan :meth:`result_for` gave, or None (the process failed,
        or ``progress(fraction)`` returned False while waiting). Closes the head start."""
        frame = None
        if self.used and not self._closed:
            frame = self._frame(lambda: progress is None or progress(0.0) is not False)
        self._done()
        return frame[1] if frame is not None and frame[0] == "gains" else None

    def _frame(self, wanted):
        """The next frame, or None: the process ended or failed, ``wanted()`` turned False,
        or WAIT_S passed."""
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
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # closed from another thread, or a frame that does not read

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
        """End the process (if it still runs) and every wait on it; safe to call again.

        A wait in another thread sees the pipe's end and returns None; the pipe itself is
        closed by the reading thread (:meth:`_done`), never under it."""
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

    def _done(self) -> None:
        """The reading thread is done with the process: end it and close the pipe."""
        self.close()
        try:
            self._proc.stdout.close()
        except OSError:
            pass
