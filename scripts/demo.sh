#!/usr/bin/env bash
# The main job on built-in defaults, from nothing: set-up, build, train and record the default
# preset (the figures variant; 4-11 minutes on 2 cores by kind of machine, README's table), evaluate
# it, then write the report: one page with the ten manifold films, the all-labels and latent-walk
# films, sheets and curves. Training names its kernels first, then shows its ETA (on a terminal) or
# prints one estimate after its first 20 seconds (in a pipe or a log).
#   RUN=dir   where the run goes (default: ./vaegan-run)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-vaegan-run}
bash scripts/setup.sh
echo "demo: building (a first build takes about 5 minutes on 2 cores)"
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
