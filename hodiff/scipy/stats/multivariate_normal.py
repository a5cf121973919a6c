"""scipy.stats.multivariate_normal: logpdf, pdf and entropy, differentiable in x, mean and
cov (positive definite: allow_singular=False only). Through the Cholesky factor L of cov:
logpdf = -(d log 2 pi + 2 sum log diag L + |L^-1 (x - mean)|^2) / 2.
Imports hodiff.numpy and the linear-algebra helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._linalg import cholesky, solve_lower

_LOG_2PI = float(_np.log(2 * _np.pi))


def _factor(cov, d, allow_singular):
    if allow_singular:
        raise NotImplementedError("hodiff's multivariate_normal needs allow_singular=False")
    cov = np.asarray(cov) if not hasattr(cov, "shape") else cov
    if len(np.shape(cov)) < 2:
        cov = cov * np.eye(d)  # a scalar or a diagonal
    l_ = cholesky(cov)
    return l_, 2 * np.sum(np.log(np.diagonal(l_)))


def _mahalanobis(x, mean, l_):
    # x (..., d): solve with the points as columns.
    diff = x - mean
    lead = np.shape(diff)[:-1]
    d = np.shape(diff)[-1]
    z = solve_lower(l_, np.transpose(np.reshape(diff, (-1, d))))
    return np.reshape(np.sum(z * z, axis=0), lead)


def logpdf(x, mean=None, cov=1, allow_singular=False):
    """scipy.stats.multivariate_normal.logpdf(x, mean, cov); x has shape (..., d)."""
    x = np.asarray(x) if not hasattr(x, "shape") else x
    d = np.shape(x)[-1] if np.shape(x) else 1
    mean = 0.0 * x if mean is None else mean
    l_, logdet = _factor(cov, d, allow_singular)
    return -0.5 * (d * _LOG_2PI + logdet + _mahalanobis(x, mean, l_))


def pdf(x, mean=None, cov=1, allow_singular=False):
    """scipy.stats.multivariate_normal.pdf(x, mean, cov)."""
    return np.exp(logpdf(x, mean, cov, allow_singular))


def entropy(mean=None, cov=1, allow_singular=False):
    """scipy.stats.multivariate_normal.entropy(mean, cov) = (d (1 + log 2 pi) + log det cov)/2."""
    d = np.shape(cov)[-1] if len(np.shape(cov)) else 1
    _, logdet = _factor(cov, d, allow_singular)
    return 0.5 * (d * (1 + _LOG_2PI) + logdet)


make_callable(__name__)
