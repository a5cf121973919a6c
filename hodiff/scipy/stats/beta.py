"""scipy.stats.beta: the beta distribution, differentiable in x, a, b (through the incomplete
beta function's shape derivatives in cdf, sf and ppf), loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import implicit_quantile, make_callable, plain
from hodiff.scipy.stats._loc_scale import define


def _logpdf(z, a, b):
    return (a - 1) * np.log(z) + (b - 1) * np.log1p(-z) - _sp.betaln(a, b)


def _ppf(q, a, b):
    import scipy.stats as _st  # only for the starting point; loaded on first use
    start = _st.beta.ppf(plain(q), plain(a), plain(b))
    return implicit_quantile(q, start, lambda z, a, b: _sp.betainc(a, b, z),
                             lambda z, a, b: np.exp(_logpdf(z, a, b)), (a, b))


define(globals(), ("a", "b"), logpdf=_logpdf,
       cdf=lambda z, a, b: _sp.betainc(a, b, z), sf=lambda z, a, b: _sp.betainc(b, a, 1 - z),
       ppf=_ppf,
       entropy=lambda a, b: (_sp.betaln(a, b) - (a - 1) * _sp.digamma(a)
                             - (b - 1) * _sp.digamma(b) + (a + b - 2) * _sp.digamma(a + b)),
       support=lambda z, a, b: (z > 0) & (z < 1), stand_in=0.5)
make_callable(__name__)
