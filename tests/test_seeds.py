"""Every runnable example in the seed documents (shared/seeds), as an acceptance test.

`autograd` is replaced by `hodiff`, Python 2 prints by asserts, and the Lua (torch-autograd)
examples are translated to Python. Expected values come from closed forms, finite differences
or plain numpy, never from hodiff itself.
"""
import itertools
import math

import numpy as onp
import pytest

import hodiff.numpy as np
from hodiff import (
    elementwise_grad,
    grad,
    grad_named,
    hessian,
    jacobian,
    multigrad,
    multigrad_dict,
)
from hodiff.extend import defvjp, primitive
from hodiff.test_util import check_grads


def central_diff(f, x, eps=1e-6):
    """The gradient of scalar f at array x, one coordinate at a time (plain numpy)."""
    x = onp.asarray(x, dtype=float)
    g = onp.zeros_like(x)
    for i in onp.ndindex(x.shape):
        e = onp.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


# -- seed 001: the autograd tutorial ---------------------------------------------------------
def taylor_sine(x):  # Taylor approximation to sine function
    ans = currterm = x
    i = 0
    while np.abs(currterm) > 0.001:
        currterm = -currterm * x**2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        i += 1
    return ans


def test_taylor_sine_gradient_at_pi():
    grad_sine = grad(taylor_sine)
    g = grad_sine(np.pi)
    # The series stops once a term is below 1e-3, so the derivative is cos to about that.
    assert abs(g - math.cos(math.pi)) < 2e-3
    assert float(g) == pytest.approx(-1.0, abs=2e-3)


@pytest.mark.parametrize("x", [0.0, 0.5, -1.3, 2.0, 3.0])
def test_taylor_sine_gradient_tracks_cos(x):
    assert grad(taylor_sine)(x) == pytest.approx(math.cos(x), abs=2e-3)
    # and the control flow does not confuse the derivative: same as finite differences of the
    # very same truncated series (the branch taken is locally constant)
    fd = (taylor_sine(x + 1e-6) - taylor_sine(x - 1e-6)) / 2e-6
    assert grad(taylor_sine)(x) == pytest.approx(fd, rel=1e-6, abs=1e-8)


def sigmoid(x):
    return 0.5 * (np.tanh(x / 2.) + 1)


def logistic_predictions(weights, inputs):
    # Outputs probability of a label being true according to logistic model.
    return sigmoid(np.dot(inputs, weights))


INPUTS = onp.array([[0.52, 1.12, 0.77],
                    [0.88, -1.08, 0.15],
                    [0.52, 0.06, -1.30],
                    [0.74, -2.49, 1.39]])
TARGETS = onp.array([True, True, False, True])


def training_loss(weights, inputs=INPUTS, targets=TARGETS):
    # Training loss is the negative log-likelihood of the training labels.
    preds = logistic_predictions(weights, inputs)
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probabilities))


def test_logistic_regression_gradient_closed_form():
    w = onp.array([0.3, -0.2, 0.5])
    # d/dw of -sum log p(label) for logistic regression is X^T (sigmoid(Xw) - t).
    p = 1 / (1 + onp.exp(-INPUTS @ w))
    expected = INPUTS.T @ (p - TARGETS)
    onp.testing.assert_allclose(grad(training_loss)(w), expected, rtol=1e-10)
    onp.testing.assert_allclose(grad(training_loss)(w), central_diff(training_loss, w),
                                rtol=1e-6)
    check_grads(training_loss, modes=["fwd", "rev"], order=2)(w)


def test_logistic_regression_training_loop_lowers_loss():
    training_gradient_fun = grad(training_loss)
    weights = np.array([0.0, 0.0, 0.0])
    initial = training_loss(weights)
    assert initial == pytest.approx(4 * math.log(2))
    losses = [initial]
    for _ in range(100):
        weights -= training_gradient_fun(weights) * 0.01
        losses.append(training_loss(weights))
    trained = training_loss(weights)
    assert trained < initial - 1.0
    # gradient descent with a small step on a convex loss: monotone decrease
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(losses))
    # the same loop in plain numpy with the closed-form gradient lands on the same weights
    w = onp.zeros(3)
    for _ in range(100):
        p = 1 / (1 + onp.exp(-INPUTS @ w))
        w -= INPUTS.T @ (p - TARGETS) * 0.01
    onp.testing.assert_allclose(weights, w, rtol=1e-10)


