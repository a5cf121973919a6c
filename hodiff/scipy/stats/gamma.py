"""scipy.stats.gamma: the gamma distribution, differentiable in x, the shape a (through the
incomplete gamma function's shape derivative in cdf, sf and ppf), loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
import hodiff.numpy as np
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

define(globals(), ("a",),
       logpdf=lambda z, a: (a - 1) * np.log(z) - z - _sp.gammaln(a),
       cdf=lambda z, a: _sp.gammainc(a, z), sf=lambda z, a: _sp.gammaincc(a, z),
       ppf=lambda q, a: _sp.gammaincinv(a, q), isf=lambda q, a: _sp.gammaincinv(a, 1 - q),
       entropy=lambda a: a + _sp.gammaln(a) + (1 - a) * _sp.digamma(a),
       support=lambda z, a: z > 0, stand_in=1.0)
make_callable(__name__)
