"""Nested containers (tuple, list, dict, namedtuple) of values: flatten to leaves and rebuild.

Imports nothing from hodiff.
"""
from __future__ import annotations

from typing import Any, Callable

# A spec is None for a leaf, else (kind, aux, child specs).
Spec = Any


def flatten(x: Any) -> tuple[list, Spec]:
    """The leaves of `x` in a fixed order, and a spec to rebuild it."""
    leaves: list = []
    return leaves, _flatten(x, leaves)


def _flatten(x: Any, leaves: list) -> Spec:
    if isinstance(x, (tuple, list)):
        return (type(x), None, [_flatten(v, leaves) for v in x])
    if isinstance(x, dict):
        keys = list(x.keys())
        return (type(x), keys, [_flatten(x[k], leaves) for k in keys])
    leaves.append(x)
    return None


def unflatten(spec: Spec, leaves: list) -> Any:
    """Rebuild the container that `spec` describes from `leaves` (consumed in order)."""
    it = iter(leaves)
    return _unflatten(spec, it)


def _unflatten(spec: Spec, it: Any) -> Any:
    if spec is None:
        return next(it)
    kind, keys, children = spec
    values = [_unflatten(c, it) for c in children]
    if keys is not None:
        return kind(zip(keys, values))
    if kind is tuple or kind is list:
        return kind(values)
    if hasattr(kind, "_fields"):  # namedtuple
        return kind(*values)
    return kind(values)


def tree_map(f: Callable, x: Any, *rest: Any) -> Any:
    """Apply `f` leafwise to `x` and trees of the same structure."""
    leaves, spec = flatten(x)
    others = [flatten(r)[0] for r in rest]
    return unflatten(spec, [f(*vals) for vals in zip(leaves, *others)])
