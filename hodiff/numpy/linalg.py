"""`hodiff.numpy.linalg`: numpy.linalg's functions, differentiable in both modes on stacks of
matrices, real and complex. The rules live in hodiff.linalg; this module gives numpy's names,
signatures and output types. Imports hodiff.core, hodiff.numpy and hodiff.linalg.
"""
from __future__ import annotations

from collections import namedtuple

import numpy as _np
from numpy.linalg import LinAlgError  # noqa: F401

from hodiff.core import unbox
from hodiff.linalg import decompositions as _dec
from hodiff.linalg import solves as _sv
from hodiff.linalg._util import cj, mH, mT
from hodiff.numpy import elementwise as _el
from hodiff.numpy import linear as _lin
from hodiff.numpy import reductions as _red
from hodiff.numpy.shape import broadcast_to, concatenate, moveaxis, reshape, stack, transpose
from hodiff.numpy.shorthand import is_complex, nondiff, shape_of

EighResult = namedtuple("EighResult", "eigenvalues eigenvectors")
EigResult = namedtuple("EigResult", "eigenvalues eigenvectors")
SVDResult = namedtuple("SVDResult", "U S Vh")
QRResult = namedtuple("QRResult", "Q R")
SlogdetResult = namedtuple("SlogdetResult", "sign logabsdet")

matmul = _lin.matmul


def tensordot(x1, x2, /, *, axes=2):
    """numpy.linalg.tensordot."""
    return _lin.tensordot(x1, x2, axes)

outer = _lin.outer


def _nd(x):
    return len(shape_of(x))


# -- solves and determinants -------------------------------------------------------------------
def solve(a, b):
    """numpy.linalg.solve: x with a @ x = b (b a vector when 1-d, else a stack of matrices)."""
    if _nd(b) == 1:
        x = _sv.solve(a, reshape(b, shape_of(b) + (1,)))
        return reshape(x, shape_of(x)[:-1])
    return _sv.solve(a, b)


def inv(a):
    """numpy.linalg.inv."""
    return _sv.inv(a)


def det(a):
    """numpy.linalg.det."""
    return _sv.det(a)


def slogdet(a):
    """numpy.linalg.slogdet: (sign, log|det|); the sign is a constant for real `a` and the
    phase exp(i arg det) for complex `a`."""
    ld = _sv.logdet(a)
    if is_complex(a):
        return SlogdetResult(_el.exp(1j * _el.imag(ld)), _el.real(ld))
    return SlogdetResult(_sv.sign_of_det(a), ld)


def cholesky(a, /, *, upper=False):
    """numpy.linalg.cholesky (lower by default; `upper=True` gives L^H)."""
    low = _sv.cholesky(a)
    return mH(low) if upper else low


def tensorsolve(a, b, axes=None):
    """numpy.linalg.tensorsolve, through a reshape to an ordinary solve."""
    nb = _nd(b)
    if axes is not None:
        allaxes = list(range(_nd(a)))
        for k in axes:
            allaxes.remove(k)
            allaxes.insert(_nd(a), k)
        a = transpose(a, allaxes)
    oldshape = shape_of(a)[nb:]
    n = int(_np.prod(oldshape))
    x = solve(reshape(a, (n, n)), reshape(b, (n,)))
    return reshape(x, oldshape)


def tensorinv(a, ind=2):
    """numpy.linalg.tensorinv, through a reshape to an ordinary inverse."""
    s = shape_of(a)
    out_shape = s[ind:] + s[:ind]
    n = int(_np.prod(s[:ind]))
    return reshape(inv(reshape(a, (n, -1))), out_shape)


def matrix_power(a, n):
    """numpy.linalg.matrix_power by repeated squaring (negative n through inv)."""
    if n < 0:
        a, n = inv(a), -n
    if n == 0:
        eye = _np.eye(shape_of(a)[-1], dtype=_np.result_type(unbox(a)), like=unbox(a))
        return broadcast_to(eye, shape_of(a)) + 0 * a
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


def multi_dot(arrays, *, out=None):
    """numpy.linalg.multi_dot (left to right; 1-d ends treated as numpy does)."""
    arrays = list(arrays)
    first, last = _nd(arrays[0]) == 1, _nd(arrays[-1]) == 1
    if first:
        arrays[0] = reshape(arrays[0], (1, -1))
    if last:
        arrays[-1] = reshape(arrays[-1], (-1, 1))
    out_ = arrays[0]
    for x in arrays[1:]:
        out_ = _lin.dot(out_, x)
    if first and last:
        return reshape(out_, ())
    if first or last:
        return reshape(out_, (-1,))
    return out_


