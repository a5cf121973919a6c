"""Solves that keep a matrix's structure: banded (LAPACK's gbsv, O(n b^2)) and Toeplitz
(Levinson, O(n^2)). Their rules reuse the same structured solver (the transpose of a banded or
Toeplitz matrix is one too) and never form the dense matrix's inverse. Right-hand sides are
matrices (n, m) with any leading axes (the public wrappers handle vectors). Imports hodiff.core,
hodiff.numpy and the linalg helpers.

x = A^-1 b:  dx = A^-1 (db - dA x),  ct_b = A^-T ct,  ct_A = -ct_b x^T (read back into the
structure's storage), as for the dense solve (Giles 2008, sec. 2.3.1); plain transposes, so
complex systems are holomorphic.
"""
from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl

from hodiff.core import Primitive, unbox
from hodiff.linalg._util import matmul, mT
from hodiff.numpy import reductions as _red
from hodiff.numpy.shape import concatenate, getitem, reshape, untake
from hodiff.numpy.shorthand import is_complex, shape_of, unbroadcast


def _leading_solve(solve_2d, b):
    """Apply a solver of (n, m) right-hand sides to b of shape (..., n, m), in one call."""
    lead, (n, m) = b.shape[:-2], b.shape[-2:]
    if not lead:
        return solve_2d(b)
    flat = _np.moveaxis(b, -2, 0).reshape(n, -1)
    return _np.moveaxis(solve_2d(flat).reshape((n,) + lead + (m,)), 0, -2)


def _fit(ct, x, out_complex):
    return unbroadcast(ct, shape_of(x), out_complex and not is_complex(x))


# -- banded: ab[u + i - j, j] = a[i, j] (scipy's storage) ---------------------------------------
def _band_index(n, lower, upper):
    """Rows r, columns j and validity of ab[r, j]: row r holds diagonal k = upper - r."""
    r = _np.arange(lower + upper + 1)[:, None]
    i = _np.arange(n)[None, :] - upper + r                 # the matrix row of ab[r, j]
    return r, i, (i >= 0) & (i < n)


def _band_raw(ab, b, lower, upper):
    return _leading_solve(lambda rhs: _sl.solve_banded((lower, upper), ab, rhs,
                                                       check_finite=False), b)


def banded_transpose(ab, lower, upper):
    """Storage of a^T (bands swapped): at[l + i - j, j] = a[j, i] = ab[u + j - i, i]."""
    n = shape_of(ab)[-1]
    r = _np.arange(lower + upper + 1)[:, None]
    cols = _np.clip(_np.arange(n)[None, :] - lower + r, 0, n - 1)  # outside the matrix: unread
    return getitem(ab, (Ellipsis, lower + upper - r + 0 * cols, cols))


def banded_matmul(ab, x, lower, upper):
    """a @ x for a in band storage (..., l + u + 1, n) and x (n, m), without the dense a."""
    n = shape_of(x)[-2]
    # y[i] = sum_r a[i, j] x[j] over the columns j = i + upper - r that row i has in band r.
    r = _np.arange(lower + upper + 1)[:, None]
    j = _np.arange(n)[None, :] + upper - r
    inside = (j >= 0) & (j < n)
    j = _np.clip(j, 0, n - 1)
    band = getitem(ab, (Ellipsis, r + 0 * j, j)) * inside          # (..., kk, n)
    lead = len(shape_of(x)) - 2                                      # x's own batch axes
    band = reshape(band, shape_of(band)[:-2] + (1,) * lead + shape_of(band)[-2:] + (1,))
    return _red.sum(band * getitem(x, (Ellipsis, j, slice(None))), axis=-3)


def _band_ct(ct_b, x, lower, upper):
    """ct_ab[r, j] = -sum_m ct_b[i_r(j), m] x[j, m] where row r of column j is a[i, j]."""
    n = shape_of(x)[-2]
    _, i, valid = _band_index(n, lower, upper)
    ic = _np.clip(i, 0, n - 1)
    x = reshape(x, shape_of(x)[:-2] + (1,) + shape_of(x)[-2:])
    return -_red.sum(getitem(ct_b, (Ellipsis, ic, slice(None))) * x, axis=-1) * valid


