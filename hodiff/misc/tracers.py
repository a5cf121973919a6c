"""autograd.misc.tracers: `const_graph`, for functions evaluated many times on new values.
Imports nothing from hodiff.
"""
from __future__ import annotations

from functools import partial, wraps
from typing import Any, Callable

__all__ = ["const_graph"]


def const_graph(fun: Callable, *args: Any, **kwargs: Any) -> Callable:
    """``fun`` with `args` and `kwargs` bound, for a function whose control flow doesn't depend
    on its arguments' values.

    autograd records such a function's graph once and replays it. hodiff's tracing costs about
    as much as a replay would, so here the function simply runs each time; values and
    derivatives are the same.

    Parameters
    ----------
    fun : callable
    *args, **kwargs
        Bound first, as with `functools.partial`.

    Returns
    -------
    callable
        ``f(*more_args) = fun(*args, *more_args, **kwargs)``.

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.misc import const_graph
    >>> f = const_graph(lambda x: np.sum(np.sin(x) ** 2))
    >>> float(f(np.zeros(3))), grad(f)(np.zeros(2)).tolist()
    (0.0, [0.0, 0.0])
    """
    bound = partial(fun, *args, **kwargs)

    @wraps(fun)
    def run(*more_args: Any) -> Any:
        return bound(*more_args)

    return run
