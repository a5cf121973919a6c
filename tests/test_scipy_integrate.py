"""hodiff.scipy.integrate: ODE gradients against a closed form (damped oscillator) and central
differences of scipy's own solves (Lotka-Volterra), in both modes and for every solve_ivp
method; quad, trapezoid and simpson against scipy and closed forms."""
import numpy as onp
import pytest
import scipy.integrate as si
import scipy.linalg

import hodiff.numpy as np
from hodiff import grad, hessian, jacfwd, jacobian
from hodiff.scipy import _ode, integrate
from hodiff.test_util import check_grads

TIGHT = {"rtol": 1e-11, "atol": 1e-12}


# -- damped oscillator: x'' + c x' + k x = 0, y = (x, v) ---------------------------------------
def oscillator(y, t, k, c):
    return np.array([y[1], -k * y[0] - c * y[1]])


def closed_form(x0, v0, k, c, t):
    """x(t) and v(t) for the underdamped oscillator (c^2 < 4k), written with hodiff.numpy so
    that hodiff's derivatives of it are the closed-form derivatives."""
    g = c / 2.0
    w = np.sqrt(k - g * g)
    b = (v0 + g * x0) / w
    e = np.exp(-g * t)
    x = e * (x0 * np.cos(w * t) + b * np.sin(w * t))
    v = e * ((b * w - g * x0) * np.cos(w * t) - (x0 * w + g * b) * np.sin(w * t))
    return x, v


def osc_loss_odeint(p):
    x0, v0, k, c, t1 = p[0], p[1], p[2], p[3], p[4]
    t = np.stack([0.0 * t1, 0.5 * t1, t1])
    ys = integrate.odeint(oscillator, np.stack([x0, v0]), t, args=(k, c), **TIGHT)
    return np.sum(ys[1:, 0] ** 2) + ys[-1, 1]


def osc_loss_closed(p):
    x0, v0, k, c, t1 = p[0], p[1], p[2], p[3], p[4]
    xh, _ = closed_form(x0, v0, k, c, 0.5 * t1)
    x1, v1 = closed_form(x0, v0, k, c, t1)
    return xh ** 2 + x1 ** 2 + v1


P_OSC = onp.array([1.0, -0.3, 4.0, 0.4, 2.5])  # x0, v0, k, c, final time


def test_oscillator_value_matches_closed_form():
    onp.testing.assert_allclose(osc_loss_odeint(P_OSC), osc_loss_closed(P_OSC), rtol=1e-9)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_oscillator_gradient_matches_closed_form(mode):
    # Gradient with respect to the initial state, both parameters and the output times.
    expected = grad(osc_loss_closed)(P_OSC)
    got = grad(osc_loss_odeint)(P_OSC) if mode == "rev" else jacfwd(osc_loss_odeint)(P_OSC)
    onp.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-9)


def test_oscillator_hessian_matches_closed_form():
    # Forward-over-reverse: the sensitivity equations of the adjoint system.
    onp.testing.assert_allclose(hessian(osc_loss_odeint)(P_OSC), hessian(osc_loss_closed)(P_OSC),
                                rtol=1e-6, atol=1e-7)


def test_oscillator_solve_ivp_reverse_over_forward():
    def loss(p):
        sol = integrate.solve_ivp(lambda t, y, k, c: oscillator(y, t, k, c), (0.0, p[4]),
                                  p[:2], method="DOP853", t_eval=np.stack([0.5 * p[4], p[4]]),
                                  args=(p[2], p[3]), rtol=1e-9, atol=1e-10)
        return np.sum(sol.y[0] ** 2) + sol.y[1, -1]
    onp.testing.assert_allclose(loss(P_OSC), osc_loss_closed(P_OSC), rtol=1e-7)
    u = onp.array([0.3, -1.0, 0.5, 2.0, -0.7])
    onp.testing.assert_allclose(grad(lambda p: np.sum(jacfwd(loss)(p) * u))(P_OSC),
                                hessian(osc_loss_closed)(P_OSC) @ u, rtol=1e-5, atol=1e-6)


