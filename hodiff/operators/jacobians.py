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
from hodiff.numpy.shorthand import identity_tangent
from hodiff.operators._trace import ArgNum, _argnums, _jvp_trace, _select, _vjp_trace
from hodiff.operators.forward import jvp
from hodiff.operators.reverse import grad


def _basis(leaves: list) -> tuple[list, int]:
    """Identity tangents in vector mode: one direction per real degree of freedom (a complex
    element gets two: 1 and i, the first block of directions real, the second imaginary)."""
    if len(leaves) == 1 and _np.ndim(unbox(leaves[0])) == 1:
        raw = unbox(leaves[0])
        dt = _np.result_type(raw)
        if dt.kind != "c":  # a recognizable identity lets products skip multiplying by it
            return [identity_tangent(raw.shape[0], dt)], raw.shape[0]
    sizes = [int(_np.size(unbox(x))) for x in leaves]
    complex_sizes = [s if _np.result_type(unbox(x)).kind == "c" else 0
                     for x, s in zip(leaves, sizes)]
    n_real = sum(sizes)
    n = n_real + sum(complex_sizes)
    out, start, start_imag = [], 0, n_real
    for x, size, csize in zip(leaves, sizes, complex_sizes):
        raw = unbox(x)
        t = _np.zeros((n, size), dtype=_np.result_type(raw))
        t[start:start + size] = _np.eye(size)
        if csize:
            t[start_imag:start_imag + csize] = 1j * _np.eye(csize)
        out.append(t.reshape((n,) + _np.shape(raw)))
        start += size
        start_imag += csize
    return out, n


def _jac_blocks(t: Any, in_leaves: list, in_spec: Any) -> Any:
    """Cut the stacked tangents of one output into a block per input leaf, shaped
    out.shape + in.shape, under the convention: Re(df/dx) - i Re(df/dy) for a complex input, so
    each row is the gradient of the output's real part, as jacrev gives it."""
    out_shape = _np.shape(unbox(t))[1:]
    complex_out = _np.result_type(unbox(t)).kind == "c"
    n_real = sum(int(_np.size(unbox(x))) for x in in_leaves)
    blocks, start, start_imag = [], 0, n_real
    for x in in_leaves:
        xs = _np.shape(unbox(x))
        size = int(_np.prod(xs))
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


def jacfwd(fun: Callable, argnum: ArgNum = 0) -> Callable:
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

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Jacobian.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jacfwd
    >>> jacfwd(lambda v: np.array([v[0] * v[1], v[1] ** 2]))(np.array([2.0, 3.0])).tolist()
    [[3.0, 2.0], [0.0, 6.0]]
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def jacfun(*args: Any, **kwargs: Any) -> Any:
        leaves, spec = flatten(_select(args, argnums, single))
        basis, n = _basis(leaves)
        _, t = _jvp_trace(fun, args, kwargs, argnums, single, unflatten(spec, basis), n,
                          "jacfwd")
        t_leaves, out_spec = flatten(t)
        return unflatten(out_spec, [_jac_blocks(tl, leaves, spec) for tl in t_leaves])

    return jacfun


def jacrev(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """The Jacobian by reverse mode: one backward pass per output element over one tape.

    The result has shape ``out.shape + in.shape``. Cheapest for wide Jacobians.

    Parameters
    ----------
    fun : callable
        Any function of arrays.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Jacobian.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import jacrev
    >>> jacrev(np.cumsum)(np.zeros(3)).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def jacfun(*args: Any, **kwargs: Any) -> Any:
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "jacrev")
        out_leaves, out_spec = flatten(ans)
        in_leaves, in_spec = flatten(_select(args, argnums, single))
        result = []
        for k, o in enumerate(out_leaves):
            o_raw = unbox(o)
            rows = []
            for j in range(int(_np.size(o_raw))):
                ct = [_np.zeros_like(unbox(p)) for p in out_leaves]
                ct[k] = _np.zeros(_np.shape(o_raw), _np.result_type(o_raw))
                ct[k].reshape(-1)[j] = 1
                rows.append(flatten(pullback(unflatten(out_spec, ct)))[0])
            blocks = []
            for i, x in enumerate(in_leaves):
                xs = _np.shape(unbox(x))
                stacked = hnp.stack([r[i] for r in rows]) if rows else \
                    _np.zeros((0,) + xs, _np.result_type(unbox(x)))
                blocks.append(hnp.reshape(stacked, _np.shape(o_raw) + xs))
            result.append(unflatten(in_spec, blocks))
        return unflatten(out_spec, result)

    return jacfun


jacobian = jacrev


def hessian(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """The Hessian, forward-over-reverse: `jacfwd` of `grad` (n directions in one pass).

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns the Hessian, shaped ``in.shape + in.shape``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the inputs are not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hessian
    >>> hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0])).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    return jacfwd(grad(fun, argnum), argnum)


