"""Spec rows for hodiff.scipy.signal: convolve, correlate (every mode and method, n-d, real and
complex) and lfilter (with sosfilt and fftconvolve rows exercising the same primitives)."""
import scipy.signal as ss
from spec import ANY, SMALL, _spec, cases, grid

from hodiff.scipy import signal

_PAIRS = [((5,), (3,)), ((2,), (4,)), ((3, 2), (2, 2)), ((2, 2), (3, 3))]
_MODES = [{"mode": m, "method": meth} for m in ("full", "same", "valid")
          for meth in ("direct", "fft")]


def _stable(args):
    """lfilter's (b, a, x): a[0] in [1, 2] and small feedback, so the filter is stable and
    a[0] keeps away from 0."""
    b, a, x = args
    a = a * 0.2
    a[0] = 1.5 + 1.25 * a[0]
    return b, a, x


def _stable_sos(args):
    sos, x = args
    sos = sos * 0.2
    sos[:, 3] = 1.0  # scipy insists; hodiff accepts any a0 (finite differences move it)
    return sos, x


ROWS = [
    _spec("signal.convolve", lambda a, v, **kw: signal.convolve(a, v, **kw), grid(_PAIRS, _MODES),
          im=ANY, ref=lambda a, v, **kw: ss.convolve(a, v, **kw)),
    _spec("signal.correlate", lambda a, v, **kw: signal.correlate(a, v, **kw),
          grid(_PAIRS, _MODES), im=ANY, ref=lambda a, v, **kw: ss.correlate(a, v, **kw)),
    _spec("signal.convolve", signal.fftconvolve, grid(_PAIRS[:3], [{"mode": "same"}]),
          im=ANY, label="fftconvolve", ref=ss.fftconvolve),
    _spec("signal.lfilter", signal.lfilter, cases(
        (((3,), (3,), (6,)), {}), (((2,), (1,), (2, 5)), {}),
        (((3,), (2,), (4, 2)), {"axis": 0}), (((1,), (4,), (3,)), {"axis": -1})),
        im=SMALL, prep=_stable, ref=ss.lfilter, rtol=1e-5, atol=1e-6),
    _spec("signal.lfilter", signal.sosfilt, cases((((2, 6), (5,)), {}),
                                                  (((1, 6), (2, 4)), {"axis": 0})),
          im=SMALL, prep=_stable_sos, label="sosfilt", ref=ss.sosfilt),
]
