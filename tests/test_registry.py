"""The registry-wide suite: every registered primitive has a spec row (tests/spec.py), and every
row's rules are checked against finite differences in both modes to order 2 (real, and complex
where the row says so), for adjointness, and for vector mode against unbatched forward passes.
Named edge cases (kinks, ties, float32, broadcasting) and a proof that check_grads catches a
wrong rule sit beside the generic tests.
"""
from __future__ import annotations

import importlib
import pkgutil

import numpy as onp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from spec import DIFF_SPECS, NONDIFF_SPECS, SPECS, Spec, example, inputs

import hodiff
import hodiff.numpy as np
from hodiff import grad, jvp, vjp
from hodiff.core import Box, NondiffPrimitive, all_primitives, lookup
from hodiff.core.tree import flatten, unflatten
from hodiff.core.vspace import random_like
from hodiff.extend import defjvp, defvjp, primitive
from hodiff.numpy.shorthand import RulesForEveryArg
from hodiff.operators import _jvp_trace
from hodiff.test_util import check_adjoint, check_grads

# Primitives with a rule for one mode only (the other is derived by transposition), with why.
# A primitive outside this list with rules for one mode only fails test_one_mode_exceptions.
ONE_MODE_EXCEPTIONS: dict[str, str] = {}

ROW_KINDS = [pytest.param(s, k, id=f"{s.id}-{k}") for s in DIFF_SPECS for k in s.kinds]
SEEDS = st.integers(0, 2**32 - 1)


def _unary(spec: Spec, kw: dict):
    """The row's callable as a function of one tuple of all its (differentiable) arguments."""
    return lambda xs: spec.fun(*xs, **kw)


def _nary(spec: Spec, kw: dict):
    """The row's callable with its keyword arguments fixed."""
    return lambda *xs: spec.fun(*xs, **kw)


def _leaves(x):
    return flatten(x)[0]


# -- (1) registry and rows agree ---------------------------------------------------------------
def rows_disagreeing(registered: set[str], specs: list[Spec]) -> tuple[set[str], set[str]]:
    """(primitives with no spec row, rows naming no registered primitive)."""
    covered = {s.name for s in specs}
    return registered - covered, covered - registered


def _import_every_module():
    """Import all of hodiff (but its command-line tour), so every primitive is registered."""
    for info in pkgutil.walk_packages(hodiff.__path__, "hodiff."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)


def test_every_primitive_has_a_spec_row():
    _import_every_module()
    missing, unknown = rows_disagreeing(set(all_primitives()), SPECS)
    assert not missing, (
        f"registered primitives with no spec row in tests/spec.py: {sorted(missing)}. "
        "Every primitive with a rule needs a test case.")
    assert not unknown, f"spec rows naming no registered primitive: {sorted(unknown)}"


def test_row_check_catches_a_missing_row():
    sin_rows = [s for s in SPECS if s.name == "sin"]
    assert rows_disagreeing({"sin", "new_primitive"}, sin_rows) == ({"new_primitive"}, set())
    stray = Spec(name="no_such_primitive", fun=np.sin, cases=sin_rows[0].cases)
    assert rows_disagreeing({"sin"}, sin_rows + [stray]) == (set(), {"no_such_primitive"})


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_row_calls_its_primitive(spec):
    """Each row's callable really goes through the primitive it names (under tracing), and
    gives numpy's value where the row has a reference."""
    prim = lookup(spec.name)
    calls = []
    raw = prim.fun

    def spy(*args, **kwargs):
        calls.append(1)
        return raw(*args, **kwargs)

    for case in range(len(spec.cases)):
        args, kw = example(spec, case)
        prim.fun = spy
        try:
            out, _ = jvp(_nary(spec, kw), args, tuple(onp.ones_like(a) for a in args))
        finally:
            prim.fun = raw
        assert calls, f"{spec.id} with {kw} never calls the primitive {spec.name!r}"
        calls.clear()
        plain = spec.fun(*args, **kw)
        if spec.nondiff:
            _assert_same_plain(out, plain, spec.same_values)
            continue
        onp.testing.assert_allclose(out, plain, rtol=1e-13, atol=1e-13)
        if spec.ref is not None:
            expected = spec.ref(*args, **kw)
            assert onp.shape(plain) == onp.shape(expected)
            onp.testing.assert_allclose(plain, expected, rtol=1e-13, atol=1e-13)


