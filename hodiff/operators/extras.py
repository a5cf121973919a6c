"""autograd's older multi-argument forms (grad_named, multigrad, multigrad_dict) and
checkpointing.
Imports hodiff.core, hodiff.numpy and the other operator modules.
"""
from __future__ import annotations

import contextvars
import inspect
from functools import wraps
from typing import Any, Callable, Sequence

from hodiff.core import Box, Primitive
from hodiff.core.tracing import _live
from hodiff.modes.forward import ForwardTag
from hodiff.numpy.shorthand import RulesForEveryArg
from hodiff.operators._trace import _zeros_like
from hodiff.operators.forward import jvp
from hodiff.operators.reverse import grad, vjp


def _argnum_of(fun: Callable, name: str) -> int:
    params = list(inspect.signature(fun).parameters)
    if name not in params:
        raise ValueError(f"{getattr(fun, '__name__', fun)} has no argument named {name!r}")
    return params.index(name)


def grad_named(fun: Callable, argname: str) -> Callable:
    """The gradient with respect to the argument called `argname`.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argname : str
        The name of the parameter to differentiate; it may be passed by position or keyword.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the gradient for `argname`.

    Raises
    ------
    ValueError
        If `fun` has no parameter called `argname`.
    TypeError
        If `fun` returns a non-scalar, or that argument is not floating-point/complex.

    Example
    -------
    >>> from hodiff import grad_named
    >>> def f(x, scale):
    ...     return scale * x ** 2
    >>> float(grad_named(f, "scale")(3.0, 2.0))
    9.0
    """
    argnum = _argnum_of(fun, argname)

    def gradfun(*args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(fun).bind(*args, **kwargs)
        bound.apply_defaults()
        return grad(fun, argnum)(*bound.args, **bound.kwargs)

    return gradfun


def multigrad(fun: Callable, argnums: Sequence[int] = (0,)) -> Callable:
    """Gradients with respect to several arguments at once, as a tuple.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnums : sequence of int
        The positional arguments to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns a tuple of gradients, one per entry of `argnums`.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or those arguments are not floating-point/complex.

    Example
    -------
    >>> from hodiff import multigrad
    >>> [float(g) for g in multigrad(lambda x, y: x * y ** 2, [0, 1])(3.0, 2.0)]
    [4.0, 12.0]
    """
    return grad(fun, tuple(argnums))


def multigrad_dict(fun: Callable) -> Callable:
    """Gradients with respect to every argument, as a dict keyed by argument name.

    Parameters
    ----------
    fun : callable
        Returns a scalar; every parameter (defaults included) is differentiated.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``{name: gradient}``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or an argument is not floating-point/complex.

    Example
    -------
    >>> from hodiff import multigrad_dict
    >>> def f(x, scale=2.0):
    ...     return scale * x ** 2
    >>> {k: float(v) for k, v in multigrad_dict(f)(3.0).items()}
    {'x': 12.0, 'scale': 9.0}
    """
    sig = inspect.signature(fun)

    def gradfun(*args: Any, **kwargs: Any) -> dict:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        names = list(bound.arguments)

        def positional(*values: Any) -> Any:
            return fun(**dict(zip(names, values)))

        grads = grad(positional, tuple(range(len(names))))(*bound.arguments.values())
        return dict(zip(names, grads))

    return gradfun


class SharedPullback:
    """One backward computation shared by the reverse rules of all arguments of one call.

    The tape calls those rules back to back with the same cotangent object; the first computes
    every argument's cotangent with `compute(ct)` and the others read theirs. The recorded call
    is recognized by its output and arguments (the tape records them together), the cotangent
    by identity within the same live derivative calls.
    """

    # (ans, args, shared) of the call recorded last in this thread
    _last: contextvars.ContextVar = contextvars.ContextVar("hodiff_shared_pullback",
                                                          default=(None, (), None))

    @classmethod
    def for_call(cls, ans: Any, args: tuple, compute: Callable) -> "SharedPullback":
        last_ans, last_args, last = cls._last.get()
        if last_ans is ans and len(last_args) == len(args) and all(
                a is b for a, b in zip(last_args, args)):
            return last
        shared = cls(compute)
        cls._last.set((ans, args, shared))
        return shared

    def __init__(self, compute: Callable) -> None:
        self.compute = compute
        self.key: tuple = (None, None)
        self.cts: Any = None

    def get(self, ct: Any, i: int) -> Any:
        live = _live.get()
        if self.key[0] is not ct or self.key[1] is not live:
            self.cts = self.compute(ct)
            self.key = (ct, live)
        return self.cts[i]


def checkpoint(fun: Callable) -> Callable:
    """Trade compute for memory: reverse mode keeps only `fun`'s inputs and reruns it once on
    each backward pass (whatever the number of differentiable arguments). Forward mode keeps
    no tape, so there `fun` simply runs. Positional array arguments are differentiable.

    Parameters
    ----------
    fun : callable
        A function of positional arguments only.

    Returns
    -------
    callable
        The same function as a primitive: same values, same derivatives in both modes.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import checkpoint, grad
    >>> block = checkpoint(lambda x: np.tanh(np.tanh(x)))
    >>> np.round(grad(lambda x: np.sum(block(x)))(np.array([0.0, 1.0])), 4).tolist()
    [1.0, 0.2469]
    """
    def run(*args: Any) -> Any:
        return fun(*args)

    prim = Primitive(run, name=f"checkpoint({getattr(fun, '__name__', 'fun')})",
                     register=False)

    def jvp_rule(i: int) -> Callable:
        def rule(t: Any, ans: Any, *args: Any) -> Any:
            tangents = tuple(t if j == i else _zeros_like(a) for j, a in enumerate(args))
            return jvp(fun, args, tangents)[1]
        return rule

    def vjp_rule(i: int) -> Callable:
        def make(ans: Any, *args: Any) -> Callable:
            shared = SharedPullback.for_call(ans, args, lambda ct: vjp(fun, *args)[1](ct))
            return lambda ct: shared.get(ct, i)
        return make

    prim.jvps = RulesForEveryArg(jvp_rule)
    prim.vjps = RulesForEveryArg(vjp_rule)

    @wraps(fun)
    def checkpointed(*args: Any) -> Any:
        top = None
        for a in args:
            if isinstance(a, Box) and (top is None or a._tag.level > top.level):
                top = a._tag
        if isinstance(top, ForwardTag):
            return fun(*args)  # forward mode records nothing: nothing to save
        return prim(*args)

    return checkpointed
