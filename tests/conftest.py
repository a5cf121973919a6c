"""Test settings: hypothesis profiles (fast by default; HODIFF_PROFILE=thorough for more)."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fast", max_examples=8, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "thorough", max_examples=200, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HODIFF_PROFILE", "fast"))
