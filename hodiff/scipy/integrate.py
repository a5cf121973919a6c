"""`hodiff.scipy.integrate`: scipy.integrate with derivatives in both modes.

`odeint` and `solve_ivp` differentiate with respect to the initial state, the parameters passed
through `args` and the times (reverse mode by the adjoint method, forward mode by the
sensitivity equations; see docs/scipy_integrate.md). `quad` differentiates with respect to the
limits and the parameters in `args`; `trapezoid` and `simpson` with respect to `y` and `x`.
Imports hodiff.core, hodiff.numpy and hodiff.operators.
"""
from __future__ import annotations

import numpy as _onp
import scipy.integrate as _si
from scipy.optimize import OptimizeResult as _Result

import hodiff.numpy as np
from hodiff.core import Box, Primitive, unbox
from hodiff.core.tree import flatten, unflatten
from hodiff.operators import jvp, vjp
from hodiff.scipy._ode import Layout, odeint_prim, pack, solve_ivp_prim

__all__ = ["odeint", "quad", "simpson", "solve_ivp", "trapezoid"]

_ODEINT_OPTIONS = {"rtol", "atol", "tcrit", "h0", "hmax", "hmin", "ixpr", "mxstep", "mxhnil",
                   "mxordn", "mxords", "tfirst"}


def _array(x):
    if isinstance(x, Box):
        return x
    x = _onp.asarray(x)
    return x if x.dtype.kind in "fc" else x.astype(_onp.float64)


def _real_only(name, *values):
    if any(_onp.iscomplexobj(unbox(v)) for v in values):
        raise TypeError(f"hodiff.scipy.integrate.{name} differentiates real states and "
                        "parameters only; split a complex state into real and imaginary parts")


def _flat_args(args):
    args = args if isinstance(args, tuple) else (args,)
    leaves, tree = flatten(args)
    return [_array(a) for a in leaves], tree


def _leaf_caller(user, tree, swap):
    """`user` as ``f(y, t, *leaves)``: its args rebuilt from their leaves, and ``(t, y)``
    for solve_ivp. The solvers call it at every step, so a plain tuple of arrays skips the
    rebuilding."""
    if tree[0] is tuple and all(child is None for child in tree[2]):
        return (lambda y, t, *leaves: user(t, y, *leaves)) if swap else user
    if swap:
        return lambda y, t, *leaves: user(t, y, *unflatten(tree, list(leaves)))
    return lambda y, t, *leaves: user(y, t, *unflatten(tree, list(leaves)))


def odeint(func, y0, t, args=(), **options):
    """scipy.integrate.odeint, differentiable with respect to `y0`, `t` and `args`.

    Parameters
    ----------
    func : callable
        ``func(y, t, *args)``, written with hodiff.numpy; the state `y` has the shape of `y0`.
        Everything it depends on that should carry a derivative goes through `args` (a value
        captured from an enclosing derivative call is not seen by the solver's rules).
    y0 : array_like
        Initial state (real).
    t : array_like
        Times, monotonic, starting at the initial time.
    args : tuple
        Extra arguments of `func` (arrays, or nested tuples/lists/dicts of arrays).
    **options
        Passed to scipy.integrate.odeint (rtol, atol, mxstep, hmax, ...); they also govern the
        solves that compute the derivatives. `full_output` and `Dfun` are not supported.

    Returns
    -------
    array, shape ``(len(t),) + y0.shape``
        The state at each time in `t`; the first row is `y0`.

    Example
    -------
    >>> import numpy as onp
    >>> from hodiff import grad
    >>> decay = lambda y, t, k: -k * y
    >>> loss = lambda k: odeint(decay, onp.array([1.0]), onp.array([0.0, 2.0]), args=(k,),
    ...                         rtol=1e-10, atol=1e-12)[-1, 0]
    >>> round(float(grad(loss)(0.5)), 6)   # d/dk exp(-2k) = -2 exp(-2k)
    -0.735759
    """
    unknown = set(options) - _ODEINT_OPTIONS
    if unknown:
        raise NotImplementedError(f"odeint options {sorted(unknown)} are not supported")
    if options.pop("tfirst", False):
        user = func
        func = lambda y, t, *a: user(t, y, *a)
    y0, t = _array(y0), _array(t)
    if _onp.ndim(unbox(y0)) == 0:
        y0 = np.reshape(y0, (1,))  # as scipy: the state is a 1-vector
    params, tree = _flat_args(args)
    _real_only("odeint", y0, t, *params)
    shape = tuple(_onp.shape(unbox(y0)))
    layout = Layout(shape, len(unbox(t)), [_onp.shape(unbox(p)) for p in params])
    flat_func = _leaf_caller(func, tree, swap=False)
    ys = odeint_prim(flat_func, pack(y0, t[0], t, params), layout=layout, opts=options)
    return np.reshape(ys, (layout.m,) + shape)


