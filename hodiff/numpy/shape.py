"""Shape operations: reshape, transpose, broadcast_to, concatenate, flip, indexing (primitives),
and the rest of numpy's shape routines built from them (ravel, swapaxes, stack, tile, ...).

All are linear: the tangent goes through the operation itself (shifted past the vector-mode
axis), the cotangent through its transpose.
Imports hodiff.core and the shorthands.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, Primitive, lookup, unbox
from hodiff.core.tracing import _live
from hodiff.core.registry import SUPPORT
from hodiff.numpy import backend
from hodiff.numpy.backend import is_foreign
from hodiff.numpy.shorthand import (
    is_complex,
    nondiff,
    RulesForEveryArg,
    is_batched,
    map_batch,
    shape_of,
    unbroadcast,
)


def _lead(t, x):
    """The vector-mode axis of `t` as a shape prefix: () when unbatched."""
    return shape_of(t)[:1] if is_batched(t, x) else ()


def _reshape(a, shape, order="C"):
    """numpy.reshape."""
    if not is_foreign(a):
        return _np.reshape(a, shape, order=order)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if order != "C":  # Dask has no order=: Fortran order is C order on the reversed axes
        return _reshape(a.T, shape[::-1]).T
    try:
        return a.reshape(shape)
    except NotImplementedError:
        # Dask splits or merges axes only where chunks allow: merge all, then split.
        return a.reshape(-1).reshape(shape)


reshape = Primitive(_reshape, name="reshape", batch_jvp=True)
reshape.defrules(
    0,
    lambda t, ans, x, shape, order="C": reshape(t, _lead(t, x) + shape_of(ans), order=order)
    if order == "C" or not is_batched(t, x)
    else map_batch(lambda tk: reshape(tk, shape, order=order), t),
    lambda ans, x, shape, order="C": (
        lambda xs: lambda ct: reshape(ct, xs, order=order))(shape_of(x)),
)


def _perm(axes, ndim):
    return tuple(reversed(range(ndim))) if axes is None else tuple(a % ndim for a in axes)


transpose = Primitive(_np.transpose, batch_jvp=True)
transpose.defrules(
    0,
    lambda t, ans, x, axes=None: transpose(
        t, (0,) + tuple(a + 1 for a in _perm(axes, len(shape_of(x)))))
    if is_batched(t, x) else transpose(t, axes),
    lambda ans, x, axes=None: (
        lambda inv: lambda ct: transpose(ct, inv))(
            tuple(_np.argsort(_perm(axes, len(shape_of(x)))))),
)

broadcast_to = Primitive(_np.broadcast_to, batch_jvp=True)
broadcast_to.defrules(
    0,
    lambda t, ans, x, shape: broadcast_to(
        reshape(t, _lead(t, x) + (1,) * (len(shape_of(ans)) - len(shape_of(x))) + shape_of(x)),
        _lead(t, x) + shape_of(ans)),
    lambda ans, x, shape: (lambda xs: lambda ct: unbroadcast(ct, xs, False))(shape_of(x)),
)

flip = Primitive(_np.flip, batch_jvp=True)
flip.defrules(
    0,
    lambda t, ans, x, axis=None: flip(
        t, tuple(range(1, len(shape_of(t)))) if axis is None else
        tuple(a % len(shape_of(x)) + 1 for a in _np.atleast_1d(axis)))
    if is_batched(t, x) else flip(t, axis),
    lambda ans, x, axis=None: lambda ct: flip(ct, axis),
)


# -- indexing ----------------------------------------------------------------------------------
def _raw_index(idx):
    # Indices are metadata: a traced integer array is used by value.
    if isinstance(idx, tuple):
        return tuple(unbox(i) for i in idx)
    return unbox(idx)


def _batched_index(idx):
    return (slice(None),) + (idx if isinstance(idx, tuple) else (idx,))


def _getitem_jvp(t, ans, x, idx):
    if not is_batched(t, x):
        return getitem(t, idx)
    out = getitem(t, _batched_index(idx))
    if shape_of(out) == shape_of(t)[:1] + shape_of(ans):
        return out
    # Advanced indices apart from each other move their axis to the front: go one by one.
    return map_batch(lambda tk: getitem(tk, idx), t)


def _getitem(x, idx):
    if backend.is_dask(x):  # CuPy indexes as numpy does
        return _dask_getitem(x, idx)
    return x[idx]


# -- Dask: the index forms it lacks, through flat positions computed on the host ---------------
def _parts(idx, ndim):
    """`idx` as one entry per axis (Ellipsis spelled out, boolean arrays as their nonzero()),
    or None where it has forms this can't line up (None, integer scalars beside arrays)."""
    parts = []
    for i in (idx if isinstance(idx, tuple) else (idx,)):
        if isinstance(i, _np.ndarray) and i.dtype == bool:
            parts.extend(i.nonzero())
        elif isinstance(i, list):
            parts.append(_np.asarray(i))
        else:
            parts.append(i)
    if any(i is None for i in parts):
        return None
    if Ellipsis in [i for i in parts if not isinstance(i, _np.ndarray)]:
        k = next(n for n, i in enumerate(parts) if not isinstance(i, _np.ndarray)
                 and i is Ellipsis)
        parts[k:k + 1] = [slice(None)] * (ndim - len(parts) + 1)
    return parts + [slice(None)] * (ndim - len(parts))


