"""Adapters giving each library the same face: a numpy-like `np`, an autograd-style `grad`,
`asarray` (how array inputs are handed over) and `sync` (waits for asynchronous results).
"""
import importlib.metadata
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent

# Timing columns, in table order; "numpy" is the plain evaluation (the denominator of every
# ratio) and "hand" the hand-written numpy backprop (MLP only). Both come from one worker.
COLUMNS = ["numpy", "hand", "hodiff", "autograd", "jax", "jax-jit", "torch"]
WORKERS = ["numpy", "hodiff", "autograd", "jax", "jax-jit", "torch"]
MEMORY_WORKERS = ["numpy", "hodiff", "autograd", "jax", "torch"]


def _identity(x):
    return x


@dataclass
class Lib:
    name: str
    np: Any
    grad: Callable | None  # grad(fun, argnum=0) -> gradient function; None for plain numpy
    version: str
    asarray: Callable = _identity
    sync: Callable = _identity
    tracemalloc_visible: bool = True  # are its array allocations seen by tracemalloc?


def dist_version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _load_numpy():
    import numpy

    return Lib("numpy", numpy, None, numpy.__version__)


def _load_hodiff():
    # Benchmark the working tree, whether or not hodiff is installed.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    import hodiff
    import hodiff.numpy as hnp
    from hodiff import grad

    version = f"{getattr(hodiff, '__version__', '?')} ({Path(hodiff.__file__).parent})"
    return Lib("hodiff", hnp, grad, version)


def _load_autograd():
    import autograd.numpy as anp
    from autograd import grad

    return Lib("autograd", anp, grad, dist_version("autograd") or "?")


def _load_jax(jit):
    import jax

    jax.config.update("jax_enable_x64", True)  # before any array is created
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp

    if jit:
        def grad(fun, argnum=0):
            return jax.jit(jax.grad(fun, argnums=argnum))
    else:
        def grad(fun, argnum=0):
            return jax.grad(fun, argnums=argnum)

    return Lib(
        "jax-jit" if jit else "jax", jnp, grad, jax.__version__, asarray=jnp.asarray,
        sync=jax.block_until_ready, tracemalloc_visible=False,
    )


def _load_torch():
    import torch

    torch.set_default_dtype(torch.float64)

    def leaves_of(tree):
        if isinstance(tree, (list, tuple)):
            return [leaf for sub in tree for leaf in leaves_of(sub)]
        return [tree]

    def rebuild(tree, it):
        if isinstance(tree, (list, tuple)):
            return type(tree)(rebuild(sub, it) for sub in tree)
        return next(it)

    def grad(fun, argnum=0):
        """Eager reverse mode: fresh requires-grad leaves per call, then torch.autograd.grad."""
        def gradfun(*args):
            args = list(args)
            leaves = [
                torch.as_tensor(leaf, dtype=torch.float64).detach().requires_grad_(True)
                for leaf in leaves_of(args[argnum])
            ]
            args[argnum] = rebuild(args[argnum], iter(leaves))
            grads = torch.autograd.grad(fun(*args), leaves)
            return rebuild(args[argnum], iter(grads))

        return gradfun

    def asarray(a):
        return torch.from_numpy(a) if hasattr(a, "__array__") else a

    return Lib(
        "torch", torch, grad, torch.__version__, asarray=asarray, tracemalloc_visible=False,
    )


LOADERS = {
    "numpy": _load_numpy,
    "hodiff": _load_hodiff,
    "autograd": _load_autograd,
    "jax": lambda: _load_jax(jit=False),
    "jax-jit": lambda: _load_jax(jit=True),
    "torch": _load_torch,
}


def load(name):
    return LOADERS[name]()


def to_lib(lib, tree):
    """Hand nested numpy inputs to `lib` (lists/tuples keep their structure)."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(to_lib(lib, sub) for sub in tree)
    if isinstance(tree, float):
        return tree  # Python floats stay Python floats: that is the case being measured
    return lib.asarray(tree)