_IVP_METHODS = ("RK45", "RK23", "DOP853", "LSODA", "BDF", "Radau")


def solve_ivp(fun, t_span, y0, method="RK45", t_eval=None, dense_output=False, events=None,
              vectorized=False, args=None, **options):
    """scipy.integrate.solve_ivp, differentiable with respect to `y0`, `args`, `t_span` and
    `t_eval`.

    Parameters
    ----------
    fun : callable
        ``fun(t, y, *args)``, written with hodiff.numpy; `y` is 1-d (real).
    t_span : pair of floats
        ``(t0, t1)``.
    y0 : array_like, shape (n,)
        Initial state.
    method : str
        'RK45', 'RK23', 'DOP853', 'LSODA', 'BDF' or 'Radau'; the adjoint and sensitivity solves
        use the same method and tolerances.
    t_eval : array_like, optional
        Output times. Without it the output times are the solver's own steps: their interior
        points are then constants, and only the end points carry derivatives.
    dense_output, events, vectorized
        Not supported (must keep their defaults).
    args : tuple, optional
        Extra arguments of `fun`, differentiable.
    **options
        rtol, atol, max_step, first_step, ... as for scipy.

    Returns
    -------
    OptimizeResult
        With ``t`` (output times), ``y`` (shape ``(n, len(t))``, traced), ``success``,
        ``status`` and ``message``.

    Example
    -------
    >>> import numpy as onp
    >>> from hodiff import grad
    >>> decay = lambda t, y, k: -k * y
    >>> final = lambda y0: solve_ivp(decay, (0.0, 1.0), y0, args=(2.0,), t_eval=[1.0],
    ...                              rtol=1e-10, atol=1e-12).y[0, -1]
    >>> round(float(grad(final)(3.0)), 6)   # d/dy0 y0 exp(-2)
    0.135335
    """
    if dense_output or events is not None or vectorized:
        raise NotImplementedError("solve_ivp: dense_output, events and vectorized are not "
                                  "supported by hodiff.scipy.integrate")
    if method not in _IVP_METHODS:
        raise ValueError(f"method must be one of {_IVP_METHODS}, not {method!r}")
    y0 = _array(y0)
    if _onp.ndim(unbox(y0)) == 0:
        y0 = np.reshape(y0, (1,))
    t0, t1 = _array(t_span[0]), _array(t_span[1])
    params, tree = _flat_args(() if args is None else args)
    _real_only("solve_ivp", y0, t0, t1, *params)
    flat_func = _leaf_caller(fun, tree, swap=True)
    if t_eval is None:
        times = _solver_steps(flat_func, y0, t0, t1, params, method, options)
    else:
        times = np.ravel(_array(t_eval))
    layout = Layout(_onp.shape(unbox(y0)), len(unbox(times)),
                    [_onp.shape(unbox(p)) for p in params])
    opts = dict(options, method=method)
    ys = solve_ivp_prim(flat_func, pack(y0, t0, times, params), layout=layout, opts=opts)
    return _Result(t=unbox(times), y=np.transpose(ys), success=True, status=0,
                   message="The solver successfully reached the end of the integration "
                           "interval.")


def _solver_steps(func, y0, t0, t1, params, method, options):
    """The times scipy would report without t_eval: the end points traced, the rest constant."""
    plain = [_onp.asarray(unbox(p)) for p in params]
    sol = _si.solve_ivp(lambda t, y: _onp.asarray(unbox(func(y, t, *plain)), dtype=float),
                        (unbox(t0), unbox(t1)), _onp.asarray(unbox(y0), dtype=float),
                        method=method, **options)
    inner = sol.t[1:-1]
    return np.concatenate([np.reshape(t0, (1,)), inner, np.reshape(t1, (1,))])


# -- quad --------------------------------------------------------------------------------------
def _quad_raw(func, packed, n_params_shapes, opts):
    a, b, params = _unpack_quad_plain(packed, n_params_shapes)
    value = func(a, *params)
    if _onp.ndim(unbox(value)) == 0:
        return _onp.float64(_si.quad(lambda x: unbox(func(x, *params)), a, b, **opts)[0])
    opts = {k: v for k, v in opts.items() if k in ("epsabs", "epsrel", "limit", "norm")}
    return _si.quad_vec(lambda x: _onp.asarray(unbox(func(x, *params))), a, b, **opts)[0]


