"""Nested derivatives: every composition of forward and reverse mode, perturbation confusion,
escaped tracers, higher orders, and vector-mode forward passes against one-at-a-time JVPs.

Expected values are closed forms or plain-numpy computations.
"""
import itertools
import math

import numpy as onp
import pytest
from hypothesis import Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import hodiff
import hodiff.numpy as np
from hodiff import EscapedTracerError, deriv, grad, hessian, jacfwd, jacrev, jvp, vjp

JACS = {"fwd": jacfwd, "rev": jacrev}

# The heavy property tests skip shrinking: a failure is reported at once with its example
# (shrinking nested Jacobians costs minutes on a small machine).
NO_SHRINK = settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])
PAIRS = list(itertools.product(JACS, repeat=2))


def fwd_d(f):
    """The derivative of a scalar function of a scalar by forward mode."""
    return deriv(f)


def jvp_d(f):
    """Forward mode through jvp (a second forward spelling)."""
    return lambda x: jvp(f, (x,), (1.0,))[1]


def rev_d(f):
    return grad(f)


def vjp_d(f):
    """Reverse mode through vjp (a second reverse spelling)."""
    return lambda x: vjp(f, x)[1](1.0)[0]


DERIVS = {"deriv": fwd_d, "jvp": jvp_d, "grad": rev_d, "vjp": vjp_d}
D_PAIRS = list(itertools.product(DERIVS, repeat=2))


# -- Hessians by the four compositions -------------------------------------------------------
def sizes_and_values(max_n=4, lo=-1.5, hi=1.5):
    return st.integers(1, max_n).flatmap(
        lambda n: hnp.arrays(onp.float64, n,
                             elements=st.floats(lo, hi, allow_subnormal=False)))


def quad_sin(M):
    def f(x):
        return 0.5 * np.dot(x, np.dot(M, x)) + np.sum(np.sin(x))

    def H(x):
        return 0.5 * (M + M.T) - onp.diag(onp.sin(x))
    return f, H


def logsumexp_f(x):
    return np.log(np.sum(np.exp(x)))


def logsumexp_H(x):
    p = onp.exp(x) / onp.sum(onp.exp(x))
    return onp.diag(p) - onp.outer(p, p)


def norm4_f(x):
    return np.dot(x, x) ** 2


def norm4_H(x):
    return 4 * (x @ x) * onp.eye(len(x)) + 8 * onp.outer(x, x)


def assert_four_hessians(f, x, H, rtol=1e-9, atol=1e-11):
    results = {}
    for outer, inner in PAIRS:
        results[outer, inner] = JACS[outer](JACS[inner](f))(x)
        got = results[outer, inner]
        assert onp.shape(got) == onp.shape(H), (outer, inner, onp.shape(got))
        onp.testing.assert_allclose(got, H, rtol=rtol, atol=atol,
                                    err_msg=f"{outer} over {inner}")
    for key, value in results.items():
        onp.testing.assert_allclose(value, results["rev", "rev"], rtol=rtol, atol=atol,
                                    err_msg=f"{key} vs rev over rev")
    onp.testing.assert_allclose(hessian(f)(x), H, rtol=rtol, atol=atol, err_msg="hessian")


@NO_SHRINK
@given(x=sizes_and_values(), seed=st.integers(0, 1000))
def test_four_hessians_quadratic_plus_sin(x, seed):
    M = onp.random.default_rng(seed).standard_normal((len(x), len(x)))
    f, H = quad_sin(M)
    assert_four_hessians(f, x, H(x))


@NO_SHRINK
@given(x=sizes_and_values())
def test_four_hessians_logsumexp(x):
    assert_four_hessians(logsumexp_f, x, logsumexp_H(x))


@NO_SHRINK
@given(x=sizes_and_values())
def test_four_hessians_norm4(x):
    assert_four_hessians(norm4_f, x, norm4_H(x))


@NO_SHRINK
@given(X=hnp.arrays(onp.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=3),
                    elements=st.floats(-2, 2, allow_subnormal=False)))
