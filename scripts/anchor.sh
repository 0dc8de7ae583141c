#!/bin/bash
# The PyTorch speed anchor (scripts/anchor/torch_anchor.py) in its pinned environment.
#
#   bash scripts/anchor.sh [anchor flags...]     e.g. --precision bf16 --repeats 30
#
# Makes a virtual environment in .build/anchor-venv on first use (PyPI's default Linux wheel of
# torch brings its CUDA packages along, about 5.5 GB; it runs on the CPU), then prints the
# anchor's JSON. Compare it with `vaegan-render bench --anchor FILE` run right after, on the
# idle machine: the ratios are what BENCHMARKS.md reports. CI needs none of this.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VAEGAN_ANCHOR_VENV:-.build/anchor-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet torch==2.15.0 numpy==2.4.6 scipy==1.17.1 >&2
fi
exec "$venv/bin/python" scripts/anchor/torch_anchor.py "$@"