def _quad_bounds(shapes):
    sizes = [1, 1] + [int(_onp.prod(s, dtype=int)) for s in shapes]
    return _onp.concatenate([[0], _onp.cumsum(sizes)]).astype(int)


def _unpack_quad_plain(packed, shapes):
    packed = _onp.asarray(packed)
    b = _quad_bounds(shapes)
    return packed[0], packed[1], [packed[b[2 + k]:b[3 + k]].reshape(s)
                                   for k, s in enumerate(shapes)]


def _unpack_quad(packed, shapes):
    b = _quad_bounds(shapes)
    return packed[0], packed[1], [np.reshape(packed[b[2 + k]:b[3 + k]], s)
                                  for k, s in enumerate(shapes)]


def _pack_quad(a, b, params):
    return np.concatenate([np.reshape(a, (1,)), np.reshape(b, (1,))]
                          + [np.ravel(p) for p in params])


def _finite(x):
    return bool(_onp.isfinite(unbox(x)))


def _quad_jvp(tp, ans, func, packed, shapes, opts):
    # d/db int_a^b f = f(b), d/da = -f(a); the parameters' derivative goes under the integral.
    a, b, params = _unpack_quad(packed, shapes)
    ta, tb, tparams = _unpack_quad(tp, shapes)
    out = None
    if _finite(b):
        out = func(b, *params) * tb
    if _finite(a):
        out = -func(a, *params) * ta if out is None else out - func(a, *params) * ta
    if params:
        k = len(params)
        inner = lambda x, *pp: jvp(lambda *p: func(x, *p), pp[:k], pp[k:])[1]
        part = quad_prim(inner, _pack_quad(a, b, params + tparams), shapes * 2, opts)
        out = part if out is None else out + part
    return out


def _quad_vjp(ans, func, packed, shapes, opts):
    a, b, params = _unpack_quad(packed, shapes)
    shape = _onp.shape(unbox(ans))

    def pullback(ct):
        zero = np.reshape(np.sum(ct) * 0.0, (1,))
        ct_b = np.reshape(np.sum(ct * func(b, *params)), (1,)) if _finite(b) else zero
        ct_a = -np.reshape(np.sum(ct * func(a, *params)), (1,)) if _finite(a) else zero
        parts = [ct_a, ct_b]
        if params:
            def inner(x, *pp):
                cts = vjp(lambda *p: func(x, *p), *pp[:-1])[1](np.reshape(pp[-1], shape))
                return np.concatenate([np.ravel(c) for c in cts])
            parts.append(quad_prim(inner, _pack_quad(a, b, params + [ct]),
                                   shapes + [shape], opts))
        return np.concatenate(parts)
    return pullback


quad_prim = Primitive(_quad_raw, name="integrate.quad")
quad_prim.defrules(1, _quad_jvp, _quad_vjp)


def quad(func, a, b, args=(), **options):
    """scipy.integrate.quad, differentiable with respect to the limits and `args`.

    Parameters
    ----------
    func : callable
        ``func(x, *args)``, written with hodiff.numpy; a scalar, or an array (then
        scipy.integrate.quad_vec integrates it).
    a, b : float
        The limits (may be infinite; an infinite limit has no derivative).
    args : tuple
        Extra arguments of `func` (arrays), differentiable.
    **options
        epsabs, epsrel, limit, ... as for scipy; they also govern the integrals of the
        derivatives.

    Returns
    -------
    (value, abserr)
        The integral (traced) and scipy's error estimate for it (plain).

    Example
    -------
    >>> from hodiff import grad
    >>> area = lambda b: quad(lambda x, c: c * x ** 2, 0.0, b, args=(3.0,))[0]
    >>> round(float(grad(area)(2.0)), 12)   # 3 b^2
    12.0
    """
    params, tree = _flat_args(args)
    user = func
    flat = lambda x, *leaves: user(x, *unflatten(tree, list(leaves)))
    shapes = [_onp.shape(unbox(p)) for p in params]
    value = quad_prim(flat, _pack_quad(_array(a), _array(b), params), shapes, options)
    plain = [_onp.asarray(unbox(p)) for p in params]
    if _onp.ndim(unbox(value)) == 0:
        err = _si.quad(lambda x: unbox(flat(x, *plain)), unbox(a), unbox(b), **options)[1]
    else:
        err = None
    return value, err


# -- trapezoid and simpson: built from differentiable numpy ------------------------------------
def _along(axis, nd, sl):
    idx = [slice(None)] * nd
    idx[axis] = sl
    return tuple(idx)


