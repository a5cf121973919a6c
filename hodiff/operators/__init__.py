"""The differential operators: grad, jvp, vjp, jacfwd, jacrev, hessian, hvp and friends.

Each call makes its own tag, boxes the chosen arguments (any nesting of tuples, lists and
dicts), runs the function, and reads the derivative off the boxed outputs. This package only
re-exports; `_trace` holds what all operators share.
"""
from hodiff.operators._trace import _jvp_trace, _vjp_trace
from hodiff.operators.extras import checkpoint, grad_named, multigrad, multigrad_dict
from hodiff.operators.forward import deriv, jvp, linearize, make_jvp
from hodiff.operators.jacobians import (
    hessian,
    hessian_tensor_product,
    hessian_vector_product,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    make_ggnvp,
    make_hvp,
)
from hodiff.operators.taylor import jet, taylor
from hodiff.operators.reverse import (
    elementwise_grad,
    grad,
    grad_and_aux,
    holomorphic_grad,
    make_vjp,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
    vjp,
)

__all__ = [
    "checkpoint", "deriv", "elementwise_grad", "grad", "grad_and_aux", "grad_named", "hessian",
    "hessian_tensor_product", "hessian_vector_product", "holomorphic_grad", "hvp", "jacfwd",
    "jacobian", "jacrev", "jvp", "linearize", "make_ggnvp", "make_hvp", "make_jvp", "make_vjp",
    "multigrad", "multigrad_dict", "tensor_jacobian_product", "value_and_grad",
    "vector_jacobian_product", "vjp", "_jvp_trace", "_vjp_trace", "jet", "taylor",
]
