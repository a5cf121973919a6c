"""docs/coverage.md is the table docs/coverage.py generates from the rule registry: regenerate it
with `python docs/coverage.py` whenever rules change."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("hodiff_coverage", ROOT / "docs" / "coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RENDER = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('hodiff_coverage', sys.argv[1])\n"
    "module = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(module)\n"
    "sys.stdout.write(module.render())\n"
)


def test_coverage_table_is_current():
    # In a fresh interpreter, as `python docs/coverage.py` runs: what earlier tests happened to
    # import (and so register) must not change the table.
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", _RENDER, str(ROOT / "docs" / "coverage.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    text = done.stdout
    committed = (ROOT / "docs" / "coverage.md").read_text()
    assert committed == text, "docs/coverage.md is out of date: run `python docs/coverage.py`"


def test_coverage_table_reads_the_registry():
    table, others = _generator().rows()
    by_name = {row[0]: row for row in table}
    assert by_name["numpy.sin"][1:3] == ("rule", "rule")
    assert by_name["numpy.sin"][3] == "yes"
    assert by_name["numpy.argmax"][1] == "—"
    assert "getitem" in [row[0] for row in others]
    # numpy's own functions with no rule are not listed as covered
    assert "numpy.packbits" not in by_name
