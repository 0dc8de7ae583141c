#!/bin/bash
# The speed anchors, each in its pinned environment: PyTorch (scripts/anchor/torch_anchor.py) or
# TensorFlow, the notebook's own framework (scripts/anchor/tf_anchor.py).
#
#   bash scripts/anchor.sh [torch] [anchor flags...]     e.g. --precision bf16 --repeats 30
#   bash scripts/anchor.sh tensorflow [flags...]         e.g. --mode eager|function|xla
#
# PyTorch's environment is .build/anchor-venv, made on first use (PyPI's default Linux wheel of
# torch brings its CUDA packages along, about 5.5 GB; it runs on the CPU); TensorFlow's is the
# reference's (scripts/reference/venv.sh). Prints the anchor's JSON. Compare it with
# `vaegan-render bench --anchor FILE` run right after, on the idle machine: the ratios are what
# BENCHMARKS.md reports. CI needs none of this.
set -euo pipefail
cd "$(dirname "$0")/.."
framework=torch
if [ "${1:-}" = torch ] || [ "${1:-}" = tensorflow ]; then framework=$1; shift; fi
if [ "$framework" = tensorflow ]; then
  exec "$(bash scripts/reference/venv.sh)" scripts/anchor/tf_anchor.py "$@"
fi
venv=${VAEGAN_ANCHOR_VENV:-.build/anchor-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet torch==2.15.0 numpy==2.4.6 scipy==1.17.1 >&2
fi
exec "$venv/bin/python" scripts/anchor/torch_anchor.py "$@"