def _dask_getitem(x, idx):
    parts = _parts(idx, x.ndim)
    if parts is not None and any(isinstance(i, _np.ndarray) for i in parts):
        # Beside index arrays, numpy treats integers as 0-d index arrays.
        parts = [_np.asarray(i) if isinstance(i, (int, _np.integer)) else i for i in parts]
    adv = [] if parts is None else [n for n, i in enumerate(parts) if isinstance(i, _np.ndarray)]
    if len(adv) < 2 and all(parts[n].ndim == 1 for n in adv):
        return x[idx]
    # Several index arrays: bring their axes to the front in order (numpy puts the result's
    # broadcast axes first when they are apart; when adjacent, in their place, so move back),
    # merge them into one axis and index it with the flat positions.
    rest = [n for n in range(x.ndim) if n not in adv]
    adjacent = adv == list(range(adv[0], adv[0] + len(adv)))
    xs = x.shape
    dims = tuple(xs[n] for n in adv)
    flat = _np.ravel_multi_index(
        tuple(i % d for i, d in zip(_np.broadcast_arrays(*[parts[n] for n in adv]), dims)), dims)
    y = x.transpose(adv + rest).reshape((-1,) + tuple(xs[n] for n in rest))
    out = y[(flat.reshape(-1),) + tuple(parts[n] for n in rest)]  # Dask takes 1-d arrays
    out = out.reshape(flat.shape + out.shape[1:])
    if adjacent and adv[0] > 0:
        nb = flat.ndim
        out = _np.moveaxis(out, list(range(nb)), list(range(adv[0], adv[0] + nb)))
    return out


def _flat_positions(shape, idx):
    """Where the elements of x[idx] sit in x.ravel() (host integers: the index's metadata)."""
    return _np.arange(int(_np.prod(shape))).reshape(shape)[idx]


def _is_basic(idx):
    return all(isinstance(i, (int, _np.integer, slice)) or i is Ellipsis
               for i in (idx if isinstance(idx, tuple) else (idx,)))


def _assign(out, idx, v):
    """out[idx] = v on a fresh array `out` that the caller owns; returns the result (a new
    array for Dask, which lacks the index forms a flat assignment covers)."""
    if not backend.is_dask(out) or _is_basic(idx):
        out[idx] = v
        return out
    pos = _flat_positions(out.shape, idx)
    flat = out.reshape(-1)
    flat[pos.reshape(-1)] = _np.broadcast_to(v, pos.shape).reshape(-1)
    return flat.reshape(out.shape)


