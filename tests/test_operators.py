"""Every differential operator hodiff exports, on scalars, arrays and nested containers.

Expected values are closed forms, finite differences, or plain numpy/scipy computations; the
operators are also compared with each other (forward against reverse).
"""
import math

import numpy as onp
import pytest
import scipy.optimize
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import hodiff
import hodiff.numpy as np
from hodiff import (
    checkpoint,
    custom_jvp,
    custom_vjp,
    deriv,
    egrad,
    elementwise_grad,
    grad,
    grad_and_aux,
    hessian,
    hessian_tensor_product,
    hessian_vector_product,
    holomorphic_grad,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    linearize,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    stop_gradient,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
    vjp,
)
from hodiff.test_util import check_grads

RNG = onp.random.default_rng(1234)
EPS = 1e-6


# -- plain-numpy references -------------------------------------------------------------------
def fd_jacobian(f, x, eps=EPS):
    """out.shape + in.shape Jacobian of f at array x by central differences (f on plain arrays)."""
    x = onp.asarray(x, dtype=float)
    cols = []
    for i in onp.ndindex(x.shape):
        e = onp.zeros_like(x)
        e[i] = eps
        cols.append((onp.asarray(f(x + e)) - onp.asarray(f(x - e))) / (2 * eps))
    out_shape = onp.shape(cols[0])
    J = onp.stack(cols, axis=-1)
    return J.reshape(out_shape + x.shape)


def fd_grad(f, x, eps=EPS):
    return fd_jacobian(f, x, eps)


def assert_tree_close(a, b, rtol=1e-7, atol=1e-10):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b)
        for k in a:
            assert_tree_close(a[k], b[k], rtol, atol)
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), (type(a), type(b))
        for x, y in zip(a, b):
            assert_tree_close(x, y, rtol, atol)
    else:
        assert onp.shape(a) == onp.shape(b), (onp.shape(a), onp.shape(b))
        onp.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


# Test functions with closed-form derivatives.
A = RNG.standard_normal((3, 4))


def f_scalar(x):
    return np.sin(x) * x ** 2


def df_scalar(x):
    return math.cos(x) * x ** 2 + 2 * x * math.sin(x)


def d2f_scalar(x):
    return -math.sin(x) * x ** 2 + 4 * x * math.cos(x) + 2 * math.sin(x)


def f_vec(x):  # R^4 -> R
    return np.sum(np.tanh(np.dot(A, x))) + 0.5 * np.dot(x, x)


def grad_f_vec(x):
    return A.T @ (1 - onp.tanh(A @ x) ** 2) + x


def hess_f_vec(x):
    t = onp.tanh(A @ x)
    return A.T @ onp.diag(-2 * t * (1 - t ** 2)) @ A + onp.eye(4)


def F_vec(x):  # R^4 -> R^3
    return np.tanh(np.matmul(A, x)) * x[0]


def J_F_vec(x):
    t = onp.tanh(A @ x)
    J = ((1 - t ** 2)[:, None] * A) * x[0]
    J[:, 0] += t
    return J


def f_tree(p):  # nested dict/list/tuple input -> scalar
    return (np.sum(p["w"] ** 2 * p["b"][0]) + np.sin(p["b"][1]) * p["t"][0]
            + np.sum(p["t"][1] ** 3))


def grad_f_tree(p):
    return {"w": 2 * p["w"] * p["b"][0],
            "b": [onp.sum(p["w"] ** 2), onp.cos(p["b"][1]) * p["t"][0]],
            "t": (onp.sin(p["b"][1]), 3 * p["t"][1] ** 2)}


def tree_point():
    return {"w": onp.array([0.5, -1.0, 2.0]),
            "b": [1.5, 0.3],
            "t": (0.7, onp.array([[1.0, -2.0], [0.5, 0.25]]))}


# -- every operator on one nested input -----------------------------------------------------------
def f_small_tree(p):  # sum(a^2 b0) + b1^3
    return np.sum(p["a"] ** 2 * p["b"][0]) + p["b"][1] ** 3


def small_tree():
    return {"a": onp.array([1.0, 2.0]), "b": [0.5, 1.5]}


def small_tree_grad(p):
    return {"a": 2 * p["a"] * p["b"][0], "b": [onp.sum(p["a"] ** 2), 3 * p["b"][1] ** 2]}


def small_tree_hvp(p, v):
    a, (b0, b1) = p["a"], p["b"]
    va, (vb0, vb1) = v["a"], v["b"]
    return {"a": 2 * b0 * va + 2 * a * vb0, "b": [2 * a @ va, 6 * b1 * vb1]}