# -- decompositions ----------------------------------------------------------------------------
def eigh(a, UPLO="L"):
    """numpy.linalg.eigh: (eigenvalues ascending, eigenvectors as columns). See docs/linalg.md
    for the gauge of the eigenvectors and the treatment of (nearly) equal eigenvalues."""
    if UPLO == "U":  # the upper triangle of a is the lower triangle of a^H
        a = mH(a)
    w, v = _dec.unpack_eigh(_dec.eigh_packed(a))
    return EighResult(w, v)


def eigvalsh(a, UPLO="L"):
    """numpy.linalg.eigvalsh."""
    return _dec.eigvalsh(mH(a) if UPLO == "U" else a)


def eig(a):
    """numpy.linalg.eig: complex eigenvalues and unit-norm eigenvectors (distinct eigenvalues)."""
    p = _dec.eig_packed(a)
    return EigResult(p[..., 0, :], p[..., 1:, :])


def eigvals(a):
    """numpy.linalg.eigvals."""
    return _dec.eigvals(a)


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd. Differentiable for `full_matrices=False` (or square `a`), or
    `compute_uv=False`; singular values must be distinct and nonzero for U and V."""
    if not compute_uv:
        return _dec.svdvals(a)
    m, n = shape_of(a)[-2:]
    if full_matrices and m != n:
        raise NotImplementedError(
            "svd(full_matrices=True) of a non-square matrix: the extra singular vectors are "
            "not unique, so they have no derivative; use full_matrices=False")
    u, s, vh = _dec.unpack_svd(_dec.svd_packed(a), m)
    return SVDResult(u, s, vh)


def svdvals(x, /):
    """numpy.linalg.svdvals."""
    return _dec.svdvals(x)


def qr(a, mode="reduced"):
    """numpy.linalg.qr ('reduced', 'r', and 'complete' where it equals 'reduced')."""
    m, n = shape_of(a)[-2:]
    if mode == "complete" and m > n:
        raise NotImplementedError(
            "qr(mode='complete') of a tall matrix: the extra columns of Q are not unique, so "
            "they have no derivative; use mode='reduced'")
    if mode not in ("reduced", "complete", "r"):
        raise NotImplementedError(f"qr mode {mode!r} has no derivative rule")
    if m >= n:
        q, r = _dec.unpack_qr(_dec.qr_packed(a), m)
    else:
        # Wide: Q and the first m columns of R come from the square left block; the rest of R
        # is Q^H times the remaining columns.
        q, r1 = _dec.unpack_qr(_dec.qr_packed(a[..., :, :m]), m)
        r = concatenate([r1, matmul(mH(q), a[..., :, m:])], axis=-1)
    return r if mode == "r" else QRResult(q, r)


def pinv(a, rcond=None, hermitian=False, *, rtol=None):
    """numpy.linalg.pinv (derivative for matrices of locally constant rank)."""
    cutoff = rtol if rtol is not None else rcond
    return _dec.pinv(a) if cutoff is None else _dec.pinv(a, rcond=cutoff)


def lstsq(a, b, rcond=None):
    """numpy.linalg.lstsq: (x, residuals, rank, singular values); x = pinv(a) b."""
    rank = matrix_rank(a) if rcond is None else matrix_rank(a, rcond * _np.max(
        _np.linalg.svd(unbox(a), compute_uv=False)))
    x = _lin.dot(pinv(a), b) if rcond is None else _lin.dot(pinv(a, rcond), b)
    m, n = shape_of(a)
    if rank == n and m > n:
        r = b - _lin.dot(a, x)
        resid = _red.sum(_el.real(r * cj(r)) if is_complex(r) else r * r, axis=0)
        if _nd(b) == 1:
            resid = reshape(resid, (1,))
    else:
        resid = _np.empty((0,), dtype=_np.real(unbox(x)).dtype)
    return x, resid, rank, svdvals(a)


def _mrank(A, tol=None, hermitian=False, *, rtol=None):
    return _np.linalg.matrix_rank(A, tol=tol, hermitian=hermitian, rtol=rtol)


matrix_rank = nondiff(_mrank, name="linalg.matrix_rank")


# -- norms -------------------------------------------------------------------------------------
def _abs(x):
    return _el.absolute(x)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """numpy.linalg.vector_norm (every ord)."""
    if axis is None:
        shape = shape_of(x)
        x = reshape(x, (-1,))
        out = vector_norm(x, axis=0, ord=ord)
        return reshape(out, (1,) * len(shape)) if keepdims else out
    if ord == 2:
        sq = _el.real(x * cj(x)) if is_complex(x) else x * x
        return _root(_red.sum(sq, axis=axis, keepdims=keepdims), 0.5)
    if ord == _np.inf:
        return _red.max(_abs(x), axis=axis, keepdims=keepdims)
    if ord == -_np.inf:
        return _red.min(_abs(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        return _red.sum(_el.not_equal(x, 0), axis=axis, keepdims=keepdims).astype(
            _np.real(unbox(x)).dtype)
    if ord == 1:
        return _red.sum(_abs(x), axis=axis, keepdims=keepdims)
    return _root(_red.sum(_abs(x) ** ord, axis=axis, keepdims=keepdims), 1.0 / ord)


def _root(s, power):
    # s ** power with derivative 0 where s == 0 (the norm of a zero vector: the subgradient
    # of least norm, as for abs); the double where keeps the unused branch finite.
    positive = _el.greater(s, 0)
    return _el.where(positive, _el.where(positive, s, 1.0) ** power, 0.0)


def _move_matrix(x, axis):
    return moveaxis(x, axis, (-2, -1))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """numpy.linalg.matrix_norm (fro, nuc, 1, -1, 2, -2, inf, -inf) over the last two axes."""
    return _matrix_norm(x, (-2, -1), keepdims, ord)


def _matrix_norm(x, axis, keepdims, ord):
    nd = _nd(x)
    axis = tuple(a % nd for a in axis)
    if ord in ("fro", "f", None):
        out = vector_norm(x, axis=axis, keepdims=keepdims)
        return out
    y = _move_matrix(x, axis)
    if ord in (2, -2, "nuc"):
        s = _dec.svdvals(y)
        out = _red.max(s, axis=-1) if ord == 2 else _red.min(s, axis=-1) if ord == -2 \
            else _red.sum(s, axis=-1)
    elif ord in (1, -1):
        col = _red.sum(_abs(y), axis=-2)
        out = _red.max(col, axis=-1) if ord == 1 else _red.min(col, axis=-1)
    elif ord in (_np.inf, -_np.inf):
        row = _red.sum(_abs(y), axis=-1)
        out = _red.max(row, axis=-1) if ord > 0 else _red.min(row, axis=-1)
    else:
        raise ValueError(f"invalid norm order {ord!r} for matrices")
    if keepdims:
        shape = list(shape_of(x))
        for a in axis:
            shape[a] = 1
        out = reshape(out, tuple(shape))
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm: vector and matrix norms, every ord, axis, keepdims."""
    nd = _nd(x)
    if axis is None:
        if ord is None or (ord in ("fro", "f") and nd == 2):
            return vector_norm(x, axis=None, keepdims=keepdims)
        axis = tuple(range(nd))
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(axis)
    if len(axis) == 1:
        return vector_norm(x, axis=axis[0], keepdims=keepdims, ord=2 if ord is None else ord)
    return _matrix_norm(x, axis, keepdims, ord)


