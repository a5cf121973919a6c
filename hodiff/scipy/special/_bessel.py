"""Bessel functions, differentiable in the argument x: j0, j1, jv (jn), y0, y1, yv (yn), i0,
i0e, i1, i1e, iv, ive, kv, kve.

Derivatives with respect to x use the recurrences of DLMF 10.6.1 (J, Y) and 10.29.1 (I, K):
C'_v = (C_{v-1} - C_{v+1}) / 2, I'_v = (I_{v-1} + I_{v+1}) / 2, K'_v = -(K_{v-1} + K_{v+1}) / 2.
The exponentially scaled ive(v, x) = iv(v, x) exp(-|Re x|) and kve(v, x) = kv(v, x) exp(x) add
the derivative of the scale. The order v has no derivative here: d/dv has no closed form in
special functions for general v (DLMF 10.15 gives it only at integer and half-integer orders).
Imports hodiff.numpy and scipy.special.
"""
from __future__ import annotations

import scipy.special as _sp

import hodiff.numpy as np
from hodiff.numpy.shorthand import elementwise

# Real only: scipy's j0, j1, y0, y1, i0, i0e, i1, i1e take real inputs.
j0 = elementwise(_sp.j0, lambda ans, x: -j1(x), name="special.j0")
j1 = elementwise(_sp.j1, lambda ans, x: 0.5 * (j0(x) - jv(2, x)), name="special.j1")
y0 = elementwise(_sp.y0, lambda ans, x: -y1(x), name="special.y0")
y1 = elementwise(_sp.y1, lambda ans, x: 0.5 * (y0(x) - yv(2, x)), name="special.y1")
i0 = elementwise(_sp.i0, lambda ans, x: i1(x), name="special.i0")
i1 = elementwise(_sp.i1, lambda ans, x: 0.5 * (i0(x) + iv(2, x)), name="special.i1")
# i0e = i0 exp(-|x|): the scale contributes -sign(x) i0e (x = 0 is a kink of |x| where i0e'
# is taken as i1e(0) = 0, the average of both sides).
i0e = elementwise(_sp.i0e, lambda ans, x: i1e(x) - np.sign(x) * ans, name="special.i0e")
i1e = elementwise(_sp.i1e, lambda ans, x: 0.5 * (i0e(x) + ive(2, x)) - np.sign(x) * ans,
                  name="special.i1e")

# Holomorphic in x (scipy takes complex x with a real order v).
jv = elementwise(_sp.jv, None, lambda ans, v, x: 0.5 * (jv(v - 1, x) - jv(v + 1, x)),
                 name="special.jv")
yv = elementwise(_sp.yv, None, lambda ans, v, x: 0.5 * (yv(v - 1, x) - yv(v + 1, x)),
                 name="special.yv")
iv = elementwise(_sp.iv, None, lambda ans, v, x: 0.5 * (iv(v - 1, x) + iv(v + 1, x)),
                 name="special.iv")
kv = elementwise(_sp.kv, None, lambda ans, v, x: -0.5 * (kv(v - 1, x) + kv(v + 1, x)),
                 name="special.kv")
# ive scales by exp(-|Re x|), which is not holomorphic: real x only for its derivative.
ive = elementwise(
    _sp.ive, None,
    lambda ans, v, x: 0.5 * (ive(v - 1, x) + ive(v + 1, x)) - np.sign(np.real(x)) * ans,
    name="special.ive")
kve = elementwise(_sp.kve, None,
                  lambda ans, v, x: ans - 0.5 * (kve(v - 1, x) + kve(v + 1, x)),
                  name="special.kve")


def jn(n, x):
    """Bessel function of the first kind of integer order (scipy.special.jn, which is jv)."""
    return jv(n, x)


def yn(n, x):
    """Bessel function of the second kind of integer order n (scipy.special.yn)."""
    return yv(n, x)
