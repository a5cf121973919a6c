"""Every row of docs/errors.md is a test: the silently-wrong cases, the error table, the edges.

The tables are read from the document, and each row id must have a case here (and back).
"""
import builtins
import math
import operator
import re
from pathlib import Path

import numpy as onp
import pytest

import hodiff
import hodiff.numpy as np
from hodiff import custom_vjp, deriv, grad, jvp, linearize, vjp
from hodiff.core import current_depth
from hodiff.extend import primitive

DOC = (Path(__file__).parent.parent / "docs" / "errors.md").read_text()


def _table(header_start):
    """The rows (lists of cells) of the table whose header begins with `header_start`."""
    lines = DOC.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(header_start))
    rows = []
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip("|").split("|")])
    return rows


def _id(cell):
    return cell.strip("`")


WRONG_ROWS = {_id(r[0]): r for r in _table("| id | code |")}
ERROR_ROWS = {_id(r[0]): r for r in _table("| id | case |")}


# -- the cases that used to be silently wrong -------------------------------------------------
def _numpy_zeros_assign(x):
    A = onp.zeros(3)
    A[0] = x
    return np.sum(A ** 2) + x


def _hodiff_zeros_assign(x):
    A = np.zeros(3)
    A[0] = x
    return np.sum(A ** 2) + x


def _duplicate(v):
    y = np.zeros(3)
    y[[0, 0]] = v
    return np.sum(y * onp.array([2.0, 3.0, 4.0]))


def _wrong_float():
    with pytest.raises(hodiff.TracerConversionError):
        grad(lambda x: float(x) * x)(3.0)


def _wrong_math():
    with pytest.raises(hodiff.TracerConversionError):
        grad(lambda x: math.sin(x) + x)(1.0)


def _wrong_numpy_zeros():
    for d in (grad, deriv):
        with pytest.raises(ValueError) as info:
            d(_numpy_zeros_assign)(2.0)
        assert isinstance(info.value.__cause__, hodiff.TracerConversionError)
        assert "hodiff.numpy" in str(info.value.__cause__)


def _right_hodiff_zeros():
    # f = x^2 + x: f'(2) = 5, f'' = 2, in both modes and nested
    for d in (grad, deriv):
        assert d(_hodiff_zeros_assign)(2.0) == pytest.approx(5.0)
    assert grad(grad(_hodiff_zeros_assign))(2.0) == pytest.approx(2.0)
    assert deriv(grad(_hodiff_zeros_assign))(2.0) == pytest.approx(2.0)
    assert grad(deriv(_hodiff_zeros_assign))(2.0) == pytest.approx(2.0)
    assert deriv(deriv(_hodiff_zeros_assign))(2.0) == pytest.approx(2.0)


def _right_prod():
    x = onp.array([0.0, 2.0, 3.0])
    for d in (grad(np.prod), hodiff.jacfwd(np.prod)):
        onp.testing.assert_array_equal(d(x), [6.0, 0.0, 0.0])


def _right_duplicate():
    v = onp.array([1.0, 5.0])
    y = onp.zeros(3)
    y[[0, 0]] = v
    assert y[0] == 5.0  # numpy keeps the last write
    for d in (grad, hodiff.jacfwd):
        onp.testing.assert_array_equal(d(_duplicate)(v), [0.0, 2.0])


WRONG_CASES = {
    "float-times-x": _wrong_float,
    "math-sin": _wrong_math,
    "numpy-zeros-assign": _wrong_numpy_zeros,
    "hodiff-zeros-assign": _right_hodiff_zeros,
    "prod-zero": _right_prod,
    "duplicate-index": _right_duplicate,
}


def test_every_silently_wrong_row_has_a_case():
    assert set(WRONG_ROWS) == set(WRONG_CASES)


@pytest.mark.parametrize("row", sorted(WRONG_CASES))
def test_silently_wrong_row(row):
    WRONG_CASES[row]()
    assert current_depth() == 0


# -- the error table ----------------------------------------------------------------------------
LEAKED = []


def _leak(x):
    y = x * 2.0
    LEAKED.append(y)
    return y


@primitive
def _double(x):
    return 2.0 * x


@custom_vjp
def _mul(x, y):
    return x * y


_mul.defvjp(lambda x, y: (x * y, (x, y)), lambda res, g: (g * res[1],))


def _f(x):
    return x * 2.0


def _escaped():
    LEAKED.clear()
    grad(_leak)(1.0)
    return LEAKED[0] * 2.0


