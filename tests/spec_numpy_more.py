"""Spec rows for the rest of numpy's namespace: arrangement, order statistics and NaN-aware
reductions, differences and interpolation, convolution and polynomials, more products, sinc,
r_/c_. Most of these functions are built from primitives, so a row names the primitive its
callable goes through (with the function in the label) and checks numpy's value (`ref`).
"""
from __future__ import annotations

import numpy as onp
from spec import ANY, NONZERO, POS, SMALL, Dom, _nondiff, _spec, cases, distinct, grid

import hodiff.numpy as np
from hodiff.core import all_primitives


def _joined(f):
    """A function returning a list of arrays, as one array (each piece scaled by its place, so
    a mixed-up order would show)."""
    def run(*args, **kw):
        parts = f(*args, **kw)
        return np.concatenate([np.ravel(p) * (i + 1.0) for i, p in enumerate(parts)])
    return run


def _joined_ref(f):
    def run(*args, **kw):
        parts = f(*args, **kw)
        return onp.concatenate([onp.ravel(p) * (i + 1.0) for i, p in enumerate(parts)])
    return run


def _row(prim, name, shapes, im=ANY, **kw):
    """A row for numpy function `name` (hodiff's and numpy's), going through primitive `prim`."""
    return _spec(prim, getattr(np, name), shapes, im=im, label=name,
                 ref=kw.pop("ref", getattr(onp, name)), **kw)


def _spread(args):
    """The first argument's values in order but at least 0.25 apart and with NaN nowhere near:
    sort-based functions see no ties."""
    return distinct(args)


def _with_nans(args):
    x = onp.array(distinct(args)[0])
    flat = x.reshape(-1)
    flat[1::3] = onp.nan
    return (x,) + args[1:]


_MASK4 = onp.array([True, False, True, True])
_COND23 = onp.array([[True, False, True], [False, False, True]])
_INT23 = onp.array([[0, 1, 1], [1, 0, 0]])
_TRIM = onp.array([0.0, 1.0, 0.0, 1.0, 0.0])
_COORDS = onp.array([0.0, 0.5, 1.5, 2.0])
_XP = onp.array([-1.0, -0.2, 0.5, 1.4])

