"""Flatten a nested container of arrays into one vector, with the function that undoes it.

Differentiable both ways (it is built from concatenate, indexing and reshape).
Imports hodiff.core and hodiff.numpy.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import Box, unbox


def _sort_keys(keys: list) -> list:
    # autograd lays dict entries out by sorted key; keys that don't sort keep their order.
    try:
        return sorted(keys)
    except TypeError:
        return keys


def _rebuild(kind: type, values: list) -> Any:
    if kind is tuple or kind is list:
        return kind(values)
    if hasattr(kind, "_fields"):  # namedtuple
        return kind(*values)
    return kind(values)


def _walk(x: Any, leaves: list) -> Callable[[Iterator], Any]:
    """Append `x`'s leaves to `leaves` in layout order; return a function that rebuilds `x`
    from an iterator over new leaf values in that order."""
    if isinstance(x, dict):
        keys = list(x)
        order = _sort_keys(keys)
        builders = [(k, _walk(x[k], leaves)) for k in order]
        kind = type(x)

        def build_dict(it: Iterator) -> Any:
            values = {k: b(it) for k, b in builders}
            return kind((k, values[k]) for k in keys)
        return build_dict
    if isinstance(x, (tuple, list)):
        builders = [_walk(v, leaves) for v in x]
        kind = type(x)
        return lambda it: _rebuild(kind, [b(it) for b in builders])
    leaves.append(x)
    return lambda it: next(it)


def flatten(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """``(vector, unflatten)`` for a nested tuple/list/dict of arrays and scalars.

    Leaves are laid out in order, dict entries by sorted key (as autograd does). Real and
    complex leaves may mix (the vector is then complex); ``unflatten(vector)`` gives back each
    leaf's shape and dtype, scalars as scalars, so ``unflatten(flatten(x)[0])`` equals `x`.

    Parameters
    ----------
    value : array, scalar or nested tuple/list/dict of them
        The leaves may be traced; containers may be empty.

    Returns
    -------
    vector : array
        Every leaf raveled and concatenated, in the container's order.
    unflatten : callable
        Maps a vector of the same length back to `value`'s structure and shapes.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.misc.flatten import flatten
    >>> vec, unflatten = flatten({"W": np.ones((2, 2)), "b": np.zeros(2)})
    >>> vec.shape, unflatten(vec)["b"].tolist()
    ((6,), [0.0, 0.0])
    >>> vec, unflatten = flatten([1.0, (2j, []), {"z": np.array([3.0])}])
    >>> vec.tolist()
    [(1+0j), 2j, (3+0j)]
    >>> unflatten(vec)
    [1.0, (2j, []), {'z': array([3.])}]
    """
    leaves: list = []
    build = _walk(value, leaves)
    raws = [unbox(x) for x in leaves]
    shapes = [_np.shape(r) for r in raws]
    sizes = [int(_np.prod(s)) for s in shapes]
    dtypes = [_np.result_type(r) for r in raws]
    # A scalar leaf comes back as its own type (float, complex, numpy scalar), not a 0-d array.
    scalar = [type(r) if not isinstance(r, _np.ndarray) and _np.ndim(r) == 0 else None
              for r in raws]
    flat = hnp.concatenate([hnp.ravel(x) for x in leaves]) if leaves else _np.zeros(0)

    def unflatten(vector: Any) -> Any:
        out, start = [], 0
        vdt = _np.result_type(unbox(vector))
        for shape, size, dt, sc in zip(shapes, sizes, dtypes, scalar):
            leaf = hnp.reshape(vector[start:start + size], shape) if sc is None else vector[start]
            if vdt.kind == "c" and dt.kind != "c":
                leaf = hnp.real(leaf)
            if _np.result_type(unbox(leaf)) != dt:
                leaf = hnp.astype(leaf, dt)
            if sc is not None and not isinstance(leaf, Box):
                leaf = sc(leaf)
            out.append(leaf)
            start += size
        return build(iter(out))

    return flat, unflatten


def flatten_func(func: Callable, example: Any) -> tuple[Callable, Callable, Any]:
    """``(flat_func, unflatten, flat_example)`` where flat_func takes the flat vector.

    Parameters
    ----------
    func : callable
        ``func(params, *args)`` with `params` structured like `example`.
    example : nested tuple/list/dict of arrays
        Fixes the structure and shapes.

    Returns
    -------
    flat_func : callable
        ``flat_func(vector, *args) = func(unflatten(vector), *args)``.
    unflatten : callable
        As from `flatten`.
    flat_example : array
        `example` as one vector.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.misc.flatten import flatten_func
    >>> loss = lambda p: np.sum(p["w"] ** 2) + p["b"]
    >>> flat_loss, unflatten, v = flatten_func(loss, {"w": np.ones(2), "b": 0.5})
    >>> float(flat_loss(v)), grad(flat_loss)(v).tolist()
    (2.5, [1.0, 2.0, 2.0])
    """
    flat, unflatten = flatten(example)
    return (lambda v, *args: func(unflatten(v), *args)), unflatten, flat
