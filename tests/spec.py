"""Spec rows for the registry-wide tests: one or more per registered primitive.

A row names a primitive, the callable under test (hodiff.numpy calls with the non-differentiable
arguments fixed), the argument shapes and keyword grid, the value domain of each differentiable
argument (a union of intervals chosen to keep the function smooth: away from kinks, branch cuts,
ties and poles), whether complex inputs apply (and the domain of their imaginary parts), and the
tolerance. `inputs` turns a row into a hypothesis strategy; `example` draws the same way from a
seeded generator. Imports hodiff, numpy and hypothesis.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as onp
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp_st

import hodiff
import hodiff.numpy as np


class Dom:
    """A union of closed intervals: where the values of one argument are drawn from."""

    def __init__(self, *intervals: tuple[float, float]) -> None:
        self.intervals = intervals
        self.total = float(sum(hi - lo for lo, hi in intervals))

    def place(self, u: Any) -> onp.ndarray:
        """Map `u` in [0, total] onto the intervals, laid end to end."""
        u = onp.asarray(u, dtype=onp.float64)
        out = onp.empty_like(u)
        done = onp.zeros(u.shape, dtype=bool)
        start = 0.0
        for k, (lo, hi) in enumerate(self.intervals):
            end = start + (hi - lo)
            sel = ~done if k == len(self.intervals) - 1 else (u <= end) & ~done
            out[sel] = onp.clip(lo + (u[sel] - start), lo, hi)
            done |= sel
            start = end
        return out

    def __repr__(self) -> str:
        return "Dom" + repr(self.intervals)


ANY = Dom((-2.0, 2.0))
SMALL = Dom((-0.5, 0.5))
POS = Dom((0.5, 2.0))
NONZERO = Dom((-2.0, -0.3), (0.3, 2.0))
UNIT = Dom((-0.9, 0.9))
# Far from the second argument's SMALL range, on both sides: no ties for maximum and friends.
SPLIT = Dom((-1.5, -0.8), (0.8, 1.5))
# x / y stays away from the integers for y in DIVISOR: mod and fmod are smooth there.
DIVIDEND = Dom((-1.4, -0.1), (0.1, 1.4), (2.1, 2.9))
DIVISOR = Dom((-2.0, -1.5), (1.5, 2.0))
# Away from clip(x, -0.5, 0.5)'s corners.
CLIPPED = Dom((-1.5, -0.6), (-0.4, 0.4), (0.6, 1.5))

@dataclass(frozen=True)
class Spec:
    """One spec row.

    name: the registry name of the primitive the callable exercises.
    fun: ``fun(*args, **kw)``; every positional argument is differentiable.
    cases: (argument shapes, keyword arguments) pairs to draw from.
    dom: one `Dom` for every argument, or a tuple with one per argument.
    im: the domain of imaginary parts (one, or one per argument); None when complex inputs
        don't apply (not holomorphic, or numpy has no complex loop).
    prep: applied to the drawn arguments (e.g. to break ties); plain numpy in, plain out.
    nondiff: the primitive has no derivative; the row checks its outputs stay untraced.
    ref: plain numpy computing the same value, where the callable is built from primitives.
    same_values: False where two calls may return different values (empty_like).
    """

    name: str
    fun: Callable
    cases: tuple
    dom: Any = ANY
    im: Any = None
    label: str = ""
    prep: Callable | None = None
    rtol: float = 1e-5
    atol: float = 1e-6
    nondiff: bool = False
    ref: Callable | None = None
    same_values: bool = True

    @property
    def id(self) -> str:
        return self.name + (f"[{self.label}]" if self.label else "")

    def dom_at(self, i: int) -> Dom:
        return self.dom if isinstance(self.dom, Dom) else self.dom[i]

    def im_at(self, i: int) -> Dom:
        return self.im if isinstance(self.im, Dom) else self.im[i]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Input kinds that apply: real; all complex; and mixed real/complex for several args."""
        if self.nondiff or self.im is None:
            return ("real",)
        if any(len(shapes) > 1 for shapes, _ in self.cases):
            return ("real", "complex", "mixed")
        return ("real", "complex")

    def cases_for(self, kind: str) -> tuple:
        """The cases a kind applies to (mixed needs two arguments or more)."""
        return tuple(c for c in self.cases if kind != "mixed" or len(c[0]) > 1)


