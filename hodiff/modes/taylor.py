"""Taylor mode: a truncated Taylor series of order K pushed through a function in one pass.

A `TaylorBox` carries a primal x0 and the normalized coefficients x1..xK of the curve
x(t) = x0 + x1 t + ... + xK t^K (xk is the k-th derivative along t divided by k!). Each
primitive says how to propagate them through its `taylor` rule slot in the registry:

    rule(series, ans, *args, **kwargs) -> [y1, ..., yK]

where `series[i]` is the list of K coefficients of positional argument i (None when that
argument is not traced here) and `ans` is y0. Rules are written with hodiff's own functions,
so Taylor mode nests with the other modes. The generic rules below cover primitives that are
linear (their forward rules applied per coefficient) and multilinear (Cauchy products);
elementwise functions use the standard recurrences (Griewank & Walther, "Evaluating
Derivatives", 2nd ed., SIAM 2008, ch. 13, table 13.2).
Imports hodiff.core only.
"""
from __future__ import annotations

from itertools import product
from typing import Any, Callable

from hodiff.core.registry import Primitive
from hodiff.core.tracing import Box, Tag


class TaylorBox(Box):
    __slots__ = ("_series",)

    def __init__(self, tag: Tag, primal: Any, series: list) -> None:
        self._tag = tag
        self._primal = primal
        self._series = series


class TaylorTag(Tag):
    """One Taylor-mode call propagating `order` coefficients."""

    __slots__ = ("order",)

    def __init__(self, order: int) -> None:
        super().__init__()
        self.order = order

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        rule = getattr(prim, "taylor", None)
        if rule is None:
            raise TypeError(
                f"hodiff has no Taylor-mode rule for {prim.__name__}, so Taylor mode (jet, "
                f"taylor) can't go through it. Give the primitive one (its `taylor` slot: see "
                f"hodiff.modes.taylor), or differentiate by nesting jvp/grad instead.")
        ans, primals, mine = self.apply(prim, args, kwargs)
        series: list = [None] * len(args)
        for i, box in mine:
            series[i] = box._series
        return TaylorBox(self, ans, rule(series, ans, *primals, **kwargs))

    def box(self, x: Any, series: list) -> TaylorBox:
        return TaylorBox(self, x, list(series))

    def unbox_output(self, y: Any) -> tuple[Any, list | None]:
        if type(y) is TaylorBox and y._tag is self:
            return y._primal, y._series
        return y, None


def coefficient(series: list | None, x0: Any, k: int) -> Any:
    """The k-th coefficient of an argument: x0 for k = 0, zero when it is not traced."""
    if k == 0:
        return x0
    return 0.0 if series is None else series[k - 1]


def linear_rule(prim: Primitive) -> Callable:
    """For a primitive linear in its traced arguments together (sums, reshapes, indexing):
    each coefficient goes through the forward rules, as a tangent would."""
    def rule(series: list, ans: Any, *args: Any, **kwargs: Any) -> list:
        traced = [i for i, s in enumerate(series) if s is not None]
        out = []
        for k in range(len(series[traced[0]])):
            y = None
            for i in traced:
                yi = prim.jvps[i](series[i][k], ans, *args, **kwargs)
                if yi is not None:
                    y = yi if y is None else y + yi
            out.append(ans * 0 if y is None else y)
        return out
    return rule


def multilinear_rule(prim: Primitive) -> Callable:
    """For a primitive linear in each argument separately (products, matmul, einsum):
    y_k = sum over k_1 + ... + k_m = k of prim(x_{1,k_1}, ..., x_{m,k_m})."""
    def rule(series: list, ans: Any, *args: Any, **kwargs: Any) -> list:
        traced = [i for i, s in enumerate(series) if s is not None]
        order = len(series[traced[0]])
        out = []
        for k in range(1, order + 1):
            y = None
            for ks in product(range(k + 1), repeat=len(traced)):
                if sum(ks) != k:
                    continue
                call = list(args)
                for i, ki in zip(traced, ks):
                    call[i] = coefficient(series[i], args[i], ki)
                term = prim(*call, **kwargs)
                y = term if y is None else y + term
            out.append(y)
        return out
    return rule
