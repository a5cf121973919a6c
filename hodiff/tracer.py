"""autograd's tracing API: `trace(start_node, fun, x)` with `VJPNode` / `JVPNode` roots, and
`backward_pass`, for code that builds its own operators the way autograd's core does.
Imports hodiff.core, hodiff.modes and hodiff.numpy.shorthand.
"""
from __future__ import annotations

from typing import Any, Callable

from hodiff.core import Box, NondiffPrimitive, Primitive, new_tag, unbox
from hodiff.core import tree
from hodiff.modes.forward import ForwardTag
from hodiff.modes.reverse import ReverseTag, backward
from hodiff.numpy.shorthand import RulesForEveryArg

__all__ = ["Box", "JVPNode", "Node", "VJPNode", "backward_pass", "getval", "isbox",
           "notrace_primitive", "primitive", "register_notrace", "trace"]


class Node:
    """Where a traced output came from: the root made by ``new_root`` and, after `trace`, the
    node of the output.

    Parameters
    ----------
    tag : Tag or None
        The derivative call that traced the output (None for a root not yet traced).

    Example
    -------
    >>> from hodiff.tracer import VJPNode, trace, backward_pass
    >>> value, node = trace(VJPNode.new_root(), lambda x: x * x, 3.0)
    >>> float(value), float(backward_pass(1.0, node))
    (9.0, 6.0)
    """

    def __init__(self, tag: Any = None) -> None:
        self.tag = tag

    @classmethod
    def new_root(cls, *args: Any, **kwargs: Any) -> "Node":
        """A root node: hand it to `trace` with the function and the point.

        Parameters
        ----------
        *args : object
            For `JVPNode`, the input's tangent.

        Returns
        -------
        Node
        """
        node = cls()
        node.root_args = args
        return node


class VJPNode(Node):
    """A reverse-mode node: the output's place on the tape; see `backward_pass`.

    Parameters
    ----------
    tag : ReverseTag or None

    Example
    -------
    >>> import hodiff.numpy as np
    >>> from hodiff.tracer import VJPNode, trace, backward_pass
    >>> value, node = trace(VJPNode.new_root(), np.sin, 0.0)
    >>> float(backward_pass(1.0, node))
    1.0
    """


class JVPNode(Node):
    """A forward-mode node; after `trace`, its `g` is the output's tangent.

    Parameters
    ----------
    tag : ForwardTag or None

    Example
    -------
    >>> from hodiff.tracer import JVPNode, trace
    >>> value, node = trace(JVPNode.new_root(2.0), lambda x: x ** 3, 1.0)
    >>> float(value), float(node.g)
    (1.0, 6.0)
    """


def trace(start_node: Node, fun: Callable, x: Any) -> tuple[Any, Node | None]:
    """Run ``fun(x)`` under the derivative call that `start_node` stands for.

    Parameters
    ----------
    start_node : VJPNode or JVPNode
        From ``VJPNode.new_root()`` or ``JVPNode.new_root(tangent_of_x)``.
    fun : callable
        A function of one argument (an array, scalar or nested container).
    x : object
        The point.

    Returns
    -------
    end_value : object
        ``fun(x)``.
    end_node : Node or None
        The output's node (None when the output does not depend on `x`): pass a `VJPNode` to
        `backward_pass`; a `JVPNode` carries the output's tangent as ``.g``.

    Example
    -------
    >>> from hodiff.tracer import VJPNode, trace
    >>> value, node = trace(VJPNode.new_root(), lambda x: 2.0, 1.0)
    >>> value, node
    (2.0, None)
    """
    leaves, spec = tree.flatten(x)
    if isinstance(start_node, JVPNode):
        tangents = tree.flatten(start_node.root_args[0])[0]
        tag = ForwardTag()
        with new_tag(tag):
            out = fun(tree.unflatten(spec, [tag.box(v, t) for v, t in zip(leaves, tangents)]))
        value, g = tag.unbox_output(out)
        if g is None:
            return value, None
        node = JVPNode(tag)
        node.g = g
        return value, node
    tag = ReverseTag()
    with new_tag(tag):
        boxed = [tag.leaf(v) for v in leaves]
        out = fun(tree.unflatten(spec, boxed))
    index = tag.index_of(out)
    if index is None:
        return out, None
    node = VJPNode(tag)
    node.index, node.leaves, node.spec = index, [b._index for b in boxed], spec
    return out._primal, node


