"""Files written to hurt: special files that block or never end, escape sequences and
megabyte ids in messages, integers of thousands of digits, duplicate keys and NaN deep
in a file. Each is refused with one plain line per problem, never a hang or a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.fileio import ScenarioError, load_scenario, loads_scenario, scenario_from_dict

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "data" / "tiny.json"

# Loads a file in a child process, so that a read that blocks or never ends cannot hang the
# tests: the child is killed after a timeout and has a memory limit where the platform allows.
LOADER = r"""
import os, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
except (ImportError, ValueError, OSError):
    pass
sys.path.insert(0, sys.argv[1])
from planner.fileio import ScenarioError, load_scenario
if len(sys.argv) > 3:  # pretend the file was a regular one when it was looked at
    real_stat, regular = os.stat, os.stat(sys.argv[3])
    os.stat = lambda path, *a, **k: regular if os.fspath(path) == sys.argv[2] else real_stat(path, *a, **k)
try:
    load_scenario(sys.argv[2])
except ScenarioError as exc:
    print("REFUSED", exc)
else:
    print("LOADED")
"""


def load_elsewhere(path, *extra, timeout=60) -> str:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", LOADER, str(ROOT), str(path), *map(str, extra)],
            capture_output=True, text=True, timeout=timeout, env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path} did not return within {timeout} s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


def tiny() -> dict:
    return json.loads(TINY.read_text(encoding="utf-8"))


def problems_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value.problems


def text_problems(text) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text)
    return info.value.problems


# -- files that are not regular files -----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    out = load_elsewhere(fifo)
    assert out == "REFUSED plan.json: not a regular file (a named pipe)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_put_in_place_after_the_first_look_is_refused_without_blocking(tmp_path):
    # os.stat saw a regular file; by the time the file is opened it is a pipe
    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    out = load_elsewhere(fifo, TINY)
    assert out == "REFUSED plan.json: not a regular file (a named pipe)"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    out = load_elsewhere(device)
    assert out == f"REFUSED {Path(device).name}: not a regular file (a device)"


def test_a_file_that_grows_past_the_limit_after_the_first_look_is_not_read_whole(tmp_path, monkeypatch):
    from planner import fileio

    path = tmp_path / "big.json"
    with open(path, "wb") as fh:
        fh.write(b" " * (fileio.MAX_FILE_BYTES + 1))
    small = os.stat(TINY)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: small if os.fspath(p) == str(path) else real_stat(p, *a, **k))
    monkeypatch.setattr(os, "fstat", lambda fd: small)  # both looks saw a small file; then it grew
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        "big.json: the file holds more than 20,000,000 bytes; scenario files are limited to 20 MB"
    )


# -- values echoed in messages ------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
HUGE = "a" * 1_000_000
HUGE_BAD = "A" * 1_000_000  # not an id: upper case


def _assert_safe(exc: ScenarioError, longest=200):
    text = str(exc)
    assert "\x1b" not in text and "\x07" not in text, text
    for line in text.splitlines():
        assert len(line) < longest, line[:300]


@pytest.mark.parametrize("bad", [ESCAPES, HUGE, HUGE_BAD], ids=["escapes", "1MB-id", "1MB-not-id"])
def test_echoed_ids_are_escaped_and_shortened_everywhere(bad):
    d = tiny()
    d["tasks"].append({"id": bad, "name": "x", "weight": 1})
    d["tasks"].append({"id": bad, "name": "again", "weight": 1})  # a duplicate
    d["capabilities"][0]["effect"][bad] = 1  # a key: pattern and reference
    d["capabilities"][0]["category"] = bad[:300]  # text: too long when huge
    d["demand"][bad] = {"mopti": {"need": 1}}
    d["demand"]["poc"][bad] = {"need": 1}
    d["rules"] = [{"id": "x", "kind": "forbid", "task": bad}, {"id": "y", "kind": bad}]
    d["resources"][0]["basis"] = bad
    d["panel"] = [{"id": "p", "name": "P", "weights": {bad: 1}}]
    d[bad] = 1  # an unknown top-level key
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(d, source="case.json")
    _assert_safe(info.value)
    assert len(info.value.problems) >= 8
    text = str(info.value)
    if bad == ESCAPES:
        assert r"\x1b]0;pwned\x07\x1b[2J" in text
        assert r"tasks[1].id: '\x1b]0;pwned\x07\x1b[2J': an id must be" in text
        assert r"duplicate id '\x1b]0;pwned\x07\x1b[2J' (also tasks[1])" in text
        assert r"resources[0].basis: '\x1b]0;pwned\x07\x1b[2J' is not one of" in text
    else:
        assert "(1,000,000 characters)" in text


def test_an_escape_laden_id_in_a_duplicate_json_key_is_escaped():
    text = '{{"a": 1, "{}": 1, "{}": 2}}'.format(r"\u001b[2J", r"\u001b[2J")
    problems = text_problems(text)
    assert problems == [("", r"key '\x1b[2J' appears twice in one object (line 1, column 26)")]


def test_a_megabyte_id_found_twice_as_a_json_key_gives_a_short_line():
    text = f'{{"{HUGE}": 1, "{HUGE}": 2}}'
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text)
    _assert_safe(info.value)


def test_keys_in_json_paths_are_escaped_and_shortened():
    d = tiny()
    d["extra"] = {ESCAPES: {"deep": float("nan")}, HUGE: {"x": float("inf")}}
    problems = problems_of(d)
    paths = sorted(p for p, _ in problems)
    assert r"extra.\x1b]0;pwned\x07\x1b[2J.deep" in paths
    assert any(p.startswith("extra.aaaa") and p.endswith("(1,000,000 characters).x") for p in paths)
    assert all(len(p) < 120 for p in paths)


def test_a_lone_surrogate_in_a_duplicate_key_does_not_break_the_message():
    problems = text_problems('{"\\ud800": 1, "\\ud800": 2}')
    assert len(problems) == 1
    path, message = problems[0]
    message.encode("utf-8")  # printable: no lone surrogate left
    assert message == r"key '\ud800' appears twice in one object (line 1, column 15)"


# -- integers of thousands of digits -------------------------------------------------------


def _with_literal(literal: str) -> str:
    return TINY.read_text(encoding="utf-8").replace('"existing": 1,', f'"existing": {literal},')


@pytest.mark.parametrize("digits", [31, 5000, 100_000])
def test_a_huge_integer_is_refused_at_its_place(digits):
    text = _with_literal("1" * digits)
    with pytest.raises(ScenarioError) as info:
        loads_scenario(text, source="big.json")
    message = str(info.value)
    assert "set_int_max_str_digits" not in message and "Exceeds" not in message
    assert info.value.problems == [
        ("capabilities[0].existing",
         f"the number 111111111111… has {digits:,} digits: at most 30 are allowed (line 9, column 73)")
    ]


def test_a_negative_huge_integer_in_extra_is_refused_too():
    text = TINY.read_text(encoding="utf-8").replace('"rules": []', '"rules": [], "extra": {"n": [-%s]}' % ("9" * 5000))
    assert text_problems(text) == [
        ("extra.n[0]", "the number -999999999999… has 5,000 digits: at most 30 are allowed (line 15, column 32)")
    ]


def test_integers_up_to_thirty_digits_still_load():
    # a lead time past the cycle means "never", however large
    s = loads_scenario(TINY.read_text(encoding="utf-8").replace('"lead_time": 1', '"lead_time": ' + "9" * 30))
    assert s.capabilities[0].lead_time == 10**30 - 1


# -- duplicate keys and NaN: where they are ---------------------------------------------------


def test_a_duplicate_key_is_named_with_its_path_and_line():
    text = TINY.read_text(encoding="utf-8").replace('"weight": 1}', '"weight": 1, "weight": 2}')
    assert text_problems(text) == [("tasks[0]", "key 'weight' appears twice in one object (line 6, column 75)")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_a_non_finite_constant_is_named_with_its_path_line_and_column(literal):
    text = TINY.read_text(encoding="utf-8").replace('"effect": {"poc": 2}', f'"effect": {{"poc": {literal}}}')
    assert text_problems(text) == [
        ("capabilities[0].effect.poc", f"{literal} is not allowed: numbers must be finite (line 10, column 24)")
    ]


def test_every_such_problem_is_listed_and_a_later_syntax_error_too():
    text = (
        '{\n  "a": [1, NaN, {"b": 1, "b": 2}],\n'
        '  "c": {"d": [Infinity, ' + "7" * 40 + ']},\n'
        '  "e": }\n'
    )
    assert text_problems(text) == [
        ("a[1]", "NaN is not allowed: numbers must be finite (line 2, column 12)"),
        ("a[2]", "key 'b' appears twice in one object (line 2, column 26)"),
        ("c.d[0]", "Infinity is not allowed: numbers must be finite (line 3, column 15)"),
        ("c.d[1]", "the number 777777777777… has 40 digits: at most 30 are allowed (line 3, column 25)"),
        ("", "not valid JSON: Expecting value (line 4, column 8)"),
    ]


def test_keys_and_strings_that_look_like_problems_are_not_problems():
    text = '{"NaN": "NaN", "a": "1111111111111111111111111111111111111", "x": "\\"", "y": NaN}'
    assert text_problems(text) == [("y", "NaN is not allowed: numbers must be finite (line 1, column 78)")]


def test_locating_a_problem_at_the_end_of_a_big_file_takes_linear_time():
    d = tiny()
    d["extra"] = {"rows": [{"id": f"r{i}", "values": [i, i * 0.5, "text"], "ok": True} for i in range(200_000)]}
    text = json.dumps(d)
    text = text[:-1] + ', "last": NaN}'
    assert len(text) > 10_000_000
    start = time.perf_counter()
    problems = text_problems(text)
    elapsed = time.perf_counter() - start
    assert problems == [("last", f"NaN is not allowed: numbers must be finite (line 1, column {len(text) - 3})")]
    assert elapsed < 30, elapsed


def test_a_file_name_no_file_can_have_is_a_message():
    with pytest.raises(ScenarioError, match=r"cannot be read \(the name holds a NUL character\)"):
        load_scenario("plan\0.json")
