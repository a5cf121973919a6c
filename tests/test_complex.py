"""Complex parameters: holomorphic Jacobians in both modes, the Cauchy-Riemann check, Wirtinger
derivatives in both variants, second derivatives of real losses of complex parameters (all four
mode compositions against finite differences in the real and imaginary parts), and the guide's
examples (docs/complex.md) as doctests.
"""
import doctest
from pathlib import Path

import numpy as onp
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hodiff
import hodiff.numpy as np
from hodiff import NotHolomorphicError, grad, hessian, hvp, jacfwd, jacrev, jvp, make_hvp, wirtinger
from hodiff.complex import is_holomorphic, is_holomorphic_at
from hodiff.core import all_primitives

ROOT = Path(__file__).resolve().parents[1]

A = onp.array([[1.0 + 1.0j, 2.0, -0.5j], [0.5j, -1.0, 0.3 + 0.2j]])

# (function, its complex derivative) for elementwise holomorphic functions
HOLOMORPHIC = {
    "exp": (np.exp, onp.exp),
    "sin": (np.sin, onp.cos),
    "cubic": (lambda z: z ** 3 - 2 * z + 1, lambda z: 3 * z ** 2 - 2),
    "z*exp(z)": (lambda z: z * np.exp(z), lambda z: (1 + z) * onp.exp(z)),
}
NOT_HOLOMORPHIC = {
    "conj": np.conj,
    "abs": np.abs,
    "z*conj(z)": lambda z: z * np.conj(z),
}

complex_vectors = st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-1.5, 1.5), min_size=n, max_size=n),
    st.lists(st.floats(-1.5, 1.5), min_size=n, max_size=n))).map(
        lambda p: onp.array(p[0]) + 1j * onp.array(p[1]))


