"""scipy.stats.expon: the exponential distribution, differentiable in x, loc and scale.
Imports the loc-scale helpers.
"""
import hodiff.numpy as np
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

define(globals(),
       logpdf=lambda z: -z, cdf=lambda z: -np.expm1(-z), sf=lambda z: np.exp(-z),
       logcdf=lambda z: np.log(-np.expm1(-z)), logsf=lambda z: -z,
       ppf=lambda q: -np.log1p(-q), isf=lambda q: -np.log(q),
       entropy=lambda: 1.0, support=lambda z: z >= 0, stand_in=1.0)
make_callable(__name__)
