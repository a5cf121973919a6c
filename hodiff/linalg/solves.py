"""Solves and the factorizations behind them: solve, solve_triangular, inv, det, log-det,
cholesky. Each is a primitive on stacks of matrices (leading batch axes broadcast), real or
complex; right-hand sides are always matrices here (the public wrappers handle vectors).
Imports hodiff.core, hodiff.numpy and the linalg helpers.
"""
from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl
from scipy.linalg import blas as _blas

from hodiff.core import Primitive, unbox
from hodiff.linalg._util import (
    cj,
    eye_like,
    fit_ct,
    hermitian_part_read,
    hermitian_part_read_transpose,
    lift,
    matmul,
    mH,
    mT,
    tril,
    triu,
)
from hodiff.numpy import linear as _lin
from hodiff.numpy.backend import eye, is_dask, is_foreign, namespace, put
from hodiff.numpy.shape import reshape
from hodiff.numpy.shorthand import is_complex, shape_of


def _nd(x):
    return len(shape_of(x))


def _scalar_to_matrix(c):
    """(..., ) -> (..., 1, 1), so a per-matrix scalar multiplies its matrix."""
    return reshape(c, shape_of(c) + (1, 1))


def _neg_outer(ct_b, x):
    """-ct_b x^T, a solve's cotangent for its matrix. With one right-hand side it is a
    broadcast product, not a BLAS call: numpy's BLAS threads would then still be spinning when
    the rules' scipy BLAS calls run (see `_cholesky_raw`)."""
    if shape_of(x)[-1] == 1:
        return (-ct_b) * mT(x)
    return matmul(-ct_b, mT(x))


# -- solve(a, b): x = a^-1 b -------------------------------------------------------------------
# Giles 2008, "An extended collection of matrix derivative results", sec. 2.3.1:
# dx = a^-1 (db - da x);  ct_b = a^-T ct,  ct_a = -ct_b x^T (plain transposes: holomorphic).
def _solve_raw(a, b):
    return _np.linalg.solve(a, b)


solve = Primitive(_solve_raw, name="linalg.solve", batch_jvp=True)
solve.defrules(
    0,
    lambda t, ans, a, b: -solve(a, matmul(lift(t, a, _nd(ans)), ans)),
    lambda ans, a, b: lambda ct: fit_ct(_neg_outer(solve(mT(a), ct), ans), a, is_complex(ans)),
)
solve.defrules(
    1,
    lambda t, ans, a, b: solve(a, lift(t, b, _nd(ans))),
    lambda ans, a, b: lambda ct: fit_ct(solve(mT(a), ct), b, is_complex(ans)),
)


# -- solve_triangular(a, b): only a's triangle is read -----------------------------------------
def _tri_mask(t, lower, unit_diagonal):
    k = -1 if unit_diagonal else 0
    return tril(t, k) if lower else triu(t, -k)


def _trisolve_raw(a, b, lower=False, unit_diagonal=False):
    if not (is_foreign(a) or is_foreign(b)):
        return _sl.solve_triangular(a, b, lower=lower, unit_diagonal=unit_diagonal,
                                    check_finite=False)
    return _trisolve_foreign(a, b, lower, unit_diagonal)


def _trisolve_foreign(a, b, lower, unit_diagonal):
    """The triangular solve on a CuPy or Dask array, in the array's own library (scipy's runs
    on the host only). Libraries without a triangular solve for the case get a general solve
    of the triangle (the same solution, to rounding)."""
    xp = namespace(a, b)
    a, b = put(a, b), put(b, a)
    if unit_diagonal:  # neither Dask's nor the general solve reads only the strict triangle
        a = _tri_mask(a, lower, True) + eye(a.shape[-1], a.dtype, like=a)
    if is_dask(a) or is_dask(b):
        if a.ndim != 2 or b.ndim != 2:
            raise NotImplementedError("Dask's solve_triangular takes one matrix, not a stack")
        return xp.linalg.solve_triangular(a, b, lower=lower)
    if xp.__name__ == "cupy" and a.ndim == 2 and b.ndim == 2:
        import cupyx.scipy.linalg as cusl  # CuPy's own (a value of CuPy's means it is loaded)
        return cusl.solve_triangular(a, b, lower=lower, check_finite=False)
    a = _tri_mask(a, lower, False) if not unit_diagonal else a
    return xp.linalg.solve(a, b)


def _trisolve_jvp_a(t, ans, a, b, lower=False, unit_diagonal=False):
    t = _tri_mask(lift(t, a, _nd(ans)), lower, unit_diagonal)
    return -solve_triangular(a, matmul(t, ans), lower=lower, unit_diagonal=unit_diagonal)


def _trisolve_vjp_a(ans, a, b, lower=False, unit_diagonal=False):
    def vjp(ct):
        ct_b = solve_triangular(mT(a), ct, lower=not lower, unit_diagonal=unit_diagonal)
        return fit_ct(_tri_mask(_neg_outer(ct_b, ans), lower, unit_diagonal), a,
                      is_complex(ans))
    return vjp


