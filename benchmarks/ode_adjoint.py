"""The adjoint gradient of a linear ODE's final-state loss with respect to its matrix.

dy/dt = A y with y in R^100 and A a 100 x 100 matrix (10,000 parameters), y(0) fixed,
loss = sum(y(T)^2). Times: the forward solve (`odeint`, untraced) and the gradient with respect
to A (`grad`: the forward solve plus one adjoint solve), hodiff beside HIPS autograd's odeint
(which runs one augmented backward solve of [y, a, dL/dA], 10,200 states) and two hand-written
numpy adjoints (no autodiff): the same augmented design as autograd's, and hodiff's design
(a backward solve of [y, a] only, 200 states, and the parameters' cotangent by an 8-point
Gauss-Legendre rule on the backward solution). Reported: medians of several runs, the ratio
gradient / forward solve for each, the ratio to plain scipy's forward solve, the gradients
checked against the exact gradient from the matrix exponential, and what bounds hodiff's
ratio (right-hand-side evaluations forward and backward, the cost of one backward evaluation).

    python benchmarks/ode_adjoint.py   # ~20 s; writes benchmarks/results/ode_adjoint.txt
"""
import os
import platform
import sys
import time
from pathlib import Path

import numpy as onp
import scipy
import scipy.linalg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import hodiff  # noqa: E402
import hodiff.numpy as hnp  # noqa: E402
from hodiff.scipy.integrate import odeint as hodiff_odeint  # noqa: E402

N, T = 100, 1.0
TOL = {"rtol": 1e-7, "atol": 1e-9}
REPEATS = 21


def problem():
    rng = onp.random.default_rng(0)
    # A stable, non-stiff system: a shifted random matrix (eigenvalues in a disc around -0.5).
    a = -0.5 * onp.eye(N) + rng.normal(size=(N, N)) / onp.sqrt(N)
    y0 = rng.normal(size=N)
    return a, y0


def exact_gradient(a, y0):
    # d/dA |exp(TA) y0|^2: the Frechet derivative of expm, via the block-triangular trick
    # (Van Loan 1978): expm([[TA, E], [0, TA]]) holds L(TA, E) in its top-right block.
    yT = scipy.linalg.expm(T * a) @ y0
    c = 2 * yT
    big = onp.block([[T * a.T, T * onp.outer(c, y0)], [onp.zeros((N, N)), T * a.T]])
    return scipy.linalg.expm(big)[:N, N:]


def timings(forward, gradient, scipy_forward):
    """Medians of REPEATS rounds, each timing the three in turn (so a change in the machine's
    load hits all of them alike), and the medians of the per-round ratios gradient / forward
    and gradient / scipy's forward solve."""
    for fn in (forward, gradient, scipy_forward):
        fn()  # warm-up
    rounds = []
    for _ in range(REPEATS):
        row = []
        for fn in (forward, gradient, scipy_forward):
            t0 = time.perf_counter()
            fn()
            row.append(time.perf_counter() - t0)
        rounds.append(row)
    rounds = onp.array(rounds)
    fwd, grd, sci = onp.median(rounds, axis=0)
    return (float(fwd), float(grd), float(onp.median(rounds[:, 1] / rounds[:, 0])),
            float(onp.median(rounds[:, 1] / rounds[:, 2])), float(sci))


def run_hodiff(a, y0):
    ts = onp.array([0.0, T])
    dyn = lambda y, t, a: hnp.dot(a, y)
    loss = lambda a: hnp.sum(hodiff_odeint(dyn, y0, ts, args=(a,), **TOL)[-1] ** 2)
    g = hodiff.grad(loss)(a)
    return lambda: loss(a), lambda: hodiff.grad(loss)(a), g


def run_autograd(a, y0):
    try:
        import autograd
        import autograd.numpy as anp
        from autograd.builtins import tuple as ag_tuple
        from autograd.scipy.integrate import odeint as ag_odeint
    except ImportError:
        return None
    ts = onp.array([0.0, T])
    dyn = lambda y, t, a: anp.dot(a, y)
    loss = lambda a: anp.sum(ag_odeint(dyn, y0, ts, ag_tuple((a,)), **TOL)[-1] ** 2)
    g = autograd.grad(loss)(a)
    return lambda: loss(a), lambda: autograd.grad(loss)(a), g


def _scipy_forward(a, y0):
    import scipy.integrate as si
    return si.odeint(lambda y, t: a @ y, y0, onp.array([0.0, T]), **TOL)


def run_numpy_augmented(a, y0):
    """autograd's design by hand: one backward LSODA solve of [y, a, dL/dA] (10,200 states)."""
    import scipy.integrate as si
    ts = onp.array([0.0, T])

    def gradient():
        y_t = _scipy_forward(a, y0)[-1]

        def augmented(s, t):
            y, lam = s[:N], s[N:2 * N]
            return onp.concatenate([a @ y, -a.T @ lam, -onp.outer(lam, y).ravel()])
        s = si.odeint(augmented, onp.concatenate([y_t, 2 * y_t, onp.zeros(N * N)]), ts[::-1],
                      **TOL)[-1]
        return s[2 * N:].reshape(N, N)
    return lambda: _scipy_forward(a, y0), gradient, gradient()


