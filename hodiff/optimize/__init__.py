"""scipy.optimize with derivatives from hodiff: minimize, least_squares, root.

Parameters may be any nested tuple/list/dict of arrays; they are flattened on the way in and
restored on the way out (``result.x`` has `x0`'s structure; ``result.x_flat`` is the vector).
Each method gets exactly the derivatives it uses: value and gradient from one reverse pass,
Hessian-vector products forward-over-reverse (reusing one linearization per point), dense
Hessians for the methods that need them, constraint Jacobians.
scipy.optimize is imported when first called.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import numpy as _np

from hodiff.misc.flatten import flatten
from hodiff.optimize.objective import Objective, jacobian_by_shape

__all__ = ["Objective", "jacobian_by_shape", "least_squares", "minimize", "root"]

# Which derivatives each scipy method uses (lower-case names).
_USES_GRAD = {"cg", "bfgs", "newton-cg", "l-bfgs-b", "tnc", "slsqp", "dogleg", "trust-ncg",
              "trust-krylov", "trust-exact", "trust-constr"}
_USES_HESSP = {"newton-cg", "trust-ncg", "trust-krylov", "trust-constr"}
_USES_HESS = {"dogleg", "trust-exact"}


class _Progress:
    """A one-line progress display on stderr, redrawn each iteration."""

    def __init__(self, objective: Objective, stream: Any = None) -> None:
        self.objective, self.stream, self.iteration = objective, stream or sys.stderr, 0

    def __call__(self, x: Any) -> None:
        self.iteration += 1
        value, g = self.objective.value_and_grad(x)
        bar = "#" * min(30, self.iteration // 2 + 1)
        self.stream.write(f"\r[{bar:<30}] iter {self.iteration:5d}  f = {value:.6g}  "
                          f"|grad| = {_np.linalg.norm(g):.3g}")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _constraint_with_jac(con: Any, unflatten: Callable, args: tuple) -> Any:
    """A scipy constraint dict on the flat vector, with its Jacobian from hodiff."""
    if not isinstance(con, dict):
        return con  # e.g. scipy's NonlinearConstraint / LinearConstraint: passed as given
    con = dict(con)
    cfun, cargs = con["fun"], tuple(con.get("args", ()))
    con.pop("args", None)

    def flat_con(v: Any, *extra: Any) -> Any:
        return cfun(unflatten(v), *cargs)

    con["fun"] = lambda v: _np.asarray(flat_con(_np.asarray(v, dtype=float)), dtype=float)
    if "jac" not in con:
        con["jac"] = jacobian_by_shape(flat_con)
    return con


def minimize(fun: Callable, x0: Any, args: tuple = (), method: str | None = None,
             constraints: Any = (), callback: Callable | None = None, progress: bool = False,
             **kwargs: Any) -> Any:
    """scipy.optimize.minimize with the gradient, Hessian products or Hessian from hodiff.

    Parameters
    ----------
    fun : callable
        ``fun(params, *args)`` returning a scalar, written with hodiff.numpy.
    x0 : array or nested tuple/list/dict of arrays
        The starting point.
    args : tuple
        Extra arguments for `fun` (and for constraint functions without their own ``args``).
    method : str, optional
        Any of scipy's methods; "BFGS" when omitted (as scipy for unconstrained problems).
        Methods that use it get ``jac`` (value and gradient from one pass); Newton-CG,
        trust-ncg, trust-krylov and trust-constr get ``hessp``; trust-exact and dogleg
        ``hess``. Pass ``jac``, ``hess`` or ``hessp`` yourself to override.
    constraints : dict or sequence of dicts, or scipy constraint objects
        Dicts ``{"type": "eq"|"ineq", "fun": c}`` with ``c(params)`` get their Jacobian
        from hodiff (forward or reverse mode by shape) unless they give ``"jac"``.
    callback : callable, optional
        Called after each iteration with the current parameters, in `x0`'s structure.
    progress : bool
        Show a progress line (iteration, value, gradient norm) on stderr.
    **kwargs
        Passed to scipy.optimize.minimize (bounds on the flat vector, tol, options, ...).

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result with ``x`` in `x0`'s structure, ``x_flat`` the vector, and ``jac`` the
        final gradient (flat) when the method reports one.

    Raises
    ------
    TypeError
        If `fun` does not return a scalar.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> res = minimize(lambda p: np.sum((p["a"] - 1.0) ** 2) + p["b"] ** 2,
    ...                {"a": np.zeros(2), "b": 3.0}, method="trust-ncg")
    >>> np.round(res.x["a"], 6).tolist(), round(float(res.x["b"]), 6)
    ([1.0, 1.0], 0.0)
    """
    from scipy import optimize

    objective = Objective(fun, x0, args)
    name = (method or "bfgs").lower() if isinstance(method, str) else None
    options = dict(kwargs)
    if "jac" not in options and (name is None or name in _USES_GRAD):
        scipy_fun, options["jac"] = objective.value_and_grad, True
    else:
        scipy_fun = lambda v: float(objective.flat(_np.asarray(v, dtype=float)))  # noqa: E731
    if name in _USES_HESSP and "hess" not in options and "hessp" not in options:
        options["hessp"] = objective.hessp
    if name in _USES_HESS and "hess" not in options:
        options["hess"] = objective.hess
    if constraints is not None and not isinstance(constraints, (list, tuple)):
        constraints = [constraints]
    constraints = [_constraint_with_jac(c, objective.unflatten, objective.args)
                   for c in (constraints or ())]
    if constraints:
        options["constraints"] = constraints

    hooks = []
    if callback is not None:
        hooks.append(lambda v: callback(objective.unflatten(_np.array(v, dtype=float))))
    bar = _Progress(objective) if progress else None
    if bar is not None:
        hooks.append(bar)
    if hooks:
        def scipy_callback(xk: Any, *rest: Any) -> None:
            if hasattr(xk, "x") and not isinstance(xk, _np.ndarray):
                xk = xk.x  # trust-constr passes (x, state)
            for hook in hooks:
                hook(xk)
        options["callback"] = scipy_callback
    try:
        result = optimize.minimize(scipy_fun, objective.x0, method=method, **options)
    finally:
        if bar is not None:
            bar.close()
    result.x_flat = result.x
    result.x = objective.unflatten(_np.asarray(result.x, dtype=float))
    return result


def least_squares(fun: Callable, x0: Any, jac: str = "auto", args: tuple = (),
                  **kwargs: Any) -> Any:
    """scipy.optimize.least_squares with the residuals' Jacobian from hodiff.

    Parameters
    ----------
    fun : callable
        ``fun(params, *args)`` returning the residuals (any shape; raveled).
    x0 : array or nested tuple/list/dict of arrays
        The starting point.
    jac : {"auto", "fwd", "rev"} or callable
        How the Jacobian is computed: "auto" uses forward mode when there are at least as
        many residuals as parameters, reverse mode otherwise. A callable, or one of scipy's
        finite-difference names ("2-point", ...), is passed to scipy as it is.
    args : tuple
        Extra arguments for `fun`.
    **kwargs
        Passed to scipy.optimize.least_squares (bounds on the flat vector, method, ...).

    Returns
    -------
    scipy.optimize.OptimizeResult
        With ``x`` in `x0`'s structure and ``x_flat`` the vector.

    Raises
    ------
    ValueError
        For an unknown `jac` mode.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> t = np.linspace(0.0, 1.0, 20)
    >>> res = least_squares(lambda p: p[0] * np.exp(p[1] * t) - 2.0 * np.exp(-t),
    ...                     np.array([1.0, 0.0]))
    >>> np.round(res.x, 6).tolist()
    [2.0, -1.0]
    """
    from scipy import optimize

    flat0, unflatten = flatten(x0)
    flat0 = _np.asarray(flat0, dtype=float)

    def residuals(v: Any) -> Any:
        return flatten(fun(unflatten(v), *args))[0]

    finite_differences = isinstance(jac, str) and jac in ("2-point", "3-point", "cs")
    scipy_jac = jac if callable(jac) or finite_differences else jacobian_by_shape(residuals, jac)
    result = optimize.least_squares(
        lambda v: _np.asarray(residuals(_np.asarray(v, dtype=float)), dtype=float), flat0,
        jac=scipy_jac, **kwargs)
    result.x_flat = result.x
    result.x = unflatten(_np.asarray(result.x, dtype=float))
    return result


def root(fun: Callable, x0: Any, args: tuple = (), method: str = "hybr",
         **kwargs: Any) -> Any:
    """scipy.optimize.root with the Jacobian from hodiff (forward mode for square systems).

    Parameters
    ----------
    fun : callable
        ``fun(params, *args)`` returning as many values as `params` has (any structure).
    x0 : array or nested tuple/list/dict of arrays
        The starting point.
    args : tuple
        Extra arguments for `fun`.
    method : str
        scipy's method ("hybr", "lm", ...); those that take a Jacobian get it.
    **kwargs
        Passed to scipy.optimize.root.

    Returns
    -------
    scipy.optimize.OptimizeResult
        With ``x`` in `x0`'s structure and ``x_flat`` the vector.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> res = root(lambda x: np.array([x[0] ** 2 - 2.0, x[0] * x[1] - 1.0]),
    ...            np.array([1.0, 1.0]))
    >>> np.round(res.x, 8).tolist()
    [1.41421356, 0.70710678]
    """
    from scipy import optimize

    flat0, unflatten = flatten(x0)
    flat0 = _np.asarray(flat0, dtype=float)

    def values(v: Any) -> Any:
        return flatten(fun(unflatten(v), *args))[0]  # any structure, as one vector

    def flat_values(v: Any) -> Any:
        return _np.asarray(values(_np.asarray(v, dtype=float)), dtype=float)

    if "jac" not in kwargs and method not in ("broyden1", "broyden2", "anderson",
                                              "linearmixing", "diagbroyden",
                                              "excitingmixing", "krylov", "df-sane"):
        kwargs["jac"] = jacobian_by_shape(values, "fwd")
    result = optimize.root(flat_values, flat0, method=method, **kwargs)
    result.x_flat = result.x
    result.x = unflatten(_np.asarray(result.x, dtype=float))
    return result