# -- (2) derivatives against finite differences, both modes, order 2 ---------------------------
def check_row_grads(spec: Spec, args: tuple, kw: dict, seed: int) -> None:
    f = _unary(spec, kw)
    tol = {"rtol": spec.rtol, "atol": spec.atol}
    check_grads(f, modes=("fwd", "rev"), order=2, seed=seed, **tol)(args)
    # The rules as functions of the tangent and of the cotangent: linear, and differentiable
    # (their derivatives run the transposed rules), which the checks in x alone don't reach.
    rng = onp.random.default_rng(seed)
    y, pullback = vjp(f, args)
    u = random_like(y, rng)
    check_grads(lambda u: pullback(u)[0], modes=("fwd", "rev"), order=1, seed=seed, **tol)(u)
    v = random_like(args, rng)
    check_grads(lambda v: jvp(f, (args,), (v,))[1], modes=("fwd", "rev"), order=1, seed=seed,
                **tol)(v)


@pytest.mark.parametrize("spec,kind", ROW_KINDS)
@given(data=st.data())
def test_check_grads(spec, kind, data):
    args, kw = data.draw(inputs(spec, kind), label="args, kwargs")
    check_row_grads(spec, args, kw, data.draw(SEEDS, label="seed"))


# -- (3) the forward and reverse rules are transposes ------------------------------------------
def check_row_adjoint(spec: Spec, args: tuple, kw: dict, seed: int) -> None:
    rng = onp.random.default_rng(seed)
    f = _unary(spec, kw)
    check_adjoint(f, args, rng)
    # The rules of the derivative itself (what second order runs) are transposes too.
    v = random_like(args, rng)
    check_adjoint(lambda xs: jvp(f, (xs,), (v,))[1], args, rng)
    u = random_like(f(args), rng)
    check_adjoint(lambda xs: vjp(f, xs)[1](u)[0], args, rng)


@pytest.mark.parametrize("spec,kind", ROW_KINDS)
@given(data=st.data())
def test_adjoint(spec, kind, data):
    args, kw = data.draw(inputs(spec, kind), label="args, kwargs")
    check_row_adjoint(spec, args, kw, data.draw(SEEDS, label="seed"))


# -- (4) vector mode equals the unbatched forward passes stacked -------------------------------
def _assert_batched_matches(f, args, ts, n):
    argnums = tuple(range(len(args)))
    _, tb = _jvp_trace(f, args, {}, argnums, False, ts, n, "vector-mode test")
    for k in range(n):
        _, tk = jvp(f, args, tuple(t[k] for t in ts))
        for b, u in zip(_leaves(tb), _leaves(tk)):
            b, u = onp.asarray(hodiff.core.unbox(b)), onp.asarray(u)
            assert b.shape == (n,) + u.shape, f"batched tangent shape {b.shape}, one {u.shape}"
            onp.testing.assert_allclose(b[k], u, rtol=1e-10, atol=1e-12)


def check_row_vector_mode(spec: Spec, args: tuple, kw: dict, seed: int, n: int = 3) -> None:
    rng = onp.random.default_rng(seed)
    f = _nary(spec, kw)
    ts = tuple(onp.stack([random_like(a, rng) for _ in range(n)]) for a in args)
    _assert_batched_matches(f, args, ts, n)
    # And over the derivative's own rules (jacfwd of a jvp, hessian = jacfwd of a grad).
    v = random_like(args, rng)
    u = random_like(f(*args), rng)
    _assert_batched_matches(lambda *xs: jvp(f, xs, v)[1], args, ts, n)
    _assert_batched_matches(lambda *xs: vjp(f, *xs)[1](u), args, ts, n)


