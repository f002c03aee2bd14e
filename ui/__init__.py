"""Mandate Planner's desktop GUI (PySide6).

Importing ``ui`` loads no Qt (the chart drawing lives in :mod:`planner.plots`,
which the headless export uses too); ``create_main_window`` and
:func:`ui.app.main` import Qt only when a window is wanted.
"""


def create_main_window(path=None):
    """The main window on ``path`` (the bundled default scenario when None).

    Needs a QApplication; starts no event loop.
    """
    from .main_window import create_main_window as create

    return create(path)


__all__ = ["create_main_window"]
