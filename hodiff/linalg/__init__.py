"""Linear algebra: the primitives and their rules (solves, factorizations, decompositions,
matrix functions). The public names live in `hodiff.numpy.linalg` and `hodiff.scipy.linalg`.
Sits at the numpy layer: imports hodiff.core, hodiff.modes and hodiff.numpy.
"""
