"""Spectral and orthogonal decompositions: eigh, eigvalsh, eig, svd, svdvals, qr, pinv.

A primitive returns one array, so a decomposition with several outputs returns them packed
into one (eigh: [w; V] stacked along the row axis) and the public wrappers unpack them by
indexing; the tangent and cotangent travel packed the same way.
Gauge: eigenvectors, singular vectors and Q are only defined up to sign (real) or phase
(complex). The rules differentiate the gauge LAPACK returns where it is a smooth choice (signs;
QR's real diagonal of R) and otherwise the gauge with Im(diag(V^H dV)) = 0; only functions
that do not depend on the phase have finite-difference-checkable complex derivatives.
Imports hodiff.core, hodiff.numpy and the linalg helpers.
"""
from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl

from hodiff.core import Primitive, unbox
from hodiff.linalg._util import (
    cj,
    complex_like,
    diag_embed,
    diag_part,
    eye_like,
    hermitian_part_read,
    hermitian_part_read_transpose,
    matmul,
    mH,
    mT,
    real,
    safe_inverse_gaps,
    tril,
    triu,
)
from hodiff.linalg.solves import solve, solve_triangular
from hodiff.numpy import elementwise as _el
from hodiff.numpy import reductions as _red
from hodiff.numpy.shape import concatenate, reshape
from hodiff.numpy.shorthand import is_complex, shape_of

# Eigenvalue (singular value) pairs closer than this, relative to the largest magnitude, are
# treated as degenerate: their 1/(gap) coupling is set to zero (docs/linalg.md).
DEGENERATE_RTOL = 1e-10


def _row(x):
    """(..., n) -> (..., 1, n)."""
    return reshape(x, shape_of(x)[:-1] + (1, shape_of(x)[-1]))


# -- eigh: a = V diag(w) V^H -------------------------------------------------------------------
def _eigh_raw(a):
    w, v = _np.linalg.eigh(a)
    return _np.concatenate([w[..., None, :].astype(v.dtype), v], axis=-2)


def unpack_eigh(packed):
    w = packed[..., 0, :]
    return (real(w) if is_complex(packed) else w), packed[..., 1:, :]


# Giles 2008, sec. 3.1 (Hermitian case): with X = V^H dA V,
# dw = Re diag(X), dV = V (F o X), F_ij = 1 / (w_j - w_i) off the diagonal and 0 on it.
def _eigh_jvp(t, ans, a):
    w, v = unpack_eigh(ans)
    x = matmul(mH(v), matmul(hermitian_part_read(t), v))
    dw = diag_part(x)
    dw = real(dw) if is_complex(dw) else dw
    dv = matmul(v, safe_inverse_gaps(w, DEGENERATE_RTOL) * x)
    return concatenate([_row(complex_like(dw, dv)), dv], axis=-2)


def _eigh_vjp(ans, a):
    w, v = unpack_eigh(ans)
    f = safe_inverse_gaps(w, DEGENERATE_RTOL)
    vt, vc = mT(v), cj(v)

    def vjp(ct):
        cw, cv = ct[..., 0, :], ct[..., 1:, :]
        cw = real(cw) if is_complex(cw) else cw
        x = f * matmul(vt, cv) + diag_embed(cw, like=ans)
        return hermitian_part_read_transpose(matmul(vc, matmul(x, vt)))
    return vjp


eigh_packed = Primitive(_eigh_raw, name="linalg.eigh", batch_jvp=True)
eigh_packed.defrules(0, _eigh_jvp, _eigh_vjp)


# eigvalsh: first-order rule needs no eigenvalue gaps (dw = Re diag(V^H dA V)); V comes from
# the traced eigh, so second order goes through eigh's rule.
def _eigvalsh_jvp(t, ans, a):
    _, v = unpack_eigh(eigh_packed(a))
    dw = diag_part(matmul(mH(v), matmul(hermitian_part_read(t), v)))
    return real(dw) if is_complex(dw) else dw


def _eigvalsh_vjp(ans, a):
    _, v = unpack_eigh(eigh_packed(a))
    vt, vc = mT(v), cj(v)
    return lambda ct: hermitian_part_read_transpose(matmul(vc, matmul(
        diag_embed(real(ct) if is_complex(ct) else ct, like=v), vt)))


eigvalsh = Primitive(lambda a: _np.linalg.eigvalsh(a), name="linalg.eigvalsh", batch_jvp=True)
eigvalsh.defrules(0, _eigvalsh_jvp, _eigvalsh_vjp)


