"""Helpers for the discrete distributions: the functions of k with scipy's conventions
(pmf 0 off the support, cdf of floor(k)), and entropy by summing over the support.
Imports hodiff.numpy and the shared distribution helpers.
"""
from __future__ import annotations

import numpy as _np

import hodiff.numpy as np
from hodiff.scipy.stats._distribution import plain


def floor_k(k):
    """floor(k) as a plain array: the cdf is a step function of k (no derivative in k)."""
    return _np.floor(plain(k))


def entropy_by_sum(logpmf, upper, *params, valid=None):
    """-sum_k pmf(k) log pmf(k) over k = 0 .. upper (a plain int covering all but ~1e-17 of
    the mass), differentiable in the parameters. `valid(k)`, a plain mask, drops the k
    outside the support (where logpmf must still be finite)."""
    shape = _np.broadcast_shapes(*[_np.shape(plain(p)) for p in params])
    k = _np.arange(upper + 1, dtype=float).reshape((-1,) + (1,) * len(shape))
    lp = logpmf(k, *params)
    terms = np.exp(lp) * lp
    if valid is not None:
        terms = np.where(valid(k), terms, 0.0)
    return -np.sum(terms, axis=0)
