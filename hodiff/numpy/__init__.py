"""`import hodiff.numpy as np`: numpy's namespace, with differentiable versions of its functions.

Names hodiff has rules for come from the family modules; every other name is numpy's own (a
traced value handed to one of those raises a clear error instead of losing its derivative).
"""
# ruff: noqa: F401, F403
import sys as _sys

import numpy as _np
from numpy import *  # noqa: F403  (numpy's constants, dtypes and the functions with no rules)
from numpy import fft, random  # noqa: F401

from hodiff.numpy import box_methods as _box_methods
from hodiff.numpy import elementwise as _elementwise
from hodiff.numpy import linear as _linear
from hodiff.numpy import reductions as _reductions
from hodiff.numpy import shape as _shape
from hodiff.numpy.shape import array, asarray

ndarray = _np.ndarray


def _export(module):
    for name in dir(module):
        if not name.startswith("_") and (name in dir(_np) or name in _EXTRA):
            globals()[name] = getattr(module, name)


_EXTRA = {"getitem", "untake", "einsum_prim", "index_update"}
for _module in (_elementwise, _reductions, _shape, _linear):
    _export(_module)
astype = _box_methods.astype
del _module

# numpy.linalg's names with derivative rules (hodiff.linalg holds the rules).
from hodiff.numpy.linalg import __name__ as _linalg  # noqa: E402  (loads the module)

linalg = _sys.modules[_linalg]  # in place of numpy.linalg from the star import above
