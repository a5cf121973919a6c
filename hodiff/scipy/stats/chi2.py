"""scipy.stats.chi2: the chi-squared distribution (a gamma with shape df/2 and scale 2),
differentiable in x, df, loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

_LOG2 = float(_np.log(2.0))

define(globals(), ("df",),
       logpdf=lambda z, df: ((0.5 * df - 1) * np.log(z) - 0.5 * z - _sp.gammaln(0.5 * df)
                             - 0.5 * df * _LOG2),
       cdf=lambda z, df: _sp.gammainc(0.5 * df, 0.5 * z),
       sf=lambda z, df: _sp.gammaincc(0.5 * df, 0.5 * z),
       ppf=lambda q, df: 2 * _sp.gammaincinv(0.5 * df, q),
       isf=lambda q, df: 2 * _sp.gammaincinv(0.5 * df, 1 - q),
       entropy=lambda df: (0.5 * df + _LOG2 + _sp.gammaln(0.5 * df)
                           + (1 - 0.5 * df) * _sp.digamma(0.5 * df)),
       support=lambda z, df: z > 0, stand_in=1.0)
make_callable(__name__)