def grid(shapes: list, kws: list | None = None) -> tuple:
    """Every (shapes, kwargs) pair; a shape given alone means a single argument."""
    shapes = [s if s and isinstance(s[0], tuple) else (s,) for s in shapes]
    return tuple((s, dict(k)) for s, k in product(shapes, kws or [{}]))


def cases(*pairs: tuple) -> tuple:
    """Explicit (shapes, kwargs) pairs; a shape given alone means a single argument."""
    return tuple(((s if s and isinstance(s[0], tuple) else (s,)), dict(k)) for s, k in pairs)


UNARY = grid([(), (3,), (2, 3)])
BINARY = grid([((3,), (3,)), ((2, 3), (3,)), ((3, 1), (1, 4)), ((), (2, 2)), ((2, 2), ())])


def _masks(n: int, mixed: bool) -> list[tuple[bool, ...]]:
    if not mixed:
        return [(True,) * n]
    return [m for m in product([False, True], repeat=n) if any(m) and not all(m)]


def _unit_array(shape: tuple, total: float) -> st.SearchStrategy:
    return hnp_st.arrays(onp.float64, shape, elements=st.floats(
        0.0, total, allow_nan=False, allow_infinity=False, allow_subnormal=False))


@st.composite
def inputs(draw: Callable, spec: Spec, kind: str = "real") -> tuple[tuple, dict]:
    """A hypothesis strategy for (args, kwargs) of `spec`; kind is 'real', 'complex' or
    'mixed' (some arguments real, the others complex)."""
    shapes, kw = draw(st.sampled_from(spec.cases_for(kind)))
    n = len(shapes)
    mask = (False,) * n if kind == "real" else draw(st.sampled_from(_masks(n, kind == "mixed")))
    args = []
    for i, shape in enumerate(shapes):
        d = spec.dom_at(i)
        x = d.place(draw(_unit_array(shape, d.total)))
        if mask[i]:
            im = spec.im_at(i)
            x = x + 1j * im.place(draw(_unit_array(shape, im.total)))
        args.append(x)
    args = tuple(args)
    return (spec.prep(args) if spec.prep else args), kw


def example(spec: Spec, case: int = 0, kind: str = "real", seed: int = 0) -> tuple[tuple, dict]:
    """(args, kwargs) for `spec` drawn from a seeded generator (no hypothesis)."""
    rng = onp.random.default_rng(seed)
    shapes, kw = spec.cases_for(kind)[case]
    n = len(shapes)
    mask = (False,) * n if kind == "real" else _masks(n, kind == "mixed")[0]
    args = []
    for i, shape in enumerate(shapes):
        d = spec.dom_at(i)
        x = d.place(rng.uniform(0.0, d.total, shape))
        if mask[i]:
            im = spec.im_at(i)
            x = x + 1j * im.place(rng.uniform(0.0, im.total, shape))
        args.append(x)
    args = tuple(args)
    return (spec.prep(args) if spec.prep else args), kw


# -- input preparation -------------------------------------------------------------------------
def distinct(args: tuple) -> tuple:
    """Replace the first argument by values in the same order but at least 0.25 apart, so a
    max/min has no ties anywhere (hypothesis loves arrays of one repeated value)."""
    x = args[0]
    ranks = onp.argsort(onp.argsort(x.ravel(), kind="stable"), kind="stable").reshape(x.shape)
    return (0.25 * ranks + 0.05 * x,) + args[1:]


def _mask_like(*xs: Any) -> onp.ndarray:
    shape = onp.broadcast_shapes(*[onp.shape(hodiff.core.unbox(x)) for x in xs])
    return (onp.arange(int(onp.prod(shape))) % 3 != 1).reshape(shape)


def _spec(name: str, fun: Callable, cases_: tuple, **kw: Any) -> Spec:
    return Spec(name=name, fun=fun, cases=cases_, **kw)


def unary(name: str, fun: Callable | None = None, dom: Dom = ANY, im: Dom | None = None,
          shapes: tuple = UNARY, **kw: Any) -> Spec:
    return _spec(name, fun or getattr(np, name), shapes, dom=dom, im=im, **kw)


def binary(name: str, fun: Callable | None = None, dom: Any = ANY, im: Any = None,
           shapes: tuple = BINARY, **kw: Any) -> Spec:
    return _spec(name, fun or getattr(np, name), shapes, dom=dom, im=im, **kw)


