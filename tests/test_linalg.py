"""Named tests for hodiff.linalg beside the spec rows (tests/spec_linalg.py): a Gaussian
process likelihood against its analytic gradient, Hessian and HVPs; the documented behaviour
at nearly degenerate eigenvalues; ill-conditioned solves; singular values near zero; names and
output types of the public modules.
"""
from __future__ import annotations

import numpy as onp
import pytest

import hodiff.numpy as np
import hodiff.numpy.linalg as la
import hodiff.scipy.linalg as sla
from hodiff import grad, hessian, hessian_vector_product, hvp, jacfwd, jacrev, jvp
from hodiff.test_util import check_grads

RNG = onp.random.default_rng(7)


# -- a Gaussian-process negative log marginal likelihood ---------------------------------------
X = onp.sort(RNG.uniform(-3, 3, (12, 1)), axis=0)
Y = onp.sin(X[:, 0]) + 0.1 * RNG.standard_normal(12)
D = (X - X.T) ** 2  # squared distances (one input dimension)


def nlml(theta):
    """theta = (log length-scale, log noise std): RBF kernel plus noise, through Cholesky,
    triangular solves and the log-determinant from the factor's diagonal."""
    ell2 = np.exp(2 * theta[0])
    noise = np.exp(2 * theta[1])
    k = np.exp(-0.5 * D / ell2) + noise * onp.eye(len(Y))
    low = la.cholesky(k)
    alpha = sla.solve_triangular(low, Y, lower=True)
    return 0.5 * np.sum(alpha ** 2) + np.sum(np.log(np.diagonal(low))) + \
        0.5 * len(Y) * onp.log(2 * onp.pi)


def _analytic(theta):
    """Gradient and Hessian from the textbook expressions (Rasmussen & Williams 2006, eq.
    5.9, and its derivative): with alpha = K^-1 y and K_i = dK/dtheta_i,
    g_i = 0.5 tr((K^-1 - alpha alpha^T) K_i),
    H_ij = 0.5 tr(K^-1 K_ij) - 0.5 tr(K^-1 K_i K^-1 K_j) + alpha^T K_i K^-1 K_j alpha
           - 0.5 alpha^T K_ij alpha."""
    ell2, noise = onp.exp(2 * theta[0]), onp.exp(2 * theta[1])
    rbf = onp.exp(-0.5 * D / ell2)
    n = len(Y)
    k = rbf + noise * onp.eye(n)
    kinv = onp.linalg.inv(k)
    alpha = kinv @ Y
    r = D / ell2
    dk = [rbf * r, 2 * noise * onp.eye(n)]
    ddk = [[rbf * (r * r - 2 * r), onp.zeros((n, n))], [onp.zeros((n, n)), 4 * noise * onp.eye(n)]]
    g = onp.array([0.5 * onp.trace((kinv - onp.outer(alpha, alpha)) @ dk[i]) for i in range(2)])
    h = onp.empty((2, 2))
    for i in range(2):
        for j in range(2):
            h[i, j] = (0.5 * onp.trace(kinv @ ddk[i][j])
                       - 0.5 * onp.trace(kinv @ dk[i] @ kinv @ dk[j])
                       + alpha @ dk[i] @ kinv @ dk[j] @ alpha
                       - 0.5 * alpha @ ddk[i][j] @ alpha)
    return g, h


THETA = onp.array([0.2, -1.5])


def test_gp_gradient_matches_analytic():
    g, _ = _analytic(THETA)
    onp.testing.assert_allclose(grad(nlml)(THETA), g, rtol=1e-9, atol=1e-10)
    onp.testing.assert_allclose(jacfwd(nlml)(THETA), g, rtol=1e-9, atol=1e-10)


def test_gp_hessian_and_hvps_match_analytic():
    _, h = _analytic(THETA)
    onp.testing.assert_allclose(hessian(nlml)(THETA), h, rtol=1e-8, atol=1e-9)
    onp.testing.assert_allclose(jacrev(grad(nlml))(THETA), h, rtol=1e-8, atol=1e-9)
    for v in (onp.array([1.0, 0.0]), onp.array([0.3, -2.0])):
        onp.testing.assert_allclose(hvp(nlml, THETA, v), h @ v, rtol=1e-8, atol=1e-9)
        onp.testing.assert_allclose(hessian_vector_product(nlml)(THETA, v), h @ v, rtol=1e-8,
                                    atol=1e-9)
        # reverse-over-forward too
        onp.testing.assert_allclose(
            grad(lambda t: jvp(nlml, (t,), (v,))[1])(THETA), h @ v, rtol=1e-8, atol=1e-9)


