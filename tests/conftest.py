import os
import sys
from pathlib import Path

# Headless Qt, set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SCENARIOS = ROOT / "scenarios"

# A fixed copy of the MINUSMA 2020 scenario and its variants as first bundled
# (format version 1). Tests of the program that rely on its ids, numbers or
# structure read these, so the bundled files can change without breaking them;
# tests of the bundled files themselves read scenarios/.
V1_DEFAULT = DATA / "minusma_2020_v1.json"
V1_BUDGET_CUT = DATA / "minusma_2020_v1_budget_cut.json"
V1_VARIANTS = sorted(DATA.glob("minusma_2020_v1_*.json"))  # budget_cut, covid, g5_capped, west
V1_SCENARIOS = [V1_DEFAULT, *V1_VARIANTS]


@pytest.fixture(autouse=True)
def _private_user_files(tmp_path, monkeypatch):
    """Settings, recovery copies and logs of a test stay in its own folder."""
    monkeypatch.setenv("MANDATE_PLANNER_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("MANDATE_PLANNER_DATA", str(tmp_path / "app-data"))


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def default_path() -> Path:
    """The fixed version-1 default scenario (not the bundled one)."""
    return V1_DEFAULT


@pytest.fixture
def bundled_default() -> Path:
    """The scenario the program ships as its default, whatever it holds."""
    from planner.bundled import default_scenario_path

    return default_scenario_path()


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(request, monkeypatch):
    """A modal dialog nobody answers would hang the run: fail instead.

    Tests that expect a dialog patch it themselves (their patch wins, being
    applied after this one).
    """
    if "PySide6" not in sys.modules:
        return
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "critical", "question", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))


def _qtbot(request):
    """pytest-qt's qtbot, or a skip where Qt is not installed (the headless check has neither)."""
    pytest.importorskip("PySide6")
    pytest.importorskip("pytestqt")
    return request.getfixturevalue("qtbot")


@pytest.fixture
def window(request):
    """The main window on the fixed version-1 MINUSMA scenario, whose ids the tests name."""
    qtbot = _qtbot(request)
    from support.windows import open_window, settle

    w = open_window(qtbot, V1_DEFAULT)
    yield w
    settle(w)


@pytest.fixture
def bundled_window(request):
    """The main window as it starts with no file named: on the bundled default, whatever it holds."""
    qtbot = _qtbot(request)
    from support.windows import open_window, settle

    w = open_window(qtbot)
    yield w
    settle(w)
