"""Gradient time of the newly covered NumPy functions: hodiff against HIPS autograd where
autograd has a rule. One command: `python benchmarks/numpy_coverage.py`; writes
benchmarks/results/numpy_coverage.txt (median of repeated timings, and the ratio)."""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

import numpy as onp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hodiff  # noqa: E402
import hodiff.numpy as hnp  # noqa: E402

try:
    import autograd
    import autograd.numpy as anp
except ImportError:  # autograd is optional: hodiff's figures alone
    autograd = anp = None

RNG = onp.random.default_rng(0)
X = RNG.normal(size=256)
M = RNG.normal(size=(32, 32))
K = RNG.normal(size=9)

CASES = {
    "fft |.|^2": (lambda np: lambda x: np.sum(np.abs(np.fft.fft(x)) ** 2), X),
    "rfft -> irfft": (lambda np: lambda x: np.sum(np.fft.irfft(np.fft.rfft(x)) ** 2), X),
    "fft2": (lambda np: lambda m: np.sum(np.real(np.fft.fft2(m)) ** 2), M),
    "sort": (lambda np: lambda x: np.sum(np.sort(x)[::2] ** 2), X),
    "roll": (lambda np: lambda x: np.sum(np.roll(x, 3) * x), X),
    "convolve": (lambda np: lambda x: np.sum(np.convolve(x, K, mode="same") ** 2), X),
    "diff": (lambda np: lambda x: np.sum(np.diff(x, n=2) ** 2), X),
    "pad (edge)": (lambda np: lambda m: np.sum(np.pad(m, 2, mode="edge") ** 2), M),
    "kron": (lambda np: lambda m: np.sum(np.kron(m[:8, :8], m[:4, :4]) ** 2), M),
    "median": (lambda np: lambda x: np.median(x) ** 2, X),
    "cross": (lambda np: lambda m: np.sum(np.cross(m[:, :3], m[:, 3:6]) ** 2), M),
}


def _median_time(f, x, number=20, repeat=7):
    f(x)
    return sorted(timeit.repeat(lambda: f(x), number=number, repeat=repeat))[repeat // 2] / number


def main():
    lines = [f"{'case':<16}{'hodiff (ms)':>13}{'autograd (ms)':>15}{'ratio':>8}"]
    for name, (make, x) in CASES.items():
        th = _median_time(hodiff.grad(make(hnp)), x) * 1e3
        ta = None
        if anp is not None:
            try:
                ga = autograd.grad(make(anp))
                onp.testing.assert_allclose(ga(x), hodiff.grad(make(hnp))(x), rtol=1e-9,
                                            atol=1e-9)
                ta = _median_time(ga, x) * 1e3
            except Exception:  # autograd has no rule for it
                ta = None
        ratio = f"{th / ta:8.2f}" if ta else f"{'-':>8}"
        lines.append(f"{name:<16}{th:13.3f}{(f'{ta:.3f}' if ta else 'no rule'):>15}{ratio}")
    text = "\n".join(lines) + "\n(ratio: hodiff time / autograd time; medians)\n"
    out = Path(__file__).parent / "results" / "numpy_coverage.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