# -- svd (reduced): a = U diag(s) V^H, packed as [U; s; conj(V)] along the row axis ------------
def _svd_raw(a):
    u, s, vh = _np.linalg.svd(a, full_matrices=False)
    return _np.concatenate([u, s[..., None, :].astype(u.dtype), _np.swapaxes(vh, -1, -2)],
                           axis=-2)


def unpack_svd(packed, m):
    u, s, vt = packed[..., :m, :], packed[..., m, :], packed[..., m + 1:, :]
    return u, (real(s) if is_complex(packed) else s), mT(vt)


# Townsend 2016, "Differentiating the singular value decomposition", eq. (20)-(22), with the
# complex phase term of Wan & Zhang 2019 ("Automatic differentiation for complex valued SVD"):
# P = U^H dA V, ds = Re diag P, F_ij = 1/(s_j^2 - s_i^2),
# dU = U (F o (P S + S P^H)) + (I - U U^H) dA V S^-1 + U diag(i Im diag P / s),
# dV = V (F o (S P + P^H S)) + (I - V V^H) dA^H U S^-1.
# Needs distinct, nonzero singular values (docs/linalg.md).
def _svd_jvp(t, ans, a):
    m = shape_of(a)[-2]
    u, s, vh = unpack_svd(ans, m)
    v = mH(vh)
    p = matmul(mH(u), matmul(t, v))
    f = safe_inverse_gaps(s * s, DEGENERATE_RTOL)
    srow = _row(s)
    ps = p * srow
    sp = mT(srow) * p
    dp = diag_part(p)
    ds = real(dp) if is_complex(dp) else dp
    tv = matmul(t, v)
    th_u = matmul(mH(t), u)
    du = matmul(u, f * (ps + mH(ps))) + (tv - matmul(u, matmul(mH(u), tv))) / srow
    dv = matmul(v, f * (sp + mH(sp))) + (th_u - matmul(v, matmul(vh, th_u))) / srow
    if is_complex(ans):
        du = du + u * _row(1j * _el.imag(dp) / s)
    return concatenate([du, _row(complex_like(ds, du)), cj(dv)], axis=-2)


def _svd_vjp(ans, a):
    # The forward rule transposed step by step under Re(sum(a * b)) (conj and Hadamard products
    # with real F are their own transposes, M -> M^H transposes to W -> W^H).
    m = shape_of(a)[-2]
    u, s, vh = unpack_svd(ans, m)
    v = mH(vh)
    f = safe_inverse_gaps(s * s, DEGENERATE_RTOL)
    srow = _row(s)
    scol = mT(srow)
    ut, vt, uc, vc = mT(u), mT(v), cj(u), cj(v)
    cplx = is_complex(ans)

    def vjp(ct):
        cu, cs, cdv = ct[..., :m, :], ct[..., m, :], cj(ct[..., m + 1:, :])
        h1 = f * matmul(ut, cu)
        h2 = f * matmul(vt, cdv)
        cp = (h1 + mH(h1)) * srow + scol * (h2 + mH(h2))
        cdp = real(cs) if is_complex(cs) else cs
        if cplx:
            cdp = cdp + 1j * _el.imag(_red.sum(u * cu, axis=-2)) / s
        cp = cp + diag_embed(cdp, like=cp)
        e1 = cu / srow
        ctv = e1 - matmul(uc, matmul(ut, e1))
        e2 = cdv / srow
        cthu = e2 - matmul(vc, matmul(vt, e2))
        return matmul(uc, matmul(cp, vt)) + matmul(ctv, vt) + matmul(uc, mH(cthu))
    return vjp


svd_packed = Primitive(_svd_raw, name="linalg.svd", batch_jvp=True)
svd_packed.defrules(0, _svd_jvp, _svd_vjp)


# svdvals: ds = Re diag(U^H dA V) needs no gaps; U, V from the traced svd.
def _svdvals_parts(a):
    u, _, vh = unpack_svd(svd_packed(a), shape_of(a)[-2])
    return u, vh


def _svdvals_jvp(t, ans, a):
    u, vh = _svdvals_parts(a)
    dp = diag_part(matmul(mH(u), matmul(t, mH(vh))))
    return real(dp) if is_complex(dp) else dp


