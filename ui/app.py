"""The program's entry point: the command line's commands, or the window.

``main.py`` and the installed ``mandate-planner`` command both call
:func:`main`. Every command is handed to :func:`planner.cli.main`, which is
headless; only a call for the window (no command, or a FILE) loads Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from planner import cli

    return cli.main(argv, open_window=open_window)


def open_window(path: Path) -> int:
    """Open the window on ``path`` and run until it closes."""
    from planner.cli import PROG, UsageError

    if _no_display():
        raise UsageError("no display to open the window on (DISPLAY is not set); "
                         f"use '{PROG} solve FILE' or '{PROG} export FILE --png OUT' without a screen")
    try:
        import PySide6  # noqa: F401
    except ImportError:
        raise UsageError("the window needs PySide6 (pip install PySide6-Essentials); "
                         f"'{PROG} solve' and '{PROG} export' work without it") from None
    return run(path)


def _no_display() -> bool:
    """On Linux without X11 or Wayland, Qt would abort: say why instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(path: Path | None = None) -> int:
    app, _window = show_window(path)
    return app.exec()


def show_window(path: Path | None = None):
    """The application and its window on ``path`` (the bundled default scenario when None),
    shown; the event loop is not started.

    The first plan is solved in another process started before Qt is imported
    (``ui.head_start``), on the other core while this one loads Qt and builds the window.
    """
    from planner.bundled import default_scenario_path

    from . import head_start

    head = head_start.start(Path(path) if path else default_scenario_path())
    from PySide6.QtWidgets import QApplication

    from .errors import install_excepthook
    from .main_window import APP_NAME, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("MandatePlanner")
    window = MainWindow(path, head_start=head)
    install_excepthook(lambda: window)
    window.show()
    window.offer_recovery()
    return app, window