def test_every_operator_on_nested_input():
    p = small_tree()
    v = {"a": onp.array([0.3, -1.0]), "b": [2.0, -0.5]}
    g = small_tree_grad(p)
    Hv = small_tree_hvp(p, v)
    g_dot_v = g["a"] @ v["a"] + g["b"][0] * v["b"][0] + g["b"][1] * v["b"][1]
    value = 0.5 * 5.0 + 1.5 ** 3

    assert_tree_close(grad(f_small_tree)(p), g)
    val, g2 = value_and_grad(f_small_tree)(p)
    assert val == pytest.approx(value)
    assert_tree_close(g2, g)
    g3, aux = grad_and_aux(lambda p: (f_small_tree(p), p["b"][1]))(p)
    assert_tree_close(g3, g)
    assert aux == 1.5
    for op in (jacfwd, jacrev, jacobian):
        assert_tree_close(op(f_small_tree)(p), g)
    assert_tree_close(hvp(f_small_tree, p, v), Hv)
    assert_tree_close(hessian_tensor_product(f_small_tree)(p, v), Hv)
    assert_tree_close(hessian_vector_product(f_small_tree)(p, v), Hv)
    hvp_fn, g4 = make_hvp(f_small_tree)(p)
    assert_tree_close(g4, g)
    assert_tree_close(hvp_fn(v), Hv)
    H = hessian(f_small_tree)(p)  # nested output-of-input: H[k1][k2]
    onp.testing.assert_allclose(H["a"]["a"], 2 * 0.5 * onp.eye(2))
    onp.testing.assert_allclose(H["a"]["b"][0], 2 * p["a"])
    onp.testing.assert_allclose(H["b"][0]["a"], 2 * p["a"])
    assert float(H["b"][1]["b"][1]) == pytest.approx(9.0)
    assert float(H["b"][1]["b"][0]) == 0.0
    vjp_fn, ans = make_vjp(f_small_tree)(p)
    assert ans == pytest.approx(value)
    assert_tree_close(vjp_fn(1.0), g)
    assert_tree_close(vjp_fn(2.0), {"a": 2 * g["a"], "b": [2 * g["b"][0], 2 * g["b"][1]]})
    out, (ct,) = vjp(f_small_tree, p)[0], vjp(f_small_tree, p)[1](1.0)
    assert out == pytest.approx(value)
    assert_tree_close(ct, g)
    assert_tree_close(vector_jacobian_product(f_small_tree)(p, 1.0), g)
    assert make_jvp(f_small_tree)(p)(v)[1] == pytest.approx(g_dot_v)
    assert jvp(f_small_tree, (p,), (v,))[1] == pytest.approx(g_dot_v)
    assert linearize(f_small_tree, p)[1](v) == pytest.approx(g_dot_v)
    assert_tree_close(grad(checkpoint(f_small_tree))(p), g)
    eg = elementwise_grad(lambda p: p["a"] * p["b"][0])(p)
    assert_tree_close(eg["a"], onp.full(2, 0.5))
    assert float(eg["b"][0]) == pytest.approx(3.0) and float(eg["b"][1]) == 0.0
    # a ggn product on a dict input: J^T J v for f(p) = a * b0
    ggn = make_ggnvp(lambda p: p["a"] * p["b"][0])(p)(v)
    Jv = v["a"] * 0.5 + p["a"] * v["b"][0]
    assert_tree_close(ggn["a"], 0.5 * Jv)
    assert float(ggn["b"][0]) == pytest.approx(p["a"] @ Jv)


# -- grad ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("x", [0.3, -1.2, 2.5])
def test_grad_scalar(x):
    assert grad(f_scalar)(x) == pytest.approx(df_scalar(x), rel=1e-12)
    assert grad(grad(f_scalar))(x) == pytest.approx(d2f_scalar(x), rel=1e-12)


def test_grad_array():
    x = RNG.standard_normal(4)
    g = grad(f_vec)(x)
    assert g.shape == x.shape
    onp.testing.assert_allclose(g, grad_f_vec(x), rtol=1e-12)
    onp.testing.assert_allclose(g, fd_grad(f_vec, x), rtol=1e-6)


def test_grad_nested_containers_mirror_structure():
    p = tree_point()
    g = grad(f_tree)(p)
    assert isinstance(g, dict) and isinstance(g["b"], list) and isinstance(g["t"], tuple)
    assert_tree_close(g, grad_f_tree(p), rtol=1e-12)
    check_grads(f_tree, modes=["fwd", "rev"], order=2)(p)


def test_grad_argnum_int_and_tuple():
    def f(x, y, z):
        return np.sum(x * y) + z * np.sum(y ** 2)

    x, y, z = onp.array([1.0, 2.0]), onp.array([3.0, -1.0]), 0.5
    onp.testing.assert_allclose(grad(f)(x, y, z), y)
    onp.testing.assert_allclose(grad(f, 1)(x, y, z), x + 2 * z * y)
    assert grad(f, 2)(x, y, z) == pytest.approx(10.0)
    gx, gz = grad(f, (0, 2))(x, y, z)
    onp.testing.assert_allclose(gx, y)
    assert gz == pytest.approx(10.0)
    (gy,) = grad(f, (1,))(x, y, z)
    onp.testing.assert_allclose(gy, x + 2 * z * y)


def test_grad_with_kwargs_passed_through():
    def f(x, scale=1.0):
        return scale * np.sum(x ** 2)

    x = onp.array([1.0, 2.0])
    onp.testing.assert_allclose(grad(f)(x, scale=3.0), 6 * x)


