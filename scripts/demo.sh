#!/usr/bin/env bash
# The main job on built-in defaults, from nothing: set-up, build, train and record the default
# preset (the figures variant, under ten minutes on 2 AVX-512 cores), evaluate it, then write the report:
# one page with the ten manifold films, the all-labels and latent-walk films, sheets and curves.
#   RUN=dir   where the run goes (default: ./vaegan-run)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-vaegan-run}
bash scripts/setup.sh
swift build -c release
BIN=.build/release/vaegan-render
if [ -f "$RUN/config.json" ]; then
  "$BIN" train-and-record --run "$RUN" --resume
else
  "$BIN" train-and-record --run "$RUN"
fi
"$BIN" report --run "$RUN" --evaluate --quiet
echo "Open $(cd "$RUN/report" && pwd)/index.html"
echo "or watch, explore and restyle in the browser: $BIN serve --run $RUN"
