"""Arithmetic on values as vectors: add, scale, the real pairing, random directions, for
arrays, scalars and nested containers, real and complex. Imports hodiff.core.tree only.

The pairing is Re(sum(a * b)) with no conjugation: with it, the reverse rules' output for a
real function of z is du/dx - i du/dy.
"""
from __future__ import annotations

from typing import Any

import numpy as _np

from hodiff.core.tree import flatten, tree_map, unflatten


def add(a: Any, b: Any) -> Any:
    return tree_map(lambda x, y: x + y, a, b)


def scale(a: Any, c: float) -> Any:
    return tree_map(lambda x: x * c, a)


def inner(a: Any, b: Any) -> float:
    """The real pairing <a, b> = Re(sum(a * b)), summed over all leaves."""
    return float(sum(_np.real(_np.sum(_np.asarray(x) * _np.asarray(y)))
                     for x, y in zip(flatten(a)[0], flatten(b)[0])))


def random_like(x: Any, rng: _np.random.Generator) -> Any:
    """A random direction shaped like `x` (complex where `x` is complex)."""
    def draw(leaf: Any) -> Any:
        leaf = _np.asarray(leaf)
        v = rng.standard_normal(leaf.shape)
        if leaf.dtype.kind == "c":
            v = v + 1j * rng.standard_normal(leaf.shape)
        return v.astype(leaf.dtype) if leaf.dtype.kind in "fc" else v
    leaves, spec = flatten(x)
    return unflatten(spec, [draw(leaf) for leaf in leaves])