def test_four_hessians_matrix_input(X):
    # f(X) = sum(X^3) + sum(X X^T): H[(a,b),(c,d)] = 6 X_ab [a=c, b=d] + 2 [b=d]
    def f(X):
        return np.sum(X ** 3) + np.sum(np.dot(X, X.T))

    m, n = X.shape
    H = onp.zeros((m, n, m, n))
    for a, b, c in itertools.product(range(m), range(n), range(m)):
        H[a, b, c, b] += 2.0
        if a == c:
            H[a, b, a, b] += 6 * X[a, b]
    assert_four_hessians(f, X, H)


def test_four_hessians_scalar():
    def f(x):
        return np.exp(np.sin(x))

    x = 0.7
    H = math.exp(math.sin(x)) * (math.cos(x) ** 2 - math.sin(x))
    assert_four_hessians(f, x, H)


# Complex input, real output. Under the convention grad f = du/dx - i du/dy, the Hessian (the
# derivative of the gradient, again by the convention) is H[k, j] = u_{x_k x_j} - i u_{x_k y_j}.
def complex_case(n, seed):
    rng = onp.random.default_rng(seed)
    Q = rng.standard_normal((n, n))
    w = rng.standard_normal(n)
    S = Q.T - Q

    def f(z):
        # Re(i conj(z)^T Q z) = x^T (Q^T - Q) y; Re(z^3) = x^3 - 3 x y^2; |z|^4 = (x^2 + y^2)^2
        return (np.real(1j * np.dot(np.conj(z), np.dot(Q, z))) + np.sum(w * np.real(z ** 3))
                + np.sum(np.abs(z) ** 4))

    def u(x, y):
        return x @ S @ y + onp.sum(w * (x ** 3 - 3 * x * y ** 2)) + onp.sum((x * x + y * y) ** 2)

    def grad_conv(z):
        x, y = z.real, z.imag
        r2 = x * x + y * y
        ux = S @ y + 3 * w * (x * x - y * y) + 4 * x * r2
        uy = S.T @ x - 6 * w * x * y + 4 * y * r2
        return ux - 1j * uy

    def hess_conv(z):
        x, y = z.real, z.imag
        r2 = x * x + y * y
        uxx = onp.diag(6 * w * x + 4 * r2 + 8 * x * x)
        uxy = S + onp.diag(-6 * w * y + 8 * x * y)
        return uxx - 1j * uxy

    return f, u, grad_conv, hess_conv


@NO_SHRINK
@given(n=st.integers(1, 3), seed=st.integers(0, 1000),
       re=hnp.arrays(onp.float64, 3, elements=st.floats(-1.5, 1.5, allow_subnormal=False)),
       im=hnp.arrays(onp.float64, 3, elements=st.floats(-1.5, 1.5, allow_subnormal=False)))
def test_complex_input_real_output_gradient(n, seed, re, im):
    f, u, grad_conv, _ = complex_case(n, seed)
    z = re[:n] + 1j * im[:n]
    assert f(z) == pytest.approx(u(z.real, z.imag), rel=1e-12, abs=1e-12)
    expected = grad_conv(z)
    onp.testing.assert_allclose(grad(f)(z), expected, rtol=1e-10, atol=1e-12)
    for name, op in JACS.items():
        onp.testing.assert_allclose(op(f)(z), expected, rtol=1e-10, atol=1e-12,
                                    err_msg=f"jac{name} of a real function of complex input")


@NO_SHRINK
@given(n=st.integers(1, 3), seed=st.integers(0, 1000),
       re=hnp.arrays(onp.float64, 3, elements=st.floats(-1.5, 1.5, allow_subnormal=False)),
       im=hnp.arrays(onp.float64, 3, elements=st.floats(-1.5, 1.5, allow_subnormal=False)))
def test_four_hessians_complex_input_real_output(n, seed, re, im):
    f, _, _, hess_conv = complex_case(n, seed)
    z = re[:n] + 1j * im[:n]
    assert_four_hessians(f, z, hess_conv(z))


