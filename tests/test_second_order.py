"""Second-order operators: identity seeds, scaled vector-mode tangents, HVP modes,
make_hvp reuse, Gauss-Newton products, chunked Jacobians and Hessians."""
import numpy
import pytest

import hodiff
import hodiff.numpy as np
from hodiff.core import Primitive

RNG = numpy.random.default_rng(0)


def logistic_loss(C):
    return lambda x: np.sum(np.log(1 + np.exp(C @ x))) + 0.5 * np.sum(x ** 4)


def logistic_hessian(C, x):
    p = 1 / (1 + numpy.exp(-(C @ x)))
    return (C.T * (p * (1 - p))) @ C + numpy.diag(6 * x ** 2)


C = RNG.standard_normal((30, 6))
X = RNG.standard_normal(6)
V = RNG.standard_normal(6)


def test_jacfwd_of_a_product_with_the_identity_seed():
    B = RNG.standard_normal((50, 4))
    x = RNG.standard_normal(4)
    J = hodiff.jacfwd(lambda v: np.tanh(B @ v))(x)
    want = (1 - numpy.tanh(B @ x) ** 2)[:, None] * B
    numpy.testing.assert_allclose(J, want, rtol=1e-12, atol=1e-12)
    J = hodiff.jacfwd(lambda v: B @ v)(x)
    numpy.testing.assert_array_equal(J, B)
    with pytest.raises(ValueError):  # may alias B: read-only, so B can't be written through it
        J[0, 0] = 1.0
    J = hodiff.jacfwd(lambda v: v @ B.T)(x)
    numpy.testing.assert_array_equal(J, B)


@pytest.mark.parametrize("mode", ["auto", "fwd-rev", "rev-rev", "fwd-fwd", "rev-fwd"])
@pytest.mark.parametrize("chunk_size", [None, 4])
def test_hessian_modes_and_chunks(mode, chunk_size):
    H = hodiff.hessian(logistic_loss(C), mode=mode, chunk_size=chunk_size)(X)
    numpy.testing.assert_allclose(H, logistic_hessian(C, X), rtol=1e-10, atol=1e-12)


def test_hessian_of_a_vector_function():
    f = lambda x: np.array([np.sum(x ** 3), x[0] * x[1]])  # noqa: E731
    H = hodiff.hessian(f)(numpy.array([1.0, 2.0]))
    numpy.testing.assert_allclose(H, [[[6, 0], [0, 12]], [[0, 1], [1, 0]]])
    # taller than wide: "auto" takes forward over forward; same result as every composition
    tall = lambda x: np.sin(C @ x) * x[0]  # noqa: E731
    want = hodiff.hessian(tall, mode="rev-rev")(X)
    assert want.shape == (30, 6, 6)
    for mode in ("auto", "fwd-rev", "fwd-fwd", "rev-fwd"):
        numpy.testing.assert_allclose(hodiff.hessian(tall, mode=mode)(X), want, rtol=1e-10,
                                      atol=1e-12)


@pytest.mark.parametrize("chunk_size", [1, 3, 100])
def test_chunked_jacobians(chunk_size):
    f = lambda x: np.sin(C @ x) * x[0]  # noqa: E731
    full = hodiff.jacfwd(f)(X)
    numpy.testing.assert_allclose(hodiff.jacfwd(f, chunk_size=chunk_size)(X), full)
    numpy.testing.assert_allclose(hodiff.jacrev(f, chunk_size=chunk_size)(X), full)
    numpy.testing.assert_allclose(hodiff.jacobian(f, chunk_size=chunk_size)(X), full)


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_bad_chunk_size(bad):
    with pytest.raises(ValueError, match="chunk_size"):
        hodiff.jacfwd(np.sin, chunk_size=bad)