def _scatter_add(ct, idx, shape, dtype):
    """zeros(shape)[idx] += ct, repeated positions adding up, in ct's library."""
    xp = backend.namespace(ct)
    out = xp.zeros(shape, dtype=dtype)
    if not backend.is_dask(ct):  # CuPy: its scatter-add, with the index arrays on the device
        idx = tuple(backend.put(i, ct) if isinstance(i, _np.ndarray) else i
                    for i in (idx if isinstance(idx, tuple) else (idx,)))
        if hasattr(xp.add, "at"):
            xp.add.at(out, idx, ct)
        else:
            import cupyx
            cupyx.scatter_add(out, idx, ct)
        return out
    if _is_basic(idx):  # Dask: no position repeats
        out[idx] = ct
        return out
    # Dask, index arrays: add in rounds, each touching every position at most once.
    pos = _flat_positions(shape, idx).reshape(-1)
    ct = ct.reshape(-1)
    order = _np.argsort(pos, kind="stable")
    ranked = pos[order]
    rank = _np.empty_like(pos)
    rank[order] = _np.arange(len(pos)) - _np.searchsorted(ranked, ranked, "left")
    out = out.reshape(-1)
    for r in range(int(rank.max()) + 1 if len(pos) else 0):
        sel = _np.nonzero(rank == r)[0]
        out[pos[sel]] = ct[sel] if r == 0 else out[pos[sel]] + ct[sel]
    return out.reshape(shape)


getitem = Primitive(_getitem, name="getitem", batch_jvp=True)
getitem.defrules(
    0, _getitem_jvp,
    lambda ans, x, idx: (lambda xs, dt: lambda ct: untake(ct, idx, xs, dt))(
        shape_of(x), _np.result_type(unbox(x))),
)


def _untake(ct, idx, shape, dtype):
    """The transpose of x[idx]: scatter-add `ct` into zeros of `shape`."""
    dt = _np.result_type(dtype, ct)
    if is_foreign(ct):
        return _scatter_add(ct, idx, shape, dt)
    out = _np.zeros(shape, dt)
    _np.add.at(out, idx, ct)
    return out


def _untake_jvp(t, ans, ct, idx, shape, dtype):
    if not is_batched(t, ct):
        return untake(t, idx, shape, dtype)
    lead = shape_of(t)[:1]
    # All directions in one scatter when a leading full slice keeps the index's layout
    # (a stride-0 view tests that without allocating); else one direction at a time.
    bidx = _batched_index(idx)
    if _np.broadcast_to(_np.zeros((), bool), lead + tuple(shape))[bidx].shape == shape_of(t):
        return untake(t, bidx, lead + tuple(shape), dtype)
    return map_batch(lambda tk: untake(tk, idx, shape, dtype), t)


untake = Primitive(_untake, name="untake", batch_jvp=True)
untake.defrules(0, _untake_jvp, lambda ans, ct, idx, shape, dtype: lambda c: getitem(c, idx))


def _index_update(x, idx, v):
    # Like numpy's x[idx] = v: x keeps its dtype (a complex v into a real x keeps its real part).
    dt = _np.result_type(x)
    dt = dt if dt.kind in "fc" else _np.result_type(x, v, 1.0)
    v = _np.real(v) if dt.kind != "c" and _np.iscomplexobj(v) else v
    if is_foreign(x) or is_foreign(v):
        # In x's library (a host x with a CuPy or Dask v moves to v's), never computed.
        x = x if is_foreign(x) else backend.put(x, v)
        return _assign(backend.to_same(x, dt, copy=True), idx, v)
    out = _np.array(x, dtype=dt, copy=True)
    out[idx] = v
    return out


