"""Render the real main window to a PNG.

    python scripts/screenshot.py OUT.png [--size 1366x768] [--file SCENARIO] [--tab N]

Works offscreen (QT_QPA_PLATFORM=offscreen) and on a real or virtual display
(xvfb-run). Waits for the first solve, then grabs the window.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--file", default=None)
    parser.add_argument("--tab", type=int, default=0, help="index of the centre tab to show")
    args = parser.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui import create_main_window

    app = QApplication.instance() or QApplication([])
    window = create_main_window(args.file)
    window.resize(w, h)
    window.show()
    window.charts.setCurrentIndex(args.tab)

    def grab():
        if window.last_result is None:
            QTimer.singleShot(50, grab)
            return
        window.charts.currentWidget().repaint()
        app.processEvents()
        window.grab().save(args.out)
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    QTimer.singleShot(300, grab)
    app.exec()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
