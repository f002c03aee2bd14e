"""Mandate Planner: ``python main.py`` opens the window; ``python main.py solve FILE`` and
the other commands work headlessly (see ``python main.py --help``)."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