def test_complex_hessian_matches_real_coordinates_finite_differences():
    # The closed-form convention Hessian above, checked against second differences of u.
    n = 2
    _, u, _, hess_conv = complex_case(n, 5)
    z = onp.array([0.3 - 0.8j, -1.1 + 0.4j])
    e = 1e-4
    H = hess_conv(z)
    x, y = z.real, z.imag
    for k, j in itertools.product(range(n), repeat=2):
        ek, ej = onp.eye(n)[k] * e, onp.eye(n)[j] * e
        uxx = (u(x + ek + ej, y) - u(x + ek - ej, y) - u(x - ek + ej, y)
               + u(x - ek - ej, y)) / (4 * e * e)
        uxy = (u(x + ek, y + ej) - u(x + ek, y - ej) - u(x - ek, y + ej)
               + u(x - ek, y - ej)) / (4 * e * e)
        assert H[k, j] == pytest.approx(uxx - 1j * uxy, rel=1e-5, abs=1e-6)


# -- perturbation confusion -------------------------------------------------------------------
@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_confusion_x_times_d_dy_x_plus_y(outer, inner):
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1 (the classic Siskind-Pearlmutter case)
    def f(x):
        return x * DERIVS[inner](lambda y: x + y)(1.0)

    for x in (1.0, 2.5):
        assert DERIVS[outer](f)(x) == pytest.approx(1.0, abs=1e-14)


@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_confusion_x_times_grad_of_x_times_y(outer, inner):
    # grad(x -> x * grad(y -> x * y)(2))(1) = d/dx [x * x] at 1 = 2
    def f(x):
        return x * DERIVS[inner](lambda y: x * y)(2.0)

    assert DERIVS[outer](f)(1.0) == pytest.approx(2.0, abs=1e-14)
    assert DERIVS[outer](f)(3.0) == pytest.approx(6.0, abs=1e-14)


@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_confusion_inner_evaluated_at_outer_variable(outer, inner):
    # f(x) = D_y[y * (x - y)] at y = x = (x - 2y)|_{y=x} = -x, so f'(x) = -1
    def f(x):
        return DERIVS[inner](lambda y: y * (x - y))(x)

    for x in (0.5, 2.0):
        assert f(x) == pytest.approx(-x)
        assert DERIVS[outer](f)(x) == pytest.approx(-1.0, abs=1e-14)


@pytest.mark.parametrize("modes", list(itertools.product(["deriv", "grad"], repeat=3)))
def test_confusion_three_levels(modes):
    # d/dx [x * d/dy [x * y * d/dz (x * y * z)]]: innermost = x y, middle g(y) = x^2 y^2 -> 2x^2 y
    # at y = 1 gives 2 x^2; outer h(x) = 2 x^3 -> 6 x^2
    d0, d1, d2 = (DERIVS[m] for m in modes)

    def h(x):
        return x * d1(lambda y: x * y * d2(lambda z: x * y * z)(0.5))(1.0)

    for x in (1.0, 1.5):
        assert h(x) == pytest.approx(2 * x ** 3)
        assert d0(h)(x) == pytest.approx(6 * x ** 2, rel=1e-14)


@pytest.mark.parametrize("outer,inner", PAIRS)
def test_confusion_with_arrays(outer, inner):
    # F(x) = x * sum_j d/dy_j [sum(x * y)] = x * sum(x): J = sum(x) I + outer(x, 1)
    def F(x):
        inner_grad = JACS[inner](lambda y: np.sum(x * y))(onp.ones(3))
        return x * np.sum(inner_grad)

    x = onp.array([0.5, -1.0, 2.0])
    onp.testing.assert_allclose(JACS[outer](F)(x),
                                onp.sum(x) * onp.eye(3) + onp.outer(x, onp.ones(3)),
                                rtol=1e-13, atol=1e-14)


def either_right_or_escaped(compute, expected):
    """The result must be `expected`, or the call must raise EscapedTracerError."""
    try:
        got = compute()
    except EscapedTracerError:
        return
    assert got == pytest.approx(expected, rel=1e-12), "a silently wrong derivative"


