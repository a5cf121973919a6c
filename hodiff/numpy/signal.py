"""Convolution and polynomials: convolve (a primitive, bilinear), correlate, polyval, polyfit,
polyadd, polysub, polymul, polyder, polyint, vander (built from it and the other primitives).
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, Primitive, unbox
from hodiff.numpy.elementwise import conjugate, real
from hodiff.numpy.linear import matmul
from hodiff.numpy.arrangement import asarray
from hodiff.numpy.shape import concatenate, flip, getitem, reshape, stack
from hodiff.numpy.backend import put
from hodiff.numpy.shorthand import is_batched, is_complex, map_batch, shape_of

COMPOSITES = {
    "correlate": "convolve with the reversed conjugate", "polyval": "Horner's rule",
    "polyfit": "a fixed least-squares projection (differentiable in y, not in x or w)",
    "polyadd": "add", "polysub": "subtract", "polymul": "convolve",
    "polyder": "multiply by exponents", "polyint": "divide by exponents",
    "vander": "stack of powers",
}


# -- convolve: full mode is the primitive; 'same' and 'valid' are slices of it ------------------
def _conv_full(a, v):
    return _np.convolve(a, v, "full")


def _conv_jvp(other):
    # Bilinear: the tangent of one factor convolved with the other (numpy convolves 1-d only,
    # so vector-mode tangents go direction by direction).
    def jvp(t, ans, a, v):
        x = (a, v)[1 - other]
        y = (a, v)[other]
        if is_batched(t, x):
            return map_batch(lambda tk: convolve_full(tk, y), t)
        return convolve_full(t, y)
    return jvp


def _conv_vjp(other):
    # The transpose of x -> conv(x, y) (no conjugation under the pairing Re(sum(a b))):
    # g[i] = sum_k ct[k] y[k - i], the middle len(x) entries of conv(ct, reversed y).
    def make(ans, a, v):
        x, y = (a, v)[1 - other], (a, v)[other]
        n, m = shape_of(x)[0], shape_of(y)[0]
        ry = flip(y, 0)
        to_real = is_complex(ans) and not is_complex(x)

        def vjp(ct):
            g = getitem(convolve_full(ct, ry), slice(m - 1, m - 1 + n))
            return real(g) if to_real else g
        return vjp
    return make


convolve_full = Primitive(_conv_full, name="convolve", batch_jvp=True)
convolve_full.defrules(0, _conv_jvp(1), _conv_vjp(1))
convolve_full.defrules(1, _conv_jvp(0), _conv_vjp(0))


def _mode_slice(full, na, nv, mode, same_offset):
    if mode == "full":
        return full
    lo, hi = min(na, nv), max(na, nv)
    if mode == "same":
        return getitem(full, slice(same_offset, same_offset + hi))
    if mode == "valid":
        return getitem(full, slice(lo - 1, hi))
    raise ValueError(f"mode must be 'full', 'same' or 'valid', not {mode!r}")


def convolve(a, v, mode="full"):
    """numpy.convolve; differentiable in both arguments."""
    if not (isinstance(a, Box) or isinstance(v, Box)):
        return _np.convolve(a, v, mode)
    a, v = reshape(a, (-1,)), reshape(v, (-1,))
    na, nv = shape_of(a)[0], shape_of(v)[0]
    if not na or not nv:
        raise ValueError("a and v must be non-empty")
    return _mode_slice(convolve_full(a, v), na, nv, mode, (min(na, nv) - 1) // 2)


def correlate(a, v, mode="valid"):
    """numpy.correlate: sum_n a[n + k] conj(v[n]), as a convolution with reversed conj(v)."""
    if not (isinstance(a, Box) or isinstance(v, Box)):
        return _np.correlate(a, v, mode)
    a, v = reshape(a, (-1,)), reshape(v, (-1,))
    na, nv = shape_of(a)[0], shape_of(v)[0]
    rv = flip(conjugate(v) if is_complex(v) else v, 0)
    m = min(na, nv)
    # numpy centres 'same' one place later when a is the shorter argument
    return _mode_slice(convolve_full(a, rv), na, nv, mode, (m - 1) // 2 if na >= nv else m // 2)


# -- polynomials (highest power first, as numpy.poly1d) ----------------------------------------
def polyval(p, x):
    """numpy.polyval by Horner's rule (the same operations as numpy)."""
    if not (isinstance(p, Box) or isinstance(x, Box)):
        return _np.polyval(p, x)
    p = asarray(p)
    y = 0 * x if isinstance(x, Box) else _np.zeros_like(_np.asarray(x, dtype=float))
    for k in range(shape_of(p)[0]):
        y = y * x + getitem(p, k)
    return y


