"""Traced values behave like arrays: operators, properties, methods, indexing, containers,
iteration and control flow, each differentiated and checked against finite differences
(check_grads, forward and reverse to second order) or a closed form.
"""
import math

import numpy as onp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import hodiff
import hodiff.numpy as np
from hodiff import deriv, grad, jacfwd, jacrev, jvp
from hodiff.core import Box
from hodiff.test_util import check_grads

R = onp.random.default_rng(7)
X = R.uniform(0.5, 1.5, (3, 4))       # positive: safe for **, /, log
V = R.uniform(0.5, 1.5, 4)
A = R.standard_normal((3, 4))         # plain arrays on the other side of operators
B = R.standard_normal((4, 2))
M = R.standard_normal((2, 3))
Z = R.standard_normal((3, 4)) + 1j * R.standard_normal((3, 4))


def check(f, x, order=2):
    check_grads(f, modes=["fwd", "rev"], order=order)(x)


# -- operators ----------------------------------------------------------------------------------
OPERATOR_CASES = {
    # traced on the left
    "add": (lambda x: x + A, X),
    "sub": (lambda x: x - A, X),
    "mul": (lambda x: x * A, X),
    "div": (lambda x: x / (A * A + 1.0), X),
    "pow_const": (lambda x: x ** 3, X),
    "pow_frac": (lambda x: x ** 1.5, X),
    "pow_array": (lambda x: x ** (A * 0.5), X),
    "matmul": (lambda x: x @ B, X),
    "neg": (lambda x: -x, X),
    "pos": (lambda x: +x, X),
    "abs": (lambda x: abs(x - 1.0), X),
    "self_ops": (lambda x: x * x - x / (x + 1.0) + x ** x, X),
    "self_matmul": (lambda x: x @ x.T, X),
    # plain ndarrays on the left (reflected operators)
    "radd": (lambda x: A + x, X),
    "rsub": (lambda x: A - x, X),
    "rmul": (lambda x: A * x, X),
    "rdiv": (lambda x: A / x, X),
    "rpow": (lambda x: (A * A + 0.5) ** x, X),
    "rmatmul": (lambda x: M @ x, X),
    "rmatmul_vec": (lambda v: A @ v, V),
    # Python and numpy scalars on the left
    "radd_scalar": (lambda x: 2.0 + x, X),
    "rsub_scalar": (lambda x: 2.0 - x, X),
    "rmul_scalar": (lambda x: onp.float64(3.0) * x, X),
    "rdiv_scalar": (lambda x: 1.0 / x, X),
    "rpow_scalar": (lambda x: 2.0 ** x, X),
    "rpow_numpy_scalar": (lambda x: onp.float64(2.0) ** x, X),
    # broadcasting both ways
    "broadcast_row": (lambda x: x * A[0], X),
    "broadcast_col": (lambda v: A * v[:3, None], V),
    "broadcast_rcol": (lambda v: v[:3, None] - A, V),
}


@pytest.mark.parametrize("name", list(OPERATOR_CASES))
def test_operator(name):
    f, x = OPERATOR_CASES[name]
    check(f, x)


def test_operators_closed_form():
    x = X
    onp.testing.assert_allclose(grad(lambda x: np.sum(A / x))(x), -A / x ** 2, rtol=1e-12)
    onp.testing.assert_allclose(grad(lambda x: np.sum(2.0 ** x))(x), 2.0 ** x * math.log(2),
                                rtol=1e-12)
    onp.testing.assert_allclose(grad(lambda x: np.sum(M @ x))(x),
                                onp.broadcast_to(M.sum(0)[:, None], x.shape), rtol=1e-12)
    onp.testing.assert_allclose(grad(lambda v: np.sum(A @ v))(V), A.sum(0), rtol=1e-12)
    onp.testing.assert_allclose(grad(lambda x: np.sum(-(x ** 3)))(x), -3 * x ** 2, rtol=1e-12)
    onp.testing.assert_allclose(grad(lambda x: np.sum(A - x))(x), -onp.ones_like(x))


def test_reflected_operator_results_are_traced():
    seen = []

    def f(x):
        for y in (A + x, A - x, A * x, A / x, (A * A + 0.5) ** x, M @ x, 1.0 - x,
                  onp.float64(2.0) * x):
            seen.append(isinstance(y, Box))
        return np.sum(x)

    grad(f)(X)
    assert seen == [True] * 8


@given(x=hnp.arrays(onp.float64, hnp.array_shapes(max_dims=3, max_side=3),
                    elements=st.floats(0.5, 2.0)))
