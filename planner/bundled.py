"""The scenarios that ship with the program.

They are the package data of ``planner.scenarios`` (the top-level
``scenarios/`` folder of the source tree, mapped in ``pyproject.toml``), so a
wheel install finds them as an editable one does. Everything that needs a
bundled file asks here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DEFAULT_NAME = "minusma_2020"


def bundled_folder() -> Path:
    """The folder holding the bundled ``.json`` files."""
    try:
        return Path(str(resources.files("planner.scenarios")))
    except ModuleNotFoundError:
        # A source checkout run without installing it (``python main.py`` with the
        # dependencies present): the package data is the folder beside the package.
        return Path(__file__).resolve().parent.parent / "scenarios"


def default_scenario_path() -> Path:
    """The scenario the window opens when no file is named."""
    return bundled_folder() / f"{DEFAULT_NAME}.json"


@dataclass(frozen=True)
class BundledScenario:
    name: str  # the file's stem, usable wherever a FILE argument is expected
    path: Path
    title: str  # the scenario's own name, from the file
    description: str


def bundled_scenarios() -> list[BundledScenario]:
    """Every bundled scenario, the default first, then by name."""
    out = []
    for path in sorted(bundled_folder().glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            data = {}
        description = data.get("description") if isinstance(data, dict) else None
        title = data.get("name") if isinstance(data, dict) else None
        out.append(BundledScenario(path.stem, path, str(title or path.stem), str(description or "")))
    out.sort(key=lambda s: (s.name != DEFAULT_NAME, s.name))
    return out


def resolve_scenario_argument(text: str) -> Path:
    """A FILE argument as a path: an existing file, else a bundled scenario's name.

    A path that exists always wins, so a file called ``minusma_2020`` in the
    current folder is read rather than the bundled one.
    """
    path = Path(text)
    if path.exists() or os.sep in text or (os.altsep and os.altsep in text) or text.endswith(".json"):
        return path
    candidate = bundled_folder() / f"{text}.json"
    return candidate if candidate.is_file() else path


def is_bundled(path: str | os.PathLike) -> bool:
    """True when ``path`` is inside the bundled scenarios' folder (never to be written)."""
    try:
        folder = bundled_folder().resolve()
        target = Path(path).resolve()
    except OSError:
        return False
    return target == folder or folder in target.parents
