"""Evenly spaced values with traced endpoints: linspace, logspace, geomspace (a constant ramp
scaled and shifted by the endpoints, so both modes follow from arithmetic and where).
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, unbox
from hodiff.numpy.elementwise import exp, log, power, where
from hodiff.numpy.arrangement import asarray
from hodiff.numpy.shape import moveaxis, reshape
from hodiff.numpy.backend import is_foreign, put
from hodiff.numpy.shorthand import is_complex, shape_of

COMPOSITES = {"linspace": "ramp * (stop - start) + start (ends exact)",
              "logspace": "power(base, linspace)", "geomspace": "exp(linspace of logs)"}


def _traced(*xs):
    return any(isinstance(x, Box) for x in xs)


def _ramp(num, nd, div, dtype):
    # The plain ramp 0, 1/div, ..., (num-1)/div along a new leading axis.
    r = _np.arange(num, dtype=dtype) / div if div > 0 else _np.arange(num, dtype=dtype)
    return r.reshape((-1,) + (1,) * nd)


def _last_is(y, value, num):
    mask = (_np.arange(num) == num - 1).reshape((-1,) + (1,) * (len(shape_of(y)) - 1))
    return where(put(mask, y), value, y)


def _first_is(y, value):
    mask = (_np.arange(shape_of(y)[0]) == 0).reshape((-1,) + (1,) * (len(shape_of(y)) - 1))
    return where(put(mask, y), value, y)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *,
             device=None):
    """numpy.linspace; differentiable in `start` and `stop` (arrays broadcast, as numpy's)."""
    if not _traced(start, stop):
        return _np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    num = int(num)
    start, stop = asarray(start), asarray(stop)
    div = (num - 1) if endpoint else num
    delta = stop - start
    dt = _np.result_type(unbox(start), unbox(stop), float)
    ramp = _ramp(num, len(shape_of(delta)), div, _np.empty(0, dt).real.dtype)
    y = put(ramp, delta) * delta + start
    if endpoint and num > 1:
        y = _last_is(y, stop, num)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None and _np.dtype(dtype).kind in "fc":
        y = y.astype(dtype)
    if retstep:
        return y, (delta / div if div > 0 else delta * _np.nan)
    return y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """numpy.logspace: base ** linspace(start, stop); differentiable in start, stop, base."""
    if not _traced(start, stop, base):
        return _np.logspace(start, stop, num, endpoint, base, dtype, axis)
    nd = max(len(shape_of(start)), len(shape_of(stop)), len(shape_of(base)))
    like = next(a for a in (start, stop, base) if isinstance(a, Box))
    start, stop, base = (reshape(a if isinstance(a, Box) else put(asarray(a), like),
                                 (1,) * (nd - len(shape_of(a))) + shape_of(a))
                         for a in (start, stop, base))
    y = linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    base = reshape(base, _np.expand_dims(_np.empty(shape_of(base), bool), axis).shape)
    out = power(base, y)
    return out.astype(dtype) if dtype is not None else out


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """numpy.geomspace for real endpoints of one sign; the ends are exact."""
    if not _traced(start, stop):
        return _np.geomspace(start, stop, num, endpoint, dtype, axis)
    if is_complex(start) or is_complex(stop):
        raise NotImplementedError("geomspace with complex traced endpoints")
    start, stop = asarray(start), asarray(stop)
    sign = _np.sign(unbox(start))
    # (checked on NumPy values only: on CuPy and Dask the check would read them on the host)
    if not is_foreign(start) and (_np.any(sign != _np.sign(unbox(stop))) or _np.any(sign == 0)):
        raise ValueError("geomspace: start and stop must be nonzero and of the same sign")
    a, b = start * sign, stop * sign
    y = exp(linspace(log(a), log(b), num=num, endpoint=endpoint))
    if num > 0:
        y = _first_is(y, a)
    if endpoint and num > 1:
        y = _last_is(y, b, num)
    y = y * sign
    if axis != 0:
        y = moveaxis(y, 0, axis)
    return y.astype(dtype) if dtype is not None else y
