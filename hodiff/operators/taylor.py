"""Taylor-mode operators: jet (JAX's signature) and taylor (directional derivatives).
Imports hodiff.core, hodiff.modes and the operators' tracing helpers.
"""
from __future__ import annotations

from math import factorial
from typing import Any, Callable, Sequence

from hodiff.core import new_tag
from hodiff.core.tree import flatten, unflatten
from hodiff.modes.taylor import TaylorTag
from hodiff.operators._trace import _check_leaf, _zeros_like


def _run(fun: Callable, primals: Sequence, coeffs: Sequence, order: int, who: str) -> tuple:
    """Push normalized coefficients through `fun`: (out, out coefficients per output leaf)."""
    tag = TaylorTag(order)
    leaves, spec = flatten(tuple(primals))
    if len(leaves) != len(primals):
        raise ValueError(f"{who}: primals must be arrays or scalars, not containers")
    for leaf in leaves:
        _check_leaf(leaf, who)
    with new_tag(tag):
        boxed = [tag.box(x, c) for x, c in zip(leaves, coeffs)]
        out = fun(*unflatten(spec, boxed))
    out_leaves, out_spec = flatten(out)
    primals_out, series_out = [], []
    for o in out_leaves:
        p, s = tag.unbox_output(o)
        primals_out.append(p)
        series_out.append(s if s is not None else [_zeros_like(p)] * order)
    return out_spec, primals_out, series_out


def jet(fun: Callable, primals: Sequence, series: Sequence) -> tuple:
    """Taylor-mode propagation in JAX's form: ``jet(f, primals, series)``.

    Each input follows the curve ``x(t) = x0 + sum_k series[k-1] t^k / k!`` (its terms are
    the derivatives along t); the result gives f along that curve the same way. One pass
    carries all K terms.

    Parameters
    ----------
    fun : callable
        A function of ``len(primals)`` arrays or scalars (not containers), returning an array
        or a nested container of them.
    primals : sequence
        The point, one entry per argument.
    series : sequence
        One list of K terms per primal, each shaped like it.

    Returns
    -------
    tuple
        ``(primal_out, series_out)``: ``f(*primals)`` and, for each output (same structure),
        the list of its K terms.

    Raises
    ------
    TypeError
        If `fun` uses a primitive that has no Taylor rule.
    ValueError
        If `series` does not have one list per primal, all of the same length.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jet
    >>> y, ys = jet(np.exp, (0.0,), ([1.0, 0.0, 0.0],))
    >>> float(y), [float(v) for v in ys]
    (1.0, [1.0, 1.0, 1.0])
    """
    primals, series = tuple(primals), tuple(series)
    if len(series) != len(primals):
        raise ValueError("jet: series needs one list of terms per primal")
    orders = {len(s) for s in series}
    if len(orders) != 1:
        raise ValueError("jet: every primal's series must have the same number of terms")
    order = orders.pop()
    if order == 0:
        return fun(*primals), []
    coeffs = [[term / factorial(k + 1) for k, term in enumerate(s)] for s in series]
    out_spec, primals_out, series_out = _run(fun, primals, coeffs, order, "jet")
    terms = [[c * factorial(k + 1) for k, c in enumerate(s)] for s in series_out]
    return unflatten(out_spec, primals_out), unflatten(out_spec, terms)


def taylor(fun: Callable, x: Any, v: Any, order: int) -> list:
    """The directional derivatives of `fun` at `x` along `v`, orders 0 to `order`, in one pass.

    Parameters
    ----------
    fun : callable
        A function of one array or scalar.
    x : array or scalar
        The point.
    v : array or scalar
        The direction, shaped like `x`.
    order : int
        The highest order (>= 0).

    Returns
    -------
    list
        ``[f(x), D f(x)[v], D^2 f(x)[v, v], ..., D^K f(x)[v, ..., v]]``, i.e. the derivatives of
        ``t -> f(x + t v)`` at t = 0.

    Raises
    ------
    TypeError
        If `fun` uses a primitive that has no Taylor rule.
    ValueError
        If `order` is negative.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import taylor
    >>> [round(float(d), 6) + 0.0 for d in taylor(np.sin, 0.0, 1.0, 4)]
    [0.0, 1.0, 0.0, -1.0, 0.0]
    """
    if order < 0:
        raise ValueError(f"taylor: order must be >= 0, got {order}")
    if order == 0:
        return [fun(x)]
    zeros = v * 0.0
    y, terms = jet(fun, (x,), ([v] + [zeros] * (order - 1),))
    return [y] + list(terms)
