"""The command line against hostile input: every bad argument or file is one
line on stderr and exit 2, an impossible run exits 3, an interrupted one 130;
text from a file never reaches the terminal raw; no run is unbounded.

Most calls run ``planner.cli.main`` in this process (an exception escaping it
would fail the test as a traceback would); those that need a real process
(Ctrl+C, a FIFO, /dev/zero) run ``main.py`` with a timeout.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import V1_DEFAULT
import planner.cli
import planner.cli_args
from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
TINY = Path(__file__).resolve().parent / "data" / "tiny.json"
DEFAULT = V1_DEFAULT

# An OSC that retitles the window, a screen clear, a C1 CSI and a right-to-left override.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def call(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys, *args, fragments=(), code=2):
    got, out, err = call(capsys, *args)
    assert got == code, (got, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def run(*args, timeout=120, **kwargs):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(MAIN), *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=env, **kwargs)


def hostile_file(path: Path, infeasible: bool = False) -> Path:
    """tiny.json with escape sequences in every name (ids cannot hold them)."""
    data = json.loads(TINY.read_text())
    data["name"] = f"Tiny {HOSTILE}"
    data["tasks"][0]["name"] = f"PoC {HOSTILE}"
    data["regions"][0]["name"] = f"Mopti {HOSTILE}"
    data["capabilities"][0]["name"] = f"Helicopter {HOSTILE}"
    data["resources"][0]["name"] = f"Budget {HOSTILE}"
    if infeasible:
        data["rules"] = [{"id": "floor", "name": f"Floor {HOSTILE}", "kind": "floor", "task": "poc",
                          "zone": "center", "min_satisfaction": 0.5}]
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# -- parameters an analysis cannot take -------------------------------------------------


@pytest.mark.parametrize("value", ["1.5", "nan", "inf", "-0.2", "0", "1"])
def test_smaa_spread_must_be_a_fraction_between_0_and_1(value, capsys):
    one_line_error(capsys, "analyse", "smaa", DEFAULT, "--mode", "around", "--spread", value,
                   "--samples", "5", "--workers", "1",
                   fragments=[f"--spread {value}: ", "between 0 and 1"])


def test_smaa_seed_must_be_a_whole_number_from_0(capsys):
    one_line_error(capsys, "analyse", "smaa", DEFAULT, "--seed", "-1", "--samples", "5", "--workers", "1",
                   fragments=["--seed -1: choose a whole number >= 0"])


@pytest.mark.parametrize("tasks, fragments", [
    ("poc_center,poc_center", ["--tasks 'poc_center,poc_center'", "two different tasks"]),
    (",", ["--tasks ','", "name a task", "known: ", "peace_agreement"]),
    (" , poc_center", ["--tasks ' , poc_center'", "name a task"]),
    ("poc_center,nope", ["--tasks 'poc_center,nope'", "unknown task 'nope'", "known: ", "peace_agreement"]),
    ("poc_center", ["pareto needs --tasks A,B"]),
    ("a,b,c", ["pareto needs --tasks A,B"]),
])
def test_pareto_tasks_name_two_different_known_tasks(tasks, fragments, capsys):
    one_line_error(capsys, "analyse", "pareto", DEFAULT, "--tasks", tasks, fragments=fragments)


@pytest.mark.parametrize("args, fragment", [
    (["smaa", "--samples", "100001"], "--samples 100001: choose a whole number between 1 and 100,000"),
    (["smaa", "--samples", "1000000"], "--samples 1000000"),
    (["smaa", "--samples", "0"], "--samples 0"),
    (["budget", "--points", "501"], "--points 501: choose a whole number between 2 and 500"),
    (["budget", "--points", "1"], "--points 1"),
    (["pareto", "--tasks", "poc_center,peace_agreement", "--points", "501"], "--points 501"),
    (["budget", "--resource", "nope"], "--resource 'nope': unknown resource (known: "),
    (["smaa", "--workers", "257"], "--workers 257"),
])
def test_every_analysis_has_bounded_work(args, fragment, capsys):
    one_line_error(capsys, "analyse", args[0], DEFAULT, *args[1:], fragments=[fragment])


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "3601"])
def test_solve_time_limit_must_be_finite_positive_and_at_most_an_hour(value, capsys):
    one_line_error(capsys, "solve", TINY, "--integer", "--time-limit", value,
                   fragments=[f"--time-limit {value}: ", "3600"])


def test_solve_time_limit_of_an_hour_is_accepted(capsys):
    code, out, err = call(capsys, "solve", TINY, "--integer", "--time-limit", "3600", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == "optimal"


# -- --set keeps the limits of a file --------------------------------------------------


def test_set_refuses_a_number_beyond_the_file_limit(capsys):
    line = one_line_error(capsys, "solve", TINY, "--set", "task.poc.weight=1e308",
                          "--set", "task.poc.weight=1e308")
    assert line.endswith("--set 'task.poc.weight=1e308': at most 1e12")
    one_line_error(capsys, "solve", TINY, "--set", "resource.budget.capacity=1e13",
                   fragments=["--set 'resource.budget.capacity=1e13': at most 1e12"])


def test_set_accepts_the_file_limit_itself(capsys):
    code, out, err = call(capsys, "solve", TINY, "--set", "task.poc.weight=1e12", "--json")
    assert code == 0, err
    assert json.loads(out)["score"] == pytest.approx(50.0, abs=1e-6)


def test_set_with_a_huge_id_is_echoed_shortened(capsys):
    huge = "a" * 1_000_000
    line = one_line_error(capsys, "solve", TINY, "--set", f"task.{huge}.weight=1",
                          fragments=["--set 'task.aaa", "unknown task 'aaa", "characters)", "known: poc"])
    assert len(line) < 400


# -- text from a file or an argument never reaches the terminal raw ------------------


def test_solve_summary_escapes_control_characters(tmp_path, capsys):
    code, out, err = call(capsys, "solve", hostile_file(tmp_path / "h.json"))
    assert code == 0, err
    assert not RAW.search(out), repr(out)
    assert "PoC \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e" in out
    assert "Helicopter \\x1b]0;pwned" in out


def test_infeasible_diagnosis_escapes_control_characters(tmp_path, capsys):
    code, out, err = call(capsys, "solve", hostile_file(tmp_path / "h.json", infeasible=True))
    assert code == 3
    assert not RAW.search(out + err), repr(out + err)
    assert "Floor \\x1b]0;pwned" in out


def test_analysis_text_and_errors_escape_control_characters(tmp_path, capsys):
    path = hostile_file(tmp_path / "h.json")
    code, out, err = call(capsys, "analyse", "budget", path, "--points", "3")
    assert code == 0, err
    assert not RAW.search(out + err) and "Budget \\x1b]0;pwned" in out
    code, out, err = call(capsys, "analyse", "stability", hostile_file(tmp_path / "i.json", infeasible=True))
    assert code == 3
    assert not RAW.search(out + err) and "Floor \\x1b]0;pwned" in err


@pytest.mark.parametrize("args", [
    ["solve", TINY, "--set", f"task.{HOSTILE}.weight=1"],
    ["solve", TINY, "--set", f"task.poc.weight={HOSTILE}"],
    ["solve", f"{HOSTILE}missing.json"],
    ["analyse", "pareto", TINY, "--tasks", f"poc,{HOSTILE}"],
    ["analyse", "budget", TINY, "--resource", HOSTILE],
    ["export", TINY, "--png", f"{HOSTILE}/out.png"],
    ["export", TINY, "--png", "out.png", "--size", HOSTILE],
], ids=["set-id", "set-value", "file", "tasks", "resource", "png", "size"])
def test_arguments_echoed_in_errors_are_escaped(args, capsys):
    line = one_line_error(capsys, *args)
    assert not RAW.search(line), repr(line)
    assert "\\x1b" in line


def test_loader_messages_are_escaped(tmp_path, capsys):
    data = json.loads(TINY.read_text())
    data[f"nmae{HOSTILE}"] = "x"
    path = tmp_path / "key.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = call(capsys, "validate", path)
    assert code == 2
    assert not RAW.search(err), repr(err)
    assert "nmae\\x1b]0;pwned" in err


@pytest.mark.parametrize("args", [
    ["analyse", "budget", "{path}", "--points", "2", "--json"],
    ["compare", "{path}", "{path}", "--json"],
    ["solve", "{infeasible}", "--json"],
], ids=["analyse", "compare", "solve-infeasible"])
def test_json_output_escapes_control_characters_and_keeps_the_text(args, tmp_path, capsys):
    paths = {"path": hostile_file(tmp_path / "h.json"), "infeasible": hostile_file(tmp_path / "i.json", True)}
    code, out, err = call(capsys, *[a.format(**paths) if a.startswith("{") else a for a in args])
    assert code in (0, 3), err
    assert not RAW.search(out), repr(out)
    # escaped on the way out, the same text when read back
    assert any(HOSTILE in text for text in strings(json.loads(out)))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# -- long runs: a progress line on a terminal, Ctrl+C exits 130 ----------------------


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_shown_on_a_terminal_only(monkeypatch, capsys):
    monkeypatch.setattr(planner.cli_args, "PROGRESS_AFTER", 0.0)
    code, out, err = call(capsys, "analyse", "smaa", DEFAULT, "--samples", "60", "--workers", "1")
    assert code == 0 and err == ""  # not a terminal: nothing but the result
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["analyse", "smaa", str(DEFAULT), "--samples", "60", "--workers", "1"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Robustness: 60 weightings" in out
    shown = terminal.getvalue()
    assert re.search(r"\d+%", shown), repr(shown)
    assert shown.endswith("\r")  # the progress line is wiped when the run ends
    assert "\n" not in shown


def _ctrl_c_reaches_python():
    """In the child, before Python starts: Ctrl+C as a terminal's foreground job gets it.

    A shell started without job control runs its background commands with SIGINT ignored,
    and Python keeps an ignored SIGINT ignored (as it should); a suite run from such a
    shell would then see the program ignore the test's Ctrl+C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# "processes": the workers are up and each is in a chunk of 500 whole-unit samples (about a