def test_gp_cho_solve_form_agrees():
    def nlml_cho(theta):
        k = np.exp(-0.5 * D / np.exp(2 * theta[0])) + np.exp(2 * theta[1]) * onp.eye(len(Y))
        c, lower = sla.cho_factor(k, lower=True)
        return 0.5 * np.dot(Y, sla.cho_solve((c, lower), Y)) + la.slogdet(k)[1] / 2 + \
            0.5 * len(Y) * onp.log(2 * onp.pi)
    onp.testing.assert_allclose(nlml_cho(THETA), nlml(THETA), rtol=1e-12)
    onp.testing.assert_allclose(grad(nlml_cho)(THETA), _analytic(THETA)[0], rtol=1e-9)
    onp.testing.assert_allclose(hessian(nlml_cho)(THETA), _analytic(THETA)[1], rtol=1e-8)


# -- the public functions: values agree with numpy/scipy, derivatives to order 2 ---------------
import scipy.linalg as ssl  # noqa: E402


def _m(*shape, seed=0, cplx=False):
    r = onp.random.default_rng(seed)
    x = r.standard_normal(shape)
    return x + 1j * r.standard_normal(shape) if cplx else x


def _dom(n, seed=0, cplx=False, batch=()):
    return 0.3 * _m(*batch, n, n, seed=seed, cplx=cplx) + 2 * onp.eye(n)


def _spd(n, seed=0, cplx=False):
    a = _m(n, n, seed=seed, cplx=cplx)
    return a @ a.conj().T + n * onp.eye(n)


def _sep(m, n, seed=0):
    d = onp.zeros((m, n))
    k = min(m, n)
    d[range(k), range(k)] = onp.arange(1.0, k + 1)
    return d + 0.1 * _m(m, n, seed=seed)


