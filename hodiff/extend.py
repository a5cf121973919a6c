"""autograd's extension API, writing into hodiff's one rule registry: `primitive`, `defvjp`,
`defjvp` (and their `_argnum` forms), `def_linear`, `stop_gradient`, and JAX-style
`custom_jvp` / `custom_vjp` decorators.
Imports hodiff.core, hodiff.modes and hodiff.numpy.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from hodiff.core import Box, NondiffPrimitive, Primitive, unbox
from hodiff.core.tracing import Tag
from hodiff.numpy.shorthand import RulesForEveryArg, map_batch

__all__ = ["Box", "Primitive", "custom_jvp", "custom_vjp", "def_linear", "defjvp",
           "defjvp_argnum", "defvjp", "defvjp_argnum", "notrace_primitive", "primitive",
           "stop_gradient", "vspace"]


def primitive(fun: Callable) -> Primitive:
    """Make `fun` a primitive: hodiff won't trace inside it; give it rules with defvjp/defjvp.

    Example
    -------
    >>> from hodiff.extend import primitive, defvjp
    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> defvjp(cube, lambda ans, x: lambda g: 3 * g * x ** 2)
    """
    prim = Primitive(fun, register=False)
    return prim


def notrace_primitive(fun: Callable) -> Primitive:
    """A primitive that sees plain values and returns untraced ones (no derivative)."""
    return NondiffPrimitive(fun, register=False)


def defvjp(prim: Primitive, *makers: Any, argnums: Any = None) -> None:
    """Reverse rules: ``maker(ans, *args, **kwargs) -> (g -> cotangent of that argument)``, one
    per positional argument (None for an argument with no derivative)."""
    for argnum, maker in zip(argnums if argnums is not None else range(len(makers)), makers):
        if maker is not None:
            prim.vjps[argnum] = maker


def defjvp(prim: Primitive, *rules: Any, argnums: Any = None) -> None:
    """Forward rules: ``rule(g, ans, *args, **kwargs) -> tangent of ans`` given the tangent g of
    that argument; the string 'same' means the function is linear in that argument."""
    for argnum, rule in zip(argnums if argnums is not None else range(len(rules)), rules):
        if rule == "same":
            rule = _linear_jvp(prim, argnum)
        if rule is not None:
            prim.jvps[argnum] = rule


def _linear_jvp(prim: Primitive, argnum: int) -> Callable:
    def rule(g: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        args = list(args)
        args[argnum] = g
        return prim(*args, **kwargs)
    return rule


def defvjp_argnum(prim: Primitive, maker: Callable) -> None:
    """One reverse rule for every argument: ``maker(argnum, ans, args, kwargs) -> vjp``."""
    prim.vjps = RulesForEveryArg(
        lambda i: lambda ans, *args, **kwargs: maker(i, ans, args, kwargs))


def defjvp_argnum(prim: Primitive, rule: Callable) -> None:
    """One forward rule for every argument: ``rule(argnum, g, ans, args, kwargs) -> tangent``."""
    prim.jvps = RulesForEveryArg(
        lambda i: lambda g, ans, *args, **kwargs: rule(i, g, ans, args, kwargs))


def def_linear(prim: Primitive) -> None:
    """Declare `prim` linear in each argument: its forward rule is itself. (Its reverse rule
    must still be given with defvjp.)"""
    prim.jvps = RulesForEveryArg(lambda i: _linear_jvp(prim, i))


def _stop(x: Any) -> Any:
    return x


stop_gradient = NondiffPrimitive(_stop, name="stop_gradient")
stop_gradient.__doc__ = "The value of `x` as a constant: no derivative flows through it."


def vspace(x: Any) -> Any:
    """The plain value's shape/dtype description (autograd compatibility: .shape, .dtype)."""
    import numpy as _np

    raw = unbox(x)
    return _np.zeros_like(raw)


class custom_jvp:
    """JAX-style: a function with a hand-written forward rule.

    >>> @custom_jvp
    ... def f(x): ...
    >>> @f.defjvp
    ... def f_jvp(primals, tangents): return f(*primals), tangent_out

    Reverse mode follows by differentiating the forward rule in reverse (rules are traced)."""

    def __init__(self, fun: Callable) -> None:
        self.fun = fun
        self.prim = Primitive(fun, register=False)
        wraps(fun)(self)

    def defjvp(self, jvp_fun: Callable) -> Callable:
        def rule(i: int) -> Callable:
            def jvp_i(t: Any, ans: Any, *args: Any) -> Any:
                import numpy as _np
                tangents = tuple(t if j == i else _np.zeros_like(unbox(a))
                                 for j, a in enumerate(args))
                return jvp_fun(args, tangents)[1]
            return jvp_i

        def vjp_from_jvp(i: int) -> Callable:
            def make(ans: Any, *args: Any) -> Callable:
                from hodiff.operators import vjp

                def linear_part(t: Any) -> Any:
                    return rule(i)(t, ans, *args)
                import numpy as _np
                zero = _np.zeros_like(unbox(args[i]))
                return lambda ct: vjp(linear_part, zero)[1](ct)[0]
            return make

        self.prim.jvps = RulesForEveryArg(rule)
        self.prim.vjps = RulesForEveryArg(vjp_from_jvp)
        return jvp_fun

    def __call__(self, *args: Any) -> Any:
        return self.prim(*args)


class custom_vjp:
    """JAX-style: a function with a hand-written reverse rule.

    ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, residuals)`` and
    ``bwd(residuals, ct) -> tuple of cotangents, one per argument``. Forward mode is derived
    from it by transposition (see hodiff.modes.reverse.jvp_from_vjp)."""

    def __init__(self, fun: Callable) -> None:
        self.fun = fun
        self.prim = Primitive(fun, register=False)
        wraps(fun)(self)

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        def make(i: int) -> Callable:
            def maker(ans: Any, *args: Any) -> Callable:
                _, res = fwd(*args)
                return lambda ct: bwd(res, ct)[i]
            return maker
        self.prim.vjps = RulesForEveryArg(make)

    def __call__(self, *args: Any) -> Any:
        return self.prim(*args)


del Tag, map_batch