# -- Lotka-Volterra against central differences of scipy ---------------------------------------
def lotka_volterra(y, t, theta):
    prey, pred = y[0], y[1]
    a, b, c, d = theta[0], theta[1], theta[2], theta[3]
    return np.array([a * prey - b * prey * pred, -c * pred + d * prey * pred])


THETA = onp.array([1.1, 0.4, 0.9, 0.3])
Y0 = onp.array([2.0, 1.2])
TIMES = onp.array([0.0, 1.3, 2.2, 3.0])
W = onp.array([[0.0, 0.0], [0.7, -0.4], [0.2, 1.1], [-0.5, 0.3]])


def _lv_plain(y, t, theta):
    return onp.array([theta[0] * y[0] - theta[1] * y[0] * y[1],
                      -theta[2] * y[1] + theta[3] * y[0] * y[1]])


def _scipy_lv(y0, theta, times, method):
    if method == "odeint":
        return si.odeint(_lv_plain, y0, times, args=(theta,), **TIGHT)
    sol = si.solve_ivp(lambda t, y: _lv_plain(y, t, theta), (times[0], times[-1]), y0,
                       method=method, t_eval=times, **TIGHT)
    return sol.y.T


# Low-order methods take many steps at tight tolerances; the finite differences still use
# scipy's solves at TIGHT tolerances, so the comparison measures hodiff's derivative error.
HODIFF_TOL = {"RK45": {"rtol": 1e-9, "atol": 1e-10}, "BDF": {"rtol": 1e-8, "atol": 1e-9}}


def _hodiff_lv(y0, theta, times, method):
    tol = HODIFF_TOL.get(method, TIGHT)
    if method == "odeint":
        return integrate.odeint(lotka_volterra, y0, times, args=(theta,), **tol)
    sol = integrate.solve_ivp(lambda t, y, th: lotka_volterra(y, t, th), (times[0], times[-1]),
                              y0, method=method, t_eval=times, args=(theta,), **tol)
    return np.transpose(sol.y)


def _central(f, x, eps=1e-6):
    g = onp.zeros_like(x)
    for i in range(x.size):
        e = onp.zeros_like(x)
        e.flat[i] = eps
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


METHODS = ["odeint", "RK45", "DOP853", "LSODA", "BDF"]


@pytest.mark.parametrize("method", METHODS)
def test_lotka_volterra_matches_finite_differences(method):
    def loss(y0, theta, times, solve):
        return np.sum(W * solve(y0, theta, times, method))

    loose = method in HODIFF_TOL or method == "LSODA"
    rel = {"rtol": 1e-4, "atol": 1e-5} if loose else {"rtol": 2e-6, "atol": 1e-7}
    onp.testing.assert_allclose(loss(Y0, THETA, TIMES, _hodiff_lv),
                                loss(Y0, THETA, TIMES, _scipy_lv), rtol=1e-6 if loose else 1e-9)
    fd = [_central(lambda y: loss(y, THETA, TIMES, _scipy_lv), Y0),
          _central(lambda th: loss(Y0, th, TIMES, _scipy_lv), THETA),
          _central(lambda ts: loss(Y0, THETA, ts, _scipy_lv), TIMES)]
    f = lambda *xs: loss(*xs, _hodiff_lv)
    reverse = grad(f, argnum=(0, 1, 2))(Y0, THETA, TIMES)
    forward = [jacfwd(f, argnum=i)(Y0, THETA, TIMES) for i in range(3)]
    for r, fw, expected in zip(reverse, forward, fd):
        onp.testing.assert_allclose(r, expected, **rel)
        onp.testing.assert_allclose(fw, expected, **rel)


def test_lotka_volterra_nested_args_and_second_order():
    # args may be a nested container; check order 2 in both modes on a short horizon.
    def final_prey(y0, theta):
        ys = integrate.odeint(lambda y, t, p: lotka_volterra(y, t, p["theta"]), y0,
                              onp.array([0.0, 0.4]), args=({"theta": theta},), **TIGHT)
        return ys[-1]
    check_grads(final_prey, modes=("fwd", "rev"), order=2, rtol=1e-4, atol=1e-6)(Y0, THETA)


