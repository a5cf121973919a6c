"""autograd's extension API, writing into hodiff's one rule registry: `primitive`, `defvjp`,
`defjvp` (and their `_argnum` forms), `def_linear`, `stop_gradient`, and JAX-style
`custom_jvp` / `custom_vjp` decorators.
Imports hodiff.core, hodiff.numpy, hodiff.spaces and hodiff.tracer.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

import numpy as _np

from hodiff.core import Box, NondiffPrimitive, Primitive, unbox
from hodiff.numpy.shorthand import RulesForEveryArg
from hodiff.spaces import SparseObject, VSpace, vspace
from hodiff.tracer import JVPNode, VJPNode, notrace_primitive, primitive, register_notrace

__all__ = ["Box", "JVPNode", "Primitive", "SparseObject", "VJPNode", "VSpace", "custom_jvp",
           "custom_vjp", "def_linear", "defjvp", "defjvp_argnum", "defjvp_argnums", "defvjp",
           "defvjp_argnum", "defvjp_argnums", "notrace_primitive", "primitive",
           "register_notrace", "stop_gradient", "vspace"]


def defvjp(fun: Primitive, *vjpmakers: Any, argnums: Any = None) -> None:
    """Reverse rules: ``maker(ans, *args, **kwargs) -> (g -> cotangent of that argument)``, one
    per positional argument (None for an argument with no derivative).

    Forward mode is derived from these rules by transposition, so they are enough for both.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    *vjpmakers : callable or None
        One per positional argument, in order (or in the order of `argnums`).
    argnums : sequence of int, optional
        The arguments the vjpmakers belong to.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.extend import primitive, defvjp
    >>> mul = primitive(lambda x, y: x * y)
    >>> defvjp(mul, lambda ans, x, y: lambda g: g * y, lambda ans, x, y: lambda g: g * x)
    >>> [float(d) for d in grad(mul, argnum=(0, 1))(2.0, 5.0)]
    [5.0, 2.0]
    """
    argnums = argnums if argnums is not None else range(len(vjpmakers))
    for argnum, maker in zip(argnums, vjpmakers):
        if maker is not None:
            fun.vjps[argnum] = maker


def defjvp(fun: Primitive, *jvpfuns: Any, argnums: Any = None) -> None:
    """Forward rules: ``rule(g, ans, *args, **kwargs) -> tangent of ans`` given the tangent g of
    that argument; the string 'same' means the function is linear in that argument.

    Reverse mode is derived from these rules by transposition, so they are enough for both.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    *jvpfuns : callable, 'same' or None
        One per positional argument, in order (or in the order of `argnums`).
    argnums : sequence of int, optional
        The arguments the rules belong to.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import deriv, grad
    >>> from hodiff.extend import primitive, defjvp
    >>> square = primitive(lambda x: x * x)
    >>> defjvp(square, lambda g, ans, x: 2 * x * g)
    >>> float(deriv(square)(3.0)), float(grad(square)(3.0))
    (6.0, 6.0)
    """
    for argnum, rule in zip(argnums if argnums is not None else range(len(jvpfuns)), jvpfuns):
        if rule == "same":
            rule = _linear_jvp(fun, argnum)
        if rule is not None:
            fun.jvps[argnum] = rule


def _linear_jvp(fun: Primitive, argnum: int) -> Callable:
    def rule(g: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        args = list(args)
        args[argnum] = g
        return fun(*args, **kwargs)
    return rule


def defvjp_argnum(fun: Primitive, vjpmaker: Callable) -> None:
    """One reverse rule for every argument: ``vjpmaker(argnum, ans, args, kwargs) -> vjp``.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    vjpmaker : callable
        ``vjpmaker(argnum, ans, args, kwargs)`` returns ``g -> cotangent of args[argnum]``.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.extend import primitive, defvjp_argnum
    >>> add3 = primitive(lambda x, y, z: x + y + z)
    >>> defvjp_argnum(add3, lambda i, ans, args, kwargs: lambda g: g)
    >>> [float(d) for d in grad(add3, argnum=(0, 2))(1.0, 2.0, 3.0)]
    [1.0, 1.0]
    """
    fun.vjps = RulesForEveryArg(
        lambda i: lambda ans, *args, **kwargs: vjpmaker(i, ans, args, kwargs))


def defjvp_argnum(fun: Primitive, jvpmaker: Callable) -> None:
    """One forward rule for every argument: ``jvpmaker(argnum, g, ans, args, kwargs) -> tangent``.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    jvpmaker : callable
        ``jvpmaker(argnum, g, ans, args, kwargs)`` returns the tangent of the output for tangent
        `g` of ``args[argnum]``.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import jvp
    >>> from hodiff.extend import primitive, defjvp_argnum
    >>> mul = primitive(lambda x, y: x * y)
    >>> defjvp_argnum(mul, lambda i, g, ans, args, kwargs: g * args[1 - i])
    >>> float(jvp(mul, (2.0, 5.0), (1.0, 1.0))[1])
    7.0
    """
    fun.jvps = RulesForEveryArg(
        lambda i: lambda g, ans, *args, **kwargs: jvpmaker(i, g, ans, args, kwargs))


def defvjp_argnums(fun: Primitive, vjpmaker: Callable) -> None:
    """A reverse rule for several arguments at once:
    ``vjpmaker(argnums, ans, args, kwargs) -> (g -> tuple of cotangents, one per argnum)``.

    hodiff keeps one rule per argument, so each argument calls `vjpmaker` with its own argnum.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    vjpmaker : callable
        ``vjpmaker(argnums, ans, args, kwargs)`` returns ``g -> cotangents of those arguments``.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.extend import primitive, defvjp_argnums
    >>> mul = primitive(lambda x, y: x * y)
    >>> def mul_vjp(argnums, ans, args, kwargs):
    ...     x, y = args
    ...     return lambda g: tuple(g * (y if i == 0 else x) for i in argnums)
    >>> defvjp_argnums(mul, mul_vjp)
    >>> [float(d) for d in grad(mul, argnum=(0, 1))(2.0, 5.0)]
    [5.0, 2.0]
    """
    def for_arg(i: int) -> Callable:
        def make(ans: Any, *args: Any, **kwargs: Any) -> Callable:
            pullback = vjpmaker((i,), ans, args, kwargs)
            return lambda g: pullback(g)[0]
        return make
    fun.vjps = RulesForEveryArg(for_arg)


def defjvp_argnums(fun: Primitive, jvpmaker: Callable) -> None:
    """A forward jvpmaker for several arguments at once:
    ``jvpmaker(argnums, gs, ans, args, kwargs) -> tangent of ans`` for tangents `gs` of
    ``args[argnums]``.

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`.
    jvpmaker : callable
        ``jvpmaker(argnums, gs, ans, args, kwargs)`` returns the output's tangent.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import jvp
    >>> from hodiff.extend import primitive, defjvp_argnums
    >>> mul = primitive(lambda x, y: x * y)
    >>> defjvp_argnums(mul, lambda argnums, gs, ans, args, kwargs:
    ...                sum(g * args[1 - i] for i, g in zip(argnums, gs)))
    >>> float(jvp(mul, (2.0, 5.0), (1.0, 1.0))[1])
    7.0
    """
    fun.jvps = RulesForEveryArg(
        lambda i: lambda g, ans, *args, **kwargs: jvpmaker((i,), (g,), ans, args, kwargs))


def def_linear(fun: Primitive) -> None:
    """Declare `fun` linear in each argument: its forward rule is itself. (Its reverse rule
    must still be given with defvjp.)

    Parameters
    ----------
    fun : Primitive
        Made with `primitive`; linear in each positional argument separately.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import deriv
    >>> from hodiff.extend import primitive, def_linear
    >>> triple = primitive(lambda x: 3.0 * x)
    >>> def_linear(triple)
    >>> float(deriv(triple)(5.0))
    3.0
    """
    fun.jvps = RulesForEveryArg(lambda i: _linear_jvp(fun, i))


def _stop(x: Any) -> Any:
    return x


stop_gradient = NondiffPrimitive(_stop, name="stop_gradient")
stop_gradient.__doc__ = """The value of `x` as a constant: no derivative flows through it.

    Parameters
    ----------
    x : array, scalar or traced value

    Returns
    -------
    object
        The plain value of `x`, never traced.

    Example
    -------
    >>> from hodiff import grad, stop_gradient
    >>> float(grad(lambda x: x * stop_gradient(x))(3.0))
    3.0
    """


class custom_jvp:
    """JAX-style: a function with a hand-written forward rule.

    Reverse mode follows by differentiating the forward rule in reverse (rules are traced).

    Parameters
    ----------
    fun : callable
        A function of positional arguments; its body is not traced.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import custom_jvp, deriv, grad
    >>> @custom_jvp
    ... def softplus(x):
    ...     return np.log1p(np.exp(x))
    >>> @softplus.defjvp
    ... def softplus_jvp(primals, tangents):
    ...     (x,), (t,) = primals, tangents
    ...     return softplus(x), t / (1 + np.exp(-x))
    >>> float(grad(softplus)(0.0)), float(deriv(softplus)(0.0))
    (0.5, 0.5)
    """

    def __init__(self, fun: Callable) -> None:
        self.fun = fun
        self.prim = Primitive(fun, register=False)
        wraps(fun)(self)

    def defjvp(self, jvp_fun: Callable) -> Callable:
        """Set the forward rule ``jvp_fun(primals, tangents) -> (out, tangent_out)``.

        Parameters
        ----------
        jvp_fun : callable
            Takes tuples of primals and tangents (one each per argument); must be linear in
            the tangents and written with hodiff's numpy.

        Returns
        -------
        callable
            `jvp_fun` itself, so this works as a decorator.
        """
        def rule(i: int) -> Callable:
            def jvp_i(t: Any, ans: Any, *args: Any) -> Any:
                tangents = tuple(t if j == i else _np.zeros_like(unbox(a))
                                 for j, a in enumerate(args))
                return jvp_fun(args, tangents)[1]
            return jvp_i

        # No reverse rule: the reverse interpreter derives it by transposing this one.
        self.prim.jvps = RulesForEveryArg(rule)
        return jvp_fun

    def __call__(self, *args: Any) -> Any:
        return self.prim(*args)


def _bwd_checked(cts: Any, args: tuple, name: str) -> Any:
    # A backward rule that returns the wrong structure would otherwise hand some argument
    # another one's cotangent, silently.
    if not isinstance(cts, (tuple, list)) or len(cts) != len(args):
        got = (f"a {type(cts).__name__} of length {len(cts)}"
               if isinstance(cts, (tuple, list)) else f"a {type(cts).__name__}")
        raise TypeError(
            f"the custom_vjp backward rule of {name} must return a tuple with one cotangent "
            f"per positional argument ({len(args)}), but returned {got}. Return (ct,) for a "
            f"one-argument function; use None for an argument with no derivative.")
    for c, a in zip(cts, args):
        if c is not None and _np.shape(unbox(c)) != _np.shape(unbox(a)):
            raise ValueError(
                f"the custom_vjp backward rule of {name} returned a cotangent of shape "
                f"{_np.shape(unbox(c))} for an argument of shape {_np.shape(unbox(a))}.")
    return cts


class custom_vjp:
    """JAX-style: a function with a hand-written reverse rule.

    ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, residuals)`` and
    ``bwd(residuals, ct) -> tuple of cotangents, one per argument``. Forward mode is derived
    from it by transposition (see hodiff.modes.reverse.jvp_from_vjp).

    Parameters
    ----------
    fun : callable
        A function of positional arguments; its body is not traced.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import custom_vjp, grad
    >>> @custom_vjp
    ... def clip_gradient(x):
    ...     return x
    >>> clip_gradient.defvjp(lambda x: (x, None), lambda res, ct: (np.clip(ct, -1.0, 1.0),))
    >>> grad(lambda x: np.sum(clip_gradient(5.0 * x)))(np.ones(2)).tolist()
    [5.0, 5.0]
    """

    def __init__(self, fun: Callable) -> None:
        self.fun = fun
        self.prim = Primitive(fun, register=False)
        wraps(fun)(self)

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        """Set the reverse rule from ``fwd(*args) -> (out, residuals)`` and
        ``bwd(residuals, ct) -> tuple of cotangents, one per argument``.

        Parameters
        ----------
        fwd : callable
            Computes the output and what the backward step needs.
        bwd : callable
            Maps the residuals and the output's cotangent to the arguments' cotangents.

        Returns
        -------
        None
        """
        name = getattr(self.fun, "__name__", "custom_vjp")

        def make(i: int) -> Callable:
            def maker(ans: Any, *args: Any) -> Callable:
                _, res = fwd(*args)
                return lambda ct: _bwd_checked(bwd(res, ct), args, name)[i]
            return maker
        self.prim.vjps = RulesForEveryArg(make)

    def __call__(self, *args: Any) -> Any:
        return self.prim(*args)