@primitive
def logsumexp(x):
    """Numerically stable log(sum(exp(x)))"""
    max_x = np.max(x)
    return max_x + np.log(np.sum(np.exp(x - max_x)))


def logsumexp_vjp(ans, x):
    x_shape = x.shape
    return lambda g: np.full(x_shape, g) * np.exp(x - np.full(x_shape, ans))


defvjp(logsumexp, logsumexp_vjp)


def example_func(y):
    z = y**2
    lse = logsumexp(z)
    return np.sum(lse)


def test_custom_logsumexp_primitive():
    grad_of_example = grad(example_func)
    y = np.array([1.5, 6.7, 1e-10])
    g = grad_of_example(y)
    z = y ** 2
    softmax = onp.exp(z - z.max()) / onp.sum(onp.exp(z - z.max()))
    onp.testing.assert_allclose(g, 2 * y * softmax, rtol=1e-12, atol=1e-300)
    # and against finite differences at a point where all entries matter
    y2 = onp.array([0.3, -0.8, 1.1])
    onp.testing.assert_allclose(grad_of_example(y2), central_diff(example_func, y2), rtol=1e-6)
    check_grads(example_func, modes=["rev"], order=1)(y2)


def test_custom_logsumexp_is_a_black_box():
    # The primitive's body runs on plain values: hodiff does not trace inside it.
    seen = []

    @primitive
    def spy(x):
        seen.append(type(x))
        return onp.sum(x ** 2)

    defvjp(spy, lambda ans, x: lambda g: 2 * g * x)
    x = onp.array([1.0, 2.0])
    onp.testing.assert_allclose(grad(lambda x: spy(np.sin(x)))(x), 2 * onp.sin(x) * onp.cos(x))
    assert seen == [onp.ndarray]


def test_complex_convention_real_function_of_z():
    # f: C -> R, grad f = du/dx - i du/dy
    def f(z):
        return np.abs(z) ** 2 + np.real(z ** 3) - 2 * np.imag(z)

    def u(x, y):  # f in real coordinates, written without complex numbers
        return x * x + y * y + x ** 3 - 3 * x * y * y - 2 * y

    for z in [1.0 + 2.0j, -0.3 + 0.7j, 2.5 - 1.0j]:
        x, y = z.real, z.imag
        ux = (u(x + 1e-6, y) - u(x - 1e-6, y)) / 2e-6
        uy = (u(x, y + 1e-6) - u(x, y - 1e-6)) / 2e-6
        g = grad(f)(z)
        assert onp.iscomplexobj(g)
        assert g == pytest.approx(ux - 1j * uy, rel=1e-7)
        # closed form: du/dx = 2x + 3x^2 - 3y^2, du/dy = 2y - 6xy - 2
        assert g == pytest.approx((2 * x + 3 * x * x - 3 * y * y) - 1j * (2 * y - 6 * x * y - 2),
                                  rel=1e-12)


def test_complex_convention_gradient_step_is_descent():
    # "taking steps in the direction of the complex conjugate of grad(f)(x)" decreases f
    def f(z):
        return np.abs(z - (1.0 + 1.0j)) ** 2

    z = 3.0 - 2.0j
    for _ in range(50):
        z = z - 0.1 * onp.conj(grad(f)(z))
    assert abs(z - (1.0 + 1.0j)) < 1e-3


@pytest.mark.parametrize("z", [0.5 + 0.25j, -1.0 + 2.0j, 2.0 - 0.5j])
def test_complex_convention_holomorphic(z):
    def f(z):
        return np.sin(z) * z ** 2 + np.exp(z) / z

    def fprime(z):
        return onp.cos(z) * z ** 2 + 2 * z * onp.sin(z) + onp.exp(z) / z - onp.exp(z) / z ** 2

    assert grad(f)(z) == pytest.approx(fprime(z), rel=1e-12)


def test_complex_convention_non_holomorphic_complex_output():
    # f: C -> C; grad keeps u = Re f only: du/dx - i du/dy
    def f(z):
        return np.conj(z) * z ** 2 + 1j * np.abs(z)

    def u(x, y):
        z = x + 1j * y
        return (onp.conj(z) * z ** 2 + 1j * abs(z)).real

    z = 0.7 - 1.2j
    x, y = z.real, z.imag
    ux = (u(x + 1e-6, y) - u(x - 1e-6, y)) / 2e-6
    uy = (u(x, y + 1e-6) - u(x, y - 1e-6)) / 2e-6
    assert grad(f)(z) == pytest.approx(ux - 1j * uy, rel=1e-7)


