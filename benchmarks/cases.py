"""Benchmark cases, each written once against a numpy-like module `np`, with exact references.

Also holds the hand-written numpy backprop for the MLP and the memory-case recurrence.
"""
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy

# --------------------------------------------------------------------------------------------
# Case 1: Taylor sine from the autograd tutorial, at x = pi (Python float input).


def make_taylor_sine(np):
    def taylor_sine(x):
        ans = currterm = x
        i = 0
        while np.abs(currterm) > 0.001:
            currterm = -currterm * x**2 / ((2 * i + 3) * (2 * i + 2))
            ans = ans + currterm
            i += 1
        return ans

    return taylor_sine


def taylor_sine_reference(x):
    """d taylor_sine / dx by forward-mode by hand (same loop, same stopping rule)."""
    ans = curr = x
    dans = dcurr = 1.0
    i = 0
    while abs(curr) > 0.001:
        c = (2 * i + 3) * (2 * i + 2)
        curr, dcurr = -curr * x**2 / c, -(dcurr * x**2 + curr * 2 * x) / c
        ans, dans = ans + curr, dans + dcurr
        i += 1
    return [numpy.float64(dans)]


# --------------------------------------------------------------------------------------------
# Case 2: 200-step scalar recurrence x <- 0.9 x + 0.1 sin(x), from x = 0.5.

RECURRENCE_STEPS = 200


def make_recurrence(np):
    def recurrence(x):
        for _ in range(RECURRENCE_STEPS):
            x = 0.9 * x + 0.1 * np.sin(x)
        return x

    return recurrence


def recurrence_reference(x):
    dx = 1.0
    for _ in range(RECURRENCE_STEPS):
        dx *= 0.9 + 0.1 * math.cos(x)
        x = 0.9 * x + 0.1 * math.sin(x)
    return [numpy.float64(dx)]


# --------------------------------------------------------------------------------------------
# Case 3: 784-512-512-10 tanh MLP, batch 256, float64, loss = sum((out - T)**2) / batch.

MLP_SIZES = (784, 512, 512, 10)
MLP_BATCH = 256


def mlp_inputs(seed=0):
    rng = numpy.random.default_rng(seed)
    params = [
        (rng.standard_normal((m, n)) / math.sqrt(m), 0.1 * rng.standard_normal(n))
        for m, n in itertools.pairwise(MLP_SIZES)
    ]
    X = rng.standard_normal((MLP_BATCH, MLP_SIZES[0]))
    T = numpy.eye(MLP_SIZES[-1])[rng.integers(0, MLP_SIZES[-1], MLP_BATCH)]
    return params, X, T


def make_mlp_loss(np):
    def loss(params, X, T):
        h = X
        for W, b in params[:-1]:
            h = np.tanh(h @ W + b)
        W, b = params[-1]
        out = h @ W + b
        return np.sum((out - T) ** 2) / X.shape[0]

    return loss


def mlp_hand_grad(params, X, T):
    """Hand-written numpy backprop of make_mlp_loss(numpy); returns [(dW, db), ...]."""
    hs = [X]
    for W, b in params[:-1]:
        hs.append(numpy.tanh(hs[-1] @ W + b))
    W, b = params[-1]
    out = hs[-1] @ W + b
    d = (2.0 / X.shape[0]) * (out - T)  # d loss / d out
    grads = []
    for k in range(len(params) - 1, -1, -1):
        W = params[k][0]
        h = hs[k]
        grads.append((h.T @ d, d.sum(axis=0)))
        if k:
            d = (d @ W.T) * (1.0 - h * h)
    return grads[::-1]


def mlp_reference(params, X, T):
    return flatten(mlp_hand_grad(params, X, T))


# --------------------------------------------------------------------------------------------
# Case 4 (memory): 1000 steps of x <- x/2 + tanh(x)/2 on a 1000-vector; grad of sum(x).

MEM_STEPS = 1000
MEM_SIZE = 1000
ONE_VECTOR_PER_STEP_BYTES = MEM_STEPS * MEM_SIZE * 8  # 7.63 MiB


def make_tanh_chain(np, steps=MEM_STEPS):
    def chain(x):
        for _ in range(steps):
            x = x / 2 + np.tanh(x) / 2
        return np.sum(x)

    return chain


def tanh_chain_input(seed=0):
    return numpy.random.default_rng(seed).standard_normal(MEM_SIZE)


def tanh_chain_reference(x, steps=MEM_STEPS):
    d = numpy.ones_like(x)
    for _ in range(steps):
        t = numpy.tanh(x)
        d *= 0.5 + 0.5 * (1.0 - t * t)
        x = x / 2 + t / 2
    return [d]


# --------------------------------------------------------------------------------------------
# Helpers and the table of timed cases.


def flatten(tree):
    """Leaves of nested lists/tuples/dicts, as float64 numpy arrays (works for jax and torch)."""
    if isinstance(tree, (list, tuple)):
        return [leaf for sub in tree for leaf in flatten(sub)]
    if isinstance(tree, dict):
        return [leaf for key in sorted(tree) for leaf in flatten(tree[key])]
    return [numpy.asarray(tree, dtype=numpy.float64)]


def max_rel_error(result, reference):
    """Largest |result - reference| / (max|reference| + tiny) over matching leaves, or inf."""
    got = flatten(result)
    if len(got) != len(reference):
        return math.inf
    err = 0.0
    for g, r in zip(got, reference, strict=True):
        if g.shape != numpy.shape(r):
            return math.inf
        scale = float(numpy.max(numpy.abs(r))) + 1e-300
        err = max(err, float(numpy.max(numpy.abs(g - r))) / scale)
    return err


@dataclass
class Case:
    name: str
    title: str
    make: Callable[[Any], Callable]  # np -> objective
    inputs: Callable[[], tuple]  # plain numpy / Python inputs
    reference: Callable[..., list]  # inputs -> flat list of gradient leaves
    hand: Callable | None = None  # hand-written numpy gradient, if any
    refs: dict = field(default_factory=dict)  # published reference ratios


CASES = [
    Case(
        "taylor_sine", "grad taylor_sine(pi)", make_taylor_sine, lambda: (math.pi,),
        taylor_sine_reference, refs={"autograd": 280, "torch": 130},
    ),
    Case(
        "recurrence", "grad 200-step sin recurrence", make_recurrence, lambda: (0.5,),
        recurrence_reference, refs={"autograd": 190, "torch": 90},
    ),
    Case(
        "mlp", "grad MLP 784-512-512-10, b=256", make_mlp_loss, mlp_inputs, mlp_reference,
        hand=mlp_hand_grad, refs={"hand": 2.3},
    ),
]