A3, B3, V3 = _dom(3), _dom(3, 1), _m(3, seed=2)
S3, T32, T23 = _spd(3), _sep(3, 2), _sep(2, 3)
SURFACE = [
    # (id, hodiff function, numpy/scipy reference or None, arguments)
    ("solve batched a, vector b", la.solve, onp.linalg.solve, (_dom(3, batch=(2,)), V3)),
    ("solve broadcast b", la.solve, onp.linalg.solve, (A3, _m(2, 3, 2, seed=3))),
    ("inv complex", la.inv, onp.linalg.inv, (_dom(3, cplx=True),)),
    ("slogdet complex sign", lambda a: la.slogdet(a)[0], lambda a: onp.linalg.slogdet(a)[0],
     (_dom(3, cplx=True),)),
    ("cholesky upper", lambda a: la.cholesky(a, upper=True),
     lambda a: onp.linalg.cholesky(a, upper=True), (S3,)),
    ("eigh V real", lambda a: la.eigh(a)[1], lambda a: onp.linalg.eigh(a)[1], (S3,)),
    ("eigh UPLO=U", lambda a: la.eigh(a, "U")[0], lambda a: onp.linalg.eigh(a, "U")[0],
     (A3,)),
    ("svd U real", lambda a: la.svd(a, full_matrices=False)[0],
     lambda a: onp.linalg.svd(a, full_matrices=False)[0], (T32,)),
    ("svd Vh real wide", lambda a: la.svd(a, full_matrices=False)[2],
     lambda a: onp.linalg.svd(a, full_matrices=False)[2], (T23,)),
    ("svd square full", lambda a: la.svd(a)[2], lambda a: onp.linalg.svd(a)[2], (_sep(3, 3),)),
    ("svd compute_uv=False", lambda a: la.svd(a, compute_uv=False),
     lambda a: onp.linalg.svd(a, compute_uv=False), (T32,)),
    ("qr Q real", lambda a: la.qr(a)[0], lambda a: onp.linalg.qr(a)[0], (T32,)),
    ("qr wide R", lambda a: la.qr(a)[1], lambda a: onp.linalg.qr(a)[1], (T23,)),
    ("qr complete square", lambda a: la.qr(a, "complete")[0],
     lambda a: onp.linalg.qr(a, "complete")[0], (A3,)),
    ("qr r", lambda a: la.qr(a, "r"), lambda a: onp.linalg.qr(a, "r"), (T32,)),
    ("eig V real input", lambda a: la.eig(a)[1] * np.conj(la.eig(a)[1]),
     lambda a: onp.abs(onp.linalg.eig(a)[1]) ** 2, (_sep(3, 3),)),
    ("pinv", la.pinv, onp.linalg.pinv, (T32,)),
    ("lstsq x", lambda a, b: la.lstsq(a, b)[0], lambda a, b: onp.linalg.lstsq(a, b)[0],
     (T32, V3)),
    ("lstsq residuals", lambda a, b: la.lstsq(a, b)[1], lambda a, b: onp.linalg.lstsq(a, b)[1],
     (T32, V3)),
    ("matrix_power 3", lambda a: la.matrix_power(a, 3), lambda a: onp.linalg.matrix_power(a, 3),
     (A3,)),
    ("matrix_power -2", lambda a: la.matrix_power(a, -2),
     lambda a: onp.linalg.matrix_power(a, -2), (A3,)),
    ("matrix_power 0", lambda a: la.matrix_power(a, 0), lambda a: onp.linalg.matrix_power(a, 0),
     (A3,)),
    ("multi_dot", lambda a, b, v: la.multi_dot([v, a, b, v]),
     lambda a, b, v: onp.linalg.multi_dot([v, a, b, v]), (A3, B3, V3)),
    ("tensorsolve", lambda a, b: la.tensorsolve(a, b),
     onp.linalg.tensorsolve, (_dom(6).reshape(2, 3, 6), _m(2, 3, seed=4))),
    ("tensorinv", lambda a: la.tensorinv(a, 1), lambda a: onp.linalg.tensorinv(a, 1),
     (_dom(4).reshape(4, 2, 2),)),
    ("cond", la.cond, onp.linalg.cond, (A3,)),
    ("cond fro", lambda a: la.cond(a, "fro"), lambda a: onp.linalg.cond(a, "fro"), (A3,)),
    ("cond 1", lambda a: la.cond(a, 1), lambda a: onp.linalg.cond(a, 1), (A3,)),
    ("cross", lambda a, b: la.cross(a, b), onp.linalg.cross, (_m(2, 3, seed=5), _m(2, 3, seed=6))),
    ("vecdot complex", la.vecdot, onp.linalg.vecdot,
     (_m(2, 3, seed=5, cplx=True), _m(2, 3, seed=6, cplx=True))),
    ("trace", la.trace, onp.linalg.trace, (_m(2, 3, 3),)),
    ("diagonal", la.diagonal, onp.linalg.diagonal, (_m(2, 3, 3),)),
    ("matrix_transpose", la.matrix_transpose, onp.linalg.matrix_transpose, (_m(2, 3, 4),)),
    ("outer", la.outer, onp.linalg.outer, (V3, _m(2, seed=7))),
    ("tensordot", lambda a, b: la.tensordot(a, b, axes=1),
     lambda a, b: onp.linalg.tensordot(a, b, axes=1),
     (A3, B3)),
    ("matmul", la.matmul, onp.linalg.matmul, (A3, B3)),
    ("scipy solve transposed", lambda a, b: sla.solve(a, b, transposed=True),
     lambda a, b: ssl.solve(a, b, transposed=True), (A3, V3)),
    ("scipy solve_triangular trans=T", lambda a, b: sla.solve_triangular(a, b, trans="T"),
     lambda a, b: ssl.solve_triangular(a, b, trans="T"), (onp.triu(A3), V3)),
    ("scipy solve_triangular unit, complex trans=C",
     lambda a, b: sla.solve_triangular(a, b, trans=2, lower=True, unit_diagonal=True),
     lambda a, b: ssl.solve_triangular(a, b, trans=2, lower=True, unit_diagonal=True),
     (_dom(3, cplx=True), _m(3, 2, cplx=True))),
    ("scipy cholesky", sla.cholesky, ssl.cholesky, (S3,)),
    ("scipy cho_solve upper", lambda a, b: sla.cho_solve(sla.cho_factor(a), b),
     lambda a, b: ssl.cho_solve(ssl.cho_factor(a), b), (S3, V3)),
    ("scipy lu_factor/lu_solve", lambda a, b: sla.lu_solve(sla.lu_factor(a), b),
     lambda a, b: ssl.lu_solve(ssl.lu_factor(a), b), (A3, V3)),
    ("scipy lu_solve trans=1", lambda a, b: sla.lu_solve(sla.lu_factor(a), b, trans=1),
     lambda a, b: ssl.lu_solve(ssl.lu_factor(a), b, trans=1), (A3, V3)),
    ("scipy lu_factor/lu_solve stack", lambda a, b: sla.lu_solve(sla.lu_factor(a), b),
     lambda a, b: ssl.lu_solve(ssl.lu_factor(a), b), (_dom(3, seed=11, batch=(2,)), _m(2, 3, 1))),
    ("scipy lu_solve stack trans=2, shared b",
     lambda a, b: sla.lu_solve(sla.lu_factor(a), b, trans=2),
     lambda a, b: onp.linalg.solve(onp.swapaxes(a, -1, -2), b), (_dom(3, seed=11, batch=(2,)), B3)),
    ("scipy lu permute_l", lambda a: sla.lu(a, permute_l=True)[0],
     lambda a: ssl.lu(a, permute_l=True)[0], (A3,)),
    ("scipy eigh eigvals_only", lambda a: sla.eigh(a, eigvals_only=True),
     lambda a: ssl.eigh(a, eigvals_only=True), (S3,)),
    ("scipy eigh generalized", lambda a, b: sla.eigh(a, b)[0], lambda a, b: ssl.eigh(a, b)[0],
     (_spd(3, 1), _spd(3, 2))),
    ("scipy eigh generalized vectors", lambda a, b: sla.eigh(a, b)[1] ** 2,
     lambda a, b: ssl.eigh(a, b)[1] ** 2, (_spd(3, 1), _spd(3, 2))),
    ("scipy svd", lambda a: sla.svd(a, full_matrices=False)[1],
     lambda a: ssl.svd(a, full_matrices=False)[1], (T32,)),
    ("scipy qr economic", lambda a: sla.qr(a, mode="economic")[1],
     lambda a: ssl.qr(a, mode="economic")[1], (T32,)),
    ("scipy det", sla.det, ssl.det, (A3,)),
    ("scipy inv", sla.inv, ssl.inv, (A3,)),
    ("scipy pinv", sla.pinv, ssl.pinv, (T23,)),
    ("expm_frechet", lambda a, e: sla.expm_frechet(a, e)[1],
     lambda a, e: ssl.expm_frechet(a, e)[1], (0.5 * A3, B3)),
    ("solve_continuous_lyapunov", sla.solve_continuous_lyapunov,
     ssl.solve_continuous_lyapunov, (A3, B3)),
    ("block_diag", lambda a, b: sla.block_diag(a, b), ssl.block_diag, (T32, A3)),
    ("toeplitz", lambda c, r: sla.toeplitz(c, r), ssl.toeplitz, (V3, _m(4, seed=8))),
    ("toeplitz complex", sla.toeplitz, ssl.toeplitz, (_m(3, cplx=True),)),
    ("circulant", sla.circulant, ssl.circulant, (V3,)),
    ("solve_toeplitz", lambda c, r, b: sla.solve_toeplitz((c, r), b),
     lambda c, r, b: ssl.solve_toeplitz((c, r), b), (V3 + [4, 0, 0], _m(3, seed=9), V3)),
    ("solve_banded", lambda ab, b: sla.solve_banded((1, 1), ab, b),
     lambda ab, b: ssl.solve_banded((1, 1), ab, b),
     (onp.array([[0, 1.0, 2.0], [4, 5, 6], [0.5, 0.7, 0]]), V3)),
    ("solveh_banded", sla.solveh_banded, ssl.solveh_banded,
     (onp.array([[0, 1.0, 2.0], [4, 5, 6]]), V3)),
    ("solveh_banded lower", lambda ab, b: sla.solveh_banded(ab, b, lower=True),
     lambda ab, b: ssl.solveh_banded(ab, b, lower=True),
     (onp.array([[4, 5, 6], [1.0, 2.0, 0]]), V3)),
    ("polar u", lambda a: sla.polar(a)[0], lambda a: ssl.polar(a)[0], (A3,)),
    ("polar left p", lambda a: sla.polar(a, "left")[1], lambda a: ssl.polar(a, "left")[1],
     (A3,)),
]

