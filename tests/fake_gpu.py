"""A stand-in for CuPy on the CPU: arrays that live "on a device" and behave as CuPy's do where
it matters to hodiff's rules, so CI without a GPU still catches a rule that would fail on one.

Like CuPy: NumPy's functions and ufuncs dispatch to the library (`__array_function__`,
`__array_ufunc__`), full reductions give 0-d arrays (not NumPy scalars), implicit conversion to
a NumPy array is an error, and arithmetic with a NumPy array (a host array) is an error. Index
arrays may come from the host, as CuPy allows. Inside `strict()` any move to the host (float(),
bool(), .item(), .get()) raises, and copies to the device are counted in `TO_DEVICE`.
Imports numpy only.
"""
from __future__ import annotations

import contextlib
import sys
import types
from typing import Any

import numpy as onp

_STRICT = [False]
TO_DEVICE = [0]


class HostTransfer(AssertionError):
    """A value left the (pretend) device while a derivative was being built."""


def _leave_device(what: str) -> None:
    if _STRICT[0]:
        raise HostTransfer(f"{what} moved a device value to the host")


@contextlib.contextmanager
def strict():
    """Moves to the host raise while the block runs."""
    _STRICT[0] = True
    try:
        yield
    finally:
        _STRICT[0] = False


def _is_host_array(v: Any) -> bool:
    return isinstance(v, onp.ndarray)


def _unwrap(v: Any, allow_host: bool = False) -> Any:
    if isinstance(v, ndarray):
        return v._a
    if isinstance(v, (list, tuple)):
        return type(v)(_unwrap(u, allow_host) for u in v)
    if isinstance(v, dict):
        return {k: _unwrap(u, allow_host) for k, u in v.items()}
    if _is_host_array(v) and not allow_host:
        raise TypeError("Unsupported type <class 'numpy.ndarray'>: a host array beside a device "
                        "array (move it with fakegpu.asarray first)")
    return v


def _wrap(v: Any) -> Any:
    if isinstance(v, (onp.ndarray, onp.generic)) and not isinstance(v, onp.dtype):
        return ndarray(onp.asarray(v))
    if isinstance(v, tuple):
        return tuple(_wrap(u) for u in v)
    if isinstance(v, list):
        return [_wrap(u) for u in v]
    return v


def _index(idx: Any) -> Any:
    # Index arrays may be host arrays (CuPy copies them over).
    return _unwrap(idx, allow_host=True)


class ndarray:  # noqa: N801 - CuPy's name
    __array_priority__ = 100.0

    def __init__(self, a: onp.ndarray) -> None:
        self._a = a

    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    T = property(lambda self: ndarray(self._a.T))
    real = property(lambda self: ndarray(onp.real(self._a)))
    imag = property(lambda self: ndarray(onp.imag(self._a)))

    def __len__(self) -> int:
        return len(self._a)

    def __repr__(self) -> str:
        return f"fakegpu.ndarray({self._a!r})"

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use "
                        "`.get()` to construct a NumPy array explicitly.")

    def get(self) -> onp.ndarray:
        _leave_device(".get()")
        return self._a.copy()

    def item(self) -> Any:
        _leave_device(".item()")
        return self._a.item()

    def __float__(self) -> float:
        _leave_device("float()")
        return float(self._a)

    def __int__(self) -> int:
        _leave_device("int()")
        return int(self._a)

    def __complex__(self) -> complex:
        _leave_device("complex()")
        return complex(self._a)

    def __bool__(self) -> bool:
        _leave_device("bool()")
        return bool(self._a)

    def __getitem__(self, idx: Any) -> ndarray:
        return ndarray(onp.asarray(self._a[_index(idx)]))

    def __setitem__(self, idx: Any, v: Any) -> None:
        self._a[_index(idx)] = _unwrap(v)

    def astype(self, dtype: Any, copy: bool = True) -> ndarray:
        return ndarray(self._a.astype(dtype, copy=copy))

    def reshape(self, *shape: Any, order: str = "C") -> ndarray:
        return ndarray(self._a.reshape(*shape, order=order))

    def transpose(self, *axes: Any) -> ndarray:
        return ndarray(self._a.transpose(*axes))

    def copy(self) -> ndarray:
        return ndarray(self._a.copy())

    def __getattr__(self, name: str) -> Any:
        # Other methods (x.conj(), x.dot(y), x.max(axis)): NumPy's function of that name.
        f = getattr(onp, name, None)
        if not callable(f) or name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: f(self, *args, **kwargs)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if any(_defers(i) for i in inputs):
            return NotImplemented
        try:
            inputs = _unwrap(inputs)
            kwargs = _unwrap(kwargs)
        except TypeError:
            return NotImplemented
        if method == "at":
            a, idx, *rest = inputs
            return getattr(ufunc, method)(a, _index(idx), *rest, **kwargs)
        return _wrap(getattr(ufunc, method)(*inputs, **kwargs))

    def __array_function__(self, func: Any, types_: Any, args: Any, kwargs: Any) -> Any:
        if func is onp.result_type:
            return onp.result_type(*[a.dtype if isinstance(a, ndarray) else a for a in args])
        return _wrap(func(*_unwrap(args), **_unwrap(kwargs)))


