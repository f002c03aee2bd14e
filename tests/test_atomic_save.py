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
from planner.fileio import write_atomic

ROOT = Path(__file__).resolve().parent.parent

WRITER = r"""
import sys, dataclasses
sys.path.insert(0, sys.argv[1])
from planner import load_scenario, save_scenario
from planner.fileio import write_atomic
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


# -- saving through a link, and what killed saves leave behind ---------------------------------


def _symlink_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError) as exc:  # no symlinks here, or no right to make them
        pytest.skip(f"cannot make a symlink: {exc}")


def test_saving_through_a_symlink_writes_the_linked_file_and_keeps_the_link(tmp_path, default_path):
    s = load_scenario(default_path)
    real_dir, link_dir = tmp_path / "real", tmp_path / "links"
    real_dir.mkdir()
    link_dir.mkdir()
    target = real_dir / "plan.json"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    link = link_dir / "current.json"
    _symlink_or_skip(link, Path("..") / "real" / "plan.json")  # a relative link
    save_scenario(s, link)
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "real", "plan.json")
    assert load_scenario(target) == s
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(link_dir)) == ["current.json"]  # no temporary file beside the link
    assert sorted(os.listdir(real_dir)) == ["plan.json"]


def test_saving_through_a_chain_of_symlinks_to_a_new_file(tmp_path, default_path):
    s = load_scenario(default_path)
    (tmp_path / "real").mkdir()
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    _symlink_or_skip(second, tmp_path / "real" / "new.json")  # dangling until the save
    _symlink_or_skip(first, second)
    save_scenario(s, first)
    assert first.is_symlink() and second.is_symlink()
    assert load_scenario(tmp_path / "real" / "new.json") == s


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_save_removes_old_temporaries_of_the_same_file_only(tmp_path, default_path):
    s = load_scenario(default_path)
    target = tmp_path / "plan.json"
    save_scenario(s, target)
    stale = tmp_path / ".plan.json.k2j_9xqa.tmp"  # what a save killed an hour ago left
    fresh = tmp_path / ".plan.json.a1b2c3d4.tmp"  # another process saving right now
    keep = {
        ".other.json.k2j_9xqa.tmp": "another file's temporary",
        ".plan.json.notes.tmp": "not our naming",
        ".plan.json.k2j_9xqa.tmp.bak": "not our naming",
        "plan.json.k2j_9xqa.tmp": "not our naming",
        "notes.txt": "unrelated",
    }
    for path in (stale, fresh):
        path.write_bytes(b"x" * 100_000)
    for name in keep:
        (tmp_path / name).write_text("mine")
        _age(tmp_path / name, 3600)
    folder_like = tmp_path / ".plan.json.zzzzzzzz.tmp"
    folder_like.mkdir()  # a folder of that name is not ours to remove
    _age(folder_like, 3600)
    _age(stale, 3600)
    save_scenario(s, target)
    assert not stale.exists()
    assert fresh.exists() and folder_like.is_dir()
    for name in keep:
        assert (tmp_path / name).read_text() == "mine", name
    assert load_scenario(target) == s


def test_old_temporaries_are_removed_beside_the_linked_file(tmp_path, default_path):
    s = load_scenario(default_path)
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "plan.json"
    save_scenario(s, target)
    link = tmp_path / "link.json"
    _symlink_or_skip(link, target)
    stale = tmp_path / "real" / ".plan.json.abcdefgh.tmp"
    stale.write_bytes(b"x")
    _age(stale, 3600)
    save_scenario(s, link)
    assert not stale.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_file_gets_the_usual_permissions_not_private_ones(tmp_path):
    target = tmp_path / "new.json"
    mask = os.umask(0o022)
    try:
        write_atomic(target, b"{}")
    finally:
        os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o644
