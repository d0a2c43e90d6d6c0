"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..core.page import parse_bytes
from ..sources import STDIN
from ..streams import parse_records
from . import app
from .common import (
    TABLE_ARGS,
    BoilerplateFile,
    Now,
    OutputFile,
    Paths,
    TableArgs,
    ToOrExtension,
    check_output_name,
    format_named,
    output_file,
    parse_options,
    run_each,
    with_table_options,
)
from .terminal import (
    EXIT_CODES_HELP,
)


@app.command(epilog=EXIT_CODES_HELP)
@with_table_options(ToOrExtension, to_default=None)
def parse(
    paths: Paths = None, boilerplate: BoilerplateFile = None, now: Now = None,
    tables: TableArgs = TABLE_ARGS, output: OutputFile = None,
) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now)
    check_output_name(output)
    shape = tables.options(to=None if tables.to else format_named(output, "parse"))
    if shape.plain and output in (None, STDIN):  # `entry` takes this loop without typer
        raise typer.Exit(parse_records(paths, options))
    with output_file(output, paths) as out:  # the same as 'parse | export', in one process
        writer = shape.writer(out)

        def write(source: str, data: bytes) -> None:
            writer.write_record(parse_bytes(data, source, options(source)).to_dict())

        status = run_each(paths, write)
        writer.end()
    raise typer.Exit(status)


@app.command(epilog="Exit status: 0 printed; 1 the output could not be written; 141 the "
             "reader closed the pipe.")
def schema() -> None:
    """Print the JSON Schema of the page record (anp-extract/page@1).

    Example: anp-extract schema > page.schema.json
    """
    from ..core.contract import schema_text  # here: parse starts without the schema

    sys.stdout.write(schema_text())