def cond(x, p=None):
    """numpy.linalg.cond."""
    if p in (None, 2, -2):
        s = _dec.svdvals(x)
        hi, lo = _red.max(s, axis=-1), _red.min(s, axis=-1)
        return lo / hi if p == -2 else hi / lo
    return norm(x, p, axis=(-2, -1)) * norm(inv(x), p, axis=(-2, -1))


# -- products and views ------------------------------------------------------------------------
def trace(x, /, *, offset=0, dtype=None):
    """numpy.linalg.trace: over the last two axes."""
    return _lin.trace(x, offset, -2, -1)


def diagonal(x, /, *, offset=0):
    """numpy.linalg.diagonal: of the last two axes."""
    return _lin.diagonal(x, offset, -2, -1)


def matrix_transpose(x, /):
    """numpy.linalg.matrix_transpose."""
    return mT(x)


def vecdot(x1, x2, /, *, axis=-1):
    """numpy.linalg.vecdot: sum(conj(x1) * x2) along `axis`."""
    return _red.sum(cj(x1) * x2, axis=axis)


def cross(x1, x2, /, *, axis=-1):
    """numpy.linalg.cross of 3-vectors along `axis`."""
    a, b = moveaxis(x1, axis, -1), moveaxis(x2, axis, -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    out = stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    return moveaxis(out, -1, axis)


__all__ = [
    "LinAlgError", "cholesky", "cond", "cross", "det", "diagonal", "eig", "eigh", "eigvals",
    "eigvalsh", "inv", "lstsq", "matmul", "matrix_norm", "matrix_power", "matrix_rank",
    "matrix_transpose", "multi_dot", "norm", "outer", "pinv", "qr", "slogdet", "solve", "svd",
    "svdvals", "tensordot", "tensorinv", "tensorsolve", "trace", "vecdot", "vector_norm",
]
