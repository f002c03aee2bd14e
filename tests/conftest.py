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


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def default_path() -> Path:
    return SCENARIOS / "minusma_2020.json"