NORMS = [None, "fro", "nuc", 1, -1, 2, -2, onp.inf, -onp.inf]
for _ord in NORMS:
    SURFACE.append((f"norm matrix ord={_ord}", lambda a, o=_ord: la.norm(a, o),
                    lambda a, o=_ord: onp.linalg.norm(a, o), (_sep(3, 3),)))
for _ord in [None, 1, 2, 3, 0.5, onp.inf, -onp.inf]:
    SURFACE.append((f"norm vector ord={_ord}", lambda v, o=_ord: la.norm(v, o),
                    lambda v, o=_ord: onp.linalg.norm(v, o), (V3,)))
SURFACE += [
    ("norm axis keepdims", lambda a: la.norm(a, axis=1, keepdims=True),
     lambda a: onp.linalg.norm(a, axis=1, keepdims=True), (_m(2, 3, seed=3),)),
    ("norm matrix axis", lambda a: la.norm(a, 2, axis=(2, 0), keepdims=True),
     lambda a: onp.linalg.norm(a, 2, axis=(2, 0), keepdims=True), (_m(2, 2, 3, seed=11),)),
    ("norm complex", lambda a: la.norm(a), onp.linalg.norm, (_m(2, 3, cplx=True),)),
    ("vector_norm", lambda v: la.vector_norm(v, ord=3, axis=0),
     lambda v: onp.linalg.vector_norm(v, ord=3, axis=0), (_m(3, 2, seed=4),)),
    ("matrix_norm nuc batched", lambda a: la.matrix_norm(a, ord="nuc"),
     lambda a: onp.linalg.matrix_norm(a, ord="nuc"), (onp.stack([_sep(3, 3), _sep(3, 3, 1)]),)),
]


