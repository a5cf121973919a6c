"""Shape operations: reshape, transpose, broadcast_to, concatenate, flip, indexing (primitives),
and the rest of numpy's shape routines built from them (ravel, swapaxes, stack, tile, ...).

All are linear: the tangent goes through the operation itself (shifted past the vector-mode
axis), the cotangent through its transpose.
Imports hodiff.core and the shorthands.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Box, Primitive, lookup, unbox
from hodiff.core.registry import SUPPORT
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


reshape = Primitive(_np.reshape, batch_jvp=True)
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
    return x[idx]


getitem = Primitive(_getitem, name="getitem", batch_jvp=True)
getitem.defrules(
    0, _getitem_jvp,
    lambda ans, x, idx: (lambda xs, dt: lambda ct: untake(ct, idx, xs, dt))(
        shape_of(x), _np.result_type(unbox(x))),
)


def _untake(ct, idx, shape, dtype):
    """The transpose of x[idx]: scatter-add `ct` into zeros of `shape`."""
    out = _np.zeros(shape, _np.result_type(dtype, ct))
    _np.add.at(out, idx, ct)
    return out


def _untake_jvp(t, ans, ct, idx, shape, dtype):
    if not is_batched(t, ct):
        return untake(t, idx, shape, dtype)
    return map_batch(lambda tk: untake(tk, idx, shape, dtype), t)


untake = Primitive(_untake, name="untake", batch_jvp=True)
untake.defrules(0, _untake_jvp, lambda ans, ct, idx, shape, dtype: lambda c: getitem(c, idx))


def _index_update(x, idx, v):
    # Like numpy's x[idx] = v: x keeps its dtype (a complex v into a real x keeps its real part).
    dt = _np.result_type(x)
    out = _np.array(x, dtype=dt if dt.kind in "fc" else _np.result_type(x, v, 1.0), copy=True)
    out[idx] = _np.real(v) if out.dtype.kind != "c" and _np.iscomplexobj(v) else v
    return out


def _kept(x, idx):
    # 1 where x[idx] = v leaves x's value in place, 0 where it is overwritten.
    mask = _np.ones(shape_of(x), dtype=bool)
    mask[idx] = False
    return mask


def _scatter_jvp(t, ans, x, idx, v):
    xs, dt = shape_of(x), _np.result_type(unbox(ans))
    if not is_batched(t, v):
        return index_update(_np.zeros(xs, dt), idx, t)
    n, target = shape_of(t)[0], _np.zeros(xs)[idx].shape
    if _np.zeros((n,) + xs)[_batched_index(idx)].shape != (n,) + target:
        return map_batch(lambda tk: index_update(_np.zeros(xs, dt), idx, tk), t)
    vs = shape_of(v)  # line v's axes up with the target's last ones, past the batch axis
    t = reshape(t, (n,) + (1,) * (len(target) - len(vs)) + vs)
    return index_update(_np.zeros((n,) + xs, dt), _batched_index(idx), t)


def _scatter_vjp(ans, x, idx, v):
    vs, to_real = shape_of(v), is_complex(ans) and not is_complex(v)
    return lambda ct: unbroadcast(getitem(ct, idx), vs, to_real)


def _kept_jvp(t, ans, x, idx, v):
    return t * _kept(x, idx)


def _kept_vjp(ans, x, idx, v):
    mask, to_real = _kept(x, idx), is_complex(ans) and not is_complex(x)
    return lambda ct: unbroadcast(ct * mask, shape_of(x), to_real)


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
        parts = [t if j == i else _np.zeros(lead + shape_of(a), dtype=dt)
                 for j, a in enumerate(arrays)]
        return _concatenate_prim(*parts, axis=axis % nd + len(lead))
    return jvp


def _concat_vjp(i):
    def make(ans, *arrays, axis=0):
        nd = len(shape_of(ans))
        sizes = [shape_of(a)[axis] for a in arrays]
        start = int(_np.sum(sizes[:i]))
        idx = (slice(None),) * (axis % nd) + (slice(start, start + sizes[i]),)
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
    return _np.array(obj, dtype=dtype, copy=copy, **kwargs)


def asarray(obj, dtype=None, **kwargs):
    """numpy.asarray; traced values stay traced."""
    if isinstance(obj, Box) or (isinstance(obj, (list, tuple)) and _has_box(obj)):
        return array(obj, dtype=dtype)
    return _np.asarray(obj, dtype=dtype, **kwargs)


def _has_box(obj):
    return any(isinstance(o, Box) or (isinstance(o, (list, tuple)) and _has_box(o)) for o in obj)


# -- metadata and fresh arrays: no derivative --------------------------------------------------
shape = nondiff(_np.shape)
ndim = nondiff(_np.ndim)
size = nondiff(_np.size)
result_type = nondiff(_np.result_type)
zeros_like = nondiff(_np.zeros_like)
ones_like = nondiff(_np.ones_like)
empty_like = nondiff(_np.empty_like)


def full(shape, fill_value, dtype=None, **kwargs):
    """numpy.full; differentiable in a traced `fill_value`."""
    if isinstance(fill_value, Box):
        out = broadcast_to(fill_value, (shape,) if _np.ndim(shape) == 0 else tuple(shape))
        return out if dtype is None else lookup("astype")(out, dtype)
    return _np.full(shape, fill_value, dtype=dtype, **kwargs)


def full_like(a, fill_value, dtype=None, **kwargs):
    """numpy.full_like; differentiable in a traced `fill_value`."""
    if isinstance(fill_value, Box):
        out = broadcast_to(fill_value, shape_of(a))
        return lookup("astype")(out, dtype or _np.result_type(unbox(a)))
    return _np.full_like(unbox(a), fill_value, dtype=dtype, **kwargs)
