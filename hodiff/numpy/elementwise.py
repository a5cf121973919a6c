"""Elementwise arithmetic and math: numpy's ufuncs with their partial derivatives.

Holomorphic functions use the `elementwise` shorthand: under the complex convention their rules
are the real formulas. Non-holomorphic ones (abs, real, imag, conj, angle) are written out.
Imports hodiff.core and the shorthands.
"""
from __future__ import annotations

import numpy as _np

from hodiff.core import Primitive, unbox
from hodiff.numpy.shorthand import elementwise, is_batched, is_complex, nondiff, shape_of


def _nonzero(x):
    # Stand-in for x where x == 0, so partials like log(x) stay finite where they are unused.
    return where(equal(x, 0), 1, x)


# -- arithmetic --------------------------------------------------------------------------------
add = elementwise(_np.add, 1, 1)
subtract = elementwise(_np.subtract, 1, -1)
multiply = elementwise(_np.multiply, lambda ans, x, y: y, lambda ans, x, y: x)
divide = elementwise(_np.divide, lambda ans, x, y: 1 / y, lambda ans, x, y: -ans / y)
true_divide = divide
negative = elementwise(_np.negative, -1)
positive = elementwise(_np.positive, 1)
def _power_dx(ans, x, y):
    if type(y) is int or type(y) is float:  # the common x**2: skip the array bookkeeping
        return 0.0 if y == 0 else (2 * x if y == 2 else y * x ** (y - 1))
    # 0 ** -1 only where x and y are both 0 (there x ** 0 is the constant 1): elsewhere the
    # plain formula, so the mixed second derivative at y == 0 stays right.
    return y * x ** where(logical_and(equal(y, 0), equal(x, 0)), 1, y - 1)


def _power_dy(ans, x, y):
    if type(x) is int or type(x) is float:  # a constant base: its log stays a weak Python float
        return ans * (float(_np.log(x)) if x != 0 else 0.0)
    return ans * log(_nonzero(x))


power = elementwise(_np.power, _power_dx, _power_dy)
square = elementwise(_np.square, lambda ans, x: 2 * x)
reciprocal = elementwise(_np.reciprocal, lambda ans, x: -(ans * ans))
sqrt = elementwise(_np.sqrt, lambda ans, x: 0.5 / ans)
cbrt = elementwise(_np.cbrt, lambda ans, x: 1 / (3 * ans * ans))
mod = elementwise(_np.mod, 1, lambda ans, x, y: -floor_divide(x, y))
remainder = mod
fmod = elementwise(_np.fmod, 1, lambda ans, x, y: -trunc(x / y))

# -- exponentials and logarithms ---------------------------------------------------------------
# Python floats, not numpy scalars: they don't promote float32 tangents to float64.
_LN2, _LN10 = float(_np.log(2.0)), float(_np.log(10.0))
exp = elementwise(_np.exp, lambda ans, x: ans)
exp2 = elementwise(_np.exp2, lambda ans, x: ans * _LN2)
expm1 = elementwise(_np.expm1, lambda ans, x: ans + 1)
log = elementwise(_np.log, lambda ans, x: 1 / x)
log2 = elementwise(_np.log2, lambda ans, x: 1 / (x * _LN2))
log10 = elementwise(_np.log10, lambda ans, x: 1 / (x * _LN10))
log1p = elementwise(_np.log1p, lambda ans, x: 1 / (x + 1))
logaddexp = elementwise(_np.logaddexp, lambda ans, x, y: exp(x - ans),
                        lambda ans, x, y: exp(y - ans))
logaddexp2 = elementwise(_np.logaddexp2, lambda ans, x, y: exp2(x - ans),
                         lambda ans, x, y: exp2(y - ans))

# -- trigonometric and hyperbolic --------------------------------------------------------------
sin = elementwise(_np.sin, lambda ans, x: cos(x))
cos = elementwise(_np.cos, lambda ans, x: -sin(x))
tan = elementwise(_np.tan, lambda ans, x: 1 + ans * ans)
arcsin = elementwise(_np.arcsin, lambda ans, x: 1 / sqrt(1 - x * x))
arccos = elementwise(_np.arccos, lambda ans, x: -1 / sqrt(1 - x * x))
arctan = elementwise(_np.arctan, lambda ans, x: 1 / (1 + x * x))
sinh = elementwise(_np.sinh, lambda ans, x: cosh(x))
cosh = elementwise(_np.cosh, lambda ans, x: sinh(x))
tanh = elementwise(_np.tanh, lambda ans, x: 1 - ans * ans)
arcsinh = elementwise(_np.arcsinh, lambda ans, x: 1 / sqrt(x * x + 1))
arccosh = elementwise(_np.arccosh, lambda ans, x: 1 / sqrt(x * x - 1))
arctanh = elementwise(_np.arctanh, lambda ans, x: 1 / (1 - x * x))
# Real only: atan2 and hypot are not holomorphic in either argument.
arctan2 = elementwise(_np.arctan2, lambda ans, y, x: x / (x * x + y * y),
                      lambda ans, y, x: -y / (x * x + y * y))
