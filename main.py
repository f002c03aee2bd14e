"""Mandate Planner: ``python main.py`` opens the window; ``python main.py solve FILE`` and
the other commands work headlessly (see ``python main.py --help``)."""

import sys

if __name__ == "__main__":
    try:
        from ui.app import main
    except KeyboardInterrupt:  # Ctrl+C while the program loads: as later, one line and 130
        sys.stderr.write("mandate-planner: interrupted\n")
        sys.exit(130)
    sys.exit(main())