def _winners(xs, idx):
    """Where x[idx] = v keeps each element of v: False for an element a later duplicate index
    overwrites (numpy keeps the last write). None when every element is kept."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    if not any(isinstance(p, (list, _np.ndarray)) and _np.asarray(p).dtype.kind in "iu"
               for p in parts):
        return None  # no integer-array index: no duplicates
    slot = _np.full(xs, -1, dtype=_np.intp)
    target = slot[idx].shape
    ids = _np.arange(int(_np.prod(target))).reshape(target)
    slot[idx] = ids
    kept = slot[idx] == ids
    return None if kept.all() else kept


def _scatter_jvp(t, ans, x, idx, v):
    # numpy's assignment of the tangent keeps the last of duplicate writes, as for the value.
    xs, dt = shape_of(x), _np.result_type(unbox(ans))
    zeros = lambda lead: backend.zeros(lead + xs, dt, like=t)  # noqa: E731
    if not is_batched(t, v):
        return index_update(zeros(()), idx, t)
    n = shape_of(t)[0]
    target = _np.broadcast_to(0.0, xs)[idx].shape  # shape arithmetic on a memoryless probe
    if _np.broadcast_to(0.0, (n,) + xs)[_batched_index(idx)].shape != (n,) + target:
        return map_batch(lambda tk: index_update(zeros(()), idx, tk), t)
    vs = shape_of(v)  # line v's axes up with the target's last ones, past the batch axis
    t = reshape(t, (n,) + (1,) * (len(target) - len(vs)) + vs)
    return index_update(zeros((n,)), _batched_index(idx), t)


def _scatter_vjp(ans, x, idx, v):
    vs, to_real = shape_of(v), is_complex(ans) and not is_complex(v)
    kept = _winners(shape_of(x), idx)  # only the last of duplicate writes gets the cotangent
    if kept is None:
        return lambda ct: unbroadcast(getitem(ct, idx), vs, to_real)
    return lambda ct: unbroadcast(getitem(ct, idx) * backend.put(kept, ct), vs, to_real)


# x's own derivative: x's, with the overwritten places zeroed. Computed from `idx` when used,
# so the tape of a loop assigning one element per step keeps no array per step.
def _kept_jvp(t, ans, x, idx, v):
    return index_update(t, _batched_index(idx) if is_batched(t, x) else idx, 0.0)


def _kept_vjp(ans, x, idx, v):
    xs, to_real = shape_of(x), is_complex(ans) and not is_complex(x)
    return lambda ct: unbroadcast(index_update(ct, idx, 0.0), xs, to_real)


# x with x[idx] replaced by v, as a new array: what `traced[idx] = v` records.
index_update = Primitive(_index_update, name="index_update", batch_jvp=True)
index_update.defrules(0, _kept_jvp, _kept_vjp)
index_update.defrules(2, _scatter_jvp, _scatter_vjp)


# -- joining -----------------------------------------------------------------------------------
def _concatenate(*arrays, axis=0):
    return _np.concatenate(arrays, axis=axis)


def _concat_jvp(i):
    def jvp(t, ans, *arrays, axis=0):
        nd = len(shape_of(ans))
        lead = _lead(t, arrays[i])
        # Zeros in the output's dtype: a float32 tangent beside a float64 constant is float64.
        dt = _np.result_type(unbox(t), unbox(ans))
        parts = [t if j == i else backend.zeros(lead + shape_of(a), dt, like=t)
                 for j, a in enumerate(arrays)]
        return _concatenate_prim(*parts, axis=axis % nd + len(lead))
    return jvp


def _concat_vjp(i):
    def make(ans, *arrays, axis=0):
        nd = len(shape_of(ans))
        sizes = [shape_of(a)[axis] for a in arrays]
        start = int(_np.sum(sizes[:i]))
        idx = (slice(None),) * (axis % nd) + (slice(start, start + sizes[i]),)
        if is_complex(ans) and not is_complex(arrays[i]):  # a real piece takes the real part
            real = lookup("real")
            return lambda ct: real(getitem(ct, idx))
        return lambda ct: getitem(ct, idx)
    return make


class _Concatenate(Primitive):
    # Any argument is differentiable: rules are made on demand for each position.
    def __init__(self):
        super().__init__(_concatenate, name="concatenate", batch_jvp=True)
        self.jvps = RulesForEveryArg(_concat_jvp)
        self.vjps = RulesForEveryArg(_concat_vjp)


_concatenate_prim = _Concatenate()


def concatenate(arrays, axis=0):
    """numpy.concatenate over a sequence of arrays (traced or not)."""
    arrays = tuple(arrays)
    if not any(isinstance(a, Box) for a in arrays):
        return _np.concatenate(arrays, axis=axis)
    if axis is None:
        return _concatenate_prim(*[ravel(a) for a in arrays], axis=0)
    return _concatenate_prim(*arrays, axis=axis)


def stack(arrays, axis=0):
    """numpy.stack: join arrays along a new axis."""
    arrays = tuple(arrays)
    if not any(isinstance(a, Box) for a in arrays):
        return _np.stack(arrays, axis=axis)
    nd = len(shape_of(arrays[0])) + 1
    return concatenate([expand_dims(a, axis % nd) for a in arrays], axis=axis % nd)


# The forward interpreter stacks per-direction tangents with this in vector mode.
SUPPORT["stack"] = lambda *arrays: stack(arrays)


def hstack(arrays):
    arrays = [atleast_1d(a) for a in arrays]
    return concatenate(arrays, axis=0 if len(shape_of(arrays[0])) == 1 else 1)


def vstack(arrays):
    return concatenate([atleast_2d(a) for a in arrays], axis=0)


def column_stack(arrays):
    return concatenate([reshape(a, (-1, 1)) if len(shape_of(a)) < 2 else a for a in arrays],
                       axis=1)


# -- built from the primitives -----------------------------------------------------------------
def ravel(a, order="C"):
    """numpy.ravel."""
    return reshape(a, (-1,), order=order)


def swapaxes(a, axis1, axis2):
    """numpy.swapaxes."""
    perm = list(range(len(shape_of(a))))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(a, tuple(perm))


def moveaxis(a, source, destination):
    """numpy.moveaxis."""
    nd = len(shape_of(a))
    src = [s % nd for s in _np.atleast_1d(source)]
    dst = [d % nd for d in _np.atleast_1d(destination)]
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, tuple(order))


def _shape_probe(a):
    # A stand-in with a's shape and no memory of its own, to let numpy do the shape arithmetic.
    return _np.broadcast_to(False, shape_of(a))


def expand_dims(a, axis):
    """numpy.expand_dims."""
    return reshape(a, _np.expand_dims(_shape_probe(a), axis).shape)


def squeeze(a, axis=None):
    """numpy.squeeze."""
    return reshape(a, _np.squeeze(_shape_probe(a), axis).shape)


def atleast_1d(a):
    return reshape(a, (1,)) if len(shape_of(a)) == 0 else a


def atleast_2d(a):
    s = shape_of(a)
    return reshape(a, (1,) * (2 - len(s)) + s) if len(s) < 2 else a


def tile(a, reps):
    """numpy.tile, as an index into `a`."""
    idx, shape = _tile_index(shape_of(a), reps)
    return getitem(reshape(a, shape), idx)


def _tile_index(shape, reps):
    reps = tuple(_np.atleast_1d(reps))
    nd = max(len(shape), len(reps))
    shape = (1,) * (nd - len(shape)) + tuple(shape)
    reps = (1,) * (nd - len(reps)) + reps
    return _np.ix_(*[_np.tile(_np.arange(n), r) for n, r in zip(shape, reps)]), shape


def repeat(a, repeats, axis=None):
    """numpy.repeat, as an index into `a`."""
    if axis is None:
        a, axis = ravel(a), 0
    n = shape_of(a)[axis]
    idx = _np.repeat(_np.arange(n), repeats)
    return getitem(a, (slice(None),) * (axis % len(shape_of(a))) + (idx,))


def take(a, indices, axis=None):
    """numpy.take."""
    if axis is None:
        return getitem(ravel(a), _raw_index(indices))
    return getitem(a, (slice(None),) * (axis % len(shape_of(a))) + (_raw_index(indices),))


def array(obj, dtype=None, copy=True, **kwargs):
    """numpy.array, also from (nested) lists of traced values."""
    if isinstance(obj, Box):
        return obj if dtype is None else lookup("astype")(obj, dtype)
    if isinstance(obj, (list, tuple)) and _has_box(obj):
        out = stack([array(o) for o in obj])
        return out if dtype is None else lookup("astype")(out, dtype)
    if is_foreign(obj):  # a CuPy or Dask array stays one (np.array would compute or copy it)
        return backend.to_same(obj, dtype, copy=bool(copy))
    return _np.array(obj, dtype=dtype, copy=copy, **kwargs)


def asarray(obj, dtype=None, **kwargs):
    """numpy.asarray; traced values stay traced."""
    if isinstance(obj, Box) or (isinstance(obj, (list, tuple)) and _has_box(obj)):
        return array(obj, dtype=dtype)
    if is_foreign(obj):
        return backend.to_same(obj, dtype)
    return _np.asarray(obj, dtype=dtype, **kwargs)


def _has_box(obj):
    return any(isinstance(o, Box) or (isinstance(o, (list, tuple)) and _has_box(o)) for o in obj)


# -- metadata and fresh arrays ------------------------------------------------------------------
shape = nondiff(_np.shape)
ndim = nondiff(_np.ndim)
size = nondiff(_np.size)
result_type = nondiff(_np.result_type)
_zeros_like = nondiff(_np.zeros_like, name="zeros_like")
_ones_like = nondiff(_np.ones_like, name="ones_like")
_empty_like = nondiff(_np.empty_like, name="empty_like")


def _assignable(out):
    """A fresh array that can take traced values by assignment (A[i] = x) while a derivative
    is being taken: a constant box of the innermost live derivative call whose rules are not
    running (a constructor inside a rule works one level below that rule's call). Outside
    derivative calls it is the plain numpy array."""
    if isinstance(out, Box):
        return out
    for tag in reversed(_live.get()):
        if not tag.busy:
            return tag.constant(out)
    return out


def _fresh(np_fun):
    def make(*args, **kwargs):
        return _assignable(np_fun(*args, **kwargs))
    make.__name__ = make.__qualname__ = np_fun.__name__
    make.__doc__ = (f"numpy.{np_fun.__name__}; inside a derivative call the array can take "
                    "traced values by assignment (A[i] = x).")
    return make


zeros, ones, empty, eye, identity = (_fresh(f) for f in (_np.zeros, _np.ones, _np.empty,
                                                          _np.eye, _np.identity))
zeros_like, ones_like, empty_like = (_fresh(f) for f in (_zeros_like, _ones_like, _empty_like))


def full(shape, fill_value, dtype=None, **kwargs):
    """numpy.full; differentiable in a traced `fill_value`, and takes traced assignments."""
    if isinstance(fill_value, Box):
        out = broadcast_to(fill_value, (shape,) if _np.ndim(shape) == 0 else tuple(shape))
        # a copy, not a read-only broadcast view: the array may be assigned into
        return _assignable(lookup("astype")(out, dtype or _np.result_type(unbox(fill_value))))
    like = kwargs.get("like")
    if like is not None and is_foreign(like):  # numpy's like= doesn't reach every library
        return backend.namespace(like).full(shape, fill_value, dtype=dtype)
    return _assignable(_np.full(shape, fill_value, dtype=dtype, **kwargs))


def full_like(a, fill_value, dtype=None, **kwargs):
    """numpy.full_like; differentiable in a traced `fill_value`, and takes traced assignments."""
    if isinstance(fill_value, Box):
        out = broadcast_to(fill_value, shape_of(a))
        return lookup("astype")(out, dtype or _np.result_type(unbox(a)))
    return _assignable(_np.full_like(unbox(a), fill_value, dtype=dtype, **kwargs))
