"""What happens when something unexpected goes wrong in the GUI.

The error is written to a log file, the user sees what happened with the
details and an offer to save a copy of the scenario, and the window keeps
working: an exception never reaches the user as a vanished window.
"""

from __future__ import annotations

import datetime as _dt
import sys
import traceback
from pathlib import Path

from .recovery import data_dir


def log_path() -> Path:
    return data_dir() / "errors.log"


def log_exception(exc_type, exc, tb) -> Path | None:
    """Append the traceback to the error log; return its path (None if it cannot be written)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {_dt.datetime.now().isoformat(timespec='seconds')}\n")
            fh.write("".join(traceback.format_exception(exc_type, exc, tb)))
    except OSError:
        return None
    return path


def install_excepthook(get_window) -> None:
    """Route uncaught exceptions to :func:`report_exception` on the current window."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report_exception(get_window(), exc_type, exc, tb)

    sys.excepthook = hook


def report_exception(window, exc_type, exc, tb) -> None:
    """Log the error and tell the user, offering to save a copy of their work."""
    from PySide6.QtWidgets import QMessageBox

    path = log_exception(exc_type, exc, tb)
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    from PySide6.QtCore import Qt

    from .display import clipped

    box = QMessageBox(window)
    box.setIcon(QMessageBox.Critical)
    box.setWindowTitle("Something went wrong")
    box.setTextFormat(Qt.TextFormat.PlainText)  # the error may quote a file's text
    box.setText(clipped(f"An unexpected error occurred: {exc_type.__name__}: {exc}"))
    box.setInformativeText(
        "The window keeps working. If you have unsaved changes, save a copy to be safe."
        + (f"\nThe details are in {path}." if path else "")
    )
    box.setDetailedText(clipped(details, 20_000, lines=400))
    save = None
    if window is not None and getattr(window, "document", None) is not None:
        save = box.addButton("Save a Copy…", QMessageBox.AcceptRole)
    box.addButton(QMessageBox.Close)
    box.exec()
    if save is not None and box.clickedButton() is save:
        window.save_copy()
