"""Reverse mode: a tape recorded while the function runs, walked backwards once.

Each recorded call appends one entry: a tuple of (parent index, vjp) pairs, where vjp maps the
output's cotangent to that parent's. Input leaves have empty entries.
Imports hodiff.core only.
"""
from __future__ import annotations

from typing import Any, Sequence

from hodiff.core.registry import Primitive
from hodiff.core.tracing import Box, Tag


class TapeBox(Box):
    __slots__ = ("_index",)

    def __init__(self, tag: Tag, primal: Any, index: int) -> None:
        self._tag = tag
        self._primal = primal
        self._index = index


class ReverseTag(Tag):
    """One reverse-mode call and its tape."""

    __slots__ = ("tape",)

    def __init__(self) -> None:
        super().__init__()
        self.tape: list = []

    def process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        primals = list(args)
        parents = []
        for i, a in enumerate(args):
            if type(a) is TapeBox and a._tag is self:
                primals[i] = a._primal
                parents.append((i, a._index))
        ans = prim(*primals, **kwargs)
        makers = prim.vjps
        entry = []
        for i, index in parents:
            maker = makers.get(i)
            if maker is None:
                raise prim.missing_rule(i, "reverse")
            entry.append((index, maker(ans, *primals, **kwargs)))
        tape = self.tape
        tape.append(entry)
        return TapeBox(self, ans, len(tape) - 1)

    def leaf(self, x: Any) -> TapeBox:
        """Box an input: it gets an empty tape entry."""
        self.tape.append(())
        return TapeBox(self, x, len(self.tape) - 1)

    def index_of(self, y: Any) -> int | None:
        """Tape index of an output box of this call, or None if it does not depend on the inputs."""
        if type(y) is TapeBox and y._tag is self:
            return y._index
        return None


def backward(tape: list, seeds: Sequence[tuple[int, Any]], leaves: Sequence[int],
             consume: bool) -> list:
    """Walk `tape` backwards from the seeded cotangents; return the leaves' cotangents (None: zero).

    With `consume`, entries are dropped as they are used so their memory goes back at once.
    """
    if not seeds:
        return [None] * len(leaves)
    cts: list = [None] * (max(i for i, _ in seeds) + 1)
    for i, ct in seeds:
        cts[i] = ct if cts[i] is None else cts[i] + ct
    for k in range(len(cts) - 1, -1, -1):
        ct = cts[k]
        entry = tape[k]
        if consume:
            tape[k] = None
        if ct is None or not entry:
            continue
        cts[k] = None  # not a leaf (leaves have empty entries): its cotangent is spent
        for parent, vjp in entry:
            c = vjp(ct)
            if c is not None:
                prev = cts[parent]
                cts[parent] = c if prev is None else prev + c
    return [cts[i] if i < len(cts) else None for i in leaves]
