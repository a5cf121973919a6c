"""Shorthands that declare a primitive and both of its rules in one statement.

`elementwise` covers numpy's holomorphic elementwise functions from their partial derivatives,
handling broadcasting, vector-mode tangents and real inputs under complex outputs once.
`nondiff` covers functions whose outputs carry no derivative. Helpers for hand-written rules
(`unbroadcast`, `is_batched`, `shape_of`) live here too.
Imports hodiff.core; the primitives the helpers call are looked up when they run.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as _np

from hodiff.core import NondiffPrimitive, Primitive, unbox
from hodiff.core.registry import SUPPORT, lookup
from hodiff.modes.forward import ScaledTangent, scaled
from hodiff.modes.taylor import from_partials


def shape_of(x: Any) -> tuple:
    if type(x) is float:
        return ()
    s = getattr(x, "shape", None)
    return s if s is not None else _np.shape(x)


_REAL_SCALARS = (float, int, _np.float64, _np.float32)


def is_complex(x: Any) -> bool:
    tp = type(x)
    if tp in _REAL_SCALARS:
        return False
    if tp is complex or tp is _np.complex128:
        return True
    x = unbox(x)
    dt = getattr(x, "dtype", None)
    if dt is None:
        return isinstance(x, complex)
    return dt.kind == "c"


def is_batched(t: Any, x: Any) -> bool:
    """Whether tangent `t` carries a leading vector-mode axis beyond the shape of primal `x`."""
    return len(shape_of(t)) > len(shape_of(x))


def unbroadcast(ct: Any, shape: tuple, to_real: bool) -> Any:
    """Sum a cotangent down to `shape` (undoing broadcasting); keep its real part if asked."""
    if to_real and is_complex(ct):
        ct = lookup("real")(ct)
    cs = shape_of(ct)
    if cs != shape:
        lead = len(cs) - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and cs[lead + i] != 1)
        if axes:
            ct = lookup("sum")(ct, axis=axes)
        if shape_of(ct) != shape:
            ct = lookup("reshape")(ct, shape)
    return ct


def fit_tangent(t: Any, x: Any, ans: Any) -> Any:
    """Lift tangent `t` of an argument shaped like `x` to the output `ans`'s (broadcast) shape."""
    xs, ans_s = shape_of(x), shape_of(ans)
    if xs == ans_s:
        return t
    if is_batched(t, x):
        ts = shape_of(t)
        t = lookup("reshape")(t, ts[:1] + (1,) * (len(ans_s) - len(xs)) + xs)
        return lookup("broadcast_to")(t, ts[:1] + ans_s)
    return lookup("broadcast_to")(t, ans_s)


def _is_broadcast_one(d: Any, t: Any) -> bool:
    """Whether partial `d` is a plain array of ones spread by broadcasting (all strides 0),
    so that t * d is t itself (same dtype)."""
    return (type(d) is _np.ndarray and d.size > 0 and not any(d.strides)
            and type(t) is _np.ndarray and _np.result_type(t, d) == t.dtype
            and d.flat[0] == 1)


def _elementwise_jvp(argnum: int, partial: Any) -> Callable:
    # Vector-mode tangents come out as ScaledTangent (directions times the unbatched partial),
    # so a chain of elementwise functions multiplies partials, not every direction; the
    # product over the directions is formed once, where a rule that needs it reads it.
    if partial == 1 or partial == -1:
        def jvp(t: Any, ans: Any, *args: Any, **kw: Any) -> Any:
            x = args[argnum]
            if type(t) is ScaledTangent:
                if shape_of(x) == shape_of(ans):
                    return t if partial == 1 else t.times(-1)
                t = t.dense()
            if partial == -1:
                t = lookup("negative")(t)
            return fit_tangent(t, x, ans)
    else:
        def jvp(t: Any, ans: Any, *args: Any, **kw: Any) -> Any:
            x = args[argnum]
            d = partial(ans, *args, **kw)
            xs = shape_of(x)
            same = xs == shape_of(ans)
            if type(t) is ScaledTangent:
                if same:
                    return t.times(d)
                t = t.dense()
            if _is_broadcast_one(d, t):  # e.g. a product with the ones a sum's pullback spreads
                return fit_tangent(t, x, ans)
            if same:
                return scaled(t, d) if is_batched(t, x) else t * d
            return fit_tangent(t, x, ans) * d

    jvp.accepts_scaled = True  # type: ignore[attr-defined]
    return jvp


