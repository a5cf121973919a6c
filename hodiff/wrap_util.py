"""autograd's helpers for writing operators: `unary_to_nary` lifts an operator on one-argument
functions to every positional argument (an int or a tuple of argnums), and `wraps` names the
result after the function it wraps.
Imports nothing from hodiff.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

__all__ = ["get_doc", "get_name", "subvals", "unary_to_nary", "wrap_nary_f", "wraps"]


def get_name(f: Any) -> str:
    """A function's ``__name__``, or ``'[unknown name]'``.

    Parameters
    ----------
    f : object

    Returns
    -------
    str

    Example
    -------
    >>> get_name(len), get_name(3)
    ('len', '[unknown name]')
    """
    return getattr(f, "__name__", "[unknown name]")


def get_doc(f: Any) -> str:
    """A function's docstring, or ``''``.

    Parameters
    ----------
    f : object

    Returns
    -------
    str

    Example
    -------
    >>> def f():
    ...     "Says hello."
    >>> get_doc(f)
    'Says hello.'
    """
    return getattr(f, "__doc__", "") or ""


def subvals(x: tuple, ivs: Iterable[tuple[int, Any]]) -> tuple:
    """`x` with ``x[i]`` replaced by ``v`` for each ``(i, v)``.

    Parameters
    ----------
    x : tuple
    ivs : iterable of (int, object)

    Returns
    -------
    tuple

    Example
    -------
    >>> subvals((1, 2, 3), [(0, 9), (2, 7)])
    (9, 2, 7)
    """
    out = list(x)
    for i, v in ivs:
        out[i] = v
    return tuple(out)


def wraps(fun: Any, namestr: str = "{fun}", docstr: str = "{doc}", **kwargs: Any) -> Callable:
    """Decorator: give the decorated function a name and docstring made from `fun`'s.

    Parameters
    ----------
    fun : callable
        The wrapped function.
    namestr, docstr : str
        Formats with the fields ``fun`` (its name), ``doc`` (its docstring) and `kwargs`.

    Returns
    -------
    callable
        The decorator.

    Example
    -------
    >>> @wraps(len, "twice_{fun}")
    ... def f(x):
    ...     return 2 * len(x)
    >>> f.__name__
    'twice_len'
    """
    def decorate(f: Callable) -> Callable:
        try:
            f.__name__ = namestr.format(fun=get_name(fun), **kwargs)
            f.__doc__ = docstr.format(fun=get_name(fun), doc=get_doc(fun), **kwargs)
        except (AttributeError, KeyError, IndexError, ValueError):
            pass  # a name or docstring that can't be set or formatted stays as it was
        return f
    return decorate


def wrap_nary_f(fun: Callable, op: Callable, argnum: Any) -> Callable:
    """`wraps` for an operator applied to `fun`: names it ``{op}_of_{fun}_wrt_argnum_{argnum}``.

    Parameters
    ----------
    fun : callable
    op : callable
    argnum : int or tuple of int

    Returns
    -------
    callable
        The decorator.

    Example
    -------
    >>> @wrap_nary_f(len, abs, 0)
    ... def g():
    ...     pass
    >>> g.__name__
    'abs_of_len_wrt_argnum_0'
    """
    return wraps(fun, "{op}_of_{fun}_wrt_argnum_{argnum}",
                 "{op} of {fun} with respect to argument {argnum}; takes {fun}'s arguments.",
                 op=get_name(op), argnum=argnum)


def unary_to_nary(unary_operator: Callable) -> Callable:
    """Lift ``unary_operator(f, x, *op_args, **op_kwargs)`` (for `f` of one argument) to
    ``operator(fun, argnum=0, *op_args, **op_kwargs)(*args, **kwargs)``.

    With a tuple `argnum`, `x` is the tuple of those arguments.

    Parameters
    ----------
    unary_operator : callable

    Returns
    -------
    callable

    Example
    -------
    >>> @unary_to_nary
    ... def value_at(f, x):
    ...     return f(x)
    >>> value_at(lambda a, b: a - b, argnum=1)(10, 3)
    7
    >>> value_at(lambda a, b: a - b, (0, 1))(10, 3)
    7
    """
    def nary_operator(fun: Callable, argnum: Any = 0, *op_args: Any, **op_kwargs: Any) -> Callable:
        if not isinstance(argnum, (int, tuple, list)):
            raise TypeError(f"argnum must be an int or a tuple of ints, got {argnum!r}")

        @wrap_nary_f(fun, unary_operator, argnum)
        def nary_f(*args: Any, **kwargs: Any) -> Any:
            if isinstance(argnum, int):
                def unary_f(x: Any) -> Any:
                    return fun(*subvals(args, [(argnum, x)]), **kwargs)
                x = args[argnum]
            else:
                def unary_f(x: Any) -> Any:
                    return fun(*subvals(args, zip(argnum, x)), **kwargs)
                x = tuple(args[i] for i in argnum)
            return unary_operator(unary_f, x, *op_args, **op_kwargs)
        return nary_f

    nary_operator.__name__ = get_name(unary_operator)
    nary_operator.__doc__ = get_doc(unary_operator)
    return nary_operator