def _svdvals_vjp(ans, a):
    u, vh = _svdvals_parts(a)
    uc, vhc = cj(u), cj(vh)
    return lambda ct: matmul(uc * _row(real(ct) if is_complex(ct) else ct), vhc)


svdvals = Primitive(lambda a: _np.linalg.svd(a, compute_uv=False), name="linalg.svdvals",
                    batch_jvp=True)
svdvals.defrules(0, _svdvals_jvp, _svdvals_vjp)


# -- qr (reduced, m >= n): a = Q R, packed as [Q; R] along the row axis ------------------------
def _qr_raw(a):
    q, r = _np.linalg.qr(a)
    return _np.concatenate([q, r], axis=-2)


def unpack_qr(packed, m):
    return packed[..., :m, :], packed[..., m:, :]


# Walter & Lehmann 2018, "Algorithmic differentiation of linear algebra functions with
# application in optimum experimental design", sec. 3.3 (also Seeger et al. 2017):
# B = dA R^-1 (a triangular solve), X = Q^H B, Omega = tril(X,-1) - tril(X,-1)^H (+ i Im diag X
# for complex, keeping diag R real as LAPACK does); dQ = Q Omega + B - Q X, dR = (X - Omega) R.
def _qr_jvp(t, ans, a):
    m = shape_of(a)[-2]
    q, r = unpack_qr(ans, m)
    b = mT(solve_triangular(mT(r), mT(t), lower=True))
    x = matmul(mH(q), b)
    low = tril(x, -1)
    omega = low - mH(low)
    if is_complex(x):
        omega = omega + 1j * _el.imag(x * eye_like(x))
    dq = matmul(q, omega - x) + b
    dr = matmul(x - omega, r)
    return concatenate([dq, dr], axis=-2)


def _qr_vjp(ans, a):
    # The forward rule transposed step by step under Re(sum(a * b)).
    m = shape_of(a)[-2]
    q, r = unpack_qr(ans, m)
    qt, rt, qc = mT(q), mT(r), cj(q)

    def vjp(ct):
        cq, cr = ct[..., :m, :], ct[..., m:, :]
        g = matmul(cr, rt) - matmul(qt, cq)             # cotangent of X; Omega's is -g
        c_low = mH(g) - g
        cx = g + tril(c_low, -1)
        if is_complex(cx):
            cx = cx - 1j * _el.imag(g * eye_like(g))
        cb = cq + matmul(qc, cx)
        return mT(solve_triangular(r, mT(cb), lower=False))
    return vjp


qr_packed = Primitive(_qr_raw, name="linalg.qr", batch_jvp=True)
qr_packed.defrules(0, _qr_jvp, _qr_vjp)


# -- eig (general square): a V = V diag(w), columns of V of unit norm --------------------------
def _eig_raw(a):
    w, v = _np.linalg.eig(a)
    return _np.concatenate([w[..., None, :], v], axis=-2)


# Giles 2008, sec. 3.1: X = V^-1 dA V, dw = diag X, dV = V (F o X) with F_ij = 1/(w_j - w_i);
# then the columns are kept at unit norm: dV -= V diag(Re(V^H dV)) (Boeddeker et al. 2017).
# Eigenvalues are holomorphic in a: the complex rule is the same formula.
def _eig_jvp(t, ans, a):
    w, v = ans[..., 0, :], ans[..., 1:, :]
    x = solve(v, matmul(t, v))
    f = safe_inverse_gaps(w, DEGENERATE_RTOL)
    dv = matmul(v, f * x)
    dv = dv - v * _row(real(diag_part(matmul(mH(v), dv))))
    return concatenate([_row(diag_part(x)), dv], axis=-2)


def _eig_vjp(ans, a):
    # The forward rule transposed step by step under Re(sum(a * b)).
    w, v = ans[..., 0, :], ans[..., 1:, :]
    f = safe_inverse_gaps(w, DEGENERATE_RTOL)
    vt, vc = mT(v), cj(v)

    def vjp(ct):
        cw, cv = ct[..., 0, :], ct[..., 1:, :]
        cv = cv - vc * _row(real(_red.sum(v * cv, axis=-2)))
        cx = f * matmul(vt, cv) + diag_embed(cw, like=ct)
        return _fit_real(solve(vt, matmul(cx, vt)), a)
    return vjp


def _fit_real(ct, a):
    return real(ct) if is_complex(ct) and not is_complex(a) else ct


eig_packed = Primitive(_eig_raw, name="linalg.eig", batch_jvp=True)
eig_packed.defrules(0, _eig_jvp, _eig_vjp)


