"""`hodiff.scipy.linalg`: scipy.linalg's functions, differentiable in both modes (rules in
hodiff.linalg). Factorizations return their factors as traced arrays; pivots and permutations
are plain integer arrays. Imports hodiff.core, hodiff.numpy and hodiff.linalg.
"""
from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl

from hodiff.core import unbox
from hodiff.linalg import decompositions as _dec
from hodiff.linalg import solves as _sv
from hodiff.linalg import matrix_functions as _mf
from hodiff.linalg import schur as _schur
from hodiff.linalg import structured as _st
from hodiff.linalg._util import cj, eye_like, mH, mT, tril, triu
import hodiff.numpy.linalg as _nla
from hodiff.numpy import linear as _lin
from hodiff.numpy.arrangement import take_along_axis
from hodiff.numpy.shape import broadcast_to, concatenate, reshape
from hodiff.numpy import elementwise as _el
from hodiff.numpy.backend import is_foreign
from hodiff.numpy.shorthand import is_complex, shape_of

LinAlgError = _np.linalg.LinAlgError


def _nd(x):
    return len(shape_of(x))


def _as_matrix(b):
    if _nd(b) == 1:
        return reshape(b, shape_of(b) + (1,)), True
    return b, False


def _back(x, vector):
    return reshape(x, shape_of(x)[:-1]) if vector else x


def solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
          assume_a=None, transposed=False):
    """scipy.linalg.solve. Every `assume_a` is solved (and differentiated) as a general
    system, so the derivative includes both triangles of `a` (docs/linalg.md)."""
    if transposed:
        a = mT(a)
    return _nla.solve(a, b)


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):
    """scipy.linalg.solve_triangular (trans 0/'N', 1/'T', 2/'C'); only a's triangle is read."""
    if trans in (1, "T"):
        a, lower = mT(a), not lower
    elif trans in (2, "C"):
        a, lower = mH(a), not lower
    b2, vector = _as_matrix(b)
    return _back(_sv.solve_triangular(a, b2, lower=lower, unit_diagonal=unit_diagonal), vector)


def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """scipy.linalg.cholesky (upper by default, as in scipy; reads the triangle it returns)."""
    if lower:
        return _sv.cholesky(a)
    return mH(_sv.cholesky(mH(a)))


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """scipy.linalg.cho_factor: (c, lower). Unlike scipy, the unused triangle of c is zero."""
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """scipy.linalg.cho_solve: two triangular solves with the factor."""
    c, lower = c_and_lower
    low = tril(c) if lower else mH(triu(c))
    b2, vector = _as_matrix(b)
    y = _sv.solve_triangular(low, b2, lower=True)
    return _back(_sv.solve_triangular(mH(low), y, lower=False), vector)


def _lu_perm(a):
    return _sl.lu(unbox(a))[0]


def lu(a, permute_l=False, overwrite_a=False, check_finite=True, p_indices=False):
    """scipy.linalg.lu of a square matrix: (P, L, U) with a = P L U, or (P L, U)."""
    p = _lu_perm(a)
    low, u = _dec.unpack_lu(_dec.lu_packed(a))
    if permute_l:
        return _nla.matmul(p, low), u
    if p_indices:
        return _np.argmax(p, axis=-2), low, u
    return p, low, u


def lu_factor(a, overwrite_a=False, check_finite=True):
    """scipy.linalg.lu_factor of a square matrix: (lu, piv), lu = L - I + U."""
    low, u = _dec.unpack_lu(_dec.lu_packed(a))
    piv = _sl.lu_factor(unbox(a), check_finite=False)[1]
    return tril(low, -1) + u, piv


def _perm_from_piv(piv, n):
    """Row order of LAPACK's row swaps, for one pivot vector or a stack of them."""
    piv = _np.asarray(piv)
    perm = _np.broadcast_to(_np.arange(n), piv.shape).copy()
    for idx in _np.ndindex(piv.shape[:-1]):
        p = perm[idx]
        for i, j in enumerate(piv[idx]):
            p[i], p[j] = p[j], p[i]
    return perm


