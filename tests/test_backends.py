"""The registry on other array libraries: every spec row's case on Dask arrays (and on CuPy
arrays on a GPU machine, with HODIFF_CUPY=1), derivatives equal to NumPy's to rounding and built
without computing anything; Dask's lazy gradients at scale and on a distributed client.

Rows whose plain function a library lacks are skipped here and listed in docs/backends.md
(regenerate with ``python tests/backend_support.py --write``; a test checks it is current).
"""
from __future__ import annotations

import numpy as onp
import pytest
from backend_support import (
    BACKENDS,
    DOC,
    Computed,
    cases_of,
    compare_row,
    current_section,
    plain_call_fails,
    section,
)
from spec import SPECS

import hodiff
import hodiff.numpy as np
from hodiff import grad, hessian, jacfwd, jacrev, jvp, value_and_grad

try:
    import dask
    import dask.array as da
except ImportError:  # the CuPy rows still run
    dask = da = None
needs_dask = pytest.mark.skipif(
    da is None, reason="Dask is an optional extra: pip install hodiff[dask]")

DASK = BACKENDS["dask"]
CUPY = BACKENDS["cupy"]
# Rows whose plain call works on a library but whose derivative rules don't yet, with why, as
# {"row id": "reason"} per library: expected failures (strict, so a fix must remove the entry).
# Keep these empty: fix the rule (hodiff/numpy/backend.py has the helpers) rather than list it.
_ORDER_ON_DASK = ("the sorted order is a lazy Dask index array, and take_along_axis by a "
                  "lazy index array (and its scatter back) is not supported on Dask")
_VALUE_DTYPE = ("the output dtype depends on the values (numpy's rule: real only when every "
                "imaginary part is small), so deciding it reads them on the host")
_ADAPTIVE = ("the shape-parameter derivative sums a series / continued fraction whose length "
             "is chosen by a convergence test on the values, on the host")
_QR_SIGNS = ("Dask's qr (TSQR over row chunks) fixes the signs of Q's columns and R's rows "
             "differently from LAPACK, so its factors (and their derivatives) are another valid "
             "QR than NumPy's, not equal to it")
_ON_DEVICE_GAPS = {
    "real[real_if_close]": _VALUE_DTYPE,
    "special.gammainc": _ADAPTIVE,
    "special.gammaincc": _ADAPTIVE,
    "special.gammaincinv": _ADAPTIVE,
    "special.betainc": _ADAPTIVE,
}
RULE_GAPS: dict[str, dict[str, str]] = {
    "dask": {
        **{f"getitem[{name}]": _ORDER_ON_DASK for name in
           ("median", "percentile", "nanmedian", "nanquantile", "nanpercentile")},
        **{k: v for k, v in _ON_DEVICE_GAPS.items() if k.startswith("special.")},
        "linalg.qr": _QR_SIGNS,
    },
    "cupy": dict(_ON_DEVICE_GAPS),
    "fakegpu": dict(_ON_DEVICE_GAPS),
}


def _row_cases(library):
    gaps = RULE_GAPS[library]
    return [pytest.param(s, c, k, id=f"{s.id}-{c}-{k}", marks=[pytest.mark.xfail(
        strict=True, reason=f"known gap on {library}: {gaps[s.id]}")] if s.id in gaps else [])
        for s in SPECS for c, k in cases_of(s)]


def _run_row(backend, spec, case, kind):
    why = backend.missing()
    if why is not None:
        pytest.skip(why)
    lacks = plain_call_fails(backend, spec, case, kind)
    if lacks is not None:
        if kind == "real":
            pytest.skip(f"{backend.name} lacks it: {lacks}")
        pytest.skip(f"{backend.name} lacks it for {kind} inputs: {lacks}")
    compare_row(backend, spec, case, kind)


@pytest.mark.parametrize("spec,case,kind", _row_cases("dask"))
def test_row_on_dask(spec, case, kind):
    _run_row(DASK, spec, case, kind)


@pytest.mark.parametrize("spec,case,kind", _row_cases("cupy"))
def test_row_on_cupy(spec, case, kind):
    _run_row(CUPY, spec, case, kind)


@pytest.mark.parametrize("spec,case,kind", _row_cases("fakegpu"))
def test_row_on_fake_gpu(spec, case, kind):
    """CuPy's rules on the CPU (tests/fake_gpu.py): no host array beside a device one, no
    implicit move to the host."""
    _run_row(BACKENDS["fakegpu"], spec, case, kind)