# -- the adjoint's parameter quadrature ---------------------------------------------------------
def _expm_frechet_gradient(a, y0, t1):
    """d/dA |expm(t1 A) y0|^2 in closed form: the Frechet derivative of expm by the
    block-triangular identity (Van Loan 1978), the top-right block of expm([[t1 A^T, t1 c y0^T],
    [0, t1 A^T]]) with c = 2 y(t1)."""
    n = len(y0)
    c = 2 * scipy.linalg.expm(t1 * a) @ y0
    big = onp.block([[t1 * a.T, t1 * onp.outer(c, y0)], [onp.zeros((n, n)), t1 * a.T]])
    return scipy.linalg.expm(big)[:n, n:]


@pytest.mark.parametrize("method", ["odeint", "DOP853", "LSODA"])
def test_matrix_gradient_matches_expm_frechet_derivative(method):
    # The parameters' cotangent is a quadrature on the backward solution: it must agree with
    # the exact gradient to about the solver's tolerance.
    rng = onp.random.default_rng(3)
    n, t1 = 5, 1.5
    a = -0.3 * onp.eye(n) + rng.normal(size=(n, n)) / onp.sqrt(n)
    y0 = rng.normal(size=n)
    tol = {"rtol": 1e-10, "atol": 1e-12}
    dyn = lambda y, t, a: np.dot(a, y)
    if method == "odeint":
        final = lambda a: integrate.odeint(dyn, y0, onp.array([0.0, t1]), args=(a,), **tol)[-1]
    else:
        final = lambda a: integrate.solve_ivp(lambda t, y, a: dyn(y, t, a), (0.0, t1), y0,
                                              method=method, t_eval=[t1], args=(a,),
                                              **tol).y[:, -1]
    got = grad(lambda a: np.sum(final(a) ** 2))(a)
    exact = _expm_frechet_gradient(a, y0, t1)
    assert onp.linalg.norm(got - exact) / onp.linalg.norm(exact) < 1e-8


def test_parameter_quadrature_refines_until_accurate(monkeypatch):
    # Forcing that oscillates much faster than the state changes: the first panel count (from
    # the state's rate) is far too coarse, so the error check must refine; without refinement
    # the gradient is wrong. y' = -c y + p sin(w t): dy(T)/dp in closed form.
    c, w, t1 = 0.5, 40.0, 2.0
    forced = lambda y, t, p: -c * y + p * np.sin(w * t)
    loss = lambda p: integrate.odeint(forced, onp.array([1.0]), onp.array([0.0, t1]),
                                      args=(p,), rtol=1e-10, atol=1e-12)[-1, 0]
    exact = (c * onp.sin(w * t1) - w * onp.cos(w * t1) + w * onp.exp(-c * t1)) / (c * c + w * w)
    misses = []
    check = _ode._quadrature_error
    monkeypatch.setattr(_ode, "_quadrature_error", lambda *a: misses.append(check(*a))
                        or misses[-1])
    assert grad(loss)(0.3) == pytest.approx(exact, rel=1e-8)
    assert misses[0] > 1.0 >= misses[-1]
    monkeypatch.setattr(_ode, "_MAX_REFINES", 0)
    assert abs(grad(loss)(0.3) - exact) > 1e-3 * abs(exact)


def test_solve_ivp_without_t_eval_differentiates_the_end_time():
    decay = lambda t, y, k: -k * y
    t1 = 1.7
    end = lambda t1: integrate.solve_ivp(decay, (0.0, t1), onp.array([2.0]), args=(0.8,),
                                         **TIGHT).y[0, -1]
    sol = integrate.solve_ivp(decay, (0.0, t1), onp.array([2.0]), args=(0.8,), **TIGHT)
    ref = si.solve_ivp(lambda t, y: -0.8 * y, (0.0, t1), [2.0], **TIGHT)
    onp.testing.assert_allclose(sol.t, ref.t)
    onp.testing.assert_allclose(sol.y, ref.y, rtol=1e-12)
    onp.testing.assert_allclose(grad(end)(t1), -0.8 * 2.0 * onp.exp(-0.8 * t1), rtol=1e-8)