def test_grad_of_list_and_tuple_inputs():
    def f(xs):
        return xs[0] * xs[1] ** 2

    gl = grad(f)([2.0, 3.0])
    gt = grad(f)((2.0, 3.0))
    assert isinstance(gl, list) and isinstance(gt, tuple)
    assert gl == pytest.approx([9.0, 12.0])
    assert gt == pytest.approx((9.0, 12.0))


def test_grad_complex_real_output():
    def f(z):
        return np.sum(np.abs(z) ** 2)

    z = onp.array([1.0 + 2.0j, -0.5j])
    onp.testing.assert_allclose(grad(f)(z), 2 * onp.conj(z))


def test_value_and_grad():
    x = RNG.standard_normal(4)
    v, g = value_and_grad(f_vec)(x)
    plain = onp.sum(onp.tanh(A @ x)) + 0.5 * x @ x
    assert v == pytest.approx(plain, rel=1e-12)
    onp.testing.assert_allclose(g, grad_f_vec(x), rtol=1e-12)
    v2, (gx, gy) = value_and_grad(lambda x, y: x * y ** 2, (0, 1))(2.0, 3.0)
    assert (v2, gx, gy) == pytest.approx((18.0, 9.0, 12.0))


def test_grad_and_aux():
    def f(x):
        y = np.sin(x)
        return np.sum(y ** 2), {"y": y, "n": 3}

    x = onp.array([0.2, 1.0])
    g, aux = grad_and_aux(f)(x)
    onp.testing.assert_allclose(g, 2 * onp.sin(x) * onp.cos(x), rtol=1e-12)
    onp.testing.assert_allclose(aux["y"], onp.sin(x))
    assert aux["n"] == 3
    assert isinstance(aux["y"], onp.ndarray)  # aux leaves come back as plain values


def test_elementwise_grad():
    x = onp.linspace(-2, 2, 7)
    onp.testing.assert_allclose(elementwise_grad(np.tanh)(x), 1 - onp.tanh(x) ** 2, rtol=1e-12)
    onp.testing.assert_allclose(egrad(lambda x: x ** 3)(x), 3 * x ** 2, rtol=1e-12)
    X = x.reshape(7, 1) * onp.ones((1, 2))
    assert egrad(np.exp)(X).shape == X.shape
    # argnum
    onp.testing.assert_allclose(egrad(lambda a, b: a * b, 1)(x, 2 * x), x)


def test_elementwise_grad_nested():
    x = onp.linspace(-2, 2, 7)
    onp.testing.assert_allclose(egrad(egrad(np.sin))(x), -onp.sin(x), rtol=1e-12, atol=1e-15)
    onp.testing.assert_allclose(egrad(egrad(lambda x: x ** 4))(x), 12 * x ** 2, rtol=1e-12)
    onp.testing.assert_allclose(deriv(egrad(np.exp))(x), onp.exp(x), rtol=1e-12)
    onp.testing.assert_allclose(egrad(deriv(np.exp))(x), onp.exp(x), rtol=1e-12)


def test_deriv():
    assert deriv(f_scalar)(0.4) == pytest.approx(df_scalar(0.4), rel=1e-12)
    assert deriv(deriv(f_scalar))(0.4) == pytest.approx(d2f_scalar(0.4), rel=1e-12)
    x = onp.array([0.0, 1.0, 2.0])
    onp.testing.assert_allclose(deriv(np.sin)(x), onp.cos(x), rtol=1e-12)
    assert deriv(lambda a, b: a * b ** 2, 1)(2.0, 3.0) == pytest.approx(12.0)
    # a scalar input to a vector-valued function: the tangent of the whole output
    onp.testing.assert_allclose(deriv(lambda t: np.array([np.sin(t), t ** 2]))(0.5),
                                [math.cos(0.5), 1.0], rtol=1e-12)


# -- Jacobians ----------------------------------------------------------------------------------
def test_jacobians_vector_function():
    x = RNG.standard_normal(4)
    expected = J_F_vec(x)
    for op in (jacobian, jacfwd, jacrev):
        J = op(F_vec)(x)
        assert J.shape == (3, 4)
        onp.testing.assert_allclose(J, expected, rtol=1e-12, atol=1e-14)
    onp.testing.assert_allclose(jacfwd(F_vec)(x), fd_jacobian(F_vec, x), rtol=1e-6, atol=1e-9)


def G_mat(X):  # (2, 3) -> (3, 2, 2)
    return np.stack([np.sin(X).T * X[0, 0], np.exp(X.T) ** 2, X.T @ X[:, :2]])


@given(X=hnp.arrays(onp.float64, (2, 3), elements=st.floats(-2, 2)))
def test_jacobian_shapes_and_agreement_matrix_function(X):
    Jf = jacfwd(G_mat)(X)
    Jr = jacrev(G_mat)(X)
    assert Jf.shape == Jr.shape == (3, 3, 2, 2, 3)
    onp.testing.assert_allclose(Jf, Jr, rtol=1e-10, atol=1e-12)
    onp.testing.assert_allclose(Jf, fd_jacobian(G_mat, X), rtol=1e-5, atol=1e-6)