@pytest.mark.parametrize("spec,kind", ROW_KINDS)
@given(data=st.data())
def test_vector_mode(spec, kind, data):
    args, kw = data.draw(inputs(spec, kind), label="args, kwargs")
    check_row_vector_mode(spec, args, kw, data.draw(SEEDS, label="seed"))


# -- (2-4) once for every case of every row, whatever hypothesis happens to draw ---------------
@pytest.mark.parametrize("spec,kind", ROW_KINDS)
def test_every_case(spec, kind):
    for case in range(len(spec.cases_for(kind))):
        args, kw = example(spec, case, kind, seed=case)
        try:
            check_row_grads(spec, args, kw, seed=case)
            check_row_adjoint(spec, args, kw, seed=case)
            check_row_vector_mode(spec, args, kw, seed=case)
        except Exception as e:
            raise AssertionError(f"{spec.id} ({kind}) with shapes "
                                 f"{[onp.shape(a) for a in args]} and {kw}: {e}") from e


# -- single precision: tangents and cotangents keep the dtype ----------------------------------
SINGLE_KINDS = [pytest.param(s, k, id=f"{s.id}-{k}") for s in DIFF_SPECS for k in s.kinds
                if k != "mixed"]


def _bits(x) -> int:
    return onp.finfo(onp.result_type(hodiff.core.unbox(x))).bits


def _cotangent_probe(seen: list):
    """An identity primitive whose reverse rule records the precision of what reaches it."""
    probe = primitive(lambda x: x)
    defjvp(probe, lambda t, ans, x: t)

    def record(ct):
        seen.append(_bits(ct))
        return ct

    defvjp(probe, lambda ans, x: record)
    return probe


@pytest.mark.parametrize("spec,kind", SINGLE_KINDS)
def test_single_precision_stays_single(spec, kind):
    """float32 (complex64) inputs: the tangent has the output's precision, and where the output
    is single precision, so are the cotangents the rules hand to the inputs (before the final
    cast to the input's dtype that would hide a silent promotion to double)."""
    single = onp.complex64 if kind == "complex" else onp.float32
    for case in range(len(spec.cases_for(kind))):
        args, kw = example(spec, case, kind)
        args = tuple(a.astype(single) for a in args)
        f = _nary(spec, kw)
        out, t = jvp(f, args, tuple(onp.ones_like(a) for a in args))
        assert _bits(t) == _bits(out), (
            f"{spec.id} with {kw}: output {onp.result_type(out)}, tangent {onp.result_type(t)}")
        if _bits(out) != 32:
            continue  # a double-precision constant made the output double
        seen: list = []
        probe = _cotangent_probe(seen)
        out, pullback = vjp(lambda *xs, f=f, probe=probe: f(*[probe(x) for x in xs]), *args)
        pullback(onp.ones_like(out))
        assert all(b == 32 for b in seen), (
            f"{spec.id} with {kw}: cotangents reaching the float32 inputs have {seen} bits")


# -- non-differentiable primitives -------------------------------------------------------------
def _assert_same_plain(a, b, same_values: bool = True) -> None:
    """Equal outputs of a non-differentiable primitive (arrays, tuples, dtypes)."""
    la, lb = _leaves(a), _leaves(b)
    assert len(la) == len(lb)
    for x, y in zip(la, lb):
        if isinstance(x, onp.dtype) or isinstance(y, onp.dtype):
            assert x == y
        elif same_values:
            onp.testing.assert_array_equal(x, y)
        else:
            assert onp.shape(x) == onp.shape(y) and onp.result_type(x) == onp.result_type(y)


