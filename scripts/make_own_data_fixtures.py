#!/usr/bin/env python3
"""Write Tests/OwnDataTests/Fixtures: small sets of MNIST digits as other tools keep them, for the
tests of `--data` with one's own images. NumPy writes a Keras-style .npz and a folder of .npy
files (one per class, Quick, Draw!'s layout); Pillow writes a folder tree of PNG files, dark on
light and 40x40, one folder per class, split into train/ and test/. Run with the reference's
environment plus Pillow:

    .build/reference-venv/bin/pip install pillow
    .build/reference-venv/bin/python scripts/make_own_data_fixtures.py ~/.local/share/vaegan-render/mnist
"""
import os, sys
import numpy as np
from idx_files import idx
from PIL import Image

mnist = sys.argv[1]
out = os.path.join(os.path.dirname(__file__), "..", "Tests", "OwnDataTests", "Fixtures")
x, y = idx(f"{mnist}/train-images-idx3-ubyte"), idx(f"{mnist}/train-labels-idx1-ubyte")
xt, yt = idx(f"{mnist}/t10k-images-idx3-ubyte"), idx(f"{mnist}/t10k-labels-idx1-ubyte")
os.makedirs(out, exist_ok=True)
# Keras' mnist.npz layout, compressed: 200 training and 50 test digits.
np.savez_compressed(f"{out}/keras.npz", x_train=x[:200], y_train=y[:200], x_test=xt[:50], y_test=yt[:50])
# Three classes as .npy files of N x 784 bytes, named by the class.
os.makedirs(f"{out}/npy3", exist_ok=True)
for name, label in [("one", 1), ("seven", 7), ("zero", 0)]:
    np.save(f"{out}/npy3/{name}.npy", x[y == label][:20].reshape(-1, 784))
# Ten classes of PNG files, dark on light and 40x40 (so the reader inverts and fits them).
names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
for split, images, labels, per in [("train", x, y, 4), ("test", xt, yt, 2)]:
    for label, name in enumerate(names):
        folder = f"{out}/png10/{split}/{name}"
        os.makedirs(folder, exist_ok=True)
        for k, image in enumerate(images[labels == label][:per]):
            Image.fromarray(255 - image).resize((40, 40), Image.BILINEAR).save(f"{folder}/{k}.png")
print("wrote", out)
