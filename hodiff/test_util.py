"""Gradient checks against central finite differences, as hodiff's own tests use them.

`check_grads(f, modes=..., order=...)(*args)` compares forward-mode JVPs and reverse-mode VJPs
with finite differences along random directions, then recurses on the derivative itself, so
order 2 checks all four mode pairs. `check_adjoint` checks <u, J v> = <J^T u, v>.
Imports hodiff.core and hodiff.operators.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as _np

from hodiff.core import vspace
from hodiff.operators import jvp, vjp

__all__ = ["check_adjoint", "check_grads", "check_jvp", "check_vjp"]

EPS, RTOL, ATOL = 1e-6, 1e-5, 1e-6


def _unary(fun: Callable, args: tuple, kwargs: dict, argnum: int) -> tuple[Callable, Any]:
    def f(x: Any) -> Any:
        a = list(args)
        a[argnum] = x
        return fun(*a, **kwargs)
    return f, args[argnum]


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


def check_jvp(f: Callable, x: Any, rng: _np.random.Generator, eps: float = EPS,
              rtol: float = RTOL, atol: float = ATOL) -> None:
    """Forward mode against finite differences along a random direction.

    Parameters
    ----------
    f : callable
        A function of one argument `x` (any nesting of containers of arrays).
    x : array, scalar or container
        The point.
    rng : numpy.random.Generator
        Draws the direction.
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
    v = vspace.random_like(x, rng)
    _close(jvp(f, (x,), (v,))[1], _numeric_jvp(f, x, v, eps), rtol, atol, "forward-mode JVP")


def check_vjp(f: Callable, x: Any, rng: _np.random.Generator, eps: float = EPS,
              rtol: float = RTOL, atol: float = ATOL) -> None:
    """Reverse mode: <vjp(u), v> against <u, finite-difference J v>.

    Parameters
    ----------
    f : callable
        A function of one argument `x` (any nesting of containers of arrays).
    x : array, scalar or container
        The point.
    rng : numpy.random.Generator
        Draws the random cotangent `u` and direction `v`.
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


def check_grads(fun: Callable, argnum: int = 0, modes: Sequence[str] = ("fwd", "rev"),
                order: int = 2, eps: float = EPS, rtol: float = RTOL, atol: float = ATOL,
                seed: int = 0) -> Callable:
    """Check `fun`'s derivatives against central finite differences.

    Parameters
    ----------
    fun : callable
        The function whose derivatives are checked.
    argnum : int
        The argument to check.
    modes : sequence of {'fwd', 'rev'}
        The modes to check (and to recurse with).
    order : int
        1 checks first derivatives; 2 also checks every mode applied to every mode's
        derivative (forward-over-forward ... reverse-over-reverse); and so on.
    eps, rtol, atol : float
        Finite-difference step and tolerances.
    seed : int
        Seeds the random directions.

    Returns
    -------
    callable
        Call it with `fun`'s arguments; raises AssertionError on a mismatch.

    Raises
    ------
    ValueError
        If `modes` holds anything but 'fwd' and 'rev'.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.test_util import check_grads
    >>> check_grads(np.sin, modes=["fwd", "rev"], order=2)(0.3)
    """
    if any(m not in ("fwd", "rev") for m in modes):
        raise ValueError(f"modes must be drawn from 'fwd' and 'rev', got {modes!r}")
    tol = {"eps": eps, "rtol": rtol, "atol": atol}

    def checker(*args: Any, **kwargs: Any) -> None:
        f, x = _unary(fun, args, kwargs, argnum)
        _check(f, x, tuple(modes), order, _np.random.default_rng(seed), tol)

    return checker