def test_the_fake_gpu_catches_a_host_constant():
    BACKENDS["fakegpu"].to(onp.ones(1))  # registers the stand-in library
    import fake_gpu

    scaled = hodiff.extend.primitive(lambda x: x * 2.0)
    hodiff.extend.defvjp(scaled, lambda ans, x: lambda ct: ct * (2.0 * onp.ones(x.shape)))
    x = fake_gpu.module.asarray(onp.arange(3.0))
    with pytest.raises(TypeError):
        grad(lambda x: np.sum(scaled(x)))(x)
    # A rule that reads a value on the host (float() of its plain input) fails under strict().
    peeked = hodiff.extend.primitive(lambda x: x * 2.0)
    hodiff.extend.defvjp(peeked, lambda ans, x: lambda ct: ct * float(x.sum() * 0 + 2))
    with fake_gpu.strict(), pytest.raises(fake_gpu.HostTransfer):
        grad(lambda x: np.sum(peeked(x)))(x)


def test_mlp_gradient_stays_on_the_fake_device():
    """The GPU benchmark's gradient, on the CPU stand-in: device arrays throughout, nothing
    copied to or from the host inside the step."""
    BACKENDS["fakegpu"].to(onp.ones(1))
    import fake_gpu

    params, x, y = _mlp_data()
    dev = fake_gpu.module.asarray
    before = fake_gpu.TO_DEVICE[0]
    dparams, dx, dy = [dev(p) for p in params], dev(x), dev(y)
    copies = fake_gpu.TO_DEVICE[0] - before
    with fake_gpu.strict():
        value, g = value_and_grad(_mlp_loss)(dparams, dx, dy)
        hs = hessian(lambda w: np.sum(np.tanh(dx[:5] @ w)))(dparams[2][:3])
    assert fake_gpu.TO_DEVICE[0] - before == copies, "the derivative copied data to the device"
    leaves = [value, *g, hs]
    assert all(isinstance(v, fake_gpu.ndarray) for v in leaves)
    want = [_mlp_loss(params, x, y), *grad(_mlp_loss)(params, x, y),
            hessian(lambda w: np.sum(np.tanh(x[:5] @ w)))(params[2][:3])]
    for a, b in zip(leaves, want):
        onp.testing.assert_allclose(a._a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["dask", "cupy"])
def test_backend_doc_is_current(name):
    backend = BACKENDS[name]
    why = backend.missing()
    if why is not None:
        pytest.skip(why)
    current = current_section(backend, DOC.read_text())
    assert current == section(backend), (
        f"docs/backends.md's {backend.name} list is out of date: run "
        "`python tests/backend_support.py --write`")


@needs_dask
def test_the_harness_catches_a_rule_that_computes():
    """A rule that pulls a Dask value to the host fails the row check."""
    leaky = hodiff.extend.primitive(lambda x: x * 2.0)
    hodiff.extend.defvjp(leaky, lambda ans, x: lambda ct: ct * float(onp.asarray(x).sum() * 0 + 2))
    hodiff.extend.defjvp(leaky, lambda t, ans, x: t * 2.0)
    x = da.ones(3, chunks=2)
    with DASK.forbid_host(), pytest.raises(Computed):
        grad(lambda x: np.sum(leaky(x)))(x)


# -- index forms Dask lacks, which hodiff's indexing rules spell out for it --------------------
_X = onp.arange(24.0).reshape(3, 4, 2) / 7.0 - 1.0
_INDICES = [
    (onp.array([0, 1]), slice(None), onp.array([1, 0])),
    (slice(None), onp.array([0, 2]), onp.array([1, 1])),
    (slice(None), onp.array([[0], [3]]), onp.array([1, 0])),
    (onp.array([2, 0, 2]), 1),
    (Ellipsis, onp.array([[1, 0], [0, 0]])),
    (onp.array([True, False, True]), slice(1, 3), 0),
]


@needs_dask
@pytest.mark.parametrize("idx", _INDICES, ids=range(len(_INDICES)))
def test_indexing_forms_dask_lacks(idx):
    x = da.from_array(_X, chunks=(2, 2, 1))
    v = onp.cos(_X[idx])

    def f(x):
        y = np.sin(x[idx]) * v
        z = x * 1.0
        z[idx] = y  # index assignment, with repeats resolved as numpy does (last wins)
        return np.sum(z ** 2) + np.sum(y)

    with DASK.forbid_host():
        g = grad(f)(x)
        h = jvp(grad(f), (x,), (da.ones_like(x),))[1]
    assert isinstance(g, da.Array) and isinstance(h, da.Array)
    g, h = dask.compute(g, h, scheduler="sync")
    onp.testing.assert_allclose(g, grad(f)(_X), rtol=1e-12)
    onp.testing.assert_allclose(h, jvp(grad(f), (_X,), (onp.ones_like(_X),))[1], rtol=1e-12)


# -- lazy gradients: the tape holds graph nodes, one compute at the end ------------------------
def _mlp_loss(params, x, y):
    w1, b1, w2 = params
    h = np.tanh(x @ w1 + b1)
    return np.mean((h @ w2 - y) ** 2) + 1e-3 * np.sum(w1 * w1)


