#!/usr/bin/env bash
# Run the test suite headless (installs first if needed), on every core with
# pytest-xdist. Extra arguments go to pytest (e.g. a file, or -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pytest ] || bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -n auto "$@"
