"""Arithmetic on values as vectors: add, scale, the real pairing, random directions, for
arrays, scalars and nested containers, real and complex, and values of types a user registered
with hodiff.extend.VSpace. Imports hodiff.core.tree and hodiff.core.tracing.

The pairing is Re(sum(a * b)) with no conjugation: with it, the reverse rules' output for a
real function of z is du/dx - i du/dy.
"""
from __future__ import annotations

from typing import Any

import numpy as _np

from hodiff.core.tracing import unbox
from hodiff.core.tree import flatten, tree_map, unflatten

# Value types with a user-defined vector space: type -> maker(value) -> an object with zeros(),
# randn(), add(x, y), scalar_mul(x, a), inner_prod(x, y). Filled by hodiff.extend.VSpace.register.
CUSTOM: dict = {}


def custom_space(x: Any) -> Any:
    """The user-registered vector space of `x` (traced or not), or None for arrays and scalars."""
    if not CUSTOM:
        return None
    x = unbox(x)
    maker = CUSTOM.get(type(x))
    return None if maker is None else maker(x)


class SparseObject:
    """A cotangent stored as an in-place update: ``mut_add(x)`` adds it to `x` and returns `x`.

    Reverse rules may return one (autograd's convention) to avoid building a dense array; the
    reverse interpreter makes it dense (``vs.zeros()`` updated) before a rule consumes it.

    Parameters
    ----------
    vs : VSpace
        The space of the dense value (its ``zeros()`` starts the update).
    mut_add : callable
        ``mut_add(x)`` adds this cotangent into `x` (in place is fine) and returns it.

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.extend import SparseObject, defvjp, primitive, vspace
    >>> first = primitive(lambda x: x[0])
    >>> def first_vjp(ans, x):
    ...     def put(g):
    ...         def add_at(dense):
    ...             dense[0] += g
    ...             return dense
    ...         return SparseObject(vspace(x), add_at)
    ...     return put
    >>> defvjp(first, first_vjp)
    >>> grad(lambda x: first(x) * 3.0 + np.sum(x))(onp.ones(3)).tolist()
    [4.0, 1.0, 1.0]
    """

    __slots__ = ("vs", "mut_add")
    __array_ufunc__ = None  # ndarray + SparseObject defers to __radd__

    def __init__(self, vs: Any, mut_add: Any) -> None:
        self.vs = vs
        self.mut_add = mut_add

    def dense(self) -> Any:
        return self.mut_add(self.vs.zeros())

    def __add__(self, other: Any) -> Any:
        return self.dense() + (other.dense() if type(other) is SparseObject else other)

    def __radd__(self, other: Any) -> Any:
        return other + self.dense()


def add_leaves(x: Any, y: Any) -> Any:
    """x + y for two leaves, through their registered vector space where they have one."""
    space = custom_space(x) or custom_space(y)
    return x + y if space is None else space.add(x, y)


def add(a: Any, b: Any) -> Any:
    return tree_map(add_leaves, a, b)


def scale(a: Any, c: float) -> Any:
    def leaf(x: Any) -> Any:
        space = custom_space(x)
        return x * c if space is None else space.scalar_mul(x, c)
    return tree_map(leaf, a)


def _inner_leaves(x: Any, y: Any) -> float:
    space = custom_space(x)
    if space is not None:
        return float(_np.real(space.inner_prod(x, y)))
    return _np.real(_np.sum(_np.asarray(x) * _np.asarray(y)))


def inner(a: Any, b: Any) -> float:
    """The real pairing <a, b> = Re(sum(a * b)), summed over all leaves."""
    return float(sum(_inner_leaves(x, y) for x, y in zip(flatten(a)[0], flatten(b)[0])))


def random_like(x: Any, rng: _np.random.Generator) -> Any:
    """A random direction shaped like `x` (complex where `x` is complex)."""
    def draw(leaf: Any) -> Any:
        space = custom_space(leaf)
        if space is not None:
            return space.randn()
        leaf = _np.asarray(leaf)
        v = rng.standard_normal(leaf.shape)
        if leaf.dtype.kind == "c":
            v = v + 1j * rng.standard_normal(leaf.shape)
        return v.astype(leaf.dtype) if leaf.dtype.kind in "fc" else v
    leaves, spec = flatten(x)
    return unflatten(spec, [draw(leaf) for leaf in leaves])