def run_numpy_quadrature(a, y0, counter=None):
    """hodiff's design by hand: a backward solve of [y, a] (200 states) with outputs at the
    8 Gauss-Legendre nodes, and dL/dA = sum_k w_k a_k y_k^T."""
    import scipy.integrate as si
    x, w = onp.polynomial.legendre.leggauss(8)
    nodes = T * (x[::-1] + 1) / 2  # from T down to 0

    def gradient():
        y_t = _scipy_forward(a, y0)[-1]

        def adjoint(s, t):
            if counter is not None:
                counter.append(t)
            return onp.concatenate([a @ s[:N], -a.T @ s[N:]])
        s = si.odeint(adjoint, onp.concatenate([y_t, 2 * y_t]),
                      onp.concatenate([[T], nodes, [0.0]]), **TOL)[1:-1]
        return (s[:, N:] * (w[::-1] * T / 2)[:, None]).T @ s[:, :N]
    if counter is not None:
        return gradient()
    return lambda: _scipy_forward(a, y0), gradient, gradient()


def bounds(a, y0):
    """What hodiff's ratio is made of: evaluations forward and backward, and what one backward
    evaluation costs in hodiff (trace of the dynamics, one reverse walk) and in numpy."""
    import scipy.integrate as si
    from hodiff.scipy import _ode
    fwd = si.odeint(lambda y, t: a @ y, y0, [0.0, T], full_output=True, **TOL)[1]["nfe"][-1]
    calls = []
    run_numpy_quadrature(a, y0, calls)
    dyn = _ode.flat_dynamics(lambda y, t, a: hnp.dot(a, y), (N,))
    rhs = _ode._adjoint_rhs(dyn, N)
    state = onp.concatenate([y0, y0])
    per = {}
    for name, fn in [("hodiff", lambda: rhs(state, 0.0, a)),
                     ("numpy", lambda: onp.concatenate([a @ y0, -a.T @ y0])),
                     ("forward numpy", lambda: a @ y0)]:
        times = []
        for _ in range(2000):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        per[name] = float(onp.median(times))
    return fwd, len(calls), per


def main():
    a, y0 = problem()
    exact = exact_gradient(a, y0)
    lines = [f"ODE adjoint benchmark: dy/dt = A y, n = {N} ({N * N} parameters), T = {T}, "
             f"loss = |y(T)|^2, odeint (LSODA) rtol={TOL['rtol']} atol={TOL['atol']}",
             f"machine: {platform.platform()}, {os.cpu_count()} cpus, python "
             f"{platform.python_version()}, numpy {onp.__version__}, scipy {scipy.__version__}",
             f"medians of {REPEATS} rounds after a warm-up; each round times the forward "
             "solve, the gradient and scipy's forward solve in turn", ""]
    scipy_fwds = []
    lines.append(f"{'library':<14}{'forward (ms)':>13}{'gradient (ms)':>15}{'ratio':>8}"
                 f"{'/ scipy fwd':>13}{'rel. error vs expm':>20}")
    for name, runner in [("hodiff", run_hodiff), ("autograd", run_autograd),
                         ("numpy-augment", run_numpy_augmented),
                         ("numpy-quad", run_numpy_quadrature)]:
        out = runner(a, y0)
        if out is None:
            lines.append(f"{name:<14}not installed")
            continue
        forward, gradient, g = out
        fwd, grd, ratio, to_scipy, sci = timings(forward, gradient,
                                                 lambda: _scipy_forward(a, y0))
        scipy_fwds.append(sci)
        err = onp.linalg.norm(g - exact) / onp.linalg.norm(exact)
        lines.append(f"{name:<14}{fwd * 1e3:>13.2f}{grd * 1e3:>15.2f}{ratio:>8.2f}"
                     f"{to_scipy:>13.2f}{err:>20.1e}")
    fwd_evals, bwd_evals, per = bounds(a, y0)
    lines += ["", "plain scipy forward solve (numpy right-hand side), timed in every round: "
              f"{onp.median(scipy_fwds) * 1e3:.2f} ms",
              "ratio: gradient / that library's forward solve; / scipy fwd: gradient / the "
              "plain scipy forward solve",
              "  (each the median of the per-round ratios).",
              "numpy-augment: autograd's design by hand (backward state [y, a, dL/dA], 10,200 "
              "states).",
              "numpy-quad: hodiff's design by hand (backward state [y, a], 200 states; dL/dA "
              "by 8-point Gauss-Legendre",
              "  on the backward solution): the floor of this design without autodiff.",
              "", "what bounds hodiff's ratio:",
              f"  right-hand-side evaluations: forward {fwd_evals}, backward {bwd_evals}",
              f"  one backward evaluation [f, -J^T a]: hodiff {per['hodiff'] * 1e6:.1f} us, "
              f"numpy {per['numpy'] * 1e6:.1f} us (one forward numpy evaluation "
              f"{per['forward numpy'] * 1e6:.1f} us)"]
    text = "\n".join(lines) + "\n"
    print(text)
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ode_adjoint.txt").write_text(text)


if __name__ == "__main__":
    main()
