"""scipy.stats.multivariate_t: logpdf, pdf and entropy, differentiable in x, loc, shape (a
positive definite matrix) and df.
Imports hodiff.numpy, hodiff.scipy.special and the linear-algebra helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats.multivariate_normal import _factor, _mahalanobis

_LOG_PI = float(_np.log(_np.pi))


def logpdf(x, loc=None, shape=1, df=1, allow_singular=False):
    """scipy.stats.multivariate_t.logpdf(x, loc, shape, df); x has shape (..., d)."""
    x = np.asarray(x) if not hasattr(x, "shape") else x
    d = np.shape(x)[-1]
    loc = 0.0 * x if loc is None else loc
    l_, logdet = _factor(shape, d, allow_singular)
    maha = _mahalanobis(x, loc, l_)
    return (_sp.gammaln(0.5 * (df + d)) - _sp.gammaln(0.5 * df)
            - 0.5 * d * (np.log(df) + _LOG_PI) - 0.5 * logdet
            - 0.5 * (df + d) * np.log1p(maha / df))


def pdf(x, loc=None, shape=1, df=1, allow_singular=False):
    """scipy.stats.multivariate_t.pdf(x, loc, shape, df)."""
    return np.exp(logpdf(x, loc, shape, df, allow_singular))


def entropy(loc=None, shape=1, df=1):
    """scipy.stats.multivariate_t.entropy(loc, shape, df)."""
    d = np.shape(shape)[-1]
    _, logdet = _factor(shape, d, False)
    h = 0.5 * (df + d)
    return (-_sp.gammaln(h) + _sp.gammaln(0.5 * df) + 0.5 * d * (np.log(df) + _LOG_PI)
            + 0.5 * logdet + h * (_sp.digamma(h) - _sp.digamma(0.5 * df)))


make_callable(__name__)
