"""hodiff.scipy.special beyond the spec rows: the shape-parameter derivatives of the incomplete
gamma and beta functions against finite differences of scipy over wide ranges (both branches of
each method), the composites (logsumexp with all its options, softmax, log_softmax,
multigammaln), zeta's exponent derivative, and edge values.
"""
from __future__ import annotations

import numpy as onp
import pytest
import scipy.special as ss

import hodiff.numpy as np
import hodiff.scipy.special as sp
from hodiff import deriv, grad, hessian, jacobian
from hodiff.test_util import check_grads


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# a, x: series branch (x < a + 1) and continued fraction (x >= a + 1), small and large a.
GAMMA_POINTS = [(0.3, 0.05), (0.5, 0.2), (2.0, 1.0), (2.0, 5.0), (0.3, 4.0), (10.0, 30.0),
                (30.0, 25.0), (50.0, 60.0), (5.0, 40.0)]


@pytest.mark.parametrize("a,x", GAMMA_POINTS)
def test_gammainc_shape_derivative_matches_scipy(a, x):
    h = 1e-6 * max(1.0, a)
    # differences of the smaller of P and Q (1 - the other loses digits to cancellation)
    ref = ss.gammainc if ss.gammainc(a, x) < 0.5 else ss.gammaincc
    d_small = (ref(a + h, x) - ref(a - h, x)) / (2 * h)
    d_p = d_small if ref is ss.gammainc else -d_small
    for ours, expected in [(sp.gammainc, d_p), (sp.gammaincc, -d_p)]:
        onp.testing.assert_allclose(grad(ours)(a, x), expected, rtol=2e-6, atol=1e-12)
        onp.testing.assert_allclose(deriv(ours)(a, x), expected, rtol=2e-6, atol=1e-12)
        # the x-derivative of the a-derivative (what a Hessian in (a, x) needs)
        mixed = (deriv(ours)(a, x + 1e-5) - deriv(ours)(a, x - 1e-5)) / 2e-5
        onp.testing.assert_allclose(deriv(deriv(ours), 1)(a, x), mixed, rtol=1e-5, atol=1e-10)


def test_gammainc_second_order_in_both_arguments():
    f = lambda ax: sp.gammainc(ax[0], ax[1])  # noqa: E731
    for point in [(0.7, 0.4), (2.5, 6.0)]:
        check_grads(f, modes=("fwd", "rev"), order=2, rtol=1e-4)(onp.array(point))
    check_grads(lambda ay: sp.gammaincinv(ay[0], ay[1]), modes=("fwd", "rev"), order=2,
                rtol=1e-4)(onp.array([1.7, 0.3]))


@pytest.mark.parametrize("a,b,x", [(0.5, 0.7, 0.2), (2.0, 3.0, 0.9), (10.0, 1.0, 0.5),
                                   (1.5, 20.0, 0.05), (30.0, 40.0, 0.45), (0.3, 0.4, 0.97)])
def test_betainc_shape_derivatives_match_scipy(a, b, x):
    h = 1e-6
    da = (ss.betainc(a + h, b, x) - ss.betainc(a - h, b, x)) / (2 * h)
    db = (ss.betainc(a, b + h, x) - ss.betainc(a, b - h, x)) / (2 * h)
    for mode in (grad, deriv):
        onp.testing.assert_allclose(mode(sp.betainc, 0)(a, b, x), da, rtol=2e-6, atol=1e-11)
        onp.testing.assert_allclose(mode(sp.betainc, 1)(a, b, x), db, rtol=2e-6, atol=1e-11)
    check_grads(lambda p: sp.betainc(p[0], p[1], p[2]), modes=("fwd", "rev"), order=2,
                rtol=1e-4)(onp.array([a, b, x]))


LSE_CASES = [
    {}, {"axis": 0}, {"axis": 1}, {"axis": (0, 1)}, {"axis": 1, "keepdims": True},
    {"axis": 0, "b": onp.array([[0.5], [2.0]])},
    {"axis": 1, "b": onp.array([1.0, -0.2, 3.0]), "return_sign": True},
    {"axis": None, "b": onp.array([-1.0, -0.5, -2.0]), "return_sign": True, "keepdims": True},
]


@pytest.mark.parametrize("kw", LSE_CASES)
def test_logsumexp_matches_scipy_and_differentiates(kw):
    x = onp.array([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2]])
    ours, theirs = sp.logsumexp(x, **kw), ss.logsumexp(x, **kw)
    if kw.get("return_sign"):
        onp.testing.assert_allclose(ours[1], theirs[1])
        ours, theirs = ours[0], theirs[0]
        f = lambda x: np.sum(sp.logsumexp(x, **kw)[0] ** 2)  # noqa: E731
    else:
        f = lambda x: np.sum(sp.logsumexp(x, **kw) ** 2)  # noqa: E731
    onp.testing.assert_allclose(ours, theirs, rtol=1e-13)
    check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_logsumexp_derivative_is_softmax_and_extremes_are_stable():
    x = onp.array([1000.0, 1001.0, -onp.inf])
    onp.testing.assert_allclose(grad(sp.logsumexp)(x), ss.softmax(x))
    onp.testing.assert_allclose(sp.logsumexp(onp.array([-onp.inf, -onp.inf])), -onp.inf)
    x = onp.array([0.3, -1.0, 2.0])
    p = ss.softmax(x)
    onp.testing.assert_allclose(hessian(sp.logsumexp)(x), onp.diag(p) - onp.outer(p, p),
                                atol=1e-15)