def test_operators_random_shapes(x):
    def f(x):
        return np.sum((x * 2.0 - 1.0 / x) ** 2 + (3.0 - x) * x + onp.ones(x.shape) / x)

    g = grad(f)(x)
    expected = 2 * (2 * x - 1 / x) * (2 + 1 / x ** 2) + 3 - 2 * x - 1 / x ** 2
    onp.testing.assert_allclose(g, expected, rtol=1e-10)
    onp.testing.assert_allclose(jvp(f, (x,), (onp.ones_like(x),))[1], onp.sum(expected),
                                rtol=1e-10)


def test_in_place_operators_follow_numpy_and_python():
    # On an array, y += ... updates y in place as numpy does (y and x are one array here), yet
    # the caller's array is never changed; on a float it makes a new value, as Python does.
    def f(x):
        y = x
        y += 1.0
        y *= x
        y -= 0.5
        y /= 2.0
        y **= 2
        return np.sum(y)

    x = onp.array([0.5, 1.0])
    before = x.copy()
    # numpy: y *= x squares x + 1, so f(x) = sum(((x + 1)^2 - 0.5)^2 / 4)
    onp.testing.assert_allclose(grad(f)(x), ((x + 1) ** 2 - 0.5) * (x + 1), rtol=1e-12)
    onp.testing.assert_allclose(jacfwd(f)(x), ((x + 1) ** 2 - 0.5) * (x + 1), rtol=1e-12)
    onp.testing.assert_allclose(x, before)
    assert f(x.copy()) == pytest.approx(onp.sum(((x + 1) ** 2 - 0.5) ** 2 / 4))
    # a Python float: f(x) = ((x + 1) x - 0.5)^2 / 4, f' = ((x+1)x - 0.5)(2x + 1) / 2
    for s in (0.5, 1.0):
        assert grad(f)(s) == pytest.approx(((s + 1) * s - 0.5) * (2 * s + 1) / 2, rel=1e-12)
        assert deriv(f)(s) == pytest.approx(((s + 1) * s - 0.5) * (2 * s + 1) / 2, rel=1e-12)


# -- properties ---------------------------------------------------------------------------------
def test_properties():
    seen = {}

    def f(x):
        seen["shape"], seen["ndim"], seen["size"] = x.shape, x.ndim, x.size
        seen["dtype"] = x.dtype
        seen["T_shape"] = x.T.shape
        return np.sum(x.T * A.T)

    for op in (grad, lambda f: (lambda x: jvp(f, (x,), (onp.ones_like(x),))[1])):
        seen.clear()
        op(f)(X)
        assert seen == {"shape": (3, 4), "ndim": 2, "size": 12, "dtype": onp.dtype("float64"),
                        "T_shape": (4, 3)}
    onp.testing.assert_allclose(grad(lambda x: np.sum(x.T * A.T))(X), A)
    check(lambda x: x.T @ A, X)


def test_dtype_of_complex_and_float32():
    dts = []
    grad(lambda z: (dts.append(z.dtype), np.sum(np.abs(z) ** 2))[1])(Z)
    grad(lambda x: (dts.append(x.dtype), np.sum(x * x))[1])(X.astype(onp.float32))
    assert dts == [onp.dtype("complex128"), onp.dtype("float32")]


# -- methods ------------------------------------------------------------------------------------
METHOD_CASES = {
    "sum": (lambda x: x.sum(), X),
    "sum_axis": (lambda x: x.sum(axis=0), X),
    "sum_keepdims": (lambda x: x.sum(axis=1, keepdims=True) * x, X),
    "mean": (lambda x: x.mean(), X),
    "mean_axis": (lambda x: x.mean(axis=1), X),
    "dot_matrix": (lambda x: x.dot(B), X),
    "dot_vector": (lambda v: v.dot(v), V),
    "dot_traced": (lambda x: x.dot(x.T), X),
    "reshape_tuple": (lambda x: x.reshape((4, 3)) @ M.T[:3, :], X),
    "reshape_args": (lambda x: x.reshape(2, 6) ** 2, X),
    "reshape_minus1": (lambda x: x.reshape(-1) * onp.arange(12.0), X),
    "ravel": (lambda x: x.ravel() ** 2, X),
    "transpose_method": (lambda x: x.transpose() @ A, X),
    "prod": (lambda x: x.prod(axis=0), X),
    "max": (lambda x: x.max(axis=1), X),
    "var_std": (lambda x: x.var() + x.std(axis=0), X),
    "cumsum": (lambda x: x.cumsum(axis=1), X),
    "squeeze": (lambda x: x[:1].squeeze() ** 2, X),
    "swapaxes": (lambda x: x.swapaxes(0, 1) * A.T, X),
    "clip": (lambda x: x.clip(0.7, 1.3), X + 0.013),
    "copy": (lambda x: x.copy() * 2.0, X),
    "trace": (lambda x: x[:, :3].trace(), X),
    "astype": (lambda x: x.astype(onp.float64) ** 2, X),
}


