"""Regularized incomplete gamma and beta functions and the inverse of P: gammainc, gammaincc,
gammaincinv, betainc, with derivatives with respect to every argument, shape parameters too.

Values come from scipy. Derivatives with respect to x are closed forms (the integrands). Those
with respect to the shape parameters have no closed form; they are the derivatives of
differentiable hodiff expressions that evaluate the same functions:

- P(a, x) for x < a + 1: the series P = sum_n x^(a+n) e^-x / Gamma(a+n+1) (DLMF 8.7.1), summed
  as exp((a+n) log x - x - gammaln(a+n+1)); Q(a, x) for x >= a + 1: Legendre's continued
  fraction (DLMF 8.9.2), evaluated from a fixed depth backwards.
- I_x(a, b) for x <= (a+1)/(a+b+2): the series I = x^a (1-x)^b / (a B(a, b)) *
  sum_n (a+b)_n / (a+1)_n x^n (DLMF 8.17.8 with 15.8.1); above, the symmetry
  I_x(a, b) = 1 - I_{1-x}(b, a).

The number of terms (depth) is chosen from the values, in plain numpy, so that the omitted terms
are below 1e-17 relative to the first. The derivative of that expression with respect to a (or
b) is taken by hodiff's own forward mode, so it is differentiable again (second derivatives,
mixed a-x derivatives). Accuracy: about 1e-13 relative where the derivative is not tiny; far in
a tail (P or Q below ~1e-12) only absolute accuracy near 1e-16 is promised.
Imports hodiff.numpy, hodiff.operators (forward mode) and scipy.special.
"""
from __future__ import annotations

import numpy as _np
import scipy.special as _sp

import hodiff.numpy as np
from hodiff.core import unbox
from hodiff.numpy.shorthand import elementwise
from hodiff.operators import jvp
from hodiff.scipy.special._gamma import gammaln

_LOG_TINY = -40.0  # exp(-40) ~ 4e-18: terms below this, relative to the first, are dropped
_MAX_TERMS = 1 << 14


def _partial(fun, argnum, args):
    """Elementwise derivative of the elementwise expression `fun` in argument `argnum`."""
    args = tuple(args)

    def of_one(z):
        return fun(*(args[:argnum] + (z,) + args[argnum + 1:]))

    z = args[argnum]
    return jvp(of_one, (z,), (np.ones_like(z) * 1.0,))[1]


def _plain(*xs):
    return [_np.asarray(unbox(x), dtype=float) for x in xs]


def _real_dtype(*xs):
    # float32 arguments keep float32 derivatives
    return _np.result_type(*[unbox(x) for x in xs], _np.float32)


def _where_safe(mask, x, safe):
    # Both branches are evaluated everywhere; the unused one gets a harmless stand-in value
    # so no nan or inf reaches the derivative of `where` (where 0 * nan would be nan).
    return np.where(mask, x, safe)


# -- incomplete gamma --------------------------------------------------------------------------
def _gamma_series_terms(a, x):
    a, x = _plain(a, x)
    x = _np.maximum(x, 1e-300)
    n = 16
    while n < _MAX_TERMS:
        drop = n * _np.log(x) - (_sp.gammaln(a + n + 1) - _sp.gammaln(a + 1))
        if _np.all(drop < _LOG_TINY):
            break
        n *= 2
    return n


def _p_series(a, x):
    """P(a, x) by its power series, for x < a + 1."""
    n = _np.arange(_gamma_series_terms(a, x), dtype=_real_dtype(a, x)).reshape(
        (-1,) + (1,) * max(_np.ndim(unbox(a)), _np.ndim(unbox(x))))
    terms = np.exp((a + n) * np.log(x) - x - gammaln(a + n + 1))
    return np.sum(terms, axis=0)


def _cf_value(a, x, depth):
    f = 0.0
    for k in range(depth, 0, -1):
        f = k * (k - a) / (x + (2 * k + 1) - a - f)
    return f


def _gamma_cf_depth(a, x):
    a, x = _plain(a, x)
    depth = 16
    while depth < _MAX_TERMS:
        lo, hi = _cf_value(a, x, depth), _cf_value(a, x, 2 * depth)
        scale = x + 1 - a - hi
        if _np.all(_np.abs(lo - hi) <= 1e-17 * _np.abs(scale)):
            break
        depth *= 2
    return depth


def _q_fraction(a, x):
    """Q(a, x) by Legendre's continued fraction, for x >= a + 1."""
    f = _cf_value(a, x, _gamma_cf_depth(a, x))
    return np.exp(a * np.log(x) - x - gammaln(a)) / (x + 1 - a - f)