ARRANGEMENT = [
    _spec("getitem", _joined(np.split), cases(
        ((6,), {"indices_or_sections": 3}), ((2, 4), {"indices_or_sections": [1, 3], "axis": 1})),
        im=ANY, label="split", ref=_joined_ref(onp.split)),
    _spec("getitem", _joined(np.array_split), cases(
        ((5,), {"indices_or_sections": 3}), ((3, 2), {"indices_or_sections": 2})),
        label="array_split", ref=_joined_ref(onp.array_split)),
    _spec("getitem", _joined(np.hsplit), cases(((2, 4), {"indices_or_sections": 2})),
          label="hsplit", ref=_joined_ref(onp.hsplit)),
    _spec("getitem", _joined(np.vsplit), cases(((4, 2), {"indices_or_sections": [1]})),
          label="vsplit", ref=_joined_ref(onp.vsplit)),
    _spec("getitem", _joined(np.dsplit), cases(((1, 2, 4), {"indices_or_sections": 2})),
          label="dsplit", ref=_joined_ref(onp.dsplit)),
    _row("reshape", "atleast_1d", grid([()]), im=None),
    _row("reshape", "atleast_2d", grid([(), (2,)]), im=None),
    _row("reshape", "atleast_3d", grid([(), (2,), (2, 2)]), im=None),
    _spec("concatenate", lambda x, y: np.dstack([x, y]), grid([((2,), (2,)), ((2, 2), (2, 2))]),
          label="dstack", ref=lambda x, y: onp.dstack([x, y])),
    _row("flip", "fliplr", grid([(2, 3)])),
    _row("flip", "flipud", grid([(3,), (2, 3)]), im=None),
    _row("transpose", "rot90", cases(((2, 3), {}), ((2, 3), {"k": 3}),
                                     ((2, 3, 2), {"axes": (1, 2)}))),
    _row("flip", "rot90", cases(((2, 3), {"k": 2}),), im=None),
    _row("getitem", "roll", cases(((4,), {"shift": 1}), ((2, 3), {"shift": -1, "axis": 1}),
                                  ((2, 3), {"shift": (1, 2), "axis": (0, 1)}),
                                  ((2, 3), {"shift": 2}))),
    _row("transpose", "rollaxis", cases(((2, 3, 4), {"axis": 2}),
                                        ((2, 3, 4), {"axis": 0, "start": 2})), im=None),
    _row("transpose", "permute_dims", cases(((2, 3, 4), {"axes": (2, 0, 1)})), im=None),
    _row("transpose", "matrix_transpose", grid([(2, 3), (2, 2, 3)])),
    _row("getitem", "pad", cases(
        ((3,), {"pad_width": 2}), ((2, 3), {"pad_width": ((1, 0), (0, 2)), "mode": "edge"}),
        ((4,), {"pad_width": (2, 3), "mode": "reflect"}),
        ((3,), {"pad_width": 4, "mode": "symmetric"}),
        ((2, 3), {"pad_width": 1, "mode": "wrap"}),
        ((2, 2), {"pad_width": 1, "constant_values": 2.5}))),
    _row("tensordot", "pad", cases(
        ((4,), {"pad_width": (2, 1), "mode": "reflect", "reflect_type": "odd"}),
        ((2, 3), {"pad_width": ((0, 1), (2, 1)), "mode": "symmetric", "reflect_type": "odd"}),
        ((2, 3), {"pad_width": 2, "mode": "linear_ramp", "end_values": (1.0, -2.0)}),
        ((3, 2), {"pad_width": ((1, 2), (1, 0)), "mode": "mean"}),
        ((4,), {"pad_width": 2, "mode": "mean", "stat_length": 2})), im=SMALL),
    _row("max", "pad", cases(((2, 3), {"pad_width": 1, "mode": "maximum"})), im=None,
         prep=_spread),
    _row("min", "pad", cases(((4,), {"pad_width": (1, 2), "mode": "minimum",
                                     "stat_length": 2})), im=None, prep=_spread),
    # odd lengths: the medians padded along axis 0 are distinct elements, so no ties on axis 1
    _row("getitem", "pad", cases(((3,), {"pad_width": 1, "mode": "median"}),
                                 ((3, 3), {"pad_width": ((1, 1), (0, 2)), "mode": "median"})),
         im=None, prep=_spread),
    _spec("getitem", lambda x, c: np.pad(x, 1, constant_values=c), grid([((2, 2), ())]),
          label="pad traced constant",
          ref=lambda x, c: onp.pad(x, 1, constant_values=c)),
    _row("getitem", "take_along_axis", cases(
        ((3, 2), {"indices": onp.array([[2, 0], [1, 1]]), "axis": 0}),
        ((2, 3), {"indices": onp.array([[2], [0]]), "axis": -1}),
        ((4,), {"indices": onp.array([3, 3, 0]), "axis": None}))),
    _spec("getitem", lambda x, **kw: np.compress(kw.pop("c"), x, **kw), cases(
        ((4, 2), {"c": [True, False, True], "axis": 0}), ((2, 3), {"c": _MASK4[:3]})),
        im=ANY, label="compress", ref=lambda x, **kw: onp.compress(kw.pop("c"), x, **kw)),
    _spec("getitem", lambda x: np.extract(_COND23, x), grid([(2, 3)]), im=ANY,
          label="extract", ref=lambda x: onp.extract(_COND23, x)),
    _spec("getitem", lambda x, y: np.choose(_INT23, [x, y]), grid([((2, 3), (2, 3)),
                                                                   ((3,), (2, 3))]),
          im=ANY, label="choose", ref=lambda x, y: onp.choose(_INT23, [x, y])),
    _spec("where", lambda x, y: np.select([_COND23, ~_COND23[::-1]], [x, y], 0.5),
          grid([((2, 3), (2, 3)), ((3,), (2, 3))]), im=ANY, label="select",
          ref=lambda x, y: onp.select([_COND23, ~_COND23[::-1]], [x, y], 0.5)),
    _spec("getitem", lambda x, v, **kw: np.insert(x, kw["obj"], v, kw.get("axis")), cases(
        (((4,), ()), {"obj": 1}), (((4,), (2,)), {"obj": [0, 3]}),
        (((2, 3), (2,)), {"obj": 1, "axis": 1}), (((2, 2), (2,)), {"obj": 2, "axis": None})),
        label="insert",
        ref=lambda x, v, **kw: onp.insert(x, kw["obj"], v, kw.get("axis"))),
    _row("getitem", "delete", cases(((4,), {"obj": 1}), ((2, 3), {"obj": [0, 2], "axis": 1}),
                                    ((2, 3), {"obj": slice(0, 4, 2)}))),
    _spec("concatenate", lambda x, v, **kw: np.append(x, v, **kw), cases(
        (((3,), (2, 2)), {}), (((2, 3), (1, 3)), {"axis": 0})), im=ANY, label="append",
        ref=lambda x, v, **kw: onp.append(x, v, **kw)),
    _spec("concatenate", lambda x, y, **kw: np.concat([x, y], **kw), cases(
        (((2, 3), (1, 3)), {}), (((2,), (3,)), {"axis": None})), label="concat",
        ref=lambda x, y, **kw: onp.concat([x, y], **kw)),
    _spec("getitem", _joined(np.unstack), cases(((2, 3), {}), ((2, 3), {"axis": 1})),
          im=ANY, label="unstack", ref=_joined_ref(onp.unstack)),
    _row("getitem", "resize", cases(((3,), {"new_shape": (2, 4)})), im=None),
    _spec("getitem", lambda x: np.trim_zeros(x * _TRIM), grid([(5,)]), dom=POS,
          label="trim_zeros", ref=lambda x: onp.trim_zeros(x * _TRIM)),
    _spec("broadcast_to", lambda x, y, **kw: np.stack(np.meshgrid(x, y, **kw)), cases(
        (((3,), (2,)), {}), (((3,), (2,)), {"indexing": "ij"})), label="meshgrid",
        ref=lambda x, y, **kw: onp.stack(onp.meshgrid(x, y, **kw))),
    _spec("broadcast_to", lambda x, y: np.stack(np.broadcast_arrays(x, y)),
          grid([((3,), (2, 1))]), label="broadcast_arrays",
          ref=lambda x, y: onp.stack(onp.broadcast_arrays(x, y))),
    _row("untake", "diagflat", cases(((3,), {}), ((2, 2), {"k": -1}))),
    _row("multiply", "kron", grid([((2,), (3,)), ((2, 2), (2, 3)), ((2,), (2, 2))])),
    _spec("index_update", lambda x, v: _put_along(x, v),
          grid([((2, 3), (2, 1))]), label="put_along_axis",
          ref=lambda x, v: _put_along_ref(x, v)),
    _spec("concatenate", lambda x, y: np.r_[x, 0.5, 1:3, y], grid([((2,), ()), ((2,), (3,))]),
          im=ANY, label="r_", ref=lambda x, y: onp.r_[x, 0.5, 1:3, y]),
    _spec("concatenate", lambda x, y: np.c_[x, y], grid([((3,), (3,)), ((3, 2), (3,))]),
          label="c_", ref=lambda x, y: onp.c_[x, y]),
    _spec("concatenate", lambda x, y: np.r_["0,2,1", x, y], grid([((3,), (3,))]),
          label="r_ directive", ref=lambda x, y: onp.r_["0,2,1", x, y]),
]

