"""More products: cross, vecdot, matvec, vecmat (numpy 2's gufuncs), built from einsum,
multiply, sum and matmul, so both modes follow.
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import unbox
from hodiff.numpy.elementwise import conjugate
from hodiff.numpy.linear import einsum, matmul
from hodiff.numpy.reductions import sum as _sum
from hodiff.numpy.shape import getitem, moveaxis, reshape
from hodiff.numpy.shorthand import is_complex, shape_of

COMPOSITES = {
    "cross": "einsum with the Levi-Civita symbol", "vecdot": "conjugate, multiply, sum",
    "matvec": "matmul", "vecmat": "conjugate, matmul",
}


def _conj(x):
    return conjugate(x) if is_complex(x) else x


# The Levi-Civita symbol: (a x b)_i = eps_ijk a_j b_k.
_EPS = _np.zeros((3, 3, 3))
_EPS[0, 1, 2] = _EPS[1, 2, 0] = _EPS[2, 0, 1] = 1.0
_EPS[0, 2, 1] = _EPS[2, 1, 0] = _EPS[1, 0, 2] = -1.0


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """numpy.cross of 2- or 3-vectors (a missing z component counts as 0), as one einsum with
    the Levi-Civita symbol."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = shape_of(a)[-1], shape_of(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    if na == 2 and nb == 2:
        eps = _EPS[2, :2, :2].astype(_np.result_type(_real_dtype(a), _real_dtype(b)))
        return einsum("jk,...j,...k->...", eps, a, b)
    eps = _EPS[:, :na, :nb].astype(_np.result_type(_real_dtype(a), _real_dtype(b)))
    c = einsum("ijk,...j,...k->...i", eps, a, b)
    return moveaxis(c, -1, axisc) if axisc not in (-1, len(shape_of(c)) - 1) else c


def _real_dtype(x):
    return _np.empty(0, _np.result_type(unbox(x))).real.dtype


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
