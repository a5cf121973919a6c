"""What every operator does: box the chosen arguments (any nesting of tuples, lists, dicts) under
a fresh tag, run the function, and read the outputs and their derivatives off the boxes.
Imports hodiff.core, hodiff.modes and hodiff.numpy.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import Box, new_tag, unbox
from hodiff.core.tracing import open_constant
from hodiff.core.tree import flatten, unflatten
from hodiff.core.vspace import custom_space
from hodiff.modes.forward import ForwardTag
from hodiff.modes.reverse import ReverseTag, backward
from hodiff.numpy import backend

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
    # In x's own library (a CuPy or Dask input gets a CuPy or Dask zero).
    raw = unbox(x)
    space = custom_space(raw)
    if space is not None and not lead:
        return space.zeros()
    if not lead and backend.is_foreign(raw):
        return backend.zeros_like(raw)
    return backend.zeros(lead + _np.shape(raw), _np.result_type(raw), like=raw)


def _fit(ct: Any, leaf: Any) -> Any:
    """Give a cotangent the dtype of its input leaf (real part for a real input)."""
    if ct is None:
        return _zeros_like(leaf)
    ct = open_constant(ct)
    raw_leaf = unbox(leaf)
    if custom_space(raw_leaf) is not None:
        return ct
    dt = _np.result_type(raw_leaf)
    ct_dt = _np.result_type(unbox(ct))
    if ct_dt != dt:
        if ct_dt.kind == "c" and dt.kind != "c":
            ct = hnp.real(ct)
        ct = hnp.astype(ct, dt)
    # A Python or NumPy scalar, not a 0-d array (of NumPy or of another library).
    scalar_leaf = isinstance(raw_leaf, (float, int, complex, _np.generic))
    if scalar_leaf and not isinstance(ct, Box):
        ct = dt.type(ct)  # a scalar input gets a numpy scalar back, not a 0-d array
    return ct


def _select(args: tuple, argnums: tuple[int, ...], single: bool) -> Any:
    for n in argnums:
        if not -len(args) <= n < len(args):
            raise IndexError(
                f"argnum {n} is out of range: the function was called with {len(args)} "
                f"positional argument(s). Pass argnum between 0 and {len(args) - 1}, and give "
                f"the arguments to differentiate positionally.")
    return args[argnums[0]] if single else tuple(args[n] for n in argnums)


def check_like(given: Any, like: Any, who: str, what: str, of: str, lead: tuple = ()) -> None:
    """Raise if `given` (a tangent or cotangent) does not have `like`'s shape (after `lead`),
    or is complex where `like` is real: it would silently give a wrong derivative."""
    if given is None:
        return
    g_raw, l_raw = unbox(given), unbox(like)
    g_shape, l_shape = _np.shape(g_raw), lead + _np.shape(l_raw)
    if g_shape != l_shape:
        raise ValueError(f"{who}: the {what} has shape {g_shape}, but the {of} it goes with "
                         f"has shape {l_shape}; they must match.")
    if _np.iscomplexobj(g_raw) and not _np.iscomplexobj(l_raw):
        raise TypeError(f"{who}: the {what} is complex but the {of} it goes with is real "
                        f"({_np.result_type(l_raw)}); give a real {what}.")


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
        # (read before the call: x[i] = v or x += v inside it makes an input box stand for
        # the updated array)
        leaf_ids = [b._index for b in boxed]
        out = fun(*_replace(args, argnums, single, unflatten(spec, boxed)), **kwargs)
    out_leaves, out_spec = flatten(out)
    out_ids = [tag.index_of(o) for o in out_leaves]
    out_primals = [o._primal if isinstance(o, Box) and o._tag is tag else o
                   for o in out_leaves]

    def pullback(ct: Any, consume: bool = False) -> Any:
        ct_leaves = flatten(ct)[0] if out_spec is not None else [ct]
        if len(ct_leaves) != len(out_ids):
            raise ValueError(f"{who}: the cotangent's structure does not match the output's")
        for c, o in zip(ct_leaves, out_primals):
            check_like(c, o, who, "cotangent", "output")
        seeds = [(i, c) for i, c in zip(out_ids, ct_leaves) if i is not None and c is not None]
        cts = backward(tag.tape, seeds, leaf_ids, consume)
        return unflatten(spec, [_fit(c, leaf) for c, leaf in zip(cts, leaves)])

    return unflatten(out_spec, out_primals), pullback


def _ones_for_grad(ans: Any, who: str) -> Any:
    raw = unbox(ans)
    container = isinstance(raw, (list, tuple, dict))
    # Any output of size 1 counts as a scalar (shape (), (1,), (1, 1), ...), as in autograd.
    if container or _np.prod(_np.shape(raw)) != 1:
        got = f"a {type(raw).__name__}" if container else f"shape {_np.shape(raw)}"
        raise TypeError(
            f"{who} needs a function with a scalar output, but this one returned {got}. "
            f"For a vector output use jacobian / jacrev / jacfwd, elementwise_grad (if it is "
            f"elementwise), or vjp with a cotangent; or reduce it first, e.g. np.sum(f(x)).")
    if backend.is_foreign(raw):  # a CuPy or Dask output gets a seed of its own library
        return backend.ones(_np.shape(raw), _np.result_type(raw), like=raw)
    return _np.ones(_np.shape(raw), dtype=_np.result_type(raw))[()]


def _jvp_trace(fun: Callable, args: tuple, kwargs: dict, argnums: tuple, single: bool,
               tangent: Any, batch: int | None, who: str) -> tuple[Any, Any]:
    x = _select(args, argnums, single)
    leaves, spec = flatten(x)
    t_leaves = flatten(tangent)[0]
    if len(t_leaves) != len(leaves):
        raise ValueError(f"{who}: the tangent's structure does not match the input's")
    lead = () if batch is None else (batch,)
    for leaf, t in zip(leaves, t_leaves):
        _check_leaf(leaf, who)
        check_like(t, leaf, who, "tangent", "input", lead)
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
