"""The tour run by ``python -m hodiff``: differentiate the seed documents' examples and print each
result beside the value it is checked against. Exits 1 if any check fails.
"""
from __future__ import annotations

import sys

import numpy as onp

import hodiff
import hodiff.numpy as np
from hodiff import grad, hessian, hvp, jacfwd, jacrev, value_and_grad
from hodiff.extend import defvjp, primitive
from hodiff.test_util import check_grads

onp.set_printoptions(precision=5, suppress=True, linewidth=100)
failures: list[str] = []
print(f"hodiff {hodiff.__version__} tour: each derivative beside the value it is checked against.")


def check(label: str, got, want, tol: float = 1e-8) -> None:
    """Print `got` beside `want` and record a failure if they differ by more than `tol`."""
    ok = onp.allclose(got, want, rtol=tol, atol=tol)
    print(f"  {label}: {got}  (expected {want})  {'ok' if ok else 'MISMATCH'}")
    if not ok:
        failures.append(label)


def section(title: str) -> None:
    print(f"\n{title}")


# -- 1. Python control flow (seed 001) ---------------------------------------------------------
def taylor_sine(x):  # Taylor approximation to sine function
    ans = currterm = x
    i = 0
    while np.abs(currterm) > 0.001:
        currterm = -currterm * x**2 / ((2 * i + 3) * (2 * i + 2))
        ans = ans + currterm
        i += 1
    return ans


section("1. A while loop (seed 001): grad of a Taylor-series sine at pi")
check("grad(taylor_sine)(pi) vs cos(pi)", grad(taylor_sine)(np.pi), np.cos(np.pi), tol=2e-3)


# -- 2. Logistic regression training (seed 001) ------------------------------------------------
def sigmoid(x):
    return 0.5 * (np.tanh(x / 2.0) + 1)


def training_loss(weights):
    preds = sigmoid(np.dot(inputs, weights))
    label_probabilities = preds * targets + (1 - preds) * (1 - targets)
    return -np.sum(np.log(label_probabilities))


inputs = np.array([[0.52, 1.12, 0.77],
                   [0.88, -1.08, 0.15],
                   [0.52, 0.06, -1.30],
                   [0.74, -2.49, 1.39]])
targets = np.array([True, True, False, True])

section("2. Logistic regression (seed 001): 100 steps of gradient descent")
weights = np.array([0.0, 0.0, 0.0])
initial = training_loss(weights)
for _ in range(100):
    weights -= grad(training_loss)(weights) * 0.01
trained = training_loss(weights)
print(f"  initial loss {initial:.4f} -> trained loss {trained:.4f}, weights {weights}")
check("initial loss vs 4*log(2)", initial, 4 * np.log(2))
check_grads(training_loss, order=2)(weights)
print("  check_grads(training_loss, order=2): fwd and rev, orders 1 and 2 ok")


# -- 3. A primitive with a hand-written VJP (seed 001) -----------------------------------------
@primitive
def logsumexp(x):
    """Numerically stable log(sum(exp(x)))"""
    max_x = np.max(x)
    return max_x + np.log(np.sum(np.exp(x - max_x)))


def logsumexp_vjp(ans, x):
    x_shape = x.shape
    return lambda g: np.full(x_shape, g) * np.exp(x - np.full(x_shape, ans))


defvjp(logsumexp, logsumexp_vjp)


def example_func(y):
    z = y**2
    lse = logsumexp(z)
    return np.sum(lse)


section("3. A custom primitive (seed 001): logsumexp with defvjp")
y = np.array([1.5, 6.7, 1e-10])
softmax = onp.exp(y**2 - onp.max(y**2)) / onp.sum(onp.exp(y**2 - onp.max(y**2)))
check("grad(example_func)(y) vs 2*y*softmax(y**2)", grad(example_func)(y), 2 * y * softmax)


# -- 4. Nested parameters (seed 003, translated from Lua) --------------------------------------
def neural_net(params, x, y):
    h1 = np.tanh(x @ params["W"][0] + params["b"][0])
    h2 = np.tanh(h1 @ params["W"][1] + params["b"][1])
    y_hat = h2 - np.log(np.sum(np.exp(h2)))
    return -np.sum(y_hat * y)


rng = onp.random.default_rng(0)
params = {"W": [rng.standard_normal((100, 50)), rng.standard_normal((50, 10))],
          "b": [rng.standard_normal(50), rng.standard_normal(10)]}
x, one_hot = rng.standard_normal((1, 100)), onp.eye(10)[[2]]

section("4. A two-layer net with params {'W': [W1, W2], 'b': [b1, b2]} (seed 003)")
loss, dparams = value_and_grad(neural_net)(params, x, one_hot)
shapes = {k: [v.shape for v in vs] for k, vs in dparams.items()}
print(f"  loss {loss:.4f}; gradient has the params' structure: {shapes}")
check_grads(neural_net, order=1)(params, x, one_hot)
print("  check_grads(neural_net) over the whole nested dict: ok")


# -- 5. Seed 004's logistic regression, with its printed values --------------------------------
def bce_loss(w, b):
    x, y = np.array([10, 0.4, 3.5]), 1
    model = 1 / (1 + np.exp(-(w @ x + b)))
    return -np.log(model) if y == 1 else -np.log(1 - model)


