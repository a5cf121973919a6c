"""Spec rows for hodiff.scipy.integrate: odeint, solve_ivp (one row per method) and quad. The
solves run at tight tolerances so that central differences of the solver are meaningful."""
import numpy as onp
from spec import POS, SMALL, Dom, _spec, grid

import hodiff.numpy as np
from hodiff.scipy import integrate

_TOL = {"rtol": 1e-12, "atol": 1e-13}
# Short spans keep the nested solves of the second-order checks cheap.
_STEPS = Dom((0.02, 0.12))


def _decay(y, t, k):
    # Linear in y, nonlinear in k and t: exercises every derivative, including second ones.
    return -k * y + np.sin(k * t)


def _times(args):
    """Increasing output times from positive draws: t = cumulative sums, starting near 0."""
    *rest, t = args
    return (*rest, onp.cumsum(t) - t[0] + 0.1 * t[0])


def _odeint(y0, k, t):
    return integrate.odeint(_decay, y0, t, args=(k,), **_TOL)


def _solve_ivp(y0, k, t, method):
    sol = integrate.solve_ivp(lambda t, y, k: _decay(y, t, k), (t[0], t[-1]), y0, method=method,
                              t_eval=t, args=(k,), **_TOL)
    return sol.y


def _quad(a, b, p):
    return integrate.quad(lambda x, p: np.exp(-p * x * x) * np.cos(p * x), a, b, args=(p,))[0]


ROWS = [
    _spec("integrate.odeint", _odeint, grid([((2,), (), (2,))]), dom=(SMALL, POS, _STEPS),
          prep=_times, rtol=1e-4, atol=1e-6),
    _spec("integrate.solve_ivp", _solve_ivp,
          grid([((2,), (), (2,))], [{"method": m} for m in ("DOP853", "LSODA")]),
          dom=(SMALL, POS, _STEPS), prep=_times, rtol=1e-4, atol=1e-6),
    _spec("integrate.quad", _quad, grid([((), (), ())]),
          dom=(Dom((-1.0, 0.0)), Dom((0.5, 1.5)), POS), rtol=1e-6, atol=1e-8),
]
