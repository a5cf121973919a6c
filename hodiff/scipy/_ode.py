"""The ODE-solve primitives behind `hodiff.scipy.integrate.odeint` and `solve_ivp`.

One differentiable argument, `packed` = [y0, t0, output times, parameters] raveled, so a single
reverse rule runs one adjoint solve for all of them and a single forward rule one sensitivity
solve. Both rules call the solve primitive itself on an augmented system written with hodiff's
`jvp`/`vjp` of the dynamics, so the rules are differentiable again (any order, any mode pair).
Imports hodiff.core, hodiff.numpy and hodiff.operators.
"""
from __future__ import annotations

import numpy as _onp
import scipy.integrate as _si

import hodiff.numpy as np
from hodiff.core import Primitive, unbox
from hodiff.numpy.shorthand import shape_of
from hodiff.operators import jvp, vjp


class Layout:
    """Where y0, t0, the output times and each parameter sit in the packed vector."""

    def __init__(self, y_shape: tuple, n_times: int, param_shapes: tuple) -> None:
        self.y_shape = tuple(y_shape)
        self.n = int(_onp.prod(self.y_shape, dtype=int))
        self.m = n_times
        self.param_shapes = tuple(tuple(s) for s in param_shapes)
        sizes = [self.n, 1, self.m] + [int(_onp.prod(s, dtype=int)) for s in self.param_shapes]
        self.bounds = _onp.concatenate([[0], _onp.cumsum(sizes)]).astype(int)

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


def pack(y0, t0, times, params):
    """The packed vector (plain when nothing is traced)."""
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
        out = func(y if flat else np.reshape(y, y_shape), t, *params)
        if isinstance(out, (list, tuple)):
            out = np.array(out)
        return out if flat and len(shape_of(out)) == 1 else np.ravel(out)
    return f


# -- the raw solves ----------------------------------------------------------------------------
def _plain_rhs(func, layout, params):
    f = flat_dynamics(func, layout.y_shape)
    return lambda y, t: _onp.asarray(f(y, t, *params), dtype=_onp.float64)


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


def _solve_vjp(prim):
    def make(ans, func, packed, layout, opts):
        # The adjoint method (Pontryagin; Chen et al. 2018, "Neural ordinary differential
        # equations", Algorithm 1): integrate [y, a, g] backwards with y' = f, a' = -J_y^T a,
        # g' = -J_p^T a from each output time to the one before (y restarting from the
        # forward solution there, a jumping by that output's cotangent), down to t0.
        y0, t0, times, params = layout.unpack(packed)
        f = flat_dynamics(func, layout.y_shape)
        ys = np.reshape(ans, (layout.m, layout.n))
        plain_times = _onp.asarray(unbox(times))
        plain_t0 = unbox(t0)
        n_params = int(layout.bounds[-1] - layout.bounds[3])

        def augmented(state, t, *p):
            y, a = state[:layout.n], state[layout.n:2 * layout.n]
            out, pull = vjp(lambda y, *p: f(y, t, *p), y, *p)
            cts = pull(a)
            return np.concatenate([out, -cts[0]] + [-np.ravel(c) for c in cts[1:]])

        aug_layout = Layout((2 * layout.n + n_params,), 1, layout.param_shapes)

        def step_back(y, a, g, t_from, t_to):
            state = np.concatenate([y, a, g])
            out = prim(augmented, pack(state, t_from, np.reshape(t_to, (1,)), params),
                       layout=aug_layout, opts=opts)[0]
            return out[layout.n:2 * layout.n], out[2 * layout.n:]

        def pullback(ct):
            ct = np.reshape(ct, (layout.m, layout.n))
            ct_times = [np.sum(ct[i] * f(ys[i], times[i], *params)) for i in range(layout.m)]
            a = ct[layout.m - 1] if layout.m else y0 * 0.0
            g = packed[layout.bounds[3]:] * 0.0
            for i in range(layout.m - 1, 0, -1):
                if plain_times[i] != plain_times[i - 1]:
                    a, g = step_back(ys[i], a, g, times[i], times[i - 1])
                a = a + ct[i - 1]
            if layout.m and plain_times[0] != plain_t0:
                a, g = step_back(ys[0], a, g, times[0], t0)
            ct_t0 = -np.sum(a * f(y0, t0, *params))
            parts = [a, np.reshape(ct_t0, (1,))]
            if layout.m:
                parts.append(np.stack(ct_times))
            return np.concatenate(parts + [g])
        return pullback
    return make


def _primitive(raw, name):
    prim = Primitive(raw, name=name)
    prim.defrules(1, _solve_jvp(prim), _solve_vjp(prim))
    return prim


odeint_prim = _primitive(_odeint_raw, "integrate.odeint")
solve_ivp_prim = _primitive(_solve_ivp_raw, "integrate.solve_ivp")
