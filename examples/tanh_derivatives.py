"""tanh and its first six derivatives, the plot from the autograd tutorial, computed two ways:
one Taylor-mode pass (hodiff.taylor) and six nested elementwise gradients; they must agree.
The plot is saved to examples/output/tanh_derivatives.png when matplotlib is installed.
Run: python examples/tanh_derivatives.py
"""
from pathlib import Path

import numpy as onp

import hodiff.numpy as np
from hodiff import elementwise_grad, taylor

x = onp.linspace(-7, 7, 200)
by_taylor = taylor(np.tanh, x, onp.ones_like(x), 6)  # [tanh, tanh', ..., tanh^(6)]

by_nesting, f = [np.tanh(x)], np.tanh
for _ in range(6):
    f = elementwise_grad(f)
    by_nesting.append(f(x))

gap = max(float(onp.abs(a - b).max()) for a, b in zip(by_taylor, by_nesting))
print(f"tanh and six derivatives at {x.size} points: Taylor mode vs nested grad differ by "
      f"at most {gap:.1e}")
assert gap < 1e-9, "Taylor mode and nested gradients disagree"

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib not installed: no plot")
else:
    out = Path(__file__).resolve().parent / "output" / "tanh_derivatives.png"
    out.parent.mkdir(exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for k, d in enumerate(by_taylor):
        ax.plot(x, d, label="tanh" if k == 0 else f"order {k}")
    ax.axis("off")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(out)
    print(f"plot saved to {out}")
