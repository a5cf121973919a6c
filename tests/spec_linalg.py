"""Spec rows for hodiff.linalg (numpy.linalg and scipy.linalg). Inputs are drawn from the usual
domains and then shaped by a `prep` into well-conditioned matrices: diagonally dominant for
solves, Hermitian positive definite for Cholesky, well-separated spectra for eigen- and
singular-value rules. Complex eigenvectors and singular vectors are checked through functions
that do not depend on their phase (the gauge; docs/linalg.md). Named edge cases are in
tests/test_linalg.py.
"""
from __future__ import annotations

import numpy as onp
from spec import SMALL, _nondiff, _spec, cases, grid

import hodiff.numpy as np
import hodiff.numpy.linalg as la
import hodiff.scipy.linalg as sla

_SQ = [(2, 2), (3, 3), (2, 3, 3)]


def _eye(x):
    return onp.eye(x.shape[-1])


def dominant(args):
    """First argument 0.3 a + 2 I: Gershgorin keeps it well conditioned for n <= 3."""
    a = args[0]
    return (0.3 * a + 2 * _eye(a),) + args[1:]


def hpd(args):
    """First argument Hermitian positive definite with eigenvalues in about [0.5, 4]."""
    a = args[0]
    h = 0.1 * (a + onp.conj(onp.swapaxes(a, -1, -2))) / 2
    return (h + onp.diag(onp.arange(1.0, a.shape[-1] + 1)),) + args[1:]


def separated(args):
    """First argument a small perturbation of diag(1, 2, ...): distinct, separated eigenvalues
    (or singular values, for a rectangular matrix)."""
    a = args[0]
    m, n = a.shape[-2:]
    d = onp.zeros((m, n))
    k = min(m, n)
    d[onp.arange(k), onp.arange(k)] = onp.arange(1.0, k + 1)
    return (0.1 * a + d,) + args[1:]


def rotated(args):
    """`separated`, then turned by a fixed orthogonal matrix: never triangular, where LAPACK's
    eigenvalue order (the order eig returns) can jump under a perturbation."""
    a = separated(args)[0]
    q = onp.linalg.qr(onp.random.default_rng(1).standard_normal(a.shape[-2:]))[0]
    return (q @ a @ q.T,) + args[1:]


def _spread_rotated(args):
    """0.1 a + diag(1, 4, 16, ...), turned by a fixed orthogonal matrix."""
    a = args[0]
    n = a.shape[-1]
    q = onp.linalg.qr(onp.random.default_rng(1).standard_normal((n, n)))[0]
    return (q @ (0.1 * a + onp.diag(4.0 ** onp.arange(n))) @ q.T,) + args[1:]


def triangular(args):
    """First argument lower triangular with a diagonal away from zero."""
    a = args[0]
    return (onp.tril(0.3 * a) + 2 * _eye(a),) + args[1:]


def _shifted_hpd(b):
    """Hermitian positive definite, close to 2 I."""
    return 0.05 * (b + onp.conj(onp.swapaxes(b, -1, -2))) + 2 * _eye(b)


def _phase_free(v):
    return v * np.conj(v)


def _flat(*xs):
    """Several outputs as one vector (a row checks one array)."""
    return np.concatenate([np.reshape(x, (-1,)) for x in xs])


_B = [(2, 2), (2, 3, 3)]  # one matrix, and a stack of two

ROWS = [
    _spec("linalg.solve", la.solve, cases((((2, 2), (2,)), {}), (((2, 3, 3), (3, 1)), {})),
          im=SMALL, prep=dominant, ref=onp.linalg.solve),
    _spec("linalg.solve_triangular", lambda a, b: sla.solve_triangular(a, b, lower=True),
          cases((((2, 2), (2,)), {}), (((2, 3, 3), (3, 1)), {})), im=SMALL, prep=triangular),
    _spec("linalg.inv", la.inv, grid(_B), im=SMALL, prep=dominant, ref=onp.linalg.inv),
    _spec("linalg.det", la.det, grid(_B), im=SMALL, prep=dominant, ref=onp.linalg.det),
    _spec("linalg.logdet", lambda a: la.slogdet(a)[1], grid(_B), im=SMALL, prep=dominant,
          label="slogdet", ref=lambda a: onp.linalg.slogdet(a)[1]),
    _spec("linalg.cholesky", la.cholesky, grid(_B), im=SMALL, prep=hpd,
          ref=onp.linalg.cholesky),
    # Real eigenvectors have a sign gauge only (locally constant); complex ones are checked
    # through the phase-free v * conj(v).
    _spec("linalg.eigh", lambda a: _flat(la.eigh(a)[0], _phase_free(la.eigh(a)[1])), grid(_B),
          im=SMALL, prep=lambda args: hpd(separated(args))),
    _spec("linalg.eigvalsh", la.eigvalsh, grid(_B), im=SMALL, prep=hpd, ref=onp.linalg.eigvalsh),
    _spec("linalg.svd", lambda a: _flat(*[(_phase_free(x) if x.ndim > 1 else x)
                                          for x in la.svd(a, full_matrices=False)]),
          grid([(3, 2), (2, 2, 3)]), im=SMALL, prep=separated),
    _spec("linalg.svdvals", la.svdvals, grid([(3, 2), (2, 2, 3)]), im=SMALL, prep=separated,
          ref=onp.linalg.svdvals),
    _spec("linalg.qr", lambda a: _flat(*la.qr(a)), grid([(3, 2), (2, 2, 3)]), im=SMALL,
          prep=separated),
    _spec("linalg.eig", lambda a: _flat(la.eig(a)[0], _phase_free(la.eig(a)[1])), grid(_B),
          im=SMALL, prep=rotated),
    _spec("linalg.eigvals", la.eigvals, grid(_B), im=SMALL, prep=rotated),
    _spec("linalg.pinv", la.pinv, grid([(3, 2), (2, 2, 3)]), im=SMALL, prep=separated,
          ref=onp.linalg.pinv),
    _spec("linalg.lu", lambda a: _flat(*sla.lu(a)[1:]), grid([(2, 2), (3, 3)]), im=SMALL,
          prep=dominant),
    _nondiff("linalg.matrix_rank", la.matrix_rank, shapes=grid([(3, 3), (2, 3)])),
]


