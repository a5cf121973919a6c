"""The core: tags and boxes (tracing), primitives and their rules (registry), containers (tree).

Nothing here imports the rest of hodiff.
"""
from hodiff.core.registry import (
    MissingRuleError,
    NondiffPrimitive,
    Primitive,
    all_primitives,
    lookup,
)
from hodiff.core.tracing import (
    Box,
    EscapedTracerError,
    Tag,
    TracerAssignmentError,
    TracerConversionError,
    TracerItemError,
    current_depth,
    new_tag,
    primal_value,
    unbox,
)

__all__ = [
    "Box",
    "EscapedTracerError",
    "MissingRuleError",
    "NondiffPrimitive",
    "Primitive",
    "Tag",
    "TracerAssignmentError",
    "TracerConversionError",
    "TracerItemError",
    "all_primitives",
    "current_depth",
    "lookup",
    "new_tag",
    "primal_value",
    "unbox",
]
