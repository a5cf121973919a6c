"""tanh and its first six derivatives, as in autograd's famous plot, computed two ways: by
Taylor mode (all six orders in one pass) and by nesting elementwise grad six times. The script
checks that both agree, then saves the plot (when matplotlib is installed).

Usage: python examples/tanh_derivatives.py [--out tanh_derivatives.png]
"""
import argparse
import os
import tempfile
import time

import numpy

import hodiff.numpy as np
from hodiff import elementwise_grad, taylor

ORDER = 6


def by_taylor(x):
    """All derivatives in one pass: tanh is elementwise, so the direction of ones gives each
    element's own derivatives."""
    return [numpy.asarray(d) for d in taylor(np.tanh, x, numpy.ones_like(x), ORDER)]


def by_nested_grad(x):
    out, f = [np.tanh(x)], np.tanh
    for _ in range(ORDER):
        f = elementwise_grad(f)
        out.append(f(x))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(),
                                                      "tanh_derivatives.png"))
    args = parser.parse_args()
    x = numpy.linspace(-7, 7, 700)
    t0 = time.perf_counter()
    taylor_curves = by_taylor(x)
    t1 = time.perf_counter()
    nested_curves = by_nested_grad(x)
    t2 = time.perf_counter()
    worst = max(float(numpy.max(numpy.abs(a - b)) / (1 + numpy.max(numpy.abs(b))))
                for a, b in zip(taylor_curves, nested_curves))
    print(f"Taylor mode (one pass, orders 0-{ORDER}): {1e3 * (t1 - t0):.1f} ms; nested grad: "
          f"{1e3 * (t2 - t1):.1f} ms; largest relative difference {worst:.2e}")
    assert worst < 1e-10, "Taylor mode and nested grad disagree"
    # a spot check against the closed forms of the first two derivatives
    th = numpy.tanh(x)
    assert numpy.allclose(taylor_curves[1], 1 - th ** 2)
    assert numpy.allclose(taylor_curves[2], -2 * th * (1 - th ** 2))

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (the curves agree)")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for k, curve in enumerate(taylor_curves):
        ax.plot(x, curve, label="tanh" if k == 0 else f"order {k}")
    ax.set_xlim(-7, 7)
    ax.axis("off")
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"plot saved to {args.out}")


if __name__ == "__main__":
    main()
