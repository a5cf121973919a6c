"""autograd's vector-space objects: `vspace(x)`, the `VSpace` base class a user subclasses to
make a type of their own differentiable, and `Box.register` for giving traced values of that
type the user's methods.
Imports hodiff.core.
"""
from __future__ import annotations

from typing import Any, Iterator

import numpy as _np

from hodiff.core import Box, Primitive, unbox
from hodiff.core import tree
from hodiff.core import vspace as _core_space
from hodiff.core.vspace import SparseObject

__all__ = ["ArrayVSpace", "ContainerVSpace", "SparseObject", "VSpace", "vspace"]


# -- the arithmetic of a vector space, as primitives so it can be traced (higher order) ----------
def _vs_add(vs: Any, x: Any, y: Any) -> Any:
    return vs._add(x, y)


def _vs_scalar_mul(vs: Any, x: Any, a: Any) -> Any:
    return vs._scalar_mul(x, a)


def _vs_inner_prod(vs: Any, x: Any, y: Any) -> Any:
    return vs._inner_prod(x, y)


_add = Primitive(_vs_add, name="vspace_add", register=False)
_scalar_mul = Primitive(_vs_scalar_mul, name="vspace_scalar_mul", register=False)
_inner_prod = Primitive(_vs_inner_prod, name="vspace_inner_prod", register=False)
for _i in (1, 2):  # add is linear in each argument
    _add.defrules(_i, lambda t, ans, vs, x, y: t, lambda ans, vs, x, y: lambda ct: ct)
_scalar_mul.defrules(1, lambda t, ans, vs, x, a: _scalar_mul(vs, t, a),
                     lambda ans, vs, x, a: lambda ct: _scalar_mul(vs, ct, a))
_scalar_mul.defrules(2, lambda t, ans, vs, x, a: _scalar_mul(vs, x, t),
                     lambda ans, vs, x, a: lambda ct: _inner_prod(vs, ct, x))
_inner_prod.defrules(1, lambda t, ans, vs, x, y: _inner_prod(vs, t, y),
                     lambda ans, vs, x, y: lambda ct: _scalar_mul(vs, y, ct))
_inner_prod.defrules(2, lambda t, ans, vs, x, y: _inner_prod(vs, x, t),
                     lambda ans, vs, x, y: lambda ct: _scalar_mul(vs, x, ct))


class VSpace:
    """The vector space a value lives in: its zero, addition, scaling and inner product.

    Subclass it for a type of your own and call ``MySpace.register(MyType)``; hodiff then adds
    cotangents and tangents of that type with `add`, makes zeros with `zeros`, and the
    checks in hodiff.test_util draw directions with `randn` and pair them with `inner_prod`.
    Override the underscore methods (``_add``, ``_scalar_mul``, ``_inner_prod``) for the
    arithmetic; the public ones wrap them so derivatives flow through them.

    Parameters
    ----------
    value : object
        A value of the space (its shape, for example, fixes the space).

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.extend import VSpace, primitive, defvjp
    >>> class Pair:
    ...     def __init__(self, a, b):
    ...         self.a, self.b = a, b
    >>> class PairSpace(VSpace):
    ...     def zeros(self):
    ...         return Pair(0.0, 0.0)
    ...     def _add(self, x, y):
    ...         return Pair(x.a + y.a, x.b + y.b)
    ...     def _scalar_mul(self, x, c):
    ...         return Pair(c * x.a, c * x.b)
    ...     def _inner_prod(self, x, y):
    ...         return x.a * y.a + x.b * y.b
    >>> PairSpace.register(Pair)
    >>> first = primitive(lambda p: p.a)
    >>> defvjp(first, lambda ans, p: lambda g: Pair(g, 0.0))
    >>> second = primitive(lambda p: p.b)
    >>> defvjp(second, lambda ans, p: lambda g: Pair(0.0, g))
    >>> g = grad(lambda p: first(p) * second(p))(Pair(2.0, 5.0))
    >>> float(g.a), float(g.b)
    (5.0, 2.0)
    """

    iscomplex = False

    def __init__(self, value: Any) -> None:
        pass

    def zeros(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} needs a zeros() method")

    def ones(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} needs a ones() method")

    def standard_basis(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} needs a standard_basis() method")

    def randn(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} needs a randn() method")

    def add(self, x: Any, y: Any) -> Any:
        return _add(self, x, y)

    def mut_add(self, x_prev: Any, x_new: Any) -> Any:
        return self._mut_add(self.zeros() if x_prev is None else x_prev, x_new)

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return _scalar_mul(self, x, a)

    def inner_prod(self, x: Any, y: Any) -> Any:
        return _inner_prod(self, x, y)

    def covector(self, x: Any) -> Any:
        # hodiff pairs values without conjugation (Re sum x*y), so a vector is its own covector.
        return self._covector(x)

    def _add(self, x: Any, y: Any) -> Any:
        return x + y

    def _mut_add(self, x: Any, y: Any) -> Any:
        return self._add(x, y)

    def _scalar_mul(self, x: Any, a: Any) -> Any:
        return x * a

    def _inner_prod(self, x: Any, y: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} needs an _inner_prod method")

    def _covector(self, x: Any) -> Any:
        return x

    def __eq__(self, other: Any) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({vars(self)})"

    @classmethod
    def register(cls, value_type: type, vspace_maker: Any = None) -> None:
        """Make values of `value_type` live in this space (``vspace_maker(value)`` if given).

        Parameters
        ----------
        value_type : type
            The user's type.
        vspace_maker : callable, optional
            Builds the space from a value; defaults to the class itself.
        """
        _core_space.CUSTOM[value_type] = vspace_maker or cls


