"""scipy.stats.norm: the normal distribution, differentiable in x, loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import numpy as _np

from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

_HALF_LOG_2PI = float(0.5 * _np.log(2 * _np.pi))

define(globals(),
       logpdf=lambda z: -0.5 * z * z - _HALF_LOG_2PI,
       cdf=_sp.ndtr, sf=lambda z: _sp.ndtr(-z),
       logcdf=_sp.log_ndtr, logsf=lambda z: _sp.log_ndtr(-z),
       ppf=_sp.ndtri, isf=lambda q: -_sp.ndtri(q),
       entropy=lambda: 0.5 + _HALF_LOG_2PI)
make_callable(__name__)
