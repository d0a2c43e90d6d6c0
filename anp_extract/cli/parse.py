"""``parse`` and ``schema``: pages in, records out; the contract itself."""

from __future__ import annotations

import sys

import typer

from ..core.contract import schema_text
from ..core.page import parse_bytes
from ..sinks import record_line
from ..sources import Document
from . import app
from .common import (
    EXIT_CODES_HELP,
    BoilerplateFile,
    Bom,
    Fields,
    FilesFrom,
    JsonlText,
    JsonlTime,
    JsonlUrl,
    MaxPageSize,
    NoHeader,
    Now,
    Null,
    Paths,
    TableName,
    To,
    input_names,
    parse_options,
    read_options,
    run_each,
    stdout,
    table_options,
)


@app.command(epilog=EXIT_CODES_HELP)
def parse(
    paths: Paths = None,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
    to: To = "jsonl",
    table: TableName = "pages",
    fields: Fields = None,
    no_header: NoHeader = False,
    bom: Bom = False,
    files_from: FilesFrom = None,
    null: Null = False,
    max_page_size: MaxPageSize = "64M",
    jsonl_text: JsonlText = None,
    jsonl_url: JsonlUrl = "url",
    jsonl_time: JsonlTime = None,
) -> None:
    """Parse scraped pages into page records, one JSON object per line (JSON Lines).
    Compressed pages, tar and zip archives, WARC/WET files and JSON Lines of documents
    give one record per page inside.

    Example: anp-extract parse seeds/*.txt | jq -r '.briefs[].dateline.places[]'
    """
    options = parse_options(boilerplate, now,
                            read_options(max_page_size, jsonl_text, jsonl_url, jsonl_time))
    shape = table_options(to, table, fields, no_header, bom)
    names = input_names(paths, files_from, null) if files_from is not None else paths
    if files_from is not None and not names:  # nothing named: nothing to do (as xargs -r)
        raise typer.Exit(0)
    out = stdout()
    if shape.plain:

        def work(page: Document) -> None:
            out.write(record_line(parse_bytes(page.data, page.source, options(page))))

        raise typer.Exit(run_each(names, work, options))
    # The same as 'parse | export' with these options, in one process.
    writer = shape.writer(out)

    def write(page: Document) -> None:
        writer.write_record(parse_bytes(page.data, page.source, options(page)).to_dict())

    status = run_each(names, write, options)
    writer.end()
    raise typer.Exit(status)


@app.command(epilog=EXIT_CODES_HELP)
def schema() -> None:
    """Print the JSON Schema of the page record (anp-extract/page@1).

    Example: anp-extract schema > page.schema.json
    """
    sys.stdout.write(schema_text())
