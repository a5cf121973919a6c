"""A two-layer tanh network whose parameters are a nested dict of lists (as in seed 003), trained
with Adam from hodiff.misc.optimizers to tell three concentric rings apart.

Run: python examples/neural_net.py
"""
from itertools import pairwise

import numpy as onp

import hodiff.numpy as np
from hodiff import grad
from hodiff.misc.optimizers import adam


def init_params(rng, sizes, scale=0.5):
    """{'W': [W1, W2, ...], 'b': [b1, b2, ...]}: the structure the gradient will mirror."""
    return {"W": [scale * rng.standard_normal((m, n)) for m, n in pairwise(sizes)],
            "b": [scale * rng.standard_normal(n) for n in sizes[1:]]}


def log_softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))


def predict(params, x):
    h = x
    for W, b in zip(params["W"][:-1], params["b"][:-1]):
        h = np.tanh(h @ W + b)
    return log_softmax(h @ params["W"][-1] + params["b"][-1])


def loss(params, x, y):
    """Mean negative log-likelihood of one-hot labels y."""
    return -np.sum(predict(params, x) * y) / x.shape[0]


def accuracy(params, x, y):
    return onp.mean(onp.argmax(predict(params, x), axis=1) == onp.argmax(y, axis=1))


# Toy data: points in the plane labelled by ring (radius below 0.45, below 0.8, beyond): no
# linear model separates them, the hidden layer has to.
rng = onp.random.default_rng(0)
x = rng.uniform(-1, 1, (400, 2))
labels = onp.digitize(onp.hypot(x[:, 0], x[:, 1]), [0.45, 0.8])
y = onp.eye(3)[labels]

params = init_params(rng, [2, 32, 3])
dparams = grad(loss)(params, x, y)
print("gradient structure:", {k: [g.shape for g in v] for k, v in dparams.items()})


def objective_grad(params, i):
    return grad(loss)(params, x, y)


def report(params, i, g):
    if i % 200 == 0:
        print(f"step {i:4d}  loss {loss(params, x, y):.4f}  accuracy {accuracy(params, x, y):.2f}")


print(f"initial  loss {loss(params, x, y):.4f}  accuracy {accuracy(params, x, y):.2f}")
params = adam(objective_grad, params, callback=report, num_iters=1000, step_size=0.02)
print(f"trained  loss {loss(params, x, y):.4f}  accuracy {accuracy(params, x, y):.2f}")