def _rows(b, perm):
    """b's rows reordered by perm (one order, or one per matrix of a stack)."""
    if perm.ndim == 1:
        return b[..., perm, :]
    lead = _np.broadcast_shapes(perm.shape[:-1], shape_of(b)[:-2])
    b = broadcast_to(b, lead + shape_of(b)[-2:])
    return take_along_axis(b, _np.broadcast_to(perm, lead + perm.shape[-1:])[..., None],
                                axis=-2)


def lu_solve(lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    """scipy.linalg.lu_solve (trans 0, 1 or 2), for one matrix or a stack."""
    lu_, piv = lu_and_piv
    perm = _perm_from_piv(piv, shape_of(lu_)[-1])
    b2, vector = _as_matrix(b)
    if trans == 0:
        y = _sv.solve_triangular(lu_, _rows(b2, perm), lower=True, unit_diagonal=True)
        return _back(_sv.solve_triangular(lu_, y, lower=False), vector)
    op = mT if trans == 1 else mH
    y = _sv.solve_triangular(op(lu_), b2, lower=True)
    x = _sv.solve_triangular(op(lu_), y, lower=False, unit_diagonal=True)
    return _back(_rows(x, _np.argsort(perm, axis=-1)), vector)


def eigh(a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False,
         type=1, check_finite=True, subset_by_index=None, subset_by_value=None, driver=None):
    """scipy.linalg.eigh, standard or generalized (a v = w b v, type 1). The generalized
    problem is reduced with the Cholesky factor of b: c = L^-1 a L^-H, v = L^-H (eigenvectors
    of c), so v^H b v = I; eigenvector signs may differ from scipy's."""
    if subset_by_index is not None or subset_by_value is not None or type != 1:
        raise NotImplementedError("eigh: subsets and types 2, 3 have no derivative rule here")
    if not lower:  # the upper triangle of a is the lower triangle of a^H
        a = mH(a)
        b = None if b is None else mH(b)
    if b is None:
        if eigvals_only:
            return _dec.eigvalsh(a)
        return tuple(_nla.eigh(a))
    low = _sv.cholesky(b)
    half = _sv.solve_triangular(low, _herm(a), lower=True)                  # L^-1 a
    c = mH(_sv.solve_triangular(low, mH(half), lower=True))                # L^-1 a L^-H
    if eigvals_only:
        return _dec.eigvalsh(c)
    w, z = _nla.eigh(c)
    return w, _sv.solve_triangular(mH(low), z, lower=False)


def _herm(a):
    # What a Hermitian routine reads of a: its lower triangle, mirrored.
    low = tril(a, -1)
    return low + mH(low) + a * eye_like(a)


def svd(a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True,
        lapack_driver="gesdd"):
    """scipy.linalg.svd (see hodiff.numpy.linalg.svd for what is differentiable)."""
    return _nla.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)


def svdvals(a, overwrite_a=False, check_finite=True):
    """scipy.linalg.svdvals."""
    return _dec.svdvals(a)


def qr(a, overwrite_a=False, lwork=None, mode="full", pivoting=False, check_finite=True):
    """scipy.linalg.qr: mode 'economic', 'r', and 'full' where it equals 'economic'."""
    if pivoting:
        raise NotImplementedError("qr(pivoting=True) has no derivative rule")
    nmode = {"full": "complete", "economic": "reduced", "r": "r"}[mode]
    out = _nla.qr(a, mode=nmode)
    return (out,) if mode == "r" else tuple(out)


def det(a, overwrite_a=False, check_finite=True):
    """scipy.linalg.det."""
    return _sv.det(a)


def inv(a, overwrite_a=False, check_finite=True):
    """scipy.linalg.inv."""
    return _sv.inv(a)


def pinv(a, *, atol=None, rtol=None, return_rank=False, check_finite=True):
    """scipy.linalg.pinv (derivative for matrices of locally constant rank)."""
    if atol is not None:
        raise NotImplementedError("pinv(atol=...): use rtol")
    x = _dec.pinv(a) if rtol is None else _dec.pinv(a, rcond=rtol)
    if return_rank:
        return x, _nla.matrix_rank(a)
    return x


