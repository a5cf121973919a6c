"""logsumexp, softmax and log_softmax, built from hodiff.numpy (no primitives of their own):
their derivatives are exp(x - logsumexp) = softmax and friends, to any order.
Imports hodiff.numpy.
"""
from __future__ import annotations

import numpy as _np

import hodiff.numpy as np
from hodiff.core import unbox
from hodiff.extend import stop_gradient


def _shift(a, axis):
    # The max over the axis, as a constant (the result does not depend on it); 0 where it is
    # not finite, so an all -inf slice gives -inf and not nan.
    m = np.max(stop_gradient(a), axis=axis, keepdims=True)
    return np.where(np.isfinite(m), m, 0.0)


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log(sum(b * exp(a))) over `axis`, computed stably (scipy.special.logsumexp).

    Parameters
    ----------
    a : array_like
        Real input.
    axis : int or tuple of ints, optional
        Axes to sum over (all by default).
    b : array_like, optional
        Weights broadcast against `a`; may be negative (then see `return_sign`).
    keepdims : bool
        Keep the reduced axes with length one.
    return_sign : bool
        Also return the sign of the sum, so that sum = sign * exp(result).

    Returns
    -------
    array_like or tuple
        The result, and its sign when `return_sign`.

    Example
    -------
    >>> import numpy
    >>> from hodiff import grad
    >>> x = numpy.array([0.0, numpy.log(3.0)])
    >>> grad(logsumexp)(x).round(6)  # softmax
    array([0.25, 0.75])
    """
    a = np.asarray(a) if not hasattr(a, "shape") else a
    m = _shift(a, axis)
    e = np.exp(a - m)
    if b is not None:
        e = e * b
    s = np.sum(e, axis=axis, keepdims=True)
    sign = np.sign(s)
    with _np.errstate(divide="ignore"):  # a sum of 0 (all -inf) gives -inf, as scipy
        out = np.log(np.abs(s)) + m
    if not return_sign and b is not None:
        out = np.where(np.less(sign, 0), np.nan, out)
    if not keepdims:
        out = np.squeeze(out, axis=axis) if axis is not None else np.reshape(out, ())
        sign = np.reshape(sign, np.shape(unbox(out)))
    if return_sign:
        return out, sign
    return out


def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) over `axis` (scipy.special.softmax); its Jacobian is
    diag(p) - p p^T along the axis."""
    return np.exp(x - logsumexp(x, axis=axis, keepdims=True))


def log_softmax(x, axis=None):
    """x - logsumexp(x) over `axis` (scipy.special.log_softmax)."""
    return x - logsumexp(x, axis=axis, keepdims=True)
