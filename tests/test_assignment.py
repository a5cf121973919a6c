"""Assignment into arrays made by hodiff.numpy's constructors, in-place operators, duplicate
indices, the view rule and the tape of assignment loops (docs/errors.md, "Assignment")."""
import tracemalloc

import numpy as onp
import pytest

import hodiff
import hodiff.numpy as np
from hodiff import deriv, grad, hessian, jacfwd, jacrev
from hodiff.core import Box
from hodiff.test_util import check_grads

CONSTRUCTORS = {
    "zeros": lambda x: np.zeros(3),
    "ones": lambda x: np.ones(3),
    "empty": lambda x: np.empty(3),
    "full": lambda x: np.full(3, 7.0),
    "zeros_like": lambda x: np.zeros_like(onp.ones(3)),
    "ones_like": lambda x: np.ones_like(onp.ones(3)),
    "empty_like": lambda x: np.empty_like(onp.ones(3)),
    "full_like": lambda x: np.full_like(onp.ones(3), 2.0),
    "zeros_like_traced": lambda x: np.zeros_like(x),
    "eye_row": lambda x: np.eye(3)[0] * 1.0,
    "full_traced_fill": lambda x: np.full(3, x[0]),
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTORS))
def test_constructors_take_traced_assignments_in_every_mode(name):
    make = CONSTRUCTORS[name]

    def f(x):
        A = make(x)
        A[0] = x[0] ** 2
        A[1:] = np.sin(x[1:])
        return np.sum(A * A) + x[1]

    check_grads(f, modes=("fwd", "rev"), order=2)(onp.array([0.3, -0.7, 1.1]))


def test_outside_derivatives_constructors_are_plain_numpy():
    for name in ("zeros", "ones", "empty", "full", "eye", "identity"):
        assert type(np.zeros(3)) is onp.ndarray, name
    assert isinstance(np.ones_like(onp.ones(2)), onp.ndarray)
    assert isinstance(np.full(2, 1.0), onp.ndarray)


def test_unassigned_constructor_arrays_behave_as_constants():
    def f(x):
        A = np.ones(3)
        B = A * 2.0  # still a constant (and still takes assignments)
        onp.testing.assert_array_equal(hodiff.primal_value(B), [2.0, 2.0, 2.0])
        C = np.eye(2) * 3.0
        C[0, 1] = x[0]
        return np.sum(A * x) + np.sum(B) + C[0, 1]

    onp.testing.assert_allclose(grad(f)(onp.arange(3.0)), [2.0, 1.0, 1.0])
    onp.testing.assert_allclose(jacfwd(f)(onp.arange(3.0)), [2.0, 1.0, 1.0])
    # returned unassigned: a plain value, zero derivative
    val, g = hodiff.value_and_grad(lambda x: np.sum(np.zeros(2)) + 0.0 * x)(1.0)
    assert val == 0.0 and g == 0.0
    assert not isinstance(hodiff.vjp(lambda x: np.zeros(2), 1.0)[0], Box)


def test_an_array_made_outside_and_assigned_inside_a_nested_call():
    # A comes from the outer derivative call, x from the outer one too: fine
    def outer(y):
        A = np.zeros(2)

        def inner(z):
            A[0] = y  # y belongs to the outer call
            return np.sum(A) * z

        return grad(inner)(2.0) + y ** 2

    # outer(y) = 2 y + y^2 ... but inner's derivative is sum(A) = y: outer = y + y^2
    assert grad(outer)(3.0) == pytest.approx(7.0)
    assert deriv(outer)(3.0) == pytest.approx(7.0)


def test_assigning_a_value_of_a_deeper_call_into_an_outer_array_raises():
    def outer(y):
        A = np.zeros(2) + y  # traced by the outer call

        def inner(z):
            A[0] = z  # z belongs to the inner call: A would outlive it
            return np.sum(A)

        return grad(inner)(2.0)

    with pytest.raises(TypeError, match="index_update"):
        grad(outer)(1.0)


def test_nested_derivatives_through_assignment_loops():
    def f(x):
        A = np.zeros(4)
        for i in range(4):
            A[i] = x ** (i + 1)
        return np.sum(A)

    # f = x + x^2 + x^3 + x^4
    assert grad(f)(2.0) == pytest.approx(1 + 4 + 12 + 32)
    assert deriv(deriv(f))(2.0) == pytest.approx(2 + 12 + 48)
    assert hessian(f)(2.0) == pytest.approx(2 + 12 + 48)
    check_grads(f, modes=("fwd", "rev"), order=2)(0.7)


