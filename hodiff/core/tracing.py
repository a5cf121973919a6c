"""Tags, boxes and the per-thread nesting depth that both interpreters share.

A `Tag` stands for one derivative call. Boxes carry the tag of the call that made them; the
interpreter of the newest live tag among a primitive's arguments handles it (see registry).
Imports nothing from hodiff.
"""
from __future__ import annotations

import contextvars

import numpy as _np
from contextlib import contextmanager
from typing import Any, Iterator

# Depth of nested derivative calls in this thread (or asyncio task): the level of the next tag.
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("hodiff_depth", default=0)


class EscapedTracerError(RuntimeError):
    """A traced value was used after the derivative call that made it had returned."""


class Tag:
    """One derivative call. Compared by identity: two calls never share a tag.

    `level` orders live tags (deeper calls have higher levels); `live` turns False when the
    call returns, so a box that escaped it is caught when it is used again.
    """

    __slots__ = ("level", "live")

    def __init__(self) -> None:
        self.level = _depth.get()
        self.live = True

    def process(self, prim: Any, args: tuple, kwargs: dict) -> Any:  # pragma: no cover
        raise NotImplementedError


@contextmanager
def new_tag(tag: Tag) -> Iterator[Tag]:
    """Make `tag` the innermost derivative call of this thread while the block runs."""
    token = _depth.set(tag.level + 1)
    try:
        yield tag
    finally:
        _depth.reset(token)
        tag.live = False


def current_depth() -> int:
    """How many derivative calls are live in this thread (0 outside all of them)."""
    return _depth.get()


class Box:
    """A value traced by one derivative call: its `_primal` is the value one level down."""

    __slots__ = ("_tag", "_primal")
    # Make numpy defer binary operators (ndarray + box) to the box's reflected methods.
    __array_priority__ = 1000.0

    def __init__(self, tag: Tag, primal: Any) -> None:
        self._tag = tag
        self._primal = primal


def unbox(x: Any) -> Any:
    """The plain value under any number of boxes (for metadata: shapes, dtypes, conditions)."""
    while isinstance(x, Box):
        x = x._primal
    return x


def escaped_error(box: Box) -> EscapedTracerError:
    return EscapedTracerError(
        f"A traced value ({type(box).__name__} of shape {getattr(unbox(box), 'shape', ())}) "
        "is being used after the derivative call that traced it has returned. This happens "
        "when a value computed inside grad/jvp/vjp/... is stored outside it (a global, a "
        "closure's list, an attribute) and read later. Return the value from the function "
        "instead, or take its plain value first with hodiff.stop_gradient / float()."
    )


def _box_shape(self: Box) -> tuple:
    return _np.shape(unbox(self))


def _box_dtype(self: Box) -> Any:
    return _np.result_type(unbox(self))


Box.shape = property(_box_shape)  # type: ignore[attr-defined]
Box.ndim = property(lambda self: len(_box_shape(self)))  # type: ignore[attr-defined]
Box.size = property(lambda self: int(_np.prod(_box_shape(self))))  # type: ignore[attr-defined]
Box.dtype = property(_box_dtype)  # type: ignore[attr-defined]
