"""Fuzzing: random programs of registered primitives against finite differences in all four
second-order mode pairs and for adjointness (tests/fuzz.py). A few dozen programs by default;
HODIFF_PROFILE=thorough draws more, and benchmarks/fuzz.py runs thousands and counts them."""
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz import check_program, programs

EXAMPLES = 2000 if os.environ.get("HODIFF_PROFILE") == "thorough" else 24


@settings(max_examples=EXAMPLES)
@given(prog=programs(), seed=st.integers(0, 2 ** 16))
def test_random_programs(prog, seed):
    check_program(prog, seed)
