"""`import hodiff.scipy as sp`: SciPy's functions with derivative rules (special, stats, signal,
integrate, linalg). Submodules load on first use, so `sp.stats.norm` works after a plain
`import hodiff.scipy`, and importing hodiff never imports more of SciPy than it needs.
"""
import importlib

_SUBMODULES = ("integrate", "linalg", "signal", "special", "stats")


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"hodiff.scipy.{name}")
    raise AttributeError(f"module 'hodiff.scipy' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
