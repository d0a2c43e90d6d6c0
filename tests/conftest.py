"""Shared fixtures: paths, the record validator, a sample of generated pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, settings

from anp_extract.core.contract import schema
from tests.generator import GeneratedPage, generate_pages

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# Timing on a shared CI box is noise: no per-example deadline.  Example counts are set
# per test, moderate, so the whole suite stays fast.
settings.register_profile(
    "anp", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile("anp")

VALIDATOR = jsonschema.Draft202012Validator(
    schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def assert_valid(record: dict[str, Any]) -> None:
    """The record obeys the packaged JSON Schema; the first error names the field."""
    error = jsonschema.exceptions.best_match(VALIDATOR.iter_errors(record))
    assert error is None, f"{record.get('source')}: {error.json_path}: {error.message}"


@pytest.fixture(scope="session")
def generated_sample() -> list[GeneratedPage]:
    """3000 generated pages (every kind and variation occurs), made once per run."""
    return list(generate_pages(3000, seed=11))