def test_softmax_and_log_softmax():
    x = onp.array([[0.1, 2.0, -1.0], [3.0, 0.5, 0.2]])
    for axis in (None, 0, 1):
        onp.testing.assert_allclose(sp.softmax(x, axis=axis), ss.softmax(x, axis=axis))
        onp.testing.assert_allclose(sp.log_softmax(x, axis=axis), ss.log_softmax(x, axis=axis))
        check_grads(lambda x: sp.softmax(x, axis=axis), modes=("fwd", "rev"), order=2)(x)
        check_grads(lambda x: sp.log_softmax(x, axis=axis), modes=("fwd", "rev"), order=2)(x)
    p = ss.softmax(x[0])
    onp.testing.assert_allclose(jacobian(sp.softmax)(x[0]), onp.diag(p) - onp.outer(p, p),
                                atol=1e-15)


def test_multigammaln():
    a = onp.array([2.0, 3.5])
    onp.testing.assert_allclose(sp.multigammaln(a, 3), ss.multigammaln(a, 3))
    onp.testing.assert_allclose(
        grad(lambda a: np.sum(sp.multigammaln(a, 3)))(a),
        [_fd(lambda t: ss.multigammaln(t, 3), v) for v in a], rtol=1e-7)


def test_zeta_derivative_in_its_exponent():
    for s, q in [(2.0, 1.0), (3.5, 0.3), (1.2, 2.0), (6.0, 5.0)]:
        expected = _fd(lambda t: ss.zeta(t, q), s)
        onp.testing.assert_allclose(grad(sp.zeta)(s, q), expected, rtol=1e-7)
        onp.testing.assert_allclose(deriv(sp.zeta)(s, q), expected, rtol=1e-7)
    # zeta'(2) = zeta(2) (gamma + log(2 pi) - 12 log(A)), A Glaisher's constant
    glaisher = 1.2824271291006226
    closed = onp.pi ** 2 / 6 * (onp.euler_gamma + onp.log(2 * onp.pi) - 12 * onp.log(glaisher))
    onp.testing.assert_allclose(grad(sp.zeta)(2.0), closed, rtol=1e-12)


def test_integer_order_bessel_and_polygamma():
    x = onp.array([0.7, 2.5])
    onp.testing.assert_allclose(sp.jn(3, x), ss.jn(3, x))
    onp.testing.assert_allclose(sp.yn(2, x), ss.yn(2, x))
    onp.testing.assert_allclose(jacobian(lambda x: sp.jn(3, x))(x).diagonal(),
                                [_fd(lambda t: ss.jn(3, t), v) for v in x], rtol=1e-7)
    # derivative of digamma is polygamma(1, .), of that polygamma(2, .)
    onp.testing.assert_allclose(deriv(deriv(sp.digamma))(1.5), ss.polygamma(2, 1.5))


def test_edges():
    onp.testing.assert_allclose(grad(sp.spence)(1.0), -1.0)  # the limit log(z) / (1 - z)
    onp.testing.assert_allclose(grad(sp.rgamma)(0.0), 1.0)  # rgamma'(0) = 1 (1/gamma is entire)
    onp.testing.assert_allclose(deriv(sp.lambertw)(0.0), 1.0)  # W'(0) = 1
    onp.testing.assert_allclose(grad(sp.log_ndtr)(-30.0), 30.0336, rtol=1e-4)  # ~ -x far out
    onp.testing.assert_allclose(grad(sp.log_expit)(-800.0), 1.0)
    onp.testing.assert_allclose(grad(sp.xlogy)(0.0, 2.0), onp.log(2.0))
    onp.testing.assert_allclose(grad(lambda r: sp.huber(1.0, r))(1.0), 1.0)  # continuous


def test_incomplete_functions_broadcast_and_their_ends():
    a, x = onp.array([[0.5], [3.0]]), onp.array([0.2, 2.0, 7.0])
    g = grad(lambda a: np.sum(sp.gammainc(a, x)))(a)
    expected = [[sum(_fd(lambda t: ss.gammainc(t, v), ai[0]) for v in x)] for ai in a]
    onp.testing.assert_allclose(g, expected, rtol=1e-6)
    onp.testing.assert_allclose(grad(sp.gammainc)(2.0, 0.0), 0.0)
    onp.testing.assert_allclose(grad(sp.betainc)(2.0, 3.0, 0.0), 0.0)
    onp.testing.assert_allclose(grad(sp.betainc, 1)(2.0, 3.0, 1.0), 0.0)


@pytest.mark.parametrize("module", ["hodiff.scipy.special._gamma", "hodiff.scipy.special._misc",
                                    "hodiff.scipy.special._logsumexp"])
def test_docstring_examples_run(module):
    import doctest
    import importlib
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
