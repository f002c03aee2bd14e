#!/usr/bin/env bash
# The soak test once more on Python 3.11, if the machine has it: there the
# reference counts of None/True/False are real, so a Qt binding that loses
# references fails the test long before it would abort a user's window.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(command -v python3.11 || true)
if [ -z "$py" ]; then
  echo "No python3.11 on this machine: the soak test ran only on $(.venv/bin/python --version)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q ".[test]"
echo "Soak test on $("$work/venv/bin/python" --version) with PySide6-Essentials" \
  "$("$work/venv/bin/python" -c 'import PySide6; print(PySide6.__version__)')"
QT_QPA_PLATFORM=offscreen "$work/venv/bin/python" -m pytest -q -p no:cacheprovider tests/test_soak.py