_PUT_IDX = onp.array([[2], [0]])


def _put_along(x, v):
    y = x * 1.0
    np.put_along_axis(y, _PUT_IDX, v, axis=1)
    return y


def _put_along_ref(x, v):
    y = onp.array(x, dtype=onp.result_type(x, v))
    onp.put_along_axis(y, _PUT_IDX, v, axis=1)
    return y


_Q = onp.array([0.1, 0.5, 0.95])
STATISTICS = [
    _row("getitem", "sort", cases(((4,), {}), ((2, 3), {"axis": 0}), ((2, 3), {"axis": None})),
         im=None, prep=_spread),
    _row("getitem", "partition", cases(((5,), {"kth": 2}), ((2, 3), {"kth": 1, "axis": 0})),
         im=None, prep=_spread),
    _row("getitem", "median", cases(((4,), {}), ((3,), {}), ((2, 3), {"axis": 1}),
                                    ((2, 3, 2), {"axis": (0, 2), "keepdims": True})),
         im=None, prep=_spread),
    _spec("getitem", lambda x, **kw: np.quantile(x, kw.pop("q"), **kw), cases(
        ((5,), {"q": 0.3}), ((2, 4), {"q": _Q, "axis": 1}),
        ((2, 3), {"q": 0.6, "axis": 0, "keepdims": True}),
        ((4,), {"q": 0.4, "method": "lower"}), ((4,), {"q": 0.4, "method": "higher"}),
        ((4,), {"q": 0.4, "method": "nearest"}), ((4,), {"q": 0.4, "method": "midpoint"})),
        prep=_spread, label="quantile",
        ref=lambda x, **kw: onp.quantile(x, kw.pop("q"), **kw)),
    _spec("getitem", lambda x, q: np.quantile(x, q), grid([((5,), ())]),
          dom=(ANY, Dom((0.05, 0.2), (0.3, 0.45), (0.55, 0.7), (0.8, 0.95))),
          prep=_spread, label="quantile in q", ref=onp.quantile),
    _spec("getitem", lambda x, **kw: np.percentile(x, kw.pop("q"), **kw), cases(
        ((5,), {"q": 30.0}), ((2, 3), {"q": [10.0, 90.0], "axis": -1})), prep=_spread,
        label="percentile", ref=lambda x, **kw: onp.percentile(x, kw.pop("q"), **kw)),
    _row("getitem", "nanmedian", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None,
         prep=_with_nans),
    _spec("getitem", lambda x, **kw: np.nanquantile(x, kw.pop("q"), **kw), cases(
        ((5,), {"q": 0.3}), ((2, 4), {"q": _Q, "axis": 1})), prep=_with_nans,
        label="nanquantile", ref=lambda x, **kw: onp.nanquantile(x, kw.pop("q"), **kw)),
    _spec("getitem", lambda x, **kw: np.nanpercentile(x, kw.pop("q"), **kw), cases(
        ((2, 4), {"q": 70.0, "axis": 0})), prep=_with_nans, label="nanpercentile",
        ref=lambda x, **kw: onp.nanpercentile(x, kw.pop("q"), **kw)),
    _row("sum", "nansum", cases(((5,), {}), ((2, 4), {"axis": 1, "keepdims": True})),
         prep=_with_nans),
    _row("sum", "nanmean", cases(((5,), {}), ((2, 4), {"axis": 0})), im=None, prep=_with_nans),
    _row("sum", "nanvar", cases(((5,), {}), ((2, 4), {"axis": 1, "ddof": 1})), im=None,
         prep=_with_nans),
    _row("sum", "nanstd", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None, prep=_with_nans),
    _row("max", "nanmax", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None, prep=_with_nans),
    _row("min", "nanmin", cases(((5,), {}), ((2, 4), {"axis": 0})), im=None, prep=_with_nans),
    _row("prod", "nanprod", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None,
         prep=lambda a: (_with_nans(a)[0] + 0.5,)),  # away from 0, where prod's rule divides
    _row("cumsum", "nancumsum", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None,
         prep=_with_nans),
    _row("max", "ptp", cases(((4,), {}), ((2, 3), {"axis": 0, "keepdims": True})),
         im=None, prep=_spread),
    _row("cumsum", "cumulative_sum", cases(((4,), {}), ((2, 3), {"axis": 1}),
                                           ((2, 3), {"axis": 0, "include_initial": True}))),
    _spec("sum", lambda x, w, **kw: np.average(x, weights=w, **kw), cases(
        (((2, 3), (3,)), {"axis": 1}), (((3,), (3,)), {})), dom=(ANY, POS), label="average",
        ref=lambda x, w, **kw: onp.average(x, weights=w, **kw)),
    _spec("dot", lambda x, **kw: np.cov(x, **kw), cases(((2, 4), {}), ((4, 2), {"rowvar": False}),
                                                       ((3,), {"ddof": 0})), im=ANY,
          label="cov", ref=lambda x, **kw: onp.cov(x, **kw)),
    _spec("dot", np.corrcoef, grid([(2, 4)]), label="corrcoef", ref=onp.corrcoef,
          prep=distinct),
    _spec("sum", lambda x, y, z: np.mean([x, y, z]), grid([((), (), ())]), im=ANY,
          label="mean of a list", ref=lambda x, y, z: onp.mean([x, y, z])),
    _spec("sum", lambda x, y, z: np.var([x, y, z], ddof=1), grid([((), (), ())]), im=ANY,
          label="var of a list, ddof", ref=lambda x, y, z: onp.var([x, y, z], ddof=1)),
    _spec("sum", lambda x, y, z: np.std([x, y, z]), grid([((), (), ())]),
          label="std of a list", ref=lambda x, y, z: onp.std([x, y, z]), prep=distinct),
    _spec("sum", np.std, grid([(4,), (2, 3)], [{"ddof": 1}]), im=ANY, label="std ddof",
          ref=lambda x, **kw: onp.std(x, **kw), prep=distinct),
]

