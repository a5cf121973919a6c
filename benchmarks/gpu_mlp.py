"""The gradient of an MLP on the GPU: hodiff on CuPy arrays beside hand-written CuPy backprop and
PyTorch CUDA eager, in one process, float64 and float32.

Batch 4096, layers 1024-1024-1024-10 (tanh), loss sum((out - T)**2) / batch, parameters a list
of (W, b) pairs. Every gradient is checked against the hand-written one before it is timed. The
hodiff step is also checked for host transfers: with PyTorch's CUDA profiler (CUPTI sees every
library's copies in the process; the check is validated on a deliberate copy first) and by
counting CuPy's own host-transfer entry points while the step runs.

    python benchmarks/gpu_mlp.py                    # on a GPU machine (needs CuPy; torch optional)
    python benchmarks/gpu_mlp.py --xp fake --small  # CPU dry run (tests/fake_gpu.py's stand-in)

Results: a table on stdout and JSON in $OUT (if set) or benchmarks/results/gpu_mlp.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import hodiff  # noqa: E402
import hodiff.numpy as hnp  # noqa: E402


# -- the model, three ways ---------------------------------------------------------------------
def loss(params, X, T):
    """The MLP's loss, written with hodiff.numpy (runs on whatever arrays it is given)."""
    h = X
    for W, b in params[:-1]:
        h = hnp.tanh(h @ W + b)
    W, b = params[-1]
    out = h @ W + b
    return hnp.sum((out - T) ** 2) / X.shape[0]


def hand_grad(xp, params, X, T):
    """Hand-written backprop for `loss`, in the array library `xp`."""
    hs = [X]
    for W, b in params[:-1]:
        hs.append(xp.tanh(hs[-1] @ W + b))
    W, b = params[-1]
    out = hs[-1] @ W + b
    d = (2.0 / X.shape[0]) * (out - T)
    grads = []
    for k in range(len(params) - 1, -1, -1):
        W, _ = params[k]
        h = hs[k]
        grads.append((h.T @ d, d.sum(axis=0)))
        if k:
            d = (d @ W.T) * (1 - h * h)
    return grads[::-1]


def torch_setup(params, X, T, device):
    import torch

    def conv(a):
        a = a.get() if hasattr(a, "get") else a  # setup only: outside the timed step
        return torch.as_tensor(numpy.asarray(a), device=device)

    tparams = [(conv(W).requires_grad_(), conv(b).requires_grad_()) for W, b in params]
    tX, tT = conv(X), conv(T)

    def step():
        h = tX
        for W, b in tparams[:-1]:
            h = torch.tanh(h @ W + b)
        W, b = tparams[-1]
        out = h @ W + b
        value = torch.sum((out - tT) ** 2) / tX.shape[0]
        flat = [p for pair in tparams for p in pair]
        g = torch.autograd.grad(value, flat)
        return [(g[2 * i], g[2 * i + 1]) for i in range(len(tparams))]

    return step


# -- plumbing ----------------------------------------------------------------------------------
def load(xp_name):
    if xp_name == "numpy":
        return numpy, (lambda: None), None
    if xp_name == "fake":  # tests/fake_gpu.py: CuPy's rules on the CPU, to dry-run this script
        sys.path.insert(0, str(REPO / "tests"))
        import fake_gpu
        from hodiff.numpy import backend
        backend.LIBRARIES.setdefault("fakegpu", "fakegpu")
        return fake_gpu.module, (lambda: None), fake_gpu.module
    import cupy
    stream = cupy.cuda.get_current_stream()
    return cupy, stream.synchronize, cupy


def make_problem(xp, dims, batch, dtype, seed=0):
    rng = numpy.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(dims[:-1], dims[1:]):
        W = rng.standard_normal((n_in, n_out)) / numpy.sqrt(n_in)
        params.append((xp.asarray(W.astype(dtype)), xp.asarray(numpy.zeros(n_out, dtype))))
    X = xp.asarray(rng.standard_normal((batch, dims[0])).astype(dtype))
    T = xp.asarray(rng.standard_normal((batch, dims[-1])).astype(dtype))
    return params, X, T


