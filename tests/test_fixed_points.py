"""hodiff.misc.fixed_point (implicit derivatives, both modes, second order) and checkpoint
(one rerun per backward pass)."""
import numpy
import pytest

import hodiff
import hodiff.numpy as np
from hodiff.misc import fixed_point, fixed_points


def newton_sqrt(a):
    return lambda x: 0.5 * (x + a / x)


def dist(x, y):
    return np.max(np.abs(x - y))


def sqrt_fp(a):
    return fixed_point(newton_sqrt, a, np.ones_like(a), dist, 1e-13)


def test_importable_both_ways():
    assert fixed_points.fixed_point is fixed_point
    assert hodiff.misc.fixed_point is fixed_point


@pytest.mark.parametrize("outer", ["fwd", "rev"])
@pytest.mark.parametrize("inner", ["fwd", "rev"])
def test_first_and_second_derivatives(outer, inner):
    a = 2.0
    op = {"fwd": hodiff.deriv, "rev": hodiff.grad}
    assert float(op[inner](sqrt_fp)(a)) == pytest.approx(0.5 * a ** -0.5, rel=1e-10)
    assert float(op[outer](op[inner](sqrt_fp))(a)) == pytest.approx(-0.25 * a ** -1.5,
                                                                    rel=1e-9)


def test_vector_parameter_jacobians():
    a = numpy.array([2.0, 3.0, 5.0])
    want = numpy.diag(0.5 / numpy.sqrt(a))
    numpy.testing.assert_allclose(hodiff.jacfwd(sqrt_fp)(a), want, rtol=1e-10, atol=1e-14)
    numpy.testing.assert_allclose(hodiff.jacrev(sqrt_fp)(a), want, rtol=1e-10, atol=1e-14)


def test_matrix_fixed_point_against_a_solve():
    # x = A x + b(a) with a contraction A: x* = (I - A)^-1 b(a); d x*/d a by a dense solve
    rng = numpy.random.default_rng(0)
    A = 0.3 * rng.standard_normal((4, 4)) / 2
    B = rng.standard_normal((4, 3))
    step = lambda a: (lambda x: A @ x + np.tanh(B @ a))  # noqa: E731
    f = lambda a: np.sum(fixed_point(step, a, np.zeros(4), dist, 1e-14) ** 2)  # noqa: E731
    a = rng.standard_normal(3)
    inv = numpy.linalg.inv(numpy.eye(4) - A)
    x = inv @ numpy.tanh(B @ a)
    dx_da = inv @ ((1 - numpy.tanh(B @ a) ** 2)[:, None] * B)
    numpy.testing.assert_allclose(hodiff.grad(f)(a), 2 * dx_da.T @ x, rtol=1e-9)
    numpy.testing.assert_allclose(hodiff.hessian(f)(a), hodiff.hessian(f, mode="rev-rev")(a),
                                  rtol=1e-8)
    # second order against finite differences of the gradient
    e = 1e-6
    fd = numpy.array([(hodiff.grad(f)(a + e * v) - hodiff.grad(f)(a - e * v)) / (2 * e)
                      for v in numpy.eye(3)])
    numpy.testing.assert_allclose(hodiff.hessian(f)(a), fd, rtol=1e-5, atol=1e-8)


def test_checkpoint_reruns_once_per_backward_pass():
    calls = []

    def block(x, y, z):
        calls.append(1)
        return np.sin(x * y) * z

    cb = hodiff.checkpoint(block)
    args = (numpy.array([0.3, 0.4]), numpy.array([1.1, 0.9]), numpy.array([2.0, 3.0]))
    f = lambda x, y, z: np.sum(cb(x, y, z) ** 2)  # noqa: E731
    plain = lambda x, y, z: np.sum((np.sin(x * y) * z) ** 2)  # noqa: E731
    got = hodiff.grad(f, (0, 1, 2))(*args)
    assert len(calls) == 2  # the forward run and one rerun, for three arguments
    for g, w in zip(got, hodiff.grad(plain, (0, 1, 2))(*args)):
        numpy.testing.assert_allclose(g, w, rtol=1e-12)
    calls.clear()
    _, t = hodiff.jvp(f, args, args)
    assert len(calls) == 1  # forward mode just runs the block
    assert t == pytest.approx(hodiff.jvp(plain, args, args)[1], rel=1e-12)
    numpy.testing.assert_allclose(hodiff.hessian(f)(*args), hodiff.hessian(plain)(*args),
                                  rtol=1e-10)
