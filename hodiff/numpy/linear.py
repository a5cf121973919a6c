"""Products: tensordot, matmul, einsum (primitives, each linear in every argument), and dot,
outer, inner, vdot, trace, diagonal, diag, triu, tril built from them and from indexing.

Forward rules put the tangent in its argument's place (in vector mode, a leading axis that the
product carries through); reverse rules contract the cotangent with the other arguments.
Imports hodiff.core and the shorthands.
"""
from __future__ import annotations

import string

import numpy as _np

from hodiff.core import Primitive, unbox
from hodiff.numpy import backend
from hodiff.numpy.elementwise import conjugate, multiply, real
from hodiff.numpy.reductions import sum
from hodiff.numpy.shape import (
    broadcast_to,
    getitem,
    moveaxis,
    reshape,
    swapaxes,
    transpose,
    untake,
)
from hodiff.numpy.shorthand import (
    RulesForEveryArg,
    is_batched,
    is_complex,
    is_identity_tangent,
    map_batch,
    read_only,
    shape_of,
    unbroadcast,
)


def _to_real_if(g, x, ans):
    return real(g) if is_complex(ans) and not is_complex(x) else g


# -- tensordot ---------------------------------------------------------------------------------
def _td_axes(axes, nda, ndb):
    if isinstance(axes, int):
        return list(range(nda - axes, nda)), list(range(axes))
    xa, xb = axes
    xa = [xa] if isinstance(xa, int) else list(xa)
    xb = [xb] if isinstance(xb, int) else list(xb)
    return [a % nda for a in xa], [b % ndb for b in xb]


tensordot = Primitive(_np.tensordot, batch_jvp=True)


def _td_jvp_a(t, ans, a, b, axes=2):
    xa, xb = _td_axes(axes, len(shape_of(a)), len(shape_of(b)))
    if is_batched(t, a):
        return tensordot(t, b, ([x + 1 for x in xa], xb))
    return tensordot(t, b, (xa, xb))


def _td_jvp_b(t, ans, a, b, axes=2):
    nda = len(shape_of(a))
    xa, xb = _td_axes(axes, nda, len(shape_of(b)))
    if is_batched(t, b):
        out = tensordot(a, t, (xa, [x + 1 for x in xb]))
        nfree = nda - len(xa)
        return transpose(out, (nfree,) + tuple(range(nfree)) +
                                   tuple(range(nfree + 1, len(shape_of(out)))))
    return tensordot(a, t, (xa, xb))


def _td_vjp_a(ans, a, b, axes=2):
    nda, ndb = len(shape_of(a)), len(shape_of(b))
    xa, xb = _td_axes(axes, nda, ndb)
    a_free = [i for i in range(nda) if i not in xa]
    b_free = [i for i in range(ndb) if i not in xb]
    labels = a_free + [xa[k] for k in _np.argsort(xb)]
    perm = tuple(_np.argsort(labels))
    ct_axes = list(range(len(a_free), len(a_free) + len(b_free)))
    return lambda ct: _to_real_if(
        transpose(tensordot(ct, b, (ct_axes, b_free)), perm), a, ans)


def _td_vjp_b(ans, a, b, axes=2):
    nda, ndb = len(shape_of(a)), len(shape_of(b))
    xa, xb = _td_axes(axes, nda, ndb)
    a_free = [i for i in range(nda) if i not in xa]
    labels = [xb[k] for k in _np.argsort(xa)] + [i for i in range(ndb) if i not in xb]
    perm = tuple(_np.argsort(labels))
    return lambda ct: _to_real_if(
        transpose(tensordot(a, ct, (a_free, list(range(len(a_free))))), perm), b, ans)


tensordot.defrules(0, _td_jvp_a, _td_vjp_a)
tensordot.defrules(1, _td_jvp_b, _td_vjp_b)


# -- matmul ------------------------------------------------------------------------------------
matmul = Primitive(_np.matmul, batch_jvp=True)