def _defers(other: Any) -> bool:
    # As CuPy does: a type with a higher __array_priority__ (hodiff's boxes) handles the call.
    return getattr(other, "__array_priority__", 0.0) > ndarray.__array_priority__ and \
        not isinstance(other, (ndarray, onp.ndarray))


def _binary(name: str) -> Any:
    ufunc = getattr(onp, name)
    return (lambda self, other: NotImplemented if _defers(other) else ufunc(self, other),
            lambda self, other: NotImplemented if _defers(other) else ufunc(other, self))


for _op, _uf in [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
                 ("truediv", "true_divide"), ("pow", "power"), ("matmul", "matmul"),
                 ("mod", "remainder"), ("floordiv", "floor_divide")]:
    _f, _r = _binary(_uf)
    setattr(ndarray, f"__{_op}__", _f)
    setattr(ndarray, f"__r{_op}__", _r)
for _op, _uf in [("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
                 ("ge", "greater_equal"), ("eq", "equal"), ("ne", "not_equal")]:
    setattr(ndarray, f"__{_op}__", _binary(_uf)[0])
ndarray.__neg__ = lambda self: onp.negative(self)
ndarray.__pos__ = lambda self: onp.positive(self)
ndarray.__abs__ = lambda self: onp.absolute(self)
ndarray.__hash__ = None


class _Ufunc:
    """A module-level ufunc of the library (fakegpu.add), with .at for scatter-adds."""

    def __init__(self, ufunc: Any) -> None:
        self.ufunc = ufunc

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.ufunc(*args, **kwargs)

    def at(self, a: ndarray, idx: Any, b: Any) -> None:
        self.ufunc.at(a._a, _index(idx), _unwrap(b))


def asarray(a: Any, dtype: Any = None) -> ndarray:
    """Copy to the (pretend) device; counted."""
    if isinstance(a, ndarray):
        return a if dtype is None else a.astype(dtype)
    TO_DEVICE[0] += 1
    return ndarray(onp.array(a, dtype=dtype))


def asnumpy(a: Any) -> Any:
    return a.get() if isinstance(a, ndarray) else onp.asarray(a)


def _make_module() -> types.ModuleType:
    mod = types.ModuleType("fakegpu", __doc__)
    mod.ndarray, mod.asarray, mod.array, mod.asnumpy = ndarray, asarray, asarray, asnumpy

    def __getattr__(name: str) -> Any:
        f = getattr(onp, name)
        if isinstance(f, onp.ufunc):
            return _Ufunc(f)
        if not callable(f):
            return f
        # Constructors and functions: run NumPy's on the device values, results on the device.
        return lambda *args, **kwargs: _wrap(f(*_unwrap(args), **_unwrap(kwargs)))

    mod.__getattr__ = __getattr__
    return mod


ndarray.__module__ = "fakegpu"
module = sys.modules.setdefault("fakegpu", _make_module())
