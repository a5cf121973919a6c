"""Differences, integrals and interpolation: diff, ediff1d, gradient, trapezoid, interp, unwrap.

Built from slices (getitem), arithmetic and concatenate, so both modes follow; coordinates
(`x` of trapezoid and gradient, `xp` of interp) may be traced too.
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, unbox
from hodiff.numpy.elementwise import where
from hodiff.numpy.reductions import sum as _sum
from hodiff.numpy.arrangement import asarray
from hodiff.numpy.shape import broadcast_to, concatenate, getitem, ravel, reshape
from hodiff.numpy.backend import is_foreign, put
from hodiff.numpy.shorthand import shape_of

COMPOSITES = {
    "diff": "slices (getitem) and subtract", "ediff1d": "diff + concatenate",
    "gradient": "slices and arithmetic (numpy's second-order formulas)",
    "trapezoid": "slices, multiply, sum", "interp": "gather (getitem) and arithmetic; "
    "differentiable in x, xp and fp (a kink at each xp: the segment to the right is used)",
    "unwrap": "adds a constant (the derivative is the identity)",
}


def _sl(nd, axis, s):
    return (slice(None),) * axis + (s,) + (slice(None),) * (nd - axis - 1)


def _traced(*xs):
    return any(isinstance(x, Box) for x in xs)


def diff(a, n=1, axis=-1, prepend=_np._NoValue, append=_np._NoValue):
    """numpy.diff: the n-th differences along `axis`."""
    if not _traced(a, prepend, append):
        kw = {k: v for k, v in (("prepend", prepend), ("append", append))
              if v is not _np._NoValue}
        return _np.diff(a, n=n, axis=axis, **kw)
    a = asarray(a)
    nd = len(shape_of(a))
    axis %= nd
    parts = []
    for extra in (prepend, append):
        if extra is _np._NoValue:
            parts.append(None)
            continue
        if len(shape_of(extra)) == 0:
            s = list(shape_of(a))
            s[axis] = 1
            extra = broadcast_to(extra, tuple(s))
        parts.append(extra)
    if parts[0] is not None or parts[1] is not None:
        a = concatenate([p for p in (parts[0], a, parts[1]) if p is not None], axis=axis)
    for _ in range(n):
        a = getitem(a, _sl(nd, axis, slice(1, None))) - getitem(a, _sl(nd, axis, slice(None, -1)))
    return a


def ediff1d(ary, to_end=None, to_begin=None):
    """numpy.ediff1d: differences of the flattened array, with values before and after."""
    if not _traced(ary, to_end, to_begin):
        return _np.ediff1d(ary, to_end=to_end, to_begin=to_begin)
    flat = ravel(ary)
    d = getitem(flat, slice(1, None)) - getitem(flat, slice(None, -1))
    parts = [_edge(x, d) for x in (to_begin,) if x is not None] + [d] + \
        [_edge(x, d) for x in (to_end,) if x is not None]
    return concatenate(parts) if len(parts) > 1 else d


def _edge(v, like):
    # to_begin / to_end, flat; a constant goes where `like` lives (CuPy: on the device)
    return ravel(asarray(v) if isinstance(v, Box) else put(_np.asarray(v), like))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """numpy.trapezoid: the integral by the trapezoidal rule."""
    if not _traced(y, x, dx):
        return _np.trapezoid(y, x=x, dx=dx, axis=axis)
    y = asarray(y)
    nd = len(shape_of(y))
    axis %= nd
    if x is None:
        d = dx
    else:
        x = asarray(x)
        d = diff(x, axis=axis if len(shape_of(x)) > 1 else -1)
        if len(shape_of(x)) == 1 and nd > 1:
            d = reshape(d, tuple(-1 if k == axis else 1 for k in range(nd)))
    up, down = _sl(nd, axis, slice(1, None)), _sl(nd, axis, slice(None, -1))
    return _sum(d * (getitem(y, up) + getitem(y, down)) / 2.0, axis=axis)


def _spacing_along(h, nd, axis):
    # A 1-d coordinate array along `axis`, shaped to broadcast against the data.
    return reshape(h, tuple(-1 if k == axis else 1 for k in range(nd)))


def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient: central differences inside, one-sided (edge_order 1 or 2) at the ends;
    spacings may be scalars or coordinate arrays (traced or not)."""
    if not _traced(f, *varargs):
        return _np.gradient(f, *varargs, axis=axis, edge_order=edge_order)
    f = asarray(f)
    nd = len(shape_of(f))
    axes = tuple(range(nd)) if axis is None else tuple(
        a % nd for a in ((axis,) if _np.ndim(axis) == 0 else axis))
    n_ax = len(axes)
    if not varargs:
        dx = [1.0] * n_ax
    elif len(varargs) == 1 and _np.ndim(unbox(varargs[0])) == 0:
        dx = [varargs[0]] * n_ax
    elif len(varargs) == n_ax:
        dx = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    outs = []
    for ax, h in zip(axes, dx):
        n = shape_of(f)[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        outs.append(_gradient_axis(f, h, nd, ax, n, edge_order))
    return outs[0] if n_ax == 1 else tuple(outs)


def _gradient_axis(f, h, nd, ax, n, edge_order):
    def at(s):
        return getitem(f, _sl(nd, ax, s))

    uniform = _np.ndim(unbox(h)) == 0
    if uniform:
        inner = (at(slice(2, None)) - at(slice(None, -2))) / (2.0 * h)
        e = [h, h, h, h]  # the first two and last two steps
    else:
        dxs = diff(asarray(h))  # 1-d coordinates: n - 1 steps
        d1 = _spacing_along(getitem(dxs, slice(None, -1)), nd, ax)
        d2 = _spacing_along(getitem(dxs, slice(1, None)), nd, ax)
        # numpy's second-order formula for unequal steps
        inner = (-d2 / (d1 * (d1 + d2)) * at(slice(None, -2))
                 + (d2 - d1) / (d1 * d2) * at(slice(1, -1))
                 + d1 / (d2 * (d1 + d2)) * at(slice(2, None)))
        e = [getitem(dxs, k) for k in (0, 1, -2, -1)]
    if edge_order == 1:
        first = (at(slice(1, 2)) - at(slice(0, 1))) / e[0]
        last = (at(slice(-1, None)) - at(slice(-2, -1))) / e[3]
    elif uniform:
        first = (-1.5 * at(slice(0, 1)) + 2.0 * at(slice(1, 2)) - 0.5 * at(slice(2, 3))) / h
        last = (0.5 * at(slice(-3, -2)) - 2.0 * at(slice(-2, -1))
                + 1.5 * at(slice(-1, None))) / h
    else:
        e1, e2 = e[0], e[1]
        first = (-(2.0 * e1 + e2) / (e1 * (e1 + e2)) * at(slice(0, 1))
                 + (e1 + e2) / (e1 * e2) * at(slice(1, 2))
                 - e1 / (e2 * (e1 + e2)) * at(slice(2, 3)))
        e1, e2 = e[2], e[3]
        last = (e2 / (e1 * (e1 + e2)) * at(slice(-3, -2))
                - (e2 + e1) / (e1 * e2) * at(slice(-2, -1))
                + (2.0 * e2 + e1) / (e2 * (e1 + e2)) * at(slice(-1, None)))
    return concatenate([first, inner, last], axis=ax)


def interp(x, xp, fp, left=None, right=None, period=None):
    """numpy.interp: piecewise-linear interpolation, differentiable in `x`, `xp` and `fp`.

    At a breakpoint x == xp[i] the derivative in x is the slope of the segment to its right
    (the last segment's at xp[-1]); outside [xp[0], xp[-1]] the value is constant."""
    if not _traced(x, xp, fp, left, right):
        return _np.interp(x, xp, fp, left=left, right=right, period=period)
    if period is not None:
        raise NotImplementedError("interp with period on a traced value")
    # the segment search runs where the values live (CuPy: on the device)
    xv = unbox(x)
    xv = xv if is_foreign(xv) else _np.asarray(xv)
    xpv = put(_np.asarray(unbox(xp)), xv) if not is_foreign(unbox(xp)) else unbox(xp)
    m = shape_of(xp)[0]
    if m == 1:
        out = broadcast_to(getitem(fp, 0), shape_of(x)) + 0 * x
    else:
        i = _np.clip(_np.searchsorted(xpv, xv, side="right") - 1, 0, m - 2)
        x0, x1 = getitem(xp, i), getitem(xp, i + 1)
        f0, f1 = getitem(fp, i), getitem(fp, i + 1)
        out = f0 + (x - x0) * ((f1 - f0) / (x1 - x0))
    lo = getitem(fp, 0) if left is None else left
    hi = getitem(fp, -1) if right is None else right
    out = where(xv < xpv[0], lo, out)
    out = where(xv > xpv[-1], hi, out)
    return out


def unwrap(p, discont=None, axis=-1, *, period=2 * _np.pi):
    """numpy.unwrap: the jumps it removes are constants, so the derivative is the identity."""
    if not isinstance(p, Box):
        return _np.unwrap(p, discont=discont, axis=axis, period=period)
    pv = unbox(p)
    pv = pv if is_foreign(pv) else _np.asarray(pv)
    return p + (_np.unwrap(pv, discont=discont, axis=axis, period=period) - pv)
