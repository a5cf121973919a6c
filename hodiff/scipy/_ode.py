"""The ODE-solve primitives behind `hodiff.scipy.integrate.odeint` and `solve_ivp`.

One differentiable argument, `packed` = [y0, t0, output times, parameters] raveled, so a single
reverse rule runs one adjoint solve for all of them and a single forward rule one sensitivity
solve. Both rules call the solve primitive itself on an augmented system written with hodiff's
`jvp`/`vjp` of the dynamics, so the rules are differentiable again (any order, any mode pair).
Imports hodiff.core, hodiff.numpy and hodiff.operators.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import accumulate

import numpy as _onp
import scipy.integrate as _si

import hodiff.numpy as np
from hodiff.core import Box, Primitive, unbox
from hodiff.core.tracing import _live
from hodiff.modes.reverse import ReverseTag, backward
from hodiff.numpy.shorthand import shape_of
from hodiff.operators import jvp


class Layout:
    """Where y0, t0, the output times and each parameter sit in the packed vector."""

    def __init__(self, y_shape: tuple, n_times: int, param_shapes: tuple) -> None:
        self.y_shape = tuple(y_shape)
        self.n = _size(self.y_shape)
        self.m = n_times
        self.param_shapes = tuple(tuple(s) for s in param_shapes)
        sizes = [self.n, 1, self.m] + [_size(s) for s in self.param_shapes]
        self.bounds = list(accumulate(sizes, initial=0))

    def unpack(self, packed):
        """(y0 flat, t0 scalar, times (m,), [params in their shapes]); works on traced values."""
        b = self.bounds
        y0 = packed[b[0]:b[1]]
        t0 = packed[b[1]]
        times = packed[b[2]:b[3]]
        params = [np.reshape(packed[b[3 + k]:b[4 + k]], s)
                  for k, s in enumerate(self.param_shapes)]
        return y0, t0, times, params

    def unpack_plain(self, packed):
        packed = _onp.asarray(packed)
        b = self.bounds
        params = [packed[b[3 + k]:b[4 + k]].reshape(s) for k, s in enumerate(self.param_shapes)]
        return packed[b[0]:b[1]], packed[b[1]], packed[b[2]:b[3]], params


def _size(shape):
    size = 1
    for d in shape:
        size *= int(d)
    return size


def pack(y0, t0, times, params):
    """The packed vector (plain when nothing is traced)."""
    if all(type(v) is _onp.ndarray or isinstance(v, (float, _onp.floating))
           for v in (y0, t0, times, *params)):
        # NumPy values only (every call of odeint/solve_ivp packs): NumPy directly.
        return _onp.concatenate([_onp.ravel(y0), _onp.reshape(t0, (1,)), _onp.ravel(times)]
                                + [_onp.ravel(p) for p in params]).astype(_onp.float64,
                                                                          copy=False)
    parts = [np.ravel(y0), np.reshape(t0, (1,)), np.ravel(times)]
    parts += [np.ravel(p) for p in params]
    # The solvers work in double precision; single-precision parameters would make the
    # dynamics noisy at the solver's tolerances.
    return np.concatenate([p if _onp.result_type(unbox(p)) == _onp.float64
                           else np.astype(p, _onp.float64) for p in parts])


def flat_dynamics(func, y_shape):
    """`func(y, t, *params)` on flat states: reshape in, ravel out (works on traced values)."""
    flat = len(y_shape) == 1

    def f(y, t, *params):
        return _flat_output(func(y if flat else np.reshape(y, y_shape), t, *params), flat)
    return f


def _flat_output(out, flat):
    if flat and type(out) is _onp.ndarray and out.ndim == 1:
        return out  # the common case, at every solver step
    if isinstance(out, (list, tuple)):
        out = np.array(out)
    return out if flat and len(shape_of(out)) == 1 else np.ravel(out)


# -- the raw solves ----------------------------------------------------------------------------
def _plain_rhs(func, layout, params):
    f = flat_dynamics(func, layout.y_shape)
    if len(layout.y_shape) != 1:
        return lambda y, t: _onp.asarray(f(y, t, *params), dtype=_onp.float64)

    def rhs(y, t):
        # The solver calls this at every step: a flat float64 result goes straight back.
        out = func(y, t, *params)
        if type(out) is _onp.ndarray and out.ndim == 1 and out.dtype == _onp.float64:
            return out
        return _onp.asarray(_flat_output(out, True), dtype=_onp.float64)
    return rhs


def _odeint_raw(func, packed, layout, opts):
    y0, t0, times, params = layout.unpack_plain(packed)
    rhs = _plain_rhs(func, layout, params)
    out = _si.odeint(rhs, y0, _onp.concatenate([[t0], times]), **opts)
    return out[1:]


def _solve_ivp_raw(func, packed, layout, opts):
    y0, t0, times, params = layout.unpack_plain(packed)
    if layout.m == 0:
        return _onp.zeros((0, layout.n))
    rhs = _plain_rhs(func, layout, params)
    sol = _si.solve_ivp(lambda t, y: rhs(y, t), (t0, times[-1]), y0, t_eval=times, **opts)
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    return sol.y.T


# -- the rules ---------------------------------------------------------------------------------
def _solve_jvp(prim):
    def rule(tp, ans, func, packed, layout, opts):
        # Sensitivity equations: s' = J_y s + J_p tp, s(t0) = ty0 - f(y0, t0) tt0 (moving the
        # start time shifts the whole trajectory), and an output time's own tangent adds
        # f(y(t_i), t_i) tt_i.
        y0, t0, times, params = layout.unpack(packed)
        ty0, tt0, ttimes, tparams = layout.unpack(tp)
        f = flat_dynamics(func, layout.y_shape)
        k = len(params)
        s0 = ty0 - f(y0, t0, *params) * tt0

        def augmented(state, t, *pp):
            y, s = state[:layout.n], state[layout.n:]
            out, ds = jvp(lambda y, *p: f(y, t, *p), (y, *pp[:k]), (s, *pp[k:]))
            return np.concatenate([out, ds])

        aug_layout = Layout((2 * layout.n,), layout.m, layout.param_shapes * 2)
        aug = prim(augmented, pack(np.concatenate([y0, s0]), t0, times, params + tparams),
                   layout=aug_layout, opts=opts)
        sens = aug[:, layout.n:]
        rates = np.stack([f(ans[i], times[i], *params) for i in range(layout.m)]) \
            if layout.m else sens
        return sens + rates * np.reshape(ttimes, (layout.m, 1))
    return rule


def _lean_vjp_y(f, y, t, params, ct):
    """``(f(y, t, *params), ct^T df/dy)`` from one recorded pass with `y` alone traced.

    The adjoint's right-hand side needs only the state's cotangent, so this skips what the
    general `vjp` does for arbitrary inputs (tree flattening, input checks, dtype fitting) and
    records nothing for the parameters. `y` may itself be traced by an outer derivative call.
    """
    tag = ReverseTag()
    # new_tag's work without its context-manager frame (this runs at every solver step)
    token = _live.set(_live.get() + (tag,))
    try:
        box = tag.leaf(y)
        out = f(box, t, *params)
    finally:
        _live.reset(token)
    index = tag.index_of(out)
    if isinstance(out, Box) and out._tag is tag:
        out = out._primal
    if index is None:
        return out, None
    return out, backward(tag.tape, [(index, ct)], [box._index], True)[0]


def _lean_vjp_params(f, node_y, node_t, params, node_ct):
    """``sum_k node_ct[k]^T J_p(node_y[k], node_t[k])`` for each parameter, from ONE recorded
    pass over all nodes and one walk back (every node's output seeded at once)."""
    tag = ReverseTag()
    token = _live.set(_live.get() + (tag,))
    try:
        boxes = [tag.leaf(p) for p in params]
        outs = [f(node_y[k], node_t[k], *boxes) for k in range(len(node_t))]
    finally:
        _live.reset(token)
    seeds = [(tag.index_of(o), node_ct[k]) for k, o in enumerate(outs)]
    seeds = [(i, c) for i, c in seeds if i is not None]
    cts = backward(tag.tape, seeds, [b._index for b in boxes], True)
    return [p * 0.0 if c is None else c for p, c in zip(params, cts)]


def _adjoint_rhs(f, n):
    """[y, a]' = [f(y, t, p), -J_y(y, t, p)^T a]: the backward system without the parameters'
    cotangent (that one is a quadrature; see `_solve_vjp`)."""
    def rhs(state, t, *params):
        y, a = state[:n], state[n:]
        out, ct_y = _lean_vjp_y(f, y, t, params, a)
        if ct_y is None:
            ct_y = a * 0.0
        if not isinstance(out, Box) and not isinstance(ct_y, Box):
            return _onp.concatenate([out, -ct_y])  # f's output is flat already
        return np.concatenate([out, -ct_y])
    return rhs


# The parameters' cotangent int a^T J_p dt is taken by Gauss-Legendre on panels: the nodes'
# values come from the backward solve's own interpolation (extra output times force no steps).
# An 8-point rule gives the integral; the 7-point rule on the same panels, applied to a cheap
# stand-in integrand, estimates its error. The stand-in holds y, a, f(y, t) (which carries an
# explicit time dependence of the dynamics) and products of projections of a with y and with
# f, so it varies as fast as a^T J_p does. Gauss with 8 points is exact to degree 15, so
# |G7 - G8| bounds G8's error with a wide margin on smooth integrands.
_RULES = {k: _onp.polynomial.legendre.leggauss(k) for k in (7, 8)}
_MAX_REFINES = 4
_DEFAULT_TOL = {"odeint": (1.49012e-8, 1.49012e-8), "solve_ivp": (1e-3, 1e-6)}


@lru_cache(maxsize=64)
def _panel_nodes(panels):
    """The output times of one backward solve over `panels` equal panels, as positions s in
    (0, 1) from its start; the rows of the 7- and 8-point rules' nodes among them, and their
    weights for integrals over s in [0, 1]."""
    x7, w7 = _RULES[7]
    x8, w8 = _RULES[8]
    local = _onp.concatenate([x7, x8])
    order = _onp.argsort(local)
    is8 = _onp.tile(order >= 7, panels)
    s = ((_onp.arange(panels)[:, None] + (local[order][None, :] + 1.0) / 2.0) / panels).ravel()
    return (s, _onp.flatnonzero(~is8), _onp.flatnonzero(is8),
            _onp.tile(w7 / (2 * panels), panels), _onp.tile(w8 / (2 * panels), panels))


_PROJECTIONS: dict = {}


def _projections(n):
    """Two fixed random directions in the state space (made once per size)."""
    if n not in _PROJECTIONS:
        _PROJECTIONS[n] = _onp.random.default_rng(0).standard_normal((n, 2))
    return _PROJECTIONS[n]


def _quadrature_error(values, rates, rows7, rows8, w7, w8, n, tol):
    """The 7- and 8-point rules' difference on the stand-in integrand over what `tol` allows
    (at most 1: accurate enough). `values` are [y, a] at the nodes, `rates` f(y, t) there; the
    integrals are over s in [0, 1], the interval scaled."""
    y, a = values[:, :n], values[:, n:]
    proj = _projections(n)
    pa = a @ proj[:, 0]
    stand_in = _onp.concatenate([values, rates, (pa * (y @ proj[:, 1]))[:, None],
                                 (pa * (rates @ proj[:, 1]))[:, None]], axis=1)
    at8 = stand_in[rows8]
    difference = _onp.abs(w8 @ at8 - w7 @ stand_in[rows7])
    rtol, atol = tol
    allowed = rtol * (w8 @ _onp.abs(at8)) + atol
    return _onp.max(difference / _onp.maximum(allowed, 1e-300))


def _initial_panels(f, y, t, params, width):
    """A first panel count: the e-foldings (or radians) of the solution across the interval,
    |width| |f(y)| / |y|, two per panel; at most 8 (a state near zero says nothing), the error
    check refines from there."""
    rate = _onp.linalg.norm(_onp.ravel(unbox(f(y, t, *params)))) / (
        _onp.linalg.norm(_onp.ravel(unbox(y))) + 1e-300)
    return int(min(max(1, _onp.ceil(abs(width) * rate / 2.0)), 8))


def _solve_vjp(prim):
    def make(ans, func, packed, layout, opts):
        # The adjoint method (Pontryagin; Chen et al. 2018, "Neural ordinary differential
        # equations", Algorithm 1) with the parameters' cotangent taken out of the backward
        # state: [y, a] is integrated backwards (y' = f, a' = -J_y^T a) from each output time
        # to the one before (y restarting from the forward solution there, a jumping by that
        # output's cotangent), down to t0; the parameters' cotangent int a^T J_p dt is a
        # quadrature on the backward solution, all nodes in one reverse pass of the dynamics.
        y0, t0, times, params = layout.unpack(packed)
        f = flat_dynamics(func, layout.y_shape)
        n = layout.n
        ys = np.reshape(ans, (layout.m, n))
        plain_times = _onp.asarray(unbox(times))
        plain_t0 = unbox(t0)
        rhs = _adjoint_rhs(f, n)
        kind = "odeint" if prim is odeint_prim else "solve_ivp"
        rtol, atol = _DEFAULT_TOL[kind]
        tol = (0.1 * float(_onp.min(opts.get("rtol", rtol))),
               0.1 * float(_onp.min(opts.get("atol", atol))))
        plain_params = [unbox(p) for p in params]

        def step_back(y, a, t_from, t_to, plain_from, plain_to, nodes):
            """a at t_to; appends the quadrature's (y, weighted a, t) rows to `nodes`."""
            width = plain_from - plain_to
            panels = _initial_panels(f, unbox(y), plain_from, plain_params, width)
            for attempt in range(_MAX_REFINES + 1):
                s, rows7, rows8, w7, w8 = _panel_nodes(panels)
                out_times = np.concatenate([t_from + (t_to - t_from) * s,
                                            np.reshape(t_to, (1,))])
                aug_layout = Layout((2 * n,), len(s) + 1, layout.param_shapes)
                sol = prim(rhs, pack(np.concatenate([y, a]), t_from, out_times, params),
                           layout=aug_layout, opts=opts)
                values = _onp.asarray(unbox(sol))[:-1]
                plain_t = plain_from + (plain_to - plain_from) * s
                rates = _onp.stack([_onp.asarray(unbox(f(values[k, :n], plain_t[k],
                                                         *plain_params)))
                                    for k in range(len(s))])
                miss = _quadrature_error(values, rates, rows7, rows8, w7, w8, n, tol)
                if miss <= 1.0 or attempt == _MAX_REFINES:
                    break
                # Gauss error falls like panels^-14; overshoot a little.
                panels = int(panels * max(2, _onp.ceil(1.5 * miss ** (1 / 14))))
            at8 = sol[rows8]
            nodes.append((at8[:, :n], at8[:, n:] * (np.reshape(w8, (-1, 1)) * (t_from - t_to)),
                          out_times[rows8]))
            return sol[-1, n:]

        def parameter_cotangent(nodes):
            zero = packed[layout.bounds[3]:] * 0.0
            if not nodes or not params:
                return zero
            node_y = np.concatenate([y_ for y_, _, _ in nodes])
            node_ct = np.concatenate([c for _, c, _ in nodes])
            node_t = np.concatenate([t for _, _, t in nodes])
            cts = _lean_vjp_params(f, node_y, node_t, params, node_ct)
            return np.concatenate([np.ravel(c) for c in cts])

        def pullback(ct):
            ct = np.reshape(ct, (layout.m, n))
            ct_times = [np.sum(ct[i] * f(ys[i], times[i], *params)) for i in range(layout.m)]
            a = ct[layout.m - 1] if layout.m else y0 * 0.0
            nodes = []
            for i in range(layout.m - 1, 0, -1):
                if plain_times[i] != plain_times[i - 1]:
                    a = step_back(ys[i], a, times[i], times[i - 1], plain_times[i],
                                  plain_times[i - 1], nodes)
                a = a + ct[i - 1]
            if layout.m and plain_times[0] != plain_t0:
                a = step_back(ys[0], a, times[0], t0, plain_times[0], plain_t0, nodes)
            ct_t0 = -np.sum(a * f(y0, t0, *params))
            parts = [a, np.reshape(ct_t0, (1,))]
            if layout.m:
                parts.append(np.stack(ct_times))
            return np.concatenate(parts + [parameter_cotangent(nodes)])
        return pullback
    return make


def _primitive(raw, name):
    prim = Primitive(raw, name=name)
    prim.defrules(1, _solve_jvp(prim), _solve_vjp(prim))
    return prim


odeint_prim = _primitive(_odeint_raw, "integrate.odeint")
solve_ivp_prim = _primitive(_solve_ivp_raw, "integrate.solve_ivp")