solve_triangular = Primitive(_trisolve_raw, name="linalg.solve_triangular", batch_jvp=True)
solve_triangular.defrules(0, _trisolve_jvp_a, _trisolve_vjp_a)
solve_triangular.defrules(
    1,
    lambda t, ans, a, b, lower=False, unit_diagonal=False: solve_triangular(
        a, lift(t, b, _nd(ans)), lower=lower, unit_diagonal=unit_diagonal),
    lambda ans, a, b, lower=False, unit_diagonal=False: lambda ct: fit_ct(
        solve_triangular(mT(a), ct, lower=not lower, unit_diagonal=unit_diagonal), b,
        is_complex(ans)),
)


# -- inv ---------------------------------------------------------------------------------------
# Giles 2008, sec. 2.2.3: d(a^-1) = -a^-1 da a^-1;  ct_a = -a^-T ct a^-T.
inv = Primitive(_np.linalg.inv, name="linalg.inv", batch_jvp=True)
inv.defrules(
    0,
    lambda t, ans, a: -matmul(ans, matmul(t, ans)),
    lambda ans, a: (lambda ansT: lambda ct: -matmul(ansT, matmul(ct, ansT)))(mT(ans)),
)


# -- det and the log-determinant ---------------------------------------------------------------
# Giles 2008, sec. 2.2.4: d det(a) = det(a) tr(a^-1 da);  ct_a = ct det(a) a^-T.
# Exact for nonsingular a; at a singular a the rule needs a^-1 and is not used (docs/linalg.md).
def _trace_solve(a, t):
    return _lin.trace(solve(a, t), 0, -2, -1)


det = Primitive(_np.linalg.det, name="linalg.det", batch_jvp=True)
det.defrules(
    0,
    lambda t, ans, a: ans * _trace_solve(a, t),
    lambda ans, a: (lambda w: lambda ct: _scalar_to_matrix(ct) * w)(
        _scalar_to_matrix(ans) * mT(inv(a))),
)


def _logdet_raw(a):
    sign, logabs = _np.linalg.slogdet(a)
    if _np.iscomplexobj(a):
        return _np.log(sign) + logabs
    return logabs


# log|det a| for real a, the (holomorphic) log det a for complex a: d = tr(a^-1 da).
logdet = Primitive(_logdet_raw, name="linalg.logdet", batch_jvp=True)
logdet.defrules(
    0,
    lambda t, ans, a: _trace_solve(a, t),
    lambda ans, a: (lambda w: lambda ct: _scalar_to_matrix(ct) * w)(mT(inv(a))),
)


# -- cholesky ----------------------------------------------------------------------------------
# numpy and LAPACK read the lower triangle only (and the real part of the diagonal): the
# function is L(H_R(a)), H_R = hermitian_part_read. Murray 2016, "Differentiation of the
# Cholesky decomposition", eq. (7)-(10): dL = L Phi(L^-1 dA L^-H), Phi = lower triangle with
# half the diagonal, through triangular solves. The reverse rule is its transpose under
# Re(sum(a b)): ct_A = H_T(W), W = L^-T Phi(L^T ct_L) conj(L)^-1, H_T the transpose of H_R.
# Since Phi(G) + Phi(G)^H = H_R(G), the Hermitian R = W + W^H = L^-T H_R(L^T ct_L) conj(L)^-1
# gives ct_A = H_T(R) / 2 = Phi(R), and R = ct_A + ct_A^H.
def _phi(x):
    return tril(x, -1) + 0.5 * (x * eye_like(x))


def _cholesky_jvp(t, ans, a):
    y = solve_triangular(ans, hermitian_part_read(t), lower=True)                  # L^-1 dA
    z = mH(solve_triangular(ans, mH(y), lower=True))                 # L^-1 dA L^-H
    return matmul(ans, _phi(z))


def _adjoint_composite(low, ct):
    """Phi(R(L, C)), R = L^-T H_R(L^T C) conj(L)^-1, with hodiff's operations (any stack, dtype,
    library)."""
    lt = mT(low)
    w = solve_triangular(lt, hermitian_part_read(matmul(mT(tril(low)), ct)), lower=False)
    return _phi(mT(solve_triangular(mH(low), mT(w), lower=False)))


def _mirror_upper_inplace(x, block=128):
    """x's lower triangle := its upper triangle transposed, block by block (a single copy of
    x.T into x would go through a full temporary, the two overlapping)."""
    n = x.shape[0]
    for i0 in range(0, n, block):
        i1 = min(i0 + block, n)
        x[i0:i1, :i0] = x[:i0, i0:i1].T
        diag = x[i0:i1, i0:i1]
        _np.copyto(diag, diag.T.copy(), where=_np.tri(i1 - i0, i1 - i0, -1, dtype=bool))


