"""A scenario file's plan and marginal gains, solved in a process of its own.

The window starts this process before it imports Qt (``ui.head_start``), so the
first plan is solved on another core while the window loads. It writes two
frames to stdout and exits:

1. ``("result", scenario, result)``: the file's scenario and its plan, solved
   as the window's solve thread solves a plan that stays on screen
   (:func:`planner.solve.solve_plan`, from no basis);
2. ``("gains", gains)``: :func:`planner.summary.marginal_gains` of that plan
   (None when it has no optimal plan).

A frame is an 8-byte big-endian length and that many bytes of pickle. A file
that does not load, or any other failure, ends the process with status 1
after the frames written so far: the window then solves the scenario itself.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import struct
import sys
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

HEADER = struct.Struct(">Q")


def _proxy(m: MappingProxyType):
    from .scenario import frozen_map

    return frozen_map, (dict(m),)


def write_frame(out: BinaryIO, value) -> None:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    # The scenario's read-only mappings (frozen_map) as what they are; for this pickler only.
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _proxy}
    pickler.dump(value)
    data = buf.getvalue()
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def main(path: str, out: BinaryIO | None = None) -> int:
    out = sys.stdout.buffer if out is None else out
    try:
        from .fileio import load_scenario
        from .solve import solve_plan
        from .summary import marginal_gains

        scenario = load_scenario(Path(path))
        result, model = solve_plan(scenario)
        write_frame(out, ("result", scenario, result))
        write_frame(out, ("gains", marginal_gains(model, result)))
    except BrokenPipeError:  # the window has gone, or no longer wants it
        return 0
    except Exception:  # noqa: BLE001 - the window solves the scenario itself
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
