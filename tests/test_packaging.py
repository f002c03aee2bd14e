"""What a wheel ships: every package of the source tree, and the bundled scenarios."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = None

import pytest

from planner.bundled import (
    DEFAULT_NAME,
    bundled_scenarios,
    default_scenario_path,
    is_bundled,
    resolve_scenario_argument,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_every_package_of_the_tree_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    mapped = {name: ROOT / folder for name, folder in config["package-dir"].items()}
    found = set()
    for top in ("planner", "ui"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    found |= {name for name, folder in mapped.items() if (folder / "__init__.py").exists()}
    assert listed == found


def test_the_bundled_scenarios_are_found_as_package_data():
    names = [s.name for s in bundled_scenarios()]
    assert names[0] == DEFAULT_NAME == default_scenario_path().stem
    assert set(names) == {p.stem for p in (ROOT / "scenarios").glob("*.json")}
    assert default_scenario_path().is_file()
    assert is_bundled(default_scenario_path())


def test_a_scenario_argument_is_a_file_first_then_a_bundled_name(tmp_path, monkeypatch):
    assert resolve_scenario_argument(DEFAULT_NAME) == default_scenario_path()
    monkeypatch.chdir(tmp_path)
    (tmp_path / DEFAULT_NAME).write_text("{}")
    assert resolve_scenario_argument(DEFAULT_NAME) == Path(DEFAULT_NAME)  # a file here wins
    assert resolve_scenario_argument("no_such_scenario") == Path("no_such_scenario")
    assert not is_bundled(tmp_path / DEFAULT_NAME)
