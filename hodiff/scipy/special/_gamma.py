"""The gamma family: gamma, gammaln, loggamma, rgamma, digamma, polygamma, beta, betaln and
multigammaln. Each rule is written with these same functions (the derivative of digamma is
polygamma(1, .)), so every derivative can be differentiated again.
Imports hodiff.numpy and scipy.special.
"""
from __future__ import annotations

import numpy as _np
import scipy.special as _sp

import hodiff.numpy as np
from hodiff.core import unbox
from hodiff.numpy.backend import is_foreign
from hodiff.numpy.shorthand import elementwise, nondiff


def _polygamma_raw(n, x):
    """scipy's polygamma, extended to complex x (scipy has real loops only) through
    psi_n(z) = (-1)^(n+1) n! zeta(n+1, z) (DLMF 25.11.12), by Euler-Maclaurin summation;
    float32 stays float32."""
    if is_foreign(x) or is_foreign(n):
        return _polygamma_foreign(n, x)
    dtype = _np.result_type(x, _np.float32)
    if dtype.kind != "c":
        return _np.asarray(_sp.polygamma(n, x)).astype(dtype, copy=False)[()]
    n = _np.asarray(n)
    if _np.all(n == 0):
        return _sp.digamma(_np.asarray(x, dtype=dtype))
    from hodiff.scipy.special._misc import _zeta_expression
    z = _np.asarray(x, dtype=_np.complex128)
    out = (-1.0) ** (n + 1) * _sp.factorial(n) * _zeta_expression(n + 1.0, z)
    return _np.where(n == 0, _sp.digamma(z), out).astype(dtype)[()]


def _polygamma_foreign(n, x):
    # CuPy and Dask arrays: the same formulas through scipy's ufuncs (which dispatch to the
    # array's library) and plain arithmetic, never np.asarray (a trip to the host).
    if _np.ndim(n) == 0 and not is_foreign(n) and n == 0:
        return _sp.digamma(x)
    if x.dtype.kind == "c":
        from hodiff.scipy.special._misc import _zeta_expression
        out = (-1.0) ** (n + 1) * _sp.gamma(n + 1.0) * _zeta_expression(n + 1.0, x)
    else:
        out = (-1.0) ** (n + 1) * _sp.gamma(n + 1.0) * _sp.zeta(n + 1.0, x)
    return _np.where(n == 0, _sp.digamma(x), out).astype(x.dtype)


# Holomorphic where scipy takes complex inputs (gamma, loggamma, rgamma, digamma, and
# polygamma through the Hurwitz zeta function); gammaln, beta and betaln are real only (scipy
# has no complex loops for them).
gamma = elementwise(_sp.gamma, lambda ans, x: ans * digamma(x), name="special.gamma")
gammaln = elementwise(_sp.gammaln, lambda ans, x: digamma(x), name="special.gammaln")
loggamma = elementwise(_sp.loggamma, lambda ans, x: digamma(x), name="special.loggamma")
def _rgamma_partial(ans, x):
    # rgamma = 1/gamma is entire: -rgamma(x) digamma(x), except at the poles of digamma
    # (x = -n, n = 0, 1, ...), where 1/gamma(x) ~ (-1)^n n! (x + n) gives the value (-1)^n n!
    # (first order only there: the poles are kept out of the spec domain).
    xr = _np.real(unbox(x))
    pole = _np.logical_and(_np.logical_and(xr <= 0, xr == _np.round(xr)),
                           _np.imag(unbox(x)) == 0)
    foreign = is_foreign(x)  # CuPy, Dask: no look at the values on the host
    if not foreign and not _np.any(pole):
        return -ans * digamma(x)
    n = _np.where(pole, -xr, 0)
    fact = _sp.gamma(n + 1.0) if foreign else _sp.factorial(n)  # n! (gamma: a ufunc)
    limit = ((-1.0) ** n * fact).astype(_np.result_type(unbox(ans)))
    return np.where(pole, limit, -ans * digamma(np.where(pole, 0.5, x)))


rgamma = elementwise(_sp.rgamma, _rgamma_partial, name="special.rgamma")
gammasgn = nondiff(_sp.gammasgn, name="special.gammasgn")
digamma = elementwise(_sp.digamma, lambda ans, x: polygamma(1, x), name="special.digamma")
psi = digamma
polygamma = elementwise(_polygamma_raw, None, lambda ans, n, x: polygamma(n + 1, x),
                        name="special.polygamma")


def _dbetaln(ans, a, b):
    return digamma(a) - digamma(a + b)


beta = elementwise(_sp.beta, lambda ans, a, b: ans * _dbetaln(ans, a, b),
                   lambda ans, a, b: ans * _dbetaln(ans, b, a), name="special.beta")
betaln = elementwise(_sp.betaln, _dbetaln, lambda ans, a, b: _dbetaln(ans, b, a),
                     name="special.betaln")


def multigammaln(a, d):
    """Log of the multivariate gamma function of dimension `d` (scipy.special.multigammaln),
    as a sum of gammaln: log Gamma_d(a) = d(d-1)/4 log(pi) + sum_j gammaln(a - j/2).

    Parameters
    ----------
    a : array_like
        Argument(s), each greater than (d - 1) / 2.
    d : int
        The dimension (not differentiable).

    Returns
    -------
    array_like
        The log multivariate gamma function, shaped like `a`.

    Example
    -------
    >>> import numpy
    >>> from hodiff import grad
    >>> float(numpy.round(grad(lambda a: multigammaln(a, 2))(3.0), 6))  # digamma(3) + digamma(2.5)
    1.625941
    """
    d = int(d)
    out = 0.25 * d * (d - 1) * float(_np.log(_np.pi))
    for j in range(d):
        out = out + gammaln(a - 0.5 * j)
    return out
