"""Flatten a nested container of arrays into one vector, with the function that undoes it.

Differentiable both ways (it is built from concatenate, indexing and reshape).
Imports hodiff.core and hodiff.numpy.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import tree, unbox


def flatten(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """``(vector, unflatten)`` for a nested tuple/list/dict of arrays and scalars.

    Parameters
    ----------
    value : array, scalar or nested tuple/list/dict of them
        The leaves may be traced.

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
    """
    leaves, spec = tree.flatten(value)
    shapes = [_np.shape(unbox(x)) for x in leaves]
    sizes = [int(_np.prod(s)) for s in shapes]
    flat = hnp.concatenate([hnp.ravel(x) for x in leaves]) if leaves else _np.zeros(0)

    def unflatten(vector: Any) -> Any:
        out, start = [], 0
        for shape, size in zip(shapes, sizes):
            out.append(hnp.reshape(vector[start:start + size], shape))
            start += size
        return tree.unflatten(spec, out)

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
    (2.5, [2.0, 2.0, 1.0])
    """
    flat, unflatten = flatten(example)
    return (lambda v, *args: func(unflatten(v), *args)), unflatten, flat
