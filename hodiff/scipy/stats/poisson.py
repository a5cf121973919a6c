"""scipy.stats.poisson: differentiable in the mean mu (logpmf, pmf, cdf, logcdf, sf, logsf,
entropy); k is an integer count. cdf(k) = Q(floor(k) + 1, mu), the regularized upper
incomplete gamma function.
Imports hodiff.numpy, hodiff.scipy.special and the discrete helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._discrete import entropy_by_sum, floor_k
from hodiff.scipy.stats._distribution import make_callable, plain


def logpmf(k, mu, loc=0):
    """scipy.stats.poisson.logpmf(k, mu, loc=0), differentiable in mu."""
    k = k - loc
    return _sp.xlogy(k, mu) - mu - _sp.gammaln(k + 1)


def pmf(k, mu, loc=0):
    """scipy.stats.poisson.pmf(k, mu, loc=0), differentiable in mu."""
    return np.exp(logpmf(k, mu, loc))


def cdf(k, mu, loc=0):
    """scipy.stats.poisson.cdf(k, mu, loc=0), differentiable in mu."""
    kf = floor_k(k - loc)
    return np.where(kf < 0, 0.0, _sp.gammaincc(_np.maximum(kf, 0) + 1, mu))


def sf(k, mu, loc=0):
    """scipy.stats.poisson.sf(k, mu, loc=0), differentiable in mu."""
    kf = floor_k(k - loc)
    return np.where(kf < 0, 1.0, _sp.gammainc(_np.maximum(kf, 0) + 1, mu))


def logcdf(k, mu, loc=0):
    """log of poisson.cdf."""
    return np.log(cdf(k, mu, loc))


def logsf(k, mu, loc=0):
    """log of poisson.sf."""
    return np.log(sf(k, mu, loc))


def entropy(mu, loc=0):
    """scipy.stats.poisson.entropy(mu), by summing over k up to mu + 20 sqrt(mu) + 40."""
    m = float(_np.max(plain(mu)))
    return entropy_by_sum(lambda k, mu: logpmf(k, mu), int(m + 20 * _np.sqrt(m) + 40), mu)


make_callable(__name__)
