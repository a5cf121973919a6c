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
    """``(vector, unflatten)`` for a nested tuple/list/dict of arrays and scalars."""
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
    """``(flat_func, unflatten, flat_example)`` where flat_func takes the flat vector."""
    flat, unflatten = flatten(example)
    return (lambda v, *args: func(unflatten(v), *args)), unflatten, flat
