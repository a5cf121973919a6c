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
