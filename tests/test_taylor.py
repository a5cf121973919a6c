"""Taylor mode: jet/taylor agree with nested derivatives to order 6 (tanh, sin∘exp, a small MLP),
every primitive with a Taylor rule agrees with nested forward mode on its spec rows, Taylor
coefficients can be differentiated by the other modes, and a primitive without a rule is named.
"""
import numpy as onp
import pytest
from spec import DIFF_SPECS, example

import hodiff.numpy as np
from hodiff import deriv, elementwise_grad, grad, jacfwd, jet, jvp, taylor
from hodiff.core import all_primitives

ORDER = 6


def nested(f, x, v, order):
    """Derivatives of t -> f(x + t v) at 0 by nesting forward mode `order` times."""
    out, g = [f(x)], (lambda t: f(x + t * v))
    for _ in range(order):
        g = deriv(g)
        out.append(g(0.0))
    return out


def _mlp(x):
    rng = onp.random.default_rng(0)
    W1, b1 = rng.normal(size=(5, 3)), rng.normal(size=5)
    W2, b2 = rng.normal(size=(4, 5)) * 0.5, rng.normal(size=4)
    w3 = rng.normal(size=4)
    h = np.tanh(np.dot(W1, x) + b1)
    h = np.exp(-np.square(np.matmul(W2, h) + b2))
    return np.sum(w3 * h) / (1.0 + np.sum(x ** 2))


CURVES = {
    "tanh": (np.tanh, onp.linspace(-2.0, 2.0, 5), onp.ones(5)),
    "sin(exp)": (lambda x: np.sin(np.exp(x)), onp.linspace(-1.0, 1.0, 4),
                 onp.array([1.0, -0.5, 0.3, 2.0])),
    "mlp": (_mlp, onp.array([0.3, -0.7, 1.1]), onp.array([0.5, 1.0, -0.2])),
}


@pytest.mark.parametrize("name", sorted(CURVES))
def test_taylor_matches_nested_derivatives_to_order_6(name):
    f, x, v = CURVES[name]
    got = taylor(f, x, v, ORDER)
    want = nested(f, x, v, ORDER)
    for k, (a, b) in enumerate(zip(got, want)):
        onp.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=f"order {k}")


def test_jet_takes_higher_input_terms_like_jax():
    # x(t) = t + t^2 (terms 1, 2, 0): exp(x(t)) = 1 + t + 3/2 t^2 + 7/6 t^3 + ...
    y, (terms,) = jet(lambda x: (np.exp(x),), (0.0,), ([1.0, 2.0, 0.0],))
    onp.testing.assert_allclose([float(y[0])] + [float(t) for t in terms], [1, 1, 3, 7])


def _row_curve(spec, args, kw):
    rng = onp.random.default_rng(1)
    vs = [rng.uniform(-0.3, 0.3, onp.shape(a)) for a in args]
    n = len(args)

    def along(x):  # x packs the arguments; direction packs the vs
        parts = [x[i] for i in range(n)] if n > 1 else [x]
        return spec.fun(*parts, **kw)
    if n == 1:
        return along, args[0], vs[0]
    if len({onp.shape(a) for a in args}) != 1:
        return None
    return along, onp.stack(args), onp.stack(vs)


def _rows_with_rules():
    rows = []
    for spec in DIFF_SPECS:
        prim = all_primitives().get(spec.name)
        if prim is not None and prim.taylor is not None:
            rows.append(pytest.param(spec, id=spec.id))
    return rows


@pytest.mark.parametrize("spec", _rows_with_rules())
def test_every_taylor_rule_matches_nested_forward_mode(spec):
    ran = 0
    for case in range(len(spec.cases)):
        args, kw = example(spec, case)
        curve = _row_curve(spec, args, kw)
        if curve is None:
            continue
        f, x, v = curve
        try:
            got = taylor(f, x, v, 3)
        except TypeError as e:
            if "no Taylor-mode rule" in str(e):
                continue  # the row's callable also uses a primitive without a rule
            raise
        want = nested(f, x, v, 3)
        for k, (a, b) in enumerate(zip(got, want)):
            onp.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9,
                                        err_msg=f"{spec.id} case {case} order {k}")
        ran += 1
    if not ran:
        pytest.skip("no case of this row has a shape Taylor mode can take along one curve")


def test_taylor_coefficients_are_differentiable():
    f = lambda x: np.sum(np.tanh(x) * np.sin(x))  # noqa: E731
    x, v = onp.array([0.3, -0.4]), onp.array([1.0, 0.5])
    third = lambda x: taylor(f, x, v, 3)[3]  # noqa: E731
    g = grad(third)(x)
    h = 1e-5
    fd = [(third(x + h * e) - third(x - h * e)) / (2 * h) for e in onp.eye(2)]
    onp.testing.assert_allclose(g, fd, rtol=1e-6)
    onp.testing.assert_allclose(jacfwd(third)(x), g, rtol=1e-10)


def test_taylor_of_a_gradient_and_jvp_inside():
    f = lambda x: np.sum(np.exp(x) * x)  # noqa: E731
    x, v = onp.array([0.2, -0.1]), onp.array([1.0, 1.0])
    got = taylor(grad(f), x, v, 3)
    want = nested(grad(f), x, v, 3)
    for a, b in zip(got, want):
        onp.testing.assert_allclose(a, b, rtol=1e-10)
    got = taylor(lambda x: jvp(f, (x,), (v,))[1], x, v, 2)
    want = nested(lambda x: jvp(f, (x,), (v,))[1], x, v, 2)
    for a, b in zip(got, want):
        onp.testing.assert_allclose(a, b, rtol=1e-10)


def test_elementwise_derivatives_of_tanh_by_both_routes():
    x = onp.linspace(-3, 3, 7)
    by_taylor = taylor(np.tanh, x, onp.ones_like(x), ORDER)
    g = np.tanh
    for k in range(1, ORDER + 1):
        g = elementwise_grad(g)
        onp.testing.assert_allclose(by_taylor[k], g(x), rtol=1e-9, atol=1e-9)


def test_a_primitive_without_a_rule_is_named():
    missing = [n for n, p in all_primitives().items() if p.taylor is None and n == "prod"]
    if not missing:
        pytest.skip("prod has a Taylor rule in this build")
    with pytest.raises(TypeError, match="no Taylor-mode rule for prod"):
        taylor(np.prod, onp.array([1.0, 2.0]), onp.ones(2), 2)


def test_bad_series_are_refused():
    with pytest.raises(ValueError, match="same number of terms"):
        jet(lambda x, y: x * y, (1.0, 2.0), ([1.0], [1.0, 0.0]))
    with pytest.raises(ValueError, match="one series per primal"):
        jet(np.sin, (1.0,), ())
