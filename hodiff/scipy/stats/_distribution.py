"""What every distribution module shares: module objects that can be called to freeze the
parameters (``norm(loc, scale).logpdf(x)``, as scipy.stats), loc-scale families built from a
standard form, and quantiles by implicit differentiation.
Imports hodiff.numpy, hodiff.extend (stop_gradient) and hodiff.scipy.special.
"""
from __future__ import annotations

import sys
import types

import numpy as _np

import hodiff.numpy as np
from hodiff.extend import stop_gradient


class Frozen:
    """A distribution with its parameters fixed: each method passes them after its own
    arguments (``frozen.logpdf(x)`` is ``module.logpdf(x, *args, **kwds)``)."""

    def __init__(self, module: types.ModuleType, args: tuple, kwds: dict) -> None:
        self._module, self.args, self.kwds = module, args, kwds

    def __getattr__(self, name: str):
        fun = getattr(self._module, name)
        if not callable(fun) or name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwds: fun(*args, *self.args, **{**self.kwds, **kwds})

    def __repr__(self) -> str:
        return f"<frozen {self._module.__name__}{self.args}>"


class DistributionModule(types.ModuleType):
    """A module that, called with parameters, returns them frozen (scipy.stats' style)."""

    def __call__(self, *args, **kwds) -> Frozen:
        return Frozen(self, args, kwds)


def make_callable(module_name: str) -> None:
    """Let the module `module_name` be called to freeze a distribution."""
    sys.modules[module_name].__class__ = DistributionModule


def standardize(x, loc, scale):
    return (x - loc) / scale


def outside_to(value, inside, fill):
    """`value` where `inside` (a plain mask), `fill` elsewhere, as scipy returns outside the
    support (-inf for a log density, 0 for a density)."""
    if _np.all(inside):
        return value
    return np.where(inside, value, fill)


def safe(z, inside, stand_in):
    """z where inside, a harmless stand-in elsewhere, so no nan or warning appears in the
    unused branch (nor in its derivative)."""
    if _np.all(inside):
        return z
    return np.where(inside, z, stand_in)


def plain(x):
    from hodiff.core import unbox
    return _np.asarray(unbox(x))


def implicit_quantile(q, start, cdf, pdf, args):
    """The quantile x with cdf(x, *args) = q, differentiable in q and args.

    `start` is the quantile from scipy (a plain value). Two Newton steps from it, as a
    constant, give the value back and derivatives that are exact to order 3: one step makes
    the error O(d^2) in a perturbation d of (q, args), the second O(d^4) (implicit function
    theorem: dx = (dq - dF) / pdf).
    """
    x = stop_gradient(start)
    for _ in range(2):
        x = x - (cdf(x, *args) - q) / pdf(x, *args)
    return x
