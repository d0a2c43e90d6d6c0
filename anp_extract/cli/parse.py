"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..core.page import parse_bytes
from ..sources import STDIN, Document
from ..streams import parse_records
from . import app
from .common import (
    INPUT_ARGS,
    BoilerplateFile,
    InputArgs,
    Now,
    OutputFile,
    Paths,
    check_output_name,
    output_file,
    parse_options,
    run_each,
    with_input_options,
)
from .tables import (
    TABLE_ARGS,
    TableArgs,
    ToOrExtension,
    format_named,
    with_table_options,
)
from .terminal import (
    EXIT_CODES_HELP,
)


@app.command(epilog=EXIT_CODES_HELP)
@with_input_options
@with_table_options(ToOrExtension, to_default=None)
def parse(
    paths: Paths = None, boilerplate: BoilerplateFile = None, now: Now = None,
    tables: TableArgs = TABLE_ARGS, output: OutputFile = None, inputs: InputArgs = INPUT_ARGS,
) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).
    Compressed pages, tar and zip archives, WARC/WET files and JSON Lines of documents
    give one record per page inside.

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now, inputs.read())
    check_output_name(output)
    shape = tables.options(to=None if tables.to else format_named(output, "parse"))
    names = inputs.names(paths)
    if inputs.files_from is not None and not names:  # nothing named: nothing to do (xargs -r)
        raise typer.Exit(0)
    read, with_mtime = options.read, options.now_from_mtime
    if shape.plain and output in (None, STDIN):  # `entry` takes this loop without typer
        raise typer.Exit(parse_records(names, options, read, with_mtime))
    with output_file(output, names) as out:  # the same as 'parse | export', in one process
        writer = shape.writer(out)

        def write(page: Document) -> None:
            writer.write_record(parse_bytes(page.data, page.source, options(page)).to_dict())

        status = run_each(names, write, read, with_mtime)
        writer.end()
    raise typer.Exit(status)


@app.command(epilog="Exit status: 0 printed; 1 the output could not be written; 141 the "
             "reader closed the pipe.")
def schema() -> None:
    """Print the JSON Schema of the page record (anp-extract/page@2).

    Example: anp-extract schema > page.schema.json
    """
    from ..core.contract import schema_text  # here: parse starts without the schema

    sys.stdout.write(schema_text())