def _elementwise_vjp(argnum: int, partial: Any) -> Callable:
    def make(ans: Any, *args: Any, **kw: Any) -> Callable:
        x = args[argnum]
        xs = shape_of(x)
        to_real = is_complex(ans) and not is_complex(x)
        if partial == 1:
            if xs == shape_of(ans) and not to_real:
                return _identity
            return lambda ct: unbroadcast(ct, xs, to_real)
        if partial == -1:
            neg = lookup("negative")
            if xs == shape_of(ans) and not to_real:
                return neg
            return lambda ct: unbroadcast(neg(ct), xs, to_real)
        # The partial is computed now so the tape keeps it alone, not the inputs.
        d = partial(ans, *args, **kw)
        if xs == shape_of(ans) and not to_real:
            return lambda ct: ct * d
        if xs == () and not to_real and shape_of(d) == shape_of(ans):
            # A scalar beside an array: sum(ct * d) in one pass, without the full product.
            subs = "abcdefghijklmnopqrstuvwxyz"[:len(shape_of(ans))]
            einsum = lookup("einsum")
            return lambda ct: einsum(f"{subs},{subs}->", ct, d)
        return lambda ct: unbroadcast(ct * d, xs, to_real)

    return make


def _identity(ct: Any) -> Any:
    return ct


def elementwise(fun: Callable, *partials: Any, name: str | None = None,
                register: bool = True) -> Primitive:
    """A broadcasting elementwise primitive from its partial derivatives.

    Each partial is ``partial(ans, *args, **kwargs)``: the complex derivative of the output with
    respect to that argument (so the function must be holomorphic where complex inputs are
    allowed), or the constants 1 / -1, or None for an argument that is not differentiable.

    Example
    -------
    >>> import numpy
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> sinh2 = elementwise(lambda x: numpy.sinh(2 * x), lambda ans, x: 2 * np.cosh(2 * x),
    ...                     name="sinh2", register=False)
    >>> round(float(grad(sinh2)(0.0)), 12)
    2.0
    """
    prim = Primitive(fun, name=name, batch_jvp=True, register=register)
    prim.partials = partials
    prim.taylor = from_partials(prim)
    for argnum, partial in enumerate(partials):
        if partial is not None:
            prim.defrules(argnum, _elementwise_jvp(argnum, partial),
                          _elementwise_vjp(argnum, partial))
    return prim


def nondiff(fun: Callable, name: str | None = None) -> NondiffPrimitive:
    """A primitive whose outputs carry no derivative: inputs are unboxed, outputs are plain."""
    return NondiffPrimitive(fun, name=name)


def map_batch(rule: Callable, t: Any, *rest: Any) -> Any:
    """Apply an unbatched tangent rule to each direction of a vector-mode tangent and stack."""
    return SUPPORT["stack"](*[rule(t[k], *rest) for k in range(shape_of(t)[0])])


class RulesForEveryArg(dict):
    """A rule table for primitives taking any number of array arguments (concatenate, einsum):
    the rule for position i is made by `factory(i)` the first time it is asked for."""

    def __init__(self, factory: Callable[[int], Callable]) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, i: int) -> Callable:
        self[i] = rule = self.factory(i)
        return rule

    def get(self, i: int, default: Any = None) -> Callable:  # type: ignore[override]
        return self[i]

    def __bool__(self) -> bool:  # a rule for every position, even before one is made
        return True


# -- identity tangents -------------------------------------------------------------------------
# jacfwd and hessian seed vector mode with the identity. Products with a constant matrix can
# skip multiplying by it (the tangent of A @ x along the identity is A itself), which saves the
# one matrix product that dominates a tall Jacobian or a Hessian. The seeds are remembered by
# identity (weakly), so only the exact arrays made by `identity_tangent` qualify.
_IDENTITIES: "weakref.WeakValueDictionary[int, Any]" = weakref.WeakValueDictionary()


def identity_tangent(n: int, dtype: Any) -> Any:
    """A fresh n x n identity used as a vector-mode seed that rules may recognize."""
    eye = _np.eye(n, dtype=dtype)
    _IDENTITIES[id(eye)] = eye
    return eye


def is_identity_tangent(t: Any) -> bool:
    """Whether `t` is (exactly) a seed made by `identity_tangent`."""
    return _IDENTITIES.get(id(t)) is t


def read_only(x: Any) -> Any:
    """A read-only view of a plain array (so a result aliasing a user's array can't be written
    through); other values are returned unchanged."""
    if isinstance(x, _np.ndarray):
        x = x.view()
        x.flags.writeable = False
    return x