@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_closure_mutating_state_between_inner_calls_plain(outer, inner):
    # No traced value escapes: the answer must simply be right.
    def f(x):
        state = {"scale": 1.0, "c": x}

        def g(y):
            return state["scale"] * state["c"] * y ** 2

        a = DERIVS[inner](g)(1.0)          # 2 x
        state["scale"] = 3.0
        state["c"] = state["c"] * x        # x^2: a value of the live outer derivative
        b = DERIVS[inner](g)(1.0)          # 6 x^2
        return a * b                       # 12 x^3

    for x in (0.5, 2.0):
        assert f(x) == pytest.approx(12 * x ** 3)
        assert DERIVS[outer](f)(x) == pytest.approx(36 * x ** 2, rel=1e-14)


@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_closure_stores_inner_traced_value_between_calls(outer, inner):
    # The first inner call leaves its traced value in captured state; the second inner call,
    # at the same nesting depth, reads it. With depth-numbered tags the old value is taken for
    # the new call's variable and the derivative is silently wrong. Right answer: the stored
    # value x * y1 (y1 = 1.5) is, for the second call, a constant depending on x only:
    # a = D_y (x y) = x; b = D_y (stored * y) = 1.5 x; f = a * b = 1.5 x^2 -> f' = 3 x.
    def f(x):
        store = []

        def g(y):
            v = x * y
            store.append(v)
            return v

        a = DERIVS[inner](g)(1.5)
        b = DERIVS[inner](lambda y: store[0] * y)(2.0)
        return a * b

    either_right_or_escaped(lambda: DERIVS[outer](f)(2.0), 6.0)


@pytest.mark.parametrize("outer,inner", D_PAIRS)
def test_closure_accumulates_inner_traced_value(outer, inner):
    # Inner derivatives of a function that keeps a running product in captured state.
    # Right answer with stored values treated as constants of the later calls:
    # call 1 at y=2: acc = x*y, D = x, acc -> 2x; call 2 at y=3: acc = 2x * y, D = 2x.
    # f = x * 2x = 2x^2 -> f' = 4x.
    def f(x):
        state = {"acc": x}

        def g(y):
            state["acc"] = state["acc"] * y
            return state["acc"]

        return DERIVS[inner](g)(2.0) * DERIVS[inner](g)(3.0)

    either_right_or_escaped(lambda: DERIVS[outer](f)(1.5), 6.0)


# -- escaped tracers --------------------------------------------------------------------------
LEAKED = []


@pytest.mark.parametrize("op", ["deriv", "jvp", "grad", "vjp"])
def test_escaped_tracer_raises_clear_error(op):
    LEAKED.clear()

    def f(x):
        y = np.sin(x)
        LEAKED.append(y)
        return y * x

    assert DERIVS[op](f)(0.3) == pytest.approx(math.cos(0.3) * 0.3 + math.sin(0.3))
    leaked = LEAKED[0]
    for use in (lambda: np.exp(leaked), lambda: leaked + 1.0, lambda: leaked * leaked,
                lambda: np.sum(leaked), lambda: 2.0 - leaked):
        with pytest.raises(EscapedTracerError) as info:
            use()
        msg = str(info.value)
        # says what happened (a traced value outliving its derivative call) and the fixes
        assert "traced value" in msg and "derivative call" in msg
        assert "stop_gradient" in msg and "return" in msg.lower()
    # inside a new derivative call too, not mistaken for that call's variable
    with pytest.raises(EscapedTracerError):
        grad(lambda z: leaked * z)(1.0)
    with pytest.raises(EscapedTracerError):
        deriv(lambda z: z * leaked)(1.0)
    # the plain value is still reachable on purpose
    assert float(leaked) == pytest.approx(math.sin(0.3))
    LEAKED.clear()
    assert hodiff.core.current_depth() == 0


def test_escaped_tracer_error_is_a_runtime_error_subclass():
    assert issubclass(EscapedTracerError, Exception)
    assert hodiff.EscapedTracerError is EscapedTracerError


# -- higher orders in mixed modes -------------------------------------------------------------
@pytest.mark.parametrize("modes", list(itertools.product(DERIVS, repeat=3)))
def test_third_derivative_mixed_modes(modes):
    def f(x):
        return np.exp(x) * np.sin(x)

    d = f
    for m in modes:
        d = DERIVS[m](d)
    # (e^x sin x)''' = 2 e^x (cos x - sin x)
    for x in (0.3, -1.1):
        assert d(x) == pytest.approx(2 * math.exp(x) * (math.cos(x) - math.sin(x)), rel=1e-12)