@pytest.mark.parametrize("spec", NONDIFF_SPECS, ids=[s.id for s in NONDIFF_SPECS])
@given(data=st.data())
def test_nondiff_outputs_are_plain(spec, data):
    args, kw = data.draw(inputs(spec, "real"), label="args, kwargs")
    expected = spec.fun(*args, **kw)
    seen = []

    def f(*xs):
        out = spec.fun(*xs, **kw)
        seen.append(out)
        return out

    _, t = jvp(f, args, tuple(onp.ones_like(a) for a in args))
    out, pullback = vjp(f, *args)
    for out_traced in seen:
        assert not any(isinstance(leaf, Box) for leaf in _leaves(out_traced)), \
            f"{spec.id} returned a traced value"
    _assert_same_plain(out, expected, spec.same_values)
    assert not any(onp.any(leaf) for leaf in _leaves(t)), \
        "a non-differentiable primitive has a nonzero tangent"
    leaves, tree = flatten(out)
    for ct in pullback(unflatten(tree, [onp.ones(onp.shape(leaf)) for leaf in leaves])):
        assert not onp.any(ct), "a non-differentiable primitive has a nonzero cotangent"
    # Used inside a differentiable computation, a numeric output acts as a constant.
    if not spec.same_values or not all(
            not isinstance(leaf, onp.dtype) and onp.result_type(leaf).kind in "biuf"
            for leaf in _leaves(expected)):
        return
    x = args[0]
    c = sum(float(onp.sum(leaf)) for leaf in _leaves(expected))
    g = grad(lambda x: np.sum(x * sum(onp.sum(v) for v in _leaves(
        spec.fun(x, *args[1:], **kw)))))(x)
    onp.testing.assert_allclose(g, onp.broadcast_to(c, x.shape), rtol=1e-13)


# -- (5) rules for one mode only are listed exceptions -----------------------------------------
def _one_mode_argnums(prim) -> set | None:
    """Argument positions with a rule for one mode only (None: one table covers every
    position and the other doesn't)."""
    jv, vj = prim.jvps, prim.vjps
    every_j, every_v = isinstance(jv, RulesForEveryArg), isinstance(vj, RulesForEveryArg)
    if every_j and every_v:
        return set()
    if every_j or every_v:
        return None
    return set(jv) ^ set(vj)


def test_one_mode_exceptions():
    one_mode = {}
    for name, prim in all_primitives().items():
        if isinstance(prim, NondiffPrimitive):
            assert not prim.jvps and not prim.vjps, f"{name} is non-differentiable but has rules"
            continue
        assert prim.jvps or prim.vjps, f"{name} is a primitive with no rules at all"
        argnums = _one_mode_argnums(prim)
        if argnums is None or argnums:
            one_mode[name] = prim.one_mode_reason
    assert set(one_mode) == set(ONE_MODE_EXCEPTIONS), (
        f"primitives with rules for one mode only: {sorted(one_mode)}; listed exceptions: "
        f"{sorted(ONE_MODE_EXCEPTIONS)}")
    for name, reason in one_mode.items():
        assert reason, f"{name} has a rule for one mode only but no one_mode_reason"


# -- (6) check_grads catches a wrong rule ------------------------------------------------------
def _cube():
    @primitive
    def cube(x):
        return x ** 3
    return cube


def _right_jvp(t, ans, x):
    return 3 * x * x * t


def _right_vjp(ans, x):
    return lambda ct: 3 * x * x * ct


def _wrong_jvp(t, ans, x):
    return 2 * x * x * t


def _wrong_vjp(ans, x):
    return lambda ct: 2 * x * x * ct


X = onp.array([0.3, -1.2, 2.0])


def test_check_grads_passes_right_rules():
    cube = _cube()
    defjvp(cube, _right_jvp)
    defvjp(cube, _right_vjp)
    check_grads(cube, modes=("fwd", "rev"), order=2)(X)


