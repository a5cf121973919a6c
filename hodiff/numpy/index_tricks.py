"""`r_` and `c_` that accept traced pieces: numpy's rules for slices, directive strings
('0,2,1'), scalars and arrays, ending in one concatenate (whose rules carry the derivative).
Imports hodiff.core and the numpy family modules.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, unbox
from hodiff.numpy.shape import concatenate, reshape, transpose
from hodiff.numpy.shorthand import shape_of

COMPOSITES = {"r_": "concatenate along the first axis", "c_": "concatenate along the last"}


def _ndmin(x, ndmin):
    s = shape_of(x)
    return reshape(x, (1,) * (ndmin - len(s)) + s) if len(s) < ndmin else x


class _Concatenator:
    """numpy's AxisConcatenator, for pieces that may be traced."""

    def __init__(self, plain, axis, ndmin, trans1d):
        self.plain, self.axis, self.ndmin, self.trans1d = plain, axis, ndmin, trans1d

    def __len__(self):
        return 0

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        if not any(isinstance(k, Box) for k in key):
            return self.plain[key]
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs, types = [], []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                if item in ("r", "c"):
                    raise NotImplementedError("matrix output ('r', 'c') with traced pieces")
                vec = item.split(",")
                axis = int(vec[0])
                if len(vec) > 1:
                    ndmin = int(vec[1])
                if len(vec) > 2:
                    trans1d = int(vec[2])
                continue
            if isinstance(item, slice):
                obj = self.plain[item]  # a plain range (arange or linspace)
                if ndmin > 1:
                    obj = _np.array(obj, ndmin=ndmin)
                    if trans1d != -1:
                        obj = obj.swapaxes(-1, trans1d)
                objs.append(obj)
                types.append(obj.dtype)
                continue
            if not isinstance(item, Box) and type(item) in _np.ScalarType:
                types.append(item)
                objs.append(_np.array(item, ndmin=ndmin))
                continue
            nd = len(shape_of(item))
            obj = _ndmin(item if isinstance(item, Box) else _np.asarray(item), ndmin)
            if trans1d != -1 and nd < ndmin:
                k2, k1 = ndmin - nd, trans1d
                if k1 < 0:
                    k1 += k2 + 1
                dflt = list(range(ndmin))
                obj = transpose(obj, tuple(dflt[:k1] + dflt[k2:] + dflt[k1:k2]))
            objs.append(obj)
            types.append(_np.result_type(unbox(obj)))
        final = _np.result_type(*types)
        objs = [o if isinstance(o, Box) else _np.asarray(o, dtype=final) for o in objs]
        return concatenate(objs, axis=axis)


r_ = _Concatenator(_np.r_, 0, 1, -1)
c_ = _Concatenator(_np.c_, -1, 2, 0)
