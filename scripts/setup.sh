#!/usr/bin/env bash
# Set-up from nothing on Debian 12 with the Swift toolchain: system libraries, then MNIST.
#   VAEGAN_MNIST_DIR     where MNIST goes (default ~/.local/share/vaegan-render/mnist)
#   VAEGAN_MNIST_SOURCE  a folder with the four canonical .gz files to use instead of PyPI
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium and nodejs are for the tests: the browser tests, and a syntax check of the studio's script.
PACKAGES=(libopenblas-dev libdnnl-dev libcairo2-dev libpng-dev libavcodec-dev libavformat-dev libswscale-dev
          libavutil-dev zlib1g-dev pkg-config fonts-dejavu-core python3-numpy python3-pip dataset-fashion-mnist chromium
          nodejs)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup: need to install ${missing[*]} but am not root and have no sudo; install them and re-run" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "setup: apt-get could not install ${missing[*]} (see its message above); stopping" >&2
    exit 1
  fi
fi

MNIST_DIR=${VAEGAN_MNIST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vaegan-render/mnist}
# Debian's python3-numpy is for /usr/bin/python3; prefer it so a pyenv python without numpy is no obstacle.
PY=python3
/usr/bin/python3 -c "import numpy" 2>/dev/null && PY=/usr/bin/python3
if [ -n "${VAEGAN_MNIST_SOURCE:-}" ]; then
  "$PY" scripts/fetch_mnist.py "$MNIST_DIR" --from "$VAEGAN_MNIST_SOURCE"
else
  "$PY" scripts/fetch_mnist.py "$MNIST_DIR"
fi
