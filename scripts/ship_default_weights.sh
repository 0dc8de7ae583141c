#!/usr/bin/env bash
# Keep the default preset's trained weights in Assets/default-run-weights.safetensors, for the
# tests that judge a trained model (style-transfer sheets, the studio's readable digits): the
# model's tensors of the run's checkpoint, without optimiser state, with what made them.
#   RUN=dir   a default-preset run, seed 0, 2 threads (trained here if it holds none)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${RUN:-vaegan-default-run}
BIN=.build/release/vaegan-render
[ -f "$RUN/checkpoint.safetensors" ] || "$BIN" train-and-record --run "$RUN" --preset default --seed 0 --threads 2
python3 - "$RUN/checkpoint.safetensors" Assets/default-run-weights.safetensors <<'EOF'
import json, os, struct, sys
source, target = sys.argv[1], sys.argv[2]
raw = open(source, "rb").read()
size = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + size])
meta = header.pop("__metadata__")
data = raw[8 + size:]
names = sorted(n for n in header if not n.endswith(".rms") and not n.startswith("state."))
out_header, blobs, offset = {}, [], 0
for n in names:
    start, end = header[n]["data_offsets"]
    blobs.append(data[start:end])
    out_header[n] = {"dtype": header[n]["dtype"], "shape": header[n]["shape"], "data_offsets": [offset, offset + end - start]}
    offset += end - start
out_header["__metadata__"] = {
    "format": "vaegan-render weights", "iteration": meta["iteration"], "model.latent_dim": meta["model.latent_dim"],
    "model.variant": "published", "engine.revision": meta.get("engine.revision", "1"),
    "made_by": "train-and-record --preset default --seed 0 (threads 2)",
}
text = json.dumps(out_header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
tmp = target + ".tmp"
with open(tmp, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
os.replace(tmp, target)
print(f"wrote {target}: {len(names)} tensors, iteration {meta['iteration']}")
EOF