def test_complex_vjp_formula_of_seed_001():
    # vjp(g) = g_x u_x - i g_x u_y - g_y v_x + i g_y v_y for f = u + i v
    from hodiff import vjp

    def f(z):
        return np.conj(z) * z ** 2 + np.sin(z)

    def uv(x, y):
        w = f_plain(x + 1j * y)
        return w.real, w.imag

    def f_plain(z):
        return onp.conj(z) * z ** 2 + onp.sin(z)

    z = 0.4 + 0.9j
    x, y = z.real, z.imag
    e = 1e-6
    ux, vx = [(a - b) / (2 * e) for a, b in zip(uv(x + e, y), uv(x - e, y))]
    uy, vy = [(a - b) / (2 * e) for a, b in zip(uv(x, y + e), uv(x, y - e))]
    for g in [1.0 + 0.0j, 0.0 + 1.0j, 0.3 - 2.0j]:
        gx, gy = g.real, g.imag
        expected = gx * ux - 1j * gx * uy - gy * vx + 1j * gy * vy
        assert vjp(f, z)[1](g)[0] == pytest.approx(expected, rel=1e-7)


def test_complex_internals_real_to_real():
    # A real function using complex primitives internally: same as its real implementation.
    def f(x):
        return np.real(np.exp(1j * x) * np.exp(-0.5j * x)) * x

    def f_real(x):
        return np.cos(0.5 * x) * x

    for x in [0.3, 1.7, -2.2]:
        assert grad(f)(x) == pytest.approx(math.cos(0.5 * x) - 0.5 * x * math.sin(0.5 * x),
                                           rel=1e-12)
        assert grad(f)(x) == pytest.approx(grad(f_real)(x), rel=1e-12)
        assert not onp.iscomplexobj(grad(f)(x))


def test_inputs_can_be_tuples_of_tuples_and_complex():
    # "The input can be a scalar, complex number, vector, tuple, a tuple of vectors, a tuple of
    # tuples, etc."
    def f(args):
        (a, b), c = args
        return np.sum(a * b) + np.sum(np.sin(c))

    a, b, c = onp.array([1.0, 2.0]), onp.array([3.0, -1.0]), onp.array([0.5, 0.1, 0.2])
    (ga, gb), gc = grad(f)(((a, b), c))
    onp.testing.assert_allclose(ga, b)
    onp.testing.assert_allclose(gb, a)
    onp.testing.assert_allclose(gc, onp.cos(c))


def test_vector_outputs_via_elementwise_grad_and_jacobian():
    x = onp.linspace(-1, 1, 5)
    onp.testing.assert_allclose(elementwise_grad(np.tanh)(x), 1 / onp.cosh(x) ** 2, rtol=1e-12)
    onp.testing.assert_allclose(jacobian(np.tanh)(x), onp.diag(1 / onp.cosh(x) ** 2),
                                rtol=1e-12, atol=1e-15)


def test_builtins_isinstance_sees_arrays():
    from hodiff.builtins import isinstance as hisinstance

    def f(x):
        assert hisinstance(x, np.ndarray)
        assert hisinstance(x, onp.ndarray)
        return np.sum(x ** 2)

    x = onp.array([1.0, -2.0])
    onp.testing.assert_allclose(grad(f)(x), 2 * x)


def test_recursion_and_closures():
    def power(x, n):  # recursion
        return 1.0 if n == 0 else x * power(x, n - 1)

    def make_scaled(c):  # closure
        return lambda x: c * power(x, 5)

    assert grad(make_scaled(3.0))(1.5) == pytest.approx(15 * 1.5 ** 4)


# -- seed 000: the tutorial outline ----------------------------------------------------------
def test_indexing_and_explicit_array_creation():
    A0 = onp.arange(5 * 3 * 6, dtype=float).reshape(5, 3, 6) / 10

    def f(A):
        x = A[3, :, 2:4]
        return np.sum(x ** 2)

    expected = onp.zeros_like(A0)
    expected[3, :, 2:4] = 2 * A0[3, :, 2:4]
    onp.testing.assert_allclose(grad(f)(A0), expected)

    def g(x, y):
        A = np.array([x, y])
        return np.sum(A * np.array([2.0, 3.0]))

    assert grad(g, 0)(1.0, 2.0) == pytest.approx(2.0)
    assert grad(g, 1)(1.0, 2.0) == pytest.approx(3.0)
    # "use A = np.sum(np.array([x, y]))": the supported spelling
    assert grad(lambda x, y: np.sum(np.array([x, y * x])), 0)(2.0, 5.0) == pytest.approx(6.0)


