"""Gaussian-process likelihood benchmark: the gradient of the negative log marginal likelihood
(RBF kernel with length-scale, signal and noise hyperparameters; Cholesky, a triangular solve,
the log-determinant) for n = 1000 points, against its plain evaluation, for hodiff, HIPS
autograd and JAX (eager and jit). Median of several repeats, one run; every gradient is
checked against hodiff's before it is timed.

Usage: python benchmarks/gp.py [--n 1000] [--repeat 7]
Writes benchmarks/results/gp.txt and gp.json.
"""
import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as onp
import scipy.linalg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def make_data(n):
    rng = onp.random.default_rng(0)
    x = onp.sort(rng.uniform(-5, 5, n))
    y = onp.sin(x) + 0.1 * rng.standard_normal(n)
    return x, y, onp.array([0.0, 0.1, -2.0])


def nlml_factory(np, cholesky, solve_triangular, x, y):
    """The same likelihood written against one library's numpy and linalg."""
    n = x.shape[0]
    d = (x[:, None] - x[None, :]) ** 2
    eye = onp.eye(n)

    def nlml(theta):
        k = np.exp(2 * theta[1]) * np.exp(-0.5 * d / np.exp(2 * theta[0])) + \
            np.exp(2 * theta[2]) * eye
        low = cholesky(k)
        alpha = solve_triangular(low, y, lower=True)
        return 0.5 * np.sum(alpha ** 2) + np.sum(np.log(np.diagonal(low, 0, -1, -2))) + \
            0.5 * n * onp.log(2 * onp.pi)
    return nlml


def plain_kernel(x, theta):
    d = (x[:, None] - x[None, :]) ** 2
    return onp.exp(2 * theta[1]) * onp.exp(-0.5 * d / onp.exp(2 * theta[0])) + \
        onp.exp(2 * theta[2]) * onp.eye(len(x))


def median_time(fn, repeat):
    fn()  # warm-up (and jit compilation)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    x, y, theta = make_data(args.n)
    results = {}

    plain = nlml_factory(onp, onp.linalg.cholesky, scipy.linalg.solve_triangular, x, y)
    results["numpy (plain evaluation)"] = median_time(lambda: plain(theta), args.repeat)

    import hodiff
    import hodiff.numpy as hnp
    import hodiff.scipy.linalg as hsla
    f = nlml_factory(hnp, hnp.linalg.cholesky, hsla.solve_triangular, x, y)
    g_ref = hodiff.grad(f)(theta)
    results["hodiff grad"] = median_time(lambda: hodiff.grad(f)(theta), args.repeat)
    results["hodiff value_and_grad"] = median_time(
        lambda: hodiff.value_and_grad(f)(theta), args.repeat)
    versions = {"numpy": onp.__version__, "scipy": scipy.__version__,
                "hodiff": hodiff.__version__}

    # The floor of any gradient that goes through the Cholesky factor without knowing what
    # follows it: the plain evaluation plus the adjoint map (L^T C, then the congruence by
    # L^-1), timed alone on plain arrays, and hodiff's raw BLAS path for it.
    from hodiff.linalg import solves as _sv
    k = plain_kernel(x, theta)
    low = onp.linalg.cholesky(k)
    ct = onp.tril(onp.random.default_rng(1).standard_normal(k.shape))
    results["Cholesky alone (potrf)"] = median_time(lambda: onp.linalg.cholesky(k), args.repeat)
    results["Cholesky adjoint alone"] = median_time(lambda: _sv._adjoint_raw(low, ct),
                                                    args.repeat)

    try:
        import autograd
        import autograd.numpy as anp
        import autograd.scipy.linalg as asla
    except ImportError:
        print("autograd not installed: skipped")
    else:
        fa = nlml_factory(anp, anp.linalg.cholesky, asla.solve_triangular, x, y)
        assert onp.allclose(autograd.grad(fa)(theta), g_ref, rtol=1e-6), "autograd disagrees"
        results["autograd grad"] = median_time(lambda: autograd.grad(fa)(theta), args.repeat)
        versions["autograd"] = getattr(autograd, "__version__", "?")

    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        import jax.scipy.linalg as jsla
    except ImportError:
        print("jax not installed: skipped")
    else:
        fj = nlml_factory(jnp, jnp.linalg.cholesky, jsla.solve_triangular, jnp.asarray(x),
                          jnp.asarray(y))
        tj = jnp.asarray(theta)
        gj = jax.grad(fj)
        assert onp.allclose(onp.asarray(gj(tj)), g_ref, rtol=1e-6), "jax disagrees"
        results["jax eager value"] = median_time(lambda: fj(tj).block_until_ready(),
                                                 args.repeat)
        results["jax eager grad"] = median_time(lambda: gj(tj).block_until_ready(),
                                                args.repeat)
        fjit, gjit = jax.jit(fj), jax.jit(gj)
        results["jax jit value"] = median_time(lambda: fjit(tj).block_until_ready(),
                                               args.repeat)
        results["jax jit grad"] = median_time(lambda: gjit(tj).block_until_ready(),
                                              args.repeat)
        versions["jax"] = jax.__version__

    base = results["numpy (plain evaluation)"][0]
    lines = [f"GP negative log marginal likelihood, n = {args.n}, median of {args.repeat} "
             f"(one run; {platform.machine()}, {platform.python_version()})",
             f"{'':34s} {'median ms':>10s} {'x plain numpy':>14s}"]
    for name, (med, _) in results.items():
        lines.append(f"{name:34s} {1e3 * med:10.2f} {med / base:14.2f}")
    floor = results["Cholesky adjoint alone"][0]
    lines.append(f"floor (plain + the Cholesky adjoint alone) / plain: "
                 f"{(base + floor) / base:.2f}")
    if "jax jit value" in results:
        lines.append(f"jax jit grad / jax jit value: "
                     f"{results['jax jit grad'][0] / results['jax jit value'][0]:.2f}")
    lines.append("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    text = "\n".join(lines)
    print(text)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "gp.txt").write_text(text + "\n")
    (out / "gp.json").write_text(json.dumps(
        {"n": args.n, "repeat": args.repeat, "versions": versions,
         "results": {k: {"median_s": m, "times_s": t} for k, (m, t) in results.items()}},
        indent=1) + "\n")


if __name__ == "__main__":
    main()
