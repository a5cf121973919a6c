"""Taylor-mode rules of hodiff.numpy's primitives (the `taylor` slot of each; see
hodiff.modes.taylor for the convention: normalized coefficients, y0 = ans).

Linear primitives reuse their forward rules per coefficient, products are Cauchy products, and
elementwise functions follow the standard recurrences obtained from the ODE each satisfies
(e.g. y = exp(x): y' = y x', so k y_k = sum_{j=1..k} j x_j y_{k-j}); see Griewank & Walther,
"Evaluating Derivatives", 2nd ed., SIAM 2008, table 13.2. Piecewise-linear functions (max,
maximum, clip) follow the branch taken at the primal (exact away from ties).
Imports hodiff.core, hodiff.modes.taylor and the numpy families.
"""
from __future__ import annotations

import numbers
from typing import Any

from hodiff.core import lookup, unbox
from hodiff.modes.taylor import coefficient, linear_rule, multilinear_rule

_LINEAR = ["add", "subtract", "negative", "positive", "sum", "reshape", "transpose",
           "broadcast_to", "flip", "getitem", "untake", "index_update", "concatenate",
           "cumsum", "real", "imag", "conjugate", "astype", "deg2rad", "rad2deg", "where",
           "max", "min", "maximum", "minimum", "fmax", "fmin", "clip"]
_MULTILINEAR = ["multiply", "matmul", "dot", "tensordot", "einsum"]


def _order(series: list) -> int:
    return len(next(s for s in series if s is not None))


def _exp_like(x: list, x0: Any, y0: Any, order: int, scale: float = 1.0) -> list:
    """Coefficients of y with y' = scale * y x' (exp: scale 1)."""
    y = [y0]
    for k in range(1, order + 1):
        acc = sum(j * coefficient(x, x0, j) * y[k - j] for j in range(1, k + 1))
        y.append(acc * (scale / k))
    return y[1:]


def _exp(series, ans, x):
    return _exp_like(series[0], x, ans, _order(series))


def _expm1(series, ans, x):
    return _exp_like(series[0], x, ans + 1.0, _order(series))


def _log_of(u: list, u0: Any, y0: Any, order: int) -> list:
    """Coefficients of y = log(u): u0 y_k = u_k - (1/k) sum_{j=1..k-1} j y_j u_{k-j}."""
    y = [y0]
    for k in range(1, order + 1):
        acc = coefficient(u, u0, k)
        if k > 1:
            acc = acc - sum(j * y[j] * coefficient(u, u0, k - j) for j in range(1, k)) / k
        y.append(acc / u0)
    return y[1:]


def _log(series, ans, x):
    return _log_of(series[0], x, ans, _order(series))


def _log1p(series, ans, x):
    return _log_of(series[0], 1.0 + x, ans, _order(series))


def _sin_cos(x: list, x0: Any, s0: Any, c0: Any, order: int, hyperbolic: bool) -> tuple:
    """(s, c) with s' = c x', c' = -s x' (or +s x' for sinh/cosh)."""
    s, c = [s0], [c0]
    sign = 1.0 if hyperbolic else -1.0
    for k in range(1, order + 1):
        xs = [j * coefficient(x, x0, j) for j in range(1, k + 1)]
        s.append(sum(xj * c[k - j] for j, xj in zip(range(1, k + 1), xs)) / k)
        c.append(sign * sum(xj * s[k - j] for j, xj in zip(range(1, k + 1), xs)) / k)
    return s[1:], c[1:]


def _sin(series, ans, x):
    return _sin_cos(series[0], x, ans, lookup("cos")(x), _order(series), False)[0]


def _cos(series, ans, x):
    return _sin_cos(series[0], x, lookup("sin")(x), ans, _order(series), False)[1]


def _sinh(series, ans, x):
    return _sin_cos(series[0], x, ans, lookup("cosh")(x), _order(series), True)[0]


def _cosh(series, ans, x):
    return _sin_cos(series[0], x, lookup("sinh")(x), ans, _order(series), True)[1]


