"""Complex derivatives beyond the convention: Wirtinger derivatives and the holomorphic check.

hodiff's `grad` of f(z) = u + i v is du/dx - i du/dy (seed 001's convention): f'(z) for
holomorphic f, and the conjugate of the steepest-ascent direction for real f. These helpers give
the full picture where the convention drops v: both Wirtinger derivatives, from two forward-mode
passes (tangents 1 and i) or from one backward pass of a real scalar function of many complex
parameters; and the Cauchy-Riemann predicate. docs/complex.md is the guide.
Imports hodiff.operators.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import unbox
from hodiff.operators import _jvp_trace, _vjp_trace
from hodiff.operators._trace import _ones_for_grad
from hodiff.operators.holomorphic import NotHolomorphicError  # noqa: F401  (re-export)

__all__ = ["is_holomorphic", "is_holomorphic_at", "wirtinger"]


def _forward_partials(fun: Callable, args: tuple, kwargs: dict, argnum: int) -> tuple[Any, Any]:
    """(df/dx, df/dy) elementwise: two forward passes, tangents 1 and i."""
    x = args[argnum]
    one = _np.ones_like(unbox(x), dtype=complex)
    dx = _jvp_trace(fun, args, kwargs, (argnum,), True, one, None, "wirtinger")[1]
    dy = _jvp_trace(fun, args, kwargs, (argnum,), True, 1j * one, None, "wirtinger")[1]
    return dx, dy


def _reverse_partials(fun: Callable, args: tuple, kwargs: dict,
                      argnums: tuple) -> tuple[list, list]:
    """(df/dx, df/dy) per argument of a scalar f from one tape: the backward pass with
    cotangent 1 gives du/dx - i du/dy; a complex f needs a second pass (cotangent -i) for v."""
    ans, pullback = _vjp_trace(fun, args, kwargs, argnums, False, "wirtinger")
    one = _ones_for_grad(ans, "wirtinger(mode='reverse')")
    g_u = pullback(one)
    g_v = pullback(-1j * one) if _np.result_type(unbox(ans)).kind == "c" else None
    dxs, dys = [], []
    for k in range(len(argnums)):
        u_x, u_y = hnp.real(g_u[k]), -hnp.imag(g_u[k])
        if g_v is None:
            dxs.append(u_x)
            dys.append(u_y)
        else:
            dxs.append(u_x + 1j * hnp.real(g_v[k]))
            dys.append(u_y - 1j * hnp.imag(g_v[k]))
    return dxs, dys


def wirtinger(fun: Callable, argnum: int | tuple = 0, mode: str = "forward") -> Callable:
    """Wirtinger derivatives ``(df/dz, df/dconj(z))`` of a function of complex input.

    df/dz = (df/dx - i df/dy) / 2 and df/dconj(z) = (df/dx + i df/dy) / 2. For holomorphic f the
    second is 0 and the first is f'(z); for real f, 2 * df/dconj(z) is the steepest-ascent
    direction (the conjugate of `grad`'s result), so a descent step is ``z -= lr * conj(g)``
    with g = `grad`'s result, or ``z -= 2 * lr * dbar``.

    Parameters
    ----------
    fun : callable
        mode "forward": a function of complex input, elementwise for an array input (two
        forward passes). mode "reverse": a function with a scalar output (real or complex) of
        any number of complex parameters (one backward pass for a real output, two for a
        complex one).
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.
    mode : {"forward", "reverse"}
        Forward gives the elementwise derivatives of an elementwise function; reverse gives
        the derivatives of a scalar function with respect to each parameter. They agree on
        ``sum(f(z))`` for elementwise f.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(df/dz, df/dconj(z))``, each a tuple with one entry
        per argument when `argnum` is a tuple.

    Raises
    ------
    TypeError
        If the differentiated input is not floating-point/complex, or in reverse mode `fun`
        returns a non-scalar.
    ValueError
        If `mode` is neither "forward" nor "reverse".

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import wirtinger
    >>> d, dbar = wirtinger(lambda z: z * np.conj(z))(1.0 + 2.0j)
    >>> complex(d), complex(dbar)
    ((1-2j), (1+2j))
    >>> d, dbar = wirtinger(lambda z: np.sum(np.abs(z) ** 2), mode="reverse")(np.array([1j, 2.0]))
    >>> dbar.tolist()
    [1j, (2+0j)]
    """
    if mode not in ("forward", "reverse"):
        raise ValueError(f"wirtinger: mode must be 'forward' or 'reverse', not {mode!r}")
    single = isinstance(argnum, int)
    argnums = (argnum,) if single else tuple(argnum)

    def derivatives(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        if mode == "reverse":
            dxs, dys = _reverse_partials(fun, args, kwargs, argnums)
        else:
            pairs = [_forward_partials(fun, args, kwargs, a) for a in argnums]
            dxs, dys = [p[0] for p in pairs], [p[1] for p in pairs]
        d = [0.5 * (dx - 1j * dy) for dx, dy in zip(dxs, dys)]
        dbar = [0.5 * (dx + 1j * dy) for dx, dy in zip(dxs, dys)]
        return (d[0], dbar[0]) if single else (tuple(d), tuple(dbar))
    return derivatives


def is_holomorphic(fun: Callable, *args: Any, argnum: int = 0, atol: float = 1e-10) -> bool:
    """Whether the Cauchy-Riemann equations hold for `fun` at `args` (df/dconj(z) == 0).

    The plain predicate; ``grad``/``jacfwd``/``jacrev`` with ``holomorphic=True,
    check_holomorphic=True`` raise ``NotHolomorphicError`` instead.

    Parameters
    ----------
    fun : callable
        A function of complex input (elementwise for an array input).
    *args
        The point.
    argnum : int
        Which positional argument to check.
    atol : float
        How close to 0 every element of df/dconj(z) must be.

    Returns
    -------
    bool

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.complex import is_holomorphic
    >>> is_holomorphic(np.exp, 1.0 + 2.0j), is_holomorphic(np.conj, 1.0 + 2.0j)
    (True, False)
    """
    return bool(_np.all(_np.abs(unbox(wirtinger(fun, argnum)(*args)[1])) <= atol))


is_holomorphic_at = is_holomorphic