def test_assignment_to_plain_arrays_is_fine():
    def f(x):
        B = onp.ones(3)  # not differentiated: assignment allowed
        B[1] = 4.0
        B += 1.0
        return np.sum(B * x)

    onp.testing.assert_allclose(grad(f)(onp.array([1.0, 2.0, 3.0])), [2.0, 5.0, 2.0])


# -- seed 002: lecture notes --------------------------------------------------------------------
def f3(x, y, z):
    return x ** 2 * y + np.sin(z) * y + x * z


def test_grad_argnum():
    x, y, z = 1.5, -0.5, 0.3
    assert grad(f3)(x, y, z) == pytest.approx(2 * x * y + z)
    assert grad(f3, 0)(x, y, z) == pytest.approx(2 * x * y + z)
    assert grad(f3, 1)(x, y, z) == pytest.approx(x ** 2 + math.sin(z))
    assert grad(f3, 2)(x, y, z) == pytest.approx(math.cos(z) * y + x)


def test_grad_named():
    x, y, z = 1.5, -0.5, 0.3
    assert grad_named(f3, "y")(x, y, z) == pytest.approx(x ** 2 + math.sin(z))
    assert grad_named(f3, "z")(x, y, z=z) == pytest.approx(math.cos(z) * y + x)
    with pytest.raises(ValueError, match="w"):
        grad_named(f3, "w")


def test_multigrad():
    x, y, z = 1.5, -0.5, 0.3
    gx, gz = multigrad(f3, [0, 2])(x, y, z)
    assert gx == pytest.approx(2 * x * y + z)
    assert gz == pytest.approx(math.cos(z) * y + x)
    (gy,) = multigrad(f3, [1])(x, y, z)
    assert gy == pytest.approx(x ** 2 + math.sin(z))


def test_multigrad_dict():
    x, y, z = 1.5, -0.5, 0.3
    d = multigrad_dict(f3)(x, y, z)
    assert set(d) == {"x", "y", "z"}
    assert d["x"] == pytest.approx(2 * x * y + z)
    assert d["y"] == pytest.approx(x ** 2 + math.sin(z))
    assert d["z"] == pytest.approx(math.cos(z) * y + x)


def test_higher_derivatives_by_repeated_grad():
    d = [np.sin]
    for _ in range(4):
        d.append(grad(d[-1]))
    x = 0.7
    expected = [math.sin(x), math.cos(x), -math.sin(x), -math.cos(x), math.sin(x)]
    for k in range(5):
        assert d[k](x) == pytest.approx(expected[k], rel=1e-12)
    # and of tanh, against closed forms: t' = 1 - t^2, t'' = -2 t (1 - t^2)
    t = math.tanh(x)
    assert grad(grad(np.tanh))(x) == pytest.approx(-2 * t * (1 - t * t), rel=1e-12)
    assert grad(grad(grad(np.tanh)))(x) == pytest.approx(
        (1 - t * t) * (6 * t * t - 2), rel=1e-12)


def test_custom_gradient_for_stability():
    # "Custom gradients can be registered ... for numerical stability": log1pexp
    @primitive
    def log1pexp(x):
        return onp.logaddexp(0.0, x)

    defvjp(log1pexp, lambda ans, x: lambda g: g * np.exp(x - ans))
    for x in [-800.0, -3.0, 0.0, 2.5, 800.0]:
        expected = 1 / (1 + math.exp(-x)) if x > -700 else 0.0
        assert grad(log1pexp)(x) == pytest.approx(expected, abs=1e-300, rel=1e-12)
    check_grads(log1pexp, modes=["rev"], order=2)(0.3)


# -- seed 003: torch-autograd (Lua), translated ------------------------------------------------
def make_params(rng, transposed=False):
    if transposed:
        W = [rng.standard_normal((50, 100)), rng.standard_normal((10, 50))]
    else:
        W = [rng.standard_normal((100, 50)), rng.standard_normal((50, 10))]
    return {"W": W, "b": [rng.standard_normal(50), rng.standard_normal(10)]}


