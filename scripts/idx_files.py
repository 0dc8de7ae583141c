"""MNIST's IDX files (plain, or gzipped beside as NAME.gz) as NumPy arrays, for the scripts that
make data sets from them."""
import gzip, os
import numpy as np


def idx(path):
    """The array an IDX file holds: unsigned bytes, shaped by its header's dimensions."""
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
