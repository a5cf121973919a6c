"""autograd.numpy.numpy_boxes under its own path: `ArrayBox`, the type of a traced array, for
``isinstance(x, ArrayBox)`` checks. In hodiff every traced value is a `hodiff.core.Box`.
Imports hodiff.core.
"""
from hodiff.core import Box

ArrayBox = Box

__all__ = ["ArrayBox", "Box"]