def _mT(x):
    return swapaxes(x, -1, -2) if len(shape_of(x)) > 1 else x


def _matmul_jvp_a(t, ans, a, b):
    if not is_batched(t, a):
        return matmul(t, b)
    if (is_identity_tangent(t) and len(shape_of(a)) == 1 and len(shape_of(b)) == 2
            and _same_dtype(t, b)):
        return read_only(b)  # identity @ b
    if len(shape_of(b)) <= max(len(shape_of(a)), 2):
        return matmul(t, b)
    return map_batch(lambda tk: matmul(tk, b), t)


def _matmul_jvp_b(t, ans, a, b):
    if not is_batched(t, b):
        return matmul(a, t)
    nda, ndb = len(shape_of(a)), len(shape_of(b))
    if ndb == 1 and nda <= 2:
        if is_identity_tangent(t) and nda == 2 and _same_dtype(t, a):
            return read_only(_mT(a))  # the tangent of a @ x along each unit vector: a's columns
        return matmul(t, _mT(a))
    if ndb >= 2 and nda <= ndb:
        return matmul(a, t)
    return map_batch(lambda tk: matmul(a, tk), t)


def _same_dtype(t, m):
    """Whether identity @ m keeps m's dtype (so m itself can stand for the product)."""
    m_dt = _np.result_type(unbox(m))
    return _np.result_type(t.dtype, m_dt) == m_dt


def _promote_ct(ct, nda, ndb):
    cs = shape_of(ct)
    if nda == 1 and ndb == 1:
        return reshape(ct, (1, 1))
    if nda == 1:
        return reshape(ct, cs[:-1] + (1,) + cs[-1:])
    if ndb == 1:
        return reshape(ct, cs + (1,))
    return ct


def _matmul_vjp_a(ans, a, b):
    xs, nda, ndb = shape_of(a), len(shape_of(a)), len(shape_of(b))
    if nda == 1 and ndb == 1:  # an inner product
        return lambda ct: _to_real_if(multiply(ct, b), a, ans)
    if ndb == 2 and nda <= 2:  # the common shapes: one product, nothing to reshape
        if nda == 1:
            return lambda ct: _to_real_if(matmul(b, ct), a, ans)
        bt = _mT(b)
        return lambda ct: _to_real_if(matmul(ct, bt), a, ans)
    b1 = b if ndb > 1 else reshape(b, shape_of(b) + (1,))
    a1s = xs if nda > 1 else (1,) + xs
    return lambda ct: _to_real_if(reshape(unbroadcast(
        matmul(_promote_ct(ct, nda, ndb), _mT(b1)), a1s, False), xs), a, ans)


def _matmul_vjp_b(ans, a, b):
    xs, nda, ndb = shape_of(b), len(shape_of(a)), len(shape_of(b))
    if nda == 1 and ndb == 1:
        return lambda ct: _to_real_if(multiply(ct, a), b, ans)
    if nda == 2 and ndb <= 2:
        if ndb == 1:
            return lambda ct: _to_real_if(matmul(ct, a), b, ans)
        at = _mT(a)
        return lambda ct: _to_real_if(matmul(at, ct), b, ans)
    a1 = a if nda > 1 else reshape(a, (1,) + shape_of(a))
    b1s = xs if ndb > 1 else xs + (1,)
    return lambda ct: _to_real_if(reshape(unbroadcast(
        matmul(_mT(a1), _promote_ct(ct, nda, ndb)), b1s, False), xs), b, ans)


matmul.defrules(0, _matmul_jvp_a, _matmul_vjp_a)
matmul.defrules(1, _matmul_jvp_b, _matmul_vjp_b)


