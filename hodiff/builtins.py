"""autograd.builtins: container types and isinstance that see through traced values.

hodiff's containers are Python's own (traced values may sit in them freely), so `tuple`, `list`
and `dict` are the builtins; `isinstance` treats a traced array as an ndarray.
Imports hodiff.core and hodiff.spaces.
"""
from __future__ import annotations

import builtins as _builtins
from typing import Any

import numpy as _np

from hodiff.core import Box, unbox
from hodiff.spaces import ContainerVSpace, SparseObject, VSpace, vspace  # noqa: F401

tuple = _builtins.tuple  # noqa: A001
list = _builtins.list  # noqa: A001
dict = _builtins.dict  # noqa: A001
SequenceBox = Box
DictBox = Box
# autograd has one space class per container kind; hodiff's one class covers them all.
SequenceVSpace = ListVSpace = TupleVSpace = DictVSpace = NamedTupleVSpace = ContainerVSpace


def isinstance(obj: Any, types: Any) -> bool:  # noqa: A001
    """`builtins.isinstance` that looks at a traced value's plain value, so
    ``isinstance(x, np.ndarray)`` is True for a traced array.

    Parameters
    ----------
    obj : object
        Any value, traced or not.
    types : type or tuple of types
        As for `builtins.isinstance`.

    Returns
    -------
    bool

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.builtins import isinstance
    >>> f = lambda x: np.sum(x) if isinstance(x, onp.ndarray) else 0.0
    >>> grad(f)(np.ones(2)).tolist()
    [1.0, 1.0]
    """
    if _builtins.isinstance(obj, Box):
        obj = unbox(obj)
    return _builtins.isinstance(obj, types)


def type(obj: Any) -> Any:  # noqa: A001
    """The type of the plain value under a traced one.

    Parameters
    ----------
    obj : object
        Any value, traced or not.

    Returns
    -------
    type

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.builtins import type
    >>> def f(x):
    ...     return x * x if type(x) is float else 0.0
    >>> float(grad(f)(3.0))
    6.0
    """
    return _builtins.type(unbox(obj))


del _np
