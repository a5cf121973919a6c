"""Primitives and the one registry of their rules.

A `Primitive` wraps a raw function. For each differentiable positional argument it holds a
forward rule (JVP) and a reverse rule (VJP maker), side by side:

    jvp(t, ans, *args, **kwargs) -> tangent of ans given tangent t of that argument
    vjp(ans, *args, **kwargs) -> (ct -> cotangent of that argument), built when the call is
        recorded, so it keeps only what the backward step needs.

Rules are written with hodiff's own primitives, so they can be differentiated in turn. Calling
a primitive dispatches on the newest live tag among its positional arguments.
Imports only hodiff.core.tracing.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

from hodiff.core.tracing import Box, _live, escaped_error, is_live, open_constant, unbox

_PRIMITIVES: dict[str, "Primitive"] = {}

# Functions the interpreters need from the numpy layer (e.g. "stack" for vector mode), filled in
# when hodiff.numpy is imported; keeps the import graph flowing one way.
SUPPORT: dict[str, Callable] = {}


class MissingRuleError(TypeError, NotImplementedError):
    """A primitive has no derivative rule for the argument and mode asked (autograd raises
    NotImplementedError there; earlier hodiff raised TypeError, so it is both)."""


class Primitive:
    """A function hodiff treats as a black box whose derivative rules it is told.

    Parameters
    ----------
    fun : callable
        The raw function, called on plain values.
    name : str, optional
        The registry name (defaults to ``fun.__name__``); must be unique.
    batch_jvp : bool
        True when the forward rules accept a tangent with an extra leading batch axis
        (vector mode). Otherwise the forward interpreter maps the rule over that axis.

    Example
    -------
    >>> import numpy
    >>> from hodiff import grad, deriv
    >>> cube = Primitive(lambda x: x ** 3, name="cube_example", register=False)
    >>> _ = cube.defrules(0, jvp=lambda t, ans, x: 3 * x ** 2 * t,
    ...                  vjp=lambda ans, x: lambda ct: 3 * x ** 2 * ct)
    >>> float(grad(cube)(2.0)), float(deriv(cube)(2.0))
    (12.0, 12.0)
    """

    def __init__(self, fun: Callable, name: str | None = None, batch_jvp: bool = False,
                 register: bool = True) -> None:
        self.fun = fun
        self.__name__ = name or getattr(fun, "__name__", "primitive")
        self.__qualname__ = self.__name__
        self.__doc__ = getattr(fun, "__doc__", None)
        self.__wrapped__ = fun
        self.jvps: dict[int, Callable] = {}
        self.vjps: dict[int, Callable] = {}
        self.batch_jvp = batch_jvp
        # Why a rule exists for one mode only; listed by the test suite.
        self.one_mode_reason: str | None = None
        # Taylor mode (hodiff.modes.taylor): taylor(order, ans, args, series, kwargs) -> the
        # output's Taylor coefficients 1..order; None where the primitive has none.
        self.taylor: Callable | None = None
        if register:
            if self.__name__ in _PRIMITIVES:
                raise ValueError(f"a primitive named {self.__name__!r} is already registered")
            _PRIMITIVES[self.__name__] = self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        top = None
        for a in args:
            if isinstance(a, Box):
                tag = a._tag
                if top is None or tag.level > top.level:
                    top, top_box = tag, a
        if top is None:
            return self.fun(*args, **kwargs)
        # Only the newest tag is checked here; older ones are checked when their level runs.
        stack = _live.get()
        if top.level >= len(stack) or stack[top.level] is not top:
            if top.is_constant(top_box):
                # An array made by a constructor that was never assigned a traced value: it
                # is plain data, wherever it is used.
                return self(*[open_constant(a) for a in args], **kwargs)
            raise escaped_error(top_box)
        return top.process(self, args, kwargs)

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        # Bind like a function when a primitive is used as a method of a user's class.
        return self if obj is None else partial(self, obj)

    def __repr__(self) -> str:
        return f"<hodiff primitive {self.__name__}>"

    def defrules(self, argnum: int, jvp: Callable | None, vjp: Callable | None) -> "Primitive":
        """Declare both rules for argument `argnum` at once (either may be None: one mode only)."""
        if jvp is not None:
            self.jvps[argnum] = jvp
        if vjp is not None:
            self.vjps[argnum] = vjp
        return self

    def missing_rule(self, argnum: int, mode: str) -> MissingRuleError:
        return MissingRuleError(
            f"hodiff has no derivative rule for argument {argnum} of {self.__name__} (asked in "
            f"{mode} mode; it has forward rules for arguments {sorted(self.jvps)} and reverse "
            f"rules for {sorted(self.vjps)}). Differentiate with respect to another argument, "
            f"or give it a rule with hodiff.extend.defvjp or hodiff.extend.defjvp (either one "
            f"is enough: the other mode is derived from it)."
        )


class NondiffPrimitive(Primitive):
    """A function whose outputs carry no derivative (comparisons, floor, argmax, shapes).

    Its arguments are unboxed all the way down and the result is never traced.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for a in args:
            if isinstance(a, Box):
                for b in args:
                    if isinstance(b, Box) and not _all_live(b):
                        raise escaped_error(b)
                return self.fun(*[unbox(x) for x in args], **kwargs)
        return self.fun(*args, **kwargs)


def _all_live(x: Any) -> bool:
    while isinstance(x, Box):
        if not is_live(x._tag) and not x._tag.is_constant(x):
            return False
        x = x._primal
    return True


def lookup(name: str) -> Primitive:
    """The registered primitive called `name`."""
    return _PRIMITIVES[name]


def all_primitives() -> dict[str, Primitive]:
    """Every registered primitive by name (a copy)."""
    return dict(_PRIMITIVES)