def near_identity(args):
    """First argument I + 0.2 a: eigenvalues near 1, far from the branch cut on (-inf, 0]."""
    a = args[0]
    return (_eye(a) + 0.2 * a,) + args[1:]


ROWS += [
    _spec("linalg.expm", sla.expm, grid([(2, 2), (2, 3, 3)]), im=SMALL,
          prep=lambda args: (0.5 * args[0],)),
    _spec("linalg.logm", sla.logm, grid([(2, 2)]), im=SMALL, prep=near_identity),
    _spec("linalg.sqrtm", sla.sqrtm, grid([(2, 2)]), im=SMALL, prep=near_identity),
    _spec("linalg.fractional_matrix_power", lambda a: sla.fractional_matrix_power(a, 0.3),
          grid([(2, 2)]), im=SMALL, prep=near_identity),
    _spec("linalg.solve_sylvester", sla.solve_sylvester,
          cases((((2, 2), (2, 2), (2, 2)), {})), im=SMALL,
          prep=lambda args: (dominant(args[:1])[0], dominant(args[1:2])[0], args[2])),
    _spec("linalg.solve_discrete_lyapunov", sla.solve_discrete_lyapunov,
          cases((((2, 2), (2, 2)), {})), im=SMALL, prep=lambda args: (0.2 * args[0], args[1])),
]

# Pieces of the Cholesky gradient that are primitives of their own (a BLAS path for large
# real matrices): checked against the same maps written with hodiff's operations.
from hodiff.linalg import _util, solves  # noqa: E402

_PAIRS = cases((((3, 3), (3, 3)), {}), (((2, 3, 3), (2, 3, 3)), {}), (((3, 3), (2, 3, 3)), {}))

ROWS += [
    _spec("linalg.cholesky_adjoint", solves.cholesky_adjoint, _PAIRS, im=SMALL,
          prep=triangular, ref=solves._adjoint_composite),
    _spec("linalg.hermitian_part_read", _util.hermitian_part_read, grid(_SQ), im=SMALL,
          ref=_util._read_composite),
    # Schur vectors' phases are a gauge: the row reads phase-free |T|^2 and |Z|^2. LAPACK's
    # eigenvalue order jumps under a perturbation at some inputs (every triangular one, and
    # about 1 in 3000 rotated ones with eigenvalues near 1, 2, 3): eigenvalues near 1, 4, 16,
    # turned by a fixed rotation, keep their order.
    _spec("linalg.schur", lambda a: _flat(*[_phase_free(x) for x in sla.schur(a)]),
          grid([(3, 3), (2, 3, 3)]), im=SMALL, prep=_spread_rotated),
    _spec("linalg.hermitian_part_read_transpose", _util.hermitian_part_read_transpose,
          grid(_SQ), im=SMALL, ref=_util._read_transpose_composite),
]

# Structured solves (band storage, Toeplitz first column and row) by their own solvers.
from hodiff.linalg import structured  # noqa: E402


def _band_dominant(args):
    """Band storage with rows (l, u) = (1, 1): the diagonal row shifted away from zero."""
    ab = args[0] * 0.3
    return (ab + onp.array([[0.0], [2.0], [0.0]]),) + args[1:]


def _toeplitz_dominant(args):
    c, r, b = args
    return (0.3 * c + onp.eye(c.shape[-1])[0] * 2, 0.3 * r, b)


ROWS += [
    _spec("linalg.solve_banded", lambda ab, b: structured.solve_banded(ab, b, 1, 1),
          cases((((3, 4), (4, 2)), {}), (((3, 3), (2, 3, 1)), {})), im=SMALL,
          prep=_band_dominant),
    _spec("linalg.solve_toeplitz", structured.solve_toeplitz,
          cases((((3,), (3,), (3, 2)), {}), (((4,), (4,), (2, 4, 1)), {})), im=SMALL,
          prep=_toeplitz_dominant),
]
