"""scipy.stats.laplace: the Laplace distribution, differentiable in x (away from x = loc,
where the log density has a kink), loc and scale.
Imports the loc-scale helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy.stats._distribution import make_callable, plain
from hodiff.scipy.stats._loc_scale import define

_LOG2 = float(_np.log(2.0))


def _cdf(z):
    return np.where(plain(z) < 0, 0.5 * np.exp(np.minimum(z, 0.0)),
                    1 - 0.5 * np.exp(-np.maximum(z, 0.0)))


def _ppf(q):
    return np.where(plain(q) < 0.5, np.log(2 * np.minimum(q, 0.5)),
                    -np.log(2 - 2 * np.maximum(q, 0.5)))


define(globals(),
       logpdf=lambda z: -np.abs(z) - _LOG2, cdf=_cdf, sf=lambda z: _cdf(-z),
       ppf=_ppf, isf=lambda q: -_ppf(q), entropy=lambda: 1.0 + _LOG2)
make_callable(__name__)
