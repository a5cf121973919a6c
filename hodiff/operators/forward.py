"""Forward-mode operators: jvp, make_jvp, deriv, linearize.
Imports hodiff.core and the operators' tracing helpers.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as _np

from hodiff.core import unbox
from hodiff.core import new_tag
from hodiff.core.tree import flatten, unflatten
from hodiff.modes.reverse import ReverseTag, backward
from hodiff.operators._trace import (
    ArgNum,
    _argnums,
    _aux_catcher,
    _fit,
    _jvp_trace,
    _strip,
    _vjp_trace,
    _zeros_like,
    check_like,
)


def jvp(fun: Callable, primals: Sequence, tangents: Sequence, has_aux: bool = False) -> tuple:
    """JAX-style forward mode: ``(fun(*primals), J @ tangents)`` (plus aux with has_aux).

    Parameters
    ----------
    fun : callable
        A function of ``len(primals)`` positional arguments.
    primals : sequence
        The point, one entry per argument (floating-point or complex).
    tangents : sequence
        One tangent per primal, structured like it.
    has_aux : bool
        If True, `fun` returns ``(out, aux)`` and `aux` is returned as plain values.

    Returns
    -------
    tuple
        ``(out, tangent_out)`` or ``(out, tangent_out, aux)``.

    Raises
    ------
    TypeError
        If a primal is not floating-point/complex.
    ValueError
        If the tangents are not structured like the primals.

    Example
    -------
    >>> from hodiff import jvp
    >>> out, t = jvp(lambda x, y: x * y, (2.0, 3.0), (1.0, 0.0))
    >>> float(out), float(t)
    (6.0, 3.0)
    """
    aux_box: list = []
    f = _aux_catcher(fun, aux_box) if has_aux else fun
    primals, tangents = tuple(primals), tuple(tangents)
    argnums = tuple(range(len(primals)))
    out, t = _jvp_trace(f, primals, {}, argnums, False, tangents, None, "jvp")
    if has_aux:
        return out, t, _strip(aux_box[0])
    return out, t


def make_jvp(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """autograd's make_jvp: ``make_jvp(f)(*args)(v)`` gives ``(f(*args), J @ v)``.

    Parameters
    ----------
    fun : callable
        Any function of arrays.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments and returns ``jvp_fn``; each ``jvp_fn(v)`` runs one
        forward pass and returns ``(ans, J @ v)``.

    Raises
    ------
    TypeError
        From `jvp_fn`, if the differentiated inputs are not floating-point/complex.
    ValueError
        From `jvp_fn`, if `v` is not structured like the differentiated argument.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_jvp
    >>> ans, t = make_jvp(lambda x: x ** 3)(np.array([1.0, 2.0]))(np.array([1.0, 0.0]))
    >>> ans.tolist(), t.tolist()
    ([1.0, 8.0], [3.0, 0.0])
    """
    argnums, single = _argnums(argnum)

    def at(*args: Any, **kwargs: Any) -> Callable:
        def jvp_fn(v: Any) -> tuple[Any, Any]:
            return _jvp_trace(fun, args, kwargs, argnums, single, v, None, "make_jvp")
        return jvp_fn

    return at


def deriv(fun: Callable, argnum: int = 0) -> Callable:
    """The derivative of a function of one scalar (or elementwise), by forward mode.

    Parameters
    ----------
    fun : callable
        A function of a scalar, or an elementwise function of an array.
    argnum : int
        Which positional argument to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the tangent of the output for a tangent of ones.

    Raises
    ------
    TypeError
        If the differentiated input is not floating-point/complex.

    Example
    -------
    >>> from hodiff import deriv
    >>> float(deriv(lambda x: x ** 3)(2.0))
    12.0
    """
    def derivfun(*args: Any, **kwargs: Any) -> Any:
        x = args[argnum]
        ones = _np.ones_like(unbox(x))
        return _jvp_trace(fun, args, kwargs, (argnum,), True, ones, None, "deriv")[1]
    return derivfun


def linearize(fun: Callable, *primals: Any) -> tuple[Any, Callable]:
    """``(fun(*primals), jvp_fn)`` where ``jvp_fn(*tangents)`` is the Jacobian applied to them.

    `fun` runs once. Its backward pass is recorded once as a linear function of the output
    cotangent; each ``jvp_fn`` call walks that record backwards (the transpose of the transpose
    is the Jacobian), so it costs one backward walk and never reruns `fun`.

    Parameters
    ----------
    fun : callable
        A function of ``len(primals)`` positional arguments.
    *primals
        The point (floating-point or complex).

    Returns
    -------
    tuple
        ``(out, jvp_fn)``; ``jvp_fn(*tangents)`` takes one tangent per primal.

    Raises
    ------
    TypeError
        From `jvp_fn`, if a primal is not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import linearize
    >>> out, jvp_fn = linearize(np.exp, 0.0)
    >>> float(out), float(jvp_fn(2.0))
    (1.0, 2.0)
    """
    out, jvp_fn, _ = _linearized(fun, primals, {}, tuple(range(len(primals))), False,
                                 "linearize")

    def apply(*tangents: Any) -> Any:
        if len(tangents) != len(primals):
            raise ValueError(f"linearize: jvp_fn takes {len(primals)} tangent(s), one per "
                             f"input, but got {len(tangents)}")
        for t, p in zip(flatten(tangents)[0], flatten(primals)[0]):
            check_like(t, p, "linearize", "tangent", "input")
        return jvp_fn(tangents)
    return out, apply


def _linearized(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
                who: str) -> tuple[Any, Callable, Callable]:
    """``(out, jvp_fn, pullback)`` from one run of `fun`: ``jvp_fn(t)`` (t structured like the
    differentiated argument(s)) walks one recorded transpose of the backward pass, and
    ``pullback(ct)`` the tape itself; neither reruns `fun`."""
    out, pullback = _vjp_trace(fun, args, kwargs, argnums, single, who)
    out_leaves, out_spec = flatten(out)
    tag = ReverseTag()
    with new_tag(tag):
        ct_boxes = [tag.leaf(_zeros_like(o)) for o in out_leaves]
        result_ids = [tag.index_of(r)
                      for r in flatten(pullback(unflatten(out_spec, ct_boxes)))[0]]
    ct_ids = [b._index for b in ct_boxes]

    def jvp_fn(tangent: Any) -> Any:
        seeds = [(i, t) for i, t in zip(result_ids, flatten(tangent)[0]) if i is not None]
        cts = backward(tag.tape, seeds, ct_ids, consume=False)
        return unflatten(out_spec, [_fit(c, o) for c, o in zip(cts, out_leaves)])

    return out, jvp_fn, pullback
