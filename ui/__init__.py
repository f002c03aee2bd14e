"""Mandate Planner's desktop GUI (PySide6).

Importing ``ui`` loads no Qt: the chart drawing in :mod:`ui.charts` serves the
headless PNG export too. ``create_main_window`` imports the window lazily.
"""


def create_main_window(path=None):
    """The main window on ``path`` (the bundled default scenario when None).

    Needs a QApplication; starts no event loop.
    """
    from .main_window import create_main_window as create

    return create(path)


__all__ = ["create_main_window"]
