"""Second-order and tall-Jacobian benchmarks (issue 11): HVP, jacfwd of a tall map, Hessian.

Each library runs in a fresh process (this file with --lib), in rounds of rotated order; the
lowest round median per cell is reported, as in run.py. Every derivative is checked against a
hand-derived one before it is timed. Ratios are to the plain numpy evaluation of f.
Usage: python benchmarks/second_order.py [--quick] [--libs hodiff,jax-jit]
Writes benchmarks/results/second_order.txt and .json.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
WORKERS = ["numpy", "hodiff", "autograd", "jax", "jax-jit", "torch"]
COLUMNS = ["numpy", "hand", "hodiff", "autograd", "jax", "jax-jit", "torch"]
TARGETS = {"hvp": 2.5, "jacfwd": 2.5, "hessian": 35}
TITLES = {
    "hvp": "HVP, f = sum tanh(Ax)^2 + x.x/2, n=2000",
    "jacfwd": "jacfwd of tanh(Bx), B 20000x10",
    "hessian": "hessian of sum log(1+exp(Cx)), C 500x100",
}


def inputs():
    rng = numpy.random.default_rng(0)
    n = 2000
    A = rng.standard_normal((n, n)) / numpy.sqrt(n)
    x1, v1 = rng.standard_normal(n), rng.standard_normal(n)
    B = rng.standard_normal((20000, 10)) / numpy.sqrt(10)
    x2 = rng.standard_normal(10)
    C = rng.standard_normal((500, 100)) / 10
    x3 = rng.standard_normal(100)
    return {"hvp": (A, x1, v1), "jacfwd": (B, x2), "hessian": (C, x3)}


def functions(np):
    def f_hvp(A, x):
        return np.sum(np.tanh(A @ x) ** 2) + x @ x / 2

    def f_jac(B, x):
        return np.tanh(B @ x)

    def f_hess(C, x):
        return np.sum(np.log(1 + np.exp(C @ x)))

    return f_hvp, f_jac, f_hess


def references(data):
    """Hand-derived derivatives (also the 'hand' column)."""
    def hvp(A, x, v):
        t = numpy.tanh(A @ x)
        s = 1 - t * t
        return A.T @ ((2 * s * s - 4 * t * t * s) * (A @ v)) + v

    def jac(B, x):
        t = numpy.tanh(B @ x)
        return (1 - t * t)[:, None] * B

    def hess(C, x):
        p = 1 / (1 + numpy.exp(-(C @ x)))
        return (C.T * (p * (1 - p))) @ C

    return {"hvp": hvp, "jacfwd": jac, "hessian": hess}


def builders(lib):
    """{case: (callable taking the case inputs, converter of inputs)} for one library."""
    if lib == "numpy":
        import numpy as np
        fh, fj, fe = functions(np)
        return {"hvp": lambda A, x, v: fh(A, x), "jacfwd": fj, "hessian": fe}, lambda a: a, \
            lambda r: r
    if lib == "hodiff":
        sys.path.insert(0, str(HERE.parent))
        import hodiff
        import hodiff.numpy as hnp
        fh, fj, fe = functions(hnp)
        return {
            "hvp": lambda A, x, v: hodiff.hvp(lambda y: fh(A, y), x, v),
            "jacfwd": lambda B, x: hodiff.jacfwd(lambda y: fj(B, y))(x),
            "hessian": lambda C, x: hodiff.hessian(lambda y: fe(C, y))(x),
        }, lambda a: a, lambda r: r
    if lib == "autograd":
        import autograd
        import autograd.numpy as anp
        fh, fj, fe = functions(anp)
        return {
            "hvp": lambda A, x, v: autograd.hessian_vector_product(lambda y: fh(A, y))(x, v),
            # autograd has no vector forward mode: one forward pass (make_jvp) per direction
            "jacfwd": lambda B, x: anp.stack(
                [autograd.make_jvp(lambda y: fj(B, y))(x)(e)[1] for e in anp.eye(x.size)], 1),
            "hessian": lambda C, x: autograd.hessian(lambda y: fe(C, y))(x),
        }, lambda a: a, lambda r: r
    if lib in ("jax", "jax-jit"):
        import jax
        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
        import jax.numpy as jnp
        fh, fj, fe = functions(jnp)

        def hvp(A, x, v):
            return jax.jvp(jax.grad(lambda y: fh(A, y)), (x,), (v,))[1]

        def jac(B, x):
            return jax.jacfwd(lambda y: fj(B, y))(x)

        def hess(C, x):
            return jax.hessian(lambda y: fe(C, y))(x)

        fns = {"hvp": hvp, "jacfwd": jac, "hessian": hess}
        if lib == "jax-jit":
            fns = {k: jax.jit(f) for k, f in fns.items()}
        fns = {k: (lambda f: lambda *a: jax.block_until_ready(f(*a)))(f) for k, f in fns.items()}
        return fns, jnp.asarray, numpy.asarray
    if lib == "torch":
        import torch
        from torch.func import hessian, jacfwd, jvp, grad
        fh, fj, fe = functions(torch)
        return {
            "hvp": lambda A, x, v: jvp(grad(lambda y: fh(A, y)), (x,), (v,))[1],
            "jacfwd": lambda B, x: jacfwd(lambda y: fj(B, y))(x),
            "hessian": lambda C, x: hessian(lambda y: fe(C, y))(x),
        }, torch.from_numpy, lambda r: r.numpy()
    raise ValueError(lib)


def measure(fn, repeat, target_s):
    import timeit
    fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    number = max(1, min(100_000, int(target_s / max(one, 1e-9)) + 1))
    per = [t / number for t in timeit.Timer(fn).repeat(repeat=repeat, number=number)]
    return statistics.median(per)


def worker(lib, repeat, target_s):
    data = inputs()
    refs = references(data)
    fns, conv, back = builders(lib)
    out = {}
    jobs = [(lib, fns)]
    if lib == "numpy":
        jobs.append(("hand", refs))
    for column, table in jobs:
        for case, args in data.items():
            args_l = tuple(conv(a) for a in args)
            fn = table[case]
            cell = {}
            try:
                if column != "numpy":
                    got = numpy.asarray(back(fn(*args_l)))
                    want = refs[case](*args)
                    err = float(numpy.max(numpy.abs(got - want)) / numpy.max(numpy.abs(want)))
                    cell["max_rel_error"] = err
                    cell["correct"] = bool(got.shape == want.shape and err < 1e-8)
                cell["median_s"] = measure(lambda: fn(*args_l), repeat, target_s)
            except Exception as exc:  # noqa: BLE001  (a failure becomes a table cell)
                cell["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
            out.setdefault(column, {})[case] = cell
    return out


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale or unit == "us":
            return f"{s / scale:.3g} {unit}"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lib")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--libs", default=",".join(WORKERS))
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    repeat, target = (3, 0.02) if args.quick else (5, 0.2)
    if args.lib:
        print(json.dumps(worker(args.lib, repeat, target)))
        return
    wanted = [w for w in WORKERS if w == "numpy" or w in args.libs.split(",")]
    rounds = 1 if args.quick else args.rounds
    cells = {}
    t0 = time.perf_counter()
    for r in range(rounds):
        for lib in wanted[r % len(wanted):] + wanted[:r % len(wanted)]:
            proc = subprocess.run([sys.executable, __file__, "--lib", lib]
                                  + (["--quick"] if args.quick else []),
                                  capture_output=True, text=True, check=False)
            try:
                res = json.loads(proc.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                res = {lib: {c: {"error": "worker crashed: " + proc.stderr.strip()[-200:]}
                             for c in TITLES}}
            print(f"  round {r} {lib:9s} {time.perf_counter() - t0:6.1f} s", file=sys.stderr)
            for col, per_case in res.items():
                for case, cell in per_case.items():
                    old = cells.setdefault(col, {}).setdefault(case, {"rounds_s": []})
                    if "median_s" in cell:
                        old["rounds_s"].append(cell["median_s"])
                    for k in ("error", "max_rel_error", "correct"):
                        if k in cell:
                            old[k] = cell[k]
    lines = [f"second-order benchmarks; load avg {os.getloadavg()}; {rounds} round(s); "
             "lowest round median; ratio to plain numpy f", ""]
    header = ["case"] + COLUMNS + ["target"]
    rows = []
    for case, title in TITLES.items():
        base = min(cells["numpy"][case]["rounds_s"])
        row = [title]
        for col in COLUMNS:
            c = cells.get(col, {}).get(case)
            if c is None:
                row.append("not run")
            elif "error" in c and not c["rounds_s"]:
                row.append("error: " + c["error"].split(":")[0])
            else:
                m = min(c["rounds_s"])
                wrong = " WRONG" if c.get("correct") is False else ""
                row.append(f"{fmt_time(m)} ({m / base:.3g}x){wrong}")
        row.append(f"<= {TARGETS[case]}x")
        rows.append(row)
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(lines)
    print(text)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    if not args.quick:
        (out / "second_order.txt").write_text(text + "\n")
        (out / "second_order.json").write_text(json.dumps(cells, indent=1) + "\n")


if __name__ == "__main__":
    main()