@pytest.mark.parametrize("name,fun,ref,args", SURFACE, ids=[s[0] for s in SURFACE])
def test_public_function(name, fun, ref, args):
    if ref is not None:
        onp.testing.assert_allclose(fun(*args), ref(*args), rtol=1e-10, atol=1e-12)
    check_grads(fun, modes=("fwd", "rev"), order=2)(*args)


# -- named edge cases --------------------------------------------------------------------------
def _read_lower_frobenius_grad(a):
    """Gradient of ||h(a)||_F^2 where h(a) is the Hermitian matrix eigh reads from a (lower
    triangle mirrored): 2 a_ii on the diagonal, 4 a_ij below it, 0 above."""
    return 2 * onp.diag(onp.diag(a)) + 4 * onp.tril(a, -1)


@pytest.mark.parametrize("gap", [0.0, 1e-13, 1e-6])
def test_eigh_degenerate_eigenvalues(gap):
    """Equal or nearly equal eigenvalues: eigenvalue derivatives stay exact, and so do the
    derivatives of functions that do not depend on how eigenvectors are chosen inside the
    degenerate subspace (the 1/(w_j - w_i) couplings below the threshold are dropped, which
    is exact for such functions; eigenvectors themselves have no derivative there)."""
    q, _ = onp.linalg.qr(_m(3, 3, seed=3))
    a = q @ onp.diag([1.0, 1.0 + gap, 2.5]) @ q.T

    def frob(a):
        w, v = la.eigh(a)
        return np.sum((v * w) @ v.T * ((v * w) @ v.T))

    g = grad(frob)(a)
    assert onp.all(onp.isfinite(g))
    onp.testing.assert_allclose(g, _read_lower_frobenius_grad(a), rtol=1e-8, atol=1e-8)
    # The sum of the two close eigenvalues is smooth: its gradient is the projector onto them.
    g2 = grad(lambda a: np.sum(la.eigvalsh(a)[:2]))(a)
    p = q[:, :2] @ q[:, :2].T
    onp.testing.assert_allclose(g2, onp.diag(onp.diag(p)) + 2 * onp.tril(p, -1), atol=1e-8)


