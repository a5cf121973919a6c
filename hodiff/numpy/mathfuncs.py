"""Elementwise extras: sinc and copysign (primitives), heaviside and the index finders
searchsorted, nonzero, flatnonzero, argwhere (no derivative), nan_to_num, real_if_close,
and numpy 2's array-API aliases (acos, asin, atan2, pow, ...) of existing primitives.
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, unbox
from hodiff.numpy import elementwise as _E
from hodiff.numpy.elementwise import absolute, cos, imag, less, real, sign, signbit, where
from hodiff.numpy.backend import is_foreign
from hodiff.numpy.shorthand import elementwise, is_complex, nondiff

COMPOSITES = {
    "nan_to_num": "where (derivative 1 at finite values, 0 at replaced ones)",
    "real_if_close": "real (when the imaginary parts are negligible)",
    "acos": "alias of arccos", "acosh": "alias of arccosh", "asin": "alias of arcsin",
    "asinh": "alias of arcsinh", "atan": "alias of arctan", "atanh": "alias of arctanh",
    "atan2": "alias of arctan2", "pow": "alias of power",
}

_PI = float(_np.pi)


def _sinc_partial(ans, x):
    # d/dx sin(pi x)/(pi x) = (cos(pi x) - sinc(x)) / x. Near 0 that cancels, so the Taylor
    # series -pi^2 x/3 + pi^4 x^3/30 (error < 1e-16 for |x| < 1e-3) is used: it is also exact
    # in value and slope at 0, where the second derivative is -pi^2/3.
    small = less(absolute(x), 1e-3)
    safe = where(small, 1.0, x)
    series = x * (-(_PI ** 2) / 3 + (_PI ** 4 / 30) * x * x)
    return where(small, series, (cos(_PI * safe) - ans) / safe)


sinc = elementwise(_np.sinc, _sinc_partial)
heaviside = nondiff(_np.heaviside)
# |x1| with x2's sign: slope +-sign(x1) in x1 (0 at x1 = 0), 0 in x2 (piecewise constant).
copysign = elementwise(
    _np.copysign,
    lambda ans, x1, x2: sign(x1) * where(signbit(x2), -1.0, 1.0).astype(
        _np.result_type(unbox(ans))), lambda ans, x1, x2: 0.0)
searchsorted = nondiff(_np.searchsorted)
nonzero = nondiff(_np.nonzero)
flatnonzero = nondiff(_np.flatnonzero)
argwhere = nondiff(_np.argwhere)

acos, acosh, asin, asinh = _E.arccos, _E.arccosh, _E.arcsin, _E.arcsinh
atan, atanh, atan2, pow = _E.arctan, _E.arctanh, _E.arctan2, _E.power  # noqa: A001


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """numpy.nan_to_num: NaN and infinities become constants (derivative 0 there); real and
    imaginary parts are treated separately."""
    if not isinstance(x, Box):
        return _np.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
    if is_complex(x):
        return (nan_to_num(real(x), nan=nan, posinf=posinf, neginf=neginf)
                + 1j * nan_to_num(imag(x), nan=nan, posinf=posinf, neginf=neginf))
    xv = unbox(x)
    finite = _np.isfinite(xv)
    if not is_foreign(xv) and finite.all():
        return x
    return where(finite, x, _np.nan_to_num(xv, nan=nan, posinf=posinf, neginf=neginf))


def real_if_close(a, tol=100):
    """numpy.real_if_close: the real part when every imaginary part is within `tol` machine
    epsilons of zero (decided on the values; the derivative goes through `real`)."""
    if not isinstance(a, Box):
        return _np.real_if_close(a, tol=tol)
    av = unbox(a)
    av = av if hasattr(av, "dtype") else _np.asarray(av)
    if av.dtype.kind != "c":
        return a
    if tol > 1:
        tol = _np.finfo(av.dtype).eps * tol
    return real(a) if _np.all(_np.absolute(av.imag) < tol) else a
