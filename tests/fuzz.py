"""Random programs built from the registered primitives, for fuzzing (issue 5).

A program takes a random nesting of lists, tuples and dicts of arrays and runs a few steps.
Each step picks a spec row (tests/spec.py: a primitive with its valid domains and shapes),
builds each argument from a fresh input leaf of the row's shape plus a multiple of the sum of
the previous step's output (so the steps are chained), squashes it smoothly into one interval of
the row's domain (lo + (hi - lo) (1/2 + 0.45 tanh u), so every value stays valid), and applies
the row. The output is a weighted sum of every step's output. Shapes come from the rows'
cases, which include broadcasting. Rows whose inputs need preparing (tie breaking) or that have
no derivative are left out.

`programs()` is the hypothesis strategy; `check_program` checks one program against finite
differences in every second-order mode pair (fwd-fwd, fwd-rev, rev-fwd, rev-rev, through
hodiff.test_util.check_grads) and for adjointness.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as onp
from hypothesis import strategies as st

import hodiff.numpy as np
from hodiff.core.tree import flatten
from hodiff.test_util import check_adjoint, check_grads
from spec import DIFF_SPECS, Spec

ROWS = [s for s in DIFF_SPECS if s.prep is None]


@dataclass
class Step:
    row: Spec
    shapes: tuple
    kw: dict
    intervals: tuple  # one (lo, hi) per argument
    couple: float  # how much of the previous output feeds each argument
    weight: float

    def __repr__(self) -> str:
        return f"{self.row.id}{list(self.shapes)}{self.kw or ''}"


@dataclass
class Program:
    steps: list
    leaves: list = field(default_factory=list)  # the input leaves' shapes, in order
    tree: Any = None  # the input nesting, with leaf positions as ints

    def __repr__(self) -> str:
        return " -> ".join(map(repr, self.steps))

    def __call__(self, inputs: Any) -> Any:
        leaves = flatten(inputs)[0]
        out, prev, k = 0.0, 0.0, 0
        for step in self.steps:
            args = []
            for lo, hi in step.intervals:
                u = leaves[k] + step.couple * prev
                k += 1
                args.append(lo + (hi - lo) * (0.5 + 0.45 * np.tanh(u)))
            y = step.row.fun(*args, **step.kw)
            prev = np.sum(np.real(y)) / max(int(onp.size(onp.zeros(np.shape(y)))), 1)
            out = out + step.weight * np.sum(np.real(y))
        return out

    def inputs(self, rng: onp.random.Generator) -> Any:
        leaves = [rng.uniform(-1.0, 1.0, s) if s else float(rng.uniform(-1.0, 1.0))
                  for s in self.leaves]
        return _fill(self.tree, leaves)


def _fill(tree: Any, leaves: list) -> Any:
    if isinstance(tree, int):
        return leaves[tree]
    if isinstance(tree, dict):
        return {k: _fill(v, leaves) for k, v in tree.items()}
    return type(tree)(_fill(v, leaves) for v in tree)


def _intervals(row: Spec, n: int):
    return st.tuples(*[st.sampled_from(row.dom_at(i).intervals) for i in range(n)])


@st.composite
def steps(draw: Any) -> Step:
    row = draw(st.sampled_from(ROWS), label="row")
    shapes, kw = draw(st.sampled_from(row.cases), label="case")
    return Step(row, shapes, kw, draw(_intervals(row, len(shapes))),
                draw(st.sampled_from([0.0, 0.5, -1.0])), draw(st.sampled_from([1.0, -0.5])))


def _nest(draw: Any, positions: list, depth: int = 0) -> Any:
    """A random nesting (up to 3 deep) of lists, tuples and dicts around the leaf positions."""
    if len(positions) == 1 and (depth >= 2 or draw(st.booleans())):
        return positions[0]
    if depth >= 2:
        return list(positions)
    cut = draw(st.integers(1, len(positions)))
    parts = [positions[:cut]] + ([positions[cut:]] if cut < len(positions) else [])
    kind = draw(st.sampled_from(["list", "tuple", "dict"]))
    inner = [_nest(draw, p, depth + 1) for p in parts]
    if kind == "dict":
        return {f"k{i}": v for i, v in enumerate(inner)}
    return list(inner) if kind == "list" else tuple(inner)


@st.composite
def programs(draw: Any, max_steps: int = 3) -> Program:
    prog = Program(draw(st.lists(steps(), min_size=1, max_size=max_steps)))
    prog.leaves = [s for step in prog.steps for s in step.shapes]
    prog.tree = _nest(draw, list(range(len(prog.leaves))))
    return prog


def check_program(prog: Program, seed: int) -> None:
    """Finite differences in all four second-order mode pairs, and adjointness."""
    rng = onp.random.default_rng(seed)
    x = prog.inputs(rng)
    tol = {"rtol": max(s.row.rtol for s in prog.steps) * 10,
           "atol": max(s.row.atol for s in prog.steps) * 10}
    check_grads(prog, modes=("fwd", "rev"), order=2, seed=seed, **tol)(x)
    check_adjoint(prog, x, rng)
