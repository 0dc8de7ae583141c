#!/usr/bin/env python3
"""Write Coloured MNIST (or Coloured Fashion-MNIST) as PNG folders, a colour set whose answer is
known: each image's ink takes one random hue on black, as in the invariant-risk literature. The
hue is style, the class is the digit (or garment), so a model that restyles a picture keeps its
hue in every row and draws each row's class.

    python3 scripts/make_coloured_mnist.py IDX_FOLDER OUT [--side 32] [--train 20000] [--test 2000] [--seed 0]

IDX_FOLDER holds the four IDX files (MNIST's, or Fashion-MNIST's in /usr/share/datasets/fashion-mnist).
--side 32 pads each 28x28 image to 32x32; --side 64 scales it to 56x56 (bilinear) and pads it to 64.
Writes OUT/train/<class>/<k>.png and OUT/test/<class>/<k>.png, classes named by their numbers, and
OUT/hues.csv: split, class, file, hue (0-1). Needs NumPy and Pillow.
"""
import argparse, colorsys, csv, os
import numpy as np
from idx_files import idx
from PIL import Image


def shaped(image, side):
    if side == 28:
        return image
    if side == 32:
        return np.pad(image, 2)
    if side == 64:
        return np.pad(np.array(Image.fromarray(image).resize((56, 56), Image.BILINEAR)), 4)
    raise SystemExit(f"--side {side}: 28, 32 or 64")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("idx"), p.add_argument("out")
    p.add_argument("--side", type=int, default=32)
    p.add_argument("--train", type=int, default=20000)
    p.add_argument("--test", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    rows = []
    for split, images, labels, count in [
        ("train", idx(f"{a.idx}/train-images-idx3-ubyte"), idx(f"{a.idx}/train-labels-idx1-ubyte"), a.train),
        ("test", idx(f"{a.idx}/t10k-images-idx3-ubyte"), idx(f"{a.idx}/t10k-labels-idx1-ubyte"), a.test),
    ]:
        for c in range(10):
            os.makedirs(f"{a.out}/{split}/{c}", exist_ok=True)
        for k in range(min(count, len(images))):
            hue = float(rng.random())
            tint = np.array(colorsys.hsv_to_rgb(hue, 1.0, 1.0))
            ink = shaped(images[k], a.side).astype(np.float64)
            rgb = np.round(ink[..., None] * tint).astype(np.uint8)
            name = f"{k}.png"
            Image.fromarray(rgb, "RGB").save(f"{a.out}/{split}/{labels[k]}/{name}")
            rows.append((split, int(labels[k]), name, f"{hue:.4f}"))
    with open(f"{a.out}/hues.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["split", "class", "file", "hue"])
        w.writerows(rows)
    print(f"wrote {len(rows)} images of {a.side}x{a.side} into {a.out}")


if __name__ == "__main__":
    main()