def _pad_front(p, n):
    k = shape_of(p)[0]
    if k >= n:
        return p
    return concatenate([_np.zeros(n - k, dtype=_np.result_type(unbox(p))), p])


def polyadd(a1, a2):
    """numpy.polyadd (on coefficient arrays)."""
    a1, a2 = asarray(a1), asarray(a2)
    n = max(shape_of(a1)[0], shape_of(a2)[0])
    return _pad_front(a1, n) + _pad_front(a2, n)


def polysub(a1, a2):
    """numpy.polysub (on coefficient arrays)."""
    a1, a2 = asarray(a1), asarray(a2)
    n = max(shape_of(a1)[0], shape_of(a2)[0])
    return _pad_front(a1, n) - _pad_front(a2, n)


def polymul(a1, a2):
    """numpy.polymul: the coefficients' convolution."""
    return convolve(a1, a2)


def polyder(p, m=1):
    """numpy.polyder: the m-th derivative's coefficients."""
    if not isinstance(p, Box):
        return _np.polyder(p, m)
    for _ in range(m):
        n = max(shape_of(p)[0] - 1, 0)
        p = getitem(p, slice(0, n)) * put(_np.arange(n, 0, -1.0), p)
    return p


def polyint(p, m=1, k=None):
    """numpy.polyint: the m-th antiderivative's coefficients (constants `k`, default 0)."""
    if not isinstance(p, Box) and not isinstance(k, Box):
        return _np.polyint(p, m, k)
    if k is None:
        ks = [0.0] * m
    elif len(shape_of(k)) == 0:
        ks = [k] * m
    else:
        ks = [getitem(k, i) if isinstance(k, Box) else k[i] for i in range(m)]
    p = asarray(p)
    for i in range(m):
        n = shape_of(p)[0]
        p = concatenate([p / put(_np.arange(n, 0, -1.0), p),
                         reshape(ks[i] if isinstance(ks[i], Box) else put(asarray(ks[i]), p),
                                 (1,))])
    return p


def vander(x, N=None, increasing=False):
    """numpy.vander: columns are powers of x."""
    if not isinstance(x, Box):
        return _np.vander(x, N, increasing)
    n = shape_of(x)[0] if N is None else N
    cols = [x ** k if k else 0 * x + 1 for k in range(n)]
    if not increasing:
        cols = cols[::-1]
    return stack(cols, axis=1)


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """numpy.polyfit, differentiable in `y`: the coefficients are y's projection by the
    pseudo-inverse of the (weighted, column-scaled) Vandermonde matrix of the plain `x`."""
    if not (isinstance(x, Box) or isinstance(y, Box) or isinstance(w, Box)):
        return _np.polyfit(x, y, deg, rcond=rcond, full=full, w=w, cov=cov)
    if isinstance(x, Box):
        raise NotImplementedError("polyfit is differentiable in y, not in x")
    if full or cov:
        raise NotImplementedError("polyfit with full=True or cov=True on traced values")
    x = _np.asarray(x, dtype=float) + 0.0
    order = int(deg) + 1
    lhs = _np.vander(x, order)
    rhs = y
    if w is not None:
        if isinstance(w, Box):
            raise NotImplementedError("polyfit is differentiable in y, not in the weights")
        w = _np.asarray(w, dtype=float)
        lhs = lhs * w[:, None]
        rhs = y * (w[:, None] if len(shape_of(y)) == 2 else w)
    if rcond is None:
        rcond = len(x) * _np.finfo(x.dtype).eps
    scale = _np.sqrt((lhs * lhs).sum(axis=0))
    proj = _np.linalg.pinv(lhs / scale, rcond=rcond) / scale[:, None]  # (order, len(x))
    real_dt = _np.empty(0, _np.result_type(unbox(y))).real.dtype
    return matmul(proj.astype(real_dt), rhs)