def _eigvals_jvp(t, ans, a):
    v = eig_packed(a)[..., 1:, :]
    return diag_part(solve(v, matmul(t, v)))


eigvals = Primitive(lambda a: _np.linalg.eigvals(a), name="linalg.eigvals", batch_jvp=True)


def _eigvals_vjp(ans, a):
    v = eig_packed(a)[..., 1:, :]
    vt = mT(v)
    return lambda ct: _fit_real(solve(vt, matmul(diag_embed(ct, like=ct), vt)), a)


eigvals.defrules(0, _eigvals_jvp, _eigvals_vjp)


# -- pinv (constant rank) ----------------------------------------------------------------------
# Golub & Pereyra 1973, "The differentiation of pseudo-inverses...", eq. (4.12):
# dA+ = -A+ dA A+ + A+ A+^H dA^H (I - A A+) + (I - A+ A) dA^H A+^H A+.
def _pinv_jvp(t, ans, a, rcond=None):
    ph = mH(ans)
    th = mH(t)
    first = -matmul(ans, matmul(t, ans))
    right = th - matmul(matmul(th, a), ans)                  # dA^H (I - A A+)
    left = th - matmul(ans, matmul(a, th))                   # (I - A+ A) dA^H
    return first + matmul(ans, matmul(ph, right)) + matmul(left, matmul(ph, ans))


def _pinv_raw(a, rcond=None):
    return _np.linalg.pinv(a) if rcond is None else _np.linalg.pinv(a, rcond=rcond)


pinv = Primitive(_pinv_raw, name="linalg.pinv", batch_jvp=True)


def _pinv_vjp(ans, a, rcond=None):
    # The three terms transposed under Re(sum(a * b)); t -> M t^H N transposes to
    # w -> conj(N) w^H conj(M).
    pt, pc, ac = mT(ans), cj(ans), cj(a)

    def vjp(ct):
        wh = mH(ct)
        first = -matmul(pt, matmul(ct, pt))
        left = wh - matmul(ac, matmul(pc, wh))                        # conj(I - A A+) w^H
        second = matmul(left, matmul(pc, pt))                         # ... conj(A+ A+^H)
        x = matmul(pt, matmul(pc, wh))                                # conj(A+^H A+) w^H
        third = x - matmul(x, matmul(pc, ac))                         # ... conj(I - A+ A)
        return first + second + third
    return vjp


pinv.defrules(0, _pinv_jvp, _pinv_vjp)


# -- lu (square): P^T a = L U with unit lower L, packed as [L; U] along the row axis -----------
def _lu_raw(a):
    _, low, up = _sl.lu(a)
    return _np.concatenate([low, up], axis=-2)


def unpack_lu(packed):
    n = shape_of(packed)[-1]
    return packed[..., :n, :], packed[..., n:, :]


# de Hoog, Anderssen & Lukas 2011, "Differentiation of matrix functionals using triangular
# factorization", eq. (2.3): X = L^-1 P^T dA U^-1 (triangular solves), dL = L tril(X, -1),
# dU = triu(X) U. The permutation is locally constant.
def _lu_jvp(t, ans, a):
    low, up = unpack_lu(ans)
    pt = mT(_sl.lu(unbox(a))[0]).astype(_np.result_type(unbox(a)))
    y = solve_triangular(low, matmul(pt, t), lower=True, unit_diagonal=True)
    x = mT(solve_triangular(mT(up), mT(y), lower=True))
    return concatenate([matmul(low, tril(x, -1)), matmul(triu(x), up)], axis=-2)


def _lu_vjp(ans, a):
    # The forward rule transposed step by step under Re(sum(a * b)).
    low, up = unpack_lu(ans)
    n = shape_of(a)[-1]
    p = _sl.lu(unbox(a))[0].astype(_np.result_type(unbox(a)))
    lt, ut = mT(low), mT(up)

    def vjp(ct):
        cl, cu = ct[..., :n, :], ct[..., n:, :]
        cx = tril(matmul(lt, cl), -1) + triu(matmul(cu, ut))
        cy = mT(solve_triangular(up, mT(cx), lower=False))
        return matmul(p, solve_triangular(lt, cy, lower=False, unit_diagonal=True))
    return vjp


lu_packed = Primitive(_lu_raw, name="linalg.lu", batch_jvp=True)
lu_packed.defrules(0, _lu_jvp, _lu_vjp)
