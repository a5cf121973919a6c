"""One library in a fresh process: time every case (--task time) or measure the memory case
(--task memory); prints one JSON object on its last stdout line. Driven by run.py.
"""
import argparse
import gc
import json
import math
import resource
import statistics
import sys
import time
import timeit
import traceback

import cases
import libs


def measure(fn, repeat, target_s):
    """Median per-call time of fn() over `repeat` timeit repeats of `number` calls each.

    fn is warmed up by one untimed call plus one calibration call; `number` is chosen so one
    repeat lasts about target_s. GC stays enabled during timing, as in real use.
    """
    fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    number = max(1, min(100_000, math.ceil(target_s / max(one, 1e-9))))
    timer = timeit.Timer(fn, setup="gc.enable()")
    per_call = [t / number for t in timer.repeat(repeat=repeat, number=number)]
    return {
        "median_s": statistics.median(per_call), "times_s": per_call, "number": number,
        "repeat": repeat,
    }


def _error(exc):
    msg = str(exc).strip().splitlines()
    text = type(exc).__name__ + (f": {msg[0][:200]}" if msg else "")
    return {"status": "error", "error": text}


def time_cases(lib, repeat, target_s):
    """{column: {case: cell}} for this library (the numpy worker also yields 'hand')."""
    columns = {lib.name: {}}
    if lib.name == "numpy":
        columns["hand"] = {}
    for case in cases.CASES:
        inputs = case.inputs()
        reference = case.reference(*inputs)
        # (column, builder of the function to time, reference gradient or None)
        if lib.grad is None:
            jobs = [(lib.name, lambda c=case: c.make(lib.np), None)]
            if case.hand is not None:
                jobs.append(("hand", lambda c=case: c.hand, reference))
        else:
            jobs = [(lib.name, lambda c=case: lib.grad(c.make(lib.np)), reference)]
        for column, build, ref in jobs:
            try:
                args = libs.to_lib(lib, inputs)
                fun = build()

                def call(fun=fun, args=args):
                    return lib.sync(fun(*args))

                t0 = time.perf_counter()
                result = call()  # first call: includes tracing/compilation for jax-jit
                cell = {"status": "ok", "first_call_s": time.perf_counter() - t0}
                if ref is not None:
                    err = cases.max_rel_error(result, ref)
                    cell["max_rel_error"] = err
                    cell["correct"] = err <= 1e-6
                cell.update(measure(call, repeat, target_s))
            except Exception as exc:  # noqa: BLE001  (any failure becomes a table cell)
                cell = _error(exc)
                cell["traceback"] = traceback.format_exc(limit=4)
            columns[column][case.name] = cell
            print(f"  {column:9s} {case.name:12s} {cell.get('median_s', cell.get('error'))}",
                  file=sys.stderr, flush=True)
            gc.collect()
    return columns


# --------------------------------------------------------------------------------------------
# Memory.


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def rss_peak_delta(fn):
    """(peak RSS during fn() minus RSS just before, method). Resets the kernel's high-water
    mark through /proc/self/clear_refs when allowed, else falls back to ru_maxrss."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
        before = _status_kib("VmRSS")
        fn()
        return (_status_kib("VmHWM") - before) * 1024, "VmHWM after clear_refs (Linux)"
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fn()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (after - before) * 1024, "ru_maxrss delta (misses peaks below earlier high-water)"


def tracemalloc_peak(fn):
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, result


def memory_case(lib):
    x = libs.to_lib(lib, cases.tanh_chain_input())
    reference = cases.tanh_chain_reference(cases.tanh_chain_input())
    if lib.grad is None:  # plain forward evaluation, for context
        small = cases.make_tanh_chain(lib.np, steps=10)
        full = cases.make_tanh_chain(lib.np)
    else:
        small = lib.grad(cases.make_tanh_chain(lib.np, steps=10))
        full = lib.grad(cases.make_tanh_chain(lib.np))

    def run_small():
        return lib.sync(small(x))

    def run_full():
        return lib.sync(full(x))

    run_small()  # warm-up: dispatch caches, kernels, first-touch of code paths
    run_small()
    out = {"status": "ok", "steps": cases.MEM_STEPS, "size": cases.MEM_SIZE}
    holder = []
    out["rss_peak_delta_bytes"], out["rss_method"] = rss_peak_delta(
        lambda: holder.append(run_full()))
    if lib.grad is not None:
        err = cases.max_rel_error(holder[0], reference)
        out["max_rel_error"] = err
        out["correct"] = err <= 1e-6
    holder.clear()
    if lib.tracemalloc_visible:
        out["tracemalloc_peak_bytes"], _ = tracemalloc_peak(run_full)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lib", required=True, choices=sorted(libs.LOADERS))
    parser.add_argument("--task", choices=["time", "memory"], default="time")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--target", type=float, default=0.25, help="seconds per repeat")
    args = parser.parse_args()
    try:
        lib = libs.load(args.lib)
    except Exception as exc:  # noqa: BLE001  (absent, or e.g. a half-written package)
        absent = isinstance(exc, ModuleNotFoundError) and exc.name in {
            "hodiff", "autograd", "jax", "jaxlib", "torch"}
        result = {"status": "not installed" if absent else "import failed",
                  "error": _error(exc)["error"], "traceback": traceback.format_exc(limit=6)}
    else:
        result = {"status": "ok", "version": lib.version}
        try:
            if args.task == "time":
                result["columns"] = time_cases(lib, args.repeat, args.target)
            else:
                result["memory"] = memory_case(lib)
        except Exception as exc:  # noqa: BLE001
            result.update(_error(exc))
            result["traceback"] = traceback.format_exc(limit=6)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
