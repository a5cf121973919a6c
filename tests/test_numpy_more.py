"""Named cases for the numpy coverage beyond the spec rows: closed-form derivatives (Parseval,
sinc at 0, order statistics, interpolation at a breakpoint), the fft module's import paths,
plain values from integer casts, and the clear errors where a derivative is not offered."""
from __future__ import annotations

import numpy as onp
import pytest

import hodiff.numpy as np
from hodiff import grad, hessian, jacfwd, jacrev, jvp
from hodiff.core import all_primitives
from hodiff.test_util import check_grads

RNG = onp.random.default_rng(7)


def test_fft_module_imports_by_path():
    import hodiff.numpy.fft as fft
    from hodiff.numpy.fft import irfft, rfft

    assert np.fft is fft and fft.rfft is rfft and fft.irfft is irfft
    assert fft.__name__ == "hodiff.numpy.fft"
    for name in ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
                 "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift",
                 "fftfreq", "rfftfreq"]:
        assert getattr(fft, name).__module__ == "hodiff.numpy.fft", name


@pytest.mark.parametrize("norm,scale", [(None, 1.0), ("ortho", None), ("forward", None)])
def test_parseval(norm, scale):
    # sum |fft(x)|^2 = c * n * sum |x|^2, so its gradient is 2 c n x (c from the norm).
    x = RNG.normal(size=6) + 1j * RNG.normal(size=6)
    c = {None: 6.0, "ortho": 1.0, "forward": 1 / 6.0}[norm]

    def energy(x):
        y = np.fft.fft(x, norm=norm)
        return np.sum(np.real(y * np.conj(y)))

    # The convention: grad of a real f(z) is df/dx - i df/dy = 2 c conj(x).
    onp.testing.assert_allclose(grad(energy)(x), 2 * c * onp.conj(x), rtol=1e-12)
    onp.testing.assert_allclose(grad(energy)(x.real), 2 * c * x.real, rtol=1e-12)


def test_rfft_irfft_round_trip_has_identity_jacobian():
    x = RNG.normal(size=5)
    f = lambda x: np.fft.irfft(np.fft.rfft(x), n=5)  # noqa: E731
    onp.testing.assert_allclose(jacrev(f)(x), onp.eye(5), atol=1e-12)
    onp.testing.assert_allclose(jacfwd(f)(x), onp.eye(5), atol=1e-12)


def test_irfft_jacobian_matches_finite_differences_in_real_and_imaginary_parts():
    z = RNG.normal(size=4) + 1j * RNG.normal(size=4)
    for n in (6, 7, 4):
        check_grads(lambda z: np.fft.irfft(z, n=n), modes=("fwd", "rev"), order=2)(z)


def test_fft_on_float32_stays_single():
    x = RNG.normal(size=4).astype(onp.float32)
    g = grad(lambda x: np.sum(np.abs(np.fft.rfft(x)) ** 2))(x)
    assert g.dtype == onp.float32


def test_sinc_at_zero():
    assert grad(np.sinc)(0.0) == 0.0
    assert grad(grad(np.sinc))(0.0) == pytest.approx(-onp.pi ** 2 / 3, rel=1e-12)
    assert jvp(grad(np.sinc), (0.0,), (1.0,))[1] == pytest.approx(-onp.pi ** 2 / 3, rel=1e-12)
    check_grads(np.sinc, modes=("fwd", "rev"), order=2)(onp.array([1e-3, 2e-3, 0.5]))


def test_sort_sends_the_derivative_to_each_element():
    x = onp.array([3.0, -1.0, 2.0])
    j = jacrev(np.sort)(x)
    onp.testing.assert_array_equal(j, onp.eye(3)[onp.argsort(x)])
    onp.testing.assert_array_equal(jacfwd(np.sort)(x), j)


def test_median_of_even_count_splits_between_the_middle_two():
    x = onp.array([4.0, 1.0, 3.0, 2.0])
    onp.testing.assert_allclose(grad(np.median)(x), [0.0, 0.0, 0.5, 0.5])
    # quantile is piecewise linear in q: slope (n - 1) * (x[j + 1] - x[j]) between breaks
    assert grad(lambda q: np.quantile(x, q), )(0.5) == pytest.approx(3 * (3.0 - 2.0))


def test_nan_functions_ignore_nans():
    x = onp.array([1.0, onp.nan, 3.0, 2.0])
    g = grad(np.nanmean)(x)
    onp.testing.assert_allclose(g, [1 / 3, 0.0, 1 / 3, 1 / 3])
    onp.testing.assert_allclose(grad(np.nanmax)(x), [0.0, 0.0, 1.0, 0.0])
    onp.testing.assert_allclose(grad(np.nanmedian)(x), [0.0, 0.0, 0.0, 1.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.nan_to_num(x)))(x), [1, 0, 1, 1])