# -- einsum ------------------------------------------------------------------------------------
def _explicit(subscripts, shapes):
    """`subscripts` with '...' spelled out in letters and the output always given."""
    subscripts = subscripts.replace(" ", "")
    ins, _, out = subscripts.partition("->")
    ins = ins.split(",")
    used = set(subscripts) - set(".,->")
    spare = [c for c in string.ascii_letters if c not in used]
    n_ell = max((len(s) - (len(i) - 3) for i, s in zip(ins, shapes) if "..." in i), default=0)
    ell = "".join(spare[:n_ell])
    ins = [i.replace("...", ell[n_ell - (len(s) - (len(i) - 3)):]) if "..." in i else i
           for i, s in zip(ins, shapes)]
    if "->" not in subscripts:
        letters = "".join(ins)
        out = ell + "".join(sorted(c for c in set(letters) - set(ell) if letters.count(c) == 1))
    else:
        out = out.replace("...", ell)
    return ins, out


def _einsum_jvp(i):
    def jvp(t, ans, subscripts, *ops, **kw):
        ins, out = subscripts.split("->")
        ins = ins.split(",")
        if is_batched(t, ops[i]):
            z = next(c for c in string.ascii_letters if c not in subscripts)
            ins[i] = z + ins[i]
            out = z + out
        args = list(ops)
        args[i] = t
        return einsum_prim(",".join(ins) + "->" + out, *args, **kw)
    return jvp


def _einsum_vjp(i):
    def make(ans, subscripts, *ops, **kw):
        ins, out = subscripts.split("->")
        ins = ins.split(",")
        xs = shape_of(ops[i])
        # A letter repeated in this operand (a diagonal, as in 'ii->i'): the cotangent lives on
        # the diagonal. Give each repeat a fresh letter and tie it to the first with an identity.
        fresh = (c for c in string.ascii_letters if c not in subscripts)
        target, ties, eyes = "", [], []
        for c, n in zip(ins[i], xs):
            if c in target:
                d = next(fresh)
                ties.append(c + d)
                eyes.append(backend.eye(n, bool, like=ops[i]))
                c = d
            target += c
        others = [s for j, s in enumerate(ins) if j != i] + ties
        reachable = set(out).union(*others)
        kept = "".join(c for c in target if c in reachable)
        subs = ",".join([out] + others) + "->" + kept
        kept_shape = tuple(n if c in reachable else 1 for c, n in zip(target, xs))
        rest = [o for j, o in enumerate(ops) if j != i] + eyes
        x = ops[i]

        def vjp(ct):
            g = einsum_prim(subs, ct, *rest, **kw)
            if kept != target:
                g = broadcast_to(reshape(g, kept_shape), xs)
            return _to_real_if(g, x, ans)
        return vjp
    return make


einsum_prim = Primitive(_np.einsum, name="einsum", batch_jvp=True)
einsum_prim.jvps = RulesForEveryArg(lambda i: _einsum_jvp(i - 1))
einsum_prim.vjps = RulesForEveryArg(lambda i: _einsum_vjp(i - 1))


def einsum(subscripts, *operands, **kwargs):
    """numpy.einsum with a subscripts string; differentiable in every operand."""
    ins, out = _explicit(subscripts, [shape_of(o) for o in operands])
    return einsum_prim(",".join(ins) + "->" + out, *operands, **kwargs)


# -- built from the primitives -----------------------------------------------------------------
# -- dot: `a` of any rank against a vector or matrix `b` (higher ranks go through tensordot) ---
def _dot_jvp_a(t, ans, a, b):
    # np.dot contracts the last axis of t, so a leading vector-mode axis is carried through.
    return _dot(t, b)


def _dot_jvp_b(t, ans, a, b):
    if not is_batched(t, b):
        return _dot(a, t)
    return _td_jvp_b(t, ans, a, b, ([len(shape_of(a)) - 1], [0]))


def _lead_axes(x):
    return list(range(len(shape_of(x)) - 1))


