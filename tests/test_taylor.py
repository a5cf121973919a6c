"""Taylor mode (jet, taylor) against nested derivatives, and nested with the other modes."""
import math

import numpy
import pytest

import hodiff
import hodiff.numpy as np
from hodiff import deriv, grad, jet, jvp, taylor
from hodiff.core import Primitive

RNG = numpy.random.default_rng(0)
W1, B1 = RNG.standard_normal((5, 3)) / 2, RNG.standard_normal(5) / 2
W2, B2 = RNG.standard_normal((2, 5)) / 2, RNG.standard_normal(2) / 2


def mlp(x):
    h = np.tanh(W1 @ x + B1)
    out = np.einsum("ij,j->i", W2, h) + B2
    return np.sum(np.sin(out) * out) + np.sum(np.exp(-x * x) / (1 + h[:3] ** 2))


def nested_directional(f, x, v, order):
    """d^k/dt^k f(x + t v) at 0, k = 0..order, by nesting jvp (forward over forward ...)."""
    def along(g):
        return lambda y: jvp(g, (y,), (v,))[1]
    out, g = [f(x)], f
    for _ in range(order):
        g = along(g)
        out.append(g(x))
    return out


CASES = {
    "tanh": (np.tanh, 0.4, 1.0),
    "sin_exp": (lambda x: np.sin(np.exp(x)), 0.3, 1.0),
    "mlp": (mlp, RNG.standard_normal(3), RNG.standard_normal(3)),
    "powers_and_quotients": (lambda x: np.sqrt(1 + x ** 2) / (2 + np.cos(x)) + x ** 3
                             + np.log1p(x * x) * np.cosh(x), 0.6, 1.0),
}


@pytest.mark.parametrize("name", CASES)
def test_taylor_matches_nested_derivatives_to_order_6(name):
    f, x, v = CASES[name]
    got = taylor(f, x, v, 6)
    want = nested_directional(f, x, v, 6)
    for k, (a, b) in enumerate(zip(got, want)):
        assert float(a) == pytest.approx(float(b), rel=1e-9, abs=1e-9), f"order {k}"


def test_tanh_against_nested_grad():
    x = 0.7
    g, want = np.tanh, []
    for _ in range(6):
        g = grad(g)
        want.append(float(g(x)))
    got = [float(d) for d in taylor(np.tanh, x, 1.0, 6)[1:]]
    numpy.testing.assert_allclose(got, want, rtol=1e-10)


def test_jet_shape_and_scaling():
    # f = exp along x(t) = x0 + t*a + t^2/2*b: d/dt f = f * (a + b t), d2 = f*(a^2 + b)
    x0, a, b = 0.2, 0.5, 3.0
    y, (y1, y2) = jet(np.exp, (x0,), ([a, b],))
    assert float(y1) == pytest.approx(math.exp(x0) * a)
    assert float(y2) == pytest.approx(math.exp(x0) * (a * a + b))
    # arrays and two primals
    x, z = numpy.array([0.1, 0.2]), numpy.array([1.0, -1.0])
    out, series = jet(lambda p, q: p * q, (x, z), ([numpy.ones(2)] * 2, [numpy.zeros(2)] * 2))
    numpy.testing.assert_allclose(out, x * z)
    numpy.testing.assert_allclose(series[0], z)
    numpy.testing.assert_allclose(series[1], z)  # x'' = 1


def test_nests_with_other_modes():
    # grad of a Taylor coefficient: d/dx (d^3/dx^3 sin x) = sin x
    x = 0.8
    assert float(grad(lambda y: taylor(np.sin, y, 1.0, 3)[3])(x)) == pytest.approx(math.sin(x))
    assert float(deriv(lambda y: taylor(np.sin, y, 1.0, 3)[3])(x)) == pytest.approx(
        math.sin(x))
    # Taylor of a gradient: derivatives of tanh' are tanh's next ones
    got = taylor(grad(np.tanh), x, 1.0, 3)
    want = taylor(np.tanh, x, 1.0, 4)[1:]
    numpy.testing.assert_allclose([float(a) for a in got], [float(b) for b in want],
                                  rtol=1e-10)


def test_missing_rule_is_a_clear_error():
    cube = Primitive(lambda x: x ** 3, name="cube_taylor_test", register=False)
    cube.defrules(0, jvp=lambda t, ans, x: 3 * x ** 2 * t, vjp=None)
    with pytest.raises(TypeError, match="no Taylor-mode rule for cube_taylor_test"):
        taylor(cube, 1.0, 1.0, 2)


def test_order_zero_and_bad_order():
    assert float(taylor(np.sin, 0.5, 1.0, 0)[0]) == pytest.approx(math.sin(0.5))
    with pytest.raises(ValueError):
        taylor(np.sin, 0.5, 1.0, -1)