@given(n=st.integers(1, 4), m=st.integers(1, 3), seed=st.integers(0, 2 ** 16))
def test_jacfwd_equals_jacrev_random_shapes(n, m, seed):
    rng = onp.random.default_rng(seed)
    B = rng.standard_normal((m, n))
    x = rng.standard_normal(n)

    def f(x):
        return np.exp(np.dot(B, np.sin(x))) + np.sum(x ** 2)

    J = B * onp.exp(B @ onp.sin(x))[:, None] * onp.cos(x)[None, :] + 2 * x[None, :]
    onp.testing.assert_allclose(jacfwd(f)(x), J, rtol=1e-10, atol=1e-12)
    onp.testing.assert_allclose(jacrev(f)(x), J, rtol=1e-10, atol=1e-12)


def test_jacobian_scalar_in_scalar_out():
    for op in (jacobian, jacfwd, jacrev):
        assert onp.shape(op(f_scalar)(0.7)) == ()
        assert op(f_scalar)(0.7) == pytest.approx(df_scalar(0.7), rel=1e-12)


def test_jacobian_scalar_output_is_gradient():
    x = RNG.standard_normal(4)
    for op in (jacfwd, jacrev):
        onp.testing.assert_allclose(op(f_vec)(x), grad_f_vec(x), rtol=1e-12)


def test_jacobian_argnum():
    def f(x, y):
        return x * np.sum(y ** 2)

    x, y = onp.array([1.0, 2.0]), onp.array([0.5, -1.0, 2.0])
    expected_y = 2 * x[:, None] * y[None, :]
    for op in (jacfwd, jacrev):
        onp.testing.assert_allclose(op(f, 1)(x, y), expected_y)
        Jx, Jy = op(f, (0, 1))(x, y)
        onp.testing.assert_allclose(Jx, onp.eye(2) * onp.sum(y ** 2))
        onp.testing.assert_allclose(Jy, expected_y)


def test_jacobian_nested_input_and_output():
    def f(p):
        return {"u": p["a"] * p["b"][0], "v": [np.sum(p["a"] ** 2), p["b"][1] * 2.0]}

    p = {"a": onp.array([1.0, 2.0, 3.0]), "b": [0.5, -1.5]}
    expected = {
        "u": {"a": 0.5 * onp.eye(3), "b": [p["a"], onp.zeros(3)]},
        "v": [{"a": 2 * p["a"], "b": [0.0, 0.0]}, {"a": onp.zeros(3), "b": [0.0, 2.0]}],
    }
    for op in (jacfwd, jacrev):
        assert_tree_close(op(f)(p), expected)


# -- Hessians and Hessian-vector products ---------------------------------------------------
def test_hessian_vs_closed_form_and_finite_differences():
    x = RNG.standard_normal(4)
    H = hessian(f_vec)(x)
    assert H.shape == (4, 4)
    onp.testing.assert_allclose(H, hess_f_vec(x), rtol=1e-10, atol=1e-12)
    onp.testing.assert_allclose(H, fd_jacobian(grad(f_vec), x), rtol=1e-6, atol=1e-8)


def test_hessian_matrix_input_shape():
    X = RNG.standard_normal((2, 3))

    def f(X):
        return np.sum(np.sin(X) * X[0, 0])

    H = hessian(f)(X)
    assert H.shape == (2, 3, 2, 3)
    onp.testing.assert_allclose(H, fd_jacobian(grad(f), X), rtol=1e-6, atol=1e-8)


def test_hessian_scalar():
    assert hessian(f_scalar)(0.9) == pytest.approx(d2f_scalar(0.9), rel=1e-12)


def test_hessian_vector_products_all_forms():
    x = RNG.standard_normal(4)
    v = RNG.standard_normal(4)
    expected = hess_f_vec(x) @ v
    onp.testing.assert_allclose(hvp(f_vec, x, v), expected, rtol=1e-10)
    onp.testing.assert_allclose(hessian_tensor_product(f_vec)(x, v), expected, rtol=1e-10)
    onp.testing.assert_allclose(hessian_vector_product(f_vec)(x, v), expected, rtol=1e-10)
    hvp_fn, g = make_hvp(f_vec)(x)
    onp.testing.assert_allclose(g, grad_f_vec(x), rtol=1e-12)
    onp.testing.assert_allclose(hvp_fn(v), expected, rtol=1e-10)
    # many products from one make_hvp: the whole Hessian, reused
    onp.testing.assert_allclose(onp.stack([hvp_fn(e) for e in onp.eye(4)]),
                                hess_f_vec(x), rtol=1e-10, atol=1e-12)


def test_hvp_with_tuple_of_arguments():
    def f(x, y):
        return np.sum(x ** 2 * y) + np.sum(y ** 3)

    x, y = onp.array([1.0, 2.0]), onp.array([0.5, -1.0])
    vx, vy = onp.array([1.0, 0.0]), onp.array([0.0, 1.0])
    # H = [[diag(2y), diag(2x)], [diag(2x), diag(6y)]]
    hx, hy = hvp(f, (x, y), (vx, vy))
    onp.testing.assert_allclose(hx, 2 * y * vx + 2 * x * vy)
    onp.testing.assert_allclose(hy, 2 * x * vx + 6 * y * vy)


