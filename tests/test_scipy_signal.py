"""hodiff.scipy.signal beyond the spec rows: values against scipy, derivatives against central
differences of scipy's own functions, the fft and direct paths agreeing, and clear errors for
what is not supported."""
import numpy as onp
import pytest
import scipy.signal as ss

import hodiff.numpy as np
from hodiff import grad, hessian, jacfwd
from hodiff.scipy import signal

RNG = onp.random.default_rng(7)


def _central(f, x, eps=1e-6):
    g = onp.zeros_like(x)
    for i in range(x.size):
        e = onp.zeros_like(x)
        e.flat[i] = eps
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_gradients_match_scipy_finite_differences(name, mode):
    ours, theirs = getattr(signal, name), getattr(ss, name)
    x, k = RNG.normal(size=(6, 5)), RNG.normal(size=(3, 2))
    w = RNG.normal(size=theirs(x, k, mode).shape)
    loss = lambda x, k: np.sum(w * np.sin(ours(x, k, mode)))
    plain = lambda x, k: onp.sum(w * onp.sin(theirs(x, k, mode)))
    gx, gk = grad(loss, argnum=(0, 1))(x, k)
    onp.testing.assert_allclose(gx, _central(lambda x: plain(x, k), x), rtol=1e-6, atol=1e-8)
    onp.testing.assert_allclose(gk, _central(lambda k: plain(x, k), k), rtol=1e-6, atol=1e-8)
    onp.testing.assert_allclose(jacfwd(loss)(x, k), gx, rtol=1e-10, atol=1e-12)


def test_fft_and_direct_agree_to_second_order():
    x, k = RNG.normal(size=40), RNG.normal(size=9)
    loss = lambda method: lambda x: np.sum(signal.convolve(x, k, "same", method) ** 3)
    onp.testing.assert_allclose(hessian(loss("fft"))(x), hessian(loss("direct"))(x),
                                rtol=1e-8, atol=1e-10)


def test_lfilter_coefficient_gradients_match_scipy():
    b, a, x = onp.array([0.4, 0.3, 0.1]), onp.array([1.3, -0.5, 0.2]), RNG.normal(size=30)
    w = RNG.normal(size=30)
    loss = lambda b, a: np.sum(w * signal.lfilter(b, a, x))
    plain = lambda b, a: onp.sum(w * ss.lfilter(b, a, x))
    gb, ga = grad(loss, argnum=(0, 1))(b, a)
    onp.testing.assert_allclose(gb, _central(lambda b: plain(b, a), b), rtol=1e-7)
    onp.testing.assert_allclose(ga, _central(lambda a: plain(b, a), a), rtol=1e-7)
    # The reverse rule in x is the filter run backwards: the gradient of <w, y> is that.
    gx = grad(lambda x: np.sum(w * signal.lfilter(b, a, x)))(x)
    onp.testing.assert_allclose(gx, ss.lfilter(b, a, w[::-1])[::-1], rtol=1e-12)


def test_fir_scalar_denominator_and_sosfilt_values():
    x = RNG.normal(size=(2, 8))
    onp.testing.assert_allclose(signal.lfilter([0.5, 0.5], 1.0, x), ss.lfilter([0.5, 0.5], 1.0, x))
    sos = ss.butter(4, 0.3, output="sos")
    onp.testing.assert_allclose(signal.sosfilt(sos, x), ss.sosfilt(sos, x), rtol=1e-12)
    g = grad(lambda s: np.sum(signal.sosfilt(s, x) ** 2))(sos)
    free = [0, 1, 2, 4, 5]  # scipy insists on a0 = 1, so its finite differences keep it

    def plain(v):
        s = sos.copy()
        s[:, free] = v
        return onp.sum(ss.sosfilt(s, x) ** 2)
    onp.testing.assert_allclose(g[:, free], _central(plain, sos[:, free]), rtol=1e-6, atol=1e-8)


def test_unsupported_arguments_raise():
    x = onp.ones(4)
    with pytest.raises(NotImplementedError):
        signal.lfilter([1.0], [1.0], x, zi=onp.zeros(0))
    with pytest.raises(NotImplementedError):
        signal.fftconvolve(x, x, axes=0)
    with pytest.raises(ValueError):
        grad(lambda x: np.sum(signal.convolve(x, onp.ones(2), "bogus")))(x)