CALCULUS = [
    _row("getitem", "diff", cases(((4,), {}), ((2, 3), {"axis": 0}), ((4,), {"n": 2}))),
    _spec("getitem", lambda x, p: np.diff(x, prepend=p), grid([((3,), ()), ((2, 3), (2, 1))]),
          im=ANY, label="diff prepend", ref=lambda x, p: onp.diff(x, prepend=p)),
    _row("getitem", "ediff1d", cases(((4,), {}), ((2, 2), {"to_begin": [1.0],
                                                          "to_end": [2.0, 3.0]}))),
    _row("getitem", "gradient", cases(((4,), {}), ((4,), {"edge_order": 2}),
                                      ((3, 4), {"axis": 1}))),
    _spec("getitem", lambda f, x, **kw: np.gradient(f, x, **kw), cases(
        (((4,), (4,)), {}), (((4,), (4,)), {"edge_order": 2})), dom=(ANY, POS),
        prep=lambda a: (a[0], onp.cumsum(a[1])), label="gradient with coordinates",
        ref=lambda f, x, **kw: onp.gradient(f, x, **kw)),
    _spec("getitem", lambda f: np.stack(np.gradient(f, 0.5, 2.0)),
          grid([(3, 4)]), label="gradient of every axis",
          ref=lambda f: onp.stack(onp.gradient(f, 0.5, 2.0))),
    _row("sum", "trapezoid", cases(((4,), {}), ((2, 3), {"axis": 0, "dx": 0.5}))),
    _spec("sum", lambda y, x: np.trapezoid(y, x), grid([((4,), (4,)), ((2, 4), (4,))]),
          label="trapezoid with x", ref=lambda y, x: onp.trapezoid(y, x)),
    _spec("getitem", lambda x, xp, fp: np.interp(x, xp, fp), grid([((5,), (4,), (4,))]),
          dom=(Dom((-1.8, -1.1), (-0.9, -0.3), (-0.1, 0.4), (0.6, 1.3), (1.5, 2.0)),
               Dom((-0.04, 0.04)), ANY),
          prep=lambda a: (a[0], _XP + a[1], a[2]), label="interp",
          ref=lambda x, xp, fp: onp.interp(x, xp, fp)),
    _spec("getitem", lambda x, fp: np.interp(x, _XP, fp, left=-3.0), grid([((2, 3), (4,))]),
          dom=(Dom((-1.8, -1.1), (-0.9, -0.3), (-0.1, 0.4), (0.6, 1.3), (1.5, 2.0)), ANY),
          label="interp left",
          ref=lambda x, fp: onp.interp(x, _XP, fp, left=-3.0)),
    _spec("add", np.unwrap, grid([(5,)]), dom=Dom((-3.0, 3.0)), label="unwrap",
          ref=onp.unwrap),
]