# minute), which the exit must not wait for; "pool-starting": the workers are still importing.
@pytest.mark.parametrize("workers, after", [(["--workers", "1"], 2.5), ([], 6.0), ([], 2.0),
                                            (["--workers", "1"], 0.4)],
                         ids=["serial", "processes", "pool-starting", "while-loading"])
def test_ctrl_c_exits_130_without_a_traceback(workers, after):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.Popen([sys.executable, str(MAIN), "analyse", "smaa", str(DEFAULT),
                             "--samples", "100000", *workers], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True, preexec_fn=_ctrl_c_reaches_python)
    try:
        time.sleep(after)  # in the solves, or still importing: either way one line and 130
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines() == ["mandate-planner: interrupted"]
    assert out == ""


# -- FILE arguments that are not files ---------------------------------------------------


@pytest.mark.parametrize("command", [["solve"], ["validate"], ["analyse", "budget"]])
def test_a_folder_as_file_is_one_line(command, tmp_path, capsys):
    one_line_error(capsys, *command, tmp_path, fragments=[tmp_path.name, "folder"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_file_is_one_line_and_does_not_block(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    proc = run("solve", fifo, timeout=30)  # a reader that waits for a writer would time out here
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "pipe.json" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_as_file_is_one_line_and_does_not_eat_memory():
    import resource

    def limit_memory():  # a loader that reads /dev/zero to the end fails here, not the machine
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    proc = run("solve", "/dev/zero", timeout=30, preexec_fn=limit_memory)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "zero" in proc.stderr


def test_a_huge_id_in_a_file_is_not_echoed_whole(tmp_path):
    # Depends on the loader quoting values with planner.text.shown().
    data = json.loads(TINY.read_text())
    data["tasks"][0]["id"] = "a" * 1_000_000
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    proc = run("validate", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr) < 5_000
