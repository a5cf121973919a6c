"""`hodiff.numpy.fft`: numpy.fft with derivatives, any `n`/`s`, `axes` and `norm`.

Four primitives carry the rules: fftn and ifftn (complex-linear), rfftn (real to half
spectrum) and irfftn (half spectrum to real, linear over the reals only). Everything else
(fft, fft2, hfft, ihfft, the shifts, the frequencies) is built from them.

Transposes are taken under the pairing Re(sum(a * b)) without conjugation (the seed convention):
the DFT matrix is symmetric, so fftn's transpose is fftn itself with the same norm, with the
zero-padding or cropping to `s` transposed into cropping or padding back. rfftn is fftn followed
by keeping the first n//2 + 1 frequencies of the last axis, so its transpose pads with zeros,
applies fftn and keeps the real part. irfftn reads bins 1 .. ceil(n/2) - 1 twice (as themselves
and as their conjugate mirror images) and only the real part of bins 0 and n/2, so its
transpose is ifftn of the cotangent, cut to n//2 + 1 bins and doubled on the twice-read ones.
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np
from numpy import fft as _npfft

from hodiff.core import Box, Primitive, unbox
from hodiff.numpy.arrangement import roll as _roll
from hodiff.numpy.elementwise import conjugate, real
from hodiff.numpy.shape import concatenate, getitem
from hodiff.numpy.backend import put
from hodiff.numpy.shorthand import is_batched, is_complex, shape_of

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift", "fftfreq", "rfftfreq"]

# Public functions built from the four primitives (for the docs coverage table).
COMPOSITES = {
    "fft": "fftn over one axis", "ifft": "ifftn over one axis", "rfft": "rfftn over one axis",
    "irfft": "irfftn over one axis", "hfft": "irfftn of the conjugate (norm swapped)",
    "ihfft": "conjugate of rfftn (norm swapped)", "fft2": "fftn", "ifft2": "ifftn",
    "rfft2": "rfftn", "irfft2": "irfftn", "fftshift": "roll", "ifftshift": "roll",
    "fftfreq": "differentiable in the spacing d", "rfftfreq": "differentiable in d",
}


# -- shapes ------------------------------------------------------------------------------------
def _lead(t, x):
    return 1 if is_batched(t, x) else 0


def _shift(axes, k):
    return tuple(a + k for a in axes)


def _resize(x, shape, axes):
    """Crop or zero-pad `x` along `axes` (positions in `x`) to the lengths in `shape`."""
    for ax, n in zip(axes, shape):
        have = shape_of(x)[ax]
        if have > n:
            x = getitem(x, (slice(None),) * ax + (slice(0, n),))
        elif have < n:
            pad = list(shape_of(x))
            pad[ax] = n - have
            zero = _np.zeros_like(unbox(x), shape=tuple(pad))
            x = concatenate([x, zero], axis=ax)
    return x


def _lengths(x, axes):
    return tuple(shape_of(x)[a] for a in axes)


# -- the primitives: called with s and axes normalized (tuples, non-negative axes) -------------
def _raw(fun):
    return lambda x, s, axes, norm: fun(x, s, axes, norm)


fftn_p = Primitive(_raw(_npfft.fftn), name="fftn", batch_jvp=True)
ifftn_p = Primitive(_raw(_npfft.ifftn), name="ifftn", batch_jvp=True)
rfftn_p = Primitive(_raw(_npfft.rfftn), name="rfftn", batch_jvp=True)
irfftn_p = Primitive(_raw(_npfft.irfftn), name="irfftn", batch_jvp=True)


def _linear_jvp(prim):
    def jvp(t, ans, x, s, axes, norm):
        return prim(t, s, _shift(axes, _lead(t, x)), norm)
    return jvp


def _c2c_vjp(prim):
    # The DFT (and inverse DFT) matrix is symmetric: its transpose is itself.
    def make(ans, x, s, axes, norm):
        xs, to_real = _lengths(x, axes), not is_complex(x)

        def vjp(ct):
            g = _resize(prim(ct, s, axes, norm), xs, axes)
            return real(g) if to_real else g
        return vjp
    return make


fftn_p.defrules(0, _linear_jvp(fftn_p), _c2c_vjp(fftn_p))
ifftn_p.defrules(0, _linear_jvp(ifftn_p), _c2c_vjp(ifftn_p))


def _rfftn_jvp(t, ans, x, s, axes, norm):
    axes_t = _shift(axes, _lead(t, x))
    if is_complex(t):  # a complex tangent of a real input: the same linear map, over C
        half = s[:-1] + (s[-1] // 2 + 1,)
        return _resize(fftn_p(t, s, axes_t, norm), half, axes_t)
    return rfftn_p(t, s, axes_t, norm)


def _rfftn_vjp(ans, x, s, axes, norm):
    xs = _lengths(x, axes)

    def vjp(ct):
        return real(_resize(fftn_p(_resize(ct, s, axes), s, axes, norm), xs, axes))
    return vjp


rfftn_p.defrules(0, _rfftn_jvp, _rfftn_vjp)


def _irfftn_vjp(ans, x, s, axes, norm):
    xs, n = _lengths(x, axes), s[-1]
    m = n // 2 + 1
    # Bins read twice get weight 2; bin 0 and (n even) bin n/2 once.
    weights = _np.full(m, 2.0, dtype=_np.result_type(unbox(ans)))
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    weights = weights.reshape((m,) + (1,) * (len(shape_of(ans)) - axes[-1] - 1))
    to_real = not is_complex(x)

    def vjp(ct):
        if is_complex(ct):
            ct = real(ct)
        g = ifftn_p(ct, s, axes, norm)
        g = getitem(g, (slice(None),) * axes[-1] + (slice(0, m),)) * put(weights, g)
        g = _resize(g, xs, axes)
        return real(g) if to_real else g
    return vjp


irfftn_p.defrules(0, _linear_jvp(irfftn_p), _irfftn_vjp)


# -- numpy's argument conventions --------------------------------------------------------------
def _cook(a, s, axes, inverse_real=False):
    nd = len(shape_of(a))
    shape = shape_of(a)
    if s is None:
        axes = tuple(range(nd)) if axes is None else tuple(axes)
        axes = tuple(ax % nd for ax in axes)
        s = [shape[ax] for ax in axes]
        if inverse_real:
            s[-1] = (shape[axes[-1]] - 1) * 2
    else:
        s = list(s)
        axes = tuple(range(-len(s), 0)) if axes is None else tuple(axes)
        if len(s) != len(axes):
            raise ValueError("Shape and axes have different lengths.")
        axes = tuple(ax % nd for ax in axes)
        s = [shape[ax] if n == -1 else n for ax, n in zip(axes, s)]
        if inverse_real and s[-1] is None:
            s[-1] = (shape[axes[-1]] - 1) * 2
    return tuple(int(n) for n in s), axes


def _is_traced(a):
    return isinstance(a, Box)


def _nd(prim, plain, inverse_real=False):
    def run(a, s=None, axes=None, norm=None, out=None):
        if not _is_traced(a):
            return plain(a, s=s, axes=axes, norm=norm)
        s, axes = _cook(a, s, axes, inverse_real)
        if any(n < 1 for n in s):
            raise ValueError(f"Invalid number of FFT data points ({min(s)}) specified.")
        return prim(a, s, axes, norm)
    return run


def _one(nd_fun):
    def run(a, n=None, axis=-1, norm=None, out=None):
        return nd_fun(a, None if n is None else (n,), (axis,), norm)
    return run


_fftn = _nd(fftn_p, _npfft.fftn)
_ifftn = _nd(ifftn_p, _npfft.ifftn)
_rfftn = _nd(rfftn_p, _npfft.rfftn)
_irfftn = _nd(irfftn_p, _npfft.irfftn, inverse_real=True)


def fftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.fftn: the n-dimensional discrete Fourier transform."""
    return _fftn(a, s, axes, norm)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.ifftn: the n-dimensional inverse discrete Fourier transform."""
    return _ifftn(a, s, axes, norm)


def rfftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.rfftn: the n-dimensional DFT of a real array (half spectrum on the last axis)."""
    return _rfftn(a, s, axes, norm)


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.irfftn: the inverse of rfftn (a real array)."""
    return _irfftn(a, s, axes, norm)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.fft2."""
    return _fftn(a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.ifft2."""
    return _ifftn(a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.rfft2."""
    return _rfftn(a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.irfft2."""
    return _irfftn(a, s, axes, norm)


def fft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.fft: the one-dimensional discrete Fourier transform."""
    return _one(_fftn)(a, n, axis, norm)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.ifft."""
    return _one(_ifftn)(a, n, axis, norm)


def rfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.rfft: the DFT of a real sequence (non-negative frequencies)."""
    return _one(_rfftn)(a, n, axis, norm)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.irfft: the inverse of rfft; `n` output points (default 2 (m - 1))."""
    if not _is_traced(a):
        return _npfft.irfft(a, n, axis, norm)
    if n is None:
        n = (shape_of(a)[axis] - 1) * 2
    return _irfftn(a, (n,), (axis,), norm)


_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.hfft: the FFT of a signal with Hermitian symmetry (a real spectrum)."""
    if not _is_traced(a):
        return _npfft.hfft(a, n, axis, norm)
    if n is None:
        n = (shape_of(a)[axis] - 1) * 2
    return irfft(conjugate(a) if is_complex(a) else a, n, axis, _SWAP[norm])


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.ihfft: the inverse of hfft."""
    if not _is_traced(a):
        return _npfft.ihfft(a, n, axis, norm)
    return conjugate(rfft(a, n, axis, _SWAP[norm]))


def _shift_by(x, axes, sign):
    nd = len(shape_of(x))
    axes = tuple(range(nd)) if axes is None else (
        (axes,) if _np.ndim(axes) == 0 else tuple(axes))
    shifts = [sign * (shape_of(x)[ax] // 2) for ax in axes]
    return _roll(x, shifts, axes)


def fftshift(x, axes=None):
    """numpy.fft.fftshift: the zero frequency moved to the centre."""
    if not _is_traced(x):
        return _npfft.fftshift(x, axes)
    return _shift_by(x, axes, 1)


def ifftshift(x, axes=None):
    """numpy.fft.ifftshift: the inverse of fftshift."""
    if not _is_traced(x):
        return _npfft.ifftshift(x, axes)
    return _shift_by(x, axes, -1)


def fftfreq(n, d=1.0, device=None):
    """numpy.fft.fftfreq; differentiable in the sample spacing `d`."""
    if not _is_traced(d):
        return _npfft.fftfreq(n, d)
    return _npfft.fftfreq(n, 1.0) / d


def rfftfreq(n, d=1.0, device=None):
    """numpy.fft.rfftfreq; differentiable in the sample spacing `d`."""
    if not _is_traced(d):
        return _npfft.rfftfreq(n, d)
    return _npfft.rfftfreq(n, 1.0) / d
