"""Taylor-mode operators: `jet` (JAX's shape) and `taylor` (directional derivatives to any order).

Both push a truncated Taylor series through the function in one pass (hodiff.modes.taylor).
At the boundary, series terms are derivatives along the curve (term k is d^k x / dt^k, as in
JAX's jet); inside, coefficients are normalized (divided by k!).
Imports hodiff.core, hodiff.modes and hodiff.numpy.
"""
from __future__ import annotations

from math import factorial
from typing import Any, Callable, Sequence

import hodiff.numpy as hnp
from hodiff.core import new_tag, unbox
from hodiff.core.tree import flatten, unflatten
from hodiff.modes.taylor import TaylorTag


def _scale(x: Any, factor: float) -> Any:
    return None if x is None else x * factor


def jet(fun: Callable, primals: Sequence, series: Sequence) -> tuple[Any, Any]:
    """Push a truncated Taylor series through `fun` in one pass (Taylor mode).

    Parameters
    ----------
    fun : callable
        A function of arrays (every primitive it calls needs a Taylor rule: elementwise
        functions, arithmetic, dot/matmul/einsum, reductions, indexing, shape functions).
    primals : tuple
        The point, one entry per positional argument of `fun`.
    series : tuple
        One sequence per primal of K terms ``[x1, ..., xK]``: the derivatives of the input
        curve x(t) at t = 0 (term k is d^k x/dt^k); None stands for a zero term.

    Returns
    -------
    tuple
        ``(fun(*primals), out_series)``: `out_series` holds the K derivatives of fun(x(t)) at
        t = 0, a list per output leaf, structured like the output.

    Raises
    ------
    TypeError
        If a primitive on the way has no Taylor rule (the message names it).
    ValueError
        If `primals` and `series` do not match.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jet
    >>> y, (d1, d2, d3) = jet(np.exp, (0.0,), ([1.0, 0.0, 0.0],))
    >>> float(y), float(d1), float(d2), float(d3)
    (1.0, 1.0, 1.0, 1.0)
    """
    if len(primals) != len(series):
        raise ValueError("jet: give one series per primal")
    orders = {len(s) for s in series}
    if len(orders) != 1:
        raise ValueError(f"jet: every series must have the same number of terms, not {orders}")
    order = orders.pop()
    tag = TaylorTag(order)
    with new_tag(tag):
        boxed = [tag.box(p, [_scale(t, 1.0 / factorial(k + 1)) for k, t in enumerate(s)])
                 for p, s in zip(primals, series)]
        out = fun(*boxed)
    leaves, spec = flatten(out)
    primal_out, series_out = [], []
    for leaf in leaves:
        p, coefs = tag.unbox_output(leaf)
        primal_out.append(p)
        series_out.append([hnp.zeros_like(unbox(p)) if c is None else c * factorial(k + 1)
                           for k, c in enumerate(coefs)])
    return unflatten(spec, primal_out), unflatten(spec, series_out)


def taylor(fun: Callable, x: Any, v: Any, order: int) -> list:
    """Directional derivatives of `fun` at `x` along `v` up to `order`, in one Taylor pass.

    Parameters
    ----------
    fun : callable
        A function of one array.
    x : array
        The point.
    v : array
        The direction, shaped like `x`.
    order : int
        The highest derivative wanted.

    Returns
    -------
    list
        ``[f(x), D f(x)[v], D^2 f(x)[v, v], ..., D^order f(x)[v, ..., v]]``: the derivatives of
        t -> f(x + t v) at t = 0.

    Raises
    ------
    TypeError
        If a primitive on the way has no Taylor rule.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import taylor
    >>> [round(float(d), 6) + 0.0 for d in taylor(np.sin, 0.0, 1.0, 4)]
    [0.0, 1.0, 0.0, -1.0, 0.0]
    """
    y, (terms,) = jet(lambda x: (fun(x),), (x,), ([v] + [None] * (order - 1),))
    return [y[0]] + list(terms)
