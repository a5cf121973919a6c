"""Spec rows for hodiff.numpy.fft: the four primitives (fftn, ifftn, rfftn, irfftn) through
every public function, with n/s cropping and padding, axes and each norm; complex inputs
where numpy takes them (the adjointness test checks the rfft/irfft transposes with complex
cotangents).
"""
from __future__ import annotations

import numpy as onp
from spec import ANY, POS, _spec, cases, grid

import hodiff.numpy as np

NORMS = [{}, {"norm": "ortho"}, {"norm": "forward"}]


def _fft_row(prim, name, shapes, im=ANY, **kw):
    return _spec(prim, getattr(np.fft, name), shapes, im=im, label=name,
                 ref=getattr(onp.fft, name), **kw)


ROWS = [
    _fft_row("fftn", "fft", grid([(4,), (2, 3)], NORMS) + cases(
        ((4,), {"n": 3}), ((3,), {"n": 5}), ((2, 3), {"axis": 0, "n": 4}))),
    _fft_row("ifftn", "ifft", grid([(4,)], NORMS) + cases(
        ((4,), {"n": 2}), ((2, 3), {"axis": 0, "n": 3}))),
    _fft_row("fftn", "fft2", grid([(2, 3)], NORMS[1:]) + cases(((2, 3), {"s": (3, 2)}))),
    _fft_row("ifftn", "ifft2", cases(((2, 3), {}), ((2, 2, 3), {"axes": (0, 2)}))),
    _fft_row("fftn", "fftn", cases(((2, 3), {}), ((2, 3, 2), {"axes": (0, 2)}),
                                   ((2, 3), {"s": (3, 4), "norm": "ortho"}))),
    _fft_row("ifftn", "ifftn", cases(((2, 3), {"s": (1, 3)}), ((2, 2), {"norm": "forward"}))),
    _fft_row("rfftn", "rfft", grid([(4,), (5,)], NORMS) + cases(
        ((4,), {"n": 3}), ((3,), {"n": 6}), ((2, 3), {"axis": 0})), im=None),
    _fft_row("rfftn", "rfft2", cases(((2, 4), {}), ((3, 2), {"s": (2, 3)})), im=None),
    _fft_row("rfftn", "rfftn", cases(((2, 3), {"axes": (1, 0), "norm": "ortho"}),
                                     ((2, 2, 3), {"s": (2, 4), "axes": (0, 2)})), im=None),
    _fft_row("irfftn", "irfft", grid([(3,), (4,)], NORMS) + cases(
        ((3,), {"n": 5}), ((3,), {"n": 3}), ((4,), {"n": 2}), ((2, 3), {"axis": 0}))),
    _fft_row("irfftn", "irfft2", cases(((2, 3), {}), ((2, 2), {"s": (3, 3)}))),
    _fft_row("irfftn", "irfftn", cases(((2, 3), {"norm": "ortho"}),
                                       ((3, 2, 2), {"axes": (0, 2), "s": (2, 3)}))),
    _fft_row("irfftn", "hfft", cases(((3,), {}), ((3,), {"n": 5, "norm": "ortho"}),
                                     ((2, 3), {"axis": 0, "norm": "forward"}))),
    _fft_row("rfftn", "ihfft", cases(((4,), {}), ((5,), {"n": 4, "norm": "ortho"})), im=None),
    _fft_row("getitem", "fftshift", cases(((4,), {}), ((3, 4), {}), ((2, 3), {"axes": 1}))),
    _fft_row("getitem", "ifftshift", cases(((5,), {}), ((3, 4), {"axes": (0,)}))),
    _spec("divide", lambda d: np.fft.fftfreq(5, d), grid([()]), dom=POS, label="fftfreq",
          ref=lambda d: onp.fft.fftfreq(5, d)),
    _spec("divide", lambda d: np.fft.rfftfreq(6, d), grid([()]), dom=POS, label="rfftfreq",
          ref=lambda d: onp.fft.rfftfreq(6, d)),
]
