"""Minimize the Rosenbrock function with scipy's Newton-CG, given hodiff's exact gradient and
Hessian-vector products (never forming the Hessian).

Run: python examples/newton_cg.py
"""
import numpy as onp
from scipy.optimize import minimize

import hodiff.numpy as np
from hodiff import grad, hessian_vector_product


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


x0 = onp.array([-1.2, 1.0, -0.5, 0.8, 1.5, -1.0, 0.3, 0.0, 1.1, -0.7])
counts = {"hessp": 0}


def hessp(x, p):
    counts["hessp"] += 1
    return hessian_vector_product(rosenbrock)(x, p)  # H(x) @ p, forward-over-reverse


result = minimize(rosenbrock, x0, method="Newton-CG", jac=grad(rosenbrock), hessp=hessp,
                  options={"xtol": 1e-10})
print(result.message)
print(f"f(x*) = {result.fun:.3e} after {result.nit} iterations, {result.njev} gradients, "
      f"{counts['hessp']} Hessian-vector products")
print("x* =", result.x.round(8))
print("distance to the minimum (1, ..., 1):", onp.linalg.norm(result.x - 1))
