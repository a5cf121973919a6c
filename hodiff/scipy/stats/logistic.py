"""scipy.stats.logistic: the logistic distribution, differentiable in x, loc and scale.
Imports the loc-scale helpers and hodiff.scipy.special.
"""
from hodiff.scipy import special as _sp
from hodiff.scipy.stats._distribution import make_callable
from hodiff.scipy.stats._loc_scale import define

define(globals(),
       logpdf=lambda z: _sp.log_expit(z) + _sp.log_expit(-z),
       cdf=_sp.expit, sf=lambda z: _sp.expit(-z),
       logcdf=_sp.log_expit, logsf=lambda z: _sp.log_expit(-z),
       ppf=_sp.logit, isf=lambda q: -_sp.logit(q), entropy=lambda: 2.0)
make_callable(__name__)
