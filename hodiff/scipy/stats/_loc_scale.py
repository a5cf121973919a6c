"""Loc-scale families: logpdf, pdf, cdf, logcdf, sf, logsf, ppf, isf and entropy from the
standard form of a distribution, with scipy's signatures ``f(x, *shapes, loc=0, scale=1)``.
Imports hodiff.numpy and the shared distribution helpers.
"""
from __future__ import annotations

import numpy as _np

import hodiff.numpy as np
from hodiff.scipy.stats._distribution import outside_to, plain, safe, standardize


def _split(args, kwds, nshapes, names):
    args = list(args)
    shapes = []
    for name in names:
        shapes.append(kwds.pop(name) if name in kwds else args.pop(0))
    loc = kwds.pop("loc", args.pop(0) if args else 0.0)
    scale = kwds.pop("scale", args.pop(0) if args else 1.0)
    if args or kwds:
        raise TypeError(f"unexpected arguments {args} {kwds}")
    return shapes, loc, scale


def define(namespace, shape_names=(), *, logpdf, cdf, sf=None, logcdf=None, logsf=None,
           ppf=None, isf=None, entropy=None, support=None, stand_in=0.5, lower=0.0):
    """Fill `namespace` (a module's globals) with the family's functions.

    logpdf(z, *shapes) etc. are the standard forms (loc 0, scale 1). support(z, *shapes) is a
    plain mask of where the density is positive (None: everywhere); outside it the standard
    functions are evaluated at `stand_in`, and cdf is 0 at or below `lower` and 1 above the support.
    """
    n = len(shape_names)

    def prepare(x, args, kwds):
        shapes, loc, scale = _split(args, dict(kwds), n, shape_names)
        z = standardize(x, loc, scale)
        if support is None:
            return z, shapes, scale, True, None
        inside = support(plain(z), *[plain(s) for s in shapes])
        return safe(z, inside, stand_in), shapes, scale, inside, plain(z)

    def _logpdf(x, *args, **kwds):
        z, shapes, scale, inside, _ = prepare(x, args, kwds)
        return outside_to(logpdf(z, *shapes) - np.log(scale), inside, -_np.inf)

    def _pdf(x, *args, **kwds):
        z, shapes, scale, inside, _ = prepare(x, args, kwds)
        return outside_to(np.exp(logpdf(z, *shapes)) / scale, inside, 0.0)

    def _cdf_like(std, fill_below, fill_above):
        def f(x, *args, **kwds):
            z, shapes, scale, inside, raw = prepare(x, args, kwds)
            with _np.errstate(divide="ignore"):  # log(0) = -inf at an end, as scipy
                out = std(z, *shapes)
            if raw is None or _np.all(inside):
                return out
            return np.where(inside, out, np.where(raw <= lower, fill_below, fill_above))
        return f

    _sf_std = sf or (lambda z, *s: 1 - cdf(z, *s))
    _logcdf_std = logcdf or (lambda z, *s: np.log(cdf(z, *s)))
    _logsf_std = logsf or (lambda z, *s: np.log(_sf_std(z, *s)))

    def _ppf(q, *args, **kwds):
        shapes, loc, scale = _split(args, dict(kwds), n, shape_names)
        return loc + scale * ppf(q, *shapes)

    def _isf(q, *args, **kwds):
        shapes, loc, scale = _split(args, dict(kwds), n, shape_names)
        return loc + scale * (isf(q, *shapes) if isf else ppf(1 - q, *shapes))

    def _entropy(*args, **kwds):
        shapes, loc, scale = _split(args, dict(kwds), n, shape_names)
        return entropy(*shapes) + np.log(scale)

    namespace.update(
        logpdf=_logpdf, pdf=_pdf, cdf=_cdf_like(cdf, 0.0, 1.0),
        logcdf=_cdf_like(_logcdf_std, -_np.inf, 0.0), sf=_cdf_like(_sf_std, 1.0, 0.0),
        logsf=_cdf_like(_logsf_std, 0.0, -_np.inf))
    if ppf is not None:
        namespace.update(ppf=_ppf, isf=_isf)
    if entropy is not None:
        namespace["entropy"] = _entropy
    name = namespace["__name__"].rsplit(".", 1)[-1]
    params = ", ".join((*shape_names, "loc=0, scale=1"))
    for fun_name in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf"):
        if fun_name in namespace:
            fun = namespace[fun_name]
            fun.__name__ = fun.__qualname__ = fun_name
            fun.__doc__ = (f"scipy.stats.{name}.{fun_name}(x, {params}), differentiable in x "
                           "and every parameter.")
    if "entropy" in namespace:
        namespace["entropy"].__name__ = "entropy"
        namespace["entropy"].__doc__ = f"scipy.stats.{name}.entropy({params})."
