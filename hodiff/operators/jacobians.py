"""Jacobians and Hessians: jacfwd (vector mode), jacrev, hessian, Hessian-vector products,
Gauss-Newton products.
Imports hodiff.core, hodiff.numpy and the other operator modules.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

import numpy as _np

import hodiff.numpy as hnp
from hodiff.core import unbox
from hodiff.core.tree import flatten, unflatten
from hodiff.numpy import backend
from hodiff.numpy.shorthand import identity_tangent
from hodiff.operators import holomorphic as holo
from hodiff.operators._trace import (
    ArgNum,
    _argnums,
    _jvp_trace,
    _ones_for_grad,
    _require_complex,
    _select,
    _vjp_trace,
)
from hodiff.operators.forward import _linearized
from hodiff.operators.reverse import grad


def _size(x: Any) -> int:
    # From the shape: numpy.size on a Dask array would compute it.
    return _count(_np.shape(unbox(x)))


def _count(shape: tuple) -> int:
    n = 1  # (a Python product: numpy.prod costs more than the rest of a small Jacobian)
    for d in shape:
        n *= int(d)
    return n


def _basis(leaves: list) -> tuple[list, int]:
    """Identity tangents in vector mode: one direction per real degree of freedom (a complex
    element gets two: 1 and i, the first block of directions real, the second imaginary)."""
    if len(leaves) == 1 and _np.ndim(unbox(leaves[0])) == 1:
        raw = unbox(leaves[0])
        dt = _np.result_type(raw)
        if dt.kind != "c" and not backend.is_foreign(raw):
            # a recognizable identity lets products skip multiplying by it
            return [identity_tangent(raw.shape[0], dt)], raw.shape[0]
    sizes = [_size(x) for x in leaves]
    complex_sizes = [s if _np.result_type(unbox(x)).kind == "c" else 0
                     for x, s in zip(leaves, sizes)]
    n_real = sum(sizes)
    n = n_real + sum(complex_sizes)
    out, start, start_imag = [], 0, n_real
    for x, size, csize in zip(leaves, sizes, complex_sizes):
        raw = unbox(x)
        # Columns of the n-by-n identity, made in the input's library (CuPy, Dask, NumPy).
        eye = backend.eye(n, _np.result_type(raw), like=raw)
        t = eye[:, start:start + size]
        if csize:
            t = t + 1j * eye[:, start_imag:start_imag + csize]
        out.append(hnp.reshape(t, (n,) + _np.shape(raw)))
        start += size
        start_imag += csize
    return out, n


def _jac_blocks(t: Any, in_leaves: list, in_spec: Any) -> Any:
    """Cut the stacked tangents of one output into a block per input leaf, shaped
    out.shape + in.shape, under the convention: Re(df/dx) - i Re(df/dy) for a complex input, so
    each row is the gradient of the output's real part, as jacrev gives it."""
    out_shape = _np.shape(unbox(t))[1:]
    complex_out = _np.result_type(unbox(t)).kind == "c"
    n_real = sum(_size(x) for x in in_leaves)
    blocks, start, start_imag = [], 0, n_real
    for x in in_leaves:
        xs = _np.shape(unbox(x))
        size = _count(xs)
        block = t[start:start + size]
        if complex_out:
            block = hnp.real(block)
        if _np.result_type(unbox(x)).kind == "c":
            imag_block = t[start_imag:start_imag + size]
            block = block - 1j * (hnp.real(imag_block) if complex_out else imag_block)
            start_imag += size
        start += size
        nx = len(xs)
        block = hnp.reshape(block, xs + out_shape)
        blocks.append(hnp.transpose(block, tuple(range(nx, nx + len(out_shape))) +
                                    tuple(range(nx))))
    return unflatten(in_spec, blocks)


def _check_chunk(chunk_size: Any) -> None:
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive integer or None, got {chunk_size!r}")


