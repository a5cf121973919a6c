"""Running the registry's spec rows on other array libraries (Dask, CuPy), and the generated list
of the rows a library lacks (docs/backends.md).

Each row's case runs on NumPy and on the backend (Dask, CuPy, or fake_gpu.py's CPU stand-in
with CuPy's rules): its value, a reverse-mode cotangent, a forward-mode tangent and a
forward-over-reverse second derivative, compared to rounding. The backend's values must stay its
own arrays (lazy for Dask, on the device for CuPy): for Dask the whole derivative is built under
a scheduler that refuses to compute, for the stand-in under a guard that refuses moves to the
host, so a rule that pulls a value to the host fails loudly. A row whose plain call (no
derivative) already fails or computes on the backend is one the backend lacks: it is skipped
and listed in docs/backends.md.

Regenerate the list after adding rows (one command, from the repository root):

    python tests/backend_support.py --write

Imports hodiff, numpy and the spec table; Dask and CuPy only when asked for.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as onp

_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent)]  # run as a script: the spec table, this hodiff
from spec import SPECS, Spec, example  # noqa: E402

import hodiff  # noqa: E402
from hodiff import jvp, vjp  # noqa: E402
from hodiff.core.tree import flatten  # noqa: E402
from hodiff.core.vspace import random_like  # noqa: E402

DOC = Path(__file__).resolve().parent.parent / "docs" / "backends.md"
# HODIFF_PROFILE=thorough runs every case of every row; by default the first case of each.
ALL_CASES = os.environ.get("HODIFF_PROFILE", "fast") == "thorough"


class Computed(AssertionError):
    """A Dask value was computed while a derivative was being built."""


class Backend:
    """An array library the spec rows run on."""

    name = ""
    module = ""

    def missing(self) -> str | None:
        """Why the library can't be used here (None when it can)."""
        try:
            importlib.import_module(self.module)
        except Exception as e:  # ImportError, or a CUDA library that fails to load
            return f"{self.module} is not importable here ({type(e).__name__}: {e})"
        return None

    def to(self, x: onp.ndarray) -> Any:
        raise NotImplementedError

    def owns(self, x: Any) -> bool:
        raise NotImplementedError

    def to_numpy(self, leaves: list) -> list:
        raise NotImplementedError

    def forbid_host(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise Computed("a Dask array was computed while the derivative was being built")


class DaskBackend(Backend):
    name, module = "Dask", "dask.array"

    def to(self, x: onp.ndarray) -> Any:
        import dask.array as da
        # Two chunks along the first axis, so rules meet a chunk boundary (more chunks cost
        # time in every graph, and the second axis adds no new kind of boundary).
        return da.from_array(x, chunks=tuple(max(1, (n + 1) // 2) if k == 0 else n
                                             for k, n in enumerate(x.shape)))

    def owns(self, x: Any) -> bool:
        import dask.array as da
        return isinstance(x, da.Array)

    def to_numpy(self, leaves: list) -> list:
        import dask
        return list(dask.compute(*leaves, scheduler="sync", optimize_graph=False))

    def forbid_host(self) -> contextlib.AbstractContextManager:
        import dask
        return dask.config.set(scheduler=_refuse)


class CupyBackend(Backend):
    name, module = "CuPy", "cupy"

    def missing(self) -> str | None:
        why = super().missing()
        if why is None:
            import cupy
            try:
                if cupy.cuda.runtime.getDeviceCount() < 1:
                    why = "no CUDA device"
            except Exception as e:
                why = f"no usable CUDA device ({type(e).__name__}: {e})"
        if why is None and not os.environ.get("HODIFF_CUPY"):
            why = "set HODIFF_CUPY=1 to run the CuPy rows (benchmarks/gpu_check.sh does)"
        return why

    def to(self, x: onp.ndarray) -> Any:
        import cupy
        return cupy.asarray(x)

    def owns(self, x: Any) -> bool:
        import cupy
        return isinstance(x, cupy.ndarray)

    def to_numpy(self, leaves: list) -> list:
        import cupy
        return [cupy.asnumpy(x) if self.owns(x) else x for x in leaves]


class FakeGpuBackend(Backend):
    """tests/fake_gpu.py: CuPy's rules (device arrays, no host arrays beside them, no implicit
    moves to the host) on the CPU, so CI catches what a GPU would."""

    name, module = "fake GPU", "fake_gpu"

    def _lib(self) -> Any:
        import fake_gpu
        from hodiff.numpy import backend
        backend.LIBRARIES.setdefault("fakegpu", "fakegpu")
        return fake_gpu

    def to(self, x: onp.ndarray) -> Any:
        return self._lib().module.asarray(x)

    def owns(self, x: Any) -> bool:
        return isinstance(x, self._lib().ndarray)

    def to_numpy(self, leaves: list) -> list:
        return [x._a if self.owns(x) else x for x in leaves]

    def forbid_host(self) -> contextlib.AbstractContextManager:
        return self._lib().strict()


BACKENDS = {"dask": DaskBackend(), "cupy": CupyBackend(), "fakegpu": FakeGpuBackend()}


def cases_of(spec: Spec) -> list[tuple[int, str]]:
    """(case, kind) pairs to run: the first and last case with real inputs, and the first with
    complex ones where the row has them (every case and kind under HODIFF_PROFILE=thorough)."""
    n = len(spec.cases)
    real = [(c, "real") for c in (range(n) if ALL_CASES else sorted({0, n - 1}))]
    complex_ = [(c, k) for k in spec.kinds if k != "real"
                for c in range(len(spec.cases_for(k)) if ALL_CASES else 1)]
    return real + complex_


def _case_id(spec: Spec, case: int) -> str:
    shapes, kw = spec.cases[case]
    text = f"{spec.id} {list(shapes)} {kw}" if kw else f"{spec.id} {list(shapes)}"
    return " ".join(text.split())  # array reprs span lines


def _short(e: BaseException) -> str:
    lines = [line for line in str(e).splitlines() if line.strip()]
    text = f"{type(e).__name__}: {lines[0] if lines else ''}"
    return text if len(text) <= 110 else text[:107] + "..."


def plain_call_fails(backend: Backend, spec: Spec, case: int, kind: str = "real") -> str | None:
    """Why the row's function, called without derivatives on backend arrays, fails or pulls
    values to the host (None when it works): what the backend lacks, not what hodiff does."""
    args, kw = example(spec, case, kind)
    # hodiff's own function on plain values: its primitives call the backend's functions
    # (a row's `ref` may be written for NumPy alone).
    fun = spec.fun
    try:
        with warnings.catch_warnings():
            # Dask warns, then computes, for a NumPy function it does not implement.
            warnings.simplefilter("error")
            with backend.forbid_host():
                out = fun(*[backend.to(a) for a in args], **kw)
            leaves = [v for v in flatten(out)[0] if _is_array_value(v)]
            bad = [type(v).__name__ for v in leaves if not backend.owns(v)]
            if bad:
                return f"returns {', '.join(sorted(set(bad)))}, not a {backend.name} array"
            backend.to_numpy(leaves)  # some limits show only when the graph runs
    except Exception as e:
        return _short(e)
    return None


def _is_array_value(v: Any) -> bool:
    return not isinstance(v, (onp.dtype, type, tuple, int, bool, str)) and v is not None


def quantities(spec: Spec, kw: dict, args: tuple, u: Any, v: tuple, w: tuple) -> list:
    """The row's value, cotangent, tangent and a forward-over-reverse second derivative."""
    f = lambda *xs: spec.fun(*xs, **kw)  # noqa: E731
    if spec.nondiff:
        return [jvp(f, args, v)[0]]
    y, pullback = vjp(f, *args)
    _, t = jvp(f, args, v)
    _, h = jvp(lambda *xs: vjp(f, *xs)[1](u), args, w)
    return [y, pullback(u), t, h]


def compare_row(backend: Backend, spec: Spec, case: int, kind: str = "real") -> None:
    """Run one case of a row on NumPy and on `backend`; fail unless they agree to rounding and
    the backend's results are its own arrays, built without computing anything."""
    args, kw = example(spec, case, kind)
    rng = onp.random.default_rng(case)
    u = None if spec.nondiff else random_like(spec.fun(*args, **kw), rng)
    v, w = random_like(args, rng), random_like(args, rng)
    expected = flatten(quantities(spec, kw, args, u, v, w))[0]
    put = lambda tree: hodiff.core.tree.tree_map(  # noqa: E731
        lambda x: backend.to(onp.asarray(x)), tree)
    with backend.forbid_host():
        got = flatten(quantities(spec, kw, put(args), put(u) if u is not None else None,
                                 put(v), put(w)))[0]
    kept = [i for i, e in enumerate(expected) if _is_array_value(e)]
    strays = [type(got[i]).__name__ for i in kept
              if onp.ndim(expected[i]) > 0 and not backend.owns(got[i])]
    assert not strays, f"results left {backend.name}: {strays}"
    for i, value in zip(kept, backend.to_numpy([got[i] for i in kept])):
        e = expected[i]
        assert onp.shape(value) == onp.shape(e), f"quantity {i}: shape {onp.shape(value)}"
        if spec.same_values:
            onp.testing.assert_allclose(value, e, rtol=1e-9, atol=1e-12, err_msg=f"quantity {i}")


# -- the generated list ------------------------------------------------------------------------
_BEGIN = "<!-- begin generated: {} -->"
_END = "<!-- end generated: {} -->"


def lacking(backend: Backend, specs: list[Spec] = SPECS) -> list[tuple[str, str]]:
    """(row and case, why) for every case the backend lacks."""
    out = []
    for spec in specs:
        for case in range(len(spec.cases)):
            why = plain_call_fails(backend, spec, case)
            if why is not None:
                out.append((_case_id(spec, case), why))
    return out


def section(backend: Backend) -> str:
    rows = lacking(backend)
    lines = [_BEGIN.format(backend.name), "",
             f"{len(rows)} of {sum(len(s.cases) for s in SPECS)} spec cases call a function "
             f"{backend.name} lacks (or one it runs only by computing on the host):", ""]
    if rows:
        lines += ["| spec row and case | what the plain call does |", "| --- | --- |"]
        lines += [f"| `{r}` | {why.replace('|', '/')} |" for r, why in rows]
    lines += ["", _END.format(backend.name)]
    return "\n".join(lines)


def current_section(backend: Backend, text: str) -> str | None:
    start, end = _BEGIN.format(backend.name), _END.format(backend.name)
    if start not in text or end not in text:
        return None
    return text[text.index(start):text.index(end) + len(end)]


def write(backends: list[Backend], path: Path = DOC) -> None:
    text = path.read_text()
    for backend in backends:
        old = current_section(backend, text)
        new = section(backend)
        text = text.replace(old, new) if old is not None else text.rstrip() + "\n\n" + new + "\n"
    path.write_text(text)


def main(argv: list[str]) -> int:
    """``--write``: update docs/backends.md (or the file after ``--doc``) for every library
    usable here; otherwise print the generated lists."""
    listed = [b for name, b in BACKENDS.items() if name != "fakegpu"]  # real libraries only
    usable = [b for b in listed if b.missing() is None]
    for b in listed:
        if b not in usable:
            print(f"{b.name}: not generated ({b.missing()})", file=sys.stderr)
    if "--write" in argv:
        path = Path(argv[argv.index("--doc") + 1]) if "--doc" in argv else DOC
        write(usable, path)
        print(f"updated {path} for {', '.join(b.name for b in usable) or 'no library'}")
        return 0
    for b in usable:
        print(section(b))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
