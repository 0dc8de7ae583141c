#!/usr/bin/env bash
# Regenerate Tests/VAEGANTests/Fixtures from the TensorFlow reference in ../shared/reference.
# Needs a venv with tensorflow-cpu, safetensors, numpy, scipy (see ../shared/reference/README.md):
#   PY=/path/to/venv/bin/python scripts/make_fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
REF=${REF:-../shared/reference/reference.py}
OUT=Tests/VAEGANTests/Fixtures
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
"$PY" "$REF" init --seed 0 --out "$S/w0.safetensors" >/dev/null
"$PY" "$REF" batch --seed 1 --n 64 --out "$S/b.npz" > "$S/batch.json"
"$PY" "$REF" forward --weights "$S/w0.safetensors" --batch "$S/b.npz" --json --json-full --dump "$S/fwd.npz" > "$S/forward.json"
"$PY" "$REF" step --weights "$S/w0.safetensors" --batch "$S/b.npz" --order dg --out "$S/w1.safetensors" \
      --slots-out "$S/s1.safetensors" > "$S/step.json"
"$PY" "$REF" grid --weights "$S/w1.safetensors" --label 7 --out "$S/grid7.npy" > /dev/null
"$PY" - "$S" "$OUT" <<'PYEOF'
import json, sys, numpy as np
from safetensors.numpy import load_file, save_file
S, OUT = sys.argv[1], sys.argv[2]
w0 = load_file(f"{S}/w0.safetensors"); w1 = load_file(f"{S}/w1.safetensors")
save_file(w0, f"{OUT}/weights0.safetensors")
b = np.load(f"{S}/b.npz")
save_file({k: np.ascontiguousarray(b[k]) for k in ("x", "y", "eps", "zp")}, f"{OUT}/batch.safetensors")
f = np.load(f"{S}/fwd.npz")
fwd = {k: np.ascontiguousarray(f[k].astype(np.float32)) for k in f.files if k.startswith("grad.") or k in ("z_mean", "z_log_var")}
# a few activations, enough to localise a mismatch
for k in ("act.dec_x.out", "act.dis_x.l", "act.dis_dec_zp.d"):
    fwd[k] = np.ascontiguousarray(f[k].astype(np.float32))
save_file(fwd, f"{OUT}/forward.safetensors")
step = {"delta." + k: (w1[k].astype(np.float64) - w0[k].astype(np.float64)).astype(np.float32) for k in w0}
step.update(load_file(f"{S}/s1.safetensors"))
save_file(step, f"{OUT}/step_dg.safetensors")
save_file({"grid": np.load(f"{S}/grid7.npy").astype(np.float32)}, f"{OUT}/grid7_after_step.safetensors")
fj = json.load(open(f"{S}/forward.json")); sj = json.load(open(f"{S}/step.json"))
json.dump({"forward_losses": {k: fj["losses"][k] if "losses" in fj else fj[k] for k in ("L_prior", "L_GAN", "L_dis_llike", "L_enc", "L_dec", "L_dis")} ,
           "step_log": sj["log"]}, open(f"{OUT}/reference.json", "w"), indent=1)
PYEOF
ls -la "$OUT"
