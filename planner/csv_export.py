"""The allocation as CSV: what the command line (``solve --csv``) and the window export.

UTF-8 with a byte-order mark so that Excel reads the names right; one row per
capability, region, task and period (and base, with stationing), names beside
ids, the units employed as a number. Text cells go through
:func:`planner.text.csv_cell`, so a name cannot become a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from .fileio import write_atomic
from .result import Result
from .text import csv_cell

_NAMED = (("capability", "capabilities"), ("region", "regions"), ("task", "tasks"), ("period", "periods"))


def allocation_table(result: Result) -> tuple[list[str], list[list]]:
    """The header and the rows of the allocation, in the plan's order."""
    s = result.scenario
    names = {key: {item.id: item.name for item in getattr(s, attr)} for key, attr in _NAMED}
    zones = {r.id: r.zone for r in s.regions}
    rows = result.allocation_rows()
    based = any("base" in row for row in rows)
    header = ["capability", "capability_id", "region", "region_id", "zone", "task", "task_id",
              "period", "period_id"]
    if based:
        header += ["base", "base_id"]
    header.append("units")
    table = []
    for row in rows:
        cells = []
        for key, _ in _NAMED:
            cells += [names[key][row[key]], row[key]]
            if key == "region":
                cells.append(zones[row["region"]])
        if based:
            base = row.get("base")
            cells += [names["region"].get(base, ""), base or ""]
        table.append([csv_cell(c) for c in cells] + [round(float(row["units"]), 6)])
    return header, table


def allocation_csv(result: Result) -> str:
    header, rows = allocation_table(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_allocation_csv(result: Result, path: str | os.PathLike) -> None:
    """Write the allocation CSV atomically (nothing half-written on failure)."""
    write_atomic(Path(path), allocation_csv(result).encode("utf-8-sig"))
