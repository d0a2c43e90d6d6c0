"""The record contract as data: the JSON Schema shipped in the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from .record import SCHEMA

SCHEMA_FILE = "page-1.json"


@cache
def schema_text() -> str:
    """The JSON Schema of ``anp-extract/page@1``, as shipped."""
    return (resources.files("anp_extract") / "schema" / SCHEMA_FILE).read_text("utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema as a dict."""
    loaded: dict[str, Any] = json.loads(schema_text())
    assert loaded["$id"] == SCHEMA
    return loaded
