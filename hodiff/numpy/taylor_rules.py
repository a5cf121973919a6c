"""Taylor-mode rules: how each primitive maps its arguments' Taylor coefficients to its output's.

Coefficients are normalized (x(t) = sum_k x_k t^k). Four kinds of rule cover the registry:
- linear (and piecewise-linear away from kinks: max, clip, abs of reals): coefficient k is the
  forward rule applied to the arguments' coefficient k;
- multilinear (multiply, dot, matmul, tensordot, einsum): the Cauchy product;
- the classic recurrences for exp, log, sin/cos, sinh/cosh, tanh, x^p and division (Griewank &
  Walther, "Evaluating Derivatives", 2nd ed., section 13.2, table 13.2), each coefficient from
  the lower ones at O(K^2) cost;
- any other elementwise primitive from its partial derivatives: y' = sum_i f_i(x) x_i' gives
  y_k = (1/k) sum_i sum_j j x_ij d_i,k-j, where d_i is the Taylor series of the partial f_i,
  itself expanded by a nested Taylor pass one order lower.
Imports hodiff.core, hodiff.modes and the numpy family modules.
"""
from __future__ import annotations

from itertools import product
from typing import Any, Callable

from hodiff.core import Primitive, all_primitives, unbox
from hodiff.modes.reverse import jvp_from_vjp
from hodiff.modes.taylor import add, from_partials, full, weighted
from hodiff.numpy import elementwise as E


def _coef(primal: Any, series: list | None, k: int) -> Any:
    """Coefficient k of one argument (0: its primal; None: zero)."""
    if k == 0:
        return primal
    return None if series is None else series[k - 1]


def _cauchy(a: list, b: list, k: int, start: int = 0) -> Any:
    """sum_{j=start..k} a_j b_{k-j} over full coefficient lists (index 0 = primal)."""
    acc = None
    for j in range(start, k + 1):
        if a[j] is not None and b[k - j] is not None:
            acc = add(acc, a[j] * b[k - j])
    return acc


