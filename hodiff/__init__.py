"""hodiff: exact derivatives of ordinary NumPy code, in forward and reverse mode, to any order.

This module only re-exports the public surface.
"""
from hodiff import numpy  # noqa: F401  (installs the array methods on traced values)
from hodiff.complex import NotHolomorphicError, wirtinger
from hodiff.core import EscapedTracerError
from hodiff.extend import custom_jvp, custom_vjp, stop_gradient
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
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jet,
    jvp,
    linearize,
    make_ggnvp,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad,
    multigrad_dict,
    taylor,
    tensor_jacobian_product,
    value_and_grad,
    vector_jacobian_product,
    vjp,
)

from hodiff import optimize  # noqa: E402,F401  (scipy.optimize front end; scipy loads lazily)

egrad = elementwise_grad

# autograd's top-level names and subpackages (`hodiff.builtins`, `hodiff.misc`, ...).
from hodiff import builtins, differential_operators, misc, scipy, test_util, tracer  # noqa: E402, F401
from hodiff import wrap_util  # noqa: E402, F401
from hodiff.builtins import dict, isinstance, list, tuple, type  # noqa: A004, E402
from hodiff.extend import primitive  # noqa: E402
# Values leaving the trace (issue 5): the conversion errors and the plain value for logging.
from hodiff.core import (  # noqa: E402
    MissingRuleError,
    TracerAssignmentError,
    TracerConversionError,
    TracerItemError,
    primal_value,
)

__version__ = "0.1.0"

__all__ = [
    "EscapedTracerError", "checkpoint", "custom_jvp", "custom_vjp", "deriv", "egrad",
    "elementwise_grad", "grad", "grad_and_aux", "grad_named", "hessian",
    "hessian_tensor_product", "hessian_vector_product", "holomorphic_grad", "hvp", "jacfwd",
    "jacobian", "jacrev", "jvp", "linearize", "make_ggnvp", "make_hvp", "make_jvp", "make_vjp",
    "multigrad", "multigrad_dict", "stop_gradient", "tensor_jacobian_product", "value_and_grad",
    "vector_jacobian_product", "vjp", "wirtinger", "NotHolomorphicError",
    "jet", "taylor",
    # autograd's
    "dict", "isinstance", "list", "primitive", "tuple", "type",
    "MissingRuleError", "TracerAssignmentError", "TracerConversionError", "TracerItemError",
    "primal_value",
]
