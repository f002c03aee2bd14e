#!/usr/bin/env bash
# Build the wheel, install it into a clean virtual environment, and use the
# installed command from another folder: the bundled scenarios must ship
# inside the package, and the console script must work without the source tree.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel -q --no-deps -w "$work/dist" .
wheel=$(ls "$work"/dist/mandate_planner-*.whl)
echo "Built $(basename "$wheel")"
.venv/bin/python -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$wheel"

cd "$work"
"$work/venv/bin/mandate-planner" scenarios
"$work/venv/bin/mandate-planner" solve minusma_2020 --json > solve.json
"$work/venv/bin/python" - <<'PY'
import json
result = json.load(open("solve.json"))
assert result["status"] == "optimal", result["status"]
print(f"Installed wheel solves minusma_2020: score {result['score']:.1f}")
PY
echo "Wheel check passed"
