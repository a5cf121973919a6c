"""Benchmark hodiff against plain numpy, HIPS autograd, JAX (eager, jit) and PyTorch eager.
Times each library in a fresh process (worker.py), prints text and markdown tables of medians
and ratios, writes benchmarks/results/latest.json. Usage: python3 benchmarks/run.py [--quick]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cases
import libs

HERE = Path(__file__).resolve().parent
MIB = 2**20

# --------------------------------------------------------------------------------------------
# Running the workers.


def run_worker(name, task, worker_args, timeout_s):
    cmd = [sys.executable, str(HERE / "worker.py"), "--lib", name, "--task", task, *worker_args]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, cwd=HERE,
                              check=False)
    except subprocess.TimeoutExpired:
        result = {"status": "error", "error": f"worker timed out after {timeout_s} s"}
    else:
        try:
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
            result = {"status": "error", "error": f"worker crashed (rc {proc.returncode}): {tail}"}
    result["worker_wall_s"] = round(time.perf_counter() - t0, 2)
    print(f"  {task:6s} {name:9s} {result['status']:14s} {result['worker_wall_s']:6.1f} s",
          file=sys.stderr, flush=True)
    return result


def merge_cell(column, case, cell):
    """Pool one round's timing cell into column[case]; an error in any round wins.

    The reported median is the lowest per-round median: on this small shared machine another
    process's load (which also starves BLAS threads) slows whole rounds, not single repeats.
    The pooled median over all repeats and the per-round medians are kept as well.
    """
    old = column.get(case)
    if cell["status"] == "ok":
        cell["round_medians_s"] = [cell["median_s"]]
        cell["number_per_round"] = [cell.pop("number")]
    if old is None or cell["status"] != "ok":
        column[case] = cell
        return
    if old["status"] != "ok":
        return
    old["times_s"] += cell["times_s"]
    old["round_medians_s"] += cell["round_medians_s"]
    old["number_per_round"] += cell["number_per_round"]
    old["repeat"] += cell["repeat"]
    old["median_s"] = min(old["round_medians_s"])
    old["pooled_median_s"] = statistics.median(old["times_s"])
    old["first_call_s"] = max(old["first_call_s"], cell["first_call_s"])
    if "correct" in cell:
        old["correct"] = old["correct"] and cell["correct"]
        old["max_rel_error"] = max(old["max_rel_error"], cell["max_rel_error"])


NOISY = 1.3  # flag a cell whose slowest and fastest round medians differ by more than this


def machine_info():
    import numpy

    info = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "thread_env": {k: v for k, v in sorted(os.environ.items())
                       if k.startswith(("OPENBLAS_", "OMP_", "MKL_"))},
    }
    try:
        blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["numpy_blas"] = f"{blas.get('name')} {blas.get('version')}"
    except Exception as exc:  # noqa: BLE001  (older numpy)
        info["numpy_blas"] = f"unknown ({type(exc).__name__})"
    if hasattr(os, "getloadavg"):
        info["loadavg_at_start"] = [round(v, 2) for v in os.getloadavg()]
    try:
        git = ["git", "-C", str(libs.REPO_ROOT)]
        rev = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "--", "hodiff"], check=False,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        info["hodiff_git"] = (rev or "?") + (" (hodiff/ has uncommitted changes)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# --------------------------------------------------------------------------------------------
# Formatting.


def fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            v = s / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"


def fmt_ratio(r):
    return f"{r:.0f}x" if r >= 100 else f"{r:.3g}x"


def status_text(worker, cell):
    """Text for a cell that has no number (or None if it has one)."""
    if worker is None:
        return "not run"
    if worker["status"] == "not installed":
        return "not installed"
    if worker["status"] != "ok":
        return worker["status"]
    if cell is None:
        return "-"
    if cell["status"] != "ok":
        return "error: " + cell["error"].split(":")[0]
    return None


def wrong_mark(cell):
    return " WRONG" if cell.get("correct") is False else ""


def table(header, rows, markdown=False):
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


def timing_rows(timing, workers):
    """Rows of (case title, per column (median text, ratio text, combined text))."""
    rows = []
    for case in cases.CASES:
        base = timing.get("numpy", {}).get(case.name)
        base_s = base["median_s"] if base and base["status"] == "ok" else None
        cells = []
        for col in libs.COLUMNS:
            worker = workers.get("numpy" if col == "hand" else col)
            cell = timing.get(col, {}).get(case.name)
            text = status_text(worker, cell)
            if text is not None:
                cells.append((text, text if col != "numpy" else "1x", text))
                continue
            med = fmt_time(cell["median_s"]) + wrong_mark(cell)
            if col == "numpy":
                cells.append((med, "1x", med))
            elif base_s:
                ratio = fmt_ratio(cell["median_s"] / base_s) + wrong_mark(cell)
                cells.append((med, ratio, f"{med} ({ratio})"))
            else:
                cells.append((med, "?", med))
        refs = ", ".join(f"{k} ~{v}x" for k, v in case.refs.items())
        rows.append((case.title, cells, refs))
    return rows


def memory_rows(memory, workers):
    one_vec = cases.ONE_VECTOR_PER_STEP_BYTES
    rows = []
    for name in libs.MEMORY_WORKERS:
        w = memory.get(name)
        label = "numpy (forward only)" if name == "numpy" else name
        if w is None:
            continue
        if w["status"] != "ok":
            text = "not installed" if w["status"] == "not installed" else w["status"]
            rows.append([label] + [text] * 4 + ["-"])
            continue
        m = w["memory"]
        tm = m.get("tracemalloc_peak_bytes")
        rss = m["rss_peak_delta_bytes"]
        ok = {True: "yes", False: "WRONG", None: "-"}[m.get("correct")]
        rows.append([
            label,
            f"{tm / MIB:.2f} MiB" if tm is not None else "n/a",
            f"{tm / one_vec:.2f}x" if tm is not None else "n/a",
            f"{rss / MIB:.2f} MiB", f"{rss / one_vec:.2f}x", ok,
        ])
    return rows


def report(result):
    meta, settings = result["machine"], result["settings"]
    workers, timing, memory = result["workers"], result["timing"], result["memory"]
    p = print
    quick = "  [--quick: smoke run, numbers are rough]" if settings["quick"] else ""
    p(f"\nhodiff benchmarks{quick}")
    p(f"machine : {meta['platform']}, {meta['cpu']}, {meta['cpu_count']} CPUs, "
      f"load avg at start {meta.get('loadavg_at_start')}, at end {meta.get('loadavg_at_end')}")
    p(f"python  : {meta['python']}, numpy {meta['numpy']} ({meta.get('numpy_blas', '?')}), "
      f"thread env {meta['thread_env'] or '{}'}")
    vers = [f"{n} {w.get('version', w['status'])}" for n, w in workers.items() if n != "numpy"]
    p(f"versions: {'; '.join(vers)}; hodiff git {meta.get('hodiff_git', '?')}")
    p(f"timing  : per-call time, median of timeit repeats of ~{settings['target_s']} s each "
      f"(after warm-up, GC enabled); {settings['rounds']} round(s) of one fresh process per "
      f"library, {settings['repeat'] // settings['rounds']} repeats each; the lowest round "
      "median is reported")
    p("          jax: CPU, float64 (jax_enable_x64); jax-jit = jax.jit(jax.grad(f)), compile "
      "excluded; torch: eager, float64, torch.autograd.grad")

    rows = timing_rows(timing, workers)
    p("\nMedian time per call (numpy = plain evaluation of the function; hand = hand-written "
      "numpy backprop)")
    p(table(["case"] + libs.COLUMNS, [[t] + [c[0] for c in cells] for t, cells, _ in rows]))
    p("\nRatio to the plain-numpy evaluation (lower is better)")
    p(table(["case"] + libs.COLUMNS[1:] + ["reference"],
            [[t] + [c[1] for c in cells[1:]] + [refs] for t, cells, refs in rows]))

    notes = []
    for col in libs.COLUMNS:
        for case in cases.CASES:
            cell = timing.get(col, {}).get(case.name)
            if not cell:
                continue
            if cell["status"] != "ok":
                notes.append(f"{col} / {case.name}: {cell['error']}")
            elif cell.get("correct") is False:
                notes.append(f"{col} / {case.name}: WRONG gradient, max rel error "
                             f"{cell['max_rel_error']:.3g}")
            elif max(cell["round_medians_s"]) > NOISY * min(cell["round_medians_s"]):
                rounds = ", ".join(fmt_time(t) for t in cell["round_medians_s"])
                notes.append(f"{col} / {case.name}: noisy, per-round medians {rounds}")
            if cell["status"] == "ok" and col == "jax-jit":
                notes.append(f"jax-jit / {case.name}: first call (trace + compile) "
                             f"{fmt_time(cell['first_call_s'])}")
    for name, w in workers.items():
        if w["status"] not in ("ok",):
            notes.append(f"{name}: {w['status']}: {w.get('error', '')}")
    if notes:
        p("\nNotes:\n" + "\n".join("  - " + n for n in notes))

    mrows = memory_rows(memory, workers)
    one_vec = cases.ONE_VECTOR_PER_STEP_BYTES
    mem_header = ["library", "tracemalloc peak", "tracemalloc / 1-vec", "RSS peak delta",
                  "RSS / 1-vec", "grad ok"]
    p(f"\nPeak memory of grad through {cases.MEM_STEPS} steps of x = x/2 + tanh(x)/2 on a "
      f"{cases.MEM_SIZE}-vector (float64)")
    p(f"1-vec = one vector per step = {cases.MEM_STEPS}*{cases.MEM_SIZE}*8 B = "
      f"{one_vec / MIB:.2f} MiB; reference: autograd ~12 MiB (tracemalloc); "
      "target for hodiff <= 1.2x")
    p(table(mem_header, mrows))
    p("tracemalloc sees numpy/Python allocations only (n/a for jax and torch). RSS peak delta = "
      "kernel high-water RSS during the call minus RSS just before (VmHWM reset via "
      "/proc/self/clear_refs), one fresh process per library after a 10-step warm-up; it is "
      "coarse and can under-count when freed heap is reused.")
    hm = memory.get("hodiff", {})
    if hm.get("status") == "ok" and "tracemalloc_peak_bytes" in hm["memory"]:
        r = hm["memory"]["tracemalloc_peak_bytes"] / one_vec
        p(f"hodiff memory target (<= 1.2x one vector per step): {r:.2f}x -> "
          f"{'MET' if r <= 1.2 else 'NOT MET'}")

    p("\nMarkdown:\n")
    p(table(["case"] + libs.COLUMNS + ["reference"],
            [[t] + [c[2] for c in cells] + [refs] for t, cells, refs in rows], markdown=True))
    p()
    p(table(mem_header, mrows, markdown=True))


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fast smoke run (rough numbers)")
    parser.add_argument("--libs", default=",".join(libs.WORKERS),
                        help=f"comma-separated subset of {','.join(libs.WORKERS)} "
                             "(numpy is always run: it is the denominator)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory case")
    parser.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    args = parser.parse_args()

    wanted = [n for n in libs.WORKERS if n == "numpy" or n in args.libs.split(",")]
    repeat, target, rounds = (3, 0.02, 1) if args.quick else (9, 0.25, 3)
    t_start = time.perf_counter()
    result = {
        "machine": machine_info(),
        "settings": {"quick": args.quick, "repeat": repeat, "rounds": rounds,
                     "target_s": target, "libs": wanted},
        "references": {
            **{c.name: c.refs for c in cases.CASES},
            "memory": {"autograd_tracemalloc_mib": 12, "hodiff_target_ratio": 1.2},
        },
        "workers": {}, "timing": {}, "memory": {},
    }
    print(f"running {', '.join(wanted)} ({'quick' if args.quick else 'full'}) ...",
          file=sys.stderr, flush=True)
    # Rounds: each library runs `rounds` times, in rotated order, `repeat // rounds` repeats
    # each, and the repeats are pooled, so slow drifts in machine load hit all columns alike.
    worker_args = ["--repeat", str(repeat // rounds), "--target", str(target)]
    for r in range(rounds):
        for name in wanted[r % len(wanted):] + wanted[:r % len(wanted)]:
            w = run_worker(name, "time", worker_args, timeout_s=300)
            for col, cells in w.pop("columns", {}).items():
                for case, cell in cells.items():
                    merge_cell(result["timing"].setdefault(col, {}), case, cell)
            if result["workers"].get(name, {}).get("status", "ok") == "ok":
                result["workers"][name] = w
    if not args.no_memory:
        for name in libs.MEMORY_WORKERS:
            if name in wanted:
                result["memory"][name] = run_worker(name, "memory", [], timeout_s=300)
    result["elapsed_s"] = round(time.perf_counter() - t_start, 1)
    if hasattr(os, "getloadavg"):
        result["machine"]["loadavg_at_end"] = [round(v, 2) for v in os.getloadavg()]

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(result, indent=1) + "\n")
    os.replace(tmp, out)

    report(result)
    print(f"\ntotal {result['elapsed_s']} s; results written to {out}")


if __name__ == "__main__":
    main()