SIGNAL = [
    _spec("convolve", np.convolve, grid([((3,), (2,)), ((2,), (4,)), ((1,), (3,))],
                                        [{}, {"mode": "same"}, {"mode": "valid"}]),
          im=ANY, ref=onp.convolve),
    _spec("convolve", np.correlate, grid([((3,), (2,)), ((2,), (3,)), ((2,), (2,))],
                                         [{}, {"mode": "same"}, {"mode": "full"}]),
          im=ANY, label="correlate", ref=onp.correlate),
    _spec("multiply", np.polyval, grid([((3,), ()), ((2,), (2, 2))]), im=ANY, label="polyval",
          ref=onp.polyval),
    _spec("matmul", lambda y, **kw: np.polyfit(_COORDS, y, **kw), cases(
        ((4,), {"deg": 1}), ((4, 2), {"deg": 2}), ((4,), {"deg": 1, "w": [1.0, 2.0, 1.0, .5]})),
        label="polyfit", ref=lambda y, **kw: onp.polyfit(_COORDS, y, **kw)),
    _spec("add", np.polyadd, grid([((3,), (2,))]), im=ANY, label="polyadd", ref=onp.polyadd),
    _spec("subtract", np.polysub, grid([((2,), (3,))]), label="polysub", ref=onp.polysub),
    _spec("convolve", np.polymul, grid([((3,), (2,))]), label="polymul", ref=onp.polymul),
    _row("multiply", "polyder", cases(((4,), {}), ((4,), {"m": 2}))),
    _row("divide", "polyint", cases(((3,), {}), ((3,), {"m": 2, "k": [1.0, 2.0]}))),
    _row("power", "vander", cases(((3,), {}), ((3,), {"N": 2, "increasing": True}))),
]

