#!/usr/bin/env python3
"""Write Tests/OwnDataTests/Fixtures/colour: small colour sets as other tools keep them, for the
tests of `--data` with colour images and other sides. Each is made from MNIST's first digits,
tinted (Coloured MNIST: the digit's ink in one hue on black), so that the tests can check what
the reader made of them against numbers computed here:

- tinted.npz: Keras' layout, x of shape (N, 28, 28, 3) uint8, 60 training and 20 test images;
- tinted-nchw.npz: the same images as (N, 3, 28, 28) float32 in [0, 1];
- png32/: three classes of 32x32 PNGs in every colour type Pillow writes (RGB, RGBA with
  transparency, palette, 16-bit grey, 8-bit grey): a mixed set;
- png48x40/: three classes of 48x40 RGB PNGs (larger than 32, not square: fitted into 64).

    python3 -m venv /tmp/pil && /tmp/pil/bin/pip install pillow numpy
    /tmp/pil/bin/python scripts/make_colour_fixtures.py ~/.local/share/vaegan-render/mnist
"""
import colorsys, os, sys
import numpy as np
from idx_files import idx
from PIL import Image


def tint(digit, hue):
    """A grey digit (uint8, ink light on black) as its ink in one fully saturated hue."""
    rgb = np.array(colorsys.hsv_to_rgb(hue, 1.0, 1.0))
    return np.round(digit[..., None].astype(np.float64) * rgb).astype(np.uint8)


mnist = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "OwnDataTests", "Fixtures", "colour")
os.makedirs(out, exist_ok=True)
x, y = idx(f"{mnist}/train-images-idx3-ubyte"), idx(f"{mnist}/train-labels-idx1-ubyte")
xt, yt = idx(f"{mnist}/t10k-images-idx3-ubyte"), idx(f"{mnist}/t10k-labels-idx1-ubyte")
rng = np.random.default_rng(57)
train = np.stack([tint(d, h) for d, h in zip(x[:60], rng.random(60))])
test = np.stack([tint(d, h) for d, h in zip(xt[:20], rng.random(20))])
np.savez_compressed(f"{out}/tinted.npz", x_train=train, y_train=y[:60], x_test=test, y_test=yt[:20])
np.savez_compressed(
    f"{out}/tinted-nchw.npz",
    x_train=(train.transpose(0, 3, 1, 2) / 255).astype(np.float32), y_train=y[:60],
    x_test=(test.transpose(0, 3, 1, 2) / 255).astype(np.float32), y_test=yt[:20])

names = {0: "zero", 1: "one", 7: "seven"}
for label, name in names.items():
    digits = x[y == label][:6]
    # png32: the digit padded to 32x32, in each colour type.
    folder = f"{out}/png32/{name}"
    os.makedirs(folder, exist_ok=True)
    for k, d in enumerate(digits):
        d32 = np.pad(d, 2)
        colour = tint(d32, (label / 10 + k / 7) % 1)
        if k == 0:
            Image.fromarray(colour, "RGB").save(f"{folder}/{k}-rgb.png")
        elif k == 1:
            rgba = np.dstack([colour, np.where(d32 > 0, 255, 0).astype(np.uint8)])
            Image.fromarray(rgba, "RGBA").save(f"{folder}/{k}-rgba.png")
        elif k == 2:
            Image.fromarray(colour, "RGB").quantize(16).save(f"{folder}/{k}-palette.png")
        elif k == 3:
            Image.fromarray(d32.astype(np.uint16) * 257).save(f"{folder}/{k}-grey16.png")
        elif k == 4:
            Image.fromarray(d32, "L").save(f"{folder}/{k}-grey.png")
        else:
            Image.fromarray(colour, "RGB").save(f"{folder}/{k}-rgb.png")
    # png48x40: the digit stretched onto a 48x40 (wide) canvas, in colour.
    folder = f"{out}/png48x40/{name}"
    os.makedirs(folder, exist_ok=True)
    for k, d in enumerate(digits):
        wide = np.array(Image.fromarray(np.pad(d, 6)).resize((48, 40), Image.BILINEAR))
        Image.fromarray(tint(wide, (label / 10 + k / 7) % 1), "RGB").save(f"{folder}/{k}.png")
print("wrote", out)
