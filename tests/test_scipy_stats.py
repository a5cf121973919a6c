"""hodiff.scipy.stats: each distribution's values match scipy's, its derivatives with respect
to the value and every continuous parameter match central finite differences of scipy's own
function (forward and reverse mode), and second derivatives pass check_grads in both modes.
Frozen distributions and autograd's module paths work too.
"""
from __future__ import annotations

import importlib

import numpy as onp
import pytest
import scipy.stats as st

from hodiff import deriv, grad
from hodiff.scipy.stats._linalg import has_linalg_rules
from hodiff.test_util import check_grads

# (distribution, method, arguments, positions with a derivative)
CONT = [
    ("norm", (0.3, 0.5, 1.7)),
    ("t", (0.3, 3.5, 0.2, 1.3)),
    ("t", (-4.0, 2.5, 0.2, 1.3)),  # the tail form of the cdf
    ("gamma", (1.7, 2.3, 0.1, 1.2)),
    ("beta", (0.4, 2.2, 3.1, 0.05, 1.1)),
    ("chi2", (2.1, 3.3, 0.1, 1.1)),
    ("expon", (0.9, 0.2, 1.5)),
    ("laplace", (0.9, 0.2, 1.5)),
    ("cauchy", (0.9, 0.2, 1.5)),
    ("logistic", (0.9, 0.2, 1.5)),
    ("lognorm", (1.4, 0.6, 0.1, 1.3)),
    ("uniform", (0.9, 0.2, 1.5)),
]
CONT_METHODS = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]
QUANTILE = {"norm", "t", "gamma", "beta", "chi2", "expon", "laplace", "cauchy", "logistic",
            "lognorm", "uniform"}
CASES = []
for name, args in CONT:
    for method in CONT_METHODS:
        CASES.append((name, method, args, tuple(range(len(args)))))
    if name in QUANTILE:
        q_args = (0.3,) + args[1:]
        CASES.append((name, "ppf", q_args, tuple(range(len(args)))))
        CASES.append((name, "isf", q_args, tuple(range(len(args)))))
    CASES.append((name, "entropy", args[1:], tuple(range(len(args) - 1))))
DISCRETE = [
    ("poisson", (3.0, 2.4), (1,)),
    ("binom", (3.0, 8, 0.35), (2,)),
    ("nbinom", (3.0, 2.5, 0.4), (1, 2)),
]
for name, args, diff in DISCRETE:
    for method in ["logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"]:
        CASES.append((name, method, args, diff))
    CASES.append((name, "entropy", args[1:], tuple(i - 1 for i in diff)))


def _hodiff(name):
    return importlib.import_module(f"hodiff.scipy.stats.{name}")


def _fd(fun, args, i, h=1e-6):
    up, down = list(args), list(args)
    h = h * max(1.0, abs(args[i]))
    up[i] += h
    down[i] -= h
    return (fun(*up) - fun(*down)) / (2 * h)


@pytest.mark.parametrize("name,method,args,diff", CASES,
                         ids=[f"{c[0]}.{c[1]}" for c in CASES])
def test_value_and_derivatives_match_scipy(name, method, args, diff):
    ours, theirs = getattr(_hodiff(name), method), getattr(getattr(st, name), method)
    onp.testing.assert_allclose(ours(*args), theirs(*args), rtol=1e-10, atol=1e-12)
    for i in diff:
        expected = _fd(theirs, args, i)
        onp.testing.assert_allclose(grad(ours, argnum=i)(*args), expected, rtol=1e-5,
                                    atol=1e-8, err_msg=f"reverse, argument {i}")
        onp.testing.assert_allclose(deriv(ours, argnum=i)(*args), expected, rtol=1e-5,
                                    atol=1e-8, err_msg=f"forward, argument {i}")


SECOND = [c for c in CASES if c[1] in ("logpdf", "logpmf", "cdf", "ppf", "entropy")]


@pytest.mark.parametrize("name,method,args,diff", SECOND,
                         ids=[f"{c[0]}.{c[1]}" for c in SECOND])
def test_second_derivatives(name, method, args, diff):
    fun = getattr(_hodiff(name), method)
    fixed = list(args)

    def of_params(p):
        full = list(fixed)
        for k, i in enumerate(diff):
            full[i] = p[k]
        return fun(*full)

    check_grads(of_params, modes=("fwd", "rev"), order=2, rtol=1e-4, atol=1e-7)(
        onp.array([float(args[i]) for i in diff]))


