"""`import hodiff.scipy.special as special`: scipy.special with derivatives in both modes.

Every function is differentiable with respect to each argument that has a derivative (orders
of Bessel functions and polygamma's n excepted; gammasgn has none), to any order: rules are
written with these same functions. Primitives are registered as ``special.<name>``.
This module only re-exports; the families live in the private modules beside it.
"""
from hodiff.numpy import sinc
from hodiff.scipy.special._bessel import (
    i0, i0e, i1, i1e, iv, ive, j0, j1, jn, jv, kv, kve, y0, y1, yn, yv,
)
from hodiff.scipy.special._error import (
    erf, erfc, erfcinv, erfcx, erfinv, expit, log_expit, log_ndtr, logit, ndtr, ndtri,
)
from hodiff.scipy.special._gamma import (
    beta, betaln, digamma, gamma, gammaln, gammasgn, loggamma, multigammaln, polygamma, psi,
    rgamma,
)
from hodiff.scipy.special._incomplete import betainc, gammainc, gammaincc, gammaincinv
from hodiff.scipy.special._logsumexp import log_softmax, logsumexp, softmax
from hodiff.scipy.special._misc import (
    entr, huber, kl_div, lambertw, pseudo_huber, rel_entr, spence, xlog1py, xlogy, zeta,
)

__all__ = [
    "beta", "betainc", "betaln", "digamma", "entr", "erf", "erfc", "erfcinv", "erfcx",
    "erfinv", "expit", "gamma", "gammainc", "gammaincc", "gammaincinv", "gammaln", "gammasgn",
    "huber", "i0", "i0e", "i1", "i1e", "iv", "ive", "j0", "j1", "jn", "jv", "kl_div", "kv",
    "kve", "lambertw", "log_expit", "log_ndtr", "log_softmax", "loggamma", "logit",
    "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma", "pseudo_huber", "psi",
    "rel_entr", "rgamma", "sinc", "softmax", "spence", "xlog1py", "xlogy", "y0", "y1", "yn",
    "yv", "zeta",
]
