"""`import hodiff.numpy as np`: numpy's namespace, with differentiable versions of its functions.

Names hodiff has rules for come from the family modules; every other name is numpy's own (a
traced value handed to one of those raises a clear error instead of losing its derivative).
"""
# ruff: noqa: F401, F403
import importlib as _importlib

import numpy as _np
from numpy import *  # noqa: F403  (numpy's constants, dtypes and the functions with no rules)
from numpy import random  # noqa: F401

from hodiff.numpy import box_methods as _box_methods
from hodiff.numpy import elementwise as _elementwise
from hodiff.numpy import linear as _linear
from hodiff.numpy import reductions as _reductions
from hodiff.numpy import shape as _shape
from hodiff.numpy.shape import array, asarray
from hodiff.numpy import (arrangement as _arrangement, calculus as _calculus,
                          mathfuncs as _mathfuncs, products as _products, signal as _signal,
                          statistics as _statistics, index_tricks as _index_tricks,
                          ranges as _ranges)

ndarray = _np.ndarray
# A real submodule (`import hodiff.numpy.fft` works); imported by name because numpy's star
# import already left its own `fft` attribute here.
fft = _importlib.import_module("hodiff.numpy.fft")


def _export(module):
    for name in dir(module):
        if not name.startswith("_") and (name in dir(_np) or name in _EXTRA):
            globals()[name] = getattr(module, name)


_EXTRA = {"getitem", "untake", "einsum_prim", "index_update"}
for _module in (_elementwise, _reductions, _shape, _linear, _arrangement, _calculus, _mathfuncs,
                _products, _signal, _statistics, _index_tricks, _ranges):
    _export(_module)
astype = _box_methods.astype
del _module
