"""Gradient descent over complex parameters: fit z to minimize the real loss |A z - b|^2.

hodiff's grad of a real function of z = x + iy is du/dx - i du/dy (seed 001's convention), so the
steepest-descent step is along the complex conjugate of the gradient.
Run: python examples/complex_optimization.py
"""
import numpy as onp

import hodiff.numpy as np
from hodiff import grad

rng = onp.random.default_rng(0)
A = rng.standard_normal((8, 3)) + 1j * rng.standard_normal((8, 3))
b = rng.standard_normal(8) + 1j * rng.standard_normal(8)


def loss(z):
    r = np.dot(A, z) - b
    return np.sum(np.abs(r) ** 2)


# Under the convention, grad of |Az - b|^2 is A^T conj(Az - b) * 2 = conj(2 A^H (Az - b)).
z = onp.zeros(3, dtype=complex)
g = grad(loss)(z)
print("grad at 0:          ", g.round(6))
print("conj(2 A^H (Az-b)): ", onp.conj(2 * A.conj().T @ (A @ z - b)).round(6))

step = 0.02
for i in range(61):
    if i % 10 == 0:
        print(f"step {i:3d}  loss {loss(z):.6f}")
    z = z - step * np.conj(grad(loss)(z))

z_star = onp.linalg.lstsq(A, b, rcond=None)[0]
print("gradient descent:", z.round(6))
print("least squares:   ", z_star.round(6))
print("distance:", onp.linalg.norm(z - z_star))

# Stepping along the gradient itself, not its conjugate, is not a descent direction here.
z = onp.zeros(3, dtype=complex)
for _ in range(60):
    z = z - step * grad(loss)(z)
print(f"without the conjugate, loss after 60 steps: {loss(z):.3g}")