def test_unsupported_options_raise():
    with pytest.raises(NotImplementedError):
        integrate.odeint(lambda y, t: -y, onp.ones(1), onp.array([0.0, 1.0]), Dfun=None)
    with pytest.raises(NotImplementedError):
        integrate.solve_ivp(lambda t, y: -y, (0.0, 1.0), onp.ones(1), events=lambda t, y: y[0])
    with pytest.raises(TypeError, match="real"):
        integrate.odeint(lambda y, t: -y, onp.ones(1) + 1j, onp.array([0.0, 1.0]))


def test_scalar_state_has_scipy_shape():
    t = onp.array([0.0, 0.5])
    ours = integrate.odeint(lambda y, t, k: -k * y, 2.0, t, args=(1.5,))
    assert ours.shape == si.odeint(lambda y, t: -1.5 * y, 2.0, t).shape == (2, 1)


# -- quad, trapezoid, simpson ------------------------------------------------------------------
def test_quad_limits_and_parameters():
    f = lambda x, p: np.exp(-p * x) * np.sin(x)

    def value(a, b, p):
        return integrate.quad(f, a, b, args=(p,))[0]

    a, b, p = 0.2, 1.5, 0.7
    ref, err = si.quad(lambda x: onp.exp(-p * x) * onp.sin(x), a, b)
    out, herr = integrate.quad(f, a, b, args=(p,))
    assert out == pytest.approx(ref, rel=1e-14) and herr == pytest.approx(err)
    g = grad(value, argnum=(0, 1, 2))(a, b, p)
    dp = si.quad(lambda x: -x * onp.exp(-p * x) * onp.sin(x), a, b)[0]
    onp.testing.assert_allclose(g, [-onp.exp(-p * a) * onp.sin(a), onp.exp(-p * b) * onp.sin(b),
                                    dp], rtol=1e-10)
    check_grads(value, modes=("fwd", "rev"), order=2)(a, b, p)


def test_quad_vector_valued_and_infinite_limit():
    def value(p):
        return integrate.quad(lambda x, p: np.exp(-p * x * x), 0.0, np.inf, args=(p,))[0]
    # int_0^inf exp(-p x^2) = sqrt(pi / p) / 2
    onp.testing.assert_allclose(grad(value)(2.0), -0.25 * onp.sqrt(onp.pi) * 2.0 ** -1.5,
                                rtol=1e-8)
    vec = lambda p: integrate.quad(lambda x, p: np.stack([x * p[0], x * x * p[1]]), 0.0, 2.0,
                                   args=(p,))[0]
    onp.testing.assert_allclose(jacobian(vec)(onp.array([1.0, 3.0])),
                                onp.diag([2.0, 8.0 / 3.0]), rtol=1e-10)


@pytest.mark.parametrize("n", [2, 5, 6])
@pytest.mark.parametrize("spacing", ["dx", "x", "x 2-d"])
def test_trapezoid_and_simpson_match_scipy(n, spacing):
    rng = onp.random.default_rng(n)
    y = rng.normal(size=(3, n))
    x = onp.cumsum(rng.uniform(0.2, 1.0, size=n))
    if spacing == "x 2-d":
        x = onp.stack([x, 1.3 * x, x + 0.1 * x ** 2])
    kw = {"dx": 0.7} if spacing == "dx" else {"x": x}
    for ours, theirs in [(integrate.trapezoid, si.trapezoid), (integrate.simpson, si.simpson)]:
        onp.testing.assert_allclose(ours(y, **kw), theirs(y, **kw), rtol=1e-12)
        onp.testing.assert_allclose(ours(y.T, axis=0, **({"dx": 0.7} if spacing == "dx" else
                                                         {"x": x.T if x.ndim > 1 else x})),
                                    theirs(y.T, axis=0, **({"dx": 0.7} if spacing == "dx" else
                                                           {"x": x.T if x.ndim > 1 else x})),
                                    rtol=1e-12)
        if spacing == "dx":
            check_grads(lambda y: ours(y, **kw), modes=("fwd", "rev"), order=2)(y)
        else:
            check_grads(lambda y, x: ours(y, x=x), modes=("fwd", "rev"), order=2)(y, x)
