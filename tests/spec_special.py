"""Spec rows for hodiff.scipy.special's primitives (registered as special.<name>). Domains stay
inside each function's smooth domain: off poles, kinks (|r| = delta for huber, 0 for i0e) and
branch cuts; complex rows only where scipy takes complex inputs and the function is holomorphic.
"""
from spec import ANY, NONZERO, POS, SMALL, UNIT, Dom, _nondiff, _spec, grid, unary

import scipy.special

import hodiff.scipy.special as sp

SHAPES1 = grid([(3,)])
SHAPES2 = grid([((2, 1), (3,))])
SHAPES3 = grid([((2,), (2,), (2,))])
SHAPE_SMALL = grid([((2,), (2,))])
GAMMA_DOM = Dom((-1.7, -1.3), (0.5, 3.0))
SHAPE = Dom((0.6, 3.0))
PROB = Dom((0.1, 0.9))
BESSEL_ORDERS = [{"v": 0.5}, {"v": 2.0}]
# Away from |r| = delta (delta in POS): always inside or always outside.
HUBER_R = Dom((-3.0, -2.1), (-0.4, 0.4), (2.1, 3.0))


def _special(name, dom=ANY, im=None, shapes=SHAPES1, fun=None, **kw):
    return unary(f"special.{name}", fun or getattr(sp, name), dom=dom, im=im, shapes=shapes,
                 **kw)


def _bessel(name, im=SMALL):  # x complex, the order real
    f = getattr(sp, name)
    return _spec(f"special.{name}", lambda x, v: f(v, x), grid([(3,)], BESSEL_ORDERS),
                 dom=POS, im=im)


ROWS = [
    # gamma family
    _special("gamma", GAMMA_DOM, SMALL),
    _special("gammaln", SHAPE),
    _special("loggamma", SHAPE, SMALL),
    _special("rgamma", GAMMA_DOM, SMALL),
    _special("digamma", SHAPE, SMALL),
    _special("digamma", SHAPE, SMALL, fun=sp.psi, label="psi"),
    _spec("special.polygamma", lambda x, n: sp.polygamma(n, x),
          grid([(3,)], [{"n": 1}, {"n": 2}]), dom=SHAPE, im=SMALL),
    _nondiff("special.gammasgn", sp.gammasgn, dom=GAMMA_DOM),
    _spec("special.beta", sp.beta, SHAPES2, dom=SHAPE),
    _spec("special.betaln", sp.betaln, SHAPES2, dom=SHAPE),
    _spec("special.gammaln", lambda a: sp.multigammaln(a, 3), grid([(2,)]),
          dom=Dom((1.5, 3.0)), label="multigammaln",
          ref=lambda a: scipy.special.multigammaln(a, 3)),
    # incomplete gamma and beta: shape parameters too
    _spec("special.gammainc", sp.gammainc, SHAPE_SMALL, dom=(SHAPE, Dom((0.2, 4.5))),
          rtol=1e-4, atol=1e-6),
    _spec("special.gammaincc", sp.gammaincc, SHAPE_SMALL, dom=(SHAPE, Dom((0.2, 4.5))),
          rtol=1e-4, atol=1e-6),
    _spec("special.gammaincinv", sp.gammaincinv, SHAPE_SMALL, dom=(SHAPE, PROB),
          rtol=1e-4, atol=1e-6),
    _spec("special.betainc", sp.betainc, SHAPES3, dom=(SHAPE, SHAPE, PROB), rtol=1e-4,
          atol=1e-6),
    # error function family
    _special("erf", ANY, SMALL),
    _special("erfc", ANY, SMALL),
    _special("erfcx", ANY, SMALL),
    _special("erfinv", UNIT),
    _special("erfcinv", Dom((0.1, 1.9))),
    _special("ndtr", ANY, SMALL),
    _special("log_ndtr", ANY, SMALL),
    _special("ndtri", PROB),
    _special("expit"),
    _special("logit", PROB),
    _special("log_expit"),
    # Bessel functions (in x; the order fixed)
    _special("j0", POS),
    _special("j1", POS),
    _special("y0", POS),
    _special("y1", POS),
    _special("i0"),
    _special("i1"),
    _special("i0e", NONZERO),
    _special("i1e", NONZERO),
    _bessel("jv"),
    _spec("special.jv", lambda x, n: sp.jn(n, x), grid([(3,)], [{"n": 1}]), dom=POS,
          label="jn"),
    _bessel("yv"),
    _spec("special.yv", lambda x, n: sp.yn(n, x), grid([(3,)], [{"n": 2}]), dom=POS,
          label="yn"),
    _bessel("iv"),
    _bessel("ive", im=None),  # exp(-|Re x|) is not holomorphic
    _bessel("kv"),
    _bessel("kve"),
    # information theory, losses
    _spec("special.xlogy", sp.xlogy, SHAPES2, dom=(ANY, POS), im=SMALL),
    _spec("special.xlog1py", sp.xlog1py, SHAPES2, dom=(ANY, Dom((-0.5, 2.0))), im=SMALL),
    _special("entr", POS),
    _spec("special.rel_entr", sp.rel_entr, SHAPES2, dom=POS),
    _spec("special.kl_div", sp.kl_div, SHAPES2, dom=POS),
    _spec("special.huber", sp.huber, SHAPES2, dom=(POS, HUBER_R)),
    _spec("special.pseudo_huber", sp.pseudo_huber, SHAPES2, dom=(POS, ANY)),
    # the rest
    _special("spence", Dom((0.2, 2.5)), SMALL),
    _special("zeta", Dom((1.5, 4.0)), label="riemann"),
    _spec("special.zeta", sp.zeta, SHAPE_SMALL, dom=(Dom((1.5, 4.0)), POS), label="hurwitz"),
    _special("lambertw", Dom((-0.3, 2.0)), SMALL),
]
