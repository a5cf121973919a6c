"""Scale and leaks: long tapes, deep recursion, nothing left alive after a derivative call, and
an exception at any primitive (forward pass, rules, backward pass, any nesting depth) leaving
the next call correct. Sizes are 10^6 ops with HODIFF_PROFILE=thorough, smaller by default."""
import gc
import os
import sys
import tracemalloc

import numpy as onp
import pytest

import hodiff.numpy as np
from hodiff import deriv, grad, hessian, jacfwd, value_and_grad
from hodiff.core import Box, Primitive, Tag, current_depth

THOROUGH = os.environ.get("HODIFF_PROFILE") == "thorough"


def test_a_long_tape_is_walked_without_recursion():
    n = 1_000_000 if THOROUGH else 100_000

    def f(x):
        for _ in range(n // 2):
            x = x * 0.9999999 + 1e-7  # two recorded operations per step
        return x

    val, g = value_and_grad(f)(1.0)
    assert g == pytest.approx(0.9999999 ** (n // 2), rel=1e-9)
    assert val == pytest.approx(1.0)


def test_deep_user_recursion_with_a_raised_limit():
    depth = 10_000
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(depth * 4 + 1000)  # the user's choice; hodiff adds no depth of its own
    try:
        def f(x, k):
            return x if k == 0 else f(np.sin(x) * 0.5 + x * 0.5, k - 1)

        g = grad(f)(0.0, depth)
        d = deriv(f)(0.0, depth)
    finally:
        sys.setrecursionlimit(old)
    assert g == pytest.approx(1.0) and d == pytest.approx(1.0)  # at 0: (cos 0 + 1) / 2 = 1


def _alive(kind):
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


def _program(x):
    A = np.zeros(3)
    A[0] = np.sum(np.sin(x) ** 2)
    A[1:] = x[:2] * np.exp(x[2])
    return np.sum(A * A) + np.prod(x)


X = onp.array([0.3, -0.6, 0.9])


@pytest.mark.parametrize("op", ["grad", "jacfwd", "hessian", "nested"])
def test_no_tape_tag_or_box_is_left_alive(op):
    fun = {"grad": grad(_program), "jacfwd": jacfwd(_program), "hessian": hessian(_program),
           "nested": jacfwd(grad(_program))}[op]
    boxes, tags = _alive(Box), _alive(Tag)  # (other tests may keep an escaped box on purpose)
    for _ in range(3):
        fun(X)
    assert _alive(Box) == boxes and _alive(Tag) == tags

    # and the check sees a leak when there is one
    kept = []
    grad(lambda x: (kept.append(x * 1.0), np.sum(x))[1])(X)
    assert _alive(Box) > boxes


def test_repeated_calls_do_not_grow_memory():
    g = grad(_program)
    for _ in range(5):
        g(X)
    tracemalloc.start()
    try:
        g(X)
        gc.collect()
        first, _ = tracemalloc.get_traced_memory()
        for _ in range(100):
            g(X)
        gc.collect()
        last, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert last - first < 20_000, f"grew by {last - first} bytes over 100 calls"


class _Injected(Exception):
    pass


def _count_and_raise_at(monkeypatch, at):
    """Make the `at`-th primitive call (counting from 0; -1: none) raise; return the counter."""
    calls = [0]
    original = Primitive.__call__

    def call(self, *args, **kwargs):
        k = calls[0]
        calls[0] += 1
        if k == at:
            raise _Injected(f"injected at primitive call {k} ({self.__name__})")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Primitive, "__call__", call)
    return calls


# Second order in both modes: the counted calls include the user's function, the rules run
# while recording, the backward pass's rules and the inner call nested in the outer.
DERIVATIVES = {"grad-of-grad": lambda: grad(lambda x: grad(_program)(x)[0])(X),
               "jacfwd-of-grad": lambda: jacfwd(grad(_program))(X)}


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_an_exception_at_any_primitive_leaves_the_next_call_correct(name, monkeypatch):
    run = DERIVATIVES[name]
    want = run()
    with monkeypatch.context() as m:
        total = _count_and_raise_at(m, -1)
        run()
    n = total[0]
    assert n > 20
    step = 1 if THOROUGH or n <= 400 else n // 400 + 1
    for at in range(0, n, step):
        with monkeypatch.context() as m:
            _count_and_raise_at(m, at)
            with pytest.raises(_Injected):
                run()
        assert current_depth() == 0
        onp.testing.assert_allclose(run(), want, rtol=1e-12)
