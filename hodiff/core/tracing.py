"""Tags, boxes and the per-thread stack of live derivative calls that both interpreters share.

A `Tag` stands for one derivative call. Boxes carry the tag of the call that made them; the
interpreter of the newest live tag among a primitive's arguments handles it (see registry).
Imports nothing from hodiff.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as _np

# The live derivative calls of this thread (or asyncio task), outermost first. A tag's level is
# its position here; a box whose tag is not at its level in this stack has escaped its call
# (or came from another thread), and using it is an error.
_live: contextvars.ContextVar[tuple] = contextvars.ContextVar("hodiff_live", default=())


class EscapedTracerError(RuntimeError):
    """A traced value was used outside its derivative call (after it returned, or in another
    thread)."""


class TracerConversionError(TypeError):
    """A traced value was turned into a plain Python number or list (float(), int(), complex(),
    operator.index, .item(), .tolist(), math.*, or a plain numpy array), which would silently
    drop its derivative."""


class TracerItemError(TracerConversionError, AttributeError):
    """`.item()` / `.tolist()` on a traced value (autograd raises AttributeError there)."""


class TracerAssignmentError(TracerConversionError, ValueError):
    """A traced value was assigned into a plain numpy array (autograd raises ValueError)."""


class Tag:
    """One derivative call. Compared by identity: two calls never share a tag.

    `level` orders live tags (deeper calls have higher levels). `busy` counts the rules of
    this call now running: code inside a rule works one level down, so hodiff.numpy's
    constructors called there must not make constants of this call.
    """

    __slots__ = ("level", "busy")

    def __init__(self) -> None:
        self.level = len(_live.get())
        self.busy = 0

    def process(self, prim: Any, args: tuple, kwargs: dict) -> Any:
        """Apply `prim` to `args` (some of them this tag's boxes) and run its rules."""
        self.busy += 1  # constructors called by the rules belong to a lower level
        try:
            return self._process(prim, args, kwargs)
        finally:
            self.busy -= 1

    def _process(self, prim: Any, args: tuple, kwargs: dict) -> Any:  # pragma: no cover
        raise NotImplementedError

    def constant(self, x: Any) -> Any:
        """`x` as a box of this call that carries no derivative (yet): an array made by
        hodiff.numpy's constructors, which can take traced values by assignment. Tags that
        have no such boxes return `x` itself."""
        return x

    def is_constant(self, box: "Box") -> bool:
        """Whether `box` (one of this tag's) carries no derivative."""
        return False

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> tuple[Any, list, list]:
        """Open this tag's boxes among `args` and apply `prim` one level down.

        Returns (ans, primals, mine): the result, the arguments with this tag's boxes opened,
        and this tag's boxes as (position, box) pairs.
        """
        primals = list(args)
        mine = []
        deeper = False  # does any argument still carry a box once ours are opened?
        i = 0
        for a in args:
            if isinstance(a, Box):
                if a._tag is self:
                    p = primals[i] = a._primal
                    mine.append((i, a))
                    if isinstance(p, Box):
                        deeper = True
                else:
                    deeper = True
            i += 1
        ans = prim(*primals, **kwargs) if deeper else prim.fun(*primals, **kwargs)
        return ans, primals, mine


@contextmanager
def new_tag(tag: Tag) -> Iterator[Tag]:
    """Make `tag` the innermost derivative call of this thread while the block runs."""
    stack = _live.get()
    if len(stack) != tag.level:
        raise RuntimeError("a Tag must be entered in the thread and depth where it was made")
    token = _live.set(stack + (tag,))
    try:
        yield tag
    finally:
        _live.reset(token)


def is_live(tag: Tag) -> bool:
    """Whether `tag`'s derivative call is running in this thread now."""
    stack = _live.get()
    return tag.level < len(stack) and stack[tag.level] is tag


def current_depth() -> int:
    """How many derivative calls are live in this thread (0 outside all of them)."""
    return len(_live.get())


class Box:
    """A value traced by one derivative call: its `_primal` is the value one level down."""

    __slots__ = ("_tag", "_primal")
    # Make numpy defer binary operators (ndarray + box) to the box's reflected methods.
    __array_priority__ = 1000.0

    def __init__(self, tag: Tag, primal: Any) -> None:
        self._tag = tag
        self._primal = primal

    # Metadata reads through to the plain value; operators and methods are installed by
    # hodiff.numpy (box_methods), since they need its primitives.
    @property
    def shape(self) -> tuple:
        # The array's own attribute first: no numpy dispatch for CuPy or Dask values.
        x = unbox(self)
        s = getattr(x, "shape", None)
        return s if s is not None else _np.shape(x)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(_np.prod(self.shape))

    @property
    def dtype(self) -> Any:
        x = unbox(self)
        dt = getattr(x, "dtype", None)
        return dt if isinstance(dt, _np.dtype) else _np.result_type(x)


def unbox(x: Any) -> Any:
    """The plain value under any number of boxes (for metadata: shapes, dtypes, conditions)."""
    while isinstance(x, Box):
        x = x._primal
    return x


def open_constant(x: Any) -> Any:
    """`x`, with constant boxes whose derivative call has returned replaced by their value
    (arrays from hodiff.numpy's constructors that never took a traced value)."""
    while isinstance(x, Box) and not is_live(x._tag) and x._tag.is_constant(x):
        x = x._primal
    return x


def primal_value(x: Any) -> Any:
    """The plain value of `x` with every level of tracing removed, for logging and printing.

    It carries no derivative (like `hodiff.stop_gradient`), so use it only to look at a value,
    e.g. ``print(hodiff.primal_value(loss))`` or ``history.append(float(primal_value(loss)))``
    inside a differentiated function. Lists, tuples and dicts are walked.

    Example
    -------
    >>> from hodiff import grad
    >>> seen = []
    >>> g = grad(lambda x: (seen.append(float(primal_value(x ** 2))), x ** 2)[1])(3.0)
    >>> seen, float(g)
    ([9.0], 6.0)
    """
    if isinstance(x, Box):
        return unbox(x)
    if isinstance(x, (list, tuple)):
        return type(x)(primal_value(v) for v in x)
    if isinstance(x, dict):
        return {k: primal_value(v) for k, v in x.items()}
    return x


def conversion_error(box: Any, attempted: str, instead: str,
                     cls: type = TracerConversionError) -> TracerConversionError:
    """The error for turning traced `box` into a plain value by `attempted`."""
    raw = unbox(box)
    return cls(
        f"{attempted} was called on a traced value (shape {_np.shape(raw)}, dtype "
        f"{_np.result_type(raw)}) inside a derivative call: the plain number it gives carries "
        f"no derivative, so the result would be silently wrong. Ways out: {instead}; or, if "
        f"the value is meant to be a constant, hodiff.stop_gradient(x) first. To read the "
        f"plain value for logging or printing, use hodiff.primal_value(x) (or print(x) / "
        f"f\"{{x:.3f}}\", which work on traced values)."
    )


def escaped_error(box: Box) -> EscapedTracerError:
    return EscapedTracerError(
        f"A traced value ({type(box).__name__} of shape {_np.shape(unbox(box))}) is being used "
        "outside the derivative call that traced it: that call has returned, or it runs in "
        "another thread. This happens when a value computed inside grad/jvp/vjp/... is stored "
        "outside it (a global, a closure's list, an attribute) and read later. Return the "
        "value from the function instead, or take its plain value first with "
        "hodiff.stop_gradient(x) or hodiff.primal_value(x)."
    )
