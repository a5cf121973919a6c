"""Spec rows for hodiff.linalg (numpy.linalg and scipy.linalg). Inputs are drawn from the usual
domains and then shaped by a `prep` into well-conditioned matrices: diagonally dominant for
solves, Hermitian positive definite for Cholesky, well-separated spectra for eigen- and
singular-value rules. Complex eigenvectors and singular vectors are checked through functions
that do not depend on their phase (the gauge; docs/linalg.md). Named edge cases are in
tests/test_linalg.py.
"""
from __future__ import annotations

import numpy as onp
from spec import ANY, SMALL, _nondiff, _spec, cases, grid

import hodiff.numpy as np
import hodiff.numpy.linalg as la

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


def triangular(args):
    """First argument lower triangular with a diagonal away from zero."""
    a = args[0]
    return (onp.tril(0.3 * a) + 2 * _eye(a),) + args[1:]


def _shifted_hpd(b):
    """Hermitian positive definite, close to 2 I."""
    return 0.05 * (b + onp.conj(onp.swapaxes(b, -1, -2))) + 2 * _eye(b)


def _phase_free(v):
    return v * np.conj(v)


ROWS = [
    _spec("linalg.solve", la.solve, cases(
        (((2, 2), (2,)), {}), (((3, 3), (3, 2)), {}), (((2, 3, 3), (3, 2)), {}),
        (((3, 3), (2, 3, 1)), {})), im=SMALL, prep=dominant, ref=onp.linalg.solve),
    _spec("linalg.inv", la.inv, grid(_SQ), im=SMALL, prep=dominant, ref=onp.linalg.inv),
    _spec("linalg.inv", la.tensorinv, cases(((2, 2, 4), {"ind": 2})), im=SMALL,
          prep=lambda args: (0.3 * args[0] + onp.eye(4).reshape(2, 2, 4) * 2,),
          label="tensorinv", ref=onp.linalg.tensorinv),
    _spec("linalg.det", la.det, grid(_SQ), im=SMALL, prep=dominant, ref=onp.linalg.det),
    _spec("linalg.logdet", lambda a: la.slogdet(a)[1], grid(_SQ), im=SMALL, prep=dominant,
          label="slogdet", ref=lambda a: onp.linalg.slogdet(a)[1]),
    _spec("linalg.logdet", lambda a: la.slogdet(a)[0], grid([(3, 3)]), im=SMALL,
          prep=dominant, label="slogdet sign, complex phase"),
    _spec("linalg.cholesky", la.cholesky, grid(_SQ), im=SMALL, prep=hpd,
          ref=onp.linalg.cholesky),
    _spec("linalg.cholesky", lambda a: la.cholesky(a, upper=True), grid([(3, 3)]), im=SMALL,
          prep=hpd, label="upper"),
    _spec("linalg.solve_triangular", lambda a, b: _trisolve(a, b), cases(
        (((3, 3), (3, 2)), {}), (((2, 3, 3), (3, 1)), {})), im=SMALL, prep=triangular),
    _spec("linalg.eigh", lambda a: la.eigh(a)[0], grid(_SQ), im=SMALL, prep=hpd,
          label="eigenvalues", ref=lambda a: onp.linalg.eigh(a)[0]),
    _spec("linalg.eigh", lambda a: la.eigh(a)[1], grid(_SQ), prep=lambda args: hpd(separated(args)), label="eigenvectors, real"),
    _spec("linalg.eigh", lambda a: _phase_free(la.eigh(a)[1]), grid([(3, 3), (2, 2, 2)]),
          im=SMALL, prep=lambda args: hpd(separated(args)), label="eigenvectors, phase-free"),
    _spec("linalg.eigvalsh", la.eigvalsh, grid([(3, 3), (2, 2, 2)]), im=SMALL, prep=hpd,
          ref=onp.linalg.eigvalsh),
    _spec("linalg.svd", lambda a: la.svd(a, full_matrices=False)[1], grid([(3, 2), (2, 3)]),
          im=SMALL, prep=separated, label="singular values"),
    _spec("linalg.svd", lambda a: la.svd(a, full_matrices=False)[0],
          grid([(3, 2), (2, 3), (2, 3, 3)]), prep=separated, label="U, real"),
    _spec("linalg.svd", lambda a: la.svd(a, full_matrices=False)[2],
          grid([(3, 2), (2, 3)]), prep=separated, label="Vh, real"),
    _spec("linalg.svd", lambda a: _phase_free(la.svd(a, full_matrices=False)[0]) +
          _phase_free(la.svd(a, full_matrices=False)[2])[..., :1, :1],
          grid([(3, 2), (2, 3)]), im=SMALL, prep=separated, label="phase-free"),
    _spec("linalg.svdvals", la.svdvals, grid([(3, 2), (2, 3, 3)]), im=SMALL, prep=separated,
          ref=onp.linalg.svdvals),
    _spec("linalg.svdvals", lambda a: la.norm(a, 2), grid([(3, 3)]), im=SMALL, prep=separated,
          label="norm 2", ref=lambda a: onp.linalg.norm(a, 2)),
    _spec("linalg.svdvals", lambda a: la.norm(a, "nuc"), grid([(3, 2)]), im=SMALL,
          prep=separated, label="norm nuc", ref=lambda a: onp.linalg.norm(a, "nuc")),
    _spec("linalg.svdvals", la.cond, grid([(3, 3)]), im=SMALL, prep=separated, label="cond",
          ref=onp.linalg.cond),
    _spec("linalg.qr", lambda a: la.qr(a)[0], grid([(3, 2), (3, 3), (2, 3, 2)]), prep=separated,
          label="Q, real"),
    _spec("linalg.qr", lambda a: la.qr(a)[1], grid([(3, 2), (2, 3)]), im=SMALL,
          prep=separated, label="R"),
    _spec("linalg.qr", lambda a: la.qr(a)[0], grid([(3, 2)]), im=SMALL,
          prep=separated, label="Q, complex"),
    _spec("linalg.eig", lambda a: la.eig(a)[0], grid([(3, 3), (2, 2, 2)]), im=SMALL,
          prep=separated, label="eigenvalues"),
    _spec("linalg.eig", lambda a: _phase_free(la.eig(a)[1]), grid([(3, 3)]), im=SMALL,
          prep=separated, label="eigenvectors, phase-free"),
    _spec("linalg.eigvals", la.eigvals, grid([(3, 3), (2, 2, 2)]), im=SMALL, prep=separated),
    _spec("linalg.pinv", la.pinv, grid([(3, 2), (2, 3), (2, 3, 2)]), im=SMALL, prep=separated,
          ref=onp.linalg.pinv),
    _spec("linalg.pinv", lambda a, b: la.lstsq(a, b)[0], cases((((3, 2), (3,)), {})),
          im=SMALL, prep=separated, label="lstsq",
          ref=lambda a, b: onp.linalg.lstsq(a, b)[0]),
    _nondiff("linalg.matrix_rank", la.matrix_rank, shapes=grid([(3, 3), (2, 3)])),
]


