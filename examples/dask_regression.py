"""Logistic regression on a Dask array that does not fit in one chunk, fitted by Newton's method.

The data (a million rows, in ten chunks) is generated lazily from a seed and never gathered in
one place: each Newton step asks hodiff for the gradient and the Hessian of the loss, which are
lazy Dask arrays (a graph over the chunks), and computes both in one pass over the data.
The same code runs on a dask.distributed cluster (with a Client, compute goes there).

Run: python examples/dask_regression.py   (needs the optional extra: pip install hodiff[dask])
"""
import sys

import numpy

try:
    import dask
    import dask.array as da
except ImportError:
    print("Dask is not installed (pip install hodiff[dask]); nothing to do.")
    sys.exit(0)

import hodiff.numpy as np
from hodiff import grad, hessian

ROWS, CHUNK, TRUE_W = 1_000_000, 100_000, numpy.array([1.5, -2.0, 0.5, 0.0])

rng = da.random.RandomState(0)
X = rng.standard_normal((ROWS, 4), chunks=(CHUNK, 4))
p = 1 / (1 + da.exp(-(X @ TRUE_W)))
y = (rng.uniform(size=ROWS, chunks=CHUNK) < p).astype(float)


def loss(w):
    """Mean negative log-likelihood, with log(1 + exp(z)) written to stay finite."""
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z)


w = numpy.zeros(4)
for step in range(8):
    g, H = dask.compute(grad(loss)(w), hessian(loss)(w))  # one pass over the chunks
    w = w - numpy.linalg.solve(H, g)
    print(f"step {step}: |gradient| = {numpy.abs(g).max():.2e}, w = {numpy.round(w, 4)}")
    if numpy.abs(g).max() < 1e-10:
        break

# Checks: the fit is at a stationary point, and close to the weights that made the labels.
g_final = grad(loss)(w).compute()
assert numpy.abs(g_final).max() < 1e-8, g_final
assert numpy.abs(w - TRUE_W).max() < 0.05, w
print(f"fitted {X.numblocks[0]} chunks of {CHUNK} rows: w = {numpy.round(w, 3)} "
      f"(true {TRUE_W}); checks passed")
