"""scipy.stats.lognorm: the log-normal distribution (shape s, the sd of log x), differentiable
in x, s, loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

_HALF_LOG_2PI = float(0.5 * _np.log(2 * _np.pi))


def _logpdf(z, s):
    y = np.log(z)
    return -0.5 * (y / s) ** 2 - y - np.log(s) - _HALF_LOG_2PI


define(globals(), ("s",), logpdf=_logpdf,
       cdf=lambda z, s: _sp.ndtr(np.log(z) / s), sf=lambda z, s: _sp.ndtr(-np.log(z) / s),
       logcdf=lambda z, s: _sp.log_ndtr(np.log(z) / s),
       logsf=lambda z, s: _sp.log_ndtr(-np.log(z) / s),
       ppf=lambda q, s: np.exp(s * _sp.ndtri(q)), isf=lambda q, s: np.exp(-s * _sp.ndtri(q)),
       entropy=lambda s: 0.5 + _HALF_LOG_2PI + np.log(s),
       support=lambda z, s: z > 0, stand_in=1.0)
make_callable(__name__)