ERROR_CASES = {
    "grad-non-scalar": lambda: grad(lambda x: x * np.ones(3))(1.0),
    "grad-int-input": lambda: grad(lambda x: x * 2)(3),
    "grad-bool-input": lambda: grad(lambda x: x * 2)(True),
    "escaped": _escaped,
    "float": lambda: grad(lambda x: float(x) * x)(3.0),
    "int": lambda: grad(lambda x: int(x) * x)(3.0),
    "complex": lambda: grad(lambda x: complex(x).real * x)(3.0),
    "index": lambda: grad(lambda x: operator.index(x) * x)(3.0),
    "item": lambda: grad(lambda x: x.item() * x)(onp.array(3.0)),
    "tolist": lambda: grad(lambda x: x.tolist()[0] * x[0])(onp.array([3.0])),
    "math": lambda: grad(lambda x: math.sin(x) + x)(1.0),
    "round": lambda: grad(lambda x: round(x, 2) * x)(1.0),
    "numpy-setitem": lambda: grad(_numpy_zeros_assign)(2.0),
    "numpy-setitem-slice": lambda: grad(
        lambda x: (lambda A: (A.__setitem__(slice(0, 2), x), np.sum(A))[1])(onp.zeros(3)))(
            onp.ones(2)),
    "numpy-asarray": lambda: grad(lambda x: onp.asarray(x).sum() * x)(1.0),
    "numpy-ufunc": lambda: grad(lambda x: onp.sin(x, out=onp.zeros(())) * x)(1.0),
    "numpy-no-rule": lambda: grad(lambda x: onp.sum(onp.piecewise(x, [x < 0], [0.0, 1.0])))(
        onp.ones(2)),
    "no-rule-reverse": lambda: grad(_double)(1.0),
    "no-rule-forward": lambda: deriv(_double)(1.0),
    "jvp-tangent-shape": lambda: jvp(_f, (onp.ones(3),), (onp.ones(4),)),
    "jvp-tangent-dtype": lambda: jvp(_f, (onp.ones(3),), (1j * onp.ones(3),)),
    "vjp-cotangent-shape": lambda: vjp(_f, onp.ones(3))[1](onp.ones(4)),
    "vjp-cotangent-dtype": lambda: vjp(_f, onp.ones(3))[1](1j * onp.ones(3)),
    "linearize-tangent-shape": lambda: linearize(_f, onp.ones(3))[1](onp.ones(4)),
    "custom-vjp-structure": lambda: grad(_mul)(1.0, 2.0),
    "argnum-range": lambda: grad(lambda x: x, argnum=2)(1.0),
}


def test_every_error_row_has_a_case():
    assert set(ERROR_ROWS) == set(ERROR_CASES)


def _exception(cell):
    name = re.match(r"`(\w+)`", cell).group(1)
    return getattr(hodiff, name, None) or getattr(builtins, name)


@pytest.mark.parametrize("row", sorted(ERROR_CASES))
def test_error_row(row):
    cells = ERROR_ROWS[row]
    raised, builtin = _exception(cells[3]), _exception(cells[4])
    assert issubclass(raised, builtin)
    with pytest.raises(raised) as info:
        ERROR_CASES[row]()
    assert isinstance(info.value, builtin)
    msg = str(info.value.__cause__ or info.value)
    assert len(msg) > 40  # a message that explains, not a bare type
    if issubclass(raised, hodiff.TracerConversionError) or "cause" in cells[3]:
        assert "stop_gradient" in msg and "primal_value" in msg and "shape" in msg
    # and the next call is unaffected
    assert current_depth() == 0
    assert grad(np.sin)(0.0) == pytest.approx(1.0)


# -- conversions that keep working ------------------------------------------------------------
def test_bool_repr_str_format_and_primal_value_work_on_traced_values():
    seen = []

    def f(x):
        seen.append((bool(x > 0), f"{x:.3f}", "3.0" in repr(x), "3.0" in str(x),
                     float(hodiff.primal_value(x)), float(hodiff.stop_gradient(x))))
        return x * x if x > 0 else -x

    assert grad(f)(3.0) == pytest.approx(6.0)
    assert deriv(f)(3.0) == pytest.approx(6.0)
    assert seen == [(True, "3.000", True, True, 3.0, 3.0)] * 2
    # arrays format and log too
    out = []
    grad(lambda v: (out.append(f"{np.sum(v):.2f} {hodiff.primal_value(v).tolist()}"),
                    np.sum(v))[1])(onp.array([1.0, 2.0]))
    assert out == ["3.00 [1.0, 2.0]"]


# -- edges --------------------------------------------------------------------------------------
def test_edges_follow_the_documented_choices():
    for d in (grad, deriv):
        with onp.errstate(divide="ignore"):
            assert d(np.sqrt)(0.0) == onp.inf
        assert d(np.abs)(0.0) == 0.0
        assert d(lambda x: np.clip(x, 0.0, 1.0))(0.0) == 1.0
        assert d(lambda x: np.clip(x, 0.0, 1.0))(1.0) == 1.0
        assert d(lambda x: np.maximum(x, 1.0))(1.0) == 0.5
    for red in (np.max, np.min):
        onp.testing.assert_allclose(grad(red)(onp.array([1.0, 1.0, 1.0])), [1 / 3] * 3)
    onp.testing.assert_allclose(grad(np.max)(onp.array([2.0, 0.0, 2.0])), [0.5, 0.0, 0.5])
    onp.testing.assert_allclose(hodiff.jacfwd(np.max)(onp.array([2.0, 0.0, 2.0])),
                                [0.5, 0.0, 0.5])


def test_the_double_where_idiom():
    naive = grad(lambda x: np.where(x > 0, np.sqrt(x), 0.0))
    with onp.errstate(all="ignore"):
        assert onp.isnan(naive(0.0))  # as in every peer: 0 * inf

    def safe_sqrt(x):
        safe = np.where(x > 0, x, 1.0)
        return np.where(x > 0, np.sqrt(safe), 0.0)

    for d in (grad, deriv):
        assert d(safe_sqrt)(0.0) == 0.0
        assert d(safe_sqrt)(-1.0) == 0.0
        assert d(safe_sqrt)(4.0) == pytest.approx(0.25)
    assert grad(grad(safe_sqrt))(4.0) == pytest.approx(-0.25 / 8)


def test_the_norm_of_zero_is_documented_where_a_norm_rule_exists():
    norm = getattr(getattr(np, "linalg", None), "norm", None)
    try:
        g = grad(norm)(onp.zeros(3))
    except TypeError:
        pytest.skip("no differentiable linalg.norm on this branch (another issue adds it)")
    onp.testing.assert_array_equal(g, onp.zeros(3))