def hvp(fun: Callable, primals: Any, tangents: Any) -> Any:
    """The Hessian-vector product H(x) @ v (forward-over-reverse): ``hvp(f, x, v)``.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    primals : array or tuple
        The point: a single argument, or a tuple with one entry per argument.
    tangents : array or tuple
        The vector, structured like `primals`.

    Returns
    -------
    array or tuple
        H @ v, structured like `primals`; the Hessian is never formed.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the inputs are not floating-point/complex.
    ValueError
        If `tangents` is not structured like `primals`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hvp
    >>> hvp(lambda x: np.sum(x ** 3), np.array([1.0, 2.0]), np.array([1.0, 1.0])).tolist()
    [6.0, 12.0]
    """
    if isinstance(primals, tuple) and isinstance(tangents, tuple):
        argnums = tuple(range(len(primals)))
        return jvp(grad(fun, argnums), primals, tangents)[1]
    return jvp(grad(fun), (primals,), (tangents,))[1]


def hessian_tensor_product(fun: Callable, argnum: int = 0) -> Callable:
    """``hvp_fun(*args, v)``: the Hessian at args applied to `v` (forward-over-reverse).

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int
        Which positional argument to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments followed by `v`; returns ``H @ v``. This is the call signature
        ``scipy.optimize.minimize`` expects for ``hessp``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the input is not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import hessian_vector_product
    >>> hvp_fun = hessian_vector_product(lambda x: np.sum(x ** 3))
    >>> hvp_fun(np.array([1.0, 2.0]), np.array([1.0, 0.0])).tolist()
    [6.0, 0.0]
    """
    def vector_dot_hessian(*args: Any, **kwargs: Any) -> Any:
        args, v = args[:-1], args[-1]
        return _jvp_trace(grad(fun, argnum), args, kwargs, (argnum,), True, v, None,
                          "hessian_tensor_product")[1]
    return vector_dot_hessian


hessian_vector_product = hessian_tensor_product


def make_hvp(fun: Callable, argnum: int = 0) -> Callable:
    """``make_hvp(f)(*args)`` gives ``(hvp_fn, grad f(*args))``; hvp_fn reuses one recorded
    gradient computation (reverse-over-reverse), so many products at one point are cheap.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int
        Which positional argument to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(hvp_fn, gradient)`` with ``hvp_fn(v) = H @ v``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the input is not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_hvp
    >>> hvp_fn, g = make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> g.tolist(), hvp_fn(np.array([0.0, 1.0])).tolist()
    ([3.0, 12.0], [0.0, 12.0])
    """
    def at(*args: Any, **kwargs: Any) -> tuple[Callable, Any]:
        g, pullback = _vjp_trace(grad(fun, argnum), args, kwargs, (argnum,), True, "make_hvp")
        return pullback, g
    return at


def make_ggnvp(f: Callable, g: Callable | None = None, f_argnum: int = 0) -> Callable:
    """Generalized Gauss-Newton products: ``make_ggnvp(f, g)(*args)(v) = J_f^T H_g J_f v``.

    Parameters
    ----------
    f : callable
        The inner function, whose Jacobian J_f is used.
    g : callable, optional
        The outer function, whose Hessian H_g is used; defaults to half the sum of squares
        over the last axis (then the product is ``J^T J v``).
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

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_ggnvp
    >>> J = np.array([[1.0, 2.0], [0.0, 1.0]])
    >>> make_ggnvp(lambda x: J @ x)(np.zeros(2))(np.array([1.0, 0.0])).tolist()
    [1.0, 2.0]
    """
    if g is None:
        def g(y: Any) -> Any:
            return 0.5 * hnp.sum(y * y, axis=-1) if _np.ndim(unbox(y)) else 0.5 * y * y

    def at(*args: Any, **kwargs: Any) -> Callable:
        f_x, f_vjp = _vjp_trace(f, args, kwargs, (f_argnum,), True, "make_ggnvp")

        def ggnvp(v: Any) -> Any:
            _, jv = _jvp_trace(f, args, kwargs, (f_argnum,), True, v, None, "make_ggnvp")
            hjv = hvp(lambda y: hnp.sum(g(y)), f_x, jv)
            return f_vjp(hjv)
        return ggnvp
    return at
