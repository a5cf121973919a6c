"""What every operator does: box the chosen arguments (any nesting of tuples, lists, dicts) under
a fresh tag, run the function, and read the outputs and their derivatives off the boxes.
Imports hodiff.core, hodiff.modes and hodiff.numpy.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import Box, new_tag, unbox
from hodiff.core.tree import flatten, unflatten
from hodiff.core.vspace import custom_space
from hodiff.modes.forward import ForwardTag
from hodiff.modes.reverse import ReverseTag, backward

ArgNum = int | Sequence[int]


def _argnums(argnum: ArgNum) -> tuple[tuple[int, ...], bool]:
    if isinstance(argnum, int):
        return (argnum,), True
    return tuple(argnum), False


def _check_leaf(x: Any, who: str) -> Any:
    raw = unbox(x)
    if custom_space(raw) is not None:
        return x  # a user's type with a registered vector space (hodiff.extend.VSpace)
    dt = _np.result_type(raw) if not isinstance(raw, (list, tuple, dict)) else None
    if dt is None or dt.kind not in "fc":
        kind = type(raw).__name__ if dt is None else f"{dt} values"
        raise TypeError(
            f"{who} can only differentiate with respect to floating-point or complex inputs, "
            f"but got {kind}. Pass floats instead (e.g. 1.0 rather than 1, or "
            f"x.astype(float)).")
    return x


def _zeros_like(x: Any, lead: tuple = ()) -> Any:
    raw = unbox(x)
    space = custom_space(raw)
    if space is not None and not lead:
        return space.zeros()
    return _np.zeros(lead + _np.shape(raw), dtype=_np.result_type(raw))


def _fit(ct: Any, leaf: Any) -> Any:
    """Give a cotangent the dtype of its input leaf (real part for a real input)."""
    if ct is None:
        return _zeros_like(leaf)
    raw_leaf = unbox(leaf)
    if custom_space(raw_leaf) is not None:
        return ct
    dt = _np.result_type(raw_leaf)
    ct_dt = _np.result_type(unbox(ct))
    if ct_dt != dt:
        if ct_dt.kind == "c" and dt.kind != "c":
            ct = hnp.real(ct)
        ct = hnp.astype(ct, dt)
    scalar_leaf = not isinstance(raw_leaf, _np.ndarray) and _np.ndim(raw_leaf) == 0
    if scalar_leaf and not isinstance(ct, Box):
        ct = dt.type(ct)  # a scalar input gets a numpy scalar back, not a 0-d array
    return ct


def _select(args: tuple, argnums: tuple[int, ...], single: bool) -> Any:
    return args[argnums[0]] if single else tuple(args[n] for n in argnums)


def _replace(args: tuple, argnums: tuple[int, ...], single: bool, new: Any) -> list:
    args = list(args)
    for n, v in zip(argnums, (new,) if single else new):
        args[n] = v
    return args


def _vjp_trace(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
               who: str) -> tuple[Any, Callable]:
    """Run `fun` recording a tape; return (output, pullback(ct_tree, consume) -> cotangents)."""
    x = _select(args, argnums, single)
    leaves, spec = flatten(x)
    for leaf in leaves:
        _check_leaf(leaf, who)
    tag = ReverseTag()
    with new_tag(tag):
        boxed = [tag.leaf(leaf) for leaf in leaves]
        out = fun(*_replace(args, argnums, single, unflatten(spec, boxed)), **kwargs)
    out_leaves, out_spec = flatten(out)
    out_ids = [tag.index_of(o) for o in out_leaves]
    out_primals = [o._primal if i is not None else o for o, i in zip(out_leaves, out_ids)]
    leaf_ids = [b._index for b in boxed]

    def pullback(ct: Any, consume: bool = False) -> Any:
        ct_leaves = flatten(ct)[0] if out_spec is not None else [ct]
        if len(ct_leaves) != len(out_ids):
            raise ValueError(f"{who}: the cotangent's structure does not match the output's")
        seeds = [(i, c) for i, c in zip(out_ids, ct_leaves) if i is not None and c is not None]
        cts = backward(tag.tape, seeds, leaf_ids, consume)
        return unflatten(spec, [_fit(c, leaf) for c, leaf in zip(cts, leaves)])

    return unflatten(out_spec, out_primals), pullback


def _ones_for_grad(ans: Any, who: str) -> Any:
    raw = unbox(ans)
    container = isinstance(raw, (list, tuple, dict))
    # Any output of size 1 counts as a scalar (shape (), (1,), (1, 1), ...), as in autograd.
    if container or _np.size(raw) != 1:
        got = f"a {type(raw).__name__}" if container else f"shape {_np.shape(raw)}"
        raise TypeError(
            f"{who} needs a function with a scalar output, but this one returned {got}. "
            f"For a vector output use jacobian / jacrev / jacfwd, elementwise_grad (if it is "
            f"elementwise), or vjp with a cotangent; or reduce it first, e.g. np.sum(f(x)).")
    return _np.ones(_np.shape(raw), dtype=_np.result_type(raw))[()]


def _jvp_trace(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
               tangent: Any, batch: int | None, who: str) -> tuple[Any, Any]:
    x = _select(args, argnums, single)
    leaves, spec = flatten(x)
    t_leaves = flatten(tangent)[0]
    if len(t_leaves) != len(leaves):
        raise ValueError(f"{who}: the tangent's structure does not match the input's")
    for leaf in leaves:
        _check_leaf(leaf, who)
    tag = ForwardTag(batch)
    with new_tag(tag):
        boxed = [tag.box(leaf, t) for leaf, t in zip(leaves, t_leaves)]
        out = fun(*_replace(args, argnums, single, unflatten(spec, boxed)), **kwargs)
    out_leaves, out_spec = flatten(out)
    primals, tangents = [], []
    lead = () if batch is None else (batch,)
    for o in out_leaves:
        p, t = tag.unbox_output(o)
        primals.append(p)
        tangents.append(_zeros_like(p, lead) if t is None else t)
    return unflatten(out_spec, primals), unflatten(out_spec, tangents)


def _require_complex(x: Any, who: str) -> None:
    for leaf in flatten(x)[0]:
        if _np.result_type(unbox(leaf)).kind != "c":
            raise TypeError(f"{who} needs complex inputs; pass e.g. x.astype(complex).")


def _strip(x: Any) -> Any:
    # Auxiliary outputs leave the derivative call as plain values.
    leaves, spec = flatten(x)
    return unflatten(spec, [unbox(v) for v in leaves])


def _aux_catcher(fun: Callable, aux_box: list) -> Callable:
    def main(*a: Any, **k: Any) -> Any:
        out, aux = fun(*a, **k)
        aux_box.append(aux)
        return out
    return main
