"""Complex derivatives beyond the convention: Wirtinger derivatives and the holomorphic check.

hodiff's `grad` of f(z) = u + i v is du/dx - i du/dy (seed 001's convention): f'(z) for
holomorphic f, and the conjugate of the steepest-ascent direction for real f. These helpers give
the full picture where the convention drops v: both Wirtinger derivatives, from two forward-mode
passes (tangents 1 and i).
Imports hodiff.operators.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

from hodiff.core import unbox
from hodiff.operators import _jvp_trace

__all__ = ["is_holomorphic_at", "wirtinger"]


def _partials(fun: Callable, args: tuple, kwargs: dict, argnum: int) -> tuple[Any, Any]:
    x = args[argnum]
    one = _np.ones_like(unbox(x), dtype=complex)
    dx = _jvp_trace(fun, args, kwargs, (argnum,), True, one, None, "wirtinger")[1]
    dy = _jvp_trace(fun, args, kwargs, (argnum,), True, 1j * one, None, "wirtinger")[1]
    return dx, dy


def wirtinger(fun: Callable, argnum: int = 0) -> Callable:
    """Elementwise Wirtinger derivatives ``(df/dz, df/dconj(z))`` of a function of complex input.

    df/dz = (df/dx - i df/dy) / 2 and df/dconj(z) = (df/dx + i df/dy) / 2. For holomorphic f the
    second is 0 and the first is f'(z); for real f, 2 * df/dconj(z) is the steepest-ascent
    direction (the conjugate of `grad`'s result).

    Parameters
    ----------
    fun : callable
        A function of complex input (elementwise for an array input).
    argnum : int
        Which positional argument to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(df/dz, df/dconj(z))``.

    Raises
    ------
    TypeError
        If the differentiated input is not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> d, dbar = wirtinger(lambda z: z * np.conj(z))(1.0 + 2.0j)
    >>> complex(d), complex(dbar)
    ((1-2j), (1+2j))
    """
    def derivatives(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        dx, dy = _partials(fun, args, kwargs, argnum)
        return 0.5 * (dx - 1j * dy), 0.5 * (dx + 1j * dy)
    return derivatives


def is_holomorphic_at(fun: Callable, *args: Any, argnum: int = 0, atol: float = 1e-10) -> bool:
    """Whether the Cauchy-Riemann equations hold for `fun` at `args` (df/dconj(z) == 0).

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
    >>> from hodiff.complex import is_holomorphic_at
    >>> is_holomorphic_at(np.exp, 1.0 + 2.0j), is_holomorphic_at(np.conj, 1.0 + 2.0j)
    (True, False)
    """
    return bool(_np.all(_np.abs(wirtinger(fun, argnum)(*args)[1]) <= atol))
