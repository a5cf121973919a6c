"""Reverse-mode operators: grad and its variants, make_vjp, vjp, vector_jacobian_product.
Imports hodiff.core and the operators' tracing helpers.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

import numpy as _np

from hodiff.core import unbox
from hodiff.core.tree import tree_map
from hodiff.operators import holomorphic as holo
from hodiff.operators._trace import (
    ArgNum,
    _argnums,
    _aux_catcher,
    _ones_for_grad,
    _require_complex,
    _select,
    _strip,
    _vjp_trace,
)


def grad(fun: Callable, argnum: ArgNum = 0, holomorphic: bool = False,
         check_holomorphic: bool = False) -> Callable:
    """The gradient of a scalar-valued function, by reverse mode.

    Parameters
    ----------
    fun : callable
        Returns a scalar (real, or complex: then the derivative of its real part under the
        convention grad = du/dx - i du/dy, which is f'(z) when f is holomorphic).
    argnum : int or tuple of int
        Which positional argument(s) to differentiate; the argument may be any nesting of
        tuples, lists and dicts of arrays, and the gradient has the same structure.
    holomorphic : bool
        Insist that the inputs are complex (as for a holomorphic function).
    check_holomorphic : bool
        With `holomorphic`, also verify the Cauchy-Riemann equations at the point (a second
        backward pass over the same tape) and raise ``NotHolomorphicError`` if they fail.

    Returns
    -------
    callable
        Takes the same arguments as `fun`; returns the gradient (a tuple for a tuple argnum).

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the inputs are not floating-point/complex (or, with
        ``holomorphic=True``, not complex).

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> float(grad(np.sin)(0.0))
    1.0
    >>> [float(g) for g in grad(lambda x, y: x * y, argnum=(0, 1))(2.0, 3.0)]
    [3.0, 2.0]
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def gradfun(*args: Any, **kwargs: Any) -> Any:
        if holomorphic:
            if check_holomorphic:
                return holo.check_grad_cr(fun, args, kwargs, argnums, single,
                                          "grad(holomorphic=True)")
            _require_complex(_select(args, argnums, single), "grad(holomorphic=True)")
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "grad")
        return pullback(_ones_for_grad(ans, "grad"), consume=True)

    return gradfun


def holomorphic_grad(fun: Callable, argnum: ArgNum = 0,
                     check_holomorphic: bool = False) -> Callable:
    """f'(z) for a holomorphic scalar function of complex inputs (grad with holomorphic=True).

    Parameters
    ----------
    fun : callable
        A holomorphic function with a complex scalar output.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.
    check_holomorphic : bool
        Verify the Cauchy-Riemann equations at the point; raise ``NotHolomorphicError`` if
        they fail.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns f'(z) (a tuple for a tuple argnum).

    Raises
    ------
    TypeError
        If the differentiated inputs are not complex, or `fun` returns a non-scalar.

    Example
    -------
    >>> from hodiff import holomorphic_grad
    >>> complex(holomorphic_grad(lambda z: z ** 2)(1.0 + 2.0j))
    (2+4j)
    """
    return grad(fun, argnum, holomorphic=True, check_holomorphic=check_holomorphic)


