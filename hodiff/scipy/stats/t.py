"""scipy.stats.t: Student's t distribution, differentiable in x, df, loc and scale (df through
the incomplete beta function's shape derivative in cdf and ppf).
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import implicit_quantile, make_callable, plain
from hodiff.scipy.stats._loc_scale import define

_LOG_PI = float(_np.log(_np.pi))


def _logpdf(z, df):
    return (_sp.gammaln(0.5 * (df + 1)) - _sp.gammaln(0.5 * df) - 0.5 * (np.log(df) + _LOG_PI)
            - 0.5 * (df + 1) * np.log1p(z * z / df))


def _cdf(z, df):
    # Abramowitz & Stegun 26.7.1 in two forms, each where its beta argument is accurate:
    # |z| < sqrt(df): 1/2 + sign(z) I_{z^2/(df+z^2)}(1/2, df/2) / 2;
    # beyond: the tail P(T > |z|) = I_{df/(df+z^2)}(df/2, 1/2) / 2.
    # At z = 0 the first is 0 * inf in its derivative; 1/2 + z pdf(z) has the same value and
    # derivatives there to second order (pdf'(0) = 0).
    zp, dfp = plain(z), plain(df)
    near, zero = zp * zp < dfp, zp == 0
    zn = np.where(near & ~zero, z, 0.5 + 0.0 * z)
    zf = np.where(near, 2.0 + 0.0 * z, z)
    centre = 0.5 + 0.5 * np.sign(zn) * _sp.betainc(0.5, 0.5 * df, zn * zn / (df + zn * zn))
    tail = 0.5 * _sp.betainc(0.5 * df, 0.5, df / (df + zf * zf))
    out = np.where(near, centre, np.where(zp > 0, 1 - tail, tail))
    if _np.any(zero):
        out = np.where(zero, 0.5 + z * np.exp(_logpdf(z, df)), out)
    return out


def _sf(z, df):
    return _cdf(-z, df)


def _ppf(q, df):
    import scipy.stats as _st  # only for the starting point; loaded on first use
    return implicit_quantile(q, _st.t.ppf(plain(q), plain(df)), _cdf,
                             lambda z, df: np.exp(_logpdf(z, df)), (df,))


def _entropy(df):
    h = 0.5 * (df + 1)
    return (h * (_sp.digamma(h) - _sp.digamma(0.5 * df)) + 0.5 * np.log(df)
            + _sp.betaln(0.5 * df, 0.5))


define(globals(), ("df",), logpdf=_logpdf, cdf=_cdf, sf=_sf, ppf=_ppf, entropy=_entropy)
make_callable(__name__)