def test_arrays_broadcast_like_scipy():
    import hodiff.scipy.stats as stats
    x = onp.linspace(-1, 2, 6).reshape(2, 3)
    loc, scale = onp.array([0.1, 0.2, 0.3]), 1.5
    onp.testing.assert_allclose(stats.norm.logpdf(x, loc, scale), st.norm.logpdf(x, loc, scale))
    onp.testing.assert_allclose(stats.gamma.cdf(x, 2.0), st.gamma.cdf(x, 2.0), atol=1e-15)
    onp.testing.assert_allclose(stats.beta.logpdf(x, 2.0, 3.0), st.beta.logpdf(x, 2.0, 3.0))
    onp.testing.assert_allclose(stats.expon.logcdf(x), st.expon.logcdf(x))
    g = grad(lambda loc: stats.norm.logpdf(x, loc, scale).sum())(loc)
    onp.testing.assert_allclose(g, ((x - loc) / scale ** 2).sum(axis=0))


def test_frozen_and_autograd_paths():
    import hodiff.scipy.stats.norm as norm
    from hodiff.scipy import stats
    assert stats.norm is norm
    frozen = norm(0.5, 2.0)
    onp.testing.assert_allclose(frozen.logpdf(1.0), st.norm(0.5, 2.0).logpdf(1.0))
    onp.testing.assert_allclose(frozen.entropy(), st.norm(0.5, 2.0).entropy())
    onp.testing.assert_allclose(stats.gamma(2.0, scale=3.0).cdf(4.0),
                                st.gamma(2.0, scale=3.0).cdf(4.0))
    g = grad(lambda s: norm(0.0, s).logpdf(1.0))(2.0)
    onp.testing.assert_allclose(g, -1 / 2.0 + 1 / 2.0 ** 3)


def test_dirichlet():
    from hodiff.scipy.stats import dirichlet
    alpha = onp.array([1.5, 2.0, 3.0])
    x = onp.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]).T
    onp.testing.assert_allclose(dirichlet.logpdf(x, alpha), st.dirichlet.logpdf(x, alpha))
    onp.testing.assert_allclose(dirichlet.entropy(alpha), st.dirichlet.entropy(alpha))
    onp.testing.assert_allclose(dirichlet(alpha).mean(), st.dirichlet.mean(alpha))
    onp.testing.assert_allclose(dirichlet.var(alpha), st.dirichlet.var(alpha))
    for fun, ref in [(lambda a: dirichlet.logpdf(x[:, 0], a), lambda a: st.dirichlet.logpdf(
            x[:, 0], a)), (dirichlet.entropy, st.dirichlet.entropy)]:
        fd = [(ref(alpha + h) - ref(alpha - h)) / 2e-6 for h in onp.eye(3) * 1e-6]
        onp.testing.assert_allclose(grad(fun)(alpha), fd, rtol=1e-6)
        check_grads(fun, modes=("fwd", "rev"), order=2)(alpha)
    # in x, off the simplex constraint: the log density is a plain function of each x_i
    check_grads(lambda x: dirichlet.logpdf(x, alpha), modes=("fwd", "rev"), order=2)(x[:, 0])


X2 = onp.array([[0.3, -0.2], [1.0, 0.5]])
MEAN = onp.array([0.1, 0.2])
COV = onp.array([[1.0, 0.3], [0.3, 2.0]])


def _sym_fd(ref, cov, h=1e-6):
    # derivative along each entry of cov (the matrix as given, not symmetrized)
    out = onp.zeros_like(cov)
    for idx in onp.ndindex(*cov.shape):
        e = onp.zeros_like(cov)
        e[idx] = h
        out[idx] = (ref(cov + e) - ref(cov - e)) / (2 * h)
    return out


