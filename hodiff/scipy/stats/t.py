"""scipy.stats.t: Student's t distribution, differentiable in x, df, loc and scale (df through
the incomplete beta function's shape derivative in cdf and ppf).
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import numpy as _np
import scipy.stats as _st

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import implicit_quantile, make_callable, plain
from hodiff.scipy.stats._loc_scale import define

_LOG_PI = float(_np.log(_np.pi))


def _logpdf(z, df):
    return (_sp.gammaln(0.5 * (df + 1)) - _sp.gammaln(0.5 * df) - 0.5 * (np.log(df) + _LOG_PI)
            - 0.5 * (df + 1) * np.log1p(z * z / df))


def _tail(z, df):
    # P(T > |z|) = I_{df/(df+z^2)}(df/2, 1/2) / 2 (Abramowitz & Stegun 26.7.1)
    return 0.5 * _sp.betainc(0.5 * df, 0.5, df / (df + z * z))


def _cdf(z, df):
    return np.where(plain(z) > 0, 1 - _tail(z, df), _tail(z, df))


def _sf(z, df):
    return _cdf(-z, df)


def _ppf(q, df):
    return implicit_quantile(q, _st.t.ppf(plain(q), plain(df)), _cdf,
                             lambda z, df: np.exp(_logpdf(z, df)), (df,))


def _entropy(df):
    h = 0.5 * (df + 1)
    return (h * (_sp.digamma(h) - _sp.digamma(0.5 * df)) + 0.5 * np.log(df)
            + _sp.betaln(0.5 * df, 0.5))


define(globals(), ("df",), logpdf=_logpdf, cdf=_cdf, sf=_sf, ppf=_ppf, entropy=_entropy)
make_callable(__name__)