def _adjoint_raw(low, ct):
    """Phi(R(L, C)) by level-3 BLAS on a real numpy matrix (the gradient of a Gaussian process
    likelihood spends most of its time here): C-ordered arrays are read as the Fortran-ordered
    transposes BLAS wants. L^T C by trmm, the symmetric S = H_R(L^T C) taken to L^-T S L^-1
    by two triangular solves, then Phi in place."""
    fast = (type(low) is _np.ndarray and type(ct) is _np.ndarray and low.ndim == 2
            and low.shape == ct.shape and low.dtype == ct.dtype
            and low.dtype in (_np.float32, _np.float64))
    if not fast:
        return _adjoint_composite(low, ct)
    trmm, trsm = _blas.get_blas_funcs(("trmm", "trsm"), (low,))
    up = low.T                                            # L^T, Fortran-ordered, upper
    s = trmm(1.0, up, ct.T, side=1, trans_a=1)            # C^T L = G^T, G = L^T C
    _mirror_upper_inplace(s)                              # S = H_R(G): G's lower triangle
    s = trsm(1.0, up, s, overwrite_b=1)                   # L^-T S
    r = trsm(1.0, up, s, side=1, trans_a=1, overwrite_b=1)   # R = L^-T S L^-1, symmetric
    n = low.shape[0]
    _np.copyto(r, 0, where=~_np.tri(n, n, 0, dtype=bool))   # Phi(R)
    r.flat[::n + 1] *= 0.5
    return r


# The adjoint map as a primitive of its own, so first-order gradients take the BLAS path above
# and higher orders differentiate it by its rules. Only L's lower triangle is read. With
# Lc = conj(L), d(L^-1) = -L^-1 dL L^-1 and Phi linear (and its own transpose):
#   d ans = ans(L, dC + L^-T dL^T C) - Phi(L^-T dL^T R + R conj(dL) Lc^-1),
# and, transposed under Re(sum(a b)), with P = Phi(ct) and Z = L H_T(L^-1 P Lc^-T):
#   ct_C = Z,   ct_L = tril(C Z^T L^-T - R P^T L^-T - conj(R^T P Lc^-T)).
def _hermitian_from_phi(ans):
    return ans + mH(ans)


def _adjoint_jvp_low(t, ans, low, ct):
    t = lift(tril(t), low, _nd(ans))
    lt = mT(low)
    r = _hermitian_from_phi(ans)
    shifted = solve_triangular(lt, matmul(mT(t), ct), lower=False)             # L^-T dL^T C
    return cholesky_adjoint(low, shifted) - _phi(
        solve_triangular(lt, matmul(mT(t), r), lower=False)
        + mT(solve_triangular(mH(low), mT(matmul(r, cj(t))), lower=False)))


def _adjoint_transpose_ct(low, w_ct):
    """Z = L H_T(L^-1 Phi(w_ct) conj(L)^-T): the transpose of C -> Phi(R(L, C))."""
    y = solve_triangular(low, _phi(w_ct), lower=True)
    z = mT(solve_triangular(cj(low), mT(y), lower=True))
    return matmul(low, hermitian_part_read_transpose(z))


def _adjoint_vjp_low(ans, low, ct):
    r = _hermitian_from_phi(ans)

    def vjp(w_ct):
        z = _adjoint_transpose_ct(low, w_ct)
        p = _phi(w_ct)
        x = matmul(ct, mT(z)) - matmul(r, mT(p))
        g = mT(solve_triangular(low, mT(x), lower=True))                       # x L^-T
        g = g - cj(mT(solve_triangular(cj(low), mT(matmul(mT(r), p)), lower=True)))
        return fit_ct(tril(g), low, is_complex(ans))
    return vjp


cholesky_adjoint = Primitive(_adjoint_raw, name="linalg.cholesky_adjoint", batch_jvp=True)
cholesky_adjoint.defrules(0, _adjoint_jvp_low, _adjoint_vjp_low)
cholesky_adjoint.defrules(
    1,
    lambda t, ans, low, ct: cholesky_adjoint(low, t),
    lambda ans, low, ct: lambda w_ct: fit_ct(_adjoint_transpose_ct(low, w_ct), ct,
                                             is_complex(ans)),
)


def _cholesky_vjp(ans, a):
    return lambda ct: cholesky_adjoint(ans, ct)


def _cholesky_raw(a):
    # One matrix on the host goes to scipy's LAPACK: its gradient runs on scipy's BLAS, and
    # numpy and scipy ship separate OpenBLAS builds whose idle threads spin for a while after
    # each call, so alternating the two libraries makes each call wait for the other's threads
    # (measured: a trmm after numpy's cholesky took 35 ms instead of 18 on 2 cores).
    if type(a) is _np.ndarray and a.ndim == 2 and a.dtype.char in "fdFD":
        return _sl.cholesky(a, lower=True, check_finite=False)
    return _np.linalg.cholesky(a)


cholesky = Primitive(_cholesky_raw, name="linalg.cholesky", batch_jvp=True)
cholesky.defrules(0, _cholesky_jvp, _cholesky_vjp)


def as_matrix_rhs(b, a):
    """(b as a stack of matrices, whether it was a vector) following numpy.linalg.solve."""
    if _nd(b) == 1:
        return reshape(b, shape_of(b) + (1,)), True
    return b, False


def sign_of_det(a):
    """The sign (real) or phase (complex) of det(a), as a plain value for real a."""
    return _np.linalg.slogdet(unbox(a))[0]


__all__ = ["solve", "solve_triangular", "inv", "det", "logdet", "cholesky"]