def _tanh(series, ans, x):
    # y' = w x' with w = 1 - y^2; w's coefficients follow from y's as they are found.
    order, xs = _order(series), series[0]
    y, w = [ans], [1.0 - ans * ans]
    for k in range(1, order + 1):
        y.append(sum(j * coefficient(xs, x, j) * w[k - j] for j in range(1, k + 1)) / k)
        w.append(-sum(y[j] * y[k - j] for j in range(k + 1)))
    return y[1:]


def _series_product(a: list, a0: Any, b: list, b0: Any, order: int) -> list:
    return [sum(coefficient(a, a0, j) * coefficient(b, b0, k - j) for j in range(k + 1))
            for k in range(1, order + 1)]


def _square(series, ans, x):
    return _series_product(series[0], x, series[0], x, _order(series))


def _quotient(num: list | None, n0: Any, den: list | None, d0: Any, q0: Any,
              order: int) -> list:
    """q = n / d: d0 q_k = n_k - sum_{j=1..k} d_j q_{k-j}."""
    q = [q0]
    for k in range(1, order + 1):
        acc = coefficient(num, n0, k)
        if den is not None:
            acc = acc - sum(den[j - 1] * q[k - j] for j in range(1, k + 1))
        q.append(acc / d0)
    return q[1:]


def _divide(series, ans, x, y):
    return _quotient(series[0], x, series[1], y, ans, _order(series))


def _reciprocal(series, ans, x):
    return _quotient(None, 1.0, series[0], x, ans, _order(series))


def _integer_power(x: list, x0: Any, p: int, order: int) -> list:
    """x ** p for a small non-negative integer p by repeated Cauchy products (exact at 0)."""
    result, r0 = None, 1.0
    base, b0 = x, x0
    while p:
        if p & 1:
            if result is None:
                result, r0 = base, b0
            else:
                result, r0 = _series_product(result, r0, base, b0, order), r0 * b0
        p >>= 1
        if p:
            base, b0 = _series_product(base, b0, base, b0, order), b0 * b0
    return result if result is not None else [0.0 * x0] * order


def _power(series, ans, x, p):
    order = _order(series)
    if series[1] is None:
        raw = unbox(p)
        if isinstance(raw, numbers.Integral) or (isinstance(raw, float) and raw.is_integer()
                                                  and 0 <= raw <= 64):
            if series[0] is None:
                return [0.0 * ans] * order
            return _integer_power(series[0], x, int(raw), order)
        # y' = p y x' / x:  k x0 y_k = sum_{j=1..k} (p j - (k - j)) x_j y_{k-j}
        xs, y = series[0], [ans]
        for k in range(1, order + 1):
            acc = sum((p * j - (k - j)) * coefficient(xs, x, j) * y[k - j]
                      for j in range(1, k + 1))
            y.append(acc / (k * x))
        return y[1:]
    # a traced exponent: x ** p = exp(p log x)
    log_x = lookup("log")(x)
    logs = _log_of(series[0], x, log_x, order) if series[0] is not None else None
    u = _series_product(series[1], p, logs, log_x, order)
    return _exp_like(u, p * log_x, ans, order)


def _sqrt(series, ans, x):
    xs, y = series[0], [ans]
    for k in range(1, _order(series) + 1):
        acc = sum((0.5 * j - (k - j)) * coefficient(xs, x, j) * y[k - j]
                  for j in range(1, k + 1))
        y.append(acc / (k * x))
    return y[1:]


_ELEMENTWISE = {
    "exp": _exp, "expm1": _expm1, "log": _log, "log1p": _log1p, "sin": _sin, "cos": _cos,
    "sinh": _sinh, "cosh": _cosh, "tanh": _tanh, "square": _square, "divide": _divide,
    "reciprocal": _reciprocal, "power": _power, "sqrt": _sqrt,
}


def install() -> None:
    """Fill the `taylor` slot of every primitive named here (others keep None)."""
    from hodiff.core import all_primitives

    prims = all_primitives()
    for name in _LINEAR:
        if name in prims:
            prims[name].taylor = linear_rule(prims[name])
    for name in _MULTILINEAR:
        if name in prims:
            prims[name].taylor = multilinear_rule(prims[name])
    for name, rule in _ELEMENTWISE.items():
        if name in prims:
            prims[name].taylor = rule


install()