def test_hessian_tensor_product_matrix():
    X = RNG.standard_normal((2, 3))
    V = RNG.standard_normal((2, 3))

    def f(X):
        return np.sum(X ** 4)

    onp.testing.assert_allclose(hessian_tensor_product(f)(X, V), 12 * X ** 2 * V, rtol=1e-12)


def test_hessian_tensor_product_argnum():
    def f(a, x):
        return a * np.sum(x ** 3)

    x, v = onp.array([1.0, -2.0]), onp.array([0.5, 1.0])
    onp.testing.assert_allclose(hessian_tensor_product(f, 1)(2.0, x, v), 2.0 * 6 * x * v)


# -- vector-Jacobian and Jacobian-vector products ---------------------------------------------
def test_vector_jacobian_product():
    x = RNG.standard_normal(4)
    u = RNG.standard_normal(3)
    onp.testing.assert_allclose(vector_jacobian_product(F_vec)(x, u), u @ J_F_vec(x),
                                rtol=1e-12)
    X = RNG.standard_normal((2, 3))
    U = RNG.standard_normal((3, 3, 2))
    expected = onp.tensordot(U, fd_jacobian(G_mat, X), 3)
    onp.testing.assert_allclose(tensor_jacobian_product(G_mat)(X, U), expected, rtol=1e-6)


def test_make_vjp_and_make_jvp():
    x = RNG.standard_normal(4)
    u = RNG.standard_normal(3)
    v = RNG.standard_normal(4)
    vjp_fn, ans = make_vjp(F_vec)(x)
    onp.testing.assert_allclose(ans, onp.tanh(A @ x) * x[0])
    onp.testing.assert_allclose(vjp_fn(u), u @ J_F_vec(x), rtol=1e-12)
    onp.testing.assert_allclose(vjp_fn(2 * u), 2 * u @ J_F_vec(x), rtol=1e-12)  # reusable
    ans2, jv = make_jvp(F_vec)(x)(v)
    onp.testing.assert_allclose(ans2, ans)
    onp.testing.assert_allclose(jv, J_F_vec(x) @ v, rtol=1e-12)
    # argnum
    vjp1, _ = make_vjp(lambda a, b: a * b, 1)(2.0, 3.0)
    assert vjp1(1.0) == pytest.approx(2.0)
    assert make_jvp(lambda a, b: a * b, 1)(2.0, 3.0)(1.0)[1] == pytest.approx(2.0)


def test_jvp():
    x = RNG.standard_normal(4)
    v = RNG.standard_normal(4)
    out, t = jvp(F_vec, (x,), (v,))
    onp.testing.assert_allclose(out, onp.tanh(A @ x) * x[0])
    onp.testing.assert_allclose(t, J_F_vec(x) @ v, rtol=1e-12)
    # several primals
    out, t = jvp(lambda a, b: a * np.sin(b), (2.0, 0.5), (0.1, -1.0))
    assert out == pytest.approx(2 * math.sin(0.5))
    assert t == pytest.approx(0.1 * math.sin(0.5) - 2 * math.cos(0.5))
    # nested primals
    out, t = jvp(f_tree, (tree_point(),), (tree_point(),))
    g = grad_f_tree(tree_point())
    p = tree_point()
    expected = (onp.sum(g["w"] * p["w"]) + g["b"][0] * p["b"][0] + g["b"][1] * p["b"][1]
                + g["t"][0] * p["t"][0] + onp.sum(g["t"][1] * p["t"][1]))
    assert t == pytest.approx(expected, rel=1e-12)


def test_jvp_has_aux():
    def f(x):
        y = np.exp(x)
        return y * 2, {"y": y}

    x, v = onp.array([0.0, 1.0]), onp.array([1.0, 3.0])
    out, t, aux = jvp(f, (x,), (v,), has_aux=True)
    onp.testing.assert_allclose(out, 2 * onp.exp(x))
    onp.testing.assert_allclose(t, 2 * onp.exp(x) * v)
    onp.testing.assert_allclose(aux["y"], onp.exp(x))
    assert not isinstance(aux["y"], hodiff.core.Box)


def test_jvp_output_independent_of_input_has_zero_tangent():
    _, t = jvp(lambda x: onp.ones(3), (onp.array([1.0, 2.0]),), (onp.array([1.0, 1.0]),))
    onp.testing.assert_allclose(t, onp.zeros(3))


def test_vjp():
    x = RNG.standard_normal(4)
    u = RNG.standard_normal(3)
    out, vjp_fn = vjp(F_vec, x)
    onp.testing.assert_allclose(out, onp.tanh(A @ x) * x[0])
    (ct,) = vjp_fn(u)
    onp.testing.assert_allclose(ct, u @ J_F_vec(x), rtol=1e-12)
    # calling it twice gives the same answer (the tape is not consumed)
    (ct2,) = vjp_fn(u)
    onp.testing.assert_allclose(ct2, ct, rtol=0, atol=0)
    (ct3,) = vjp_fn(-3 * u)
    onp.testing.assert_allclose(ct3, -3 * ct, rtol=1e-12)


