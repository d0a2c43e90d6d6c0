"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..contract import schema_text
from ..io import record_line
from ..page import parse_bytes
from . import app
from .common import BoilerplateFile, Now, Paths, parse_options, run_each, stdout


@app.command()
def parse(paths: Paths = None, boilerplate: BoilerplateFile = None, now: Now = None) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now)
    out = stdout()

    def work(source: str, data: bytes) -> None:
        out.write(record_line(parse_bytes(data, source, options(source))))

    raise typer.Exit(run_each(paths, work))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the page record (anp-extract/page@1).

    Example: anp-extract schema > page.schema.json
    """
    sys.stdout.write(schema_text())