@pytest.mark.parametrize("mode", ["fwd", "rev"])
@pytest.mark.parametrize("wrong", ["jvp", "vjp"])
def test_check_grads_catches_a_wrong_rule(mode, wrong):
    # The wrong rule alone: the other mode is derived from it, so both modes are wrong.
    cube = _cube()
    if wrong == "jvp":
        defjvp(cube, _wrong_jvp)
    else:
        defvjp(cube, _wrong_vjp)
    with pytest.raises(AssertionError):
        check_grads(cube, modes=(mode,), order=1)(X)


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_check_grads_catches_a_wrong_rule_beside_a_right_one(mode):
    # Forward rule right, reverse rule wrong: only the reverse check can see it, and it must.
    cube = _cube()
    defjvp(cube, _right_jvp)
    defvjp(cube, _wrong_vjp)
    if mode == "fwd":
        check_grads(cube, modes=("fwd",), order=1)(X)
    else:
        with pytest.raises(AssertionError):
            check_grads(cube, modes=("rev",), order=1)(X)


@pytest.mark.parametrize("mode", ["fwd", "rev"])
def test_check_grads_order_2_catches_a_rule_that_is_right_only_to_first_order(mode):
    # The derivative's value is right but it is treated as a constant: only order 2 sees it.
    cube = _cube()
    defjvp(cube, lambda t, ans, x: 3 * hodiff.stop_gradient(x * x) * t)

    def vjp_maker(ans, x):
        d = 3 * hodiff.stop_gradient(x * x)
        return lambda ct: d * ct

    defvjp(cube, vjp_maker)
    check_grads(cube, modes=(mode,), order=1)(X)
    with pytest.raises(AssertionError):
        check_grads(cube, modes=(mode,), order=2)(X)


# -- named edge cases --------------------------------------------------------------------------
def test_abs_at_zero_has_derivative_zero():
    assert grad(np.abs)(0.0) == 0.0
    assert jvp(np.abs, (0.0,), (1.0,))[1] == 0.0
    assert grad(np.abs)(0j) == 0.0
    assert jvp(np.abs, (0j,), (1 + 1j,))[1] == 0.0
    assert grad(np.fabs)(0.0) == 0.0
    x = onp.array([-1.5, 0.0, 2.0])
    onp.testing.assert_array_equal(hodiff.egrad(np.abs)(x), [-1.0, 0.0, 1.0])
    onp.testing.assert_array_equal(jvp(np.abs, (x,), (onp.ones(3),))[1], [-1.0, 0.0, 1.0])
    onp.testing.assert_array_equal(hodiff.hessian(lambda x: np.sum(np.abs(x)))(x),
                                   onp.zeros((3, 3)))


@pytest.mark.parametrize("x", [1e-4, 1e-8, 1e-12])
def test_sqrt_near_zero(x):
    d = grad(np.sqrt)(x)
    assert d == pytest.approx(0.5 / onp.sqrt(x), rel=1e-12)
    assert jvp(np.sqrt, (x,), (1.0,))[1] == pytest.approx(0.5 / onp.sqrt(x), rel=1e-12)
    assert grad(grad(np.sqrt))(x) == pytest.approx(-0.25 * x ** -1.5, rel=1e-12)
    # Finite differences with a step well inside the domain agree too.
    check_grads(np.sqrt, modes=("fwd", "rev"), order=2, eps=x * 1e-4)(x)


def test_ties_in_max_split_evenly():
    x = onp.array([1.0, 3.0, 3.0])
    onp.testing.assert_allclose(grad(np.max)(x), [0.0, 0.5, 0.5])
    onp.testing.assert_allclose(grad(np.min)(x), [1.0, 0.0, 0.0])
    onp.testing.assert_allclose(jvp(np.max, (x,), (onp.array([5.0, 1.0, 2.0]),))[1], 1.5)
    m = onp.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    expected = [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]
    onp.testing.assert_allclose(hodiff.egrad(lambda m: np.max(m, axis=1))(m), expected)
    onp.testing.assert_allclose(
        hodiff.egrad(lambda m: np.max(m, axis=1, keepdims=True))(m), expected)
    onp.testing.assert_allclose(
        hodiff.jacfwd(lambda m: np.max(m, axis=1))(m).sum(axis=0), expected)


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_ties_in_maximum_split_evenly(name):
    f = getattr(np, name)
    a = onp.array([1.0, -2.0, 0.5])
    gx, gy = grad(lambda x, y: np.sum(f(x, y)), (0, 1))(a, a.copy())
    onp.testing.assert_allclose(gx, 0.5)
    onp.testing.assert_allclose(gy, 0.5)
    _, t = jvp(f, (a, a.copy()), (onp.array([1.0, 2.0, 4.0]), onp.array([3.0, 0.0, 0.0])))
    onp.testing.assert_allclose(t, [2.0, 1.0, 2.0])
    # f(x, x) is x: its derivative is 1, shared.
    assert grad(lambda x: f(x, x))(0.7) == pytest.approx(1.0)