def test_vjp_several_primals_and_has_aux():
    def f(a, b):
        return a * np.sin(b), np.cos(b)

    out, vjp_fn, aux = vjp(f, onp.array([1.0, 2.0]), onp.array([0.3, 0.4]), has_aux=True)
    onp.testing.assert_allclose(out, [1.0, 2.0] * onp.sin([0.3, 0.4]))
    onp.testing.assert_allclose(aux, onp.cos([0.3, 0.4]))
    ga, gb = vjp_fn(onp.array([1.0, -1.0]))
    onp.testing.assert_allclose(ga, onp.sin([0.3, 0.4]) * [1.0, -1.0])
    onp.testing.assert_allclose(gb, [1.0, 2.0] * onp.cos([0.3, 0.4]) * [1.0, -1.0])
    ga2, gb2 = vjp_fn(onp.array([1.0, -1.0]))
    onp.testing.assert_allclose(ga2, ga)
    onp.testing.assert_allclose(gb2, gb)


def test_vjp_adjoint_of_jvp():
    # <u, J v> = <J^T u, v>
    x = RNG.standard_normal(4)
    for _ in range(3):
        u, v = RNG.standard_normal(3), RNG.standard_normal(4)
        jv = jvp(F_vec, (x,), (v,))[1]
        (jtu,) = vjp(F_vec, x)[1](u)
        assert u @ jv == pytest.approx(jtu @ v, rel=1e-12)


def test_linearize():
    x = RNG.standard_normal(4)
    out, f_jvp = linearize(F_vec, x)
    onp.testing.assert_allclose(out, onp.tanh(A @ x) * x[0])
    for _ in range(3):
        v = RNG.standard_normal(4)
        onp.testing.assert_allclose(f_jvp(v), J_F_vec(x) @ v, rtol=1e-12)
    out, f_jvp = linearize(lambda a, b: a * b ** 2, 2.0, 3.0)
    assert out == pytest.approx(18.0)
    assert f_jvp(1.0, 0.0) == pytest.approx(9.0)
    assert f_jvp(0.0, 1.0) == pytest.approx(12.0)


def test_make_ggnvp_default_and_custom_g():
    x = RNG.standard_normal(4)
    v = RNG.standard_normal(4)
    J = J_F_vec(x)
    # default g: half the sum of squares, whose Hessian is the identity
    onp.testing.assert_allclose(make_ggnvp(F_vec)(x)(v), J.T @ J @ v, rtol=1e-10)
    # g(y) = sum(exp(y)): Hessian diag(exp(y))
    y = onp.tanh(A @ x) * x[0]
    ggn = make_ggnvp(F_vec, lambda y: np.sum(np.exp(y)))(x)
    onp.testing.assert_allclose(ggn(v), J.T @ (onp.exp(y) * (J @ v)), rtol=1e-10)


# -- complex ------------------------------------------------------------------------------------
@pytest.mark.parametrize("z", [1.0 + 1.0j, -0.5 + 2.0j, 0.3 - 0.1j])
def test_holomorphic_grad(z):
    assert holomorphic_grad(lambda z: z ** 3 + np.exp(z))(z) == pytest.approx(
        3 * z ** 2 + onp.exp(z), rel=1e-12)
    assert holomorphic_grad(lambda z: np.sin(z) * z)(z) == pytest.approx(
        onp.cos(z) * z + onp.sin(z), rel=1e-12)


def test_holomorphic_grad_arrays():
    z = onp.array([1.0 + 1.0j, 0.5 - 0.5j])
    onp.testing.assert_allclose(holomorphic_grad(lambda z: np.sum(z ** 2))(z), 2 * z)


# -- checkpoint, custom rules, stop_gradient --------------------------------------------------
def test_checkpoint_same_gradient():
    def block(x, W):
        return np.tanh(np.dot(W, x))

    def net(W1, W2, x, cp):
        b = checkpoint(block) if cp else block
        return np.sum(b(b(x, W1), W2) ** 2)

    W1, W2 = RNG.standard_normal((4, 4)), RNG.standard_normal((3, 4))
    x = RNG.standard_normal(4)
    for argnum in (0, 1, 2):
        plain = grad(net, argnum)(W1, W2, x, False)
        cp = grad(net, argnum)(W1, W2, x, True)
        onp.testing.assert_allclose(cp, plain, rtol=1e-12)
    onp.testing.assert_allclose(grad(net, 2)(W1, W2, x, True),
                                fd_grad(lambda x: net(W1, W2, x, False), x), rtol=1e-6)
    assert net(W1, W2, x, True) == pytest.approx(net(W1, W2, x, False), rel=1e-14)
    # forward mode and second order through a checkpoint
    onp.testing.assert_allclose(jacfwd(net, 2)(W1, W2, x, True),
                                jacrev(net, 2)(W1, W2, x, False), rtol=1e-10)
    onp.testing.assert_allclose(hessian(net, 2)(W1, W2, x, True),
                                hessian(net, 2)(W1, W2, x, False), rtol=1e-9, atol=1e-12)


def test_checkpoint_reruns_the_function_on_the_backward_pass():
    calls = []

    def f(x):
        calls.append(1)
        return np.sin(x) * x

    g = grad(checkpoint(f))(0.5)
    assert g == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5))
    assert len(calls) >= 2  # once forward, again when the gradient is needed


