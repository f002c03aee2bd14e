"""Starting the GUI."""

from __future__ import annotations

import sys
from pathlib import Path


def run(path: Path | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import APP_NAME, MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("MandatePlanner")
    from .errors import install_excepthook

    window = MainWindow(path)
    install_excepthook(lambda: window)
    window.show()
    window.offer_recovery()
    return app.exec()