solve_banded = Primitive(_band_raw, name="linalg.solve_banded", batch_jvp=True)
solve_banded.defrules(
    0,
    lambda t, ans, ab, b, lower, upper: -solve_banded(
        ab, banded_matmul(t, ans, lower, upper), lower, upper),
    lambda ans, ab, b, lower, upper: lambda ct: _fit(_band_ct(
        solve_banded(banded_transpose(ab, lower, upper), ct, upper, lower), ans, lower, upper),
        ab, is_complex(ans)),
)
solve_banded.defrules(
    1,
    lambda t, ans, ab, b, lower, upper: solve_banded(ab, t, lower, upper),
    lambda ans, ab, b, lower, upper: lambda ct: _fit(
        solve_banded(banded_transpose(ab, lower, upper), ct, upper, lower), b,
        is_complex(ans)),
)


# -- Toeplitz: t[i, j] = c[i - j] (i >= j), r[j - i] (i < j); r[0] unread ----------------------
def _toeplitz_raw(c, r, b):
    return _leading_solve(lambda rhs: _sl.solve_toeplitz((c, r), rhs, check_finite=False), b)


def _diagonals(n):
    """Index into [r[n-1], ..., r[1], c[0], ..., c[n-1]] of each entry t[i, j]."""
    return _np.arange(n)[:, None] - _np.arange(n)[None, :] + n - 1


def toeplitz_dense(c, r):
    """The dense Toeplitz matrix (leading axes allowed): for tangents, O(n^2)."""
    n = shape_of(c)[-1]
    vals = concatenate([getitem(r, (Ellipsis, slice(n - 1, 0, -1))), c], axis=-1)
    return getitem(vals, (Ellipsis, _diagonals(n)))


def _toeplitz_cts(ct_b, x, c):
    """Cotangents of c and r from ct_T = -ct_b x^T: sums along T's diagonals."""
    n = shape_of(c)[-1]
    outer = unbroadcast(-matmul(ct_b, mT(x)), (n, n), False)  # summed over batch axes
    dt = _np.result_type(unbox(outer))
    vals = untake(outer, _diagonals(n), (2 * n - 1,), dt)
    zero = 0 * vals[:1]
    return vals[n - 1:], concatenate([zero, vals[n - 2::-1] if n > 1 else vals[:0]])


def _transposed(c, r):
    """T^T is Toeplitz with first column (c[0], r[1:]) and first row c."""
    return concatenate([c[:1], r[1:]]), c


def _toeplitz_vjp(k):
    def make(ans, c, r, b):
        def vjp(ct):
            ct_b = solve_toeplitz(*_transposed(c, r), ct)
            if k == 2:
                return _fit(ct_b, b, is_complex(ans))
            return _fit(_toeplitz_cts(ct_b, ans, c)[k], (c, r)[k], is_complex(ans))
        return vjp
    return make


def _toeplitz_jvp(k):
    def jvp(t, ans, c, r, b):
        dense = toeplitz_dense(t, 0 * t) if k == 0 else toeplitz_dense(0 * t, t)
        if len(shape_of(t)) > 1:      # vector mode: the directions' axis before b's batch axes
            s = shape_of(dense)
            dense = reshape(dense, s[:1] + (1,) * (len(shape_of(ans)) - 2) + s[1:])
        return -solve_toeplitz(c, r, matmul(dense, ans))
    return jvp


solve_toeplitz = Primitive(_toeplitz_raw, name="linalg.solve_toeplitz", batch_jvp=True)
solve_toeplitz.defrules(0, _toeplitz_jvp(0), _toeplitz_vjp(0))
solve_toeplitz.defrules(1, _toeplitz_jvp(1), _toeplitz_vjp(1))
solve_toeplitz.defrules(
    2, lambda t, ans, c, r, b: solve_toeplitz(c, r, t), _toeplitz_vjp(2))

__all__ = ["solve_banded", "solve_toeplitz", "banded_transpose", "banded_matmul",
           "toeplitz_dense"]