def test_ill_conditioned_solve_error_near_the_conditioning_bound():
    """The gradient of sum(solve(a, b)) w.r.t. b is a^-T 1, itself a solve: on a Hilbert
    matrix (cond ~ 1e10) its relative error stays within a modest multiple of cond * eps."""
    mpmath = pytest.importorskip("mpmath")
    n = 7
    a = 1.0 / (onp.arange(n)[:, None] + onp.arange(n)[None, :] + 1)
    b = onp.ones(n)
    g = grad(lambda b: np.sum(la.solve(a, b)))(b)
    mpmath.mp.dps = 50
    exact = mpmath.lu_solve(mpmath.matrix(a.T.tolist()), mpmath.matrix(onp.ones(n).tolist()))
    exact = onp.array([float(x) for x in exact])
    rel = onp.linalg.norm(g - exact) / onp.linalg.norm(exact)
    bound = onp.linalg.cond(a) * onp.finfo(float).eps
    assert rel < 10 * bound, (rel, bound)
    # And the gradient w.r.t. a (-x^T-weighted) is as accurate as x itself.
    ga = grad(lambda a: np.sum(la.solve(a, b)))(a)
    x = onp.linalg.solve(a, b)
    onp.testing.assert_allclose(ga, -onp.outer(exact, x), rtol=1e3 * bound)


def test_singular_values_near_zero():
    """A smallest singular value of 1e-7: svdvals' first-order rule (Re diag U^H dA V) needs
    no division by it and stays exact; the singular vectors' rule divides by s (and by
    s_i^2 - s_j^2), so their derivatives grow like 1/s, as the vectors' sensitivity does."""
    u, _ = onp.linalg.qr(_m(3, 3, seed=1))
    v, _ = onp.linalg.qr(_m(3, 3, seed=2))
    a = u @ onp.diag([2.0, 1.0, 1e-7]) @ v.T
    g = grad(lambda a: np.sum(la.svdvals(a)))(a)
    s_u, _, s_vh = onp.linalg.svd(a)
    onp.testing.assert_allclose(g, s_u @ s_vh, atol=1e-9)
    # Forward mode agrees with the closed form in a direction along a itself (s scales by 1).
    onp.testing.assert_allclose(jvp(la.svdvals, (a,), (a,))[1], [2.0, 1.0, 1e-7], atol=1e-12)
    # Tall: a direction leaving the column space moves the last left singular vector by 1/s.
    w, _ = onp.linalg.qr(_m(4, 4, seed=5))
    tall = w[:, :3] @ onp.diag([2.0, 1.0, 1e-7]) @ v.T
    du = jvp(lambda a: la.svd(a, full_matrices=False)[0][:, 2], (tall,),
             (onp.outer(w[:, 3], v[:, 2]),))[1]
    onp.testing.assert_allclose(onp.abs(du), onp.abs(w[:, 3]) * 1e7, rtol=1e-6)


@pytest.mark.parametrize("fun", ["sqrtm", "logm"])
def test_sqrtm_logm_near_the_branch_cut(fun):
    """Eigenvalues -1 +- 0.05i sit just off the branch cut (-inf, 0] of the principal square
    root and logarithm: the derivative from the block-triangular identity agrees with the
    Frechet derivative from the inverse function (sqrt: X L + L X = E; log: L_exp(log A, L) =
    E) and with finite differences, in real and complex arithmetic."""
    a = onp.array([[-1.0, 0.05], [-0.05, -1.0]])
    e = _m(2, 2, seed=4)
    f = getattr(sla, fun)
    x = f(a)
    lf = jvp(f, (a,), (e,))[1]
    if fun == "sqrtm":
        onp.testing.assert_allclose(x @ lf + lf @ x, e, atol=1e-9)
    else:
        onp.testing.assert_allclose(ssl.expm_frechet(x, lf)[1], e, atol=1e-9)
    check_grads(f, modes=("fwd", "rev"), order=2, rtol=1e-4, atol=1e-4)(a)
    check_grads(f, modes=("fwd", "rev"), order=1, rtol=1e-4, atol=1e-4)(a + 0.01j * e)


