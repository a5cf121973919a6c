"""scipy.stats.uniform on [loc, loc + scale], differentiable in x (inside), loc and scale.
Imports the loc-scale helpers.
"""
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

define(globals(),
       logpdf=lambda z: 0.0 * z, cdf=lambda z: z, sf=lambda z: 1 - z,
       ppf=lambda q: q, isf=lambda q: 1 - q, entropy=lambda: 0.0,
       support=lambda z: (z >= 0) & (z <= 1), stand_in=0.5)
make_callable(__name__)