def value_and_grad(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """Like `grad`, but the returned function gives ``(fun(*args), gradient)`` from one pass.

    Parameters
    ----------
    fun : callable
        Returns a scalar.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(value, gradient)``.

    Raises
    ------
    TypeError
        If `fun` returns a non-scalar, or the inputs are not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import value_and_grad
    >>> value, g = value_and_grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))
    >>> float(value), g.tolist()
    (5.0, [2.0, 4.0])
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def value_and_gradfun(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "value_and_grad")
        return ans, pullback(_ones_for_grad(ans, "value_and_grad"), consume=True)

    return value_and_gradfun


def grad_and_aux(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """For ``fun`` returning ``(scalar, aux)``: a function giving ``(gradient, aux)``.

    Parameters
    ----------
    fun : callable
        Returns a pair: a scalar to differentiate and any auxiliary data.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns ``(gradient, aux)``, with `aux` as plain values.

    Raises
    ------
    TypeError
        If the scalar part is not a scalar, or the inputs are not floating-point/complex.

    Example
    -------
    >>> from hodiff import grad_and_aux
    >>> g, aux = grad_and_aux(lambda x: (x ** 2, x + 1.0))(3.0)
    >>> float(g), float(aux)
    (6.0, 4.0)
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def grad_and_auxfun(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        aux_box = []

        def main(*a: Any, **k: Any) -> Any:
            value, aux = fun(*a, **k)
            aux_box.append(aux)
            return value

        ans, pullback = _vjp_trace(main, args, kwargs, argnums, single, "grad_and_aux")
        aux = _strip(aux_box[0])
        return pullback(_ones_for_grad(ans, "grad_and_aux"), consume=True), aux

    return grad_and_auxfun


def elementwise_grad(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """The sum of the Jacobian's rows (vjp with ones): the derivative of an elementwise function.

    Parameters
    ----------
    fun : callable
        Usually an elementwise function; for others the result is the column sums of the
        Jacobian.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments; returns an array shaped like the differentiated argument.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import elementwise_grad
    >>> elementwise_grad(lambda x: x ** 2)(np.array([1.0, 2.0, 3.0])).tolist()
    [2.0, 4.0, 6.0]
    """
    argnums, single = _argnums(argnum)

    @wraps(fun)
    def egradfun(*args: Any, **kwargs: Any) -> Any:
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "elementwise_grad")
        return pullback(tree_map(lambda a: _np.ones_like(unbox(a)), ans), consume=True)

    return egradfun


def make_vjp(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """autograd's make_vjp: ``make_vjp(f)(*args)`` gives ``(vjp_fn, f(*args))``.

    Parameters
    ----------
    fun : callable
        Any function of arrays (or nested containers of them).
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments, records one pass, and returns ``(vjp_fn, ans)``;
        ``vjp_fn(ct)`` gives the cotangent of the differentiated argument(s).

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex.
    ValueError
        From `vjp_fn`, if `ct` is not structured like the output.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import make_vjp
    >>> vjp_fn, ans = make_vjp(lambda x: x ** 3)(np.array([1.0, 2.0]))
    >>> ans.tolist(), vjp_fn(np.array([1.0, 1.0])).tolist()
    ([1.0, 8.0], [3.0, 12.0])
    """
    argnums, single = _argnums(argnum)

    def at(*args: Any, **kwargs: Any) -> tuple[Callable, Any]:
        ans, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "make_vjp")
        return pullback, ans

    return at


def vjp(fun: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """JAX-style ``vjp(f, *primals)`` -> ``(out, vjp_fn)`` (plus ``aux`` with has_aux).

    Parameters
    ----------
    fun : callable
        A function of ``len(primals)`` positional arguments.
    *primals
        The point: floating-point or complex arrays, scalars, or nested containers of them.
    has_aux : bool
        If True, `fun` returns ``(out, aux)`` and `aux` is returned as plain values.

    Returns
    -------
    tuple
        ``(out, vjp_fn)`` or ``(out, vjp_fn, aux)``; ``vjp_fn(ct)`` returns a tuple with one
        cotangent per primal.

    Raises
    ------
    TypeError
        If a primal is not floating-point/complex.
    ValueError
        From `vjp_fn`, if `ct` is not structured like `out`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import vjp
    >>> out, vjp_fn = vjp(lambda x, y: x * y, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    >>> [c.tolist() for c in vjp_fn(np.array([1.0, 10.0]))]
    [[3.0, 40.0], [1.0, 20.0]]
    """
    aux_box: list = []
    f = _aux_catcher(fun, aux_box) if has_aux else fun
    argnums = tuple(range(len(primals)))
    ans, pullback = _vjp_trace(f, primals, {}, argnums, False, "vjp")
    if has_aux:
        return ans, pullback, _strip(aux_box[0])
    return ans, pullback


def vector_jacobian_product(fun: Callable, argnum: ArgNum = 0) -> Callable:
    """``vjp_fun(*args, v)``: the product of `v` (shaped like fun's output) with the Jacobian.

    Parameters
    ----------
    fun : callable
        Any function of arrays.
    argnum : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Takes `fun`'s arguments followed by `v`; returns ``v @ J``, shaped like the
        differentiated argument.

    Raises
    ------
    TypeError
        If the differentiated inputs are not floating-point/complex.
    ValueError
        If `v` is not structured like the output.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import vector_jacobian_product
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> vector_jacobian_product(lambda x: A @ x)(np.zeros(2), np.array([1.0, 1.0])).tolist()
    [4.0, 6.0]
    """
    argnums, single = _argnums(argnum)

    def vector_dot_fun(*args: Any, **kwargs: Any) -> Any:
        args, v = args[:-1], args[-1]
        _, pullback = _vjp_trace(fun, args, kwargs, argnums, single, "vector_jacobian_product")
        return pullback(v, consume=True)

    return vector_dot_fun


tensor_jacobian_product = vector_jacobian_product