@pytest.mark.parametrize("name", list(METHOD_CASES))
def test_method(name):
    f, x = METHOD_CASES[name]
    check(f, x)


def test_methods_closed_form():
    onp.testing.assert_allclose(grad(lambda x: x.sum())(X), onp.ones_like(X))
    onp.testing.assert_allclose(grad(lambda x: x.mean())(X), onp.full_like(X, 1 / 12))
    onp.testing.assert_allclose(grad(lambda v: v.dot(v))(V), 2 * V)
    onp.testing.assert_allclose(grad(lambda x: np.sum(x.dot(B)))(X),
                                onp.broadcast_to(B.sum(1), X.shape))
    onp.testing.assert_allclose(grad(lambda x: np.sum(x.reshape(4, 3) * A.reshape(4, 3)))(X), A)
    onp.testing.assert_allclose(grad(lambda x: x.prod())(V), onp.prod(V) / V, rtol=1e-12)


def test_item_and_float_raise_and_say_the_way_out():
    # .item(), .tolist(), float() of a traced value would drop its derivative: they raise
    for leave in (lambda v: v[1:2].item(), lambda v: v.tolist(), lambda v: float(v[0]),
                  lambda v: int(v[0])):
        with pytest.raises(hodiff.TracerConversionError) as info:
            grad(lambda v: v.sum() * leave(v))(V)
        msg = str(info.value)
        assert "stop_gradient" in msg and "primal_value" in msg
    # the traced ways to write them are differentiated
    def f(v):
        return v[1:2].reshape(()) ** 3 + v.sum()

    expected = onp.ones_like(V)
    expected[1] += 3 * V[1] ** 2
    onp.testing.assert_allclose(grad(f)(V), expected, rtol=1e-12)
    # stop_gradient / primal_value give the plain value, as a constant
    vals = []

    def g(x):
        vals.append(float(hodiff.primal_value(x)))
        return x * float(hodiff.stop_gradient(x))

    assert grad(g)(3.0) == pytest.approx(3.0)
    assert deriv(g)(3.0) == pytest.approx(3.0)
    assert vals == [3.0, 3.0]


def test_real_imag_conj():
    def f(z):
        return np.sum(z.real ** 2 * z.imag + z.conj().imag)

    # u(x, y) = sum(x^2 y - y): du/dx = 2xy, du/dy = x^2 - 1; grad = du/dx - i du/dy
    x, y = Z.real, Z.imag
    onp.testing.assert_allclose(grad(f)(Z), 2 * x * y - 1j * (x ** 2 - 1), rtol=1e-12)
    check(lambda z: z.real * z.imag + z.conj() * z, Z)
    check(lambda z: z.conjugate() ** 2, Z)
    # on real input: .real is the identity, .imag is zero
    onp.testing.assert_allclose(grad(lambda x: np.sum(x.real ** 2 + x.imag))(X), 2 * X)
    check(lambda x: x.real * x + x.imag, X)


# -- indexing and slicing ----------------------------------------------------------------------
INDEX_CASES = {
    "int": lambda x: x[1],
    "int_int": lambda x: x[1, 2],
    "negative_int": lambda x: x[-1, -2],
    "slice": lambda x: x[1:3, ::2],
    "negative_step": lambda x: x[::-1, ::-2],
    "negative_step_range": lambda x: x[2:0:-1, 3:0:-2],
    "ellipsis": lambda x: x[..., 1],
    "newaxis": lambda x: x[:, None, 1:3],
    "newaxis_front": lambda x: x[None, 1, ::-1],
    "int_array": lambda x: x[onp.array([0, 2, 2])],
    "int_array_repeats": lambda x: x[onp.array([2, 0, 2, 2]), onp.array([1, 1, 3, 1])],
    "int_list": lambda x: x[[1, 0], :],
    "int_array_2d": lambda x: x[onp.array([[0, 1], [2, 2]])],
    "mixed_adv_slice": lambda x: x[onp.array([0, 2]), 1:],
    "adv_apart": lambda x: x[onp.array([1, 2])][:, onp.array([0, 3, 3])],
    "bool_mask": lambda x: x[onp.asarray(X > 1.0)],
    "bool_row_mask": lambda x: x[onp.array([True, False, True])],
    "bool_col_mask": lambda x: x[:, onp.array([True, False, True, True])],
    "chained": lambda x: x[1:][::-1][0, 1:3],
}


