"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..core.page import parse_bytes
from ..streams import parse_records
from . import app
from .common import (
    EXIT_CODES_HELP,
    TABLES,
    BoilerplateFile,
    Now,
    Paths,
    TableArgs,
    parse_options,
    run_each,
    stdout,
    with_table_options,
)


@app.command(epilog=EXIT_CODES_HELP)
@with_table_options()
def parse(
    paths: Paths = None, boilerplate: BoilerplateFile = None, now: Now = None,
    tables: TableArgs = TABLES,
) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now)
    shape = tables.options()
    if shape.plain:  # without options, `entry` takes this same loop without typer
        raise typer.Exit(parse_records(paths, options))
    # The same as 'parse | export' with these options, in one process.
    writer = shape.writer(stdout())

    def write(source: str, data: bytes) -> None:
        writer.write_record(parse_bytes(data, source, options(source)).to_dict())

    status = run_each(paths, write)
    writer.end()
    raise typer.Exit(status)


@app.command(epilog=EXIT_CODES_HELP)
def schema() -> None:
    """Print the JSON Schema of the page record (anp-extract/page@1).

    Example: anp-extract schema > page.schema.json
    """
    from ..core.contract import schema_text  # here: parse starts without the schema

    sys.stdout.write(schema_text())
