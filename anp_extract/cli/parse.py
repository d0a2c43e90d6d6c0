"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..core.contract import schema_text
from ..core.page import parse_bytes
from ..sinks import record_line
from . import app
from .common import (
    BoilerplateFile,
    Bom,
    Fields,
    NoHeader,
    Now,
    OutputFile,
    Paths,
    TableName,
    ToOrExtension,
    check_output_name,
    format_named,
    output_file,
    parse_options,
    run_each,
    table_options,
)
from .terminal import (
    EXIT_CODES_HELP,
)


@app.command(epilog=EXIT_CODES_HELP)
def parse(
    paths: Paths = None,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
    to: ToOrExtension = None,
    table: TableName = "pages",
    fields: Fields = None,
    no_header: NoHeader = False,
    bom: Bom = False,
    output: OutputFile = None,
) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now)
    check_output_name(output)
    shape = table_options(to or format_named(output, "parse"), table, fields, no_header,
                          bom)
    with output_file(output, paths) as out:
        if shape.plain:

            def work(source: str, data: bytes) -> None:
                out.write(record_line(parse_bytes(data, source, options(source))))

            status = run_each(paths, work)
        else:  # the same as 'parse | export' with these options, in one process
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
    sys.stdout.write(schema_text())
