"""scipy.stats.dirichlet: logpdf, pdf, mean, var, entropy, differentiable in x and alpha.
As in scipy, x holds the components along its first axis (shape (K,) or (K, N)).
Imports hodiff.numpy and hodiff.scipy.special.
"""
import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable


def _lnB(alpha):
    return np.sum(_sp.gammaln(alpha), axis=0) - _sp.gammaln(np.sum(alpha, axis=0))


def _column(alpha, x):
    # alpha (K,) against x (K,) or (K, N)
    return np.reshape(alpha, (-1,) + (1,) * (len(np.shape(x)) - 1))


def logpdf(x, alpha):
    """scipy.stats.dirichlet.logpdf(x, alpha)."""
    return np.sum(_sp.xlogy(_column(alpha, x) - 1, x), axis=0) - _lnB(alpha)


def pdf(x, alpha):
    """scipy.stats.dirichlet.pdf(x, alpha)."""
    return np.exp(logpdf(x, alpha))


def mean(alpha):
    """scipy.stats.dirichlet.mean(alpha)."""
    return alpha / np.sum(alpha)


def var(alpha):
    """scipy.stats.dirichlet.var(alpha)."""
    a0 = np.sum(alpha)
    return alpha * (a0 - alpha) / (a0 * a0 * (a0 + 1))


def entropy(alpha):
    """scipy.stats.dirichlet.entropy(alpha)."""
    a0 = np.sum(alpha)
    k = np.shape(alpha)[0]
    return (_lnB(alpha) + (a0 - k) * _sp.digamma(a0)
            - np.sum((alpha - 1) * _sp.digamma(alpha)))


make_callable(__name__)
