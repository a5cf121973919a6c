"""autograd.builtins: container types and isinstance that see through traced values.

hodiff's containers are Python's own (traced values may sit in them freely), so `tuple`, `list`
and `dict` are the builtins; `isinstance` treats a traced array as an ndarray.
Imports hodiff.core.
"""
from __future__ import annotations

import builtins as _builtins
from typing import Any

import numpy as _np

from hodiff.core import Box, unbox

tuple = _builtins.tuple  # noqa: A001
list = _builtins.list  # noqa: A001
dict = _builtins.dict  # noqa: A001
SequenceBox = Box
DictBox = Box


def isinstance(obj: Any, types: Any) -> bool:  # noqa: A001
    """`builtins.isinstance` that looks at a traced value's plain value, so
    ``isinstance(x, np.ndarray)`` is True for a traced array."""
    if _builtins.isinstance(obj, Box):
        obj = unbox(obj)
    return _builtins.isinstance(obj, types)


def type(obj: Any) -> Any:  # noqa: A001
    """The type of the plain value under a traced one."""
    return _builtins.type(unbox(obj))


del _np
