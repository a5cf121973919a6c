"""Information-theory and loss functions, and the remaining special functions: xlogy, xlog1py,
entr, rel_entr, kl_div, huber, pseudo_huber, spence, zeta, lambertw.
Imports hodiff.numpy, hodiff.operators (forward mode, for zeta's derivative in its exponent)
and scipy.special.
"""
from __future__ import annotations

import scipy.special as _sp

import hodiff.numpy as np
from hodiff.numpy.shorthand import elementwise
from hodiff.operators import jvp

# xlogy(x, y) = x log y (0 where x == 0); holomorphic, scipy takes complex. The x-partial
# log(y) is used as is where x == 0 (the function is x log y there too, for y > 0).
xlogy = elementwise(_sp.xlogy, lambda ans, x, y: np.log(y), lambda ans, x, y: x / y,
                    name="special.xlogy")
xlog1py = elementwise(_sp.xlog1py, lambda ans, x, y: np.log1p(y),
                      lambda ans, x, y: x / (1 + y), name="special.xlog1py")
# Real only (scipy has no complex loops). Domains: x > 0 (and y > 0).
entr = elementwise(_sp.entr, lambda ans, x: -np.log(x) - 1, name="special.entr")
rel_entr = elementwise(_sp.rel_entr, lambda ans, x, y: np.log(x / y) + 1,
                       lambda ans, x, y: -x / y, name="special.rel_entr")
kl_div = elementwise(_sp.kl_div, lambda ans, x, y: np.log(x / y),
                     lambda ans, x, y: 1 - x / y, name="special.kl_div")


# huber(delta, r): r^2 / 2 inside |r| <= delta, delta (|r| - delta / 2) outside. The
# derivatives are continuous across |r| = delta (the boundary counts as inside).
def _huber_ddelta(ans, delta, r):
    return np.where(np.less_equal(np.abs(r), delta), 0.0 * r, np.abs(r) - delta)


def _huber_dr(ans, delta, r):
    return np.where(np.less_equal(np.abs(r), delta), r, delta * np.sign(r))


huber = elementwise(_sp.huber, _huber_ddelta, _huber_dr, name="special.huber")


# pseudo_huber(delta, r) = delta^2 (s - 1) with s = sqrt(1 + (r / delta)^2).
def _pseudo_huber_ddelta(ans, delta, r):
    s = np.sqrt(1 + (r / delta) ** 2)
    return 2 * delta * (s - 1) - r * r / (delta * s)


pseudo_huber = elementwise(
    _sp.pseudo_huber, _pseudo_huber_ddelta,
    lambda ans, delta, r: r / np.sqrt(1 + (r / delta) ** 2), name="special.pseudo_huber")

# spence(z) = int_1^z log(t) / (1 - t) dt (scipy's convention), holomorphic off z <= 0. At
# z == 1 the partial is the limit -1.
spence = elementwise(
    _sp.spence,
    lambda ans, z: np.where(np.equal(z, 1), -1.0 + 0 * z,
                            np.log(z) / (1 - np.where(np.equal(z, 1), 2.0, z))),
    name="special.spence")


# -- zeta --------------------------------------------------------------------------------------
# Euler-Maclaurin summation of zeta(s, q) = sum_n (n + q)^-s (DLMF 25.11.5 with the remainder of
# 2.10.1): N terms, the integral tail and K Bernoulli corrections. N = 12, K = 8 gives ~1e-17
# for 1 < s < 20; the formula is the analytic continuation, so it holds for s < 1 as well. It
# serves the derivative in s (values come from scipy), taken by forward mode on the expression.
_EM_N = 12
_BERNOULLI = [float(b) for b in _sp.bernoulli(16)[2::2]]  # B2, B4, ..., B16
_FACT = [float(_sp.factorial(2 * k)) for k in range(1, 9)]


def _zeta_expression(s, q):
    out = 0.0
    for n in range(_EM_N):
        out = out + (q + n) ** -s
    w = q + _EM_N
    out = out + w ** (1 - s) / (s - 1) + 0.5 * w ** -s
    rising = s  # s (s+1) ... (s+2k-2)
    for k in range(1, 9):
        out = out + _BERNOULLI[k - 1] / _FACT[k - 1] * rising * w ** (-s - 2 * k + 1)
        rising = rising * (s + 2 * k - 1) * (s + 2 * k)
    return out


def _dzeta_ds(ans, s, q):
    return jvp(lambda s: _zeta_expression(s, q), (s,), (np.ones_like(s) * 1.0,))[1]


_hurwitz = elementwise(_sp.zeta, _dzeta_ds, lambda ans, s, q: -s * _hurwitz(s + 1, q),
                       name="special.zeta")


def zeta(x, q=None):
    """Riemann zeta (q=None) or Hurwitz zeta zeta(x, q) (scipy.special.zeta), real arguments.

    Differentiable in x (by Euler-Maclaurin summation of the derivative series) and in q
    (d/dq zeta(x, q) = -x zeta(x + 1, q)). With q=None, x > 1.

    Example
    -------
    >>> from hodiff import grad
    >>> round(float(grad(zeta)(2.0)), 10)  # zeta'(2)
    -0.9375482543
    """
    return _hurwitz(x, 1.0 if q is None else q)


# -- Lambert W ---------------------------------------------------------------------------------
def _lambertw_raw(z, k=0, tol=1e-8):
    return _sp.lambertw(z, k, tol)


# W e^W = z, so W' = 1 / (e^W (1 + W)), finite at z = 0 (DLMF 4.13.4). Holomorphic off the
# branch cut; the output is always complex, as scipy's.
lambertw = elementwise(_lambertw_raw, lambda ans, z, k=0, tol=1e-8: 1 / (np.exp(ans) * (1 + ans)),
                       name="special.lambertw")