F32_FUNS = {
    "sin": lambda x: np.sum(np.sin(x)),
    "exp*scalar": lambda x: np.sum(np.exp(x) * 2.0),
    "max": lambda x: np.max(x),
    "matmul": lambda x: np.sum(x @ x),
    "sqrt/abs": lambda x: np.sum(np.sqrt(np.abs(x) + 1.0)),
    "getitem,reshape": lambda x: np.sum(np.reshape(x, (-1,))[1:] ** 2),
}


@pytest.mark.parametrize("name", list(F32_FUNS))
def test_float32_inputs(name):
    f = F32_FUNS[name]
    x64 = onp.array([[0.3, -1.2], [2.0, 0.7]])
    x32 = x64.astype(onp.float32)
    g32 = grad(f)(x32)
    assert g32.dtype == onp.float32, f"gradient of float32 input is {g32.dtype}"
    onp.testing.assert_allclose(g32, grad(f)(x64), rtol=1e-5, atol=1e-6)
    v = onp.ones_like(x32)
    _, t32 = jvp(f, (x32,), (v,))
    assert onp.result_type(t32) == onp.float32, f"tangent of float32 input is {t32.dtype}"
    onp.testing.assert_allclose(t32, jvp(f, (x64,), (v.astype(onp.float64),))[1], rtol=1e-5)


def test_broadcasting_in_add_and_multiply_gradients():
    x = onp.array([[1.0], [2.0], [3.0]])  # (3, 1)
    y = onp.array([0.5, -1.0, 2.0, 4.0])  # (4,)
    gx, gy = grad(lambda x, y: np.sum(x + y), (0, 1))(x, y)
    onp.testing.assert_allclose(gx, onp.full((3, 1), 4.0))
    onp.testing.assert_allclose(gy, onp.full(4, 3.0))
    gx, gy = grad(lambda x, y: np.sum(x * y), (0, 1))(x, y)
    onp.testing.assert_allclose(gx, onp.full((3, 1), y.sum()))
    onp.testing.assert_allclose(gy, onp.full(4, x.sum()))
    # A 0-d argument against an array, and a Python scalar.
    s = onp.array(1.5)
    gs, gy = grad(lambda s, y: np.sum(s * y + y * 3.0), (0, 1))(s, y)
    assert onp.shape(gs) == () and gs == pytest.approx(y.sum())
    onp.testing.assert_allclose(gy, onp.full(4, 4.5))
    # Forward mode broadcasts the tangent of the smaller argument.
    _, t = jvp(lambda x, y: x * y, (x, y), (onp.ones_like(x), onp.zeros_like(y)))
    onp.testing.assert_allclose(t, onp.broadcast_to(y, (3, 4)))
    # Complex against real, broadcast: the real argument's cotangent is real.
    z = onp.array([1.0 + 2.0j, -0.5j])
    g = grad(lambda x, z: np.sum(np.abs(x * z) ** 2))(x, z)
    assert g.dtype == onp.float64 and g.shape == (3, 1)
    onp.testing.assert_allclose(g[:, 0], 2 * x[:, 0] * onp.sum(onp.abs(z) ** 2))
