"""Gradient checks against central finite differences, as hodiff's own tests use them.

`check_grads(f, modes=..., order=...)(*args)` compares forward-mode JVPs and reverse-mode VJPs
with finite differences along random directions, then recurses on the derivative itself, so
order 2 checks all four mode pairs. `check_adjoint` checks <u, J v> = <J^T u, v>.
autograd's names are here too: `combo_check`, `check_equivalent`, `scalar_close`,
`make_numerical_jvp`, `EPS`, `RTOL`, `TOL`.
Imports hodiff.core, hodiff.operators and hodiff.spaces.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Sequence

import numpy as _np

from hodiff.core import vspace
from hodiff.operators import jvp, vjp
from hodiff.spaces import vspace as vspace_of

__all__ = ["check_adjoint", "check_equivalent", "check_grads",
           "check_jvp", "check_vjp", "combo_check", "make_numerical_jvp", "scalar_close"]

EPS, RTOL, ATOL = 1e-6, 1e-5, 1e-6
TOL = ATOL  # autograd's name for the absolute tolerance


def _unary(fun: Callable, args: tuple, kwargs: dict, argnum: Any) -> tuple[Callable, Any]:
    if isinstance(argnum, int):
        def f(x: Any) -> Any:
            a = list(args)
            a[argnum] = x
            return fun(*a, **kwargs)
        return f, args[argnum]

    def f_many(xs: Any) -> Any:
        a = list(args)
        for i, x in zip(argnum, xs):
            a[i] = x
        return fun(*a, **kwargs)
    return f_many, tuple(args[i] for i in argnum)


def _is_argnum(a: Any) -> bool:
    if isinstance(a, bool):
        return False
    if isinstance(a, int):
        return True
    return isinstance(a, (tuple, list)) and len(a) > 0 and all(
        isinstance(i, int) and not isinstance(i, bool) for i in a)


def _numeric_jvp(f: Callable, x: Any, v: Any, eps: float) -> Any:
    hi = f(vspace.add(x, vspace.scale(v, eps)))
    lo = f(vspace.add(x, vspace.scale(v, -eps)))
    return vspace.scale(vspace.add(hi, vspace.scale(lo, -1.0)), 1 / (2 * eps))


def _close(a: Any, b: Any, rtol: float, atol: float, what: str) -> None:
    from hodiff.core.tree import flatten

    for x, y in zip(flatten(a)[0], flatten(b)[0]):
        x, y = _np.asarray(x), _np.asarray(y)
        if x.shape != y.shape:
            raise AssertionError(f"{what}: shape {x.shape} where {y.shape} was expected")
        if not _np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=False):
            raise AssertionError(
                f"{what} differs from central finite differences:\n"
                f"  derivative: {x}\n  numerical:  {y}\n  max abs error: "
                f"{_np.max(_np.abs(x - y))}")


def check_jvp(f: Callable, x: Any, rng: _np.random.Generator | None = None, eps: float = EPS,
              rtol: float = RTOL, atol: float = ATOL) -> None:
    """Forward mode against finite differences along a random direction.

    Parameters
    ----------
    f : callable
        A function of one argument `x` (any nesting of containers of arrays).
    x : array, scalar or container
        The point.
    rng : numpy.random.Generator, optional
        Draws the direction (seeded with 0 by default).
    eps, rtol, atol : float
        Finite-difference step and tolerances.

    Returns
    -------
    None

    Raises
    ------
    AssertionError
        If the JVP differs from the finite difference.

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_jvp
    >>> check_jvp(np.tanh, np.array([0.3, -1.2]), onp.random.default_rng(0))
    """
    rng = _np.random.default_rng(0) if rng is None else rng
    v = vspace.random_like(x, rng)
    _close(jvp(f, (x,), (v,))[1], _numeric_jvp(f, x, v, eps), rtol, atol, "forward-mode JVP")


def check_vjp(f: Callable, x: Any, rng: _np.random.Generator | None = None, eps: float = EPS,
              rtol: float = RTOL, atol: float = ATOL) -> None:
    """Reverse mode: <vjp(u), v> against <u, finite-difference J v>.

    Parameters
    ----------
    f : callable
        A function of one argument `x` (any nesting of containers of arrays).
    x : array, scalar or container
        The point.
    rng : numpy.random.Generator, optional
        Draws the random cotangent `u` and direction `v` (seeded with 0 by default).
    eps, rtol, atol : float
        Finite-difference step and tolerances.

    Returns
    -------
    None

    Raises
    ------
    AssertionError
        If the two inner products differ.

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_vjp
    >>> check_vjp(np.tanh, np.array([0.3, -1.2]), onp.random.default_rng(0))
    """
    rng = _np.random.default_rng(0) if rng is None else rng
    y, pullback = vjp(f, x)
    u = vspace.random_like(y, rng)
    v = vspace.random_like(x, rng)
    lhs = vspace.inner(pullback(u)[0], v)
    rhs = vspace.inner(u, _numeric_jvp(f, x, v, eps))
    _close(lhs, rhs, rtol, atol, "reverse-mode VJP (paired with a random direction)")


def check_adjoint(f: Callable, x: Any, rng: _np.random.Generator, rtol: float = 1e-8,
                  atol: float = 1e-10) -> None:
    """The forward and reverse rules are transposes: <u, J v> = <J^T u, v>.

    Exact up to rounding (no finite differences), hence the tight default tolerances.

    Parameters
    ----------
    f : callable
        A function of one argument `x`.
    x : array, scalar or container
        The point.
    rng : numpy.random.Generator
        Draws `u` and `v`.
    rtol, atol : float
        Tolerances.

    Returns
    -------
    None

    Raises
    ------
    AssertionError
        If the two inner products differ.

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_adjoint
    >>> check_adjoint(np.cumsum, np.array([1.0, 2.0, 3.0]), onp.random.default_rng(0))
    """
    v = vspace.random_like(x, rng)
    y, jv = jvp(f, (x,), (v,))
    u = vspace.random_like(y, rng)
    lhs = vspace.inner(u, jv)
    rhs = vspace.inner(vjp(f, x)[1](u)[0], v)
    _close(lhs, rhs, rtol, atol, "<u, J v> against <J^T u, v>")


def _check(f: Callable, x: Any, modes: Sequence[str], order: int, rng: _np.random.Generator,
           tol: dict) -> None:
    if "fwd" in modes:
        check_jvp(f, x, rng, **tol)
        if order > 1:
            v = vspace.random_like(x, rng)
            _check(lambda x: jvp(f, (x,), (v,))[1], x, modes, order - 1, rng, tol)
    if "rev" in modes:
        check_vjp(f, x, rng, **tol)
        if order > 1:
            u = vspace.random_like(f(x), rng)
            _check(lambda x: vjp(f, x)[1](u)[0], x, modes, order - 1, rng, tol)


def check_grads(fun: Callable, argnum: Any = 0, *op_args: Any,
                modes: Sequence[str] | None = None, order: int | None = None,
                eps: float = EPS, rtol: float = RTOL, atol: float = ATOL,
                seed: int = 0) -> Callable | None:
    """Check `fun`'s derivatives against central finite differences.

    Two call styles, as in autograd: ``check_grads(fun, argnum, modes=..., order=...)(*args)``
    returns a checker to call with `fun`'s arguments; ``check_grads(fun, x, ...)`` (a point
    rather than an argnum in second place) checks at once, with respect to every positional
    argument given.

    Parameters
    ----------
    fun : callable
        The function whose derivatives are checked.
    argnum : int or tuple of int, or the point
        The argument(s) to check (a tuple checks them jointly). Anything else is taken as the
        first argument of `fun`, and the check runs at once.
    *op_args
        In the curried style, `modes` and `order` may come positionally, as in autograd. In
        the direct style, `fun`'s further arguments.
    modes : sequence of {'fwd', 'rev'}
        The modes to check (and to recurse with); both by default.
    order : int
        1 checks first derivatives; 2 (the default) also checks every mode applied to every
        mode's derivative (forward-over-forward ... reverse-over-reverse); and so on.
    eps, rtol, atol : float
        Finite-difference step and tolerances.
    seed : int
        Seeds the random directions.

    Returns
    -------
    callable or None
        The checker (curried style): call it with `fun`'s arguments; raises AssertionError on
        a mismatch. None in the direct style, which has checked already.

    Raises
    ------
    ValueError
        If `modes` holds anything but 'fwd' and 'rev'.
    AssertionError
        In the direct style, on a mismatch.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_grads
    >>> check_grads(np.sin, modes=["fwd", "rev"], order=2)(0.3)
    >>> check_grads(lambda x, y: x * np.exp(y), (0, 1), ["rev"], 1)(0.3, 0.2)
    >>> check_grads(np.tanh, np.array([0.1, 0.5]))
    """
    direct = not _is_argnum(argnum)
    if not direct and op_args:
        if len(op_args) > 2 or (modes is not None) or (order is not None and len(op_args) > 1):
            raise TypeError("check_grads takes at most modes and order after argnum")
        modes = op_args[0]
        if len(op_args) > 1:
            order = op_args[1]
    modes = ("fwd", "rev") if modes is None else tuple(modes)
    order = 2 if order is None else order
    if any(m not in ("fwd", "rev") for m in modes):
        raise ValueError(f"modes must be drawn from 'fwd' and 'rev', got {modes!r}")
    tol = {"eps": eps, "rtol": rtol, "atol": atol}

    def checker(*args: Any, **kwargs: Any) -> None:
        f, x = _unary(fun, args, kwargs, argnum)
        _check(f, x, modes, order, _np.random.default_rng(seed), tol)

    if direct:
        args = (argnum,) + op_args
        argnum = 0 if len(args) == 1 else tuple(range(len(args)))
        checker(*args)
        return None
    return checker


def combo_check(fun: Callable, *check_args: Any, **check_kwargs: Any) -> Callable:
    """`check_grads` over every combination of arguments and keyword values.

    Parameters
    ----------
    fun : callable
        The function to check.
    *check_args, **check_kwargs
        Passed to `check_grads` (argnum, modes, order, ...).

    Returns
    -------
    callable
        ``run(*arg_choices, **kwarg_choices)``: each positional argument and each keyword
        is a list of values to try; every combination is checked.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import combo_check
    >>> combo_check(np.sum, [0], order=1)([np.ones((2, 3))], axis=[None, 0, 1],
    ...                                   keepdims=[False, True])
    """
    def run(*arg_choices: Any, **kwarg_choices: Any) -> None:
        keyword_choices = [[(k, v) for v in vs] for k, vs in kwarg_choices.items()]
        for args in itertools.product(*arg_choices):
            for kwargs in itertools.product(*keyword_choices):
                check_grads(fun, *check_args, **check_kwargs)(*args, **dict(kwargs))
    return run


def make_numerical_jvp(f: Callable, x: Any) -> Callable:
    """A finite-difference JVP of `f` at `x` (central differences, step `EPS`).

    Parameters
    ----------
    f : callable
        A function of one argument.
    x : array, scalar or container
        The point.

    Returns
    -------
    callable
        ``v -> (f(x + EPS/2 v) - f(x - EPS/2 v)) / EPS``.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import make_numerical_jvp
    >>> round(float(make_numerical_jvp(np.sin, 0.0)(1.0)), 6)
    1.0
    """
    return lambda v: _numeric_jvp(f, x, v, EPS / 2)


def scalar_close(a: Any, b: Any) -> bool:
    """Whether two scalars agree to `TOL` absolutely or `RTOL` relatively.

    Parameters
    ----------
    a, b : scalar

    Returns
    -------
    bool

    Example
    -------
    >>> from hodiff.test_util import scalar_close
    >>> scalar_close(1.0, 1.0 + 1e-9), scalar_close(1.0, 1.1)
    (True, False)
    """
    diff = abs(a - b)
    return bool(diff < TOL or diff / abs(a + b) < RTOL)


def check_equivalent(x: Any, y: Any) -> None:
    """Assert that `x` and `y` have the same structure, shapes and dtypes and close values.

    Parameters
    ----------
    x, y : array, scalar or container

    Returns
    -------
    None

    Raises
    ------
    AssertionError
        On any difference.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_equivalent
    >>> check_equivalent({"a": np.ones(2)}, {"a": np.ones(2) + 1e-9})
    """
    x_vs, y_vs = vspace_of(x), vspace_of(y)
    assert x_vs == y_vs, f"VSpace mismatch:\nx: {x_vs}\ny: {y_vs}"
    _close(x, y, RTOL, TOL, "value")