def _mlp_data():
    rng = onp.random.default_rng(0)
    params = [rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal(4)]
    x, y = rng.standard_normal((40, 3)), rng.standard_normal(40)
    return params, x, y


@needs_dask
def test_gradients_of_dask_arrays_are_lazy_and_computed_once():
    params, x, y = _mlp_data()
    dx, dy = da.from_array(x, chunks=10), da.from_array(y, chunks=10)
    dparams = [da.from_array(p) for p in params]
    computes = []

    def counting(dsk, keys, **kwargs):
        computes.append(1)
        return dask.get(dsk, keys, **kwargs)

    with DASK.forbid_host():
        value, g = value_and_grad(_mlp_loss)(dparams, dx, dy)
        hv = jvp(grad(_mlp_loss), (dparams, dx, dy), (dparams, da.zeros_like(dx),
                                                       da.zeros_like(dy)))[1]
        jf = jacfwd(lambda w: np.tanh(dx @ w))(dparams[2][:3])
        jr = jacrev(lambda w: np.tanh(dx[:5] @ w))(dparams[2][:3])
        hs = hessian(lambda w: np.sum(np.tanh(dx[:5] @ w)))(dparams[2][:3])
    leaves = [value, *g, *hv, jf, jr, hs]
    assert all(isinstance(v, da.Array) for v in leaves)
    got = dask.compute(*leaves, scheduler=counting)
    assert len(computes) == 1
    want = [_mlp_loss(params, x, y), *grad(_mlp_loss)(params, x, y),
            *jvp(grad(_mlp_loss), (params, x, y), (params, onp.zeros_like(x),
                                                   onp.zeros_like(y)))[1],
            jacfwd(lambda w: np.tanh(x @ w))(params[2][:3]),
            jacrev(lambda w: np.tanh(x[:5] @ w))(params[2][:3]),
            hessian(lambda w: np.sum(np.tanh(x[:5] @ w)))(params[2][:3])]
    for a, b in zip(got, want):
        onp.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@needs_dask
def test_gradients_on_a_distributed_client():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    params, x, y = _mlp_data()
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        dparams = [da.from_array(p) for p in params]
        g = grad(_mlp_loss)(dparams, da.from_array(x, chunks=10), da.from_array(y, chunks=10))
        assert all(isinstance(v, da.Array) for v in g)
        got = client.compute(g, sync=True)
    for a, b in zip(got, grad(_mlp_loss)(params, x, y)):
        onp.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


# -- a least-squares loss over ten million rows, in chunks -------------------------------------
ROWS, SLICE, CHUNK = 10_000_000, 100_000, 1_000_000


def _least_squares(w, X, y):
    r = X @ w - y
    return 0.5 * np.mean(r * r)


@needs_dask
def test_least_squares_over_ten_million_rows():
    rs = da.random.RandomState(1234)
    X = rs.standard_normal((ROWS, 3), chunks=(CHUNK, 3))
    y = X @ onp.array([1.0, -2.0, 0.5]) + 0.1 * rs.standard_normal(ROWS, chunks=CHUNK)
    w = onp.array([0.3, 0.1, -0.2])
    with DASK.forbid_host():  # the whole derivative is a graph; nothing runs yet
        g_all = grad(_least_squares)(w, X, y)
        Xs, ys = X[:SLICE], y[:SLICE]
        g_slice, hv_slice = jvp(lambda w: grad(_least_squares)(w, Xs, ys), (w,),
                                (onp.array([1.0, 0.0, 0.0]),))
        closed = X.T @ (X @ w - y) / ROWS  # the textbook gradient, straight in Dask
    assert isinstance(g_all, da.Array) and g_all.npartitions == 1
    g_all, closed, g_slice, hv_slice, Xs, ys = dask.compute(
        g_all, closed, g_slice, hv_slice, Xs, ys)
    onp.testing.assert_allclose(g_all, closed, rtol=1e-10)
    # On a slice small enough for NumPy: the same derivatives from NumPy arrays.
    onp.testing.assert_allclose(g_slice, grad(_least_squares)(w, Xs, ys), rtol=1e-10)
    onp.testing.assert_allclose(hv_slice, Xs.T @ Xs[:, 0] / SLICE, rtol=1e-10)
    assert onp.abs(g_all).max() > 0.1  # a real gradient, not a trivially small one


@needs_dask
def test_hodiff_numpy_array_does_not_compute():
    x = da.ones((4, 3), chunks=2)
    with DASK.forbid_host():
        for y in (np.array(x), np.asarray(x), np.array(x, dtype=onp.float32),
                  np.full((2, 2), 3.0, like=x), np.astype(x, int)):
            assert isinstance(y, da.Array)
        g = grad(lambda x: np.sum(np.array(x) ** 2))(x)
    onp.testing.assert_allclose(g.compute(), 2 * onp.ones((4, 3)))
