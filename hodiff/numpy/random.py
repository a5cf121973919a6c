"""`import hodiff.numpy.random as npr`: numpy.random's functions, unchanged.

Random draws have no derivative, so nothing here is traced: pass plain values (a traced value
raises hodiff's clear conversion error). Imports only numpy.
"""
# ruff: noqa: F401, F403
import numpy.random as _random
from numpy.random import *  # noqa: F403

__all__ = list(_random.__all__)


def __getattr__(name):
    # numpy.random's names outside its __all__ (bit_generator, mtrand, ...).
    return getattr(_random, name)


def __dir__():
    return sorted(set(__all__) | {n for n in dir(_random) if not n.startswith("_")})