hypot = elementwise(_np.hypot, lambda ans, x, y: x / ans, lambda ans, x, y: y / ans)
deg2rad = elementwise(_np.deg2rad, lambda ans, x: _np.pi / 180)
rad2deg = elementwise(_np.rad2deg, lambda ans, x: 180 / _np.pi)
radians, degrees = deg2rad, rad2deg

# -- kinks: ties split the derivative evenly between the arguments -----------------------------
def _share(ans, x, y, above):
    # A plain mask (comparisons carry no derivative), in the output's dtype so a float32
    # tangent stays float32.
    return (above(x, y) + 0.5 * equal(x, y)).astype(_np.result_type(unbox(ans)))


maximum = elementwise(_np.maximum, lambda ans, x, y: _share(ans, x, y, greater),
                      lambda ans, x, y: _share(ans, y, x, greater))
minimum = elementwise(_np.minimum, lambda ans, x, y: _share(ans, x, y, less),
                      lambda ans, x, y: _share(ans, y, x, less))
fmax = elementwise(_np.fmax, lambda ans, x, y: _share(ans, x, y, greater),
                   lambda ans, x, y: _share(ans, y, x, greater))
fmin = elementwise(_np.fmin, lambda ans, x, y: _share(ans, x, y, less),
                   lambda ans, x, y: _share(ans, y, x, less))
where = elementwise(_np.where, None, lambda ans, c, x, y: c,
                    lambda ans, c, x, y: logical_not(c))
# The boundary counts as inside the interval.
_clip = elementwise(_np.clip, lambda ans, x, lo, hi: logical_and(
    greater_equal(x, lo if lo is not None else -_np.inf),
    less_equal(x, hi if hi is not None else _np.inf)), name="clip")


def clip(a, a_min=None, a_max=None, **kwargs):
    """numpy.clip; differentiable in `a` (the bounds count as inside)."""
    return _clip(a, a_min, a_max, **kwargs)

# -- non-holomorphic: abs, real, imag, conj, angle ---------------------------------------------
def _abs_direction(ans, x):
    # sign(x) for real x; conj(x)/|x| for complex. At 0 the derivative is taken as 0.
    if is_complex(x):
        return conj(x) / where(equal(ans, 0), 1, ans) * not_equal(ans, 0)
    return sign(x)


def _real_part_if(ans, v):
    return v if is_complex(ans) else real(v)


absolute = Primitive(_np.absolute, batch_jvp=True)
absolute.defrules(
    0,
    lambda t, ans, x: _real_part_if(ans, t * _abs_direction(ans, x)),
    lambda ans, x: (lambda d: lambda ct: ct * d)(_abs_direction(ans, x)),
)
abs = absolute  # noqa: A001 - numpy's name
fabs = elementwise(_np.fabs, lambda ans, x: sign(x))

real = Primitive(_np.real, batch_jvp=True)
real.defrules(0, lambda t, ans, x: real(t), lambda ans, x: lambda ct: ct)
imag = Primitive(_np.imag, batch_jvp=True)
imag.defrules(
    0, lambda t, ans, x: imag(t),
    lambda ans, x: (lambda ct: -1j * ct) if is_complex(x) else (lambda ct: None))
conjugate = Primitive(_np.conjugate, batch_jvp=True)
conjugate.defrules(0, lambda t, ans, x: conjugate(t), lambda ans, x: conjugate)
conj = conjugate
angle = Primitive(_np.angle, batch_jvp=True)
angle.defrules(
    0,
    lambda t, ans, x: imag(t * conj(x)) / _nonzero(real(x * conj(x))),
    lambda ans, x: (
        (lambda d: lambda ct: -1j * ct * d)(conj(x) / _nonzero(real(x * conj(x))))
        if is_complex(x) else (lambda ct: None)),
)

# -- no derivative -----------------------------------------------------------------------------
floor = nondiff(_np.floor)
ceil = nondiff(_np.ceil)
trunc = nondiff(_np.trunc)
rint = nondiff(_np.rint)
fix = nondiff(_np.fix)
round = nondiff(_np.round)  # noqa: A001
around = round
sign = nondiff(_np.sign)
floor_divide = nondiff(_np.floor_divide)
greater = nondiff(_np.greater)
greater_equal = nondiff(_np.greater_equal)
less = nondiff(_np.less)
less_equal = nondiff(_np.less_equal)
equal = nondiff(_np.equal)
not_equal = nondiff(_np.not_equal)
logical_and = nondiff(_np.logical_and)
logical_or = nondiff(_np.logical_or)
logical_not = nondiff(_np.logical_not)
logical_xor = nondiff(_np.logical_xor)
isnan = nondiff(_np.isnan)
isinf = nondiff(_np.isinf)
isfinite = nondiff(_np.isfinite)
isclose = nondiff(_np.isclose)
allclose = nondiff(_np.allclose)
array_equal = nondiff(_np.array_equal)
signbit = nondiff(_np.signbit)
iscomplexobj = nondiff(_np.iscomplexobj)
isrealobj = nondiff(_np.isrealobj)

__all__ = [n for n, v in list(globals().items())
           if isinstance(v, Primitive) and not n.startswith("_")]
del is_batched, shape_of
