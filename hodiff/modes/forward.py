"""Forward mode: dual numbers. A `DualBox` carries a primal and its tangent for one `ForwardTag`.

In vector mode the tangent has an extra leading axis of `batch` directions; primitives whose
rules don't declare `batch_jvp` get their rule mapped over that axis.
A missing forward rule is derived from the reverse rule (see reverse.jvp_from_vjp).
Imports hodiff.core and hodiff.modes.reverse.
"""
from __future__ import annotations

import sys as _sys
from typing import Any

import numpy as _np

from hodiff.core.registry import SUPPORT, Primitive
from hodiff.core.tracing import Box, Tag
from hodiff.core.vspace import add_leaves
from hodiff.modes.reverse import jvp_from_vjp


def _addable_in_place(a: Any, b: Any) -> bool:
    return (type(a) is _np.ndarray and type(b) is _np.ndarray and a.flags.owndata
            and a.flags.writeable and a.dtype == _np.result_type(a, b)
            and a.shape == _np.broadcast_shapes(a.shape, b.shape))


class DualBox(Box):
    __slots__ = ("_tangent",)

    def __init__(self, tag: Tag, primal: Any, tangent: Any) -> None:
        self._tag = tag
        self._primal = primal
        self._tangent = tangent


class ForwardTag(Tag):
    """One forward-mode call; `batch` is the number of directions in vector mode, else None."""

    __slots__ = ("batch",)

    def __init__(self, batch: int | None = None) -> None:
        super().__init__()
        self.batch = batch

    def _process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        if prim.fused_jvps:
            out = self._fused(prim, args, kwargs)
            if out is not None:
                return out
        ans, primals, mine = self.apply(prim, args, kwargs)
        rules = prim.jvps
        mapped = self.batch is not None and not prim.batch_jvp
        t_out = constant = None
        for i, box in mine:
            t = box._tangent
            if t is None:
                constant = True  # a constant box (an array from a constructor)
                continue
            rule = rules.get(i)
            if rule is None:
                if prim.vjps.get(i) is None:
                    raise prim.missing_rule(i, "forward")
                rule = jvp_from_vjp(prim, i)
            if mapped:
                t_i = SUPPORT["stack"](*[rule(t[k], ans, *primals, **kwargs)
                                        for k in range(self.batch)])
            else:
                t_i = rule(t, ans, *primals, **kwargs)
            if t_i is not None:
                if t_out is None:
                    t_out = t_i
                elif _sys.getrefcount(t_out) == 2 and _addable_in_place(t_out, t_i):
                    # t_out is a fresh array no one else holds (the count is this local and
                    # the call's argument): add into it rather than allocate another.
                    _np.add(t_out, t_i, out=t_out)
                else:
                    t_out = add_leaves(t_out, t_i)
        if t_out is None:
            return DualBox(self, ans, None) if constant else ans
        if isinstance(t_out, Box) and t_out._tag is self and t_out._tangent is None:
            t_out = t_out._primal  # a rule returned a constant made by a constructor
        return DualBox(self, ans, t_out)

    def constant(self, x: Any) -> DualBox:
        return DualBox(self, x, None)

    def is_constant(self, box: Box) -> bool:
        return box._tangent is None

    def _fused(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        """Primal and tangent from one call of the primitive's fused rule, when exactly one
        argument is traced (by this tag, over plain values, with a plain tangent)."""
        found = None
        for i, a in enumerate(args):
            if isinstance(a, Box):
                if found is not None or a._tag is not self:
                    return None
                found = i
        fused = prim.fused_jvps.get(found)
        box = args[found]
        t = box._tangent
        if fused is None or isinstance(box._primal, Box) or isinstance(t, Box):
            return None
        primals = list(args)
        primals[found] = box._primal
        out = fused(t, *primals, **kwargs)
        if out is None:
            return None
        return DualBox(self, out[0], out[1])

    def box(self, x: Any, t: Any) -> DualBox:
        return DualBox(self, x, t)

    def unbox_output(self, y: Any) -> tuple[Any, Any]:
        """(primal, tangent) of an output; tangent None when it does not depend on the input."""
        if type(y) is DualBox and y._tag is self:
            return y._primal, y._tangent
        return y, None