@pytest.mark.parametrize("mode", ["fwd-rev", "rev-rev", "rev-fwd"])
def test_hvp_modes(mode):
    want = logistic_hessian(C, X) @ V
    f = logistic_loss(C)
    numpy.testing.assert_allclose(hodiff.hvp(f, X, V, mode=mode), want, rtol=1e-10)
    numpy.testing.assert_allclose(hodiff.hessian_vector_product(f, mode=mode)(X, V), want,
                                  rtol=1e-10)
    hvp_fn, g = hodiff.make_hvp(f, mode=mode)(X)
    numpy.testing.assert_allclose(hvp_fn(V), want, rtol=1e-10)
    numpy.testing.assert_allclose(g, hodiff.grad(f)(X), rtol=1e-12, atol=1e-12)
    # two arguments, JAX style
    f2 = lambda a, b: np.sum(a ** 2 * b) + np.sum(b ** 3)  # noqa: E731
    a, b = numpy.array([1.0, 2.0]), numpy.array([3.0, 4.0])
    ha, hb = hodiff.hvp(f2, (a, b), (numpy.ones(2), numpy.zeros(2)), mode=mode)
    numpy.testing.assert_allclose(ha, 2 * b)
    numpy.testing.assert_allclose(hb, 2 * a)


def test_unknown_hvp_mode():
    with pytest.raises(ValueError, match="mode"):
        hodiff.hvp(np.sin, 1.0, 1.0, mode="fwd-fwd")


@pytest.mark.parametrize("mode", ["fwd-rev", "rev-rev"])
def test_make_hvp_reuses_one_recorded_pass(mode):
    calls = []

    def raw(x):
        calls.append(1)
        return numpy.sin(x)

    sin = Primitive(raw, name="counting_sin", batch_jvp=True, register=False)
    sin.defrules(0, jvp=lambda t, ans, x: t * np.cos(x),
                 vjp=lambda ans, x: lambda ct: ct * np.cos(x))
    f = lambda x: np.sum(sin(C @ x) ** 2)  # noqa: E731
    hvp_fn, _ = hodiff.make_hvp(f, mode=mode)(X)
    first = len(calls)
    assert first >= 1
    results = [hvp_fn(v) for v in numpy.eye(6)[:3]]
    assert len(calls) == first  # no extra vector reruns f
    H = hodiff.hessian(f)(X)
    numpy.testing.assert_allclose(numpy.array(results), H[:3], rtol=1e-10, atol=1e-12)


def test_ggnvp_least_squares_and_softmax():
    W = RNG.standard_normal((5, 6))
    x = RNG.standard_normal(6)
    v = RNG.standard_normal(6)
    f = lambda z: np.tanh(W @ z)  # noqa: E731
    J = hodiff.jacfwd(f)(x)
    numpy.testing.assert_allclose(hodiff.make_ggnvp(f)(x)(v), J.T @ J @ v, rtol=1e-12, atol=1e-12)
    numpy.testing.assert_allclose(hodiff.make_ggnvp(f, "least_squares")(x)(v), J.T @ J @ v,
                                  rtol=1e-12)
    y = f(x)
    p = numpy.exp(y) / numpy.sum(numpy.exp(y))
    Hs = numpy.diag(p) - numpy.outer(p, p)
    got = hodiff.make_ggnvp(f, "softmax_cross_entropy")(x)(v)
    numpy.testing.assert_allclose(got, J.T @ Hs @ J @ v, rtol=1e-10)
    generic = hodiff.make_ggnvp(f, lambda z: np.log(np.sum(np.exp(z))))(x)(v)
    numpy.testing.assert_allclose(generic, got, rtol=1e-10)
    with pytest.raises(ValueError, match="unknown loss"):
        hodiff.make_ggnvp(f, "hinge")


# -- scaled vector-mode tangents (directions times an unbatched factor) ----------------------
@pytest.fixture
def dense_calls(monkeypatch):
    """Counts the scaled tangents turned into full arrays."""
    from hodiff.modes.forward import ScaledTangent
    calls = []
    dense = ScaledTangent.dense

    def counting(self):
        calls.append(self.shape)
        return dense(self)
    monkeypatch.setattr(ScaledTangent, "dense", counting)
    return calls


def test_elementwise_chain_forms_its_tangent_once(dense_calls):
    x = RNG.standard_normal(7)
    f = lambda v: np.exp(np.sin(v) * 2.0) / (1 + v ** 2) - v  # noqa: E731
    J = hodiff.jacfwd(f)(x)
    s = numpy.sin(x)
    e = numpy.exp(2 * s)
    want = 2 * numpy.cos(x) * e / (1 + x ** 2) - 2 * x * e / (1 + x ** 2) ** 2 - 1
    numpy.testing.assert_allclose(J, numpy.diag(want), rtol=1e-12, atol=1e-12)
    assert dense_calls == [(7, 7)]  # only the output's tangent, once


