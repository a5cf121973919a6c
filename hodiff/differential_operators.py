"""autograd.differential_operators under its own path: the operators hodiff exports, plus
`make_jvp_reversemode`.
Imports hodiff.operators.
"""
from __future__ import annotations

from typing import Any, Callable

from hodiff.operators import (
    checkpoint,
    deriv,
    elementwise_grad,
    grad,
    grad_and_aux,
    grad_named,
    hessian,
    hessian_tensor_product,
    hessian_vector_product,
    holomorphic_grad,
    jacobian,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
)

__all__ = [
    "checkpoint", "deriv", "elementwise_grad", "grad", "grad_and_aux", "grad_named", "hessian",
    "hessian_tensor_product", "hessian_vector_product", "holomorphic_grad", "jacobian",
    "make_ggnvp", "make_hvp", "make_jvp", "make_jvp_reversemode", "make_vjp", "multigrad_dict",
    "tensor_jacobian_product", "value_and_grad", "vector_jacobian_product",
]


def make_jvp_reversemode(fun: Callable, argnum: Any = 0) -> Callable:
    """``make_jvp_reversemode(f)(*args)(v)`` is J @ v (the tangent only).

    autograd computes it with two reverse passes; hodiff has forward mode, which gives the
    same product in one pass, so this is `make_jvp` without the value.

    Parameters
    ----------
    fun : callable
    argnum : int or tuple of int

    Returns
    -------
    callable
        Takes `fun`'s arguments and returns ``v -> J @ v``.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.differential_operators import make_jvp_reversemode
    >>> make_jvp_reversemode(lambda x: x ** 2)(np.array([1.0, 3.0]))(np.ones(2)).tolist()
    [2.0, 6.0]
    """
    def at(*args: Any, **kwargs: Any) -> Callable:
        jvp_fn = make_jvp(fun, argnum)(*args, **kwargs)
        return lambda v: jvp_fn(v)[1]
    return at