def to_host(a):
    if hasattr(a, "get"):
        return a.get()
    if hasattr(a, "detach"):
        return a.detach().cpu().numpy()
    return numpy.asarray(a)


def max_rel_err(got, want):
    worst = 0.0
    for (gw, gb), (ww, wb) in zip(got, want):
        for g, w in ((gw, ww), (gb, wb)):
            g, w = to_host(g), to_host(w)
            assert g.shape == w.shape, (g.shape, w.shape)
            worst = max(worst, float(numpy.abs(g - w).max() / (numpy.abs(w).max() + 1e-30)))
    return worst


def time_all(fns, sync, calls, rounds):
    """Median seconds per call of each function; rounds interleave the functions."""
    per = {name: [] for name in fns}
    for fn in fns.values():  # warm-up (CuPy compiles kernels on first use)
        for _ in range(3):
            fn()
        sync()
    for r in range(rounds):
        order = list(fns)[r % len(fns):] + list(fns)[:r % len(fns)]
        for name in order:
            fn = fns[name]
            sync()
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            sync()
            per[name].append((time.perf_counter() - t0) / calls)
    return {name: statistics.median(v) for name, v in per.items()}, per


class TransferCounter:
    """Counts calls of CuPy's host-transfer entry points (device to host and host to device)."""

    def __init__(self, cupy):
        self.cupy, self.count, self.saved = cupy, 0, []

    def _wrap(self, owner, name, host_input=False):
        original = getattr(owner, name, None)
        if original is None:
            return

        def counted(*args, **kwargs):
            if not host_input or (args and isinstance(args[0], (numpy.ndarray, list))):
                self.count += 1
            return original(*args, **kwargs)

        try:
            setattr(owner, name, counted)
            self.saved.append((owner, name, original))
        except (AttributeError, TypeError):
            pass

    def __enter__(self):
        cp = self.cupy
        for name in ("get", "set", "tolist", "item", "__float__", "__int__", "__bool__",
                     "__complex__"):
            self._wrap(cp.ndarray, name)
        self._wrap(cp, "asnumpy")
        self._wrap(cp, "asarray", host_input=True)
        self._wrap(cp, "array", host_input=True)
        return self

    def __exit__(self, *exc):
        for owner, name, original in reversed(self.saved):
            setattr(owner, name, original)


def profile_copies(fn, sync, repeats=3):
    """(host<->device copies, kernels) the CUDA profiler sees while `fn` runs `repeats` times,
    or None when PyTorch's profiler is not available."""
    try:
        from torch.profiler import ProfilerActivity, profile
    except Exception:
        return None
    try:
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            for _ in range(repeats):
                fn()
            sync()
        names = [e.name for e in prof.events()]
    except Exception as e:  # a CPU-only PyTorch, or CUPTI missing
        print(f"torch.profiler failed: {type(e).__name__}: {e}")
        return None
    copies = [n for n in names if "memcpy" in n.lower() and ("htod" in n.lower()
                                                              or "dtoh" in n.lower())]
    kernels = [n for n in names if "memcpy" not in n.lower() and "memset" not in n.lower()]
    return len(copies), len(kernels), sorted(set(copies))


