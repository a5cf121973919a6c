"""scipy.stats.nbinom: the negative binomial (failures before the n-th success, success
probability p), differentiable in n (real, > 0) and p: logpmf, pmf, cdf, logcdf, sf, logsf,
entropy. cdf(k) = I_p(n, k + 1), so its n-derivative is the incomplete beta function's shape
derivative.
Imports hodiff.numpy, hodiff.scipy.special and the discrete helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._discrete import entropy_by_sum, floor_k
from hodiff.scipy.stats._distribution import make_callable, plain


def logpmf(k, n, p, loc=0):
    """scipy.stats.nbinom.logpmf(k, n, p, loc=0), differentiable in n and p."""
    k = k - loc
    return (_sp.gammaln(n + k) - _sp.gammaln(k + 1) - _sp.gammaln(n) + n * np.log(p)
            + _sp.xlog1py(k, -p))


def pmf(k, n, p, loc=0):
    """scipy.stats.nbinom.pmf(k, n, p, loc=0)."""
    return np.exp(logpmf(k, n, p, loc))


def cdf(k, n, p, loc=0):
    """scipy.stats.nbinom.cdf(k, n, p, loc=0), differentiable in n and p."""
    kf = floor_k(k - loc)
    return np.where(kf < 0, 0.0, _sp.betainc(n, _np.maximum(kf, 0) + 1, p))


def sf(k, n, p, loc=0):
    """scipy.stats.nbinom.sf(k, n, p, loc=0), differentiable in n and p."""
    kf = floor_k(k - loc)
    return np.where(kf < 0, 1.0, _sp.betainc(_np.maximum(kf, 0) + 1, n, 1 - p))


def logcdf(k, n, p, loc=0):
    """log of nbinom.cdf."""
    return np.log(cdf(k, n, p, loc))


def logsf(k, n, p, loc=0):
    """log of nbinom.sf."""
    return np.log(sf(k, n, p, loc))


def entropy(n, p, loc=0):
    """scipy.stats.nbinom.entropy(n, p), by summing over k up to mean + 30 sd + 40."""
    n_, p_ = plain(n), plain(p)
    mean, sd = n_ * (1 - p_) / p_, _np.sqrt(n_ * (1 - p_)) / p_
    return entropy_by_sum(lambda k, n, p: logpmf(k, n, p),
                          int(_np.max(mean + 30 * sd) + 40), n, p)


make_callable(__name__)
