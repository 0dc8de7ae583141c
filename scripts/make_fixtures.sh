#!/usr/bin/env bash
# Regenerate Tests/VAEGANTests/Fixtures from the TensorFlow reference (scripts/reference/tf_reference.py):
#   bash scripts/make_fixtures.sh
# makes the reference's pinned environment (scripts/reference/venv.sh) on first use (or uses PY=python
# if given), reads MNIST from the set-up's folder (VAEGAN_MNIST_DIR, as scripts/setup.sh), and writes
# one set of weights and one batch; for each loss variant (printed, published, figures): the forward
# pass (losses, z, activations, gradients), one D-then-G step of TF1 RMSProp, and the manifold of 7
# after it. Run on the same versions, it rewrites today's fixtures bit for bit (`git status` shows
# no change). CI needs neither TensorFlow nor this script: the fixtures are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$(bash scripts/reference/venv.sh)}
REF=scripts/reference/tf_reference.py
MNIST=${VAEGAN_MNIST_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vaegan-render/mnist}
OUT=Tests/VAEGANTests/Fixtures
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
"$PY" "$REF" init --seed 0 --out "$S/w0.safetensors"
"$PY" "$REF" batch --seed 1 --n 64 --mnist-dir "$MNIST" --out "$S/b.npz"
for v in printed published figures; do
  "$PY" "$REF" forward --variant $v --weights "$S/w0.safetensors" --batch "$S/b.npz" \
        --dump "$S/fwd-$v.npz" > "$S/forward-$v.json"
  "$PY" "$REF" step --variant $v --weights "$S/w0.safetensors" --batch "$S/b.npz" --order dg \
        --out "$S/w1-$v.safetensors" --slots-out "$S/s1-$v.safetensors" > "$S/step-$v.json"
  "$PY" "$REF" grid --variant $v --weights "$S/w1-$v.safetensors" --label 7 --out "$S/grid7-$v.npy"
done
"$PY" - "$S" "$OUT" <<'PYEOF'
import json, sys, numpy as np
from safetensors.numpy import load_file, save_file
S, OUT = sys.argv[1], sys.argv[2]
w0 = load_file(f"{S}/w0.safetensors")
save_file(w0, f"{OUT}/weights0.safetensors")
b = np.load(f"{S}/b.npz")
save_file({k: np.ascontiguousarray(b[k]) for k in ("x", "y", "eps", "zp")}, f"{OUT}/batch.safetensors")
ref = {}
for v in ("printed", "published", "figures"):
    suffix = "" if v == "printed" else f"-{v}"   # the printed files keep their first names
    f = np.load(f"{S}/fwd-{v}.npz")
    fwd = {k: np.ascontiguousarray(f[k].astype(np.float32)) for k in f.files if k.startswith("grad.") or k in ("z_mean", "z_log_var")}
    # a few activations, enough to localise a mismatch
    for k in ("act.dec_x.out", "act.dis_x.l", "act.dis_dec_zp.d"):
        fwd[k] = np.ascontiguousarray(f[k].astype(np.float32))
    save_file(fwd, f"{OUT}/forward{suffix}.safetensors")
    w1 = load_file(f"{S}/w1-{v}.safetensors")
    step = {"delta." + k: (w1[k].astype(np.float64) - w0[k].astype(np.float64)).astype(np.float32) for k in w0}
    step.update(load_file(f"{S}/s1-{v}.safetensors"))
    save_file(step, f"{OUT}/step_dg{suffix}.safetensors")
    save_file({"grid": np.load(f"{S}/grid7-{v}.npy").astype(np.float32)}, f"{OUT}/grid7_after_step{suffix}.safetensors")
    fj = json.load(open(f"{S}/forward-{v}.json")); sj = json.load(open(f"{S}/step-{v}.json"))
    names = ("L_prior", "L_GAN", "L_dis_llike", "L_enc", "L_dec", "L_dis")
    ref[v] = {"forward_losses": {k: fj["losses"][k] for k in names}, "step_log": sj["log"]}
json.dump(ref, open(f"{OUT}/reference.json", "w"), indent=1)
PYEOF
# The training loop over many steps (scripts/reference/lockstep_tf.py, the notebook's graph fed the
# same batches and noise): 30 iterations with dropout off; and, with dropout in the discriminator
# only, the mean L_dis_llike of 100 forwards at the starting weights with each application's own
# masks (the notebook) and with notebook_4d456ec.py's graph seed (every mask from one sequence).
LS="$PY scripts/reference/lockstep_tf.py"
$LS noise --seed 0 --iterations 30 --out "$S/noise.safetensors"
$LS train --weights "$OUT/weights0.safetensors" --noise "$S/noise.safetensors" --iterations 30 --dropout off \
      --threads 1 --mnist "$MNIST" --out "$S/trajectory.csv"
for m in independent graph-seed; do
  $LS train --weights "$OUT/weights0.safetensors" --noise "$S/noise.safetensors" --iterations 0 --dropout on \
        --dropout-in discriminator --masks $m --forward-draws 100 --threads 1 --mnist "$MNIST" > "$S/draws-$m.json"
done
"$PY" - "$S" "$OUT" <<'PYEOF'
import csv, json, sys, numpy as np
from safetensors.numpy import load_file, save_file
S, OUT = sys.argv[1], sys.argv[2]
noise = load_file(f"{S}/noise.safetensors")
rows = list(csv.DictReader(open(f"{S}/trajectory.csv")))
columns = {"trajectory." + k: np.array([float(r[k]) for r in rows], np.float32) for k in rows[0] if k != "iteration"}
save_file({**noise, **columns}, f"{OUT}/lockstep.safetensors")
draws = {m: json.load(open(f"{S}/draws-{m}.json")) for m in ("independent", "graph-seed")}
json.dump(draws, open(f"{OUT}/lockstep.json", "w"), indent=1)
PYEOF
ls -la "$OUT"