# -- matrix functions and matrix equations -----------------------------------------------------
def expm(A):
    """scipy.linalg.expm (stacks too); derivative by the block-triangular Frechet identity."""
    return _mf.expm(A)


def expm_frechet(A, E, method=None, compute_expm=True, check_finite=True):
    """scipy.linalg.expm_frechet: (expm(A), L(A, E)), both from expm([[A, E], [0, A]])
    (Al-Mohy & Higham 2009, eq. (1.4)), differentiable in A and E."""
    n = shape_of(A)[-1]
    block = concatenate([concatenate([A, E], axis=-1),
                         concatenate([E * 0, A], axis=-1)], axis=-2)
    big = _mf.expm(block)
    frechet = big[..., :n, n:]
    return (big[..., :n, :n], frechet) if compute_expm else frechet


def logm(A, disp=True):
    """scipy.linalg.logm (principal logarithm). Returns the logarithm alone (as disp=True)."""
    return _mf.logm(A)


def sqrtm(A, disp=True, blocksize=64):
    """scipy.linalg.sqrtm (principal square root)."""
    return _mf.sqrtm(A)


def fractional_matrix_power(A, t):
    """scipy.linalg.fractional_matrix_power for a constant power t."""
    return _mf.fractional_matrix_power(A, p=t)


def solve_sylvester(a, b, q):
    """scipy.linalg.solve_sylvester: x with a x + x b = q."""
    return _mf.solve_sylvester(a, b, q)


def solve_continuous_lyapunov(a, q):
    """scipy.linalg.solve_continuous_lyapunov: x with a x + x a^H = q."""
    return _mf.solve_sylvester(a, mH(a), q)


def solve_discrete_lyapunov(a, q, method=None):
    """scipy.linalg.solve_discrete_lyapunov: x with a x a^H - x + q = 0."""
    return _mf.solve_discrete_lyapunov(a, q)


# -- structured matrices -----------------------------------------------------------------------
def block_diag(*arrs):
    """scipy.linalg.block_diag of 2-d blocks (differentiable in every block)."""
    arrs = [reshape(a, (1, -1)) if _nd(a) < 2 else a for a in arrs]
    if not arrs:
        return _np.empty((1, 0))
    cols = sum(shape_of(a)[1] for a in arrs)
    rows, start = [], 0
    for a in arrs:
        r, c = shape_of(a)
        dt = _np.result_type(unbox(a))
        left = _np.zeros((r, start), dt)
        right = _np.zeros((r, cols - start - c), dt)
        rows.append(concatenate([left, a, right], axis=1))
        start += c
    return concatenate(rows, axis=0)


def toeplitz(c, r=None):
    """scipy.linalg.toeplitz: first column c, first row r (default conj(c)), by indexing."""
    c = reshape(c, (-1,))
    if r is None:
        r = cj(c)
    r = reshape(r, (-1,))
    m, n = shape_of(c)[0], shape_of(r)[0]
    vals = concatenate([c[::-1], r[1:]])
    idx = (m - 1) - _np.arange(m)[:, None] + _np.arange(n)[None, :]
    return vals[idx]


def circulant(c):
    """scipy.linalg.circulant: first column c, by indexing."""
    c = reshape(c, (-1,))
    n = shape_of(c)[0]
    return c[(_np.arange(n)[:, None] - _np.arange(n)[None, :]) % n]


def _any_foreign(*xs):
    return any(is_foreign(unbox(x)) for x in xs)


def solve_toeplitz(c_or_cr, b, check_finite=True):
    """scipy.linalg.solve_toeplitz: Levinson recursion, O(n^2), for the value and every
    derivative (the transpose of a Toeplitz matrix is Toeplitz). Dask and CuPy arrays go
    through the dense matrix."""
    c, r = c_or_cr if isinstance(c_or_cr, tuple) else (c_or_cr, None)
    c = reshape(c, (-1,))
    r = cj(c) if r is None else reshape(r, (-1,))
    if _any_foreign(c, r, b):
        return _nla.solve(toeplitz(c, r), b)
    b2, vector = _as_matrix(b)
    return _back(_st.solve_toeplitz(c, r, b2), vector)


