"""Writes docs/coverage.md: which NumPy/SciPy functions hodiff differentiates, in which mode.

Run from the repository root: ``python docs/coverage.py`` (``--check`` exits 1 when the
committed table is out of date; tests/test_coverage.py runs that check).

The table is read off the rule registry: every public function of hodiff.numpy (and its fft and
linalg modules) and of hodiff.scipy's modules that replaces NumPy's or SciPy's own, with the
primitive behind it. Complex support is what the spec rows (tests/spec*.py) test.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "coverage.md"

# (hodiff module, the module whose functions it stands for)
NAMESPACES = [
    ("hodiff.numpy", "numpy"),
    ("hodiff.numpy.fft", "numpy.fft"),
    ("hodiff.numpy.linalg", "numpy.linalg"),
    ("hodiff.scipy.special", "scipy.special"),
    ("hodiff.scipy.linalg", "scipy.linalg"),
    ("hodiff.scipy.signal", "scipy.signal"),
    ("hodiff.scipy.integrate", "scipy.integrate"),
    ("hodiff.scipy.stats", "scipy.stats"),
]


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _namespaces():
    """(hodiff module, original module or object, public prefix) for every namespace present."""
    found = []
    for hname, oname in NAMESPACES:
        hmod, orig = _import(hname), _import(oname)
        if hmod is None or orig is None or hmod is orig:
            continue
        found.append((hmod, orig, oname))
        if hasattr(hmod, "__path__"):  # a package: scipy.stats.norm and friends
            for info in pkgutil.iter_modules(hmod.__path__):
                sub = getattr(orig, info.name, None)
                if not info.name.startswith("_") and sub is not None:
                    sm = _import(f"{hname}.{info.name}")
                    if sm is not None:
                        found.append((sm, sub, f"{oname}.{info.name}"))
    return found


def _has_rules(rules) -> bool:
    # A rule table that makes its rules on demand (RulesForEveryArg) has rules for every arg.
    return bool(rules) or hasattr(type(rules), "__missing__")


def _modes(prim):
    """(forward, reverse, note) for one primitive."""
    from hodiff.core import NondiffPrimitive

    if isinstance(prim, NondiffPrimitive):
        return "—", "—", "no derivative (constant output)"
    fwd, rev = _has_rules(prim.jvps), _has_rules(prim.vjps)
    note = prim.one_mode_reason or ""
    if fwd and rev:
        return "rule", "rule", note
    if rev:
        return "derived", "rule", note or "forward rule derived from the reverse one"
    if fwd:
        return "rule", "derived", note or "reverse rule derived from the forward one"
    return "—", "—", "no rules"


def _complex_support():
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from spec import SPECS
    finally:
        sys.path.pop(0)
    tested, real_only = set(), set()
    for row in SPECS:
        (tested if row.im is not None else real_only).add(row.name)
    return tested, real_only - tested


def rows():
    """The table's rows: (function, forward, reverse, complex, note), and the names of the
    registered primitives that no public function stands for."""
    from hodiff.core import Primitive, all_primitives

    registry = all_primitives()
    tested, real_only = _complex_support()
    out, seen_prims, first_of = [], set(), {}
    for hmod, orig, prefix in _namespaces():
        for name in sorted(vars(hmod)):
            obj = getattr(hmod, name)
            if name.startswith("_") or not callable(obj) or inspect.isclass(obj):
                continue
            original = getattr(orig, name, None)
            if original is None or obj is original or inspect.ismodule(obj):
                continue
            prim = obj if isinstance(obj, Primitive) else registry.get(name)
            public = f"{prefix}.{name}"
            if prim is None:
                fwd, rev, cplx, note = "composite", "composite", "via its parts", \
                    "built from differentiable functions"
            else:
                seen_prims.add(prim.__name__)
                fwd, rev, note = _modes(prim)
                cplx = ("yes" if prim.__name__ in tested else
                        "real only" if prim.__name__ in real_only else "untested")
                if fwd == "—":
                    cplx = "—"
            # By the object itself, not id(): scipy hands out a new bound method on each
            # attribute read, and a freed one's id can be reused by the next.
            try:
                hash(original)
                key = original
            except TypeError:
                key = id(original)
            if key in first_of:  # numpy's own alias (np.abs is np.absolute)
                note = f"alias of {first_of[key]}" + (f"; {note}" if note else "")
            else:
                first_of[key] = public
            out.append((public, fwd, rev, cplx, note))
    others = sorted(set(registry) - seen_prims)
    return out, [(n, *_modes(registry[n])) for n in others]


def render() -> str:
    table, others = rows()
    numpy_rows = [r for r in table if r[0].startswith("numpy.") and "alias of" not in r[4]]
    full = ("rule", "composite")
    both = [r for r in numpy_rows if r[1] in full and r[2] in full]
    one = [r for r in numpy_rows if "derived" in (r[1], r[2])]
    nondiff = [r for r in numpy_rows if r[1] == "—"]
    fft = [r for r in both if r[0].startswith("numpy.fft.")]
    scipy_both = [r for r in table if r[0].startswith("scipy.") and "derived" not in r[1:3]
                  and r[1] != "—"]
    lines = [
        "# Coverage: what hodiff differentiates",
        "",
        "Generated from the rule registry by `python docs/coverage.py`; do not edit by hand "
        "(tests/test_coverage.py fails when it is out of date).",
        "",
        f"- NumPy functions with both a forward and a reverse rule: **{len(both)}** "
        f"(numpy.fft: {len(fft)}; aliases counted once; a composite is built from "
        f"differentiable functions, so it has both).",
        f"- NumPy functions with one rule, the other derived by transposition: {len(one)}.",
        f"- NumPy functions with no derivative (integer, boolean or constant output): "
        f"{len(nondiff)}.",
        f"- SciPy functions with both rules: {len(scipy_both)}.",
        "",
        "Forward/reverse: `rule` (hand-written), `derived` (from the other mode's rule by "
        "transposition; slower), `composite` (built from differentiable functions), `—` (no "
        "derivative). Complex: `yes` where the spec rows test complex inputs, `real only` where "
        "they test real inputs only, `untested` where no row covers it.",
        "",
        "| function | forward rule | reverse rule | complex support | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{f}` | {a} | {b} | {c} | {n} |" for f, a, b, c, n in table]
    lines += [
        "",
        "## Other primitives",
        "",
        "Registered primitives that no NumPy or SciPy name stands for (indexing, casts, "
        "hodiff's own operations).",
        "",
        "| primitive | forward rule | reverse rule | note |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{n}` | {a} | {b} | {c} |" for n, a, b, c in others]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    text = render()
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is out of date: run `python docs/coverage.py`", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
