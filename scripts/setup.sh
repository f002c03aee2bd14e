#!/usr/bin/env bash
# Install what Mandate Planner needs: the system libraries Qt uses (Debian/Ubuntu,
# when run as root or with sudo), then a virtual environment in .venv.
#
# Python: the newest of 3.13, 3.12, 3.11, 3.10 found on PATH or through pyenv
# (PYTHON=/path/to/python overrides). 3.12 and newer are preferred because
# their None/True/False are immortal, so no binding's reference bug can abort
# the window (README, "Libraries and why"). An existing .venv is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

QT_PACKAGES="libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 fonts-dejavu-core xvfb xauth"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $QT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing system packages:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
  fi
fi

usable() { "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; }

pick_python() {
  if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
  local v cand ver
  for v in 3.13 3.12 3.11 3.10; do
    cand=$(command -v "python$v" 2>/dev/null || true)
    if [ -n "$cand" ] && usable "$cand"; then echo "$cand"; return; fi
    if command -v pyenv >/dev/null 2>&1; then
      ver=$(pyenv versions --bare 2>/dev/null | grep -E "^${v//./\\.}(\.[0-9]+)?$" | sort -V | tail -n 1 || true)
      cand="$(pyenv root)/versions/$ver/bin/python$v"
      if [ -n "$ver" ] && [ -x "$cand" ] && usable "$cand"; then echo "$cand"; return; fi
    fi
  done
  echo python3
}

if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  echo "Creating .venv with $("$py" --version 2>&1) ($py)"
  "$py" -m venv .venv
fi
echo "Using $(.venv/bin/python --version 2>&1) in .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