@pytest.mark.parametrize("op", ["+=", "-=", "*=", "/=", "**="])
def test_in_place_operators_on_traced_arrays(op):
    ref = {"+=": onp.add, "-=": onp.subtract, "*=": onp.multiply, "/=": onp.divide,
           "**=": onp.power}[op]

    def f(x):
        A = np.ones(3) + 1.0
        alias = A
        A[:] = x  # A is traced now
        code = compile(f"A {op} x[::-1] * 0.5 + 1.0", "<op>", "exec")
        env = {"A": A, "x": x}
        exec(code, env)
        assert env["A"] is alias  # updated in place, as numpy does
        return np.sum(alias * alias)

    x = onp.array([0.5, 1.5, 2.0])
    want = ref(x, x[::-1] * 0.5 + 1.0)
    assert f(x) == pytest.approx(onp.sum(want * want))
    check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_matmul_in_place_and_dtype_kept():
    def f(x):
        A = np.eye(2) * 1.0
        A[0, 1] = x
        A @= onp.array([[1.0, 2.0], [3.0, 4.0]])
        return np.sum(A)

    check_grads(f, modes=("fwd", "rev"), order=2)(0.5)

    def g(x):
        A = np.zeros(2)
        A += x * (1 + 1j)
        return np.sum(A)

    with pytest.raises(TypeError, match="complex"):
        grad(g)(1.0)


def test_duplicate_indices_last_write_wins_in_every_mode():
    idx = onp.array([0, 2, 0, 1, 2])

    def f(v):
        y = np.zeros(4)
        y[idx] = v
        return np.sum(y * onp.array([1.0, 2.0, 3.0, 4.0]))

    v = onp.arange(5.0) + 1.0
    y = onp.zeros(4)
    y[idx] = v
    assert f(v) == pytest.approx(onp.sum(y * [1, 2, 3, 4]))
    want = onp.array([0.0, 0.0, 1.0, 2.0, 3.0])  # writes 1 and 2 are overwritten
    for d in (grad, jacfwd, jacrev):
        onp.testing.assert_array_equal(d(f)(v), want)
    check_grads(f, modes=("fwd", "rev"), order=2)(v)

    def broadcast(s):  # one value written twice to the same place
        y = np.zeros(3)
        y[[1, 1]] = s
        return np.sum(y * onp.array([1.0, 5.0, 7.0]))

    assert grad(broadcast)(2.0) == 5.0 and deriv(broadcast)(2.0) == 5.0


def test_the_view_rule_slices_are_snapshots():
    def f(x):
        A = np.zeros(3)
        A[:] = x
        view = A[1:]  # a snapshot of A now
        A[1] = 10.0 * x[0]  # does not change `view`
        view[0] = x[2] ** 2  # does not change A
        return np.sum(view * onp.array([1.0, 2.0])) + np.sum(A * onp.array([1.0, 3.0, 5.0]))

    x = onp.array([0.5, -1.0, 2.0])
    # traced: view = [x2^2, x2], A = [x0, 10 x0, x2], so
    # f = x2^2 + 2 x2 + x0 + 30 x0 + 5 x2
    seen = []
    hodiff.value_and_grad(lambda v: (seen.append(hodiff.primal_value(f(v))), f(v))[1])(x)
    assert seen[0] == pytest.approx(x[2] ** 2 + 2 * x[2] + 31 * x[0] + 5 * x[2])
    # (plain numpy shares memory instead: view[0] = ... overwrites A[1] there)
    assert f(x) == pytest.approx(x[2] ** 2 + 2 * x[2] + x[0] + 3 * x[2] ** 2 + 5 * x[2])
    want = onp.array([31.0, 0.0, 2 * x[2] + 7.0])
    onp.testing.assert_allclose(grad(f)(x), want)
    onp.testing.assert_allclose(jacfwd(f)(x), want)


def test_assignment_tape_grows_with_the_values_changed():
    n, steps = 20_000, 100  # size x steps x 8 B = 16 MB if each step kept an array

    def f(x):
        A = np.zeros(n)
        for i in range(steps):
            A[i] = x * i
        return np.sum(A)

    grad(f)(1.0)  # warm up
    tracemalloc.start()
    try:
        g = grad(f)(1.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert g == pytest.approx(sum(range(steps)))
    # a few arrays of size n alive at once (the value and its update), not one per step
    assert peak < 8 * n * 8, f"peak {peak / 1e6:.1f} MB"


def test_caller_arrays_are_never_modified():
    x = onp.array([1.0, 2.0])
    before = x.copy()

    def f(v):
        v[0] = 5.0
        v += 1.0
        return np.sum(v * v)

    onp.testing.assert_allclose(grad(f)(x), [0.0, 2 * 3.0])
    onp.testing.assert_array_equal(x, before)


def test_constructor_arrays_convert_freely_until_they_take_a_traced_value():
    def f(x):
        A = np.zeros(3)
        n = int(A.sum()) + len(A.tolist()) + float(A[0]) + onp.asarray(np.ones(2)).sum()
        A[0] = x
        with pytest.raises(hodiff.TracerConversionError):
            float(A[0])
        return np.sum(A) * n

    assert grad(f)(2.0) == 5.0 and deriv(f)(2.0) == 5.0
    assert grad(grad(lambda x: f(x) * x))(2.0) == 10.0
