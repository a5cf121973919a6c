"""Fit the complex taps of an FIR filter to input/output data by gradient descent through the FFT.

The filter acts by circular convolution, computed as ifft(fft(x) * fft(h, n)). The loss is real,
so hodiff's gradient g is du/dx - i du/dy and the descent step is along conj(g) (docs/complex.md).
The data come from known taps, so the fit must find them. A plot of the loss is saved to
examples/output/complex_filter_loss.png when matplotlib is installed.
Run: python examples/complex_filter.py
"""
from pathlib import Path

import numpy as onp

import hodiff.numpy as np
from hodiff import grad

rng = onp.random.default_rng(1)
N, TAPS = 64, 4
true_taps = rng.standard_normal(TAPS) + 1j * rng.standard_normal(TAPS)
signal = rng.standard_normal(N) + 1j * rng.standard_normal(N)
observed = onp.fft.ifft(onp.fft.fft(signal) * onp.fft.fft(true_taps, N))


def filtered(taps):
    return np.fft.ifft(np.fft.fft(signal) * np.fft.fft(taps, N))


def loss(taps):
    return np.mean(np.abs(filtered(taps) - observed) ** 2)


# A safe step: the loss is quadratic with Hessian (2/N) G in the taps, G the Gram matrix of the
# signal's circular shifts; half the inverse of its largest eigenvalue converges monotonically.
shifts = onp.stack([onp.roll(signal, k) for k in range(TAPS)], axis=1)
step = 0.5 / onp.linalg.eigvalsh(2 / N * shifts.conj().T @ shifts).max()

taps = onp.zeros(TAPS, dtype=complex)
history = []
for _ in range(300):
    history.append(float(loss(taps)))
    taps = taps - step * onp.conj(grad(loss)(taps))

error = onp.abs(taps - true_taps).max()
print(f"loss {history[0]:.3e} -> {history[-1]:.3e} in {len(history)} steps; "
      f"largest tap error {error:.2e}")
assert history[-1] < 1e-20 and error < 1e-9, "the fit did not find the true taps"
# Monotone descent until the loss reaches rounding level.
assert all(b <= a * (1 + 1e-9) or b < 1e-25 for a, b in zip(history, history[1:])), \
    "loss went up"

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib not installed: no plot")
else:
    out = Path(__file__).resolve().parent / "output" / "complex_filter_loss.png"
    out.parent.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.semilogy(history)
    ax.set_xlabel("gradient step")
    ax.set_ylabel("mean squared error")
    ax.set_title("Fitting complex FIR taps through the FFT")
    fig.tight_layout()
    fig.savefig(out)
    print(f"plot saved to {out}")