def neural_net(params, x, y):
    h1 = np.tanh(x @ params["W"][0] + params["b"][0])
    h2 = np.tanh(h1 @ params["W"][1] + params["b"][1])
    yHat = h2 - np.log(np.sum(np.exp(h2)))
    loss = -np.sum(yHat * y)
    return loss


def neural_net_plain_grads(params, x, y):
    """Backpropagation by hand in plain numpy."""
    W1, W2 = params["W"]
    b1, b2 = params["b"]
    h1 = onp.tanh(x @ W1 + b1)
    h2 = onp.tanh(h1 @ W2 + b2)
    p = onp.exp(h2) / onp.sum(onp.exp(h2))
    d_h2 = -y + p * onp.sum(y)
    d_a2 = d_h2 * (1 - h2 ** 2)
    d_W2 = h1.T @ d_a2
    d_b2 = d_a2.sum(0)
    d_h1 = d_a2 @ W2.T
    d_a1 = d_h1 * (1 - h1 ** 2)
    d_W1 = x.T @ d_a1
    d_b1 = d_a1.sum(0)
    return {"W": [d_W1, d_W2], "b": [d_b1, d_b2]}


def net_data(rng):
    x = rng.standard_normal((1, 100))
    y = onp.zeros((1, 10))
    y[0, 2] = 1  # Lua's y[1][3] = 1
    return x, y


def test_nested_parameter_tables():
    rng = onp.random.default_rng(3)
    params = make_params(rng)
    x, y = net_data(rng)
    dneural_net = grad(neural_net)
    loss = neural_net(params, x, y)
    dparams = dneural_net(params, x, y)
    assert onp.ndim(loss) == 0
    # dparams mimics the structure of params
    assert isinstance(dparams, dict) and set(dparams) == {"W", "b"}
    assert isinstance(dparams["W"], list) and isinstance(dparams["b"], list)
    for key in ("W", "b"):
        assert len(dparams[key]) == 2
        for d, p in zip(dparams[key], params[key]):
            assert d.shape == p.shape
    expected = neural_net_plain_grads(params, x, y)
    for key in ("W", "b"):
        for d, e in zip(dparams[key], expected[key]):
            onp.testing.assert_allclose(d, e, rtol=1e-9, atol=1e-12)
    # a directional finite-difference check of the whole nested structure at once
    check_grads(neural_net, modes=["rev"], order=1)(params, x, y)


def gradcheck(func, inputs, key, eps=1e-6, rtol=1e-6, atol=1e-8):
    """torch-autograd's gradcheck: hodiff's gradient for inputs[key] vs central differences."""
    g = grad(func)(inputs)[key]

    def along(v):
        return func({**inputs, key: v})

    fd = central_diff(along, inputs[key], eps)
    return g.shape == inputs[key].shape and onp.allclose(g, fd, rtol=rtol, atol=atol)


def test_gradcheck_W_and_x():
    rng = onp.random.default_rng(0)
    W = rng.normal(size=(32, 100))
    x = rng.normal(size=100)

    def func(inputs):
        return np.sum(inputs["W"] @ inputs["x"])

    assert gradcheck(func, {"W": W, "x": x}, "x"), "incorrect gradients on x"
    assert gradcheck(func, {"W": W, "x": x}, "W"), "incorrect gradients on W"
    g = grad(func)({"W": W, "x": x})
    onp.testing.assert_allclose(g["x"], W.sum(0), rtol=1e-12)
    onp.testing.assert_allclose(g["W"], onp.broadcast_to(x, (32, 100)), rtol=1e-12)


def test_gradcheck_catches_a_wrong_gradient():
    @primitive
    def bad_square(x):
        return x ** 2

    defvjp(bad_square, lambda ans, x: lambda g: 3 * g * x)  # deliberately wrong

    def func(inputs):
        return np.sum(bad_square(inputs["x"]))

    assert not gradcheck(func, {"x": onp.array([1.0, 2.0])}, "x")


# "Wrapping nn modules": hand-written-gradient primitives mixed with automatic ones.
@primitive
def linear(x, W, b):
    """nn.Linear: x @ W^T + b, with hand-written gradients."""
    return x @ W.T + b


defvjp(linear,
       lambda ans, x, W, b: lambda g: g @ W,
       lambda ans, x, W, b: lambda g: g.T @ x,
       lambda ans, x, W, b: lambda g: np.sum(g, axis=0))


