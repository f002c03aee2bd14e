"""Fuzz tests: files nobody should write, and scenarios of every shape contract v1 allows.

Properties
  * loading a corrupted file raises ScenarioError, never anything else; every
    problem has a message; a corruption at a known place is reported at (or
    under) that JSON path; a failed load leaves the file untouched; what does
    load saves and reloads to the same bytes;
  * a valid file always loads, keeps its data, and dumps -> loads -> dumps is
    byte-identical (whatever the key order, indentation or BOM of the input);
  * a valid scenario always solves: optimal (every MODEL.md constraint holds
    when recomputed from the plan alone, the score is in [0, 100], equals the
    score of the satisfaction and the optimum of an independently built LP:
    ``support.oracle``, ``support.reference_lp``; its ``solve --json`` form
    passes the contract v2 oracle too), infeasible (with a diagnosis), or
    time_limit;
  * numbers at the edges of the range (subnormals, 1e12, 1e15, 1e308, lead times of
    10**20) are refused at their JSON path, or load, save and solve soundly:
    no exception, no ``error`` status, no NaN score, a diagnosis when infeasible.

The strategies are in ``support.strategies``. Two profiles, chosen by an environment
variable (this file needs no conftest):

    .venv/bin/python -m pytest tests/test_fuzz.py                          # default, ~30 s
    MANDATE_PLANNER_FUZZ=1 .venv/bin/python -m pytest tests/test_fuzz.py   # fuzz, ~10 min

The default profile is derandomised (the same examples every run); the fuzz
profile draws new ones each run and prints a ``@reproduce_failure`` blob for
any failure. ``MANDATE_PLANNER_FUZZ=<factor>`` (e.g. 0.1 or 3) scales the fuzz
profile's example counts.

Reproducers of the bugs these properties found live in tests/data/fuzz/ and
are replayed by :func:`test_saved_reproducers` on every run.
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planner.fileio import ScenarioError, dumps_scenario, load_scenario, loads_scenario, save_scenario  # noqa: E402
from planner.fileio import scenario_from_dict  # noqa: E402
from planner.solve import solve  # noqa: E402
from support.oracle import check_diagnosis, check_plan, check_plan_json  # noqa: E402
from support.reference_lp import reference_optimum  # noqa: E402
from support.strategies.contract import get_at, walk  # noqa: E402
from support.strategies.extreme_numbers import extreme_scenarios  # noqa: E402
from support.strategies.hostile_files import CORRUPTIONS, Corruption, corruptions  # noqa: E402
from support.strategies.scenarios import scenario_dicts  # noqa: E402

FUZZ_DIR = Path(__file__).resolve().parent / "data" / "fuzz"

# -- profiles -------------------------------------------------------------------------

_FLAG = os.environ.get("MANDATE_PLANNER_FUZZ", "").strip().lower()
FUZZ = _FLAG not in ("", "0", "false", "no", "off")
try:
    SCALE = float(_FLAG) if FUZZ and _FLAG not in ("1", "true", "yes", "on") else 1.0
except ValueError:
    SCALE = 1.0

# No shrinking unless asked for (MANDATE_PLANNER_FUZZ_SHRINK=1): these strategies draw thousands of
# choices, so shrinking one failure can take Hypothesis's whole 5-minute shrink budget; the failing
# example is printed as drawn (a Corruption names its kind, place and bytes).
SHRINK = os.environ.get("MANDATE_PLANNER_FUZZ_SHRINK", "").strip() not in ("", "0")
_PHASES = tuple(Phase) if SHRINK else tuple(p for p in Phase if p not in (Phase.shrink, Phase.explain))
_COMMON = dict(
    deadline=None,
    phases=_PHASES,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)
settings.register_profile("mandate-planner-default", derandomize=True, database=None, **_COMMON)
settings.register_profile("mandate-planner-fuzz", derandomize=False, print_blob=True, **_COMMON)
PROFILE = settings.get_profile("mandate-planner-fuzz" if FUZZ else "mandate-planner-default")

# examples per property: (default, fuzz). The corruption property is parametrised by kind,
# so its figures are per kind (16 kinds: 480 files by default, 12,000 in the fuzz profile).
EXAMPLES = {
    "corrupt": (30, 750),
    "valid_load": (80, 2000),
    "solve": (80, 8000),
    "extreme": (40, 1500),
}


def examples(name: str):
    default, fuzz = EXAMPLES[name]
    n = max(1, int(fuzz * SCALE)) if FUZZ else default
    return settings(PROFILE, max_examples=n)


# -- checks (plain functions, so a harness can call them too) -------------------------


def under(path: str, prefix: str) -> bool:
    """Whether JSON path ``path`` is ``prefix`` or lies under it (everything lies under "")."""
    return not prefix or path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


def check_problems(exc: ScenarioError) -> None:
    assert exc.problems, "a ScenarioError with no problem"
    for problem in exc.problems:
        assert isinstance(problem, tuple) and len(problem) == 2, problem
        path, message = problem
        assert isinstance(path, str), problem
        assert isinstance(message, str) and message.strip(), problem
    assert str(exc).strip()


def check_round_trip(s) -> str:
    """dumps -> loads -> dumps gives the same text, and that text is valid UTF-8."""
    text = dumps_scenario(s)
    text.encode("utf-8")  # what save_scenario writes
    again = dumps_scenario(loads_scenario(text))
    assert again == text, "dumps -> loads -> dumps changed the text"
    return text


_TMP = tempfile.TemporaryDirectory(prefix="mandate-planner-fuzz-")


def check_corruption(c: Corruption) -> str:
    """Loading ``c.data`` is a ScenarioError with sound problems, or a scenario that saves."""
    try:
        s = loads_scenario(c.data)
    except ScenarioError as exc:
        check_problems(exc)
        if c.paths:
            found = [p for p, _ in exc.problems]
            assert any(under(p, pre) for p in found for pre in c.paths), (
                f"{c.kind} ({c.detail}): no problem under {c.paths}; problems: {exc.problems}"
            )
        outcome = "refused"
    else:
        assert not c.must_fail, f"{c.kind} ({c.detail}): the file loaded although it must be refused"
        check_round_trip(s)
        outcome = "loaded"
    # the same through a file on disk, which a failed load must leave untouched
    path = Path(_TMP.name) / "scenario.json"
    path.write_bytes(c.data)
    try:
        load_scenario(path)
        assert outcome == "loaded", "load_scenario accepted what loads_scenario refused"
    except ScenarioError as exc:
        assert outcome == "refused", f"load_scenario refused what loads_scenario accepted: {exc}"
        check_problems(exc)
    assert path.read_bytes() == c.data, "a load changed the file"
    return outcome


def _canonical_expectation(d: dict) -> dict:
    """What a save of ``d`` must hold: the same data, with the defaults a save spells out."""
    d = copy.deepcopy(d)
    for c in d["capabilities"]:
        c.setdefault("effect", {})
    if "settings" in d:
        d["settings"].setdefault("integer_units", False)
    return d


def _shuffled(d: dict, rng: random.Random) -> dict:
    """The same data with the keys of every schema object in another order (id maps and extra kept)."""
    d = copy.deepcopy(d)
    for node in walk(d):
        if node.role == "object" and isinstance(node.value, dict):
            obj = get_at(d, node.parts)
            items = list(obj.items())
            rng.shuffle(items)
            obj.clear()
            obj.update(items)
    return d


def check_valid_file(d: dict, rng: random.Random) -> None:
    text = json.dumps(d, ensure_ascii=False, indent=2)
    s = loads_scenario(text.encode("utf-8"))  # must not raise
    canon = check_round_trip(s)
    # a save keeps every value (numbers compare as numbers: 2 == 2.0)
    assert json.loads(canon) == _canonical_expectation(d), "a load -> save lost or changed data"
    # the input's layout does not matter: key order, indentation, escapes, a BOM, str or bytes
    variant = _shuffled(d, rng)
    layouts = [
        json.dumps(variant).encode("ascii"),
        json.dumps(variant, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
        b"\xef\xbb\xbf" + json.dumps(variant, indent=4, ensure_ascii=False).encode("utf-8") + b"\r\n",
    ]
    for data in layouts:
        assert dumps_scenario(loads_scenario(data)) == canon
    assert dumps_scenario(loads_scenario(json.dumps(variant, ensure_ascii=False))) == canon
    # and through the disk
    path = Path(_TMP.name) / "saved.json"
    save_scenario(s, path)
    assert path.read_bytes() == canon.encode("utf-8")
    assert dumps_scenario(load_scenario(path)) == canon


SCORE_REL = 1e-6


def check_solve(d: dict, *, reference: bool = True) -> str:
    s = scenario_from_dict(copy.deepcopy(d))
    res = solve(s)
    assert res.status in ("optimal", "infeasible", "time_limit"), (res.status, res.message)
    assert isinstance(res.message, str) and res.message.strip()
    if res.status == "infeasible":
        check_diagnosis(d, res)
    else:
        check_plan(d, res)  # a time_limit plan is feasible too
        if res.status == "optimal":
            check_plan_json(d, res.to_json())  # the same plan as solve --json reports it (contract v2)
    if reference and res.status != "time_limit":
        status, best = reference_optimum(d)
        if status != "unknown":
            assert res.status == status, f"the planner says {res.status}, an independent model {status}"
        if status == "optimal":
            assert abs(res.score - best) <= SCORE_REL * max(1.0, abs(best)), (
                f"score {res.score!r} but the optimum of an independent model is {best!r}"
            )
    return res.status


def check_extreme(d: dict, changed: tuple[str, ...] = ()) -> str:
    """A valid file with numbers at the edges of the range: it loads, saves and solves.

    Refusing it is accepted only with a problem at one of the ``changed`` paths (a bound the
    contract may add, e.g. "need must be at most 1e12"); never an exception, never an
    ``error`` status, never a NaN score."""
    text = json.dumps(d)
    try:
        s = loads_scenario(text)
    except ScenarioError as exc:
        check_problems(exc)
        assert any(under(p, c) for p, _ in exc.problems for c in changed), (
            f"a valid file was refused: {exc.problems}"
        )
        return "refused"
    check_round_trip(s)
    res = solve(s)  # must not raise
    assert res.status in ("optimal", "infeasible", "time_limit"), (res.status, res.message)
    assert isinstance(res.message, str) and res.message.strip()
    if res.ok:
        assert 0.0 <= res.score <= 100.0, f"status {res.status} with score {res.score!r}"
        assert math.isfinite(res.objective), res.objective
        for v in res.generate.values():
            assert math.isfinite(v), res.generate
        for v in res.task_scores.values():
            assert v is None or 0.0 <= v <= 100.0 + 1e-9, res.task_scores
    else:
        check_diagnosis(d, res)
    return res.status


# -- properties -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
@examples("corrupt")
@given(data=st.data())
def test_corrupted_files_are_refused_with_every_problem_by_path(kind, data):
    c = data.draw(corruptions((kind,)), label="corruption")
    check_corruption(c)


@examples("valid_load")
@given(scenario_dicts(wild=True), st.randoms(use_true_random=False))
def test_valid_files_load_and_round_trip_byte_for_byte(d, rng):
    check_valid_file(d, rng)


@examples("solve")
@given(scenario_dicts())
def test_valid_scenarios_solve_to_a_checked_plan_or_a_diagnosis(d):
    check_solve(d)


@examples("extreme")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy overflow warnings are expected here
@given(extreme_scenarios())
def test_numbers_at_the_edges_load_save_and_solve_without_exceptions(case):
    d, changes = case
    check_extreme(d, tuple(path for path, _ in changes))


# -- saved reproducers -----------------------------------------------------------------


def _reproducers():
    if not FUZZ_DIR.is_dir():
        return []
    return sorted(p for p in FUZZ_DIR.iterdir() if p.suffix == ".json" and not p.name.startswith("."))


@pytest.mark.parametrize("path", _reproducers(), ids=lambda p: p.name)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_saved_reproducers(path):
    """tests/data/fuzz/<expectation>-<name>.json; expectation:
    ``invalid`` must be refused with a ScenarioError; ``valid`` must load, round-trip and solve
    to optimal / infeasible / time_limit with a finite score; ``extreme``: the same, or refused
    with a ScenarioError; ``either`` may be refused or load and round-trip."""
    expectation = path.name.split("-", 1)[0]
    data = path.read_bytes()
    if expectation == "invalid":
        try:
            s = loads_scenario(data)
        except ScenarioError as exc:
            check_problems(exc)
            return
        try:
            dumps_scenario(s).encode("utf-8")
            saved = "its save works"
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            saved = f"and its save then fails: {type(exc).__name__}: {exc}"
        pytest.fail(f"{path.name} loaded although it must be refused; {saved}")
    elif expectation == "valid":
        s = loads_scenario(data)
        check_round_trip(s)
        check_extreme(json.loads(data))
    elif expectation == "extreme":
        check_extreme(json.loads(data), ("",))  # may be refused (a new bound), else must solve soundly
    elif expectation == "either":
        check_corruption(Corruption("saved", path.name, data, False))
    else:
        pytest.fail(f"{path.name}: the name must start with invalid-, valid-, extreme- or either-")


# -- the checks can fail ---------------------------------------------------------------

TINY = {
    "format": "mandate-planner-scenario",
    "version": 1,
    "name": "x",
    "periods": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}],
    "tasks": [{"id": "a", "name": "A", "weight": 1}],
    "regions": [{"id": "r", "name": "R", "zone": "z"}],
    "capabilities": [
        {
            "id": "u",
            "name": "U",
            "category": "c",
            "existing": 1,
            "max_new": 2,
            "lead_time": 1,
            "effect": {"a": 1},
            "uses": {"b": 1},
        }
    ],
    "demand": {"a": {"r": {"need": 2}}},
    "resources": [{"id": "b", "name": "B", "basis": "generated", "capacity": 1, "unit": "USD"}],
    "rules": [{"id": "f", "kind": "floor", "task": "a", "zone": "z", "min_satisfaction": 0.5}],
}


def test_the_plan_checks_can_fail():
    import dataclasses

    res = solve(scenario_from_dict(copy.deepcopy(TINY)))
    assert res.status == "optimal"
    check_plan(TINY, res)
    broken = [
        dataclasses.replace(res, alloc_units=res.alloc_units * 2),  # more units than exist
        dataclasses.replace(res, generate={"u": 2.0}),  # over the budget
        dataclasses.replace(res, score=min(100.0, res.score + 1e-3)),  # not what the satisfaction is worth
        dataclasses.replace(res, satisfaction=res.satisfaction * 0 + 0.25),  # below the floor
    ]
    for bad in broken:
        with pytest.raises(AssertionError):
            check_plan(TINY, bad)
    assert reference_optimum(TINY) == ("optimal", pytest.approx(res.score, rel=1e-6))


def test_the_corruption_checks_can_fail():
    good = json.dumps(TINY).encode()
    with pytest.raises(AssertionError):  # loads, but was claimed broken
        check_corruption(Corruption("t", "", good, True))
    broken = dict(TINY, tasks=[{"id": "a", "name": "A", "weight": "1"}])
    check_corruption(Corruption("t", "", json.dumps(broken).encode(), True, ("tasks[0].weight",)))
    with pytest.raises(AssertionError):  # refused, but not at the claimed place
        check_corruption(Corruption("t", "", json.dumps(broken).encode(), True, ("regions",)))