def test_same_base_tangents_add_as_factors(dense_calls):
    x = RNG.standard_normal(5)
    J = hodiff.jacfwd(lambda v: np.sin(v) + np.cos(v) * 3.0)(x)
    numpy.testing.assert_allclose(J, numpy.diag(numpy.cos(x) - 3 * numpy.sin(x)), rtol=1e-12,
                                  atol=1e-12)
    assert len(dense_calls) == 1


@pytest.mark.parametrize("shape", [(5,), (3, 4)])
def test_full_sum_of_a_scaled_tangent_is_one_product(shape, dense_calls):
    x = RNG.standard_normal(shape).astype(numpy.float32)
    g = hodiff.jacfwd(lambda v: np.sum(np.sin(v) * np.cos(v)))(x)
    assert g.dtype == numpy.float32 and g.shape == shape
    numpy.testing.assert_allclose(g, numpy.cos(2 * x), rtol=1e-5, atol=1e-6)
    assert dense_calls == []  # the sum contracted the directions with the factor directly


@pytest.mark.parametrize("kw", [{"axis": 1}, {"axis": 0, "keepdims": True}, {"dtype": float}])
def test_partial_sums_of_scaled_tangents(kw, dense_calls):
    x = RNG.standard_normal((3, 4))
    f = lambda v: np.sum(np.tanh(v) ** 2, **kw)  # noqa: E731
    numpy.testing.assert_allclose(hodiff.jacfwd(f)(x), hodiff.jacrev(f)(x), rtol=1e-12,
                                  atol=1e-12)
    assert len(dense_calls) == 1


def test_scaled_tangents_under_broadcasting_and_nesting():
    y = RNG.standard_normal((2, 3))
    x = RNG.standard_normal(3)
    f = lambda v: np.exp(np.sin(v) * y) + np.log(2 + np.cos(v))  # noqa: E731
    numpy.testing.assert_allclose(hodiff.jacfwd(f)(x), hodiff.jacrev(f)(x), rtol=1e-12,
                                  atol=1e-12)
    g = lambda v: np.sum(np.exp(np.sin(v)) * y)  # noqa: E731
    H = {m: hodiff.hessian(g, mode=m)(x) for m in ("fwd-rev", "fwd-fwd", "rev-fwd", "rev-rev")}
    for m in H:
        numpy.testing.assert_allclose(H[m], H["rev-rev"], rtol=1e-12, atol=1e-12, err_msg=m)
    s, c = numpy.sin(x), numpy.cos(x)
    want = numpy.diag(numpy.sum(y, 0) * numpy.exp(s) * (c * c - s))
    numpy.testing.assert_allclose(H["fwd-rev"], want, rtol=1e-12, atol=1e-12)


def test_default_hvp_reads_the_constant_matrix_three_times(monkeypatch):
    A = RNG.standard_normal((8, 8))
    x, v = RNG.standard_normal(8), RNG.standard_normal(8)
    matmul = hodiff.core.lookup("matmul")
    products = []
    raw = matmul.fun

    def counting(a, b):
        products.append(a is A or b is A)
        return raw(a, b)
    monkeypatch.setattr(matmul, "fun", counting)
    f = lambda y: np.sum(np.tanh(A @ y) ** 2) + y @ y / 2  # noqa: E731
    got = hodiff.hvp(f, x, v)
    t = numpy.tanh(A @ x)
    s = 1 - t * t
    want = A.T @ ((2 * s * s - 4 * t * t * s) * (A @ v)) + v
    numpy.testing.assert_allclose(got, want, rtol=1e-12)
    # A @ x, A @ v and one pullback through A; forward over reverse also forms the dropped
    # gradient (four)
    assert sum(products) == 3
    products.clear()
    numpy.testing.assert_allclose(hodiff.hvp(f, x, v, mode="fwd-rev"), want, rtol=1e-12)
    assert sum(products) == 4
