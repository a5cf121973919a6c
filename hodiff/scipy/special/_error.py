"""The error function family and the logistic function: erf, erfc, erfcx, erfinv, erfcinv,
ndtr, log_ndtr, ndtri, expit, logit, log_expit.
Imports hodiff.numpy and scipy.special.
"""
from __future__ import annotations

import numpy as _np
import scipy.special as _sp

import hodiff.numpy as np
from hodiff.numpy.shorthand import elementwise

# Python floats, so float32 tangents stay float32.
_TWO_OVER_SQRT_PI = float(2 / _np.sqrt(_np.pi))
_SQRT_PI_OVER_2 = float(_np.sqrt(_np.pi) / 2)
_INV_SQRT_2PI = float(1 / _np.sqrt(2 * _np.pi))
_SQRT_2PI = float(_np.sqrt(2 * _np.pi))

# Holomorphic (scipy takes complex inputs): erf, erfc, erfcx, ndtr, log_ndtr.
erf = elementwise(_sp.erf, lambda ans, x: _TWO_OVER_SQRT_PI * np.exp(-x * x),
                  name="special.erf")
erfc = elementwise(_sp.erfc, lambda ans, x: -_TWO_OVER_SQRT_PI * np.exp(-x * x),
                   name="special.erfc")
# erfcx(x) = exp(x^2) erfc(x): the derivative 2 x erfcx(x) - 2/sqrt(pi) never overflows.
erfcx = elementwise(_sp.erfcx, lambda ans, x: 2 * x * ans - _TWO_OVER_SQRT_PI,
                    name="special.erfcx")
# Inverses: the reciprocal of the forward derivative at the answer. Real only.
erfinv = elementwise(_sp.erfinv, lambda ans, x: _SQRT_PI_OVER_2 * np.exp(ans * ans),
                     name="special.erfinv")
erfcinv = elementwise(_sp.erfcinv, lambda ans, x: -_SQRT_PI_OVER_2 * np.exp(ans * ans),
                      name="special.erfcinv")
ndtr = elementwise(_sp.ndtr, lambda ans, x: _INV_SQRT_2PI * np.exp(-0.5 * x * x),
                   name="special.ndtr")
# exp(-x^2/2 - log_ndtr(x)) stays finite far in the lower tail, where ndtr underflows.
log_ndtr = elementwise(_sp.log_ndtr,
                       lambda ans, x: _INV_SQRT_2PI * np.exp(-0.5 * x * x - ans),
                       name="special.log_ndtr")
ndtri = elementwise(_sp.ndtri, lambda ans, x: _SQRT_2PI * np.exp(0.5 * ans * ans),
                    name="special.ndtri")
# Real only: scipy has no complex loops for the logistic family.
expit = elementwise(_sp.expit, lambda ans, x: ans * (1 - ans), name="special.expit")
logit = elementwise(_sp.logit, lambda ans, x: 1 / (x * (1 - x)), name="special.logit")
# d/dx log(expit(x)) = expit(-x), exact in both tails.
log_expit = elementwise(_sp.log_expit, lambda ans, x: expit(-x), name="special.log_expit")