PRODUCTS = [
    _spec("einsum", np.cross, grid([((3,), (3,)), ((2, 3), (3,)), ((2,), (3,)),
                                      ((2, 2), (2, 2))]), im=ANY, label="cross",
          ref=onp.cross),
    _spec("einsum", lambda a, b: np.cross(a, b, axisa=0, axisb=0, axisc=0),
          grid([((3, 2), (3, 2))]), label="cross axes",
          ref=lambda a, b: onp.cross(a, b, axisa=0, axisb=0, axisc=0)),
    _spec("sum", np.vecdot, grid([((3,), (3,)), ((2, 3), (3,))]), im=ANY, label="vecdot",
          ref=onp.vecdot),
    _spec("matmul", np.matvec, grid([((2, 3), (3,)), ((2, 2, 3), (3,))]), im=ANY,
          label="matvec", ref=onp.matvec),
    _spec("matmul", np.vecmat, grid([((2,), (2, 3)), ((2, 2), (2, 3))]), im=ANY,
          label="vecmat", ref=onp.vecmat),
]

RANGES = [
    _spec("multiply", lambda a, b, **kw: np.linspace(a, b, **kw), cases(
        (((), ()), {"num": 5}), (((), ()), {"num": 4, "endpoint": False}),
        (((2,), ()), {"num": 3, "axis": 1}), (((), ()), {"num": 1})), im=ANY,
        label="linspace", ref=lambda a, b, **kw: onp.linspace(a, b, **kw)),
    _spec("power", lambda a, b, **kw: np.logspace(a, b, **kw), cases(
        (((), ()), {"num": 4}), (((2,), ()), {"num": 3, "base": 2.0})),
        label="logspace", ref=lambda a, b, **kw: onp.logspace(a, b, **kw)),
    _spec("power", lambda a, b, base: np.logspace(a, b, 3, base=base), grid([((), (), ())]),
          dom=(ANY, ANY, POS), label="logspace in base",
          ref=lambda a, b, base: onp.logspace(a, b, 3, base=base)),
    _spec("exp", lambda a, b: np.geomspace(a, b, 4), grid([((), ()), ((2,), ())]), dom=POS,
          label="geomspace", ref=lambda a, b: onp.geomspace(a, b, 4), rtol=1e-5),
]