def jacfwd(fun: Callable, argnum: ArgNum = 0, holomorphic: bool = False,
           check_holomorphic: bool = False, chunk_size: int | None = None) -> Callable:
    """The Jacobian by forward mode in vector mode: one pass carrying every input direction.

    The result has shape ``out.shape + in.shape`` (nested like output-of-input for containers).
    Cheapest for tall Jacobians (few inputs, many outputs). Complex values follow the
    convention, so the result equals `jacrev`'s: row j is the gradient of Re(f_j).

    Parameters
    ----------
    fun : callable
        Any function of arrays.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.
    holomorphic : bool
        `fun` is holomorphic in complex inputs: return its complex Jacobian f'(z) from one
        complex direction per input element (see docs/complex.md).
    check_holomorphic : bool
        With `holomorphic`, verify the Cauchy-Riemann equations at the point (one more
        direction per element) and raise ``NotHolomorphicError`` naming the failing output.
    chunk_size : int, optional
        At most this many directions per pass (bounds memory: tangents are chunk_size times
        the size of each intermediate); None carries all of them in one pass.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Jacobian.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex (complex, with
        `holomorphic`).
    ValueError
        If `chunk_size` is not a positive integer.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jacfwd
    >>> jacfwd(lambda v: np.array([v[0] * v[1], v[1] ** 2]))(np.array([2.0, 3.0])).tolist()
    [[3.0, 2.0], [0.0, 6.0]]
    """
    argnums, single = _argnums(argnum)
    _check_chunk(chunk_size)

    @wraps(fun)
    def jacfun(*args: Any, **kwargs: Any) -> Any:
        if holomorphic:
            return holo.jacfwd(fun, args, kwargs, argnums, single, check_holomorphic)
        leaves, spec = flatten(_select(args, argnums, single))
        basis, n = _basis(leaves)
        if chunk_size is None or chunk_size >= n:
            _, t = _jvp_trace(fun, args, kwargs, argnums, single, unflatten(spec, basis), n,
                              "jacfwd")
            t_leaves, out_spec = flatten(t)
        else:
            parts = []
            for lo in range(0, n, chunk_size):
                chunk = [b[lo:lo + chunk_size] for b in basis]
                _, t = _jvp_trace(fun, args, kwargs, argnums, single, unflatten(spec, chunk),
                                  len(range(lo, min(n, lo + chunk_size))), "jacfwd")
                t_leaves, out_spec = flatten(t)
                parts.append(t_leaves)
            t_leaves = [hnp.concatenate(ts, axis=0) for ts in zip(*parts)]
        return unflatten(out_spec, [_jac_blocks(tl, leaves, spec) for tl in t_leaves])

    return jacfun