def test_float32_stays_float32():
    a = _dom(3).astype(onp.float32)
    for f in (la.inv, la.det, la.cholesky, lambda a: la.eigh(a)[1], la.svdvals, sla.expm):
        x = a @ a.T if f is la.cholesky else a
        out, t = jvp(f, (x,), (onp.ones_like(x),))
        assert out.dtype == onp.float32 and t.dtype == onp.float32
        assert grad(lambda x: np.sum(f(x)))(x).dtype == onp.float32


def test_complete_factorizations_without_a_derivative_raise():
    with pytest.raises(NotImplementedError, match="not unique"):
        la.qr(T32, mode="complete")
    with pytest.raises(NotImplementedError, match="not unique"):
        la.svd(T32)


def test_namespaces():
    import hodiff.scipy as hsp
    assert np.linalg is la and hsp.linalg is sla
    assert np.linalg.solve is la.solve
    for name in la.__all__:
        assert hasattr(onp.linalg, name) or name == "LinAlgError", name


def test_hermitian_routines_read_only_their_triangle():
    """Garbage in the triangle a routine does not read changes neither values nor derivatives,
    as in numpy and scipy (complex, so a plain transpose in place of ^H would show)."""
    h = _spd(3, cplx=True)
    below = h + onp.tril(_m(3, 3, seed=8), -1)
    above = h + onp.triu(_m(3, 3, seed=9), 1)
    cases = [
        (lambda a: sla.cholesky(a), ssl.cholesky, below),
        (lambda a: sla.cholesky(a, lower=True), lambda a: ssl.cholesky(a, lower=True), above),
        (lambda a: la.eigvalsh(a, "U"), lambda a: onp.linalg.eigvalsh(a, "U"), below),
        (lambda a: la.eigh(a)[0], lambda a: onp.linalg.eigh(a)[0], above),
        (lambda a: sla.eigh(a, lower=False)[0], lambda a: ssl.eigh(a, lower=False)[0], below),
    ]
    for fun, ref, a in cases:
        onp.testing.assert_allclose(fun(a), ref(a), rtol=1e-10, atol=1e-12)
        check_grads(fun, modes=("fwd", "rev"), order=2)(a)
        g = grad(lambda a: np.sum(np.real(fun(a))))(a)
        unread = onp.tril(onp.ones((3, 3)), -1) if a is below else onp.triu(onp.ones((3, 3)), 1)
        assert not onp.any(g * unread)


def test_structured_solves_keep_their_structure():
    """solve_banded's gradient at n = 200,000 (a dense solve could not run at this size) and
    solve_toeplitz's against the dense matrix: both from their own solvers."""
    n = 200_000
    r = onp.random.default_rng(3)
    ab = onp.vstack([r.uniform(-1, 1, n), 4 + r.uniform(0, 1, n), r.uniform(-1, 1, n)])
    b = r.standard_normal(n)
    w = r.standard_normal(n)
    g_ab, g_b = grad(lambda ab, b: np.dot(w, sla.solve_banded((1, 1), ab, b)),
                            argnum=(0, 1))(ab, b)
    at = onp.vstack([onp.r_[0, ab[2, :-1]], ab[1], onp.r_[ab[0, 1:], 0]])  # the transpose
    lam = ssl.solve_banded((1, 1), at, w)
    onp.testing.assert_allclose(g_b, lam, rtol=1e-10)
    x = ssl.solve_banded((1, 1), ab, b)
    onp.testing.assert_allclose(g_ab[1], -lam * x, rtol=1e-10)          # the diagonal
    onp.testing.assert_allclose(g_ab[0, 1:], -lam[:-1] * x[1:], rtol=1e-10)   # a[i, i + 1]
    c, row = _m(50, seed=12), _m(50, seed=13)
    c[0] += 20
    dense = lambda c, row: np.dot(w[:50], la.solve(sla.toeplitz(c, row), b[:50]))
    fast = lambda c, row: np.dot(w[:50], sla.solve_toeplitz((c, row), b[:50]))
    for mode in (grad, jacfwd):
        for got, want in zip(mode(fast, argnum=(0, 1))(c, row), mode(dense, argnum=(0, 1))(c, row)):
            onp.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
