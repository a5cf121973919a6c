"""scipy.stats.binom: differentiable in the probability p (n is an integer count):
logpmf, pmf, cdf, logcdf, sf, logsf, entropy. cdf(k) = I_{1-p}(n - k, k + 1) (DLMF 8.17.5).
Imports hodiff.numpy, hodiff.scipy.special and the discrete helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._discrete import entropy_by_sum, floor_k
from hodiff.scipy.stats._distribution import make_callable, plain


def logpmf(k, n, p, loc=0):
    """scipy.stats.binom.logpmf(k, n, p, loc=0), differentiable in p."""
    k = k - loc
    return (_sp.gammaln(n + 1) - _sp.gammaln(k + 1) - _sp.gammaln(n - k + 1)
            + _sp.xlogy(k, p) + _sp.xlog1py(n - k, -p))


def pmf(k, n, p, loc=0):
    """scipy.stats.binom.pmf(k, n, p, loc=0), differentiable in p."""
    return np.exp(logpmf(k, n, p, loc))


def _between(k, n):
    kf = floor_k(k)
    n = plain(n)
    inside = (kf >= 0) & (kf < n)
    return kf, inside, _np.where(inside, kf, 0), _np.where(inside, n, 1)


def cdf(k, n, p, loc=0):
    """scipy.stats.binom.cdf(k, n, p, loc=0), differentiable in p."""
    kf, inside, kk, nn = _between(k - loc, n)
    out = _sp.betainc(nn - kk, kk + 1, 1 - p)
    return np.where(inside, out, np.where(kf < 0, 0.0, 1.0))


def sf(k, n, p, loc=0):
    """scipy.stats.binom.sf(k, n, p, loc=0), differentiable in p."""
    kf, inside, kk, nn = _between(k - loc, n)
    out = _sp.betainc(kk + 1, nn - kk, p)
    return np.where(inside, out, np.where(kf < 0, 1.0, 0.0))


def logcdf(k, n, p, loc=0):
    """log of binom.cdf."""
    return np.log(cdf(k, n, p, loc))


def logsf(k, n, p, loc=0):
    """log of binom.sf."""
    return np.log(sf(k, n, p, loc))


def entropy(n, p, loc=0):
    """scipy.stats.binom.entropy(n, p): the sum over k = 0 .. n."""
    nmax = int(_np.max(plain(n)))
    return entropy_by_sum(lambda k, n, p: logpmf(_np.minimum(k, plain(n)), n, p), nmax, n, p,
                          valid=lambda k: k <= plain(n))


make_callable(__name__)
