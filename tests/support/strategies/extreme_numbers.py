"""Valid files with a few numbers pushed to the edges of what the contract allows."""

from __future__ import annotations

from hypothesis import strategies as st

from .contract import fmt_path, set_at, walk
from .scenarios import scenario_dicts

# Contract v1 bounds nothing above; the planner refuses numbers past schema.MAX_NUMBER (1e12),
# so values beyond it must be refused at their path, and values up to it must solve.
EXTREME = {
    "num": [
        0,
        0.0,
        5e-324,
        1e-300,
        1e-12,
        1e11,
        999_999_999_999,
        1e12,
        1e12 + 0.125,
        1e14,
        1e15,
        2**53,
        1e300,
        1.7976931348623157e308,
    ],
    "pos": [5e-324, 1e-300, 1e-12, 1e11, 1e12, 1e12 + 0.125, 1e15, 1e308, 1.7976931348623157e308],
    "int": [10**20, 2**63, 2**64, 10**100, 2**31 - 1, 2**31],  # lead times: never within the cycle
    "share": [0, 1, 5e-324, 1 - 1e-16],
    "lat": [-90, 90, 5e-324],
    "lon": [-180, 180, -5e-324],
}


@st.composite
def extreme_scenarios(draw):
    """(dict, changes): a valid scenario with 1-3 numbers at the edge of the allowed range."""
    d = draw(scenario_dicts())
    leaves = [n for n in walk(d) if n.role == "leaf" and n.spec in EXTREME]
    changes = []
    for n in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=3, unique_by=lambda n: n.parts)):
        # an importance of 0 could leave a floor without demand: keep importances positive
        v = draw(st.sampled_from(EXTREME["pos" if n.parts[-1] == "importance" else n.spec]))
        set_at(d, n.parts, v)
        changes.append((fmt_path(n.parts), v))
    if all(t["weight"] == 0 for t in d["tasks"]):
        d["tasks"][0]["weight"] = 1
    for member in d.get("panel", []):
        if all(v == 0 for v in member["weights"].values()):
            member["weights"][next(iter(member["weights"]))] = 1
    if "returns" in d:  # keep them non-increasing: a changed value may move
        d["returns"] = sorted(d["returns"], reverse=True)
        changes = [("returns", v) if path.startswith("returns[") else (path, v) for path, v in changes]
    return d, changes
