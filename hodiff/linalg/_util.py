"""Helpers shared by the linear-algebra rules: matrix transposes, identities built from an
operand, triangle masks, vector-mode tangent alignment. Imports hodiff.core and hodiff.numpy.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Primitive, unbox
from hodiff.numpy import elementwise as _el
from hodiff.numpy import backend
from hodiff.numpy import linear as _lin
from hodiff.numpy.shape import reshape, swapaxes
from hodiff.numpy.shorthand import is_batched, is_complex, shape_of, unbroadcast

matmul = _lin.matmul
conj = _el.conjugate
real = _el.real


def mT(x):
    """Swap the last two axes (the plain transpose of a stack of matrices)."""
    return swapaxes(x, -1, -2)


def mH(x):
    """The conjugate transpose of a stack of matrices (the plain transpose when real)."""
    return conj(mT(x)) if is_complex(x) else mT(x)


def cj(x):
    """Conjugate, skipped for real values (keeps real programs free of no-op primitives)."""
    return conj(x) if is_complex(x) else x


def dtype_of(*xs):
    return _np.result_type(*[unbox(x) for x in xs])


def eye_like(x, n=None, dtype=None):
    """An identity of size n (default: x's last axis) in x's array type and dtype."""
    raw = unbox(x)
    n = shape_of(x)[-1] if n is None else n
    if not backend.is_foreign(raw):
        return _np.eye(n, dtype=dtype or dtype_of(x))
    return backend.eye(n, dtype or dtype_of(x), like=raw)


def diag_part(x):
    """The diagonals of a stack of matrices, shape (..., n)."""
    return _lin.diagonal(x, 0, -2, -1)


def diag_embed(v, like=None):
    """Stack of diagonal matrices with diagonals v (..., n)."""
    return reshape(v, shape_of(v) + (1,)) * eye_like(like if like is not None else v,
                                                         shape_of(v)[-1], dtype_of(v))


def tril(x, k=0):
    return _lin.tril(x, k)


def triu(x, k=0):
    return _lin.triu(x, k)


def lift(t, x, ndim):
    """Align a tangent of `x` with an output of `ndim` dimensions: a vector-mode tangent gets
    its direction axis first and ones for the batch axes `x` lacks, so it broadcasts."""
    if is_batched(t, x):
        xs = shape_of(x)
        return reshape(t, shape_of(t)[:1] + (1,) * (ndim - len(xs)) + xs)
    return t


def lead_axes(t, x):
    """Number of leading vector-mode axes t has beyond x (0 or 1)."""
    return 1 if is_batched(t, x) else 0


def fit_ct(ct, x, out_complex):
    """A cotangent summed back over broadcast batch axes, and real for a real `x`."""
    return unbroadcast(ct, shape_of(x), out_complex and not is_complex(x))


def safe_inverse_gaps(w, rtol):
    """F[..., i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it and wherever the gap is
    below rtol * max|w| (degenerate pairs: see docs/linalg.md)."""
    gap = reshape(w, shape_of(w)[:-1] + (1, shape_of(w)[-1])) - \
        reshape(w, shape_of(w) + (1,))
    scale = _np.max(_np.abs(unbox(w)), axis=-1, keepdims=True)[..., None]
    keep = _np.abs(unbox(gap)) > rtol * _np.maximum(scale, _np.finfo(dtype_of(w)).tiny)
    one = backend.put(_np.ones((), dtype_of(w)), w)
    return _el.where(keep, 1 / _el.where(keep, gap, one), 0 * gap)


def _read_composite(t):
    low = tril(t, -1)
    d = t * eye_like(t)
    return low + mH(low) + (real(d) if is_complex(d) else d)


def _read_transpose_composite(w):
    d = w * eye_like(w)
    return tril(w, -1) + tril(mH(w), -1) + (real(d) if is_complex(d) else d)


def _with_diagonal_of(out, source):
    """`out` with the diagonal of `source` (its real part) put on its own, in place."""
    i = _np.arange(out.shape[-1])
    d = _np.diagonal(source, 0, -2, -1)
    out[..., i, i] = d.real if _np.iscomplexobj(out) else d
    return out


def _read_raw(t):
    if type(t) is not _np.ndarray:
        return _read_composite(t)
    low = _np.tril(t, -1)
    return _with_diagonal_of(low + _np.conj(_np.swapaxes(low, -1, -2)), t)


def _read_transpose_raw(w):
    if type(w) is not _np.ndarray:
        return _read_transpose_composite(w)
    out = w + _np.conj(_np.swapaxes(w, -1, -2))      # in place from here: no more n x n arrays
    n = out.shape[-1]
    _np.copyto(out, 0, where=~_np.tri(n, n, -1, dtype=bool))
    return _with_diagonal_of(out, w)


# Both maps are real-linear and each other's transpose under Re(sum(a * b)): each is its own
# JVP and the other's VJP. Primitives (not compositions of tril, eye, conj) because the
# Cholesky and eigh gradients of large matrices apply them once per backward pass.
hermitian_part_read = Primitive(_read_raw, name="linalg.hermitian_part_read", batch_jvp=True)
"""What LAPACK's Hermitian routines (potrf, heevd) read of a matrix: the strict lower
triangle, mirrored as its conjugate, and the real part of the diagonal."""
hermitian_part_read_transpose = Primitive(_read_transpose_raw,
                                          name="linalg.hermitian_part_read_transpose",
                                          batch_jvp=True)
"""The transpose of `hermitian_part_read` under the pairing Re(sum(a * b))."""
hermitian_part_read.defrules(0, lambda t, ans, x: hermitian_part_read(t),
                             lambda ans, x: hermitian_part_read_transpose)
hermitian_part_read_transpose.defrules(0, lambda t, ans, x: hermitian_part_read_transpose(t),
                                       lambda ans, x: hermitian_part_read)


def complex_like(x, like):
    """x made complex when `like` is (x + 0j): joining a real piece into a complex array through
    this keeps its cotangent real (concatenate alone would pass the imaginary part back)."""
    return x + 0j if is_complex(like) and not is_complex(x) else x
