#!/usr/bin/env bash
# The TensorFlow reference's pinned environment, made in .build/reference-venv on first use; prints
# its python. Used by scripts/make_fixtures.sh (the test fixtures) and scripts/anchor.sh tensorflow
# (the speed anchor). CI needs neither.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build/reference-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet tensorflow-cpu==2.21.0 numpy==2.4.6 scipy==1.17.1 safetensors==0.8.0 >&2
fi
echo "$PWD/$venv/bin/python"
