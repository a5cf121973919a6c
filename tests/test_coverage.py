"""docs/coverage.md is the table docs/coverage.py generates from the rule registry: regenerate it
with `python docs/coverage.py` whenever rules change."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("hodiff_coverage", ROOT / "docs" / "coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_table_is_current():
    text = _generator().render()
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
