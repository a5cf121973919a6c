"""Errors say what went wrong and name the fix; failures leave no state behind; threads don't
interfere.
"""
import math
import threading

import numpy as onp
import pytest

import hodiff
import hodiff.numpy as np
from hodiff import (
    custom_vjp,
    deriv,
    elementwise_grad,
    grad,
    hessian,
    holomorphic_grad,
    jacfwd,
    jacrev,
    jvp,
    value_and_grad,
    vjp,
)
from hodiff.core import current_depth
from hodiff.extend import defvjp, primitive


# -- non-scalar outputs -----------------------------------------------------------------------
@pytest.mark.parametrize("op", [grad, value_and_grad])
@pytest.mark.parametrize("out", [lambda x: x * onp.ones(3), lambda x: (x, x), lambda x: [x],
                                 lambda x: x * onp.ones((2, 2))])
def test_grad_of_non_scalar_output(op, out):
    with pytest.raises(TypeError) as info:
        op(out)(1.5)
    msg = str(info.value)
    assert "scalar" in msg
    assert "jacobian" in msg and "elementwise_grad" in msg


def test_grad_of_non_scalar_output_leaves_no_state():
    with pytest.raises(TypeError):
        grad(lambda x: x * onp.ones(3))(1.5)
    assert current_depth() == 0
    assert grad(np.sin)(0.0) == pytest.approx(1.0)
    # and the suggested fixes work
    onp.testing.assert_allclose(elementwise_grad(lambda x: x * onp.ones(3))(1.5), 3.0)
    onp.testing.assert_allclose(jacrev(lambda x: x * onp.ones(3))(1.5), onp.ones(3))


# -- missing rules ----------------------------------------------------------------------------
def test_primitive_without_rules_names_defjvp_and_defvjp():
    @primitive
    def double(x):
        return 2 * x

    with pytest.raises(TypeError) as info:
        deriv(double)(1.0)
    msg = str(info.value)
    assert "double" in msg and "defjvp" in msg and "forward" in msg
    with pytest.raises(TypeError) as info:
        grad(double)(1.0)
    msg = str(info.value)
    assert "double" in msg and "defvjp" in msg and "reverse" in msg
    assert current_depth() == 0


def test_primitive_with_vjp_for_one_argument_only():
    @primitive
    def mul(x, y):
        return x * y

    defvjp(mul, lambda ans, x, y: lambda g: g * y)  # argument 0 only
    assert grad(mul)(3.0, 2.0) == pytest.approx(2.0)
    with pytest.raises(TypeError) as info:
        jvp(lambda y: mul(3.0, y), (2.0,), (1.0,))
    msg = str(info.value)
    assert "argument 1" in msg and "mul" in msg and "defjvp" in msg
    with pytest.raises(TypeError, match="defvjp"):
        grad(mul, 1)(3.0, 2.0)


def test_seed_logsumexp_with_only_defvjp_under_jvp():
    # Seed 001's primitive has only a reverse rule, written with plain numpy's np.full. Under
    # forward mode hodiff must either give the right derivative (deriving the forward rule) or
    # raise an error that names defjvp, the fix. Never an unrelated message.
    @primitive
    def logsumexp(x):
        max_x = onp.max(x)
        return max_x + onp.log(onp.sum(onp.exp(x - max_x)))

    def logsumexp_vjp(ans, x):
        x_shape = x.shape
        return lambda g: onp.full(x_shape, g) * np.exp(x - onp.full(x_shape, ans))

    defvjp(logsumexp, logsumexp_vjp)
    x = onp.array([0.1, 0.5, -0.3])
    v = onp.array([1.0, -2.0, 0.5])
    p = onp.exp(x) / onp.sum(onp.exp(x))
    try:
        _, t = jvp(logsumexp, (x,), (v,))
    except Exception as e:  # noqa: BLE001 - the message is what is under test
        assert "defjvp" in str(e), f"error does not name the fix: {type(e).__name__}: {e}"
    else:
        assert t == pytest.approx(p @ v, rel=1e-12)
    assert current_depth() == 0


def test_custom_vjp_under_forward_mode_is_right_or_names_the_fix():
    @custom_vjp
    def f(x):
        return np.sin(x)

    f.defvjp(lambda x: (np.sin(x), np.cos(x)), lambda cos_x, ct: (ct * cos_x,))
    assert grad(f)(0.3) == pytest.approx(math.cos(0.3))
    try:
        d = deriv(f)(0.3)
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        assert "forward" in msg and ("defjvp" in msg or "custom_jvp" in msg), msg
    else:
        assert d == pytest.approx(math.cos(0.3), rel=1e-12)