def test_the_guide_runs():
    result = doctest.testfile(str(ROOT / "docs" / "complex.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 5


@pytest.mark.parametrize("name", sorted(HOLOMORPHIC))
@given(z=complex_vectors)
def test_holomorphic_jacobians_are_the_complex_derivative(name, z):
    f, df = HOLOMORPHIC[name]
    expect = onp.diag(df(z))
    for jac in (jacfwd, jacrev):
        got = jac(f, holomorphic=True, check_holomorphic=True)(z)
        assert got.dtype.kind == "c"
        onp.testing.assert_allclose(got, expect, rtol=1e-10, atol=1e-12)
    # without holomorphic=True the convention gives the same number
    onp.testing.assert_allclose(jacfwd(f)(z), expect, rtol=1e-10, atol=1e-12)


def test_holomorphic_jacobians_of_a_complex_linear_map():
    z = onp.array([0.3 - 1.0j, 1.0 + 0.5j, -2.0j])
    f = lambda z: np.matmul(A, z)  # noqa: E731
    for jac in (jacfwd, jacrev):
        onp.testing.assert_allclose(jac(f, holomorphic=True, check_holomorphic=True)(z), A)
    onp.testing.assert_allclose(hodiff.jacobian(f, holomorphic=True)(z), A)


def test_holomorphic_hessian_is_the_second_complex_derivative():
    z = onp.array([0.3 - 1.0j, 1.0 + 0.5j])
    H = hessian(lambda z: np.sum(z ** 3 * np.exp(z)), holomorphic=True,
                check_holomorphic=True)(z)
    onp.testing.assert_allclose(H, onp.diag((6 * z + 6 * z ** 2 + z ** 3) * onp.exp(z)))


def test_holomorphic_needs_complex_inputs():
    for jac in (jacfwd, jacrev):
        with pytest.raises(TypeError, match="complex inputs"):
            jac(np.exp, holomorphic=True)(onp.array([1.0, 2.0]))


@pytest.mark.parametrize("name", sorted(HOLOMORPHIC))
def test_holomorphy_check_passes(name):
    f = HOLOMORPHIC[name][0]
    z = onp.array([0.4 + 0.7j, -1.1 + 0.2j])
    assert is_holomorphic(f, z) and is_holomorphic_at(f, z)
    g = grad(lambda z: np.sum(f(z)), holomorphic=True, check_holomorphic=True)(z)
    onp.testing.assert_allclose(g, HOLOMORPHIC[name][1](z))


@pytest.mark.parametrize("name", sorted(NOT_HOLOMORPHIC))
def test_holomorphy_check_fails_with_its_message(name):
    f = NOT_HOLOMORPHIC[name]
    z = onp.array([0.4 + 0.7j, -1.1 + 0.2j])
    assert not is_holomorphic(f, z)
    for jac in (jacfwd, jacrev):
        with pytest.raises(NotHolomorphicError, match="not holomorphic.*Cauchy-Riemann"):
            jac(f, holomorphic=True, check_holomorphic=True)(z)
    with pytest.raises(NotHolomorphicError, match="the output is not holomorphic"):
        grad(lambda z: np.sum(f(z)), holomorphic=True, check_holomorphic=True)(z)
    with pytest.raises(NotHolomorphicError):
        hodiff.holomorphic_grad(lambda z: np.sum(f(z)), check_holomorphic=True)(z)


def test_the_check_names_the_failing_output():
    z = onp.array([0.4 + 0.7j])
    with pytest.raises(NotHolomorphicError, match="output leaf 1"):
        jacfwd(lambda z: (np.exp(z), np.conj(z)), holomorphic=True, check_holomorphic=True)(z)


# (f, df/dz, df/dconj z) in closed form
WIRTINGER = {
    "z*conj(z)": (lambda z: z * np.conj(z), lambda z: onp.conj(z), lambda z: z),
    "z**2": (lambda z: z ** 2, lambda z: 2 * z, lambda z: 0 * z),
    "conj(z)": (np.conj, lambda z: 0 * z, lambda z: 1 + 0 * z),
    "z**2*conj(z)": (lambda z: z ** 2 * np.conj(z), lambda z: 2 * z * onp.conj(z),
                     lambda z: z ** 2),
}


@pytest.mark.parametrize("name", sorted(WIRTINGER))
@given(z=complex_vectors)
def test_wirtinger_closed_forms_in_both_variants(name, z):
    f, d, dbar = WIRTINGER[name]
    fwd = wirtinger(f)(z)
    rev = wirtinger(lambda z: np.sum(f(z)), mode="reverse")(z)
    for got in (fwd, rev):
        onp.testing.assert_allclose(got[0], d(z), atol=1e-12)
        onp.testing.assert_allclose(got[1], dbar(z), atol=1e-12)


def test_reverse_wirtinger_of_a_real_loss_is_half_the_gradient_and_takes_argnum_tuples():
    rng = onp.random.default_rng(0)
    a = rng.normal(size=4) + 1j * rng.normal(size=4)
    b = rng.normal(size=4) + 1j * rng.normal(size=4)
    loss = lambda a, b: np.sum(np.abs(a * b - 1.0) ** 2)  # noqa: E731
    (da, db), (dabar, dbbar) = wirtinger(loss, argnum=(0, 1), mode="reverse")(a, b)
    ga, gb = grad(loss, argnum=(0, 1))(a, b)
    onp.testing.assert_allclose(da, ga / 2)
    onp.testing.assert_allclose(dabar, onp.conj(ga) / 2)
    onp.testing.assert_allclose(dbbar, onp.conj(gb) / 2)
    fwd = wirtinger(lambda a, b: a * b, argnum=(0, 1))(a, b)
    onp.testing.assert_allclose(fwd[0][0], b)
    onp.testing.assert_allclose(fwd[0][1], a)
    with pytest.raises(ValueError, match="mode"):
        wirtinger(loss, mode="sideways")


# -- second order: real losses of complex parameters -------------------------------------------
def _fd_hessian(loss, z, h=1e-4):
    """The real Hessian of loss(x + iy) in (x, y) by central differences of values."""
    n = z.size
    w = onp.concatenate([z.real, z.imag])

    def L(w):
        return float(loss(w[:n] + 1j * w[n:]))

    H = onp.empty((2 * n, 2 * n))
    eye = onp.eye(2 * n) * h
    for i in range(2 * n):
        for j in range(2 * n):
            H[i, j] = (L(w + eye[i] + eye[j]) - L(w + eye[i] - eye[j])
                       - L(w - eye[i] + eye[j]) + L(w - eye[i] - eye[j])) / (4 * h * h)
    return H


def _convention_hessian(HR, n):
    """The Hessian under the convention: row j is grad of Re(g_j), g = Lx - i Ly."""
    return HR[:n, :n] - 1j * HR[:n, n:]


def _convention_hvp(HR, v):
    n = v.size
    w = HR @ onp.concatenate([v.real, v.imag])
    return w[:n] - 1j * w[n:]


def _loss_plain(z):
    return np.sum(np.abs(np.sin(z) * z - 0.3j) ** 2) + np.real(np.sum(z ** 2 * np.conj(z[::-1])))


def _loss_fft(z):
    target = onp.array([1.0, 0.5j, -0.25, 0.1 + 0.1j])
    return np.sum(np.abs(np.fft.fft(z * z) - target[: z.size]) ** 2)


def _loss_solve(z):
    M = onp.array([[2.0 + 0.5j, 0.3, 0.1j], [0.2, 1.5, -0.4], [0.1j, 0.2, 1.8 - 0.3j]])
    return np.sum(np.abs(np.linalg.solve(M[: z.size, : z.size], z * z)) ** 2)


def _has_rule(name):
    return name in all_primitives()


LOSSES = [
    pytest.param(_loss_plain, id="elementwise"),
    pytest.param(_loss_fft, id="fft", marks=pytest.mark.skipif(
        not _has_rule("fftn"), reason="no fft rule in this build")),
    pytest.param(_loss_solve, id="solve", marks=pytest.mark.skipif(
        not _has_rule("linalg.solve"), reason="no linalg.solve rule in this build")),
]


@pytest.mark.parametrize("loss", LOSSES)
def test_second_order_of_real_losses_agrees_across_modes_and_with_finite_differences(loss):
    z = onp.array([0.4 + 0.7j, -0.6 + 0.2j, 0.3 - 0.5j])
    v = onp.array([1.0 - 0.5j, 0.2 + 0.3j, -0.7j])
    n = z.size
    HR = _fd_hessian(loss, z)
    expect = _convention_hessian(HR, n)
    hessians = {
        "fwd-rev": jacfwd(grad(loss))(z),
        "rev-rev": jacrev(grad(loss))(z),
        "fwd-fwd": jacfwd(jacfwd(loss))(z),
        "rev-fwd": jacrev(jacfwd(loss))(z),
        "hessian": hessian(loss)(z),
    }
    for name, H in hessians.items():
        onp.testing.assert_allclose(H, expect, rtol=1e-5, atol=1e-5, err_msg=name)
    expect_hvp = _convention_hvp(HR, v)
    hvps = {
        "hvp (default)": hvp(loss, z, v),
        "hvp (fwd-rev)": hvp(loss, z, v, mode="fwd-rev"),
        "make_hvp (rev-rev)": make_hvp(loss)(z)[0](v),
        "rev-fwd": grad(lambda z: jvp(loss, (z,), (v,))[1])(z),
        "fwd-fwd": jacfwd(lambda z: jvp(loss, (z,), (v,))[1])(z),
    }
    for name, hv in hvps.items():
        onp.testing.assert_allclose(hv, expect_hvp, rtol=1e-5, atol=1e-5, err_msg=name)