def _spacing(x, y, axis, dx):
    """Differences of x shaped to broadcast against y's differences along `axis`."""
    if x is None:
        return dx
    x = _array(x)
    nd = len(np.shape(y))
    h = np.diff(x, axis=axis if np.ndim(x) > 1 else -1)
    if np.ndim(x) == 1 and nd > 1:
        shape = [1] * nd
        shape[axis] = np.shape(h)[0]
        h = np.reshape(h, tuple(shape))
    return h


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """scipy.integrate.trapezoid, differentiable with respect to `y` and `x`.

    Parameters
    ----------
    y : array_like
        Values to integrate.
    x : array_like, optional
        Sample points (1-d along `axis`, or y's shape); spacing `dx` without them.
    dx : float
        Spacing when `x` is None.
    axis : int
        Axis to integrate along.

    Returns
    -------
    array or float
        The integral along `axis`.

    Example
    -------
    >>> import numpy as onp
    >>> from hodiff import grad
    >>> x = onp.array([0.0, 0.5, 2.0])
    >>> grad(lambda y: trapezoid(y, x))(onp.ones(3))   # the trapezoid weights
    array([0.25, 1.  , 0.75])
    """
    y = _array(y)
    nd = len(np.shape(y))
    h = _spacing(x, y, axis, dx)
    lo, hi = y[_along(axis, nd, slice(None, -1))], y[_along(axis, nd, slice(1, None))]
    return np.sum(h * (lo + hi) / 2.0, axis=axis)


def _basic_simpson(y, stop, h, dx, axis, nd):
    """Simpson's rule over the panels [0, 2], [2, 4], ... up to index `stop` (scipy's formula
    for uneven spacing, Cartwright 2017)."""
    s0 = y[_along(axis, nd, slice(0, stop, 2))]
    s1 = y[_along(axis, nd, slice(1, stop + 1, 2))]
    s2 = y[_along(axis, nd, slice(2, stop + 2, 2))]
    if h is None:
        return np.sum(s0 + 4.0 * s1 + s2, axis=axis) * (dx / 3.0)
    h0 = h[_along(axis, nd, slice(0, stop, 2))]
    h1 = h[_along(axis, nd, slice(1, stop + 1, 2))]
    hsum = h0 + h1
    return np.sum(hsum / 6.0 * (s0 * (2.0 - h1 / h0) + s1 * (hsum * hsum / (h0 * h1))
                                + s2 * (2.0 - h0 / h1)), axis=axis)


def simpson(y, x=None, dx=1.0, axis=-1):
    """scipy.integrate.simpson (scipy >= 1.11's rule), differentiable in `y` and `x`.

    Parameters
    ----------
    y : array_like
        Values to integrate.
    x : array_like, optional
        Sample points (distinct), 1-d along `axis` or y's shape.
    dx : float
        Spacing when `x` is None.
    axis : int
        Axis to integrate along.

    Returns
    -------
    array or float
        The integral along `axis`.

    Example
    -------
    >>> import numpy as onp
    >>> x = onp.linspace(0.0, 1.0, 5)
    >>> round(float(simpson(x ** 2, x)), 12)
    0.333333333333
    """
    y = _array(y)
    nd = len(np.shape(y))
    axis = axis % nd
    n = np.shape(y)[axis]
    h = None if x is None else _spacing(x, y, axis, dx)
    if n % 2 == 1:
        return _basic_simpson(y, n - 2, h, dx, axis, nd)
    last = y[_along(axis, nd, -1)]
    before = y[_along(axis, nd, -2)]
    if n == 2:
        width = dx if h is None else np.squeeze(h[_along(axis, nd, slice(-1, None))], axis=axis)
        return 0.5 * width * (last + before)
    result = _basic_simpson(y, n - 3, h, dx, axis, nd)
    if h is None:
        h0 = h1 = dx
    else:
        h0 = np.squeeze(h[_along(axis, nd, slice(-2, -1))], axis=axis)
        h1 = np.squeeze(h[_along(axis, nd, slice(-1, None))], axis=axis)
    # The last interval's correction (Cartwright 2017, eq. 8, as scipy applies it).
    alpha = (2 * h1 ** 2 + 3 * h0 * h1) / (6 * (h1 + h0))
    beta = (h1 ** 2 + 3.0 * h0 * h1) / (6 * h0)
    eta = h1 ** 3 / (6 * h0 * (h0 + h1))
    return result + alpha * last + beta * before - eta * y[_along(axis, nd, -3)]