def _trisolve(a, b):
    import hodiff.scipy.linalg as sla
    return sla.solve_triangular(a, b, lower=True)


def _sla():
    import hodiff.scipy.linalg as sla
    return sla


ROWS += [
    _spec("linalg.lu", lambda a: _sla().lu(a)[1], grid([(3, 3)]), im=SMALL, prep=dominant,
          label="L"),
    _spec("linalg.lu", lambda a: _sla().lu(a)[2], grid([(3, 3), (2, 2)]), im=SMALL,
          prep=dominant, label="U"),
    _spec("linalg.lu", lambda a, b: _sla().lu_solve(_sla().lu_factor(a), b),
          cases((((3, 3), (3,)), {})), im=SMALL, prep=dominant, label="lu_factor, lu_solve",
          ref=onp.linalg.solve),
    _spec("linalg.solve_triangular", lambda a, b: _sla().cho_solve(_sla().cho_factor(a), b),
          cases((((3, 3), (3,)), {}), (((2, 2), (2, 2)), {})), im=SMALL, prep=hpd,
          label="cho_factor, cho_solve", ref=onp.linalg.solve),
    _spec("linalg.eigh", lambda a, b: _sla().eigh(a, b)[0], cases((((3, 3), (3, 3)), {})),
          prep=lambda args: (hpd(separated(args[:1]))[0], _shifted_hpd(args[1])),
          label="generalized, scipy",
          ref=lambda a, b: __import__("scipy.linalg").linalg.eigh(a, b)[0]),
]
