"""The linear algebra the multivariate distributions need: cholesky and a triangular solve.

They come from `hodiff.numpy.linalg` / `hodiff.scipy.linalg` (numpy's and scipy's names) where
those have rules. Without them, small composites written with hodiff.numpy stand in (a Python
loop over rows: fine for the few dimensions of a test, slow for large ones).
Imports hodiff.numpy and hodiff.core.
"""
from __future__ import annotations

import importlib

import hodiff.numpy as np
from hodiff.core import all_primitives


def has_linalg_rules() -> bool:
    """Whether hodiff's linear algebra (with a cholesky rule) is available."""
    try:
        nl = importlib.import_module("hodiff.numpy.linalg")
        sl = importlib.import_module("hodiff.scipy.linalg")
    except ImportError:
        return False
    return (hasattr(nl, "cholesky") and hasattr(sl, "solve_triangular")
            and any("cholesky" in name for name in all_primitives()))


def _cholesky_loop(a):
    n = np.shape(a)[-1]
    rows = []
    for i in range(n):
        row = []
        for j in range(i + 1):
            s = a[..., i, j]
            other = row if j == i else rows[j]
            for k in range(j):
                s = s - row[k] * other[k]
            if i == j:
                row.append(np.sqrt(s))
            else:
                row.append(s / rows[j][j])  # L_ij = (a_ij - sum_k L_ik L_jk) / L_jj
        rows.append(row)
    zero = a[..., 0, 0] * 0.0
    return np.stack([np.stack([rows[i][j] if j <= i else zero for j in range(n)], axis=-1)
                     for i in range(n)], axis=-2)


def _solve_lower_loop(l_, b):
    # Forward substitution for l_ (n, n) lower triangular and b (n, ...).
    n = np.shape(l_)[-1]
    xs = []
    for i in range(n):
        s = b[i]
        for k in range(i):
            s = s - l_[i, k] * xs[k]
        xs.append(s / l_[i, i])
    return np.stack(xs, axis=0)


def cholesky(a):
    """Lower Cholesky factor of a symmetric positive definite matrix."""
    if has_linalg_rules():
        return importlib.import_module("hodiff.numpy.linalg").cholesky(a)
    return _cholesky_loop(a)


def solve_lower(l_, b):
    """Solve l_ x = b for lower-triangular l_ (n, n), b (n,) or (n, m)."""
    if has_linalg_rules():
        sl = importlib.import_module("hodiff.scipy.linalg")
        return sl.solve_triangular(l_, b, lower=True)
    return _solve_lower_loop(l_, b)