# -- the rows ----------------------------------------------------------------------------------
_INT_EXPONENTS = onp.array([0.0, 1.0, 2.0, 3.0])
_CONST_ROW = onp.array([[0.5, -1.0, 2.0]])
_AXES_2D = [{"axis": None}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)},
            {"axis": 1, "keepdims": True}, {"axis": None, "keepdims": True}]
_AXES_3D = [{"axis": (0, 2)}, {"axis": 1}, {"axis": (-1, 0), "keepdims": True}]
REDUCE = grid([(2, 3)], _AXES_2D) + grid([(2, 3, 2)], _AXES_3D) + cases(((), {}))

ELEMENTWISE = [
    # arithmetic
    binary("add", im=ANY, ref=onp.add),
    binary("add", lambda x, y: x + y, im=ANY, label="operator"),
    binary("subtract", im=ANY),
    binary("multiply", im=ANY),
    binary("multiply", lambda x, y: 2.0 * x * y, im=ANY, label="python scalar"),
    binary("divide", dom=(ANY, NONZERO), im=ANY),
    binary("divide", lambda x, y: x / y, dom=(ANY, NONZERO), im=ANY, label="operator"),
    unary("negative", im=ANY),
    unary("positive", im=ANY),
    binary("power", dom=(POS, ANY), im=SMALL),
    unary("power", lambda x: x ** 2, im=ANY, label="x**2"),
    unary("power", lambda x: np.power(x, 3), im=ANY, label="x**3"),
    unary("power", lambda x: x ** 0.5, dom=POS, im=SMALL, label="x**0.5"),
    unary("power", lambda x: np.power(2.0, x), im=ANY, label="2**x"),
    unary("power", lambda x: np.power(x, _INT_EXPONENTS), im=ANY,
          shapes=grid([(4,), (2, 4)]), label="integer exponents incl 0"),
    unary("square", im=ANY),
    unary("reciprocal", dom=NONZERO, im=ANY),
    unary("sqrt", dom=Dom((0.1, 2.0)), im=ANY),
    unary("cbrt", dom=NONZERO),
    binary("remainder", np.mod, dom=(DIVIDEND, DIVISOR)),
    binary("remainder", lambda x, y: x % y, dom=(DIVIDEND, DIVISOR), label="operator"),
    binary("fmod", dom=(DIVIDEND, DIVISOR)),
    # exponentials and logarithms
    unary("exp", im=ANY),
    unary("exp2", im=ANY),
    unary("expm1", im=ANY),
    unary("log", dom=POS, im=ANY),
    unary("log2", dom=POS, im=ANY),
    unary("log10", dom=POS, im=ANY),
    unary("log1p", dom=Dom((-0.5, 2.0)), im=SMALL),
    binary("logaddexp"),
    binary("logaddexp2"),
    # trigonometric and hyperbolic
    unary("sin", im=ANY),
    unary("cos", im=ANY),
    unary("tan", dom=Dom((-1.2, 1.2)), im=SMALL),
    unary("arcsin", dom=UNIT, im=Dom((-0.3, 0.3))),
    unary("arccos", dom=UNIT, im=Dom((-0.3, 0.3))),
    unary("arctan", im=SMALL),
    unary("sinh", im=ANY),
    unary("cosh", im=ANY),
    unary("tanh", im=SMALL),
    unary("arcsinh", im=SMALL),
    unary("arccosh", dom=Dom((1.2, 3.0)), im=SMALL),
    unary("arctanh", dom=UNIT, im=Dom((-0.3, 0.3))),
    # arctan2(y, x): y away from 0 keeps off the branch cut (x < 0, y = 0) and the origin.
    binary("arctan2", dom=(NONZERO, ANY)),
    binary("hypot", dom=(NONZERO, ANY)),
    unary("deg2rad"),
    unary("rad2deg"),
    # kinks, kept away from (see the named tests for ties)
    binary("maximum", dom=(SPLIT, SMALL)),
    binary("minimum", dom=(SPLIT, SMALL)),
    binary("fmax", dom=(SPLIT, SMALL)),
    binary("fmin", dom=(SPLIT, SMALL)),
    binary("where", lambda x, y: np.where(_mask_like(x, y), x, y), im=ANY,
           ref=lambda x, y: onp.where(_mask_like(x, y), x, y)),
    unary("clip", lambda x: np.clip(x, -0.5, 0.5), dom=CLIPPED),
    unary("clip", lambda x: np.clip(x, None, 0.5), dom=CLIPPED, label="upper only"),
    unary("clip", lambda x: x.clip(-0.5, None), dom=CLIPPED, label="method, lower only"),
    # non-holomorphic
    unary("absolute", dom=NONZERO, im=ANY),
    unary("absolute", lambda x: abs(x), dom=NONZERO, im=ANY, label="builtin abs"),
    unary("fabs", dom=NONZERO),
    unary("real", im=ANY),
    unary("real", lambda x: x.real, im=ANY, label="property"),
    unary("imag", im=ANY),
    unary("conjugate", im=ANY),
    unary("conjugate", lambda x: x.conj(), im=ANY, label="method"),
    # Complex: imaginary parts away from 0 keep off the branch cut on the negative real axis.
    unary("angle", dom=NONZERO, im=NONZERO),
]