@pytest.mark.parametrize("name", list(INDEX_CASES))
def test_indexing(name):
    f = INDEX_CASES[name]
    check(f, X)
    # closed form: the gradient of sum(w * x[idx]) scatters w back with repeats added
    w = onp.asarray(R.standard_normal(onp.shape(f(X))) if onp.ndim(f(X)) else 1.0)
    idx_count = onp.zeros_like(X)
    flat = onp.arange(X.size, dtype=float).reshape(X.shape)
    picked = onp.asarray(f(flat)).astype(int)
    onp.add.at(idx_count.reshape(-1), picked.reshape(-1),
               onp.broadcast_to(w, picked.shape).reshape(-1))
    onp.testing.assert_allclose(grad(lambda x: np.sum(w * f(x)))(X), idx_count, rtol=1e-12)


def test_indexing_with_traced_condition_mask():
    # a mask computed from the traced value itself
    def f(x):
        return np.sum(x[x > 1.0] ** 2)

    onp.testing.assert_allclose(grad(f)(X), onp.where(X > 1.0, 2 * X, 0.0), rtol=1e-12)
    assert deriv(lambda t: f(X * t))(1.0) == pytest.approx(onp.sum(2 * X[X > 1] ** 2),
                                                          rel=1e-12)


def test_indexing_1d_negative_steps():
    x = onp.arange(1.0, 7.0)
    onp.testing.assert_allclose(grad(lambda x: np.sum(x[::-2] * onp.array([1., 2., 3.])))(x),
                                [0, 3, 0, 2, 0, 1])
    onp.testing.assert_allclose(jacfwd(lambda x: x[-2::-3])(x), onp.eye(6)[[4, 1]])
    onp.testing.assert_allclose(jacrev(lambda x: x[-2::-3])(x), onp.eye(6)[[4, 1]])


# -- building arrays, iterating, len -----------------------------------------------------------
def test_array_of_traced_scalars():
    def f(a, b):
        v = np.array([a, b, a * b])
        return np.sum(v * onp.array([1.0, 2.0, 3.0]))

    ga, gb = grad(f, (0, 1))(2.0, 5.0)
    assert ga == pytest.approx(1 + 3 * 5.0)
    assert gb == pytest.approx(2 + 3 * 2.0)
    assert deriv(lambda a: f(a, 5.0))(2.0) == pytest.approx(16.0)
    check(lambda x: np.array([x, x ** 2, 1.0]), 0.7)


def test_array_of_traced_rows_and_nested_lists():
    def f(x):
        return np.array([[x[0], x[1]], [x[1] * 2.0, 3.0]])

    expected = onp.zeros((2, 2, 2))
    expected[0, 0, 0] = expected[0, 1, 1] = 1.0
    expected[1, 0, 1] = 2.0
    onp.testing.assert_allclose(jacfwd(f)(V[:2]), expected)
    onp.testing.assert_allclose(jacrev(f)(V[:2]), expected)
    check(lambda x: np.array([x[0], x[2], x[1]]) * np.array([x[1], x[1], x[0]]), X)


def test_iteration_and_len():
    def f(x):
        assert len(x) == 3
        total = 0.0
        for i, row in enumerate(x):
            assert len(row) == 4
            for j, v in enumerate(row):
                total = total + v ** 2 * (i + j)
        return total

    idx = onp.add.outer(onp.arange(3), onp.arange(4))
    onp.testing.assert_allclose(grad(f)(X), 2 * X * idx, rtol=1e-12)
    check(lambda x: np.array([r.sum() for r in x]), X)
    with pytest.raises(TypeError):
        grad(lambda x: len(x) * x)(1.0)


def test_zip_and_unpacking():
    def f(v):
        a, b, c, d = v
        return a * b + c * d

    onp.testing.assert_allclose(grad(f)(V), [V[1], V[0], V[3], V[2]])


# -- comparisons and control flow -------------------------------------------------------------
def test_comparisons_in_if():
    def f(x):
        if x > 1.0:
            return x ** 3
        elif x <= -1.0:
            return -x
        elif x == 0.5:
            return x * 10.0
        else:
            return np.sin(x)

    assert grad(f)(2.0) == pytest.approx(12.0)
    assert grad(f)(-2.0) == pytest.approx(-1.0)
    assert grad(f)(0.5) == pytest.approx(10.0)
    assert grad(f)(0.2) == pytest.approx(math.cos(0.2))
    assert deriv(f)(2.0) == pytest.approx(12.0)
    assert deriv(f)(0.2) == pytest.approx(math.cos(0.2))