def jacrev(fun: Callable, argnum: ArgNum = 0, holomorphic: bool = False,
           check_holomorphic: bool = False, chunk_size: int | None = None) -> Callable:
    """The Jacobian by reverse mode: one backward pass per output element over one tape.

    The result has shape ``out.shape + in.shape``. Cheapest for wide Jacobians.

    Parameters
    ----------
    fun : callable
        Any function of arrays.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.
    holomorphic : bool
        `fun` is holomorphic in complex inputs: return its complex Jacobian f'(z).
    check_holomorphic : bool
        With `holomorphic`, verify the Cauchy-Riemann equations at the point (a second
        backward pass per output element) and raise ``NotHolomorphicError`` if they fail.
    chunk_size : int, optional
        Rows are pulled back one at a time and stacked at most this many at once (bounds the
        memory of partial results); None stacks them all together.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Jacobian.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex (complex, with
        `holomorphic`).

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jacrev
    >>> jacrev(np.cumsum)(np.zeros(3)).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    argnums, single = _argnums(argnum)
    _check_chunk(chunk_size)

    @wraps(fun)
    def jacfun(*args: Any, **kwargs: Any) -> Any:
        who = "jacrev(holomorphic=True)" if holomorphic else "jacrev"
        if holomorphic:
            _require_complex(_select(args, argnums, single), who)
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, who)
        jac = _jacrev_rows(ans, pullback, args, argnums, single, chunk_size)
        if holomorphic and check_holomorphic:
            # Rows of the imaginary parts v (cotangents -i e_j) beside those of u.
            jac_v = _jacrev_rows(ans, pullback, args, argnums, single, chunk_size, scale=-1j)
            holo.check_rows(who, ans, _select(args, argnums, single), jac, jac_v)
        return jac

    return jacfun


def _jacrev_rows(ans: Any, pullback: Callable, args: tuple, argnums: tuple, single: bool,
                 chunk_size: int | None, scale: complex = 1) -> Any:
    """The Jacobian from a recorded pass: one pullback per output element, stacked. With
    `scale`, complex outputs are pulled back along scale * e_j instead (real ones along e_j)."""
    out_leaves, out_spec = flatten(ans)
    in_leaves, in_spec = flatten(_select(args, argnums, single))
    result = []
    for k, o in enumerate(out_leaves):
        o_raw = unbox(o)
        rows, done = [], []
        size = _size(o_raw)
        # One-hot cotangents: rows of the identity, in the output's library.
        eye = backend.eye(size, _np.result_type(o_raw), like=o_raw) if size else None
        for j in range(size):
            ct = [backend.zeros_like(p) for p in out_leaves]
            ct[k] = hnp.reshape(eye[j], _np.shape(o_raw))
            if scale != 1 and _np.result_type(o_raw).kind == "c":
                ct[k] = scale * ct[k]
            rows.append(flatten(pullback(unflatten(out_spec, ct)))[0])
            if chunk_size is not None and len(rows) == chunk_size:
                done.append([hnp.stack(col) for col in zip(*rows)])
                rows = []
        if rows:
            done.append([hnp.stack(col) for col in zip(*rows)])
        blocks = []
        for i, x in enumerate(in_leaves):
            xs = _np.shape(unbox(x))
            if not done:
                stacked = backend.zeros((0,) + xs, _np.result_type(unbox(x)), like=x)
            elif len(done) == 1:
                stacked = done[0][i]
            else:
                stacked = hnp.concatenate([d[i] for d in done], axis=0)
            blocks.append(hnp.reshape(stacked, _np.shape(o_raw) + xs))
        result.append(unflatten(in_spec, blocks))
    return unflatten(out_spec, result)


jacobian = jacrev


HESSIAN_MODES = ("auto", "fwd-rev", "rev-rev", "fwd-fwd", "rev-fwd")


def _inner_jacobian(fun: Callable, argnum: ArgNum, chunk_size: int | None,
                    by_shape: bool = True) -> Callable:
    """The derivative used inside `hessian`: the gradient for a scalar output (one backward
    pass); for a vector output its Jacobian, row by row in reverse mode, or (by_shape) by
    forward mode when it has more outputs than inputs."""
    argnums, single = _argnums(argnum)

    def inner(*args: Any, **kwargs: Any) -> Any:
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "hessian")
        raw = unbox(ans)
        if not isinstance(raw, (list, tuple, dict)) and _np.ndim(raw) == 0:
            return pullback(_ones_for_grad(ans, "hessian"), consume=True)
        n_out = sum(_size(o) for o in flatten(ans)[0])
        n_in = sum(_size(x)
                   for x in flatten(_select(args, argnums, single))[0])
        if by_shape and n_out > n_in:
            return jacfwd(fun, argnum, chunk_size=chunk_size)(*args, **kwargs)
        return _jacrev_rows(ans, pullback, args, argnums, single, chunk_size)
    return inner


def hessian(fun: Callable, argnum: ArgNum = 0, holomorphic: bool = False,
            check_holomorphic: bool = False, chunk_size: int | None = None,
            mode: str = "auto") -> Callable:
    """The Hessian (second derivative), forward-over-reverse by default.

    Parameters
    ----------
    fun : callable
        Returns a scalar (or an array: then the result is the Jacobian of its Jacobian).
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.
    holomorphic, check_holomorphic : bool
        As for `jacfwd`: the complex second derivative f''(z) of a holomorphic `fun`.
    chunk_size : int, optional
        At most this many directions per forward pass (see `jacfwd`).
    mode : {"auto", "fwd-rev", "rev-rev", "fwd-fwd", "rev-fwd"}
        The composition, outer-inner. "auto" picks by shape: forward over reverse (all n
        directions pushed forward through one gradient computation) for a scalar function or
        a vector function with at most as many outputs as inputs, forward over forward for a
        taller one.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Hessian, shaped ``out.shape + in.shape +
        in.shape`` (``in.shape + in.shape`` for a scalar `fun`).

    Raises
    ------
    TypeError
        If the inputs are not floating-point/complex.
    ValueError
        For an unknown `mode` or a bad `chunk_size`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hessian
    >>> hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0])).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    if mode not in HESSIAN_MODES:
        raise ValueError(f"hessian: mode must be one of {HESSIAN_MODES}, got {mode!r}")
    _check_chunk(chunk_size)
    if holomorphic:
        return jacfwd(grad(fun, argnum, holomorphic=True, check_holomorphic=check_holomorphic),
                      argnum, holomorphic=True, check_holomorphic=check_holomorphic,
                      chunk_size=chunk_size)
    if mode in ("auto", "fwd-rev"):
        inner = _inner_jacobian(fun, argnum, chunk_size, by_shape=mode == "auto")
        return jacfwd(inner, argnum, chunk_size=chunk_size)
    if mode == "rev-rev":
        inner = _inner_jacobian(fun, argnum, chunk_size, by_shape=False)
        return jacrev(inner, argnum, chunk_size=chunk_size)
    if mode == "fwd-fwd":
        return jacfwd(jacfwd(fun, argnum, chunk_size=chunk_size), argnum,
                      chunk_size=chunk_size)
    return jacrev(jacfwd(fun, argnum, chunk_size=chunk_size), argnum, chunk_size=chunk_size)