REDUCTIONS = [
    _spec("sum", np.sum, REDUCE, im=ANY),
    _spec("sum", lambda x, **kw: x.sum(**kw), grid([(2, 3)], _AXES_2D[:3]), im=ANY,
          label="method"),
    _spec("sum", np.mean, REDUCE, im=ANY, label="mean", ref=onp.mean),
    _spec("sum", np.var, REDUCE[:-1] + grid([(4,)], [{"ddof": 1}]), im=ANY, label="var",
          ref=onp.var),
    _spec("sum", np.std, REDUCE[:-1], im=ANY, label="std", ref=onp.std, prep=distinct),
    _spec("prod", np.prod, REDUCE, dom=SPLIT, im=SMALL),
    _spec("max", np.max, REDUCE, prep=distinct),
    _spec("max", lambda x, **kw: x.max(**kw), grid([(2, 3)], _AXES_2D[:3]), prep=distinct,
          label="method"),
    _spec("min", np.min, REDUCE, prep=distinct),
    _spec("min", np.amin, grid([(2, 3)], _AXES_2D[:3]), prep=distinct, label="amin"),
    _spec("cumsum", np.cumsum,
          grid([(4,)], [{}, {"axis": 0}, {"axis": -1}])
          + grid([(2, 3)], [{}, {"axis": 0}, {"axis": 1}, {"axis": -1}]), im=ANY),
]


def _updated(x, v, idx):
    out = onp.array(x)  # numpy's assignment keeps x's dtype: a real x takes Re(v)
    out[idx] = onp.real(v) if out.dtype.kind != "c" else v
    return out


def _assigned(x, v, idx):
    y = x * 1.0  # a traced copy, then numpy-style assignment into it
    y[idx] = v if np.iscomplexobj(y) else np.real(v)
    return y


def _index_row(label: str, idx: Any, shape: tuple) -> Spec:
    return _spec("getitem", lambda x, idx: x[idx], cases((shape, {"idx": idx})), im=ANY,
                 label=label, ref=lambda x, idx: x[idx])


