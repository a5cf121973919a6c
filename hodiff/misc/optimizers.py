"""First-order optimizers over nested parameter containers (autograd.misc.optimizers).

Each takes ``grad(params, iteration)`` and returns the final params; `callback(params, i, g)`
runs every step. Imports hodiff.misc.flatten.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as _np

from hodiff.misc.flatten import flatten


def unflatten_optimizer(step: Callable) -> Callable:
    """Turn an optimizer over flat vectors into one over nested containers of arrays.

    Parameters
    ----------
    step : callable
        ``step(grad, x, callback=None, *args, **kwargs)`` where `x` is a vector, ``grad(x, i)``
        a vector and ``callback(x, i, g)`` gets vectors.

    Returns
    -------
    callable
        ``optimizer(grad, x0, callback=None, *args, **kwargs)`` where `x0`, the gradient and
        the callback's arguments are structured like `x0` (see hodiff.misc.flatten).

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.misc.optimizers import unflatten_optimizer
    >>> @unflatten_optimizer
    ... def descend(grad, x, callback=None, num_iters=50, step_size=0.25):
    ...     for i in range(num_iters):
    ...         x = x - step_size * grad(x, i)
    ...     return x
    >>> out = descend(lambda p, i: {"w": 2 * (p["w"] - 1.0)}, {"w": np.zeros(2)})
    >>> out["w"].round(3).tolist()
    [1.0, 1.0]
    """
    return _flat(step)


def _flat(step: Callable) -> Callable:
    def optimizer(grad: Callable, x0: Any, callback: Callable | None = None,
                  *args: Any, **kwargs: Any) -> Any:
        x, unflatten = flatten(x0)

        def flat_grad(x: Any, i: int) -> Any:
            return flatten(grad(unflatten(x), i))[0]

        flat_callback = None if callback is None else \
            (lambda x, i, g: callback(unflatten(x), i, unflatten(g)))
        return unflatten(step(flat_grad, x, flat_callback, *args, **kwargs))
    optimizer.__name__ = step.__name__
    optimizer.__doc__ = step.__doc__
    return optimizer


@_flat
def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Gradient descent with momentum.

    Parameters
    ----------
    grad : callable
        ``grad(params, i)`` gives the gradient at step `i`, structured like the params.
    x0 : array or nested tuple/list/dict of arrays
        The starting params.
    callback : callable, optional
        ``callback(params, i, g)`` runs at each step before the update.
    num_iters : int
        The number of steps.
    step_size : float
        The learning rate.
    mass : float
        The momentum: the fraction of the velocity kept each step.

    Returns
    -------
    array or nested tuple/list/dict of arrays
        The final params, structured like `x0`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.misc.optimizers import sgd
    >>> sgd(lambda x, i: 2 * (x - 3.0), np.zeros(2), step_size=0.5).round(3).tolist()
    [3.0, 3.0]
    """
    velocity = _np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@_flat
def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=1e-8):
    """Root-mean-square propagation.

    Parameters
    ----------
    grad : callable
        ``grad(params, i)`` gives the gradient at step `i`, structured like the params.
    x0 : array or nested tuple/list/dict of arrays
        The starting params.
    callback : callable, optional
        ``callback(params, i, g)`` runs at each step before the update.
    num_iters : int
        The number of steps.
    step_size : float
        The learning rate.
    gamma : float
        The decay of the running average of squared gradients.
    eps : float
        Guards the division by that average's square root.

    Returns
    -------
    array or nested tuple/list/dict of arrays
        The final params, structured like `x0`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.misc.optimizers import rmsprop
    >>> x = rmsprop(lambda x, i: 2 * (x - 3.0), np.zeros(2), num_iters=200, step_size=0.05)
    >>> x.round(3).tolist()
    [3.0, 3.0]
    """
    avg_sq_grad = _np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g ** 2 * (1 - gamma)
        x = x - step_size * g / (_np.sqrt(avg_sq_grad) + eps)
    return x


@_flat
def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=1e-8):
    """Adam (Kingma and Ba, 2015), with bias-corrected moment estimates.

    Parameters
    ----------
    grad : callable
        ``grad(params, i)`` gives the gradient at step `i`, structured like the params.
    x0 : array or nested tuple/list/dict of arrays
        The starting params.
    callback : callable, optional
        ``callback(params, i, g)`` runs at each step before the update.
    num_iters : int
        The number of steps.
    step_size : float
        The learning rate.
    b1, b2 : float
        The decay rates of the first and second moment estimates.
    eps : float
        Guards the division by the second moment's square root.

    Returns
    -------
    array or nested tuple/list/dict of arrays
        The final params, structured like `x0`.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.misc.optimizers import adam
    >>> g = grad(lambda p, i: np.sum((p["w"] - 3.0) ** 2))
    >>> adam(g, {"w": np.zeros(2)}, num_iters=300, step_size=0.1)["w"].round(3).tolist()
    [3.0, 3.0]
    """
    m = _np.zeros(len(x))
    v = _np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * (g ** 2) + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        x = x - step_size * mhat / (_np.sqrt(vhat) + eps)
    return x
