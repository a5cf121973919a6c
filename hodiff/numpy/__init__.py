"""`import hodiff.numpy as np`: numpy's namespace, with differentiable versions of its functions.

Names hodiff has rules for come from the family modules; every other name is numpy's own (a
traced value handed to one of those raises a clear error instead of losing its derivative).
"""
# ruff: noqa: F401, F403
import sys as _sys

import numpy as _np
from numpy import *  # noqa: F403  (numpy's constants, dtypes and the functions with no rules)

from hodiff.numpy import box_methods as _box_methods
from hodiff.numpy import elementwise as _elementwise
from hodiff.numpy import linear as _linear
from hodiff.numpy import reductions as _reductions
from hodiff.numpy import shape as _shape
from hodiff.numpy import taylor_rules as _taylor_rules
from hodiff.numpy.shape import array, asarray
from hodiff.numpy import arrangement as _arrangement
from hodiff.numpy import calculus as _calculus
from hodiff.numpy import index_tricks as _index_tricks
from hodiff.numpy import mathfuncs as _mathfuncs
from hodiff.numpy import products as _products
from hodiff.numpy import ranges as _ranges
from hodiff.numpy import signal as _signal
from hodiff.numpy import statistics as _statistics

ndarray = _np.ndarray

# hodiff.numpy.fft as a real submodule (`import hodiff.numpy.fft as fft` works); numpy's own
# module from the star import above is dropped first, or the import would hand that back.
globals().pop("fft", None)
from hodiff.numpy import fft  # noqa: E402


def _export(module):
    for name in dir(module):
        if not name.startswith("_") and (name in dir(_np) or name in _EXTRA):
            globals()[name] = getattr(module, name)


_EXTRA = {"getitem", "untake", "einsum_prim", "index_update"}
for _module in (_elementwise, _reductions, _shape, _linear, _arrangement, _calculus, _mathfuncs,
                _products, _signal, _statistics, _index_tricks, _ranges):
    _export(_module)
astype = _box_methods.astype
_taylor_rules.install()
del _module

# numpy.random as an importable submodule (`import hodiff.numpy.random as npr`); numpy's own
# module is dropped first, or the import below would return it instead of loading ours.
globals().pop("random", None)
from hodiff.numpy import random  # noqa: E402

# numpy.linalg's names with derivative rules (hodiff.linalg holds the rules).
from hodiff.numpy.linalg import __name__ as _linalg  # noqa: E402  (loads the module)

linalg = _sys.modules[_linalg]  # in place of numpy.linalg from the star import above