def test_custom_rules_live_in_extend():
    import hodiff.extend

    assert hodiff.extend.custom_jvp is custom_jvp
    assert hodiff.extend.custom_vjp is custom_vjp
    assert hodiff.extend.stop_gradient is stop_gradient


def test_custom_jvp():
    @custom_jvp
    def log1pexp(x):
        return np.logaddexp(0.0, x)

    rule_calls = []

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        rule_calls.append(1)
        return log1pexp(x), t / (1 + np.exp(-x))

    for x in [-2.0, 0.0, 3.0]:
        s = 1 / (1 + math.exp(-x))
        assert log1pexp(x) == pytest.approx(math.log1p(math.exp(x)))
        assert deriv(log1pexp)(x) == pytest.approx(s, rel=1e-12)
        assert grad(log1pexp)(x) == pytest.approx(s, rel=1e-12)  # reverse from the jvp rule
        assert grad(grad(log1pexp))(x) == pytest.approx(s * (1 - s), rel=1e-10)
    # the hand-written rule is what both modes use
    n = len(rule_calls)
    assert grad(log1pexp)(800.0) == pytest.approx(1.0)
    assert deriv(log1pexp)(-40.0) == pytest.approx(1 / (1 + math.exp(40.0)), rel=1e-12)
    assert len(rule_calls) >= n + 2


def test_custom_jvp_two_arguments():
    @custom_jvp
    def f(x, y):
        return x * np.sin(y)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x, y), (tx, ty) = primals, tangents
        return f(x, y), tx * np.sin(y) + ty * x * np.cos(y)

    gx, gy = grad(f, (0, 1))(2.0, 0.5)
    assert gx == pytest.approx(math.sin(0.5))
    assert gy == pytest.approx(2 * math.cos(0.5))
    check_grads(lambda y: f(2.0, y), modes=["fwd", "rev"], order=2)(0.5)


def test_custom_vjp():
    @custom_vjp
    def clip_gradient(x):
        return x

    def fwd(x):
        return x, None

    def bwd(res, ct):
        return (np.clip(ct, -1.0, 1.0),)

    clip_gradient.defvjp(fwd, bwd)
    x = onp.array([1.0, 2.0, -3.0])
    onp.testing.assert_allclose(clip_gradient(x), x)
    onp.testing.assert_allclose(grad(lambda x: np.sum(clip_gradient(x) * 5.0))(x),
                                [1.0, 1.0, 1.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(clip_gradient(x) * 0.5))(x),
                                [0.5, 0.5, 0.5])


def test_custom_vjp_residuals_and_two_arguments():
    @custom_vjp
    def f(x, y):
        return np.sin(x) * y

    def fwd(x, y):
        return f(x, y), (np.cos(x), np.sin(x), y)

    def bwd(res, ct):
        cos_x, sin_x, y = res
        return ct * cos_x * y, ct * sin_x

    f.defvjp(fwd, bwd)
    gx, gy = grad(f, (0, 1))(0.3, 2.0)
    assert gx == pytest.approx(math.cos(0.3) * 2.0)
    assert gy == pytest.approx(math.sin(0.3))


def test_stop_gradient():
    assert grad(lambda x: x * stop_gradient(x))(3.0) == pytest.approx(3.0)
    x = onp.array([1.0, 2.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(x ** 2 + stop_gradient(x ** 3)))(x), 2 * x)
    assert deriv(lambda x: x * stop_gradient(x))(3.0) == pytest.approx(3.0)
    assert stop_gradient(2.5) == 2.5
    # nested: the outer derivative sees a constant too
    assert grad(grad(lambda x: x ** 2 * stop_gradient(x)))(3.0) == pytest.approx(6.0)


def test_extend_defjvp_and_defvjp_on_one_primitive():
    from hodiff.extend import defjvp, defvjp, primitive

    @primitive
    def cube(x):
        return x ** 3

    defvjp(cube, lambda ans, x: lambda g: 3 * g * x ** 2)
    defjvp(cube, lambda g, ans, x: 3 * g * x ** 2)
    assert grad(cube)(2.0) == pytest.approx(12.0)
    assert deriv(cube)(2.0) == pytest.approx(12.0)
    assert grad(grad(cube))(2.0) == pytest.approx(12.0)
    assert deriv(grad(cube))(2.0) == pytest.approx(12.0)


# -- misc: flatten, optimizers, builtins --------------------------------------------------------
def test_misc_flatten_roundtrip_and_gradient():
    from hodiff.misc import flatten

    p = tree_point()
    vec, unflatten = flatten(p)
    assert vec.shape == (3 + 2 + 1 + 4,)
    assert_tree_close(unflatten(vec), p, rtol=0, atol=0)
    # gradients through unflatten: the flat gradient is the flattened nested gradient
    g_flat = grad(lambda v: f_tree(unflatten(v)))(vec)
    onp.testing.assert_allclose(g_flat, flatten(grad_f_tree(p))[0], rtol=1e-12)
    # and through flatten itself
    g = grad(lambda p: np.sum(flatten(p)[0] ** 2))(p)
    assert_tree_close(g, {"w": 2 * p["w"], "b": [2 * p["b"][0], 2 * p["b"][1]],
                          "t": (2 * p["t"][0], 2 * p["t"][1])})


