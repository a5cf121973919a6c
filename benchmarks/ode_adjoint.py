"""The adjoint gradient of a linear ODE's final-state loss with respect to its matrix.

dy/dt = A y with y in R^100 and A a 100 x 100 matrix (10,000 parameters), y(0) fixed,
loss = sum(y(T)^2). Times: the forward solve (`odeint`, untraced) and the gradient with respect
to A (`grad`: the forward solve plus one adjoint solve), hodiff beside HIPS autograd's odeint
(which also runs one augmented backward solve). Reported: medians of several runs and the ratio
gradient / forward solve for each library; the gradients are checked against each other and
against the exact gradient from the matrix exponential.

    python benchmarks/ode_adjoint.py   # ~10 s; writes benchmarks/results/ode_adjoint.txt
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
REPEATS = 5


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


def median_time(fn):
    fn()  # warm-up
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(onp.median(times))


def run_hodiff(a, y0):
    ts = onp.array([0.0, T])
    dyn = lambda y, t, a: hnp.dot(a, y)
    loss = lambda a: hnp.sum(hodiff_odeint(dyn, y0, ts, args=(a,), **TOL)[-1] ** 2)
    g = hodiff.grad(loss)(a)
    return median_time(lambda: loss(a)), median_time(lambda: hodiff.grad(loss)(a)), g


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
    return median_time(lambda: loss(a)), median_time(lambda: autograd.grad(loss)(a)), g


def run_handwritten(a, y0):
    """The floor for this design: the same forward solve and one augmented backward LSODA solve
    of [y, lambda, dL/dA] (10,200 states), with the adjoint dynamics written by hand in numpy."""
    import scipy.integrate as si
    ts = onp.array([0.0, T])

    def forward():
        return si.odeint(lambda y, t: a @ y, y0, ts, **TOL)

    def gradient():
        y_t = forward()[-1]

        def augmented(s, t):
            y, lam = s[:N], s[N:2 * N]
            return onp.concatenate([a @ y, -a.T @ lam, -onp.outer(lam, y).ravel()])
        s = si.odeint(augmented, onp.concatenate([y_t, 2 * y_t, onp.zeros(N * N)]), ts[::-1],
                      **TOL)[-1]
        return s[2 * N:].reshape(N, N)
    return median_time(forward), median_time(gradient), gradient()


def main():
    a, y0 = problem()
    exact = exact_gradient(a, y0)
    lines = [f"ODE adjoint benchmark: dy/dt = A y, n = {N} ({N * N} parameters), T = {T}, "
             f"loss = |y(T)|^2, odeint (LSODA) rtol={TOL['rtol']} atol={TOL['atol']}",
             f"machine: {platform.platform()}, {os.cpu_count()} cpus, python "
             f"{platform.python_version()}, numpy {onp.__version__}, scipy {scipy.__version__}",
             f"medians of {REPEATS} runs after a warm-up", ""]
    lines.append(f"{'library':<10}{'forward (ms)':>14}{'gradient (ms)':>15}{'ratio':>8}"
                 f"{'rel. error vs expm':>20}")
    for name, runner in [("hodiff", run_hodiff), ("autograd", run_autograd),
                         ("numpy", run_handwritten)]:
        out = runner(a, y0)
        if out is None:
            lines.append(f"{name:<10}not installed")
            continue
        fwd, grd, g = out
        err = onp.linalg.norm(g - exact) / onp.linalg.norm(exact)
        lines.append(f"{name:<10}{fwd * 1e3:>14.1f}{grd * 1e3:>15.1f}{grd / fwd:>8.2f}"
                     f"{err:>20.1e}")
    lines += ["", "numpy: a hand-written adjoint (no autodiff), same solver and augmented state;",
              "its ratio is the floor of carrying the 10,000 parameter cotangents in the",
              "backward solve's state."]
    text = "\n".join(lines) + "\n"
    print(text)
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ode_adjoint.txt").write_text(text)


if __name__ == "__main__":
    main()
