"""The import graph flows one way: core <- modes <- numpy (with linalg) <- operators <- the
autograd-style surfaces (extend, test_util, builtins, misc, complex, scipy) <- hodiff/__init__.
Checked by parsing every module's imports, so a backwards import fails here before it tangles
the package."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hodiff"

# Layer of each part of the package; a module may import its own layer or lower ones.
LAYERS = {"core": 0, "modes": 1, "numpy": 2, "linalg": 2, "operators": 3}
SURFACE = 4  # extend, test_util, builtins, misc, complex
TOP = 5  # hodiff/__init__.py and the tour (__main__.py), which use the whole package


def _layer(module: str) -> int:
    parts = module.split(".")
    if parts in (["hodiff"], ["hodiff", "__main__"]):
        return TOP
    return LAYERS.get(parts[1], SURFACE)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _hodiff_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found += [n for n in names if n == "hodiff" or n.startswith("hodiff.")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_is_placed():
    parts = {p.relative_to(PACKAGE).parts[0] for p in MODULES
             if len(p.relative_to(PACKAGE).parts) > 1}
    assert {"core", "modes", "numpy", "operators"} <= parts


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path):
    here = _module_name(path)
    for target in _hodiff_imports(path):
        if target == "hodiff" and _layer(here) < TOP:
            # `from hodiff import numpy` style is only for the top; lower layers name modules
            pytest.fail(f"{here} imports the hodiff package itself")
        assert _layer(target) <= _layer(here), (
            f"{here} (layer {_layer(here)}) imports {target} (layer {_layer(target)}): imports "
            "must flow core <- modes <- numpy <- operators <- surfaces <- hodiff")


def test_the_check_sees_a_backwards_import():
    assert _layer("hodiff.operators.reverse") > _layer("hodiff.core.tracing")
    assert _hodiff_imports(PACKAGE / "core" / "registry.py") == ["hodiff.core.tracing"]
