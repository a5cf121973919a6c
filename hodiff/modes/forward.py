"""Forward mode: dual numbers. A `DualBox` carries a primal and its tangent for one `ForwardTag`.

In vector mode the tangent has an extra leading axis of `batch` directions; primitives whose
rules don't declare `batch_jvp` get their rule mapped over that axis. A vector-mode tangent may
also be held as a `ScaledTangent` (directions times an unbatched factor) while it passes through
elementwise rules, which then multiply the small factor instead of every direction.
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


class ScaledTangent:
    """A vector-mode tangent kept as ``base * scale``: `base` has the leading batch axis and
    `scale` is shaped like the primal (or broadcasts to it, never with more axes).

    Elementwise rules (those whose jvp carries ``accepts_scaled``) multiply the tangent by an
    unbatched partial; on this form that product costs the size of one direction, not of all
    of them, and a tangent no one reads is never formed. Every other rule, and every output,
    gets the product itself (`dense`), computed once.
    """

    __slots__ = ("base", "scale", "_dense")

    def __init__(self, base: Any, scale: Any) -> None:
        self.base = base
        self.scale = scale
        self._dense = None

    @property
    def shape(self) -> tuple:
        return self.base.shape

    def dense(self) -> Any:
        if self._dense is None:
            self._dense = self.base * self.scale
        return self._dense

    def times(self, d: Any) -> "ScaledTangent":
        """This tangent times `d`, shaped like (or broadcasting to) the primal."""
        return ScaledTangent(self.base, self.scale * d)


def scaled(t: Any, d: Any) -> ScaledTangent:
    """``t * d`` as a ScaledTangent, for a vector-mode tangent `t` (plain or scaled) and an
    unbatched factor `d` that broadcasts to the primal's shape without adding axes."""
    if type(t) is ScaledTangent:
        return t.times(d)
    return ScaledTangent(t, d)


def _dense(t: Any) -> Any:
    return t.dense() if type(t) is ScaledTangent else t


def _add_tangents(a: Any, b: Any) -> Any:
    if type(a) is ScaledTangent and type(b) is ScaledTangent and a.base is b.base:
        return ScaledTangent(a.base, a.scale + b.scale)  # (base * s1) + (base * s2)
    return add_leaves(_dense(a), _dense(b))


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
            if type(t) is ScaledTangent and not getattr(rule, "accepts_scaled", False):
                t = t.dense()
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
                    t_out = _add_tangents(t_out, t_i)
        if t_out is None:
            return DualBox(self, ans, None) if constant else ans
        if isinstance(t_out, Box) and t_out._tag is self and t_out._tangent is None:
            t_out = t_out._primal  # a rule returned a constant made by a constructor
        return DualBox(self, ans, t_out)

    def constant(self, x: Any) -> DualBox:
        return DualBox(self, x, None)

    def is_constant(self, box: Box) -> bool:
        return box._tangent is None

    def box(self, x: Any, t: Any) -> DualBox:
        return DualBox(self, x, t)

    def unbox_output(self, y: Any) -> tuple[Any, Any]:
        """(primal, tangent) of an output; tangent None when it does not depend on the input."""
        if type(y) is DualBox and y._tag is self:
            return y._primal, _dense(y._tangent)
        return y, None