MATH = [
    _spec("sinc", np.sinc, grid([(), (3,), (2, 3)]), dom=ANY, im=SMALL),
    _spec("sinc", np.sinc, grid([(3,)]), dom=Dom((-1e-4, 1e-4)), label="near 0",
          atol=1e-5),
    _spec("where", np.nan_to_num, grid([(4,)]), label="nan_to_num",
          prep=lambda a: (onp.where(onp.arange(4) % 2, a[0], [onp.nan, 0, onp.inf, 0]),),
          ref=onp.nan_to_num),
    _spec("real", lambda x: np.real_if_close(x * (1 + 0j)), grid([(3,)]),
          label="real_if_close", ref=lambda x: onp.real_if_close(x * (1 + 0j))),
    _spec("arccos", np.acos, grid([(3,)]), dom=Dom((-0.9, 0.9)), label="acos", ref=onp.acos),
    _spec("arctan2", np.atan2, grid([((3,), (3,))]), dom=(NONZERO, ANY), label="atan2",
          ref=onp.atan2),
    _spec("power", np.pow, grid([((3,), (3,))]), dom=(POS, ANY), label="pow", ref=onp.pow),
    _nondiff("heaviside", shapes=grid([((3,), (3,)), ((2, 3), ())])),
    _spec("copysign", np.copysign, grid([((3,), (3,)), ((2, 3), ())]), dom=(NONZERO, NONZERO)),
    _nondiff("searchsorted", lambda x, v: np.searchsorted(np.sort(x), v),
             shapes=grid([((4,), (3,))])),
    _nondiff("nonzero", lambda x: np.nonzero(x > 0), shapes=grid([(4,), (2, 3)])),
    _nondiff("flatnonzero", lambda x: np.flatnonzero(x > 0), shapes=grid([(2, 3)])),
    _nondiff("argwhere", lambda x: np.argwhere(x > 0), shapes=grid([(2, 3)])),
    _nondiff("argpartition", lambda x: np.argpartition(x, 1), shapes=grid([(4,), (2, 3)])),
]

# cumprod's rules come from another module; these rows join once it is registered.
CUMPROD = [
    _row("cumprod", "cumulative_prod", cases(((4,), {}), ((2, 3), {"axis": 1,
                                                                   "include_initial": True}))),
    _row("cumprod", "nancumprod", cases(((5,), {}), ((2, 4), {"axis": 1})), im=None,
         prep=_with_nans),
] if "cumprod" in all_primitives() else []

ROWS = ARRANGEMENT + STATISTICS + CALCULUS + SIGNAL + PRODUCTS + RANGES + MATH + CUMPROD