# -- linear: the forward rule on each coefficient ----------------------------------------------
def linear(prim: Primitive) -> Callable:
    def rule(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
        out = []
        for k in range(1, order + 1):
            acc = None
            for i, s in enumerate(series):
                c = _coef(args[i], s, k)
                if c is None:
                    continue
                jvp = prim.jvps.get(i) or jvp_from_vjp(prim, i)
                acc = add(acc, jvp(c, ans, *args, **kw))
            out.append(acc)
        return out
    return rule


# -- multilinear: the Cauchy product -----------------------------------------------------------
def multilinear(prim: Primitive) -> Callable:
    def rule(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
        moving = [i for i, s in enumerate(series) if s is not None]
        out = []
        for k in range(1, order + 1):
            acc = None
            for js in product(range(k + 1), repeat=len(moving)):
                if sum(js) != k:
                    continue
                call = list(args)
                for i, j in zip(moving, js):
                    call[i] = _coef(args[i], series[i], j)
                if all(c is not None for c in call):
                    acc = add(acc, prim(*call, **kw))
            out.append(acc)
        return out
    return rule


# -- recurrences for the common elementary functions -------------------------------------------
def _unary(step: Callable) -> Callable:
    """A rule from step(x, ys, k) -> y_k, with x and ys full coefficient lists."""
    def rule(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
        x = full(args[0], series[0], order)
        ys = [ans]
        for k in range(1, order + 1):
            ys.append(step(x, ys, k))
        return ys[1:]
    return rule


def _exp_step(x: list, ys: list, k: int) -> Any:  # y' = x' y
    return weighted(x, ys, k)


def _log_step(x: list, ys: list, k: int) -> Any:  # x y' = x'
    acc = x[k]
    for j in range(1, k):
        if ys[j] is not None and x[k - j] is not None:
            acc = add(acc, -(j * ys[j] * x[k - j]) / k)
    return None if acc is None else acc / x[0]


def _pair(sign: float, first: bool) -> Callable:
    """sin/cos (sign -1) and sinh/cosh (sign +1): s' = c x', c' = sign s x'."""
    def rule(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
        x = full(args[0], series[0], order)
        mate = (E.cos if sign < 0 else E.cosh) if first else (E.sin if sign < 0 else E.sinh)
        s, c = ([ans], [mate(args[0])]) if first else ([mate(args[0])], [ans])
        for k in range(1, order + 1):
            s_k = weighted(x, c, k)
            c_k = weighted(x, s, k)
            s.append(s_k)
            c.append(None if c_k is None else sign * c_k)
        return (s if first else c)[1:]
    return rule


def _tanh(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
    x = full(args[0], series[0], order)
    ys, zs = [ans], [1 - ans * ans]  # z = 1 - y^2 = y'/x'
    for k in range(1, order + 1):
        ys.append(weighted(x, zs, k))
        sq = _cauchy(ys, ys, k)
        zs.append(None if sq is None else -sq)
    return ys[1:]


def _power(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
    p = args[1]
    if series[1] is not None or not isinstance(p, (int, float)):
        return from_partials(E.power)(order, ans, args, series, kw)
    if p == 2:
        return multilinear(E.multiply)(order, ans, [args[0], args[0]],
                                        [series[0], series[0]], {})
    # x y' = p x' y: k x0 y_k = sum_{j=1..k} ((p + 1) j - k) x_j y_{k-j}; needs x0 != 0
    x = full(args[0], series[0], order)
    ys = [ans]
    for k in range(1, order + 1):
        acc = None
        for j in range(1, k + 1):
            if x[j] is not None and ys[k - j] is not None:
                acc = add(acc, ((p + 1) * j - k) * x[j] * ys[k - j])
        ys.append(None if acc is None else acc / (k * x[0]))
    return ys[1:]


def _divide(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
    # q y = x: q_k = (x_k - sum_{j=1..k} y_j q_{k-j}) / y0
    x = full(args[0], series[0], order)
    y = full(args[1], series[1], order)
    qs = [ans]
    for k in range(1, order + 1):
        rest = _cauchy(y, qs, k, start=1)
        num = x[k] if rest is None else (-rest if x[k] is None else x[k] - rest)
        qs.append(None if num is None else num / y[0])
    return qs[1:]


# -- the table ---------------------------------------------------------------------------------
_LINEAR = ["add", "subtract", "negative", "positive", "real", "imag", "conjugate",
           "broadcast_to", "concatenate", "cumsum", "flip", "getitem", "index_update",
           "reshape", "transpose", "sum", "untake", "astype", "deg2rad", "rad2deg", "max",
           "min", "maximum", "minimum", "fmax", "fmin", "clip", "fabs", "where", "remainder",
           "fmod"]
_MULTILINEAR = ["multiply", "dot", "matmul", "tensordot", "einsum"]
_SPECIAL = {
    "exp": _unary(_exp_step), "log": _unary(_log_step), "tanh": _tanh, "power": _power,
    "divide": _divide, "sin": _pair(-1.0, True), "cos": _pair(-1.0, False),
    "sinh": _pair(1.0, True), "cosh": _pair(1.0, False),
}


def _real_abs(order: int, ans: Any, args: list, series: list, kw: dict) -> list:
    # |x| is linear away from 0 for real x; complex |z| is not: expand it from its definition
    if getattr(unbox(args[0]), "dtype", None) is not None and unbox(args[0]).dtype.kind == "c":
        raise TypeError("hodiff has no Taylor-mode rule for abs of complex values")
    return linear(all_primitives()["absolute"])(order, ans, args, series, kw)


def install() -> None:
    """Give the base families' primitives their Taylor rules (elementwise primitives made by
    the `elementwise` shorthand get the rule from their partials when they are made)."""
    prims = all_primitives()
    for name in _LINEAR:
        if name in prims:
            prims[name].taylor = linear(prims[name])
    for name in _MULTILINEAR:
        if name in prims:
            prims[name].taylor = multilinear(prims[name])
    for name, rule in _SPECIAL.items():
        prims[name].taylor = rule
    prims["absolute"].taylor = _real_abs

__all__ = ["install", "linear", "multilinear"]