HVP_MODES = ("fwd-rev", "rev-rev", "rev-fwd")


def _check_hvp_mode(mode: str, who: str) -> None:
    if mode not in HVP_MODES:
        raise ValueError(f"{who}: mode must be one of {HVP_MODES}, got {mode!r}")


def _hvp_at(fun: Callable, args: tuple, kwargs: dict, argnum: ArgNum, v: Any, mode: str,
            who: str) -> Any:
    """H(args) @ v by the chosen composition (outer-inner)."""
    argnums, single = _argnums(argnum)
    if mode == "fwd-rev":  # forward over reverse: push v through the gradient computation
        return _jvp_trace(grad(fun, argnum), args, kwargs, argnums, single, v, None, who)[1]
    if mode == "rev-rev":  # reverse over reverse: pull v back through the gradient
        _, pullback = _vjp_trace(grad(fun, argnum), args, kwargs, argnums, single, who)
        return pullback(v, consume=True)

    def directional(*a: Any, **k: Any) -> Any:  # reverse over forward: grad of <grad f, v>
        return _jvp_trace(fun, a, k, argnums, single, v, None, who)[1]
    return grad(directional, argnum)(*args, **kwargs)


def hvp(fun: Callable, primals: Any, tangents: Any, mode: str = "rev-fwd") -> Any:
    """The Hessian-vector product H(x) @ v: ``hvp(f, x, v)``.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    primals : array or tuple
        The point: a single argument, or a tuple with one entry per argument.
    tangents : array or tuple
        The vector, structured like `primals`.
    mode : {"rev-fwd", "fwd-rev", "rev-rev"}
        The composition (outer-inner). "rev-fwd" (the gradient of the directional derivative)
        by default: forward over reverse also forms the gradient itself, which is then
        dropped, and pulls a cotangent back through every product with a constant along `v`
        (e.g. A @ x: A @ v doesn't depend on x); reverse over forward does neither.

    Returns
    -------
    array or tuple
        H @ v, structured like `primals`; the Hessian is never formed.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the inputs are not floating-point/complex.
    ValueError
        If `tangents` is not structured like `primals`, or `mode` is unknown.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hvp
    >>> hvp(lambda x: np.sum(x ** 3), np.array([1.0, 2.0]), np.array([1.0, 1.0])).tolist()
    [6.0, 12.0]
    """
    _check_hvp_mode(mode, "hvp")
    if isinstance(primals, tuple) and isinstance(tangents, tuple):
        return _hvp_at(fun, primals, {}, tuple(range(len(primals))), tangents, mode, "hvp")
    return _hvp_at(fun, (primals,), {}, 0, tangents, mode, "hvp")


def hessian_tensor_product(fun: Callable, argnum: int = 0, mode: str = "rev-fwd") -> Callable:
    """``hvp_fun(*args, v)``: the Hessian at args applied to `v` (reverse-over-forward).

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int
        Which positional argument to differentiate.
    mode : {"rev-fwd", "fwd-rev", "rev-rev"}
        The composition (outer-inner), as for `hvp`.

    Returns
    -------
    callable
        Takes `fun`'s arguments followed by `v`; returns ``H @ v``. This is the call signature
        ``scipy.optimize.minimize`` expects for ``hessp``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the input is not floating-point/complex.
    ValueError
        If `mode` is unknown.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hessian_vector_product
    >>> hvp_fun = hessian_vector_product(lambda x: np.sum(x ** 3))
    >>> hvp_fun(np.array([1.0, 2.0]), np.array([1.0, 0.0])).tolist()
    [6.0, 0.0]
    """
    _check_hvp_mode(mode, "hessian_vector_product")

    def vector_dot_hessian(*args: Any, **kwargs: Any) -> Any:
        args, v = args[:-1], args[-1]
        return _hvp_at(fun, args, kwargs, argnum, v, mode, "hessian_vector_product")
    return vector_dot_hessian


hessian_vector_product = hessian_tensor_product


