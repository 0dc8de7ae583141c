"""What the speed anchors share: the work's sizes, the manifold's codes and the timing rule."""
import statistics
import time

import numpy as np
from scipy.stats import norm

BATCH, GRID = 64, 15


def manifold_codes(latent):
    """The snapshot's 225 codes: z[0] along a row and z[1] down the columns over
    norm.ppf(linspace(0.05, 0.95, 15)), the other dimensions 0 (the notebook's grid)."""
    grid = norm.ppf(np.linspace(0.05, 0.95, GRID))
    codes = np.zeros((GRID * GRID, latent), np.float32)
    codes[:, 0], codes[:, 1] = np.tile(grid, GRID), np.repeat(grid, GRID)
    return codes


def median_ms(repeats, body, warmups=1):
    """The median of `repeats` timed calls of `body`, in milliseconds, after `warmups` untimed ones
    (which also trace and compile, for the frameworks that do)."""
    for _ in range(warmups):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3
