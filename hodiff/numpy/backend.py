"""Which array library a value lives in (NumPy, CuPy, Dask), and fresh arrays made in that one.

Rules make their constants (zeros, masks, identity matrices, scatter targets) in the namespace
of their operands, never with NumPy's host-only constructors, so that the same rules run on CuPy
arrays (on the GPU) and on Dask arrays (lazily, chunk by chunk) without moving values to the host.
Imports hodiff.core only; CuPy and Dask are never imported here (a value of theirs means its
library is loaded already).
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as _np

from hodiff.core import unbox

_PLAIN = (_np.ndarray, _np.generic, float, int, complex, bool)
# Array libraries other than NumPy: the top-level module of an array type -> the module with its
# array functions. Tests add a stand-in library here (tests/fake_gpu.py).
LIBRARIES = {"cupy": "cupy", "dask": "dask.array"}


def namespace(*xs: Any) -> Any:
    """The array module of the first CuPy or Dask array among `xs` (traced or not); NumPy else.

    Example
    -------
    >>> import numpy
    >>> namespace(numpy.ones(2), 1.0) is numpy
    True
    """
    for x in xs:
        x = unbox(x)
        if isinstance(x, _PLAIN) or x is None:
            continue
        library = LIBRARIES.get(type(x).__module__.partition(".")[0])
        if library is not None:
            return sys.modules[library]
    return _np


def is_foreign(x: Any) -> bool:
    """Whether `x` (traced or not) is an array of another library than NumPy (CuPy, Dask)."""
    return namespace(x) is not _np


def is_dask(x: Any) -> bool:
    """Whether `x` (traced or not) is a Dask array."""
    return namespace(x).__name__ == "dask.array"


def zeros(shape: tuple, dtype: Any, like: Any) -> Any:
    """Zeros of `shape` in the library of `like`."""
    return namespace(like).zeros(shape, dtype=dtype)


def ones(shape: tuple, dtype: Any, like: Any) -> Any:
    """Ones of `shape` in the library of `like`."""
    return namespace(like).ones(shape, dtype=dtype)


def eye(n: int, dtype: Any, like: Any) -> Any:
    """The n-by-n identity in the library of `like`."""
    return namespace(like).eye(n, dtype=dtype)


def zeros_like(x: Any, dtype: Any = None) -> Any:
    """Zeros shaped (and, for Dask, chunked) like `x`, which may be traced."""
    x = unbox(x)
    xp = namespace(x)
    return xp.zeros_like(x, dtype=dtype)


def put(const: Any, like: Any) -> Any:
    """A constant made on the host (a mask, an index table) moved to the library of `like`.

    NumPy and Dask take host constants as they are (Dask embeds them in its graph); CuPy needs
    them on the device (one small copy to the GPU, never one back).
    """
    xp = namespace(like)
    if xp is _np or xp.__name__ == "dask.array":
        return const
    return xp.asarray(const)


def to_same(x: Any, dtype: Any = None, copy: bool = False) -> Any:
    """A CuPy or Dask array `x` as an array of its own library (cast to `dtype`, copied if
    asked), without computing it or moving it to the host."""
    if dtype is not None and _np.dtype(dtype) != x.dtype:
        return x.astype(dtype)
    return x.copy() if copy else x