def _dot_vjp_a(ans, a, b):
    if len(shape_of(b)) == 1:
        return lambda ct: _to_real_if(multiply(reshape(ct, shape_of(ct) + (1,)), b), a, ans)
    bt = transpose(b)
    return lambda ct: _to_real_if(_dot(ct, bt), a, ans)


def _dot_vjp_b(ans, a, b):
    lead = _lead_axes(a)
    if len(lead) == 1:  # a matrix: one BLAS call (numpy's tensordot costs ~10 us of Python)
        at = transpose(a)
        return lambda ct: _to_real_if(_dot(at, ct), b, ans)
    if len(shape_of(b)) == 1:
        return lambda ct: _to_real_if(tensordot(ct, a, (lead, lead)), b, ans)
    return lambda ct: _to_real_if(tensordot(a, ct, (lead, lead)), b, ans)


_dot = Primitive(_np.dot, name="dot", batch_jvp=True)
_dot.defrules(0, _dot_jvp_a, _dot_vjp_a)
_dot.defrules(1, _dot_jvp_b, _dot_vjp_b)


def dot(a, b):
    """numpy.dot."""
    nda, ndb = len(shape_of(a)), len(shape_of(b))
    if nda == 0 or ndb == 0:
        return multiply(a, b)
    if ndb <= 2:
        return _dot(a, b)
    return tensordot(a, b, ([nda - 1], [max(ndb - 2, 0)]))


def inner(a, b):
    """numpy.inner."""
    nda, ndb = len(shape_of(a)), len(shape_of(b))
    if nda == 0 or ndb == 0:
        return multiply(a, b)
    return tensordot(a, b, ([nda - 1], [ndb - 1]))


def outer(a, b):
    """numpy.outer."""
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def vdot(a, b):
    """numpy.vdot: the first argument is conjugated."""
    return tensordot(conjugate(reshape(a, (-1,))), reshape(b, (-1,)), 1)


def diagonal(a, offset=0, axis1=0, axis2=1):
    """numpy.diagonal (as an index, so both modes follow from indexing)."""
    a = moveaxis(a, (axis1, axis2), (-2, -1)) if (axis1, axis2) != (0, 1) or \
        len(shape_of(a)) != 2 else a
    n, m = shape_of(a)[-2:]
    rows = _np.arange(max(0, -offset), min(n, m - offset))
    return getitem(a, (Ellipsis, rows, rows + offset))


def trace(a, offset=0, axis1=0, axis2=1):
    """numpy.trace."""
    return sum(diagonal(a, offset, axis1, axis2), axis=-1)


def diag(v, k=0):
    """numpy.diag: the k-th diagonal of a matrix, or a matrix with `v` on it."""
    s = shape_of(v)
    if len(s) == 2:
        return diagonal(v, k)
    n = s[0] + abs(k)
    rows = _np.arange(s[0]) + max(0, -k)
    return untake(v, (rows, rows + k), (n, n), _np.result_type(unbox(v)))


def _triangle_raw(keep):
    def raw(m, k=0):
        if not backend.is_foreign(m):
            return keep(m, k)                     # exact zeros, even beside inf or nan
        mask = keep(backend.ones(m.shape[-2:], bool, like=m), k)
        return backend.namespace(m).where(mask, m, 0 * m)
    return raw


# Linear maps on the last two axes: each is its own forward and reverse rule (a vector-mode
# tangent's extra leading axis is just one more batch axis).
triu = Primitive(_triangle_raw(_np.triu), name="triu", batch_jvp=True)
"""numpy.triu."""
tril = Primitive(_triangle_raw(_np.tril), name="tril", batch_jvp=True)
"""numpy.tril."""
triu.defrules(0, lambda t, ans, m, k=0: triu(t, k), lambda ans, m, k=0: lambda ct: triu(ct, k))
tril.defrules(0, lambda t, ans, m, k=0: tril(t, k), lambda ans, m, k=0: lambda ct: tril(ct, k))