# -- integer inputs -----------------------------------------------------------------------------
@pytest.mark.parametrize("op", [grad, value_and_grad, elementwise_grad, jacfwd, jacrev, hessian,
                                deriv])
@pytest.mark.parametrize("x", [1, onp.array([1, 2]), True, onp.array([True, False])])
def test_integer_inputs(op, x):
    with pytest.raises(TypeError) as info:
        op(lambda x: np.sum(x * 2.0))(x)
    assert "float" in str(info.value)
    assert current_depth() == 0


def test_integer_inputs_in_containers_and_jvp_vjp():
    with pytest.raises(TypeError, match="float"):
        grad(lambda p: p["a"] * p["b"])({"a": 1.0, "b": 2})
    with pytest.raises(TypeError, match="float"):
        jvp(lambda x: x * 2.0, (3,), (1,))
    with pytest.raises(TypeError, match="float"):
        vjp(lambda x: x * 2.0, 3)
    # the fix the message suggests works
    assert grad(lambda x: x * 2.0)(float(1)) == pytest.approx(2.0)
    onp.testing.assert_allclose(grad(lambda x: np.sum(x ** 2))(onp.array([1, 2]).astype(float)),
                                [2.0, 4.0])


def test_holomorphic_grad_needs_complex_inputs():
    with pytest.raises(TypeError, match="complex"):
        holomorphic_grad(lambda z: z ** 2)(1.0)


# -- plain numpy on traced values -------------------------------------------------------------
# Plain numpy functions hodiff has no rule for (those with one dispatch to it: see
# tests/test_autograd_dropin.py).
PLAIN_NUMPY_CALLS = {
    "packbits": lambda x: onp.packbits(x),
    "histogram": lambda x: onp.histogram(x)[0] * 1.0,
    "lexsort": lambda x: onp.lexsort(x),
    "apply_along_axis": lambda x: onp.sum(onp.apply_along_axis(onp.sum, 0, x)),
    "piecewise": lambda x: onp.sum(onp.piecewise(x, [x > 0], [1.0])),
    "busday_count": lambda x: onp.busday_count(x, x),
}


@pytest.mark.parametrize("name", list(PLAIN_NUMPY_CALLS))
@pytest.mark.parametrize("op", ["grad", "deriv_in_direction"])
def test_plain_numpy_on_traced_value_names_hodiff_numpy(name, op):
    f = PLAIN_NUMPY_CALLS[name]
    X = onp.array([[2.0, 1.0], [0.5, 3.0]])
    with pytest.raises(TypeError) as info:
        if op == "grad":
            grad(f)(X)
        else:
            jvp(f, (X,), (onp.ones((2, 2)),))
    msg = str(info.value)
    assert "hodiff.numpy" in msg
    assert current_depth() == 0


def test_plain_numpy_asarray_on_traced_value():
    with pytest.raises(TypeError) as info:
        grad(lambda x: onp.sum(onp.asarray(x)) * 1.0)(onp.ones(2))
    msg = str(info.value)
    assert "hodiff.numpy" in msg and "stop_gradient" in msg


def test_plain_numpy_ufunc_with_out_argument():
    def f(x):
        out = onp.empty(2)
        onp.sin(x, out=out)
        return np.sum(out)

    with pytest.raises(TypeError, match="hodiff.numpy"):
        grad(f)(onp.ones(2))


def test_hodiff_numpy_versions_of_those_calls_work():
    # The fix the message names: the same calls through hodiff.numpy
    x = onp.array([0.5, -1.0, 2.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(x) + np.mean(x ** 2))(x), 1 + 2 * x / 3)
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.concatenate([x, x ** 2])))(x),
                                1 + 2 * x)


# -- exceptions inside differentiated functions ------------------------------------------------
class Boom(Exception):
    pass


def explode(x):
    y = np.sin(x) * 2.0
    if True:
        raise Boom("inside")
    return y


@pytest.mark.parametrize("op", [grad, deriv, jacfwd, jacrev, hessian, value_and_grad,
                                elementwise_grad])
def test_exception_inside_leaves_no_state(op):
    assert current_depth() == 0
    with pytest.raises(Boom):
        op(explode)(0.5)
    assert current_depth() == 0
    assert grad(lambda x: x ** 3)(2.0) == pytest.approx(12.0)
    assert deriv(lambda x: x ** 3)(2.0) == pytest.approx(12.0)