def test_comparisons_in_while():
    def f(x):
        # halve until below 1: f(x) = x / 2^k with k fixed near x
        k = 0
        while x >= 1.0:
            x = x / 2.0
            k += 1
        return x

    assert grad(f)(5.0) == pytest.approx(1 / 8)
    assert deriv(f)(5.0) == pytest.approx(1 / 8)
    assert grad(grad(f))(5.0) == pytest.approx(0.0)

    def newton_sqrt(a):
        x = a
        while abs(x * x - a) > 1e-12:
            x = 0.5 * (x + a / x)
        return x

    # differentiating the iterations: converged Newton gives d sqrt(a)/da = 1/(2 sqrt a)
    assert grad(newton_sqrt)(2.0) == pytest.approx(1 / (2 * math.sqrt(2.0)), rel=1e-8)
    assert deriv(newton_sqrt)(2.0) == pytest.approx(1 / (2 * math.sqrt(2.0)), rel=1e-8)


def test_elementwise_comparisons_and_where():
    def f(x):
        return np.sum(np.where(x > 1.0, x ** 2, -x) + (x != 1.0) * x)

    onp.testing.assert_allclose(grad(f)(X), onp.where(X > 1.0, 2 * X, -1.0) + 1.0, rtol=1e-12)
    assert bool(onp.any(X > 1.0)) and bool(onp.any(X <= 1.0))
    comparisons = {"<": lambda a: a < 1.0, "<=": lambda a: a <= 1.0, ">": lambda a: a > 1.0,
                   ">=": lambda a: a >= 1.0, "==": lambda a: a == 1.0, "!=": lambda a: a != 1.0}
    for compare in comparisons.values():
        results = []

        def g(x, compare=compare, results=results):
            m = compare(x)
            assert not isinstance(m, Box)
            results.append(m)
            return np.sum(x * m)

        onp.testing.assert_allclose(grad(g)(X), compare(X).astype(float))
        onp.testing.assert_array_equal(results[0], compare(X))


def test_comparison_with_traced_on_both_sides_and_plain_on_left():
    def f(x):
        y = x * 2.0
        if x < y and 1.0 < x and A[0, 0] * 0 + 10.0 > x:
            return x * y
        return x

    assert grad(f)(3.0) == pytest.approx(12.0)
    assert grad(f)(0.5) == pytest.approx(1.0)


def test_bool_of_size_one_and_truthiness():
    def f(v):
        if v[:1] > 0:  # one-element array in an if
            return np.sum(v ** 2)
        return np.sum(v)

    onp.testing.assert_allclose(grad(f)(V), 2 * V)
    onp.testing.assert_allclose(grad(f)(-V), onp.ones_like(V))


# -- in-place assignment on traced arrays ------------------------------------------------------
def test_setitem_on_a_traced_array_is_differentiated():
    def f(x):
        y = x * 2.0
        y[1] = x[0] ** 2
        y[2:] = np.sin(x[:2])
        return np.sum(y * y)

    x = onp.array([0.3, -0.7, 1.1, 0.4])
    # y = [2 x0, x0^2, sin x0, sin x1]: d/dx0 = 8 x0 + 4 x0^3 + sin(2 x0), d/dx1 = sin(2 x1)
    expected = onp.array([8 * x[0] + 4 * x[0] ** 3 + onp.sin(2 * x[0]), onp.sin(2 * x[1]), 0, 0])
    onp.testing.assert_allclose(grad(f)(x), expected, rtol=1e-12)
    onp.testing.assert_allclose(jacfwd(f)(x), expected, rtol=1e-12)
    check_grads(f)(x)


def test_setitem_overwrites_the_derivative_of_what_it_replaces():
    def f(x):
        y = x + 0.0
        y[onp.array([0, 2])] = 1.0
        return np.sum(y ** 2)

    x = onp.array([0.5, -1.5, 2.5])
    onp.testing.assert_allclose(grad(f)(x), [0.0, 2 * x[1], 0.0])


def test_setitem_with_a_value_from_a_nested_call_names_the_fix():
    def outer(x):
        y = x * 1.0

        def inner(z):
            y[0] = z  # y is traced by the outer call, z by the inner one
            return np.sum(y)

        return grad(inner)(1.0)

    with pytest.raises(TypeError, match="index_update"):
        grad(outer)(onp.array([1.0, 2.0]))