def _p_expression(a, x):
    """P(a, x) as a differentiable expression (not used for values: scipy's are)."""
    below = np.less(x, a + 1)
    p = _p_series(a, _where_safe(below, x, 0.5 * a))
    q = _q_fraction(a, _where_safe(below, a + 2, x))
    return np.where(below, p, 1 - q)


def _gamma_density(a, x):
    # dP/dx = x^(a-1) e^-x / Gamma(a)
    return np.exp((a - 1) * np.log(x) - x - gammaln(a))


def _dp_da(a, x):
    # P(a, 0) = 0 for every a: no a-derivative at x = 0 (and no log(0) in the series).
    zero = np.equal(x, 0)
    if not _np.any(unbox(zero)):
        return _partial(_p_expression, 0, (a, x))
    return np.where(zero, 0.0, _partial(_p_expression, 0, (a, np.where(zero, 1.0, x))))


gammainc = elementwise(_sp.gammainc, lambda ans, a, x: _dp_da(a, x),
                       lambda ans, a, x: _gamma_density(a, x), name="special.gammainc")
gammaincc = elementwise(_sp.gammaincc, lambda ans, a, x: -_dp_da(a, x),
                        lambda ans, a, x: -_gamma_density(a, x), name="special.gammaincc")
# x = P^-1(a, y): dx/dy = 1 / P_x(a, x), dx/da = -P_a(a, x) / P_x(a, x) (implicit function).
gammaincinv = elementwise(
    _sp.gammaincinv,
    lambda ans, a, y: -_dp_da(a, ans) / _gamma_density(a, ans),
    lambda ans, a, y: 1 / _gamma_density(a, ans), name="special.gammaincinv")


# -- incomplete beta ---------------------------------------------------------------------------
def _log_beta_term0(a, b, x):
    return a * _np.log(x) + b * _np.log1p(-x) - _sp.gammaln(b) + _sp.gammaln(a + b) \
        - _sp.gammaln(a + 1)


def _beta_series_terms(a, b, x):
    a, b, x = _plain(a, b, x)
    x = _np.clip(x, 1e-300, 1 - 1e-16)
    first = _log_beta_term0(a, b, x)
    n = 16
    while n < _MAX_TERMS:
        drop = (a + n) * _np.log(x) + b * _np.log1p(-x) - _sp.gammaln(b) \
            + _sp.gammaln(a + b + n) - _sp.gammaln(a + 1 + n) - first
        if _np.all(drop < _LOG_TINY):
            break
        n *= 2
    return n


def _i_series(a, b, x):
    """I_x(a, b) by its series, for x <= (a+1)/(a+b+2)."""
    n = _np.arange(_beta_series_terms(a, b, x), dtype=_real_dtype(a, b, x)).reshape(
        (-1,) + (1,) * max(_np.ndim(unbox(a)), _np.ndim(unbox(b)), _np.ndim(unbox(x))))
    terms = np.exp((a + n) * np.log(x) + b * np.log1p(-x) - gammaln(b)
                   + gammaln(a + b + n) - gammaln(a + 1 + n))
    return np.sum(terms, axis=0)


def _i_expression(a, b, x):
    """I_x(a, b) as a differentiable expression (values come from scipy)."""
    low = np.less_equal(x, (a + 1) / (a + b + 2))
    direct = _i_series(a, b, _where_safe(low, x, 0.5 * (a + 1) / (a + b + 2)))
    flipped = _i_series(b, a, _where_safe(low, 0.5 * (b + 1) / (a + b + 2), 1 - x))
    return np.where(low, direct, 1 - flipped)


def _beta_density(a, b, x):
    from hodiff.scipy.special._gamma import betaln
    return np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - betaln(a, b))


def _di_dshape(argnum, a, b, x):
    # I_0 = 0 and I_1 = 1 for every a, b: no shape derivative at the ends.
    end = np.logical_or(np.equal(x, 0), np.equal(x, 1))
    if not _np.any(unbox(end)):
        return _partial(_i_expression, argnum, (a, b, x))
    return np.where(end, 0.0, _partial(_i_expression, argnum, (a, b, np.where(end, 0.5, x))))


betainc = elementwise(
    _sp.betainc,
    lambda ans, a, b, x: _di_dshape(0, a, b, x),
    lambda ans, a, b, x: _di_dshape(1, a, b, x),
    lambda ans, a, b, x: _beta_density(a, b, x), name="special.betainc")
