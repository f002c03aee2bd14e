"""The main window as the GUI tests open and close it (PySide6 is imported only when one is opened)."""

from __future__ import annotations

# Long enough for the bundled default's whole-unit solve on a loaded machine; a window that
# solves sooner is returned sooner.
FIRST_RESULT_MS = 120_000


def open_window(qtbot, path=None, *, show: bool = True):
    """The window on ``path`` (None: as it starts, on the bundled default), shown and solved once.

    Closing it at the end of the test does not ask about unsaved changes; tests that mean
    to see that question set it up themselves.
    """
    from ui import create_main_window

    w = create_main_window(path)
    qtbot.addWidget(w, before_close_func=lambda w: w.document.undo_stack.setClean())
    if show:
        with qtbot.waitExposed(w):
            w.show()
    qtbot.waitUntil(lambda: w.last_result is not None, timeout=FIRST_RESULT_MS)
    if show:  # the first window of a process draws its chart once matplotlib is in
        from ui.chart_views import chart_modules_loaded

        qtbot.waitUntil(chart_modules_loaded, timeout=FIRST_RESULT_MS)
    return w


def settle(w) -> None:
    """Let the window's background work (analyses, solves) finish before it is closed."""
    w.analyses.cancel()
    w.analyses.wait()
    w.solver.wait()
