"""Fixed points with implicit derivatives (autograd.misc.fixed_points, in both modes).

For x* = F(a, x*) the derivative follows from the implicit function theorem,
dx*/da = (I - dF/dx)^-1 dF/da: forward mode iterates s <- dF/da t + dF/dx s, reverse mode
w <- g + (dF/dx)^T w and then pulls w back through dF/da (Christianson, "Reverse
accumulation and attractive fixed points", Optim. Methods Softw. 3, 1994). Both iterations are
themselves fixed points of the same primitive and the rules use hodiff's own operators, so
derivatives of any order work.
Imports hodiff.core, hodiff.numpy and hodiff.operators.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

from hodiff.core import Primitive, unbox
from hodiff.numpy.shorthand import RulesForEveryArg
from hodiff.operators import jvp, vjp
from hodiff.operators.extras import SharedPullback


def _iterate(*params: Any, f: Callable, x0: Any, distance: Callable, tol: float) -> Any:
    step = f(*params)
    x, x_prev = step(x0), x0
    while distance(x, x_prev) > tol:
        x, x_prev = step(x), x
    return x


_fixed_point = Primitive(_iterate, name="fixed_point", register=False)


def _zeros(x: Any) -> Any:
    return _np.zeros_like(unbox(x))


def _tangent_map(f: Callable) -> Callable:
    """(*params, x*, u) -> the map s -> u + dF/dx(x*) s."""
    def make(*params_x_u: Any) -> Callable:
        *params, x_star, u = params_x_u
        return lambda s: u + jvp(lambda x: f(*params)(x), (x_star,), (s,))[1]
    return make


def _adjoint_map(f: Callable) -> Callable:
    """(*params, x*, g) -> the map w -> g + (dF/dx(x*))^T w (its pullback recorded once)."""
    def make(*params_x_g: Any) -> Callable:
        *params, x_star, g = params_x_g
        _, pullback = vjp(lambda x: f(*params)(x), x_star)
        return lambda w: g + pullback(w)[0]
    return make


def _jvp_rule(i: int) -> Callable:
    def rule(t: Any, ans: Any, *params: Any, f: Callable, x0: Any, distance: Callable,
             tol: float) -> Any:
        def through_param(p: Any) -> Any:
            ps = list(params)
            ps[i] = p
            return f(*ps)(ans)
        u = jvp(through_param, (params[i],), (t,))[1]
        return _fixed_point(*params, ans, u, f=_tangent_map(f), x0=_zeros(ans),
                            distance=distance, tol=tol)
    return rule


def _vjp_rule(i: int) -> Callable:
    def make(ans: Any, *params: Any, f: Callable, x0: Any, distance: Callable,
             tol: float) -> Callable:
        def solve(ct: Any) -> Any:  # one adjoint solve for all parameters of this call
            w = _fixed_point(*params, ans, ct, f=_adjoint_map(f), x0=_zeros(ans),
                             distance=distance, tol=tol)
            return vjp(lambda *ps: f(*ps)(ans), *params)[1](w)
        shared = SharedPullback.for_call(ans, params, solve)
        return lambda ct: shared.get(ct, i)
    return make


_fixed_point.jvps = RulesForEveryArg(_jvp_rule)
_fixed_point.vjps = RulesForEveryArg(_vjp_rule)


def fixed_point(f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Any:
    """The fixed point x* = f(a)(x*) reached by iterating from x0, differentiable in `a`.

    Parameters
    ----------
    f : callable
        ``f(a)`` returns the map to iterate, ``x -> F(a, x)``; it should be a contraction
        near the fixed point (the derivatives are found by iterating its linearization).
    a : array or scalar
        The parameter; derivatives with respect to it come from the implicit function theorem
        (the iterations are not differentiated), in forward and reverse mode, to any order.
    x0 : array or scalar
        The starting point (the fixed point does not depend on it).
    distance : callable
        ``distance(x, x_prev)``: iteration stops when it is at most `tol`.
    tol : float
        The stopping tolerance (the derivatives are iterated to the same tolerance).

    Returns
    -------
    array or scalar
        The fixed point.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.misc import fixed_point
    >>> def newton_sqrt(a):  # x -> (x + a / x) / 2 converges to sqrt(a)
    ...     return lambda x: 0.5 * (x + a / x)
    >>> dist = lambda x, y: np.abs(x - y)
    >>> round(float(fixed_point(newton_sqrt, 2.0, 1.0, dist, 1e-12)), 10)
    1.4142135624
    >>> round(float(grad(lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-12))(2.0)), 10)
    0.3535533906
    """
    return _fixed_point(a, f=f, x0=x0, distance=distance, tol=tol)