def test_exception_inside_nested_derivatives_leaves_no_state():
    def outer(x):
        def inner(y):
            if y > 0:
                raise Boom("deep")
            return x * y
        return grad(inner)(1.0) * x

    for op in (grad, deriv):
        with pytest.raises(Boom):
            op(outer)(2.0)
        assert current_depth() == 0
    # an inner failure caught inside the outer function: the outer derivative still works
    def outer_catching(x):
        try:
            grad(lambda y: (_ for _ in ()).throw(Boom()))(1.0)
        except Boom:
            pass
        assert current_depth() == 1
        return x ** 2

    assert grad(outer_catching)(3.0) == pytest.approx(6.0)
    assert deriv(outer_catching)(3.0) == pytest.approx(6.0)
    assert current_depth() == 0


def test_exception_from_a_rule_leaves_no_state():
    @primitive
    def bad(x):
        return x * 1.0

    def bad_vjp(ans, x):
        def ct_fn(g):
            raise Boom("in the rule")
        return ct_fn

    defvjp(bad, bad_vjp)
    with pytest.raises(Boom):
        grad(lambda x: bad(x) * 2.0)(1.0)
    assert current_depth() == 0
    with pytest.raises(Boom):
        grad(lambda x: grad(lambda y: bad(y) * x)(1.0))(1.0)
    assert current_depth() == 0
    assert grad(lambda x: x * x)(4.0) == pytest.approx(8.0)


def test_keyboard_interrupt_style_exception_leaves_no_state():
    def f(x):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grad(f)(1.0)
    assert current_depth() == 0


# -- threads ------------------------------------------------------------------------------------
def test_two_threads_compute_different_gradients():
    n_iter = 300
    errors = []
    barrier = threading.Barrier(2)

    def worker_rev(seed):
        try:
            rng = onp.random.default_rng(seed)
            barrier.wait()
            for _ in range(n_iter):
                x = rng.standard_normal(3)
                g = grad(lambda x: np.sum(np.sin(x) * x))(x)
                expected = onp.cos(x) * x + onp.sin(x)
                if not onp.allclose(g, expected, rtol=1e-12):
                    errors.append(("rev", x, g, expected))
                assert current_depth() == 0
        except Exception as e:  # noqa: BLE001
            errors.append(("rev raised", repr(e)))

    def worker_nested(seed):
        try:
            rng = onp.random.default_rng(seed)
            barrier.wait()
            for _ in range(n_iter):
                x = float(rng.uniform(0.5, 2.0))
                # second derivative of x^4 by forward over reverse: 12 x^2
                d2 = deriv(grad(lambda x: x ** 4))(x)
                # perturbation-confusion check at the same time: x * d/dy (x * y) -> 2x
                d = grad(lambda x: x * deriv(lambda y: x * y)(1.0))(x)
                if not (abs(d2 - 12 * x * x) < 1e-9 * x * x and abs(d - 2 * x) < 1e-12):
                    errors.append(("nested", x, d2, d))
                assert current_depth() == 0
        except Exception as e:  # noqa: BLE001
            errors.append(("nested raised", repr(e)))

    threads = [threading.Thread(target=worker_rev, args=(1,)),
               threading.Thread(target=worker_nested, args=(2,))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors[:3]
    assert current_depth() == 0


def test_thread_sees_its_own_depth():
    depths = {}
    inside = threading.Event()
    release = threading.Event()

    def hold(x):
        depths["inside"] = current_depth()
        inside.set()
        release.wait(timeout=30)
        return x * x

    t = threading.Thread(target=lambda: depths.setdefault("g", grad(hold)(3.0)))
    t.start()
    assert inside.wait(timeout=30)
    depths["main_while_other_inside"] = current_depth()
    depths["main_grad"] = grad(lambda x: x ** 3)(2.0)
    release.set()
    t.join(timeout=30)
    assert depths["inside"] == 1
    assert depths["main_while_other_inside"] == 0
    assert depths["main_grad"] == pytest.approx(12.0)
    assert depths["g"] == pytest.approx(6.0)


def test_tracer_from_another_thread_is_not_confused():
    # A traced value made in one thread's derivative call and used in another's.
    box = {}
    ready = threading.Event()
    done = threading.Event()

    def hold(x):
        box["x"] = x
        ready.set()
        done.wait(timeout=30)
        return x * 2.0

    t = threading.Thread(target=lambda: grad(hold)(1.0))
    t.start()
    assert ready.wait(timeout=30)
    try:
        try:
            got = grad(lambda y: y * box["x"])(5.0)
        except (hodiff.EscapedTracerError, RuntimeError, TypeError):
            pass
        else:
            # if allowed at all, the other thread's value is a constant here: d/dy (y * 1) = 1,
            # returned as a plain value (not a value traced by the other thread's call)
            assert not isinstance(got, hodiff.core.Box), f"got a traced value: {got!r}"
            assert float(got) == pytest.approx(1.0)
    finally:
        done.set()
        t.join(timeout=30)
    assert current_depth() == 0
