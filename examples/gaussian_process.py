"""Fit a Gaussian process's hyperparameters (length-scale, signal and noise levels) by
minimizing its negative log marginal likelihood with scipy.optimize, given hodiff's gradient
through a Cholesky factorization, triangular solves and the log-determinant. Saves a plot to
gaussian_process.png in the temporary directory (or the path given) when matplotlib is installed.

Run: python examples/gaussian_process.py [plot.png]
"""
import os
import sys
import tempfile

import numpy as onp
from scipy.optimize import minimize

import hodiff.numpy as np
import hodiff.scipy.linalg as sla
from hodiff import grad, hessian

rng = onp.random.default_rng(0)
TRUE_NOISE = 0.1
x = onp.sort(rng.uniform(-4, 4, 40))
y = onp.sin(1.5 * x) + TRUE_NOISE * rng.standard_normal(x.size)


def kernel(a, b, theta):
    """RBF kernel; theta = (log length-scale, log signal std, log noise std)."""
    d = (a[:, None] - b[None, :]) ** 2
    return np.exp(2 * theta[1]) * np.exp(-0.5 * d / np.exp(2 * theta[0]))


def nlml(theta):
    """Negative log marginal likelihood of y under the GP (Rasmussen & Williams eq. 2.30)."""
    k = kernel(x, x, theta) + np.exp(2 * theta[2]) * onp.eye(x.size)
    low = sla.cholesky(k, lower=True)
    alpha = sla.solve_triangular(low, y, lower=True)
    return (0.5 * np.sum(alpha ** 2) + np.sum(np.log(np.diagonal(low)))
            + 0.5 * x.size * onp.log(2 * onp.pi))


theta0 = onp.array([0.0, 0.0, 0.0])
result = minimize(nlml, theta0, jac=grad(nlml), method="L-BFGS-B")
ell, sf, sn = onp.exp(result.x)
print(result.message)
print(f"NLML {nlml(theta0):.3f} -> {result.fun:.3f} in {result.nit} iterations")
print(f"length-scale {ell:.3f}, signal std {sf:.3f}, noise std {sn:.3f} (true noise "
      f"{TRUE_NOISE})")
h = hessian(nlml)(result.x)
print("Hessian eigenvalues at the optimum:", onp.linalg.eigvalsh(h).round(3))

assert result.success and result.fun < nlml(theta0)
assert onp.linalg.norm(grad(nlml)(result.x)) < 1e-3
assert onp.all(onp.linalg.eigvalsh(h) > 0), "the optimum is a minimum"
assert 0.5 * TRUE_NOISE < sn < 2 * TRUE_NOISE

# Posterior mean and standard deviation on a grid, from the fitted hyperparameters.
xs = onp.linspace(-5, 5, 200)
k = kernel(x, x, result.x) + sn ** 2 * onp.eye(x.size)
ks = kernel(xs, x, result.x)
c = sla.cho_factor(k, lower=True)
mean = ks @ sla.cho_solve(c, y)
var = sf ** 2 - onp.sum(ks * sla.cho_solve(c, ks.T).T, axis=1)
sd = onp.sqrt(onp.maximum(var, 0))
assert onp.max(onp.abs(mean - onp.sin(1.5 * xs))[(xs > -3.5) & (xs < 3.5)]) < 0.3

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no plot")
else:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.fill_between(xs, mean - 2 * sd, mean + 2 * sd, alpha=0.25, label="±2 sd")
    ax.plot(xs, mean, label="posterior mean")
    ax.plot(xs, onp.sin(1.5 * xs), "k--", lw=1, label="truth")
    ax.plot(x, y, "k.", label="data")
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"GP fit: length-scale {ell:.2f}, noise {sn:.3f}")
    fig.tight_layout()
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(),
                                                              "gaussian_process.png")
    fig.savefig(path, dpi=100)
    print("saved", path)
