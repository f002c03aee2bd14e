"""Autosave and crash recovery.

While a scenario has unsaved changes, a copy is written every minute to a
recovery folder (beside the application's data, or ``MANDATE_PLANNER_DATA``).
A clean exit or a save removes it. On the next start, copies left by a
process that is no longer running are offered back.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from planner.fileio import ScenarioError, dumps_scenario, loads_scenario, write_atomic
from planner.scenario import Scenario


def data_dir() -> Path:
    """Where recovery copies and the error log live."""
    override = os.environ.get("MANDATE_PLANNER_DATA")
    if override:
        return Path(override)
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.AppDataLocation)
    return Path(base or Path.home() / ".mandate-planner")


@dataclass(frozen=True)
class RecoveryCopy:
    scenario_file: Path
    meta_file: Path
    original: Path | None  # the file the changes belong to (None: never saved)
    saved_at: float
    pid: int

    def load(self) -> Scenario:
        return loads_scenario(self.scenario_file.read_bytes(), source=self.scenario_file.name)

    def discard(self) -> None:
        for f in (self.scenario_file, self.meta_file):
            try:
                f.unlink()
            except FileNotFoundError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class RecoveryStore:
    """This process's recovery copy, and the copies others left behind."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else data_dir() / "recovery"
        self.key = uuid.uuid4().hex[:12]

    @property
    def scenario_file(self) -> Path:
        return self.folder / f"{self.key}.json"

    @property
    def meta_file(self) -> Path:
        return self.folder / f"{self.key}.meta.json"

    def write(self, scenario: Scenario, original: Path | None) -> None:
        """Write (or replace) this process's copy; raises OSError on failure."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.scenario_file, dumps_scenario(scenario).encode("utf-8"))
        meta = {"original": str(original) if original else None, "saved_at": time.time(), "pid": os.getpid()}
        write_atomic(self.meta_file, json.dumps(meta).encode("utf-8"))

    def clear(self) -> None:
        """Remove this process's copy (after a save or a clean exit)."""
        RecoveryCopy(self.scenario_file, self.meta_file, None, 0.0, os.getpid()).discard()

    def orphans(self) -> list[RecoveryCopy]:
        """Copies left by processes that are no longer running, newest first."""
        found = []
        if not self.folder.is_dir():
            return found
        for meta_file in self.folder.glob("*.meta.json"):
            scenario_file = meta_file.with_name(meta_file.name.replace(".meta.json", ".json"))
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                pid = int(meta["pid"])
                copy = RecoveryCopy(scenario_file, meta_file,
                                    Path(meta["original"]) if meta.get("original") else None,
                                    float(meta["saved_at"]), pid)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not ours or half written: leave it alone
            if scenario_file.exists() and not _alive(pid):
                found.append(copy)
        found.sort(key=lambda c: -c.saved_at)
        return found


__all__ = ["RecoveryCopy", "RecoveryStore", "ScenarioError", "data_dir"]