def _check_multivariate():
    from hodiff.scipy.stats import multivariate_normal as mvn
    from hodiff.scipy.stats import multivariate_t as mvt
    onp.testing.assert_allclose(mvn.logpdf(X2, MEAN, COV), st.multivariate_normal.logpdf(
        X2, MEAN, COV))
    onp.testing.assert_allclose(mvn(MEAN, COV).entropy(), st.multivariate_normal(
        MEAN, COV).entropy())
    onp.testing.assert_allclose(mvt.logpdf(X2, MEAN, COV, 3.5), st.multivariate_t.logpdf(
        X2, MEAN, COV, 3.5))
    onp.testing.assert_allclose(mvt.entropy(MEAN, COV, 3.5), st.multivariate_t.entropy(
        MEAN, COV, 3.5))
    # cov: lower triangle read by the Cholesky factor, as scipy's value also depends on it
    # symmetrically; compare along symmetric directions.
    def sym(c):
        return 0.5 * (c + c.T)
    for ours, ref in [
        (lambda c: mvn.logpdf(X2, MEAN, sym(c)).sum(),
         lambda c: st.multivariate_normal.logpdf(X2, MEAN, sym(c)).sum()),
        (lambda c: mvt.logpdf(X2, MEAN, sym(c), 3.5).sum(),
         lambda c: st.multivariate_t.logpdf(X2, MEAN, sym(c), 3.5).sum()),
        (lambda c: mvn.entropy(MEAN, sym(c)), lambda c: st.multivariate_normal.entropy(
            MEAN, sym(c))),
    ]:
        onp.testing.assert_allclose(grad(ours)(COV), _sym_fd(ref, COV), rtol=1e-5, atol=1e-8)
        check_grads(ours, modes=("fwd", "rev"), order=2)(COV)
    for ours, ref, at in [
        (lambda m: mvn.logpdf(X2, m, COV).sum(),
         lambda m: st.multivariate_normal.logpdf(X2, m, COV).sum(), MEAN),
        (lambda x: mvt.logpdf(x, MEAN, COV, 3.5),
         lambda x: st.multivariate_t.logpdf(x, MEAN, COV, 3.5), X2[0]),
        (lambda df: mvt.logpdf(X2, MEAN, COV, df).sum(),
         lambda df: st.multivariate_t.logpdf(X2, MEAN, COV, df).sum(), onp.array(3.5)),
    ]:
        fd = [(ref(at + e) - ref(at - e)) / 2e-6 for e in onp.eye(at.size).reshape(
            (-1,) + at.shape) * 1e-6]
        onp.testing.assert_allclose(onp.ravel(grad(ours)(at)), fd, rtol=1e-5, atol=1e-8)
        check_grads(ours, modes=("fwd", "rev"), order=2)(at)


def test_multivariate_with_the_stand_in_linear_algebra(monkeypatch):
    """The composite Cholesky and triangular solve used until hodiff.numpy.linalg has rules."""
    import hodiff.scipy.stats._linalg as la
    monkeypatch.setattr(la, "has_linalg_rules", lambda: False)
    _check_multivariate()


@pytest.mark.skipif(not has_linalg_rules(),
                    reason="hodiff.numpy.linalg has no cholesky rule on this branch yet")
def test_multivariate_with_hodiff_linalg():
    _check_multivariate()


def test_multivariate_normal_refuses_singular():
    from hodiff.scipy.stats import multivariate_normal as mvn
    with pytest.raises(NotImplementedError):
        mvn.logpdf(X2, MEAN, COV, allow_singular=True)


@pytest.mark.parametrize("name,args", [
    ("gamma", (0.0, 2.0)), ("gamma", (-1.0, 2.0)), ("chi2", (0.0, 3.0)), ("beta", (0.0, 2.0, 3.0)),
    ("beta", (1.0, 2.0, 3.0)), ("beta", (1.5, 2.0, 3.0)), ("expon", (0.0,)), ("expon", (-1.0,)),
    ("lognorm", (0.0, 0.5)), ("uniform", (1.0,)), ("uniform", (1.2,)), ("t", (0.0, 3.0)),
])
def test_values_at_and_beyond_the_support_edges(name, args):
    ours, theirs = _hodiff(name), getattr(st, name)
    for method in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        onp.testing.assert_allclose(getattr(ours, method)(*args), getattr(theirs, method)(*args),
                                    rtol=1e-12, err_msg=method)


def test_t_cdf_at_its_center():
    from hodiff.scipy.stats import t
    df = 3.0
    onp.testing.assert_allclose(grad(t.cdf)(0.0, df), st.t.pdf(0.0, df))
    onp.testing.assert_allclose(grad(t.cdf, argnum=1)(0.0, df), 0.0)
    check_grads(lambda p: t.cdf(0.0, p[0], p[1], p[2]), modes=("fwd", "rev"), order=2)(
        onp.array([3.0, 0.0, 1.5]))