SHAPES = [
    _spec("reshape", np.reshape, cases(
        ((2, 3), {"shape": (3, 2)}), ((2, 3), {"shape": (-1,)}),
        ((6,), {"shape": (2, 3), "order": "F"}), ((2, 3, 2), {"shape": (4, 3), "order": "F"}),
        ((), {"shape": (1, 1)})), im=ANY),
    _spec("reshape", lambda x: x.reshape(3, -1), grid([(2, 3), (6,)]), im=ANY, label="method"),
    _spec("reshape", np.ravel, grid([(2, 3)], [{}, {"order": "F"}]), im=ANY, label="ravel",
          ref=onp.ravel),
    _spec("reshape", np.expand_dims, grid([(2, 3)], [{"axis": 0}, {"axis": -1}]), im=ANY,
          label="expand_dims", ref=onp.expand_dims),
    _spec("reshape", np.squeeze, grid([(2, 1, 3, 1)], [{}, {"axis": 1}, {"axis": (1, 3)}]),
          im=ANY, label="squeeze", ref=onp.squeeze),
    _spec("transpose", np.transpose, grid([(2, 3)], [{}, {"axes": (1, 0)}])
          + grid([(2, 3, 4)], [{}, {"axes": (1, 0, 2)}, {"axes": (2, 0, 1)},
                               {"axes": (-1, 0, 1)}]), im=ANY),
    _spec("transpose", lambda x: x.T, grid([(2, 3), (3,)]), im=ANY, label=".T"),
    _spec("transpose", np.swapaxes, grid([(2, 3, 4)], [{"axis1": 0, "axis2": 2}]), im=ANY,
          label="swapaxes", ref=onp.swapaxes),
    _spec("transpose", np.moveaxis, cases(
        ((2, 3, 4), {"source": 0, "destination": -1}),
        ((2, 3, 4), {"source": (0, 1), "destination": (-1, 0)})), im=ANY, label="moveaxis",
        ref=onp.moveaxis),
    _spec("broadcast_to", np.broadcast_to, cases(
        ((3,), {"shape": (2, 3)}), ((3, 1), {"shape": (3, 4)}), ((), {"shape": (2,)}),
        ((1, 3), {"shape": (2, 2, 3)})), im=ANY),
    _spec("flip", np.flip, grid([(2, 3)], [{}, {"axis": 0}, {"axis": -1}, {"axis": (0, 1)}])
          + grid([(4,)], [{"axis": 0}]), im=ANY),
    _index_row("int", 1, (4, 3)),
    _index_row("negative int", -1, (4,)),
    _index_row("slice", slice(1, 3), (4, 3)),
    _index_row("reversed slice, int", (slice(None, None, -1), 0), (4, 3)),
    _index_row("ellipsis", (Ellipsis, 1), (3, 4, 2)),
    _index_row("newaxis", (None, slice(None), 1), (4, 3)),
    _index_row("repeated int array", onp.array([0, 0, 2]), (4, 3)),
    _index_row("2d int array", onp.array([[0, 1], [1, 3]]), (4,)),
    _index_row("separated advanced", (onp.array([0, 1]), slice(None), onp.array([1, 0])),
               (3, 4, 2)),
    _index_row("adjacent advanced", (slice(None), onp.array([0, 2]), onp.array([1, 1])),
               (3, 4, 2)),
    _index_row("boolean mask", onp.array([True, False, True, True]), (4, 3)),
    _spec("getitem", np.take, cases(((5,), {"indices": onp.array([4, 0, 0])}),
                                    ((3, 4), {"indices": onp.array([1, 3]), "axis": 1})),
          im=ANY, label="take", ref=onp.take),
    _spec("getitem", np.tile, grid([(3,), (2, 2)], [{"reps": 2}, {"reps": (2, 1)}]), im=ANY,
          label="tile", ref=onp.tile),
    _spec("getitem", np.repeat, cases(((3,), {"repeats": 2}),
                                      ((2, 3), {"repeats": 2, "axis": 1}),
                                      ((2, 3), {"repeats": onp.array([1, 2]), "axis": 0})),
          im=ANY, label="repeat", ref=onp.repeat),
    _spec("getitem", np.diagonal, cases(((3, 3), {}), ((3, 4), {"offset": 1}),
                                        ((2, 3, 3), {"axis1": 1, "axis2": 2})),
          im=ANY, label="diagonal", ref=onp.diagonal),
    _spec("getitem", np.trace, cases(((3, 3), {}), ((3, 4), {"offset": -1})), im=ANY,
          label="trace", ref=onp.trace),
    _spec("getitem", np.diag, cases(((3, 3), {}), ((3, 4), {"k": 1})), im=ANY,
          label="diag of a matrix", ref=onp.diag),
    _spec("untake", lambda x, **kw: np.untake(x, **kw), cases(
        ((3,), {"idx": onp.array([0, 2, 2]), "shape": (4,), "dtype": onp.float64}),
        ((2,), {"idx": (onp.array([0, 1]), onp.array([2, 2])), "shape": (3, 3),
                "dtype": onp.float64})), im=ANY),
    _spec("untake", np.diag, cases(((3,), {}), ((3,), {"k": 1}), ((2,), {"k": -2})), im=ANY,
          label="diag of a vector", ref=onp.diag),
    _spec("index_update", lambda x, v, idx: np.index_update(x, idx, v), cases(
        (((4, 3), (3,)), {"idx": 1}), (((4, 3), ()), {"idx": (slice(None), 0)}),
        (((5,), (2,)), {"idx": onp.array([0, 3])}),
        (((3, 4, 2), (4,)), {"idx": (onp.array([0, 1]), slice(None), onp.array([1, 0]))})),
        im=ANY, ref=_updated),
    _spec("index_update", _assigned, cases(
        (((4, 3), (3,)), {"idx": 2}), (((4,), ()), {"idx": onp.array([True, False, True, False])})),
        im=ANY, label="x[idx] = v", ref=_updated),
    _spec("concatenate", lambda *xs, **kw: np.concatenate(xs, **kw), cases(
        (((2, 3), (1, 3)), {}), (((2, 3), (2, 1), (2, 2)), {"axis": 1}),
        (((2,), (3,)), {"axis": -1}), (((2, 2), (3,)), {"axis": None})), im=ANY,
        ref=lambda *xs, **kw: onp.concatenate(xs, **kw)),
    _spec("concatenate", lambda x: np.concatenate([x, _CONST_ROW]), grid([(2, 3)]), im=ANY,
          label="with a constant"),
    _spec("concatenate", lambda *xs, **kw: np.stack(xs, **kw),
          grid([((3,), (3,)), ((2, 3), (2, 3))], [{}, {"axis": 1}, {"axis": -1}]), im=ANY,
          label="stack", ref=lambda *xs, **kw: onp.stack(xs, **kw)),
    _spec("concatenate", lambda x, y: np.hstack([x, y]), grid([((2,), (3,)), ((2, 1), (2, 2))]),
          im=ANY, label="hstack", ref=lambda x, y: onp.hstack([x, y])),
    _spec("concatenate", lambda x, y: np.vstack([x, y]), grid([((3,), (3,)), ((1, 2), (2, 2))]),
          im=ANY, label="vstack", ref=lambda x, y: onp.vstack([x, y])),
    _spec("concatenate", lambda x, y: np.column_stack([x, y]), grid([((3,), (3, 2))]), im=ANY,
          label="column_stack", ref=lambda x, y: onp.column_stack([x, y])),
    _spec("astype", lambda x: np.astype(x, onp.complex128), UNARY, im=ANY, label="to complex"),
    _spec("astype", lambda x: x.astype(onp.float64), UNARY, label="method, to float"),
]

