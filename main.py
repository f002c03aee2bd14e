"""Mandate Planner: ``python main.py`` opens the GUI; ``python main.py solve FILE`` and
friends work headlessly (see ``python main.py --help``)."""

import sys

from planner.cli import main

if __name__ == "__main__":
    sys.exit(main())
