"""The Schur decomposition a = Z T Z^H (T upper triangular, Z unitary), packed as [T; Z] along
the row axis like the other decompositions. Imports hodiff.core, hodiff.numpy and the linalg
helpers.

Derivative (distinct eigenvalues): with C = Z^H dA Z and X = Z^H dZ (skew-Hermitian),
differentiating a = Z T Z^H gives dT = C - (X T - T X). dT is upper triangular, so the
strictly lower part of X solves L(X T - T X) = L(C). Column j of X below the diagonal, x, then
solves the triangular system (T_jj I - T[j+1:, j+1:]) x = C[j+1:, j] - X[j+1:, :j] T[:j, j]
(only earlier columns appear), one solve per column from the left; the reverse rule solves
the transposed system column by column from the right. The gauge: diag(X) = 0, so
real Schur vectors follow numpy's signs; complex ones' phases are a smooth choice that may
differ from LAPACK's, as for eig (docs/linalg.md). A real Schur form with 2 x 2 blocks (complex
eigenvalues) has no rule here: `output="complex"` does.
"""
from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl

from hodiff.core import Primitive, unbox
from hodiff.linalg._util import cj, eye_like, fit_ct, matmul, mH, mT, tril, triu
from hodiff.linalg.solves import solve_triangular
from hodiff.numpy.shape import concatenate, reshape
from hodiff.numpy.shorthand import is_complex, shape_of


def _schur_raw(a, output="real", sort=None):
    t, z = _sl.schur(a, output=output, sort=sort)[:2]
    return _np.concatenate([t, z], axis=-2)


def unpack_schur(packed):
    n = shape_of(packed)[-1]
    return packed[..., :n, :], packed[..., n:, :]


def _lower_generator(c, t):
    """The strictly lower part of X with L(X T - T X) = L(C), built column by column."""
    n = shape_of(t)[-1]
    cols = c[..., :, :0]                                     # (..., n, 0): no columns yet
    for j in range(n - 1):
        rhs = c[..., j + 1:, j:j + 1] - matmul(cols[..., j + 1:, :], t[..., :j, j:j + 1])
        block = t[..., j + 1:, j + 1:]
        shift = reshape(t[..., j, j], shape_of(t)[:-2] + (1, 1))
        x = solve_triangular(shift * eye_like(block) - block, rhs, lower=False)
        top = 0 * c[..., :j + 1, j:j + 1]                    # zeros shaped like the column
        cols = concatenate([cols, concatenate([top, x], axis=-2)], axis=-1)
    last = 0 * c[..., :, :1]
    return concatenate([cols, last], axis=-1)


def _lower_generator_transpose(r, t):
    """The transpose of `_lower_generator`: the strictly lower Y with L(Y T^T - T^T Y) = L(R).
    T^T is lower triangular, so the columns are solved from the right: column j below the
    diagonal, y, solves (T_jj I - T[j+1:, j+1:]^T) y = R[j+1:, j] - Y[j+1:, j+1:] T[j, j+1:]."""
    n = shape_of(t)[-1]
    later = 0 * r[..., :, n - 1:]          # columns j+1 .. n-1 of Y (the last one is zero)
    for j in range(n - 2, -1, -1):
        rhs = r[..., j + 1:, j:j + 1] - matmul(later[..., j + 1:, :], mT(t[..., j:j + 1, j + 1:]))
        block = mT(t[..., j + 1:, j + 1:])
        shift = reshape(t[..., j, j], shape_of(t)[:-2] + (1, 1))
        y = solve_triangular(shift * eye_like(block) - block, rhs, lower=True)
        later = concatenate([concatenate([0 * r[..., :j + 1, j:j + 1], y], axis=-2), later],
                            axis=-1)
    return later


def _check_triangular(t, output):
    if output == "real" and _np.any(_np.tril(unbox(t), -1) != 0):
        raise NotImplementedError(
            "schur: the real Schur form has 2 x 2 blocks here (complex eigenvalues), which "
            "have no derivative rule in hodiff; call schur(a, output='complex')")


def _schur_jvp(tan, ans, a, output="real", sort=None):
    t, z = unpack_schur(ans)
    _check_triangular(t, output)
    c = matmul(mH(z), matmul(tan, z))
    low = _lower_generator(c, t)
    x = low - mH(low)                                        # skew-Hermitian, zero diagonal
    dt = triu(c - (matmul(x, t) - matmul(t, x)))
    return concatenate([dt, matmul(z, x)], axis=-2)


# The forward rule transposed step by step under Re(sum(a * b)): dZ = Z X gives X's cotangent
# Z^T ct_Z; dT = triu(C - X T + T X) gives C's cotangent D = triu(ct_T) and X's -D T^T + T^T D;
# X = Xl - Xl^H gives Xl's as the strict lower part of X_ct - X_ct^H; then the generator's
# transpose, and C = Z^H dA Z gives dA's as conj(Z) C_ct Z^T.
def _schur_vjp(ans, a, output="real", sort=None):
    t, z = unpack_schur(ans)
    _check_triangular(t, output)
    n = shape_of(t)[-1]

    def vjp(ct):
        d = triu(ct[..., :n, :])
        x_ct = matmul(mT(z), ct[..., n:, :]) - matmul(d, mT(t)) + matmul(mT(t), d)
        low_ct = tril(x_ct - mH(x_ct), -1)
        c_ct = d + _lower_generator_transpose(low_ct, t)
        return fit_ct(matmul(cj(z), matmul(c_ct, mT(z))), a, is_complex(ans))
    return vjp


schur_packed = Primitive(_schur_raw, name="linalg.schur", batch_jvp=True)
schur_packed.defrules(0, _schur_jvp, _schur_vjp)

__all__ = ["schur_packed", "unpack_schur"]
