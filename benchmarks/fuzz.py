"""The fuzzer's thorough run: random programs of registered primitives (tests/fuzz.py) checked
against finite differences in all four second-order mode pairs (fwd-fwd, fwd-rev, rev-fwd,
rev-rev) and for adjointness. Prints and writes benchmarks/results/fuzz.txt.

    python benchmarks/fuzz.py            # 2000 programs (a few minutes)
    python benchmarks/fuzz.py --n 200    # a quick run
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzz  # noqa: E402

PAIRS = ("fwd-fwd", "fwd-rev", "rev-fwd", "rev-rev")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="programs to draw")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "fuzz.txt"))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    ran, steps, rows, failures = [0], [0], collections.Counter(), []

    @settings(max_examples=args.n, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(prog=fuzz.programs(), seed=st.integers(0, 2 ** 16))
    def run(prog, seed):
        ran[0] += 1
        steps[0] += len(prog.steps)
        rows.update(s.row.id for s in prog.steps)
        try:
            fuzz.check_program(prog, seed)
        except Exception as e:  # count and keep going: the report lists each failure
            failures.append(f"{prog} (seed {seed}): {type(e).__name__}: "
                            f"{str(e).splitlines()[0][:200]}")
            if len(failures) == 1:
                traceback.print_exc()

    start = time.perf_counter()
    run()
    took = time.perf_counter() - start
    lines = [
        "hodiff fuzzer (tests/fuzz.py): random programs of registered primitives",
        f"programs run        : {ran[0]} ({steps[0]} steps, {len(rows)} of "
        f"{len(fuzz.ROWS)} spec rows used)",
        f"checks per program  : finite differences in {', '.join(PAIRS)} "
        "(check_grads order 2), and adjointness <u, Jv> = <J^T u, v>",
        f"mode-pair checks    : {4 * ran[0]}",
        f"failures            : {len(failures)}",
        f"time                : {took:.1f} s",
        "least used rows     : " + ", ".join(f"{r} {c}" for r, c in rows.most_common()[-5:]),
    ] + [f"  FAIL {f}" for f in failures]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