def test_misc_flatten_func():
    from hodiff.misc import flatten_func

    p = tree_point()
    flat_f, unflatten, flat_p = flatten_func(f_tree, p)
    assert flat_f(flat_p) == pytest.approx(f_tree(p))
    assert_tree_close(unflatten(flat_p), p, rtol=0, atol=0)
    onp.testing.assert_allclose(fd_grad(flat_f, flat_p), grad(flat_f)(flat_p), rtol=1e-6)


def test_adam_lowers_a_quadratic():
    from hodiff.misc import adam

    target = {"a": onp.array([1.0, -2.0]), "b": 3.0}

    def objective(p, i):
        return np.sum((p["a"] - target["a"]) ** 2) + (p["b"] - target["b"]) ** 2

    p0 = {"a": onp.zeros(2), "b": 0.0}
    seen = []
    p = adam(grad(objective), p0, callback=lambda p, i, g: seen.append(i), num_iters=500,
             step_size=0.05)
    assert seen == list(range(500))
    assert objective(p, 0) < 1e-3 * objective(p0, 0)
    onp.testing.assert_allclose(p["a"], target["a"], atol=0.05)
    assert p["b"] == pytest.approx(3.0, abs=0.05)


def test_sgd_and_rmsprop_lower_a_quadratic():
    from hodiff.misc import rmsprop, sgd

    def objective(x, i):
        return np.sum((x - 2.0) ** 2)

    x0 = onp.zeros(3)
    for opt in (sgd, rmsprop):
        x = opt(grad(objective), x0, num_iters=300, step_size=0.1)
        assert objective(x, 0) < 0.01 * objective(x0, 0)


def test_builtins_isinstance():
    from hodiff.builtins import isinstance as h_isinstance

    checks = []

    def f(x, y):
        checks.append(h_isinstance(x, onp.ndarray))
        checks.append(h_isinstance(y, float))
        checks.append(not h_isinstance(x, float))
        checks.append(not isinstance(x, onp.ndarray))  # the plain builtin sees a traced value
        return np.sum(x) * y

    grad(f, (0, 1))(onp.array([1.0, 2.0]), 3.0)
    jvp(f, (onp.array([1.0, 2.0]), 3.0), (onp.ones(2), 1.0))
    assert all(checks) and len(checks) == 8
    assert h_isinstance([1], list) and not h_isinstance(1.0, onp.ndarray)


# -- with scipy.optimize ---------------------------------------------------------------------
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def test_rosenbrock_derivatives_match_scipy():
    x = onp.array([-1.2, 1.0, 0.3, 0.8])
    p = onp.array([0.3, -1.0, 2.0, 0.5])
    assert rosenbrock(x) == pytest.approx(scipy.optimize.rosen(x), rel=1e-14)
    onp.testing.assert_allclose(grad(rosenbrock)(x), scipy.optimize.rosen_der(x), rtol=1e-12)
    onp.testing.assert_allclose(hessian(rosenbrock)(x), scipy.optimize.rosen_hess(x),
                                rtol=1e-12)
    onp.testing.assert_allclose(hessian_vector_product(rosenbrock)(x, p),
                                scipy.optimize.rosen_hess_prod(x, p), rtol=1e-12)


@pytest.mark.parametrize("method", ["trust-ncg", "Newton-CG"])
def test_scipy_minimize_rosenbrock(method):
    # scipy's documented starting point (a start near x1 = -1 finds the other local minimum)
    x0 = onp.array([1.3, 0.7, 0.8, 1.9, 1.2])
    options = {"gtol": 1e-10} if method == "trust-ncg" else {"xtol": 1e-12}
    res = scipy.optimize.minimize(rosenbrock, x0, method=method, jac=grad(rosenbrock),
                                  hessp=hessian_vector_product(rosenbrock), options=options)
    assert res.success, res.message
    onp.testing.assert_allclose(res.x, onp.ones(5), atol=1e-6)
    assert res.fun < 1e-12


def test_scipy_minimize_with_full_hessian():
    x0 = onp.array([-1.2, 1.0])
    res = scipy.optimize.minimize(rosenbrock, x0, method="trust-exact",
                                  jac=grad(rosenbrock), hess=hessian(rosenbrock))
    assert res.success, res.message
    onp.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-6)


def test_linearize_runs_the_function_once_and_matches_jvp():
    calls = []

    def f(x, y):
        calls.append(1)
        return {"p": np.sin(x) * y, "q": np.sum(x ** 2 * np.exp(1j * y))}

    x, y = onp.array([0.3, -1.2]), onp.array([2.0, 0.5])
    out, jvp_fn = linearize(f, x, y)
    assert len(calls) == 1
    for seed in range(3):
        rng = onp.random.default_rng(seed)
        tx, ty = rng.standard_normal(2), rng.standard_normal(2)
        got = jvp_fn(tx, ty)
        want = jvp(f, (x, y), (tx, ty))[1]
        onp.testing.assert_allclose(got["p"], want["p"], rtol=1e-12)
        onp.testing.assert_allclose(got["q"], want["q"], rtol=1e-12)
    assert len(calls) == 4  # the three jvp calls above, none from jvp_fn
