"""Taylor mode: a truncated Taylor series pushed through the function in one pass.

A `TaylorBox` carries a primal x0 and the normalized coefficients x1..xK of the curve
x(t) = x0 + x1 t + x2 t^2 + ... (None is a zero coefficient). Each primitive's `taylor` rule
maps its arguments' coefficients to its output's; rules are written with hodiff's own
functions, so the coefficients can be differentiated by the other modes in turn. The generic
rule for elementwise primitives (from their partial derivatives) lives here too, since the
`elementwise` shorthand attaches it when it makes a primitive.
Imports hodiff.core only.
"""
from __future__ import annotations

from typing import Any, Callable

from hodiff.core.registry import Primitive
from hodiff.core.tracing import Box, Tag, new_tag


class TaylorBox(Box):
    __slots__ = ("_series",)

    def __init__(self, tag: Tag, primal: Any, series: list) -> None:
        self._tag = tag
        self._primal = primal
        self._series = series


class TaylorTag(Tag):
    """One Taylor-mode call carrying `order` coefficients beyond the primal."""

    __slots__ = ("order",)

    def __init__(self, order: int) -> None:
        super().__init__()
        self.order = order

    def _process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        ans, primals, mine = self.apply(prim, args, kwargs)
        rule = prim.taylor
        if rule is None:
            raise TypeError(
                f"hodiff has no Taylor-mode rule for {prim.__name__}, so jet/taylor cannot "
                f"expand it. Differentiate by nesting grad/jvp instead, or give the primitive "
                f"a rule (see hodiff/numpy/taylor_rules.py).")
        series: list = [None] * len(args)
        for i, box in mine:
            series[i] = box._series
        out = rule(self.order, ans, primals, series, kwargs)
        if all(c is None for c in out):
            return ans
        return TaylorBox(self, ans, out)

    def box(self, x: Any, series: list) -> TaylorBox:
        return TaylorBox(self, x, list(series))

    def unbox_output(self, y: Any) -> tuple[Any, list]:
        """(primal, coefficients) of an output; coefficients all None if it is constant."""
        if type(y) is TaylorBox and y._tag is self:
            return y._primal, y._series
        return y, [None] * self.order


def add(a: Any, b: Any) -> Any:
    if a is None:
        return b
    return a if b is None else a + b


def full(primal: Any, series: list | None, order: int) -> list:
    return [primal] + ([None] * order if series is None else list(series[:order]))


def weighted(x: list, y: list, k: int) -> Any:
    """(1/k) sum_{j=1..k} j x_j y_{k-j}: the coefficient k of the solution of y' = x' y."""
    acc = None
    for j in range(1, k + 1):
        if x[j] is not None and y[k - j] is not None:
            acc = add(acc, j * x[j] * y[k - j])
    return None if acc is None else acc / k


# -- any elementwise primitive from its partials -----------------------------------------------
def expand(partial: Any, ys: list, args: list, series: list, order: int, kw: dict) -> list:
    """Coefficients 0..order of partial(y(t), *x(t)), by a nested Taylor pass."""
    if partial == 1 or partial == -1:
        return [partial] + [None] * order
    if order == 0:
        return [partial(ys[0], *args, **kw)]
    tag = TaylorTag(order)
    with new_tag(tag):
        boxed = [a if s is None else tag.box(a, s[:order]) for a, s in zip(args, series)]
        out = partial(tag.box(ys[0], ys[1:order + 1]), *boxed, **kw)
    primal, coefs = tag.unbox_output(out)
    return [primal] + list(coefs)


def from_partials(prim: Primitive) -> Callable:
    """The Taylor rule of an elementwise primitive whose `partials` are known: y' = sum_i f_i x_i'
    gives y_k = (1/k) sum_i sum_j j x_ij d_i,k-j, with d_i the series of the partial f_i from a
    nested pass one order lower."""
    partials = prim.partials

    def rule(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
        moving = [i for i, s in enumerate(series) if s is not None and partials[i] is not None]
        ys = [ans]
        for k in range(1, order + 1):
            acc = None
            for i in moving:
                d = expand(partials[i], ys, args, series, k - 1, kw)
                x = full(args[i], series[i], k)
                acc = add(acc, weighted(x, d + [None], k))
            ys.append(acc)
        return ys[1:]
    return rule