@primitive
def tanh_module(x):
    return onp.tanh(x)


defvjp(tanh_module, lambda ans, x: lambda g: g * (1 - ans ** 2))


def neural_net_mixed(params, x, y):
    h1 = tanh_module(linear(x, params["W"][0], params["b"][0]))
    h2 = tanh_module(linear(h1, params["W"][1], params["b"][1]))
    yHat = h2 - np.log(np.sum(np.exp(h2)))
    return -np.sum(yHat * y)


def test_mix_hand_written_gradients_with_automatic_ones():
    rng = onp.random.default_rng(7)
    params = make_params(rng, transposed=True)
    x, y = net_data(rng)
    dparams = grad(neural_net_mixed)(params, x, y)
    # the same network written with automatic gradients only (nn weights are transposed)
    plain = {"W": [params["W"][0].T, params["W"][1].T], "b": params["b"]}
    assert neural_net_mixed(params, x, y) == pytest.approx(neural_net(plain, x, y), rel=1e-12)
    expected = neural_net_plain_grads(plain, x, y)
    onp.testing.assert_allclose(dparams["W"][0], expected["W"][0].T, rtol=1e-9, atol=1e-12)
    onp.testing.assert_allclose(dparams["W"][1], expected["W"][1].T, rtol=1e-9, atol=1e-12)
    for d, e in zip(dparams["b"], expected["b"]):
        onp.testing.assert_allclose(d, e, rtol=1e-9, atol=1e-12)
    # and a finite-difference check on a few coordinates of the first layer
    for idx in [(0, 0), (13, 57), (49, 99)]:
        def along(v, idx=idx):
            W0 = params["W"][0].copy()
            W0[idx] = v
            return neural_net_mixed({"W": [W0, params["W"][1]], "b": params["b"]}, x, y)
        v0 = params["W"][0][idx]
        fd = (along(v0 + 1e-6) - along(v0 - 1e-6)) / 2e-6
        assert dparams["W"][0][idx] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_gradients_of_gradients_hessian():
    # "enable gradients of gradients for transparent computation of Hessians"
    rng = onp.random.default_rng(1)
    W = rng.standard_normal((3, 4))
    y = onp.array([0.0, 1.0, 0.0])

    def loss(x):
        h = np.tanh(W @ x)
        return -np.sum((h - np.log(np.sum(np.exp(h)))) * y)

    x = rng.standard_normal(4)
    H = hessian(loss)(x)
    g = grad(loss)
    e = 1e-5
    H_fd = onp.stack([(g(x + e * onp.eye(4)[i]) - g(x - e * onp.eye(4)[i])) / (2 * e)
                      for i in range(4)])
    onp.testing.assert_allclose(H, H_fd, rtol=1e-6, atol=1e-8)
    onp.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)


# -- seed 004: the minimal operator-overloading autograd ----------------------------------------
def test_logistic_regression_exact_printed_gradients():
    w = np.array([-0.5, 0.3, 1])
    b = 2.0
    x = np.array([10, 0.4, 3.5])
    y = 1

    def loss_fn(w, b):
        model = 1 / (1 + np.exp(-(w @ x + b)))  # sigmoid
        if y == 1:
            loss = -np.log(model)
        else:
            loss = -np.log(1 - model)
        return loss

    loss = loss_fn(w.astype(float), b)
    assert loss == pytest.approx(0.430446744029496, rel=1e-12)
    gw, gb = grad(loss_fn, (0, 1))(w.astype(float), b)
    printed_w = onp.array([-3.49781451425635, -0.139912580570254, -1.2242350799897226])
    printed_b = -0.349781451425635
    # The seed's printed digits are themselves ~1.5e-12 (relative) from the exact values
    # -sigmoid(-0.62) * [10, 0.4, 3.5] (checked with 30-digit arithmetic), hence 3e-12.
    onp.testing.assert_allclose(gw, printed_w, rtol=3e-12, atol=0)
    assert gb == pytest.approx(printed_b, rel=3e-12, abs=0)
    # and tightly against the closed form computed in plain numpy
    z = float(onp.dot([-0.5, 0.3, 1.0], [10, 0.4, 3.5]) + 2.0)
    s = 1 / (1 + math.exp(z))  # sigmoid(-z)
    onp.testing.assert_allclose(gw, -s * onp.array([10, 0.4, 3.5]), rtol=1e-14)
    assert gb == pytest.approx(-s, rel=1e-14)