def test_interp_at_a_breakpoint_uses_the_segment_to_the_right():
    xp, fp = onp.array([0.0, 1.0, 3.0]), onp.array([0.0, 2.0, 3.0])
    assert grad(np.interp)(1.0, xp, fp) == pytest.approx(0.5)
    assert grad(np.interp)(0.5, xp, fp) == pytest.approx(2.0)
    assert grad(np.interp)(3.0, xp, fp) == pytest.approx(0.5)
    assert grad(np.interp)(4.0, xp, fp) == 0.0
    g = grad(lambda fp: np.interp(2.0, xp, fp))(fp)
    onp.testing.assert_allclose(g, [0.0, 0.5, 0.5])


def test_pad_modes_against_finite_differences():
    x = RNG.normal(size=(3, 4))
    for kw in [{"mode": "reflect", "reflect_type": "odd"}, {"mode": "linear_ramp"},
               {"mode": "mean", "stat_length": 2}, {"mode": "wrap"}, {"mode": "edge"}]:
        check_grads(lambda x: np.pad(x, ((2, 1), (1, 3)), **kw), modes=("fwd", "rev"),
                    order=2)(x)
        assert onp.allclose(np.pad(x * 1.0, ((2, 1), (1, 3)), **kw),
                            onp.pad(x, ((2, 1), (1, 3)), **kw))
    with pytest.raises(NotImplementedError):
        grad(lambda x: np.sum(np.pad(x, 1, mode="empty")))(x)


def test_lists_of_traced_scalars():
    def f(x):
        a, b, c = x[0], x[1], x[2]
        return np.mean([a, b, c]) + np.var([a, b, c]) + np.std([a, b, c], ddof=1)
    check_grads(f, modes=("fwd", "rev"), order=2)(onp.array([0.5, -1.0, 2.0]))
    assert hessian(lambda x: np.var([x[0], x[1]]))(onp.array([1.0, 2.0])).shape == (2, 2)


def test_integer_casts_give_plain_values():
    def f(x):
        k = x.astype(int)
        m = np.array(x, dtype=int)
        assert type(k) is onp.ndarray and k.dtype.kind == "i"
        assert type(m) is onp.ndarray and m.dtype.kind == "i"
        return np.sum(x * k + m)
    onp.testing.assert_allclose(grad(f)(onp.array([1.5, 2.5])), [1.0, 2.0])


def test_r_and_c_with_traced_pieces():
    def f(x):
        return np.sum(np.r_[x, 0:3, [5.0], x[:1]] ** 2) + np.sum(np.c_[x, 2 * x])
    x = onp.array([1.0, -2.0])
    assert grad(f)(x) == pytest.approx(2 * x + [2 * 1.0, 0] + 3)


def test_put_along_axis_on_a_traced_array():
    idx = onp.array([[1], [0]])

    def f(x, v):
        y = x * 1.0
        np.put_along_axis(y, idx, v, axis=1)
        return np.sum(y * y)
    x, v = onp.ones((2, 2)), onp.array([[3.0], [4.0]])
    gx, gv = grad(f, (0, 1))(x, v)
    onp.testing.assert_allclose(gx, [[2.0, 0.0], [0.0, 2.0]])
    onp.testing.assert_allclose(gv, 2 * v)
    with pytest.raises(TypeError, match="put_along_axis"):
        grad(lambda v: np.put_along_axis(onp.ones((2, 2)), idx, v, 1))(v)


def test_polyfit_is_differentiable_in_y_only():
    x = onp.array([0.0, 1.0, 2.0, 4.0])
    y = onp.array([1.0, 0.0, 2.0, 3.0])
    j = jacrev(lambda y: np.polyfit(x, y, 1))(y)
    onp.testing.assert_allclose(j, onp.linalg.pinv(onp.vander(x, 2)), atol=1e-12)
    with pytest.raises(NotImplementedError):
        grad(lambda x: np.sum(np.polyfit(x, y, 1)))(x)


def test_heaviside_and_argpartition_carry_no_derivative():
    x = onp.array([-1.0, 0.0, 2.0])
    assert grad(lambda x: np.sum(x * np.heaviside(x, 0.5)))(x) == pytest.approx([0, 0.5, 1])
    assert grad(lambda x: np.sum(x[np.argpartition(x, 1)[:1]]))(x) == pytest.approx([1, 0, 0])


@pytest.mark.skipif("cumprod" not in all_primitives(), reason="cumprod has no rules yet")
def test_cumulative_prod_goes_through_hodiffs_cumprod():
    x = onp.array([0.5, 2.0, -1.5])
    check_grads(lambda x: np.cumulative_prod(x, include_initial=True), modes=("fwd", "rev"),
                order=2)(x)
    onp.testing.assert_allclose(np.cumulative_prod(x * 1.0), onp.cumulative_prod(x))
