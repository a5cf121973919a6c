"""Order statistics and NaN-aware reductions: sort, partition, median, quantile, percentile,
their nan- versions, nansum and friends, ptp, average, cov, corrcoef, cumulative_sum/prod;
mean, var and std that also take a list of traced scalars.

All are built from primitives (argsort and argpartition pick the order, carrying no derivative;
take_along_axis gathers; where masks NaNs), so both modes follow. A sorted value's derivative
goes to the element that sits there; quantiles interpolate linearly between two of them, so
they are differentiable in `q` too (piecewise linear).
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, lookup, unbox
from hodiff.numpy import reductions as _R
from hodiff.numpy.arrangement import array, take_along_axis
from hodiff.numpy.elementwise import conjugate, real, sqrt, where
from hodiff.numpy.linear import dot
from hodiff.numpy.shape import (
    _has_box,
    concatenate,
    moveaxis,
    ravel,
    reshape,
    transpose,
)
from hodiff.numpy.backend import is_dask, is_foreign, put
from hodiff.numpy.shorthand import is_complex, nondiff, shape_of

COMPOSITES = {
    "sort": "argsort + take_along_axis", "partition": "argpartition + take_along_axis",
    "median": "sort + linear interpolation", "quantile": "sort + linear interpolation",
    "percentile": "quantile", "nanmedian": "sort (NaNs last) + interpolation",
    "nanquantile": "sort (NaNs last) + interpolation", "nanpercentile": "nanquantile",
    "nansum": "where + sum", "nanmean": "where + sum", "nanvar": "where + sum",
    "nanstd": "nanvar + sqrt", "nanmax": "where + max", "nanmin": "where + min",
    "nanprod": "where + prod", "nancumsum": "where + cumsum", "nancumprod": "where + cumprod",
    "ptp": "max - min", "average": "sum", "cov": "dot", "corrcoef": "cov",
    "cumulative_sum": "cumsum + concatenate", "cumulative_prod": "cumprod + concatenate",
    "mean": "sum (also of a list of traced scalars)", "var": "sum", "std": "var + sqrt",
}

argpartition = nondiff(_np.argpartition)


def _as_array(a):
    return array(a) if isinstance(a, (list, tuple)) and _has_box(a) else a


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.mean; `a` may be a list of traced values."""
    return _R.mean(_as_array(a), axis=axis, dtype=dtype, keepdims=keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.var with `ddof`; `a` may be a list of traced values."""
    return _R.var(_as_array(a), axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.std with `ddof`; `a` may be a list of traced values."""
    return _R.std(_as_array(a), axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


# -- sorting -----------------------------------------------------------------------------------
def sort(a, axis=-1, kind=None, order=None, stable=None):
    """numpy.sort; the derivative follows each element to where it lands (ties in the order
    numpy's stable argsort gives)."""
    if not isinstance(a, Box):
        return _np.sort(a, axis=axis, kind=kind, order=order, stable=stable)
    if axis is None:
        a, axis = ravel(a), 0
    idx = _np.argsort(unbox(a), axis=axis, kind=kind, stable=stable)
    return take_along_axis(a, idx, axis)


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """numpy.partition: the k-th element in sorted place, smaller ones before, larger after."""
    if not isinstance(a, Box):
        return _np.partition(a, kth, axis=axis, kind=kind, order=order)
    if axis is None:
        a, axis = ravel(a), 0
    return take_along_axis(a, _np.argpartition(unbox(a), kth, axis=axis), axis)


# -- quantiles ---------------------------------------------------------------------------------
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _quantile(a, q, axis, keepdims, method, skip_nan):
    if method not in _METHODS:
        raise NotImplementedError(f"quantile method {method!r} on a traced value; "
                                  f"supported: {_METHODS}")
    a = _as_array(a)
    shape = shape_of(a)
    nd = len(shape)
    axes = tuple(range(nd)) if axis is None else tuple(
        ax % nd for ax in ((axis,) if _np.ndim(axis) == 0 else axis))
    rest = [d for d in range(nd) if d not in axes]
    x = transpose(a, tuple(rest) + axes) if axes != tuple(range(nd - len(axes), nd)) else a
    n = int(_np.prod([shape[d] for d in axes]))
    lead = tuple(shape[d] for d in rest)
    x = reshape(x, lead + (n,))
    xs = take_along_axis(x, _argsort_last(unbox(x)), -1)  # NaNs sort last
    # The positions are computed where the values live (CuPy, Dask: no trip to the host).
    valid = (_np.sum(_np.logical_not(_np.isnan(unbox(xs))), axis=-1, keepdims=True)
             if skip_nan else put(_np.full(lead + (1,), n), x))
    qu = unbox(q)
    qshape = _np.shape(qu)
    nq = int(_np.prod(qshape))
    if isinstance(q, Box):
        qb = reshape(q, (1,) * len(lead) + (nq,))
    else:
        qb = (qu if is_foreign(qu) else put(_np.asarray(qu, dtype=float), x)).reshape(
            (1,) * len(lead) + (nq,))
    top = _np.maximum(valid - 1, 0)
    pos = qb * top  # virtual index, traced when q is
    pv = unbox(pos)
    lo = _np.clip(_np.floor(pv), 0, top).astype(_np.intp)
    hi = _np.minimum(lo + 1, top)
    lo, hi = _np.broadcast_to(lo, lead + (nq,)), _np.broadcast_to(hi, lead + (nq,))
    below = take_along_axis(xs, lo, -1)
    if method == "lower":
        out = below
    elif method == "higher":
        out = take_along_axis(xs, _pick(_np.ceil(pv), top, lo.shape), -1)
    elif method == "nearest":
        out = take_along_axis(xs, _pick(_np.around(pv), top, lo.shape), -1)
    else:
        above = take_along_axis(xs, hi, -1)
        if method == "midpoint":
            frac = _np.where(pv % 1 == 0, 0.0, 0.5)
        else:
            frac = pos - lo
        out = below + frac * (above - below)
    # q's axes first, then the kept axes (with ones where reduced, for keepdims)
    out = moveaxis(out, -1, 0)
    kept = [1 if d in axes else shape[d] for d in range(nd)] if keepdims else list(lead)
    return reshape(out, tuple(qshape) + tuple(kept))


def _argsort_last(v):
    # Dask has no argsort: sort each row within one chunk (lazily; the axis is whole anyway).
    if is_dask(v):
        return v.rechunk({v.ndim - 1: -1}).map_blocks(_np.argsort, axis=-1, dtype=_np.intp)
    return _np.argsort(v, axis=-1)


def _pick(pos, top, shape):
    return _np.broadcast_to(_np.clip(pos, 0, top).astype(_np.intp), shape)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):
    """numpy.quantile (methods linear, lower, higher, nearest, midpoint); differentiable in `a`
    and in `q`."""
    if not (isinstance(a, Box) or isinstance(q, Box) or (isinstance(a, list) and _has_box(a))):
        return _np.quantile(a, q, axis=axis, method=method, keepdims=keepdims)
    return _quantile(a, q, axis, keepdims, method, False)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):
    """numpy.percentile: quantile at q / 100."""
    q = q if isinstance(q, Box) else _np.asarray(q)
    return quantile(a, q / 100, axis=axis, method=method, keepdims=keepdims)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """numpy.median: the 0.5 quantile (the mean of the two middle values for an even count)."""
    if not (isinstance(a, Box) or (isinstance(a, list) and _has_box(a))):
        return _np.median(a, axis=axis, keepdims=keepdims)
    return _quantile(a, 0.5, axis, keepdims, "linear", False)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):
    """numpy.nanquantile: quantile ignoring NaNs."""
    if not (isinstance(a, Box) or isinstance(q, Box)):
        return _np.nanquantile(a, q, axis=axis, method=method, keepdims=keepdims)
    return _quantile(a, q, axis, keepdims, method, True)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None, interpolation=None):
    """numpy.nanpercentile: nanquantile at q / 100."""
    q = q if isinstance(q, Box) else _np.asarray(q)
    return nanquantile(a, q / 100, axis=axis, method=method, keepdims=keepdims)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """numpy.nanmedian."""
    if not isinstance(a, Box):
        return _np.nanmedian(a, axis=axis, keepdims=keepdims)
    return _quantile(a, 0.5, axis, keepdims, "linear", True)


