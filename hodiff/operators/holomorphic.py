"""Complex Jacobians of holomorphic functions, and the Cauchy-Riemann check.

For holomorphic f the convention's derivative (du/dx - i du/dy for each output's real part) is
f'(z) already; `holomorphic=True` states that intent: it insists on complex inputs, needs only
one direction per complex element in forward mode (the convention needs two), and with
`check_holomorphic=True` verifies Cauchy-Riemann, df/dy = i df/dx, on the computed derivative.
That check costs the second direction (forward) or a second backward pass (reverse).
Imports hodiff.core, hodiff.numpy and the operators' tracing helpers.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import unbox
from hodiff.core.tree import flatten, unflatten
from hodiff.numpy import backend
from hodiff.operators._trace import (
    _jvp_trace,
    _ones_for_grad,
    _require_complex,
    _select,
    _vjp_trace,
)


class NotHolomorphicError(ValueError):
    """A function checked with ``check_holomorphic=True`` fails the Cauchy-Riemann equations."""


# How far df/dy may stray from i df/dx, relative to the derivative's size, before the check fails.
RTOL, ATOL = 1e-7, 1e-9


def _check_cr(who: str, output: str, d_dx: Any, d_dy: Any) -> None:
    """Raise unless d_dy == i d_dx (Cauchy-Riemann) to rounding."""
    dx, dy = _np.asarray(unbox(d_dx)), _np.asarray(unbox(d_dy))
    gap = _np.abs(dy - 1j * dx)
    bad = gap > ATOL + RTOL * _np.abs(dx)
    if _np.any(bad):
        where = tuple(int(i) for i in _np.argwhere(bad)[0])
        raise NotHolomorphicError(
            f"{who}: {output} is not holomorphic at this point: the Cauchy-Riemann equations "
            f"fail (df/dy differs from i*df/dx by {float(gap.max()):.3g}, first at index "
            f"{where} of its derivative). Its complex derivative f'(z) does not exist; use "
            f"grad/jacobian without holomorphic=True (the convention du/dx - i du/dy) or "
            f"hodiff.wirtinger for both Wirtinger derivatives.")


def _size(x: Any) -> int:
    return int(_np.prod(_np.shape(unbox(x))))  # numpy.size would compute a Dask array


def _output_name(k: int, n: int) -> str:
    return "the output" if n == 1 else f"output leaf {k}"


def check_grad_cr(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
                  who: str) -> Any:
    """grad(holomorphic=True) with the Cauchy-Riemann check: two backward passes over one tape.

    With cotangent 1 the pullback gives du/dx - i du/dy; with -i it gives dv/dx - i dv/dy,
    which for holomorphic f equals -i times the first.
    """
    _require_complex(_select(args, argnums, single), who)
    ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, who)
    one = _ones_for_grad(ans, who)
    g_u = pullback(one)
    u_leaves = flatten(g_u)[0]
    if _np.result_type(unbox(ans)).kind == "c":
        v_leaves = flatten(pullback(-1j * one, consume=True))[0]
    else:  # a real output has v = 0: holomorphic only where it is constant
        v_leaves = [0 * _np.asarray(unbox(g)) for g in u_leaves]
    for gu, gv in zip(u_leaves, v_leaves):
        # df/dy = i df/dx  <=>  (du/dx - i du/dy) = i (dv/dx - i dv/dy)
        _check_cr(who, "the output", gv, gu)
    return g_u


def jacfwd(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
           check: bool) -> Any:
    """f'(z) by forward mode: one complex direction per input element (two when checking)."""
    who = "jacfwd(holomorphic=True)"
    x = _select(args, argnums, single)
    _require_complex(x, who)
    leaves, spec = flatten(x)
    sizes = [_size(leaf) for leaf in leaves]
    n = sum(sizes)
    dirs = 2 * n if check else n
    basis, start = [], 0
    for leaf, size in zip(leaves, sizes):
        raw = unbox(leaf)
        # Columns of the identity, made in the input's library (CuPy, Dask, NumPy).
        eye = backend.eye(n, _np.result_type(raw), like=raw)[:, start:start + size]
        t = hnp.concatenate([eye, 1j * eye]) if check else eye
        basis.append(hnp.reshape(t, (dirs,) + _np.shape(raw)))
        start += size
    _, t = _jvp_trace(fun, args, kwargs, argnums, single, unflatten(spec, basis), dirs, who)
    t_leaves, out_spec = flatten(t)
    result = []
    for k, tl in enumerate(t_leaves):
        if check:
            _check_cr(who, _output_name(k, len(t_leaves)), tl[:n], tl[n:])
        result.append(_blocks([tl[s:s + size] for s, size in _starts(sizes)], leaves, spec))
    return unflatten(out_spec, result)


def check_rows(who: str, ans: Any, x: Any, jac_u: Any, jac_v: Any) -> None:
    """Cauchy-Riemann on reverse-mode Jacobians: rows pulled back along e_j (du/dx - i du/dy)
    and along -i e_j (dv/dx - i dv/dy); holomorphic iff the first is i times the second. A real
    output has v = 0, so it passes only where it is constant."""
    out_leaves = flatten(ans)[0]
    n_in = len(flatten(x)[0])
    for idx, (ju, jv) in enumerate(zip(flatten(jac_u)[0], flatten(jac_v)[0])):
        k = idx // n_in
        if _np.result_type(unbox(out_leaves[k])).kind != "c":
            jv = 0 * _np.asarray(unbox(jv))
        _check_cr(who, _output_name(k, len(out_leaves)), jv, ju)


def _starts(sizes: list) -> list:
    out, start = [], 0
    for size in sizes:
        out.append((start, size))
        start += size
    return out


def _blocks(pieces: list, leaves: list, spec: Any) -> Any:
    """Turn per-input tangent blocks (directions first) into Jacobian blocks, shaped
    out.shape + in.shape."""
    blocks = []
    for piece, leaf in zip(pieces, leaves):
        xs = _np.shape(unbox(leaf))
        out_shape = _np.shape(unbox(piece))[1:]
        nx = len(xs)
        block = hnp.reshape(piece, xs + out_shape)
        blocks.append(hnp.transpose(block, tuple(range(nx, nx + len(out_shape))) +
                                    tuple(range(nx))))
    return unflatten(spec, blocks)
