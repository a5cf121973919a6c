"""`hodiff.scipy.signal`: convolution, correlation and linear filters with derivatives in both
modes, real and complex.

`convolve` and `correlate` (n-d, modes full/same/valid, methods direct/fft/auto) are primitives
whose rules call each other: the adjoint of a convolution is a correlation with the same kernel,
and every mode is a window of the full result. `lfilter` is a primitive whose rules are filters
again (a time-reversed filter for the signal, shifted filtered signals for the coefficients);
`sosfilt` is a cascade of `lfilter` calls and `fftconvolve` is `convolve(method='fft')`.
Imports hodiff.core and hodiff.numpy.
"""
from __future__ import annotations

import numpy as _onp
import scipy.signal as _ss

import hodiff.numpy as np
from hodiff.core import Primitive
from hodiff.numpy.shorthand import is_batched, is_complex, shape_of

__all__ = ["convolve", "correlate", "fftconvolve", "lfilter", "sosfilt"]


def _to_real_if(g, x, ans):
    return np.real(g) if is_complex(ans) and not is_complex(x) else g


# -- windows of the full result ----------------------------------------------------------------
def _offsets(mode, s1, s2):
    """Per axis, where a mode's output starts inside the full convolution (scipy's layout)."""
    if mode == "full":
        return [0] * len(s1)
    if mode == "same":
        return [(m - 1) // 2 for m in s2]
    if mode == "valid":
        return [min(n, m) - 1 for n, m in zip(s1, s2)]
    raise ValueError(f"mode must be 'full', 'same' or 'valid', not {mode!r}")


def _out_shape(mode, s1, s2):
    if mode == "full":
        return [n + m - 1 for n, m in zip(s1, s2)]
    if mode == "same":
        return list(s1)
    return [abs(n - m) + 1 for n, m in zip(s1, s2)]


def _window(x, starts, sizes, lead):
    """x[start:start+size] on each axis after the first `lead` ones, zero outside x."""
    shape = shape_of(x)
    idx, pads = [slice(None)] * lead, []
    for d, (s, size) in enumerate(zip(starts, sizes)):
        full = shape[lead + d]
        lo = min(max(s, 0), full)
        hi = max(min(s + size, full), lo)
        before = min(size, max(0, -s))
        pads.append((before, size - before - (hi - lo)))
        idx.append(slice(lo, hi))
    x = x[tuple(idx)]
    for d, (before, after) in enumerate(pads):
        if before or after:
            axis = lead + d
            parts = []
            for count in (before, after):
                zshape = list(shape_of(x))
                zshape[axis] = count
                parts.append(np.zeros_like(x, shape=tuple(zshape)))
            x = np.concatenate([parts[0], x, parts[1]], axis=axis)
    return x


def _lead1(x):
    return np.reshape(x, (1,) + tuple(shape_of(x)))


def _forward(prim, argnum):
    # Linear in each argument: the tangent goes through the primitive itself, in full mode
    # (where a vector-mode axis, against a length-1 axis of the other operand, passes through
    # unchanged) and then the mode's window.
    def rule(t, ans, in1, in2, mode="full", method="auto"):
        s1, s2 = shape_of(in1), shape_of(in2)
        lead = int(is_batched(t, (in1, in2)[argnum]))
        ops = [in1, in2]
        ops[argnum] = t
        if lead:
            ops[1 - argnum] = _lead1(ops[1 - argnum])
        full = prim(ops[0], ops[1], "full", method)
        if lead and argnum == 1 and prim is correlate:
            full = np.flip(full, 0)  # correlating against a stack runs through it backwards
        return _window(full, _offsets(mode, s1, s2), _out_shape(mode, s1, s2), lead)
    return rule


def _convolve_vjp(argnum):
    # in1 * in2 = in2 * in1; the transpose of convolving by k is correlating with conj(k)
    # (no conjugation in hodiff's pairing), windowed to the operand's shape.
    def make(ans, in1, in2, mode="full", method="auto"):
        s1, s2 = shape_of(in1), shape_of(in2)
        off = _offsets(mode, s1, s2)
        x, other = (in1, in2) if argnum == 0 else (in2, in1)
        sx, so = shape_of(x), shape_of(other)
        starts = [m - 1 - o for m, o in zip(so, off)]
        kernel = np.conjugate(other)
        return lambda ct: _to_real_if(
            _window(correlate(ct, kernel, "full", method), starts, sx, 0), x, ans)
    return make


def _correlate_vjp0(ans, in1, in2, mode="full", method="auto"):
    # correlate(in1, in2) = convolve(in1, flip(conj(in2))): the transpose in in1 convolves
    # the cotangent with conj(in2).
    s1, s2 = shape_of(in1), shape_of(in2)
    starts = [m - 1 - o for m, o in zip(s2, _offsets(mode, s1, s2))]
    kernel = np.conjugate(in2)
    return lambda ct: _to_real_if(_window(convolve(ct, kernel, "full", method), starts, s1, 0),
                                  in1, ans)


def _correlate_vjp1(ans, in1, in2, mode="full", method="auto"):
    # t -> convolve(in1, flip(conj(t))) is real-linear; its transpose is
    # conj(flip(transpose of convolving by in1)).
    s1, s2 = shape_of(in1), shape_of(in2)
    starts = [n - 1 - o for n, o in zip(s1, _offsets(mode, s1, s2))]
    kernel = np.conjugate(in1)

    def vjp(ct):
        g = _window(correlate(ct, kernel, "full", method), starts, s2, 0)
        g = np.conjugate(np.flip(g))
        return _to_real_if(g, in2, ans)
    return vjp


convolve = Primitive(_ss.convolve, name="signal.convolve", batch_jvp=True)
correlate = Primitive(_ss.correlate, name="signal.correlate", batch_jvp=True)
convolve.defrules(0, _forward(convolve, 0), _convolve_vjp(0))
convolve.defrules(1, _forward(convolve, 1), _convolve_vjp(1))
correlate.defrules(0, _forward(correlate, 0), _correlate_vjp0)
correlate.defrules(1, _forward(correlate, 1), _correlate_vjp1)
convolve.__doc__ = """scipy.signal.convolve, differentiable in both operands (real or complex).

Parameters
----------
in1, in2 : array_like
    Operands with the same number of dimensions.
mode : {'full', 'valid', 'same'}
method : {'auto', 'direct', 'fft'}

Returns
-------
array
    The convolution; every mode's derivative rules are windows of full convolutions.

Example
-------
>>> import numpy as onp
>>> from hodiff import grad
>>> import hodiff.numpy as np
>>> from hodiff.scipy.signal import convolve
>>> k = onp.array([1.0, 2.0])
>>> grad(lambda x: np.sum(convolve(x, k)))(onp.zeros(3))   # each x[i] meets every k[j]
array([3., 3., 3.])
"""
correlate.__doc__ = """scipy.signal.correlate (conjugating `in2`, as scipy does),
differentiable in both operands.

Parameters
----------
in1, in2 : array_like
    Operands with the same number of dimensions.
mode : {'full', 'valid', 'same'}
method : {'auto', 'direct', 'fft'}

Returns
-------
array
    The cross-correlation.

Example
-------
>>> import numpy as onp
>>> from hodiff import grad
>>> import hodiff.numpy as np
>>> from hodiff.scipy.signal import correlate
>>> grad(lambda k: np.sum(correlate(onp.array([1.0, 2.0, 3.0]), k, "valid")))(onp.ones(2))
array([3., 5.])
"""


def fftconvolve(in1, in2, mode="full", axes=None):
    """scipy.signal.fftconvolve over all axes: `convolve(in1, in2, mode, method='fft')`.

    Parameters
    ----------
    in1, in2 : array_like
        Operands with the same number of dimensions.
    mode : {'full', 'valid', 'same'}
    axes : None
        Only None (every axis) is supported.

    Returns
    -------
    array
        The convolution.

    Example
    -------
    >>> import numpy as onp
    >>> fftconvolve(onp.array([1.0, 2.0]), onp.array([1.0, 1.0])).round(12)
    array([1., 3., 2.])
    """
    if axes is not None:
        raise NotImplementedError("hodiff's fftconvolve convolves over every axis (axes=None)")
    return convolve(in1, in2, mode, "fft")


# -- lfilter -----------------------------------------------------------------------------------
def _shifts(v, count, axis):
    """stack([v delayed by k samples along `axis` for k < count]): the sensitivities of a
    filter's output to its k-th coefficient are these delays of one filtered signal."""
    n = shape_of(v)[axis]
    out = []
    for k in range(count):
        if k >= n:
            out.append(np.zeros_like(v))
            continue
        zshape = list(shape_of(v))
        zshape[axis] = k
        idx = [slice(None)] * len(zshape)
        idx[axis] = slice(0, n - k)
        out.append(np.concatenate([np.zeros_like(v, shape=tuple(zshape)), v[tuple(idx)]],
                                  axis=axis) if k else v)
    return np.stack(out)


def _unit(a):
    # The filter 1 / A(z), as a numerator of one coefficient of a's dtype.
    return np.ones_like(a, shape=(1,))


def _lfilter_jvp_x(t, ans, b, a, x, axis=-1):
    ax = axis % len(shape_of(x))
    return lfilter_prim(b, a, t, ax + int(is_batched(t, x)))


def _lfilter_vjp_x(ans, b, a, x, axis=-1):
    # The transpose of a causal filter (a lower-triangular Toeplitz map with zero initial
    # state) is the same filter run backwards in time.
    ax = axis % len(shape_of(x))
    return lambda ct: _to_real_if(np.flip(lfilter_prim(b, a, np.flip(ct, ax), ax), ax), x, ans)


def _coef_sensitivity(sign, filtered, count, axis):
    # y = (B/A) x: dy/db_k = z^-k x / A and dy/da_k = -z^-k y / A, i.e. delays of one filtered
    # signal (the "recursive gradient" of adaptive IIR filtering; Shynk, "Adaptive IIR
    # filtering", IEEE ASSP Magazine 6(2), 1989, sec. on output-error gradients).
    sens = _shifts(filtered, count, axis)
    return -sens if sign < 0 else sens


def _coef_rules(argnum):
    def sens_of(ans, b, a, x, axis):
        ax = axis % len(shape_of(x))
        if argnum == 0:
            return _coef_sensitivity(1, lfilter_prim(_unit(a), a, x, ax), shape_of(b)[0], ax)
        return _coef_sensitivity(-1, lfilter_prim(_unit(a), a, ans, ax), shape_of(a)[0], ax)

    def jvp(t, ans, b, a, x, axis=-1):
        sens = sens_of(ans, b, a, x, axis)
        return np.tensordot(t, sens, ([len(shape_of(t)) - 1], [0]))

    def make(ans, b, a, x, axis=-1):
        sens = sens_of(ans, b, a, x, axis)
        coef = (b, a)[argnum]
        nd = len(shape_of(x))
        return lambda ct: _to_real_if(
            np.tensordot(sens, ct, (list(range(1, nd + 1)), list(range(nd)))), coef, ans)
    return jvp, make


def _lfilter_raw(b, a, x, axis=-1):
    return _ss.lfilter(b, a, x, axis=axis)


lfilter_prim = Primitive(_lfilter_raw, name="signal.lfilter", batch_jvp=True)
lfilter_prim.defrules(0, *_coef_rules(0))
lfilter_prim.defrules(1, *_coef_rules(1))
lfilter_prim.defrules(2, _lfilter_jvp_x, _lfilter_vjp_x)


def _vector(c):
    c = c if hasattr(c, "shape") else _onp.asarray(c)
    return np.reshape(c, (1,)) if len(shape_of(c)) == 0 else c


def lfilter(b, a, x, axis=-1, zi=None):
    """scipy.signal.lfilter with zero initial state, differentiable in `b`, `a` and `x`.

    Parameters
    ----------
    b, a : array_like, 1-d
        Numerator and denominator coefficients (``a[0] != 0``; a scalar is a 1-vector).
    x : array_like
        The signal, filtered along `axis`.
    axis : int
    zi : None
        Initial conditions are not supported.

    Returns
    -------
    array
        The filtered signal.

    Example
    -------
    >>> import numpy as onp
    >>> from hodiff import grad
    >>> import hodiff.numpy as np
    >>> x = onp.array([1.0, 0.0, 0.0])
    >>> # y = [1, p, p^2] for y[n] = x[n] + p y[n-1]; d/dp sum(y) = 1 + 2p
    >>> round(float(grad(lambda p: np.sum(lfilter([1.0], np.array([1.0, -p]), x)))(0.5)), 12)
    2.0
    """
    if zi is not None:
        raise NotImplementedError("hodiff's lfilter supports zero initial state only (zi=None)")
    return lfilter_prim(_vector(b), _vector(a), x, axis)


def sosfilt(sos, x, axis=-1, zi=None):
    """scipy.signal.sosfilt with zero initial state: a cascade of second-order `lfilter`
    sections, differentiable in `sos` and `x`.

    Parameters
    ----------
    sos : array_like, shape (n_sections, 6)
        Each row ``[b0, b1, b2, a0, a1, a2]``.
    x : array_like
    axis : int
    zi : None
        Initial conditions are not supported.

    Returns
    -------
    array
        The filtered signal.

    Example
    -------
    >>> import numpy as onp
    >>> sos = onp.array([[1.0, 0.0, 0.0, 1.0, -0.5, 0.0]])
    >>> sosfilt(sos, onp.array([1.0, 0.0, 0.0]))
    array([1.  , 0.5 , 0.25])
    """
    if zi is not None:
        raise NotImplementedError("hodiff's sosfilt supports zero initial state only (zi=None)")
    sos = sos if hasattr(sos, "shape") else _onp.asarray(sos)
    n_sections = shape_of(sos)[0]
    for k in range(n_sections):
        x = lfilter_prim(sos[k, :3], sos[k, 3:], x, axis)
    return x
