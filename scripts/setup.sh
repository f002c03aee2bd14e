#!/usr/bin/env bash
# Install what Mandate Planner needs: the system libraries Qt uses (Debian/Ubuntu,
# when run as root or with sudo), then a virtual environment in .venv.
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

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
