"""`import hodiff.scipy.stats as stats`: scipy.stats distributions with derivatives in both
modes, with respect to the value and every continuous parameter.

Each distribution is a module with scipy's function names (``stats.norm.logpdf(x, loc,
scale)``, importable as ``hodiff.scipy.stats.norm`` as in autograd) that can also be called to
freeze its parameters (``stats.norm(loc, scale).logpdf(x)``). They are composites of
hodiff.scipy.special and hodiff.numpy: no primitives of their own.
"""
from hodiff.scipy.stats import (
    beta, binom, cauchy, chi2, dirichlet, expon, gamma, laplace, logistic, lognorm,
    multivariate_normal, multivariate_t, nbinom, norm, poisson, t, uniform,
)

__all__ = ["beta", "binom", "cauchy", "chi2", "dirichlet", "expon", "gamma", "laplace",
           "logistic", "lognorm", "multivariate_normal", "multivariate_t", "nbinom", "norm",
           "poisson", "t", "uniform"]
