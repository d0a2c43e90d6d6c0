"""Shared fixtures: paths, the record validator, a sample of generated pages."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from tests.support import ROOT, interruptible_children
from tests.support.generator import GeneratedPage, generate_pages

DATA = ROOT / "tests" / "data"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Timing on a shared CI box is noise: no per-example deadline.  Example counts are set
# per test, moderate, so the whole suite stays fast.
settings.register_profile(
    "anp", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("anp")

interruptible_children()  # the real Ctrl-C tests, even when the suite runs in the background


@pytest.fixture(scope="session")
def generated_sample() -> list[GeneratedPage]:
    """3000 generated pages (every kind and variation occurs), made once per run."""
    return list(generate_pages(3000, seed=11))