@pytest.mark.parametrize("modes", list(itertools.product(["deriv", "grad"], repeat=4)))
def test_fourth_derivative_mixed_modes(modes):
    d = np.sin
    for m in modes:
        d = DERIVS[m](d)
    for x in (0.4, 2.0):
        assert d(x) == pytest.approx(math.sin(x), rel=1e-12)

    def g(x):
        return np.exp(x) * np.sin(x)

    d = g
    for m in modes:
        d = DERIVS[m](d)
    # (e^x sin x)'''' = -4 e^x sin x
    assert d(0.7) == pytest.approx(-4 * math.exp(0.7) * math.sin(0.7), rel=1e-12)


@pytest.mark.parametrize("modes", list(itertools.product(JACS, repeat=3)))
def test_third_derivative_tensor(modes):
    # f(x) = sum(x^4) / 4 + x0 x1 x2: T_ijk = 6 x_i [i=j=k] + 1 for {i,j,k} = {0,1,2}
    def f(x):
        return np.sum(x ** 4) / 4 + x[0] * x[1] * x[2]

    x = onp.array([0.5, -1.0, 2.0])
    T = onp.zeros((3, 3, 3))
    for i in range(3):
        T[i, i, i] = 6 * x[i]
    for p in itertools.permutations(range(3)):
        T[p] += 1.0
    d = f
    for m in modes:
        d = JACS[m](d)
    onp.testing.assert_allclose(d(x), T, rtol=1e-12, atol=1e-14)


def test_high_order_polynomial_all_grad():
    # d^k/dx^k x^6 = 6!/(6-k)! x^(6-k); and the 7th derivative is zero
    def d(x):
        return x ** 6

    x = 1.3
    for k in range(1, 7):
        d = (grad if k % 2 else deriv)(d)
        expected = math.factorial(6) / math.factorial(6 - k) * x ** (6 - k)
        assert d(x) == pytest.approx(expected, rel=1e-12)


# -- vector-mode forward passes ---------------------------------------------------------------
def comp1(x):  # R^n -> R^(n+2): broadcasting, reductions, concatenation, indexing
    y = np.tanh(x[:, None] * x[None, :])
    z = np.concatenate([np.sum(y, axis=0), np.array([np.max(x), np.prod(np.cos(x))])])
    return z * np.exp(-x[0])


def comp2(x):  # R^n -> R^(2, n): matmul, transpose, cumsum, where, flip
    M = np.outer(x, np.sin(x))
    v = np.matmul(M.T, x) + np.cumsum(x ** 2)
    return np.stack([np.where(x > 0, v, -v), np.flip(np.sqrt(x * x + 1.0))])


def comp3(x):  # R^n -> R^n: einsum, reshape, clip, fancy indexing, division, power
    n = x.shape[0]
    w = np.einsum("i,j->ij", x, x).reshape(n * n)[onp.arange(n) * (n + 1)]
    return np.clip(w, -2.0, 2.0) / (1.0 + x ** 2) + np.abs(x) ** 1.5


COMPOSITES = [comp1, comp2, comp3]


@pytest.mark.parametrize("f", COMPOSITES, ids=lambda f: f.__name__)
@NO_SHRINK
@given(x=st.integers(2, 4).flatmap(
    lambda n: hnp.arrays(onp.float64, n, elements=st.floats(0.1, 1.5) | st.floats(-1.5, -0.1))))
