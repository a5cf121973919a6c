"""What bounds the second-order cases of benchmarks/second_order.py: the BLAS calls they need,
timed alone, and hodiff's fixed cost per call (the same functions on tiny inputs).

HVP: reverse over forward needs A @ x, A @ v and one product with A's transpose; the issue's
"two reads of A" needs a kernel taking two vectors per read of A, and BLAS offers that only as a
matrix product with two columns, timed here too. Hessian: one 100x500x100 matrix product.
Ratios are to the numpy evaluation of f, in this process. Usage:
python benchmarks/second_order_bounds.py  (about 20 s). Writes
benchmarks/results/second_order_bounds.txt.
"""
import os
import statistics
import sys
import time
from pathlib import Path

import numpy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import hodiff  # noqa: E402
import hodiff.numpy as hnp  # noqa: E402
from second_order import functions, inputs, references  # noqa: E402


def timed(fn, rounds=5, target_s=0.1):
    """Lowest of `rounds` medians of repeated calls."""
    fn()
    t0 = time.perf_counter()
    fn()
    number = max(1, int(target_s / max(time.perf_counter() - t0, 1e-7)))
    meds = []
    for _ in range(rounds):
        per = []
        for _ in range(number):
            t0 = time.perf_counter()
            fn()
            per.append(time.perf_counter() - t0)
        meds.append(statistics.median(per))
    return min(meds)


def main():
    data = inputs()
    refs = references(data)
    fh, _, fe = functions(numpy)
    hh, _, he = functions(hnp)
    A, x, v = data["hvp"]
    C, xc = data["hessian"]
    xv = numpy.stack([x, v])
    rng = numpy.random.default_rng(1)
    At, xt, vt = rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)
    Ct, xct = rng.standard_normal((5, 3)), rng.standard_normal(3)
    w = rng.random(500)
    T = (C * w[:, None]).T  # the directions' block the Hessian's last product takes

    rows = []
    f_hvp = timed(lambda: fh(A, x))
    for name, fn in [
        ("A @ x (f's one product)", lambda: A @ x),
        ("x @ A (the pullback's product)", lambda: x @ A),
        ("A @ x, A @ v, x @ A (what reverse over forward needs)",
         lambda: (A @ x, A @ v, x @ A)),
        ("[x; v] @ A.T (two vectors in one BLAS call)", lambda: xv @ A.T),
        ("[x; v] @ A (two cotangents in one BLAS call)", lambda: xv @ A),
        ("hand-written numpy HVP", lambda: refs["hvp"](A, x, v)),
        ("hodiff.hvp", lambda: hodiff.hvp(lambda y: hh(A, y), x, v)),
        ("hodiff.hvp on a 4x4 A (fixed cost per call)",
         lambda: hodiff.hvp(lambda y: hh(At, y), xt, vt)),
    ]:
        rows.append(("HVP", name, timed(fn), f_hvp))
    f_hess = timed(lambda: fe(C, xc))
    for name, fn in [
        ("the directions' block @ C (100x500x100)", lambda: T @ C),
        ("one pass over the block (C.T * w)", lambda: C.T * w),
        ("hand-written numpy Hessian", lambda: refs["hessian"](C, xc)),
        ("hodiff.hessian", lambda: hodiff.hessian(lambda y: he(C, y))(xc)),
        ("hodiff.hessian on a 5x3 C (fixed cost per call)",
         lambda: hodiff.hessian(lambda y: he(Ct, y))(xct)),
    ]:
        rows.append(("Hessian", name, timed(fn), f_hess))

    lines = [f"second-order bounds; load avg {os.getloadavg()}; lowest of 5 medians; "
             "ratio to numpy f (HVP f {:.3g} us, Hessian f {:.3g} us)".format(
                 f_hvp * 1e6, f_hess * 1e6), "",
             "| case | piece | time | / f |", "|---|---|---|---|"]
    lines += [f"| {case} | {name} | {t * 1e6:.4g} us | {t / f:.3g}x |"
              for case, name, t, f in rows]
    text = "\n".join(lines)
    print(text)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "second_order_bounds.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
