"""The tour and every script in examples/ run to completion (each checks its own results)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "examples").glob("*.py"))


def _run(args):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_there_are_examples():
    assert len(SCRIPTS) >= 3


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script):
    done = _run([str(script)])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "an example should print what it found"


def test_tour_runs_and_passes_its_checks():
    done = _run(["-m", "hodiff"])
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "all checks passed" in done.stdout