class ArrayVSpace(VSpace):
    """The space of arrays (and scalars) of one shape and dtype.

    Parameters
    ----------
    value : array or scalar

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.extend import vspace
    >>> vs = vspace(np.ones((2, 3)))
    >>> vs.shape, vs.size, str(vs.dtype), float(vs.zeros().sum())
    ((2, 3), 6, 'float64', 0.0)
    """

    def __init__(self, value: Any) -> None:
        value = unbox(value)
        self.shape = _np.shape(value)
        self.dtype = _np.result_type(value)
        if self.dtype.kind not in "fc":
            self.dtype = _np.dtype(float)

    @property
    def size(self) -> int:
        return int(_np.prod(self.shape))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def iscomplex(self) -> bool:  # type: ignore[override]
        return self.dtype.kind == "c"

    def zeros(self) -> Any:
        return _np.zeros(self.shape, self.dtype)

    def ones(self) -> Any:
        return _np.ones(self.shape, self.dtype)

    def standard_basis(self) -> Iterator[Any]:
        for idx in _np.ndindex(*self.shape):
            v = _np.zeros(self.shape, self.dtype)
            v[idx] = 1.0
            yield v

    def randn(self) -> Any:
        v = _np.random.randn(*self.shape)
        if self.iscomplex:
            v = v + 1j * _np.random.randn(*self.shape)
        return v.astype(self.dtype)

    def add(self, x: Any, y: Any) -> Any:
        return x + y

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return x * a

    def inner_prod(self, x: Any, y: Any) -> Any:
        return self._inner_prod(x, y)

    def _inner_prod(self, x: Any, y: Any) -> Any:
        # hodiff's pairing Re(sum x*y) with no conjugation (the seed's complex convention).
        prod = x * y
        total = prod.sum() if hasattr(prod, "sum") else prod
        return total.real if self.iscomplex else total


class ContainerVSpace(VSpace):
    """The space of a nested tuple/list/dict of arrays: the product of its leaves' spaces.

    Parameters
    ----------
    value : tuple, list or dict

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.extend import vspace
    >>> vs = vspace({"w": np.ones(2), "b": 0.0})
    >>> vs.zeros()["w"].tolist(), vs.size
    ([0.0, 0.0], 3)
    """

    def __init__(self, value: Any) -> None:
        leaves, self._spec = tree.flatten(value)
        self.spaces = [vspace(leaf) for leaf in leaves]

    @property
    def shape(self) -> Any:
        return tree.unflatten(self._spec, [getattr(s, "shape", None) for s in self.spaces])

    @property
    def size(self) -> int:
        return sum(getattr(s, "size", 1) for s in self.spaces)

    @property
    def iscomplex(self) -> bool:  # type: ignore[override]
        return any(s.iscomplex for s in self.spaces)

    def _build(self, leaves: list) -> Any:
        return tree.unflatten(self._spec, leaves)

    def zeros(self) -> Any:
        return self._build([s.zeros() for s in self.spaces])

    def ones(self) -> Any:
        return self._build([s.ones() for s in self.spaces])

    def randn(self) -> Any:
        return self._build([s.randn() for s in self.spaces])

    def standard_basis(self) -> Iterator[Any]:
        zeros = [s.zeros() for s in self.spaces]
        for i, s in enumerate(self.spaces):
            for v in s.standard_basis():
                yield self._build(zeros[:i] + [v] + zeros[i + 1:])

    def add(self, x: Any, y: Any) -> Any:
        return _core_space.add(x, y)

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return _core_space.scale(x, a)

    def inner_prod(self, x: Any, y: Any) -> Any:
        return sum(s.inner_prod(a, b) for s, a, b in
                   zip(self.spaces, tree.flatten(x)[0], tree.flatten(y)[0]))


def vspace(value: Any) -> VSpace:
    """The vector space of a value: its shape, dtype, zeros, random directions and arithmetic.

    Parameters
    ----------
    value : array, scalar, nested tuple/list/dict, a value of a registered type, or a traced
        value

    Returns
    -------
    VSpace
        An `ArrayVSpace` (``.shape``, ``.dtype``, ``.size``), a `ContainerVSpace`, or the space
        registered for the value's type with ``VSpace.register``.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.extend import vspace
    >>> vs = vspace(np.ones((2, 3)))
    >>> vs.shape, str(vs.dtype)
    ((2, 3), 'float64')
    >>> vspace(np.ones(2)) == vspace(np.zeros(2))
    True
    """
    raw = unbox(value)
    space = _core_space.custom_space(raw)
    if space is not None:
        return space
    if isinstance(raw, (tuple, list, dict)):
        return ContainerVSpace(raw)
    return ArrayVSpace(raw)


# -- autograd's Box subclasses: `MyBox.register(MyType)` gives traced MyType values MyBox's methods
_BOX_TYPES: dict[type, type] = {}


def _register_box(cls: type, value_type: type) -> None:
    _BOX_TYPES[value_type] = cls


def _user_box_attribute(self: Box, name: str) -> Any:
    # Only reached when ordinary lookup fails, so arrays pay nothing for it.
    if _BOX_TYPES and not name.startswith("__") and name not in ("_primal", "_tag"):
        cls = _BOX_TYPES.get(type(unbox(self)))
        if cls is not None:
            for klass in cls.__mro__:
                if klass is Box:
                    break
                if name in vars(klass):
                    attr = vars(klass)[name]
                    return attr.__get__(self, cls) if hasattr(attr, "__get__") else attr
    raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


Box.register = classmethod(_register_box)  # type: ignore[attr-defined]
Box.__getattr__ = _user_box_attribute  # type: ignore[attr-defined]
Box._value = property(lambda self: self._primal)  # type: ignore[attr-defined]
