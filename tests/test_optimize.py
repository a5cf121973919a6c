"""hodiff.optimize: scipy's optimizers fed hodiff's derivatives."""
import io

import numpy
import pytest

import hodiff
import hodiff.numpy as np
from hodiff import optimize

scipy_optimize = pytest.importorskip("scipy.optimize")


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def logistic_problem(n=10_000, d=10, seed=0):
    rng = numpy.random.default_rng(seed)
    A = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = (rng.random(n) < 1 / (1 + numpy.exp(-A @ w_true))).astype(float)

    def loss(w):
        z = A @ w
        # mean of log(1 + exp(z)) - y z, written stably, plus a small ridge
        return np.mean(np.logaddexp(0.0, z) - y * z) + 1e-3 * np.sum(w ** 2)
    return loss, d


@pytest.mark.parametrize("method,options", [
    ("trust-ncg", {"gtol": 1e-10}),
    ("Newton-CG", {"xtol": 1e-14, "maxiter": 2000}),
])
def test_rosenbrock_100(method, options):
    x0 = numpy.linspace(-1.2, 1.2, 100)
    res = optimize.minimize(rosenbrock, x0, method=method, options=options)
    assert numpy.linalg.norm(hodiff.grad(rosenbrock)(res.x)) <= 1e-8
    numpy.testing.assert_allclose(res.x, numpy.ones(100), atol=1e-6)


@pytest.mark.parametrize("method,options", [
    ("trust-ncg", {"gtol": 1e-10}),
    ("Newton-CG", {"xtol": 1e-14}),
])
def test_logistic_regression(method, options):
    loss, d = logistic_problem()
    res = optimize.minimize(loss, numpy.zeros(d), method=method, options=options)
    assert numpy.linalg.norm(hodiff.grad(loss)(res.x)) <= 1e-8


def test_hessp_handed_to_scipy_is_the_dense_hessian(monkeypatch):
    seen = {}
    real = scipy_optimize.minimize

    def spy(fun, x0, **kw):
        seen.update(kw, fun=fun)
        return real(fun, x0, **kw)

    monkeypatch.setattr(scipy_optimize, "minimize", spy)
    x0 = numpy.linspace(-1.2, 1.2, 8)
    optimize.minimize(rosenbrock, x0, method="trust-krylov")
    rng = numpy.random.default_rng(1)
    H = hodiff.hessian(rosenbrock)(x0)
    for _ in range(3):
        x, p = rng.standard_normal(8), rng.standard_normal(8)
        dense = scipy_optimize.rosen_hess(x)  # scipy's closed form
        numpy.testing.assert_allclose(seen["hessp"](x, p), dense @ p, rtol=1e-10)
    numpy.testing.assert_allclose(seen["hessp"](x0, numpy.eye(8)[2]), H[2], rtol=1e-10)
    value, g = seen["fun"](x0)  # value and gradient from one pass
    assert value == pytest.approx(float(rosenbrock(x0)))
    numpy.testing.assert_allclose(g, hodiff.grad(rosenbrock)(x0))


def test_hessp_reuses_one_linearization_per_point():
    obj = optimize.Objective(rosenbrock, numpy.linspace(-1.0, 1.0, 6))
    x = obj.x0
    for p in numpy.eye(6):
        obj.hessp(x, p)
    obj.hessp(x + 1.0, numpy.ones(6))
    assert obj.counts["hessp"] == 7 and obj.counts["hessp_points"] == 2


def test_dict_x0_round_trip_and_callback():
    x0 = {"w": numpy.zeros((2, 2)), "b": (numpy.zeros(3), 1.0)}

    def f(p):
        return np.sum((p["w"] - 2.0) ** 2) + np.sum((p["b"][0] + 1.0) ** 2) + (p["b"][1] - 3) ** 2

    seen = []
    res = optimize.minimize(f, x0, method="BFGS", callback=seen.append)
    assert set(res.x) == {"w", "b"} and isinstance(res.x["b"], tuple)
    assert res.x["w"].shape == (2, 2) and res.x["b"][0].shape == (3,)
    numpy.testing.assert_allclose(res.x["w"], 2.0, atol=1e-6)
    numpy.testing.assert_allclose(res.x["b"][0], -1.0, atol=1e-6)
    assert float(res.x["b"][1]) == pytest.approx(3.0, abs=1e-6)
    assert seen and isinstance(seen[0], dict)


@pytest.mark.parametrize("method", ["trust-exact", "L-BFGS-B", "CG", "trust-constr"])
def test_other_methods(method):
    x0 = numpy.linspace(-1.2, 1.2, 6)
    res = optimize.minimize(rosenbrock, x0, method=method,
                            options={"maxiter": 5000} if method != "trust-exact" else {})
    numpy.testing.assert_allclose(res.x, numpy.ones(6), atol=1e-3)


def test_slsqp_with_constraints():
    # minimize x.x subject to sum(x) = 1 and x0 >= 0.4: x = (0.4, 0.3, 0.3)
    cons = [{"type": "eq", "fun": lambda x: np.sum(x) - 1.0},
            {"type": "ineq", "fun": lambda x: x[0] - 0.4}]
    res = optimize.minimize(lambda x: np.sum(x ** 2), numpy.zeros(3), method="SLSQP",
                            constraints=cons)
    numpy.testing.assert_allclose(res.x, [0.4, 0.3, 0.3], atol=1e-6)


def test_progress_bar():
    stream = io.StringIO()
    bar = optimize._Progress(optimize.Objective(rosenbrock, numpy.zeros(3)), stream)
    bar(numpy.zeros(3))
    bar.close()
    assert "iter     1" in stream.getvalue() and "|grad|" in stream.getvalue()
    res = optimize.minimize(rosenbrock, numpy.zeros(3), method="BFGS", progress=True)
    assert res.success


@pytest.mark.parametrize("jac", ["auto", "fwd", "rev"])
def test_least_squares(jac):
    t = numpy.linspace(0.0, 1.0, 30)
    res = optimize.least_squares(
        lambda p: p["a"] * np.exp(p["k"] * t) - 2.0 * np.exp(-0.5 * t),
        {"a": 1.0, "k": 0.0}, jac=jac)
    assert float(res.x["a"]) == pytest.approx(2.0, abs=1e-7)
    assert float(res.x["k"]) == pytest.approx(-0.5, abs=1e-7)


def test_jacobian_by_shape_matches_both_modes():
    f = lambda v: np.sin(v[:2] * v[1:])  # noqa: E731
    v = numpy.array([0.3, 0.5, 0.7])
    want = hodiff.jacfwd(f)(v)
    for mode in ("auto", "fwd", "rev"):
        numpy.testing.assert_allclose(optimize.jacobian_by_shape(f, mode)(v), want)
    with pytest.raises(ValueError):
        optimize.jacobian_by_shape(f, "sideways")


def test_root():
    res = optimize.root(lambda x: np.array([x[0] ** 2 - 2.0, x[0] * x[1] - 1.0]),
                        numpy.array([1.0, 1.0]))
    numpy.testing.assert_allclose(res.x, [numpy.sqrt(2), 1 / numpy.sqrt(2)], rtol=1e-10)
