#!/usr/bin/env bash
# The README's comparison: conditional VAE vs VAE+GAN, latent dimension 2 and 8, each trained on
# the default preset (seed 0; the VAE+GAN in its published variant) and measured by `vaegan-render evaluate`.
# Writes the runs into $OUT (default ./compare), the table into $OUT/comparison.md and the four
# reconstruction sheets into Assets/compare-<model>-latent<d>.png. Everything is seeded: the same
# thread count gives the same numbers.
#   OUT=dir   where the runs go      THREADS=n   threads (default: every core)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-compare}
THREADS=${THREADS:-$(nproc)}
swift build -c release
BIN=.build/release/vaegan-render
mkdir -p "$OUT"
for model in cvae cvae-gan; do
  for d in 2 8; do
    run="$OUT/$model-latent$d"
    if [ -f "$run/config.json" ]; then resume=--resume; else resume=; fi
    "$BIN" train-and-record --run "$run" --model "$model" --latent-dim "$d" --threads "$THREADS" $resume
    "$BIN" evaluate --run "$run" --threads "$THREADS" > /dev/null   # keeps $run/evaluation.json
    "$BIN" export reconstructions --run "$run" --out "Assets/compare-$model-latent$d.png" --quiet
  done
done
python3 - "$OUT" <<'PY' | tee "$OUT/comparison.md"
import json, sys
out = sys.argv[1]
cols = [(m, d) for m in ("cvae", "cvae-gan") for d in (2, 8)]
r = {c: json.load(open(f"{out}/{c[0]}-latent{c[1]}/evaluation.json")) for c in cols}
pct = lambda v: f"{100 * v:.1f}%"
rows = [
    ("label accuracy, manifold grids", lambda e: pct(e["manifold_accuracy"]["overall"])),
    ("label accuracy, random z", lambda e: pct(e["random_accuracy"]["overall"])),
    ("style-transfer accuracy (target label)", lambda e: pct(e["style_transfer_accuracy"]["overall"])),
    ("style spread (sheet row / its inputs)", lambda e: f'{e["style_spread_ratio"]:.3f}'),
    ("reconstruction BCE (test set)", lambda e: f'{e["reconstruction_bce"]:.4f}'),
    ("reconstruction MSE (test set)", lambda e: f'{e["reconstruction_mse"]:.4f}'),
    ("sharpness / real digits", lambda e: f'{e["sharpness_ratio"]:.3f}'),
    ("Fréchet distance (classifier features)", lambda e: f'{e["frechet_distance"]:.1f}'),
    ("diversity / real digits", lambda e: f'{e["diversity_ratio"]:.3f}'),
]
print("| | " + " | ".join(f"{m.upper()}, latent {d}" for m, d in cols) + " |")
print("|---|" + "---|" * len(cols))
for name, f in rows:
    print(f"| {name} | " + " | ".join(f(r[c]) for c in cols) + " |")
print("| iterations trained | " + " | ".join(str(r[c]["iteration"]) for c in cols) + " |")
PY
