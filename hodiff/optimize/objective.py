"""The derivatives scipy.optimize asks for, from one hodiff function of nested parameters.

An `Objective` flattens the parameters once, gives value and gradient from one reverse pass,
and Hessian-vector products that reuse one linearization of the gradient for every vector
asked at the same point (scipy's inner CG loops ask many at one point).
Imports hodiff.operators, hodiff.misc and hodiff.numpy.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

from hodiff.misc.flatten import flatten
from hodiff.operators import hessian, jacfwd, jacrev, make_hvp, value_and_grad


class Objective:
    """A scalar function of nested parameters, seen by scipy as a function of one vector.

    Parameters
    ----------
    fun : callable
        ``fun(params, *args)`` returning a scalar; `params` is structured like `x0`.
    x0 : array or nested tuple/list/dict of arrays
        The starting point; fixes the structure and shapes.
    args : tuple
        Extra arguments passed through to `fun`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.optimize import Objective
    >>> obj = Objective(lambda p: np.sum(p["w"] ** 2), {"w": np.array([1.0, 2.0])})
    >>> value, g = obj.value_and_grad(obj.x0)
    >>> float(value), g.tolist(), obj.hessp(obj.x0, np.array([1.0, 0.0])).tolist()
    (5.0, [2.0, 4.0], [2.0, 0.0])
    """

    def __init__(self, fun: Callable, x0: Any, args: tuple = ()) -> None:
        flat, self.unflatten = flatten(x0)
        self.x0 = _np.asarray(flat, dtype=float)
        self.args = tuple(args)
        self.fun = fun
        self._vg = value_and_grad(self.flat)
        self._hvp_at: tuple[Any, Callable] | None = None
        self.counts = {"value_and_grad": 0, "hessp_points": 0, "hessp": 0, "hess": 0}

    def flat(self, v: Any) -> Any:
        """`fun` as a function of the flat vector."""
        return self.fun(self.unflatten(v), *self.args)

    def value_and_grad(self, v: Any) -> tuple[float, Any]:
        """``(f(v), grad f(v))`` from one pass (scipy's ``jac=True`` form)."""
        self.counts["value_and_grad"] += 1
        value, g = self._vg(_np.asarray(v, dtype=float))
        return float(value), _np.asarray(g, dtype=float)

    def hessp(self, v: Any, p: Any) -> Any:
        """H(v) @ p; products at the point of the previous call reuse its linearization."""
        v = _np.asarray(v, dtype=float)
        self.counts["hessp"] += 1
        if self._hvp_at is None or not _np.array_equal(self._hvp_at[0], v):
            self.counts["hessp_points"] += 1
            self._hvp_at = (v.copy(), make_hvp(self.flat)(v)[0])
        return _np.asarray(self._hvp_at[1](_np.asarray(p, dtype=float)), dtype=float)

    def hess(self, v: Any) -> Any:
        """The dense Hessian (forward-over-reverse)."""
        self.counts["hess"] += 1
        return _np.asarray(hessian(self.flat)(_np.asarray(v, dtype=float)), dtype=float)


def jacobian_by_shape(fun: Callable, mode: str = "auto") -> Callable:
    """The Jacobian of a vector function of a vector, by forward mode when it has at least as
    many outputs as inputs (one pass), by reverse mode otherwise.

    Parameters
    ----------
    fun : callable
        ``fun(v, *args)`` returning a vector (or any array: it is read raveled).
    mode : {"auto", "fwd", "rev"}
        "fwd" or "rev" force one mode.

    Returns
    -------
    callable
        ``jac(v, *args)``: the Jacobian as a 2-D float array (scipy's layout).

    Raises
    ------
    ValueError
        For an unknown `mode`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.optimize import jacobian_by_shape
    >>> jacobian_by_shape(lambda v: np.array([v[0] * v[1], v[1]]))(np.array([2.0, 3.0])).tolist()
    [[3.0, 2.0], [0.0, 1.0]]
    """
    if mode not in ("auto", "fwd", "rev"):
        raise ValueError(f"jac mode must be 'auto', 'fwd' or 'rev', got {mode!r}")
    fwd, rev = jacfwd(fun), jacrev(fun)

    def jac(v: Any, *args: Any) -> Any:
        v = _np.asarray(v, dtype=float)
        if mode == "fwd":
            use = fwd
        elif mode == "rev":
            use = rev
        else:
            out_size = _np.size(fun(v, *args))
            use = fwd if out_size >= v.size else rev
        return _np.atleast_2d(_np.asarray(use(v, *args), dtype=float))
    return jac
