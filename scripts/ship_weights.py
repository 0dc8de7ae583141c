#!/usr/bin/env python3
"""Keep the weights of a run's checkpoint (no optimiser state) as a small safetensors file, with
what made them in its metadata. Used for Assets/article-weights.safetensors, the model of the run
that made the article's figures (`--preset figure-run`, the seed of median style spread), which
serve, export style-transfer and evaluate draw with when there is no run yet, and which the
style-transfer and studio tests read:

    python3 scripts/ship_weights.py RUN_DIR Assets/article-weights.safetensors
"""
import json, struct, sys

def main(run, out):
    with open(f"{run}/checkpoint.safetensors", "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        body = f.read()
    meta = header.pop("__metadata__", {})
    config = json.load(open(f"{run}/config.json"))
    keep = sorted(k for k in header if k.endswith(".kernel") or k.endswith(".bias"))
    new_header, chunks, offset = {}, [], 0
    for k in keep:
        start, end = header[k]["data_offsets"]
        chunks.append(body[start:end])
        new_header[k] = {"dtype": header[k]["dtype"], "shape": header[k]["shape"], "data_offsets": [offset, offset + end - start]}
        offset += end - start
    new_header["__metadata__"] = {
        "format": "vaegan-render weights",
        "model.latent_dim": meta["model.latent_dim"],
        "model.variant": config["model"].get("variant", "printed"),
        "iteration": meta["iteration"],
        "made_by": f"train-and-record --preset {config.get('preset', '?')} --seed {config['seed']}"
                   + (" --dropout-masks shared" if config["model"].get("dropoutMasks") == "shared" else "")
                   + f" (threads {config['threads']})",
    }
    text = json.dumps(new_header, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * (-len(text) % 8)
    with open(out + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
    import os
    os.replace(out + ".tmp", out)
    print(f"wrote {out}: {len(keep)} tensors, iteration {meta['iteration']}")

if __name__ == "__main__":
    main(*sys.argv[1:3])