def _banded_to_dense(l_and_u, ab):
    lo, up = l_and_u
    n = shape_of(ab)[-1]
    out = None
    for k in range(-lo, up + 1):
        # row up - k of ab holds diagonal k: a[i, i + k] = ab[up - k, i + k]
        d = ab[up - k, max(k, 0):n + min(k, 0)]
        term = _lin.diag(d, k)
        out = term if out is None else out + term
    return out


def solve_banded(l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
    """scipy.linalg.solve_banded: LAPACK's banded LU (O(n b^2)) for the value and every
    derivative. Dask and CuPy arrays go through the dense matrix."""
    lo, up = l_and_u
    if _any_foreign(ab, b):
        return _nla.solve(_banded_to_dense(l_and_u, ab), b)
    b2, vector = _as_matrix(b)
    return _back(_st.solve_banded(ab, b2, lo, up), vector)


def _hermitian_band_to_general(ab, lower):
    """Hermitian band storage (u + 1 rows, one triangle) -> general storage with l = u."""
    u = shape_of(ab)[0] - 1
    n = shape_of(ab)[-1]
    r = _np.arange(2 * u + 1)[:, None]
    j = _np.arange(n)[None, :]
    mirrored = (r > u) if not lower else (r < u)
    # Stored triangle: the same row (shifted by u for the lower form). Other triangle:
    # a[i, j] = conj(a[j, i]), read from the stored row |r - u| away at a shifted column.
    same_row = r if not lower else r - u
    src_row = _np.where(mirrored, 2 * u - r if not lower else u - r, same_row) + 0 * j
    src_col = _np.clip(_np.where(mirrored, j + r - u, j), 0, n - 1)
    vals = ab[src_row, src_col]
    if not is_complex(vals):
        return vals
    diag = (r == u) + 0 * j                       # LAPACK reads the diagonal's real part
    return _el.where(mirrored + 0 * j, cj(vals), _el.where(diag, _el.real(vals) + 0j, vals))


def solveh_banded(ab, b, overwrite_ab=False, overwrite_b=False, lower=False,
                  check_finite=True):
    """scipy.linalg.solveh_banded (Hermitian positive definite band, upper form by default),
    as a general banded solve of the mirrored band (O(n b^2))."""
    u = shape_of(ab)[0] - 1
    if _any_foreign(ab, b):
        if lower:
            dense = _banded_to_dense((u, 0), ab)
            full = dense + mH(tril(dense, -1))
        else:
            dense = _banded_to_dense((0, u), ab)
            full = dense + mH(triu(dense, 1))
        return cho_solve((_sv.cholesky(full), True), b)
    return solve_banded((u, u), _hermitian_band_to_general(ab, lower), b)


def polar(a, side="right"):
    """scipy.linalg.polar through the SVD: a = u p (right) or p u (left). Needs distinct
    nonzero singular values (the SVD rule's domain)."""
    w, s, vh = _nla.svd(a, full_matrices=False)
    u = _nla.matmul(w, vh)
    if side == "right":
        p = _nla.matmul(mH(vh) * reshape(s, (1, -1)), vh)
    else:
        p = _nla.matmul(w * reshape(s, (1, -1)), mH(w))
    return u, p


def schur(a, output="real", lwork=None, overwrite_a=False, sort=None, check_finite=True):
    """scipy.linalg.schur: (T, Z) with a = Z T Z^H, and sdim when `sort` is given. Differentiable
    for distinct eigenvalues; the real form only when it is triangular (real eigenvalues), the
    complex form always (hodiff/linalg/schur.py has the rule and its gauge)."""
    t, z = _schur.unpack_schur(_schur.schur_packed(a, output=output, sort=sort))
    if sort is None:
        return t, z
    return t, z, _sl.schur(unbox(a), output=output, sort=sort)[2]
