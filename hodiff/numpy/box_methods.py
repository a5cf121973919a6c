"""What makes a traced value behave like an array: operators, properties and methods on `Box`,
plus `astype` and numpy's protocol hooks (ndarray + box, clear errors for unsupported calls).
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, Primitive, unbox
from hodiff.numpy import elementwise as E
from hodiff.numpy import linear as L
from hodiff.numpy import reductions as R
from hodiff.numpy import shape as S
from hodiff.numpy.shorthand import is_complex


def _astype_raw(x, dtype):
    return _np.asarray(x).astype(dtype)


_astype = Primitive(_astype_raw, name="astype", batch_jvp=True)
_astype.defrules(
    0,
    lambda t, ans, x, dtype: _astype(t if is_complex(ans) or not is_complex(t) else E.real(t),
                                     dtype),
    lambda ans, x, dtype: (lambda dt: lambda ct: _astype(
        ct if dt.kind == "c" or not is_complex(ct) else E.real(ct), dt))(
            _np.result_type(unbox(x))),
)


def astype(x, dtype, *args, **kwargs):
    """x.astype(dtype): casts to floating or complex types keep the derivative; other casts
    (int, bool) give plain values, which carry none."""
    if _np.dtype(dtype).kind in "fc":
        return _astype(x, dtype)
    return _np.asarray(unbox(x)).astype(dtype, *args, **kwargs)


def _swap(f):
    return lambda self, other: f(other, self)


def _binary(f):
    return lambda self, other: f(self, other)


def _unary(f):
    return lambda self: f(self)


def _item(self, *args):
    # Stays traced (a 0-d value), unlike float(x), so derivatives flow through .item().
    return S.getitem(self, args) if args else S.reshape(self, ())


def _setitem(self, idx, value):
    # numpy's in-place assignment, done functionally: the box now stands for the updated array.
    # Other boxes that were views of this one (y = x[1:]) keep their old values.
    new = S.index_update(self, S._raw_index(idx), value)
    if type(new) is not type(self) or new._tag is not self._tag:
        raise TypeError(
            "x[idx] = v needs v traced by the same or an outer derivative call as x; here v "
            "comes from a derivative call nested inside x's. Build a new array instead: "
            "x = hodiff.numpy.index_update(x, idx, v).")
    for slot in ("_primal",) + type(new).__slots__:
        setattr(self, slot, getattr(new, slot))


def _iter(self):
    for i in range(len(self)):
        yield S.getitem(self, i)


def _len(self):
    shape = self.shape
    if not shape:
        raise TypeError("len() of unsized (0-d) traced value")
    return shape[0]


def _method_reshape(self, *shape, order="C"):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return S.reshape(self, shape, order=order)


def _method_transpose(self, *axes):
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return S.transpose(self, axes or None)


def _plain_conversion(kind):
    def convert(self):
        return kind(unbox(self))
    convert.__doc__ = f"{kind.__name__}(x): the plain value, which carries no derivative."
    return convert


def _array(self, dtype=None, copy=None):
    raise TypeError(
        "A hodiff traced value was converted to a plain numpy array (np.asarray/np.array on it, "
        "or a plain numpy or C function that needs one). That would silently drop its "
        "derivative. Use `import hodiff.numpy as np` for the numpy call, or, if the value is "
        "meant to be a constant, hodiff.stop_gradient(x) first."
    )


def _array_function(self, func, types, args, kwargs):
    name = getattr(func, "__name__", str(func))
    module = getattr(func, "__module__", "numpy")
    sub = "linalg." if module.endswith("linalg") else ""
    raise TypeError(
        f"{module}.{name} was called on a hodiff traced value; plain numpy can't follow "
        f"derivatives. Call hodiff's version instead (`import hodiff.numpy as np`, then "
        f"np.{sub}{name}(...)), or if hodiff has none, wrap the function with "
        f"hodiff.extend.primitive and give it rules with defvjp/defjvp."
    )


_UFUNCS = {}


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    # numpy hands us `ndarray (op) box` and plain ufunc calls on boxes: route to hodiff's rule.
    prim = _UFUNCS.get(ufunc.__name__)
    if method == "__call__" and prim is not None and "out" not in kwargs:
        return prim(*inputs, **kwargs)
    raise TypeError(
        f"numpy.{ufunc.__name__}{'' if method == '__call__' else '.' + method} on a hodiff "
        f"traced value is not supported{' with out=' if 'out' in kwargs else ''}. Use "
        f"hodiff.numpy's functions (`import hodiff.numpy as np`) without out= arguments."
    )


def _repr(self):
    return f"{type(self).__name__}({unbox(self)!r})"


_METHODS = {
    "__add__": _binary(E.add), "__radd__": _swap(E.add),
    "__sub__": _binary(E.subtract), "__rsub__": _swap(E.subtract),
    "__mul__": _binary(E.multiply), "__rmul__": _swap(E.multiply),
    "__truediv__": _binary(E.divide), "__rtruediv__": _swap(E.divide),
    "__pow__": _binary(E.power), "__rpow__": _swap(E.power),
    "__mod__": _binary(E.mod), "__rmod__": _swap(E.mod),
    "__floordiv__": _binary(E.floor_divide), "__rfloordiv__": _swap(E.floor_divide),
    "__matmul__": _binary(L.matmul), "__rmatmul__": _swap(L.matmul),
    "__neg__": _unary(E.negative), "__pos__": _unary(E.positive),
    "__abs__": _unary(E.absolute),
    "__lt__": _binary(E.less), "__le__": _binary(E.less_equal), "__gt__": _binary(E.greater),
    "__ge__": _binary(E.greater_equal), "__eq__": _binary(E.equal),
    "__ne__": _binary(E.not_equal),
    "__getitem__": S.getitem, "__setitem__": _setitem, "__len__": _len, "__iter__": _iter,
    "__bool__": _plain_conversion(bool), "__float__": _plain_conversion(float),
    "__int__": _plain_conversion(int), "__index__": _plain_conversion(int),
    "__complex__": _plain_conversion(complex),
    "__array__": _array, "__array_function__": _array_function,
    "__array_ufunc__": _array_ufunc, "__repr__": _repr,
    "sum": R.sum, "mean": R.mean, "prod": R.prod, "max": R.max, "min": R.min,
    "var": R.var, "std": R.std, "cumsum": R.cumsum,
    "argmax": R.argmax, "argmin": R.argmin, "argsort": R.argsort, "all": R.all, "any": R.any,
    "dot": L.dot, "trace": L.trace, "diagonal": L.diagonal,
    "reshape": _method_reshape, "transpose": _method_transpose, "ravel": S.ravel,
    "flatten": S.ravel, "squeeze": S.squeeze, "swapaxes": S.swapaxes, "repeat": S.repeat,
    "take": S.take, "conj": E.conjugate, "conjugate": E.conjugate, "clip": E.clip,
    "round": E.round, "astype": astype, "item": _item, "copy": E.positive,
    "__hash__": object.__hash__,
}

def _as_method(fun):
    # A primitive is no descriptor; a two-argument function binds fastest for operators.
    if isinstance(fun, Primitive):
        return lambda self, *args, **kwargs: fun(self, *args, **kwargs)
    return fun


for _name, _fun in _METHODS.items():
    setattr(Box, _name, _as_method(_fun))

Box.T = property(lambda self: S.transpose(self))  # type: ignore[attr-defined]
Box.real = property(E.real)  # type: ignore[attr-defined]
Box.imag = property(E.imag)  # type: ignore[attr-defined]
Box.flat = property(S.ravel)  # type: ignore[attr-defined]

for _module in (E, L):
    for _name in dir(_module):
        _obj = getattr(_module, _name)
        if isinstance(_obj, Primitive) and isinstance(getattr(_np, _name, None), _np.ufunc):
            _UFUNCS[_name] = _obj
