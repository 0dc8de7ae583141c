#!/usr/bin/env bash
# The main job on built-in defaults, from nothing: set-up, build, train and record (about four
# minutes on 2 cores), then the ten manifold films and a style-transfer sheet.
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
"$BIN" render --all --run "$RUN"
"$BIN" export style-transfer --label all --run "$RUN"
"$BIN" export reconstructions --run "$RUN"
"$BIN" export losses --run "$RUN"
echo "Films: $RUN/manifold_0.mp4 ... $RUN/manifold_9.mp4; sheets: $RUN/style_transfer_*.png, $RUN/reconstructions.png, $RUN/losses.png"
