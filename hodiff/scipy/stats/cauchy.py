"""scipy.stats.cauchy: the Cauchy distribution, differentiable in x, loc and scale.
Imports the loc-scale helpers.
"""
import numpy as _np

import hodiff.numpy as np
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

_PI = float(_np.pi)
_LOG_PI = float(_np.log(_np.pi))

define(globals(),
       logpdf=lambda z: -_LOG_PI - np.log1p(z * z),
       cdf=lambda z: 0.5 + np.arctan(z) / _PI, sf=lambda z: 0.5 - np.arctan(z) / _PI,
       ppf=lambda q: np.tan(_PI * (q - 0.5)), isf=lambda q: np.tan(_PI * (0.5 - q)),
       entropy=lambda: float(_np.log(4 * _np.pi)))
make_callable(__name__)
