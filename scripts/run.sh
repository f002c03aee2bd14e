#!/usr/bin/env bash
# Run Mandate Planner (installs first if needed); arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] && .venv/bin/python -c "import PySide6, scipy, matplotlib, pydantic" 2>/dev/null \
  || bash scripts/setup.sh
exec .venv/bin/python main.py "$@"