def make_hvp(fun: Callable, argnum: int = 0, mode: str = "fwd-rev") -> Callable:
    """``make_hvp(f)(*args)`` gives ``(hvp_fn, grad f(*args))``; hvp_fn reuses one recorded
    gradient computation, so every product after the first costs one walk of that record and
    never reruns `f`.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int
        Which positional argument to differentiate.
    mode : {"fwd-rev", "rev-rev", "rev-fwd"}
        "fwd-rev" linearizes the gradient once (each product walks the recorded transpose of
        its backward pass); "rev-rev" pulls each vector back through the recorded gradient;
        "rev-fwd" reruns a reverse-over-forward pass per vector (no reuse).

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(hvp_fn, gradient)`` with ``hvp_fn(v) = H @ v``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the input is not floating-point/complex.
    ValueError
        If `mode` is unknown.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_hvp
    >>> hvp_fn, g = make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> g.tolist(), hvp_fn(np.array([0.0, 1.0])).tolist()
    ([3.0, 12.0], [0.0, 12.0])
    """
    _check_hvp_mode(mode, "make_hvp")

    def at(*args: Any, **kwargs: Any) -> tuple[Callable, Any]:
        if mode == "fwd-rev":
            g, jvp_fn, _ = _linearized(grad(fun, argnum), args, kwargs, (argnum,), True,
                                       "make_hvp")
            return jvp_fn, g
        if mode == "rev-rev":
            g, pullback = _vjp_trace(grad(fun, argnum), args, kwargs, (argnum,), True,
                                     "make_hvp")
            return pullback, g
        g = grad(fun, argnum)(*args, **kwargs)
        return (lambda v: _hvp_at(fun, args, kwargs, argnum, v, "rev-fwd", "make_hvp")), g
    return at


def _squares_hvp(y: Any, u: Any) -> Any:
    return u  # the Hessian of 0.5 * sum(y ** 2) is the identity


def _softmax_hvp(y: Any, u: Any) -> Any:
    # Cross-entropy of softmax(y) against fixed targets, over the last axis: its Hessian is
    # diag(p) - p p^T with p = softmax(y), whatever the targets.
    z = y - hnp.max(y, axis=-1, keepdims=True)
    p = hnp.exp(z)
    p = p / hnp.sum(p, axis=-1, keepdims=True)
    pu = p * u
    return pu - p * hnp.sum(pu, axis=-1, keepdims=True)


_NAMED_LOSSES = {"least_squares": _squares_hvp, "softmax_cross_entropy": _softmax_hvp}


def make_ggnvp(f: Callable, g: Callable | str | None = None, f_argnum: int = 0) -> Callable:
    """Generalized Gauss-Newton products: ``make_ggnvp(f, g)(*args)(v) = J_f^T H_g J_f v``.

    `f` runs once per point: its backward pass is recorded once, and each product walks that
    record twice (once transposed for ``J_f v``, once for ``J_f^T``).

    Parameters
    ----------
    f : callable
        The inner function, whose Jacobian J_f is used.
    g : callable or str, optional
        The outer loss, whose Hessian H_g is used: a function (its Hessian products are taken
        forward-over-reverse), or a name with a closed-form Hessian: "least_squares" (half the
        sum of squares, the default: the product is ``J^T J v``) or "softmax_cross_entropy"
        (cross-entropy of a softmax over the last axis: ``H u = p*u - p*sum(p*u)``).
    f_argnum : int
        Which positional argument of `f` to differentiate.

    Returns
    -------
    callable
        Takes `f`'s arguments; returns ``ggnvp`` with ``ggnvp(v) = J_f^T H_g J_f v``.

    Raises
    ------
    TypeError
        If the differentiated input is not floating-point/complex.
    ValueError
        For an unknown loss name.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_ggnvp
    >>> J = np.array([[1.0, 2.0], [0.0, 1.0]])
    >>> make_ggnvp(lambda x: J @ x)(np.zeros(2))(np.array([1.0, 0.0])).tolist()
    [1.0, 2.0]
    """
    if g is None:
        g = "least_squares"
    if isinstance(g, str):
        if g not in _NAMED_LOSSES:
            raise ValueError(f"make_ggnvp: unknown loss {g!r}; use a function or one of "
                             f"{sorted(_NAMED_LOSSES)}")
        loss_hvp = _NAMED_LOSSES[g]
    else:
        def loss_hvp(y: Any, u: Any) -> Any:
            return hvp(lambda z: hnp.sum(g(z)), y, u)

    def at(*args: Any, **kwargs: Any) -> Callable:
        f_x, f_jvp, f_vjp = _linearized(f, args, kwargs, (f_argnum,), True, "make_ggnvp")

        def ggnvp(v: Any) -> Any:
            return f_vjp(loss_hvp(f_x, f_jvp(v)))
        return ggnvp
    return at
