#!/usr/bin/env bash
# The core without Qt: a clean venv with every dependency but PySide6, then
# the test suite (the GUI tests skip themselves: they need PySide6) and the
# headless commands through main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" - <<'PY'
import subprocess, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
qt = ("pyside6", "pytest-qt")
wanted = [d for d in project["dependencies"] + project["optional-dependencies"]["test"]
          if not d.lower().startswith(qt)]
subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", *wanted])
PY
"$py" -m pip install -q --no-deps .
if "$py" -c "import PySide6" 2>/dev/null; then
  echo "PySide6 is installed in the headless venv: the check would prove nothing" >&2
  exit 1
fi
echo "Planner tests with PySide6 absent"
"$py" -m pytest -q -p no:cacheprovider -n auto tests
"$py" main.py solve minusma_2020 > "$work/solve.txt"
"$py" main.py export minusma_2020 --png "$work/allocation.png"
"$py" main.py analyse budget minusma_2020 --points 5 --png "$work/budget.png" > /dev/null
test -s "$work/allocation.png" && test -s "$work/budget.png"
echo "Headless check passed: solve, export and analyse ran without PySide6"