LINEAR = [
    _spec("tensordot", np.tensordot, cases(
        (((2, 3), (3, 4)), {"axes": 1}), (((2, 3), (2, 3)), {"axes": 2}),
        (((2, 3), (4,)), {"axes": 0}), (((2, 3, 4), (4, 3)), {"axes": ([1, 2], [1, 0])}),
        (((3, 2), (3, 4)), {"axes": ([0], [0])}), (((2, 3), (3, 2)), {"axes": (-1, 0)})),
        im=ANY),
    _spec("tensordot", np.inner, grid([((2, 3), (4, 3)), ((3,), (3,))]), im=ANY, label="inner",
          ref=onp.inner),
    _spec("tensordot", np.vdot, grid([((2, 3), (2, 3)), ((3,), (3,))]), im=ANY, label="vdot",
          ref=onp.vdot),
    _spec("tensordot", np.dot, grid([((3,), (2, 3, 2)), ((2, 2, 3), (2, 3, 2))]), im=ANY,
          label="dot with 3-d b", ref=onp.dot),
    _spec("matmul", np.matmul, grid([
        ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 4)),
        ((2, 3), (2, 3, 2)), ((3,), (2, 3, 4)), ((2, 2, 3), (3,)), ((2, 1, 2, 3), (3, 3, 2))]),
        im=ANY),
    _spec("matmul", lambda x, y: x @ y, grid([((2, 3), (3, 4))]), im=ANY, label="operator"),
    _spec("einsum", lambda *xs, subscripts: np.einsum(subscripts, *xs), cases(
        (((2, 3), (3, 4)), {"subscripts": "ij,jk->ik"}),
        (((2, 3),), {"subscripts": "ij->"}),
        (((2, 3),), {"subscripts": "ij->ji"}),
        (((2, 3),), {"subscripts": "ij->j"}),
        (((3,), (3,)), {"subscripts": "i,i->"}),
        (((3,), (2,)), {"subscripts": "i,j->ij"}),
        (((2, 3), (2, 3)), {"subscripts": "ij,ij->ij"}),
        (((2, 3), (3,)), {"subscripts": "ij,j->i"}),
        (((2, 3), (4,)), {"subscripts": "ij,k->ik"}),
        (((2, 2, 3), (2, 3, 2)), {"subscripts": "...ij,...jk->...ik"}),
        (((2, 3), (3, 4), (4, 2)), {"subscripts": "ij,jk,kl->il"}),
        (((2, 3), (3, 4)), {"subscripts": "ij,jk"}),
        (((3, 3),), {"subscripts": "ii->i"}),
        (((3, 3),), {"subscripts": "ii"}),
        (((3, 3), (3,)), {"subscripts": "ii,i->i"}),
        (((2, 3, 2),), {"subscripts": "iji->ij"})), im=ANY,
        ref=lambda *xs, subscripts: onp.einsum(subscripts, *xs)),
    _spec("dot", np.dot, grid([((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
                               ((2, 3), (3, 4))]), im=ANY),
    _spec("dot", lambda x, y: x.dot(y), grid([((2, 3), (3,))]), im=ANY, label="method"),
    _spec("dot", np.dot, grid([((2, 2, 3), (3, 2)), ((2, 2, 3), (3,))]), im=ANY,
          label="3-d a", ref=onp.dot),
    _spec("multiply", np.outer, grid([((3,), (2,)), ((2, 2), (3,))]), im=ANY, label="outer",
          ref=onp.outer),
    _spec("triu", np.triu, cases(((3, 3), {}), ((3, 4), {"k": 1}), ((2, 3, 3), {"k": -1})),
          im=ANY, ref=onp.triu),
    _spec("tril", np.tril, cases(((3, 3), {}), ((3, 4), {"k": -1})), im=ANY, ref=onp.tril),
]


def _nondiff(name: str, fun: Callable | None = None, shapes: tuple = UNARY, dom: Any = ANY,
             **kw: Any) -> Spec:
    return _spec(name, fun or getattr(np, name), shapes, dom=dom, nondiff=True, **kw)


NONDIFF = [
    *[_nondiff(n) for n in ["floor", "ceil", "trunc", "rint", "fix", "round", "sign", "isnan",
                            "isinf", "isfinite", "signbit", "logical_not", "iscomplexobj",
                            "isrealobj", "all", "any", "count_nonzero"]],
    *[_nondiff(n, shapes=BINARY) for n in ["greater", "greater_equal", "less", "less_equal",
                                           "equal", "not_equal", "logical_and", "logical_or",
                                           "logical_xor", "isclose"]],
    _nondiff("floor_divide", shapes=BINARY, dom=(ANY, NONZERO)),
    _nondiff("floor_divide", lambda x, y: x // y, shapes=BINARY, dom=(ANY, NONZERO),
             label="operator"),
    _nondiff("greater", lambda x, y: x > y, shapes=BINARY, label="operator"),
    _nondiff("allclose", shapes=grid([((3,), (3,)), ((2, 3), (3,))])),
    _nondiff("array_equal", shapes=grid([((3,), (3,)), ((2, 3), (2, 3))])),
    _nondiff("argmax", shapes=grid([(3,), (2, 3)], [{}, {"axis": -1}])),
    _nondiff("argmin", shapes=grid([(2, 3)], [{}, {"axis": 0}])),
    _nondiff("argsort", shapes=grid([(3,), (2, 3)], [{}, {"axis": 0}])),
    _nondiff("stop_gradient", hodiff.stop_gradient),
    *[_nondiff(n) for n in ["shape", "ndim", "size"]],
    # (the registered primitives; hodiff.numpy's zeros_like/... wrap them so the array they
    # make can take traced assignments, see tests/test_assignment.py)
    *[_nondiff(n, hodiff.core.lookup(n)) for n in ["zeros_like", "ones_like"]],
    _nondiff("result_type", shapes=BINARY),
    _nondiff("empty_like", hodiff.core.lookup("empty_like"), same_values=False),
]



def _family_rows() -> list[Spec]:
    """Rows kept beside their family in tests/spec_<family>.py (each defines ROWS)."""
    import importlib
    from pathlib import Path

    rows: list[Spec] = []
    for path in sorted(Path(__file__).parent.glob("spec_*.py")):
        rows += importlib.import_module(path.stem).ROWS
    return rows


SPECS: list[Spec] = ELEMENTWISE + REDUCTIONS + SHAPES + LINEAR + NONDIFF + _family_rows()
DIFF_SPECS = [s for s in SPECS if not s.nondiff]
NONDIFF_SPECS = [s for s in SPECS if s.nondiff]
