"""Reverse mode: a tape recorded while the function runs, walked backwards once.

Each recorded call appends one entry: a flat tuple (parent index, vjp, parent index, vjp, ...),
where vjp maps the output's cotangent to that parent's (flat, to keep the tape small). Input
leaves have empty entries.
Imports hodiff.core only.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as _np

from hodiff.core.registry import Primitive
from hodiff.core.tracing import Box, Tag, new_tag, unbox
from hodiff.core.vspace import SparseObject, add_leaves, custom_space


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

    def _process(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        ans, primals, mine = self.apply(prim, args, kwargs)
        makers = prim.vjps
        entry: tuple = ()
        for i, box in mine:
            if box._index is None:
                continue  # a constant box: nothing to send its cotangent to
            maker = makers.get(i)
            if maker is None:
                if prim.jvps.get(i) is None:
                    raise prim.missing_rule(i, "reverse")
                maker = vjp_from_jvp(prim, i)
            entry += (box._index, maker(ans, *primals, **kwargs))
        if not entry:
            return TapeBox(self, ans, None)  # only constants of this call: so is the result
        tape = self.tape
        tape.append(entry)
        return TapeBox(self, ans, len(tape) - 1)

    def constant(self, x: Any) -> TapeBox:
        return TapeBox(self, x, None)

    def is_constant(self, box: Box) -> bool:
        return box._index is None

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
        cts[i] = ct if cts[i] is None else _accumulate(cts[i], ct)
    for k in range(len(cts) - 1, -1, -1):
        ct = cts[k]
        entry = tape[k]
        if consume:
            tape[k] = None
        if ct is None or not entry:
            continue
        if type(ct) is SparseObject:
            ct = ct.dense()
        cts[k] = None  # not a leaf (leaves have empty entries): its cotangent is spent
        for j in range(0, len(entry), 2):
            c = entry[j + 1](ct)
            if c is not None:
                parent = entry[j]
                prev = cts[parent]
                if prev is None:
                    cts[parent] = c
                else:
                    try:
                        cts[parent] = prev + c
                    except TypeError:  # values of a user's type without `+` (VSpace.register)
                        cts[parent] = _accumulate(prev, c)
    out = [cts[i] if i < len(cts) else None for i in leaves]
    return [c.dense() if type(c) is SparseObject else c for c in out]


def _accumulate(a: Any, b: Any) -> Any:
    # The slow path of `a + b`: sparse cotangents made dense, a user's types added by their space.
    if type(a) is SparseObject:
        a = a.dense()
    if type(b) is SparseObject:
        b = b.dense()
    return a + b if custom_space(a) is None else add_leaves(a, b)


# -- a missing rule derived from the other one, by transposition --------------------------------
# Both rules are linear in the tangent/cotangent and built from hodiff's own primitives, so
# recording one on a tape and walking the tape backwards applies its transpose.
def _transpose(linear: Any, zero: Any, ct: Any) -> Any:
    tag = ReverseTag()
    with new_tag(tag):
        leaf = tag.leaf(zero)
        index = tag.index_of(linear(leaf))
    if index is None:
        return None
    return backward(tag.tape, [(index, ct)], [leaf._index], True)[0]


def _derived(prim: Primitive, argnum: int, have: str, want: str, run: Any) -> Any:
    try:
        return run()
    except TypeError as e:
        raise TypeError(
            f"{prim.__name__} has no {want} rule for argument {argnum}, and hodiff could not "
            f"derive one from its {have} rule, which failed when traced ({e}). Either give it "
            f"a {want} rule with hodiff.extend.{'defjvp' if want == 'forward' else 'defvjp'}, "
            f"or write its {have} rule with hodiff.numpy's functions so it can be traced."
        ) from e


def jvp_from_vjp(prim: Primitive, argnum: int) -> Any:
    """A forward rule for `argnum` derived from `prim`'s reverse rule."""
    def rule(t: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        pullback = prim.vjps[argnum](ans, *args, **kwargs)
        return _derived(prim, argnum, "reverse", "forward",
                        lambda: _transpose(pullback, _np.zeros_like(unbox(ans)), t))
    return rule


def vjp_from_jvp(prim: Primitive, argnum: int) -> Any:
    """A reverse rule for `argnum` derived from `prim`'s forward rule."""
    def make(ans: Any, *args: Any, **kwargs: Any) -> Any:
        push = prim.jvps[argnum]
        zero = _np.zeros_like(unbox(args[argnum]))
        return lambda ct: _derived(
            prim, argnum, "forward", "reverse",
            lambda: _transpose(lambda t: push(t, ans, *args, **kwargs), zero, ct))
    return make