def test_jacfwd_equals_stacked_jvps(f, x):
    n = x.shape[0]
    # no ties for max (its derivative at a tie is a convention, not a limit)
    assume(n < 2 or onp.min(onp.diff(onp.sort(x))) > 1e-3)
    J = jacfwd(f)(x)
    out_shape = onp.shape(f(x))
    assert J.shape == out_shape + (n,)
    columns = [jvp(f, (x,), (onp.eye(n)[i],))[1] for i in range(n)]
    onp.testing.assert_allclose(J, onp.stack(columns, axis=-1), rtol=1e-12, atol=1e-13)
    onp.testing.assert_allclose(J, jacrev(f)(x), rtol=1e-10, atol=1e-12)
    # and finite differences (all branches here are locally constant away from 0)
    e = 1e-6
    fd = onp.stack([(f(x + e * onp.eye(n)[i]) - f(x - e * onp.eye(n)[i])) / (2 * e)
                    for i in range(n)], axis=-1)
    onp.testing.assert_allclose(J, fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("f", COMPOSITES, ids=lambda f: f.__name__)
def test_jacfwd_of_jacfwd_equals_stacked_nested_jvps(f):
    x = onp.array([0.7, -0.4, 1.2])
    n = 3
    H = jacfwd(jacfwd(f))(x)
    E = onp.eye(n)
    stacked = onp.stack([
        onp.stack([jvp(lambda x, i=i: jvp(f, (x,), (E[i],))[1], (x,), (E[j],))[1]
                   for i in range(n)], axis=-1) for j in range(n)], axis=-1)
    onp.testing.assert_allclose(H, stacked, rtol=1e-11, atol=1e-12)
    onp.testing.assert_allclose(H, jacrev(jacrev(f))(x), rtol=1e-9, atol=1e-11)


def test_jacfwd_inside_grad_and_grad_inside_jacfwd():
    # grad of a scalar built from a jacfwd, and jacfwd of a grad, on f(x) = sum(sin(x) * x^2)
    def f(x):
        return np.sum(np.sin(x) * x ** 2)

    def d1(x):
        return onp.cos(x) * x ** 2 + 2 * x * onp.sin(x)

    def d2(x):
        return -onp.sin(x) * x ** 2 + 4 * x * onp.cos(x) + 2 * onp.sin(x)

    def d3(x):
        return -onp.cos(x) * x ** 2 - 6 * x * onp.sin(x) + 6 * onp.cos(x)

    def tr(x):  # the trace of the Hessian, itself differentiated below
        return np.trace(jacfwd(grad(f))(x))

    x = onp.array([0.3, -0.8, 1.4])
    assert tr(x) == pytest.approx(onp.sum(d2(x)))
    onp.testing.assert_allclose(grad(tr)(x), d3(x), rtol=1e-12)
    onp.testing.assert_allclose(jacfwd(grad(f))(x), onp.diag(d2(x)), rtol=1e-12, atol=1e-14)
    onp.testing.assert_allclose(grad(lambda x: np.sum(jacfwd(f)(x)))(x), d2(x), rtol=1e-12)
    onp.testing.assert_allclose(jacfwd(jacrev(jacfwd(f)))(x).diagonal().diagonal(), d3(x),
                                rtol=1e-12)
    onp.testing.assert_allclose(d1(x), jacfwd(f)(x), rtol=1e-12)


def test_constructors_inside_rules_make_constants_one_level_down():
    # A partial derivative that calls hodiff.numpy's constructors (ones_like) and jvp inside
    # the rule: under three nested forward calls the third derivative must keep every term (a
    # constant made at the level of the rule's own call once dropped them all, giving 0).
    from hodiff.numpy.shorthand import elementwise

    def d_ds(ans, s, q):
        return jvp(lambda s: np.power(q, -s), (s,), (np.ones_like(s) * 1.0,))[1]

    qpow = elementwise(lambda s, q: onp.power(q, -s), d_ds,
                       lambda ans, s, q: -s * qpow(s + 1, q), name="qpow", register=False)
    x, v = onp.array([[1.1, 2.1], [0.5, 0.4]]), onp.array([[0.1, 0.27], [-0.2, 0.26]])
    by_rule = lambda t: qpow(*(x + t * v))  # noqa: E731
    by_power = lambda t: np.power(x[1] + t * v[1], -(x[0] + t * v[0]))  # noqa: E731
    onp.testing.assert_allclose(deriv(deriv(deriv(by_rule)))(0.0),
                                deriv(deriv(deriv(by_power)))(0.0), rtol=1e-10)
