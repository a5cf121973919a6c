"""Spec rows for the edge-exact reductions (issue 5): cumprod."""
import hodiff.numpy as np
from spec import SPLIT, _spec, grid

ROWS = [
    _spec("cumprod", np.cumprod,
          grid([(4,)], [{}, {"axis": 0}, {"axis": -1}])
          + grid([(2, 3)], [{}, {"axis": 0}, {"axis": 1}, {"axis": -1}]), dom=SPLIT, im=SPLIT),
]
