"""Reductions: sum, mean, prod, max, min (primitives), var and std (built from them).

Vector-mode tangents carry a leading axis, so forward rules shift the reduced axes by one.
Imports hodiff.core and the shorthands.
"""
from __future__ import annotations

import importlib

import numpy as _np

from hodiff.core import Primitive, lookup, unbox
from hodiff.modes.forward import ScaledTangent
from hodiff.numpy.backend import is_foreign
from hodiff.numpy.shorthand import is_batched, nondiff, shape_of

# (by module path: the package attribute `shape` is numpy's function, not this submodule)
S = importlib.import_module("hodiff.numpy.shape")


def _axes(axis, ndim):
    """`axis` as a tuple of non-negative ints (all axes for None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim if ndim else a for a in axis)


def _batched_axis(axis, t, x):
    """The reduction axes for tangent `t`: shifted past its vector-mode axis when it has one."""
    if not is_batched(t, x):
        return axis
    return tuple(a + 1 for a in _axes(axis, len(shape_of(x))))


def _restore(ct, xs, axis, keepdims):
    """Broadcast a reduced cotangent back to the input shape `xs`."""
    if not keepdims:
        kept = list(xs)
        for a in _axes(axis, len(xs)):
            kept[a] = 1
        ct = lookup("reshape")(ct, tuple(kept))
    return lookup("broadcast_to")(ct, xs)


def _count(xs, axis):
    return int(_np.prod([xs[a] for a in _axes(axis, len(xs))]))


def _sum_jvp(t, ans, x, axis=None, dtype=None, keepdims=False):
    if type(t) is ScaledTangent:
        xs = shape_of(x)
        if (dtype is None and not keepdims and shape_of(t.scale) == xs
                and len(_axes(axis, len(xs))) == len(xs)):
            # the sum of every direction times the factor: one product, no scaled copy
            if len(xs) == 1:
                return lookup("matmul")(t.base, t.scale)  # (lighter than tensordot)
            return lookup("tensordot")(t.base, t.scale, len(xs))
        t = t.dense()
    return sum(t, axis=_batched_axis(axis, t, x), dtype=dtype, keepdims=keepdims)


_sum_jvp.accepts_scaled = True
sum = Primitive(_np.sum, batch_jvp=True)  # noqa: A001
sum.defrules(
    0,
    _sum_jvp,
    lambda ans, x, axis=None, dtype=None, keepdims=False: (
        lambda xs: lambda ct: _restore(ct, xs, axis, keepdims))(shape_of(x)),
)


def mean(a, axis=None, dtype=None, keepdims=False):
    """numpy.mean: the sum over `axis` divided by the number of elements summed."""
    return sum(a, axis=axis, dtype=dtype, keepdims=keepdims) / _count(shape_of(a), axis)


def _weighted_reduction(np_fun, name, weights):
    """A reduction whose derivative is a weighted sum: d ans = sum(weights(ans, x) * dx)."""
    prim = Primitive(np_fun, name=name, batch_jvp=True)
    prim.defrules(
        0,
        lambda t, ans, x, axis=None, keepdims=False: sum(
            t * weights(ans, x, axis, keepdims), axis=_batched_axis(axis, t, x),
            keepdims=keepdims),
        lambda ans, x, axis=None, keepdims=False: (
            lambda w, xs: lambda ct: _restore(ct, xs, axis, keepdims) * w)(
                weights(ans, x, axis, keepdims), shape_of(x)),
    )
    return prim


def _prod_weights(ans, x, axis, keepdims):
    # d prod / d x_i is the product of the other elements: prod / x_i away from zeros, and the
    # exact product of the others (exclusive cumulative products) when x has a zero. On CuPy
    # and Dask, looking for zeros would read a value on the host: always take the exact way.
    if not is_foreign(x) and not _np.any(unbox(x) == 0):
        if not keepdims:
            ans = _restore(ans, shape_of(x), axis, False)
        return ans / x
    xs = shape_of(x)
    axes = _axes(axis, len(xs))
    rest = tuple(a for a in range(len(xs)) if a not in axes)
    moved = S.transpose(x, rest + axes)  # the reduced axes last, flattened into one
    flat = S.reshape(moved, tuple(xs[a] for a in rest) + (-1,))
    one = _np.ones_like(unbox(flat)[..., :1])
    left = cumprod(S.concatenate([one, flat[..., :-1]], axis=-1), axis=-1)
    right = S.flip(cumprod(S.flip(S.concatenate([flat[..., 1:], one], axis=-1), -1), axis=-1),
                   -1)
    w = S.reshape(left * right, shape_of(moved))
    return S.transpose(w, tuple(_np.argsort(rest + axes)))


def _extreme_weights(ans, x, axis, keepdims):
    # The derivative goes to the elements equal to the extreme, split evenly among ties.
    hit = lookup("equal")(x, _restore(ans, shape_of(x), axis, keepdims))  # plain
    hit = hit.astype(_np.result_type(unbox(ans)))  # float32 tangents stay float32
    return hit / _np.sum(hit, axis=_axes(axis, len(shape_of(x))), keepdims=True)


prod = _weighted_reduction(_np.prod, "prod", _prod_weights)
max = _weighted_reduction(_np.max, "max", _extreme_weights)  # noqa: A001
min = _weighted_reduction(_np.min, "min", _extreme_weights)  # noqa: A001
amax, amin = max, min


def var(a, axis=None, dtype=None, ddof=0, keepdims=False):
    """numpy.var (for complex input, the mean of |a - mean|**2)."""
    centered = a - mean(a, axis=axis, dtype=dtype, keepdims=True)
    sq = lookup("real")(centered * lookup("conjugate")(centered)) \
        if _np.iscomplexobj(unbox(a)) else centered * centered
    n = _count(shape_of(a), axis)
    return sum(sq, axis=axis, dtype=dtype, keepdims=keepdims) / (n - ddof)


def std(a, axis=None, dtype=None, ddof=0, keepdims=False):
    """numpy.std: the square root of `var`."""
    return lookup("sqrt")(var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims))


cumsum = Primitive(_np.cumsum, batch_jvp=True)
cumsum.defrules(
    0,
    lambda t, ans, x, axis=None: (
        cumsum(t, axis=axis + 1 if axis is not None and axis >= 0 else axis)
        if is_batched(t, x) and axis is not None else
        cumsum(lookup("reshape")(t, (shape_of(t)[0], -1)), axis=1) if is_batched(t, x)
        else cumsum(t, axis=axis)),
    lambda ans, x, axis=None: (lambda xs: lambda ct: lookup("reshape")(
        lookup("flip")(cumsum(lookup("flip")(ct, axis), axis), axis), xs))(shape_of(x)),
)

# -- cumprod: derivatives through a log-depth product scan, exact when x has zeros ----------
# cumprod(x) equals log2(n) rounds of y <- y * (y shifted by s along the axis, ones shifted in),
# s = 1, 2, 4, ... (Hillis & Steele 1986, "Data parallel algorithms", the prefix scan). The
# value is numpy's; both rules run that scan on tangents, so they use no division by x.
def _along(axis, sl):
    """An index taking slice `sl` along negative `axis`."""
    return (Ellipsis, sl) + (slice(None),) * (-axis - 1)


def _shift(y, s, axis, fill):
    """y moved s places forward along negative `axis`, with `fill` shifted in."""
    head = _np.full_like(unbox(y)[_along(axis, slice(0, s))], fill)
    return S.concatenate([head, y[_along(axis, slice(None, -s))]], axis=axis)


def _unshift(z, s, axis):
    """The transpose of `_shift` (with fill 0): z moved s places back, zeros shifted in."""
    tail = _np.zeros_like(unbox(z)[_along(axis, slice(0, s))])
    return S.concatenate([z[_along(axis, slice(s, None))], tail], axis=axis)


def _scan_steps(x, axis):
    n, s, out = shape_of(x)[axis], 1, []
    while s < n:
        out.append(s)
        s *= 2
    return out


def _cumprod_jvp(t, ans, x, axis):
    axis -= len(shape_of(x))  # negative: the same axis of a batched tangent
    y = x
    for s in _scan_steps(x, axis):
        sy = _shift(y, s, axis, 1)
        t = t * sy + y * _shift(t, s, axis, 0)
        y = y * sy
    return t


def _cumprod_vjp(ans, x, axis):
    axis -= len(shape_of(x))

    def pull(ct):
        ys, y = [], x
        for s in _scan_steps(x, axis):
            ys.append((y, s))
            y = y * _shift(y, s, axis, 1)
        for y, s in reversed(ys):
            ct = ct * _shift(y, s, axis, 1) + _unshift(ct * y, s, axis)
        return ct
    return pull


_cumprod = Primitive(lambda x, axis: _np.cumprod(x, axis=axis), name="cumprod", batch_jvp=True)
_cumprod.defrules(0, _cumprod_jvp, _cumprod_vjp)


def cumprod(a, axis=None, dtype=None):
    """numpy.cumprod; its derivative is exact where `a` has zeros (no division by `a`)."""
    if dtype is not None:
        a = lookup("astype")(a, dtype)
    if axis is None:
        a, axis = S.ravel(a), 0
    return _cumprod(a, axis % (len(shape_of(a)) or 1))


argmax = nondiff(_np.argmax)
argmin = nondiff(_np.argmin)
argsort = nondiff(_np.argsort)
all = nondiff(_np.all)  # noqa: A001
any = nondiff(_np.any)  # noqa: A001
count_nonzero = nondiff(_np.count_nonzero)
