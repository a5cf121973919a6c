"""More products: cross, vecdot, matvec, vecmat (numpy 2's gufuncs), built from multiply, sum
and matmul, so both modes follow.
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

from hodiff.numpy.elementwise import conjugate
from hodiff.numpy.linear import matmul
from hodiff.numpy.reductions import sum as _sum
from hodiff.numpy.shape import getitem, moveaxis, reshape, stack
from hodiff.numpy.shorthand import is_complex, shape_of

COMPOSITES = {
    "cross": "multiply and subtract of components", "vecdot": "conjugate, multiply, sum",
    "matvec": "matmul", "vecmat": "conjugate, matmul",
}


def _conj(x):
    return conjugate(x) if is_complex(x) else x


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """numpy.cross of 2- or 3-vectors (a missing z component counts as 0)."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = shape_of(a)[-1], shape_of(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    ac = [getitem(a, (Ellipsis, i)) for i in range(na)] + [None] * (3 - na)
    bc = [getitem(b, (Ellipsis, i)) for i in range(nb)] + [None] * (3 - nb)

    def term(i, j, k):  # a_j b_k - a_k b_j, with absent components zero
        parts = []
        if ac[j] is not None and bc[k] is not None:
            parts.append(ac[j] * bc[k])
        if ac[k] is not None and bc[j] is not None:
            parts.append(-(ac[k] * bc[j]))
        return parts[0] if len(parts) == 1 else parts[0] + parts[1] if parts else None

    z = term(2, 0, 1)
    if na == 2 and nb == 2:
        return z
    x, y = term(0, 1, 2), term(1, 2, 0)
    c = stack([x, y, z], axis=-1)
    return moveaxis(c, -1, axisc)


def vecdot(x1, x2, /, *, axis=-1):
    """numpy.vecdot: sum(conj(x1) * x2) along `axis`, broadcasting the rest."""
    return _sum(_conj(x1) * x2, axis=axis)


def matvec(x1, x2, /):
    """numpy.matvec: matrix (..., m, n) times vector (..., n)."""
    return getitem(matmul(x1, reshape(x2, shape_of(x2) + (1,))), (Ellipsis, 0))


def vecmat(x1, x2, /):
    """numpy.vecmat: conj(vector) (..., m) times matrix (..., m, n)."""
    v = reshape(_conj(x1), shape_of(x1)[:-1] + (1,) + shape_of(x1)[-1:])
    return getitem(matmul(v, x2), (Ellipsis, 0, slice(None)))