def backward_pass(g: Any, end_node: VJPNode) -> Any:
    """The cotangent of the traced input, given the cotangent `g` of the output.

    Parameters
    ----------
    g : object
        The output's cotangent.
    end_node : VJPNode
        From `trace`.

    Returns
    -------
    object
        Structured like the input given to `trace` (a zero leaf is None).

    Example
    -------
    >>> from hodiff.tracer import VJPNode, trace, backward_pass
    >>> _, node = trace(VJPNode.new_root(), lambda x: 5.0 * x, 1.0)
    >>> float(backward_pass(2.0, node))
    10.0
    """
    cts = backward(end_node.tag.tape, [(end_node.index, g)], end_node.leaves, False)
    return tree.unflatten(end_node.spec, cts)


def getval(x: Any) -> Any:
    """The plain value under a traced one.

    Parameters
    ----------
    x : object

    Returns
    -------
    object

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.tracer import getval
    >>> float(grad(lambda x: x * getval(x))(3.0))
    3.0
    """
    return unbox(x)


def isbox(x: Any) -> bool:
    """Whether `x` is a traced value.

    Parameters
    ----------
    x : object

    Returns
    -------
    bool

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.tracer import isbox
    >>> seen = []
    >>> _ = grad(lambda x: seen.append(isbox(x)) or x)(1.0)
    >>> seen, isbox(1.0)
    ([True], False)
    """
    return isinstance(x, Box)


def primitive(f_raw: Callable) -> Primitive:
    """Make `f_raw` a primitive: hodiff won't trace inside it; give it rules with defvjp/defjvp.

    Parameters
    ----------
    f_raw : callable
        Called on plain values (never traced ones) whenever the primitive is called.

    Returns
    -------
    Primitive
        Callable like `f_raw`. Differentiating it before it has a rule raises TypeError.

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.extend import primitive, defvjp
    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> defvjp(cube, lambda ans, x: lambda g: 3 * g * x ** 2)
    >>> float(grad(cube)(2.0))
    12.0
    """
    return Primitive(f_raw, register=False)


def notrace_primitive(f_raw: Callable) -> Primitive:
    """A primitive that sees plain values and returns untraced ones (no derivative).

    Parameters
    ----------
    f_raw : callable
        Called with every traced argument replaced by its plain value.

    Returns
    -------
    Primitive
        Callable like `fun`; its output is a constant to every derivative.

    Example
    -------
    >>> import numpy as onp
    >>> import hodiff.numpy as np
    >>> from hodiff import grad
    >>> from hodiff.extend import notrace_primitive
    >>> size_of = notrace_primitive(lambda x: onp.size(x))
    >>> grad(lambda x: np.sum(x) * size_of(x))(np.ones(3)).tolist()
    [3.0, 3.0, 3.0]
    """
    return NondiffPrimitive(f_raw, register=False)


def _zero_vjp(i: int) -> Callable:
    return lambda ans, *args, **kwargs: lambda ct: None


def _zero_jvp(i: int) -> Callable:
    return lambda t, ans, *args, **kwargs: None


def register_notrace(trace_type: type, primitive_fun: Primitive) -> None:
    """Make `primitive_fun` a constant to one mode: its output carries no derivative there.

    Parameters
    ----------
    trace_type : {VJPNode, JVPNode}
        The mode: reverse (VJPNode) or forward (JVPNode).
    primitive_fun : Primitive
        Made with `primitive`.

    Returns
    -------
    None

    Example
    -------
    >>> from hodiff import grad
    >>> from hodiff.tracer import VJPNode, primitive, register_notrace
    >>> rounded = primitive(lambda x: round(x))
    >>> register_notrace(VJPNode, rounded)
    >>> float(grad(lambda x: x + rounded(x))(2.3))
    1.0
    """
    if issubclass(trace_type, VJPNode):
        primitive_fun.vjps = RulesForEveryArg(_zero_vjp)
    elif issubclass(trace_type, JVPNode):
        primitive_fun.jvps = RulesForEveryArg(_zero_jvp)
    else:
        raise TypeError(f"register_notrace takes VJPNode or JVPNode, got {trace_type!r}")