section("5. Seed 004: logistic regression gradients beside the seed's printed values")
w0, b0 = np.array([-0.5, 0.3, 1.0]), 2.0
dw, db = grad(bce_loss, (0, 1))(w0, b0)
with onp.printoptions(precision=15):
    check("loss", bce_loss(w0, b0), 0.430446744029496, tol=1e-12)
    check("w.grad", dw, [-3.49781451425635, -0.139912580570254, -1.2242350799897226], tol=1e-10)
    check("b.grad", db, -0.349781451425635, tol=1e-10)
    exact = -(1 - 1 / (1 + onp.exp(-0.62)))  # dloss/dz at z = w.x + b = 0.62
    check("b.grad vs the closed form -(1 - sigmoid(0.62))", db, exact, tol=1e-15)


# -- 6. Second order ---------------------------------------------------------------------------
def rosenbrock(v):
    return np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1.0 - v[:-1]) ** 2)


section("6. Hessian of Rosenbrock at (1, 1), forward-over-reverse; a Hessian-vector product")
p, direction = np.array([1.0, 1.0]), np.array([1.0, -1.0])
H = hessian(rosenbrock)(p)
check("hessian(rosenbrock)(p).ravel()", H.ravel(), [802.0, -400.0, -400.0, 200.0])
check("hvp(rosenbrock, p, v) vs H @ v", hvp(rosenbrock, p, direction), H @ direction)


# -- 7. Forward mode for a tall Jacobian -------------------------------------------------------
def tall(v):
    return np.array([np.sin(v[0]), v[0] * v[1], np.exp(v[1]), v[0] ** 2, v[1] ** 3])


section("7. jacfwd of R^2 -> R^5 (one vector-mode forward pass) vs jacrev")
J = jacfwd(tall)(np.array([1.0, 2.0]))
print(f"  jacfwd(tall)(1, 2), shape {J.shape}: {J.tolist()}")
check("max |jacfwd - jacrev|", onp.max(onp.abs(J - jacrev(tall)(np.array([1.0, 2.0])))), 0.0)


# -- 8. The complex convention (seed 001) ------------------------------------------------------
section("8. Complex inputs: grad = du/dx - i du/dy for f = u + i v")
z = 1.0 + 2.0j
check("grad(|z|^2) at 1+2j vs 2*conj(z)", grad(lambda z: np.abs(z) ** 2)(z), 2 * np.conj(z))
check("grad(z**3) (holomorphic) vs 3*z**2", grad(lambda z: z**3)(z), 3 * z**2)


# -- 9. Never a silently wrong derivative (docs/errors.md) -------------------------------------
section("9. Assignment into hodiff arrays is differentiated; leaving the trace raises")


def filled(x):
    A = np.zeros(3)  # hodiff.numpy's constructors take traced values by assignment
    A[0] = x
    print(f"  inside the derivative call, f-strings still print: A[0] = {A[0]:.3f}")
    return np.sum(A**2) + x


check("grad(A = np.zeros(3); A[0] = x; sum(A**2) + x) at 2", grad(filled)(2.0), 5.0)
check("grad(np.prod)([0, 2, 3]) (exact at zeros)", grad(np.prod)(np.array([0.0, 2.0, 3.0])),
      [6.0, 0.0, 0.0])
try:
    grad(lambda x: float(x) * x)(3.0)
    check("float(x) on a traced value raises", 0.0, 1.0)
except hodiff.TracerConversionError as e:
    print(f"  float(x) on a traced value raises {type(e).__name__}: {str(e)[:72]}...")

# -- 10. Breadth: FFT, linear algebra, SciPy, Taylor mode, holomorphic Jacobians -------------
section("10. FFT, linalg, scipy.stats, Taylor mode and holomorphic Jacobians")
import hodiff.scipy.stats.norm as norm  # noqa: E402

x = np.array([0.3, -1.2, 0.8, 2.0])
check("grad(sum |fft(x)|^2) vs 2 n x (Parseval)",
      grad(lambda x: np.sum(np.abs(np.fft.fft(x)) ** 2))(x), 2 * 4 * x)
A = np.array([[4.0, 1.0], [1.0, 3.0]])
check("grad(log det A) vs inv(A).T", grad(lambda A: np.linalg.slogdet(A)[1])(A),
      np.linalg.inv(A).T)
check("d/dscale norm.logpdf(1; 0, 2) vs -1/s + x^2/s^3",
      grad(norm.logpdf, argnum=2)(1.0, 0.0, 2.0), -0.5 + 1 / 8)
check("third derivative of tanh at 0 by Taylor mode vs -2",
      hodiff.taylor(np.tanh, 0.0, 1.0, 3)[3], -2.0)
zs = np.array([1.0 + 1.0j, 0.5 - 2.0j])
check("jacfwd(exp, holomorphic=True) vs diag(exp(z))",
      hodiff.jacfwd(np.exp, holomorphic=True, check_holomorphic=True)(zs), np.diag(np.exp(zs)))

print(f"\nhodiff {hodiff.__version__}: "
      + ("all checks passed." if not failures else f"FAILED: {', '.join(failures)}"))
sys.exit(1 if failures else 0)