def versions():
    out = {"python": platform.python_version(), "numpy": numpy.__version__,
           "hodiff": str(Path(hodiff.__file__).parent), "platform": platform.platform()}
    for mod in ("cupy", "torch"):
        try:
            m = __import__(mod)
            out[mod] = m.__version__
        except Exception as e:
            out[mod] = f"not available ({type(e).__name__}: {e})"
    try:
        import cupy
        props = cupy.cuda.runtime.getDeviceProperties(0)
        out["gpu"] = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
        out["cuda_runtime"] = cupy.cuda.runtime.runtimeGetVersion()
    except Exception:
        pass
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--xp", default="cupy", choices=["cupy", "numpy", "fake"])
    ap.add_argument("--small", action="store_true", help="tiny sizes (a dry run)")
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--out", default=os.environ.get("OUT") or str(REPO / "benchmarks" / "results"))
    args = ap.parse_args(argv)

    info = versions()
    print("versions:", json.dumps(info))
    xp, sync, cupy = load(args.xp)
    dims, batch = ([32, 32, 32, 10], 64) if args.small else ([1024, 1024, 1024, 10], 4096)
    device = "cuda" if args.xp == "cupy" else "cpu"
    results = {"versions": info, "xp": args.xp, "dims": dims, "batch": batch, "cases": {}}
    g_hodiff = hodiff.grad(loss)

    for dtype in ("float64", "float32"):
        params, X, T = make_problem(xp, dims, batch, numpy.dtype(dtype))
        fns = {"hand": lambda: hand_grad(xp, params, X, T),
               "hodiff": lambda: g_hodiff(params, X, T)}
        want = fns["hand"]()
        got = fns["hodiff"]()
        kinds = {type(g).__module__.split(".")[0] for pair in got for g in pair}
        case = {"hodiff_err": max_rel_err(got, want), "hodiff_result_library": sorted(kinds)}
        if not args.no_torch:
            try:
                fns["torch"] = torch_setup(params, X, T, device)
                case["torch_err"] = max_rel_err(fns["torch"](), want)
            except Exception as e:
                case["torch"] = f"unavailable ({type(e).__name__}: {e})"
                fns.pop("torch", None)
        tol = 1e-10 if dtype == "float64" else 1e-4
        bad = [k for k in ("hodiff_err", "torch_err") if case.get(k, 0.0) > tol]
        if bad:
            case["WRONG"] = bad
        med, per = time_all(fns, sync, args.calls, args.rounds)
        case["median_ms"] = {k: 1e3 * v for k, v in med.items()}
        case["all_ms"] = {k: [1e3 * t for t in v] for k, v in per.items()}
        case["ratio_to_hand"] = {k: v / med["hand"] for k, v in med.items()}
        if cupy is not None:
            with TransferCounter(cupy) as counter:
                fns["hodiff"]()
                sync()
            case["cupy_transfer_calls_in_hodiff_step"] = counter.count
            probe = profile_copies(lambda: cupy.asarray(numpy.ones(4)).get(), sync, 1)
            seen = profile_copies(fns["hodiff"], sync)
            if probe is None or seen is None:
                case["profiler"] = "torch.profiler unavailable"
            else:
                case["profiler_validated"] = probe[0] >= 2  # saw the probe's HtoD and DtoH
                case["profiler_copies_in_3_hodiff_steps"] = seen[0]
                case["profiler_copy_kinds"] = seen[2]
                case["profiler_kernels_per_hodiff_step"] = seen[1] / 3
                hand = profile_copies(fns["hand"], sync)
                if hand is not None:
                    case["profiler_kernels_per_hand_step"] = hand[1] / 3
        results["cases"][dtype] = case
        cols = "  ".join(f"{k} {v:8.3f} ms ({case['ratio_to_hand'][k]:.2f}x)"
                         for k, v in case["median_ms"].items())
        print(f"{dtype}: {cols}")
        print(f"{dtype}: max relative error vs hand: hodiff {case['hodiff_err']:.1e}"
              + (f", torch {case['torch_err']:.1e}" if "torch_err" in case else "")
              + (f"  WRONG: {case['WRONG']}" if "WRONG" in case else ""))
        extra = {k: v for k, v in case.items() if k.startswith(("cupy_", "profiler"))}
        if extra:
            print(f"{dtype}: host transfers: {json.dumps(extra)}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "gpu_mlp.json" if args.xp == "cupy" else f"gpu_mlp_dryrun_{args.xp}.json"
    (out / name).write_text(json.dumps(results, indent=1))
    print(f"wrote {out / name}")
    wrong = any("WRONG" in c for c in results["cases"].values())
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