# -- NaN-aware reductions: NaNs are replaced by the reduction's identity (no derivative there) --
def _fill_nan(a, value):
    mask = _np.isnan(unbox(a))
    return where(mask, value, a) if _np.any(mask) else a


def _count(a, axis, keepdims):
    return _np.sum(~_np.isnan(unbox(a)), axis=axis, keepdims=keepdims)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.nansum."""
    return _R.sum(_fill_nan(a, 0), axis=axis, dtype=dtype, keepdims=keepdims)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.nanprod."""
    return _R.prod(_fill_nan(a, 1), axis=axis, keepdims=keepdims)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    """numpy.nanmean."""
    return nansum(a, axis=axis, dtype=dtype, keepdims=keepdims) / _count(a, axis, keepdims)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.nanvar (for complex input, the mean of |a - mean|**2 over the non-NaN values)."""
    m = nanmean(a, axis=axis, dtype=dtype, keepdims=True)
    c = _fill_nan(a - m, 0)
    sq = real(c * conjugate(c)) if is_complex(a) else c * c
    return _R.sum(sq, axis=axis, dtype=dtype, keepdims=keepdims) / (
        _count(a, axis, keepdims) - ddof)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """numpy.nanstd."""
    return sqrt(nanvar(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims))


def nanmax(a, axis=None, out=None, keepdims=False):
    """numpy.nanmax."""
    return _R.max(_fill_nan(a, -_np.inf), axis=axis, keepdims=keepdims)


def nanmin(a, axis=None, out=None, keepdims=False):
    """numpy.nanmin."""
    return _R.min(_fill_nan(a, _np.inf), axis=axis, keepdims=keepdims)


def nancumsum(a, axis=None, dtype=None, out=None):
    """numpy.nancumsum."""
    return _R.cumsum(_fill_nan(a, 0), axis=axis)


def _cumprod():
    import hodiff.numpy as hnp
    return hnp.cumprod


def nancumprod(a, axis=None, dtype=None, out=None):
    """numpy.nancumprod (through hodiff's cumprod)."""
    return _cumprod()(_fill_nan(a, 1), axis=axis)


def ptp(a, axis=None, out=None, keepdims=False):
    """numpy.ptp: max - min."""
    return _R.max(a, axis=axis, keepdims=keepdims) - _R.min(a, axis=axis, keepdims=keepdims)


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """numpy.average; differentiable in `a` and `weights`."""
    a = _as_array(a)
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        scl = _np.broadcast_to(_np.asarray(_np.size(unbox(a)) / _np.size(unbox(avg)),
                                           dtype=_np.result_type(unbox(avg))),
                               shape_of(avg))
    else:
        w = weights
        if shape_of(w) != shape_of(a):
            if axis is None or _np.ndim(axis) != 0:
                raise TypeError("1D weights expected when shapes of a and weights differ.")
            nd = len(shape_of(a))
            w = reshape(w, tuple(-1 if d == axis % nd else 1 for d in range(nd)))
        scl = _R.sum(w * (a * 0 + 1), axis=axis, keepdims=keepdims)
        avg = _R.sum(a * w, axis=axis, keepdims=keepdims) / scl
    return (avg, scl) if returned else avg


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """numpy.cov (without frequency or analytic weights)."""
    if fweights is not None or aweights is not None:
        raise NotImplementedError("cov with weights on a traced value")
    x = m if len(shape_of(m)) >= 2 else reshape(m, (1, -1))
    if not rowvar and shape_of(x)[0] != 1:
        x = transpose(x)
    if y is not None:
        yy = y if len(shape_of(y)) >= 2 else reshape(y, (1, -1))
        if not rowvar and shape_of(yy)[0] != 1:
            yy = transpose(yy)
        x = concatenate([x, yy], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    n = shape_of(x)[1]
    x = x - _R.mean(x, axis=1, keepdims=True)
    xc = conjugate(x) if is_complex(x) else x
    c = dot(x, transpose(xc)) / (n - ddof)
    return reshape(c, ()) if shape_of(c) == (1, 1) else c


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """numpy.corrcoef: the covariance scaled by the standard deviations (unclipped)."""
    c = cov(x, y, rowvar)
    if len(shape_of(c)) == 0:
        return c / c
    d = sqrt(real(lookup("getitem")(c, (_np.arange(shape_of(c)[0]),) * 2)))
    return c / reshape(d, (-1, 1)) / reshape(d, (1, -1))


# -- cumulative_sum / cumulative_prod (numpy 2.1) ----------------------------------------------
def _with_initial(out, x, axis, value):
    s = list(shape_of(out))
    s[axis] = 1
    first = _np.full(s, value, dtype=_np.result_type(unbox(out)))
    return concatenate([put(first, out), out], axis=axis)


def _cumulative(fun, x, axis, include_initial, value):
    nd = len(shape_of(x))
    if axis is None:
        if nd > 1:
            raise ValueError("axis must be given for arrays of more than one dimension")
        axis = 0
    if nd == 0:
        x = reshape(x, (1,))
        nd = 1
    out = fun(x, axis=axis % nd)
    return _with_initial(out, x, axis % nd, value) if include_initial else out


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """numpy.cumulative_sum."""
    if not isinstance(x, Box):
        return _np.cumulative_sum(x, axis=axis, dtype=dtype, include_initial=include_initial)
    return _cumulative(_R.cumsum, x, axis, include_initial, 0)


def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """numpy.cumulative_prod, through hodiff's cumprod."""
    if not isinstance(x, Box):
        return _np.cumulative_prod(x, axis=axis, dtype=dtype, include_initial=include_initial)
    return _cumulative(_cumprod(), x, axis, include_initial, 1)
