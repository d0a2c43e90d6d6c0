"""Filters for shell pipelines: ``strip``, ``split``, ``datelines`` (text in) and
``export`` (page records in).

Each reads its paths or standard input, calls the core, and writes data to stdout
only; anything else goes to stderr, one line per problem.
"""

from __future__ import annotations

import codecs
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Annotated, Any

import orjson
import typer

from ..core import contract, textops
from ..core.normalize import decode
from ..core.record import SCHEMAS
from ..core.tables import Table, flatten, items
from ..errors import AnpExtractError, InputError, RecordError
from ..sinks import Format, dumps
from ..sources import STDIN, Document, read_bytes
from ..streams import one_page
from . import app
from .common import (
    PAGE_BREAK,
    BoilerplateFile,
    Now,
    OptionsFactory,
    OutputFile,
    Paths,
    check_output_name,
    output_file,
    parse_options,
    run_each,
    sources,
    stdout,
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
    EXIT_FAILED,
    EXIT_OK,
    fail,
    stderr_console,
    use_color,
    visible,
)

TextWork = Callable[[Document, str, Sequence[str]], None]


def _each_text(
    paths: list[str] | None, work: TextWork, options: OptionsFactory | None = None
) -> int:
    """Decode every page and call ``work(page, text, warnings)``; the exit status.

    These are text filters, like ``sed``: an empty input gives empty output, not an
    error (``parse`` is the stage that says a page is empty).  A decoding fallback is
    said on stderr, since the output, unlike a record, has no ``warnings`` to carry it.
    """

    def each(page: Document) -> None:
        data, source = page.data, page.source
        if not data.removeprefix(codecs.BOM_UTF8).strip():  # an editor's "empty" file too
            return
        decoded = decode(data, source)
        for warning in decoded.warnings:
            fail(f"{source}: warning: {warning}")
        work(page, decoded.text, decoded.warnings)

    if options is None:
        return run_each(paths, each)
    return run_each(paths, each, options.read, options.now_from_mtime)


def _say_removed(source: str, number: int, line: str) -> None:
    where, line = visible(f"{source}:{number}:", one_line=True), visible(line, one_line=True)
    if use_color(sys.stderr):
        from rich.text import Text  # only --show-removed draws

        stderr_console().print(Text.assemble((where, "dim"), " ", (line, "red")), soft_wrap=True)
    else:
        sys.stderr.write(f"{where} {line}\n")


class _Between:
    """Pages written one after another with a form feed line between them (PAGE_BREAK),
    where the readers of standard input split them apart again; a page's own form feed
    lines are written blank (``one_page``), so that they split nothing."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.pages = out, 0

    def write(self, page: bytes) -> None:
        if not page:
            return
        if self.pages:
            self.out.write(PAGE_BREAK)
        page = one_page(page)
        self.out.write(page if page.endswith(b"\n") else page + b"\n")
        self.pages += 1


ShowRemoved = Annotated[
    bool,
    typer.Option("--show-removed", help="List each removed line on stderr as SOURCE:LINE: TEXT."),
]


@app.command(epilog=EXIT_CODES_HELP)
def strip(
    paths: Paths = None,
    boilerplate: BoilerplateFile = None,
    show_removed: ShowRemoved = False,
) -> None:
    """Take the boilerplate out of pages (webmail banner, repeated headline, --boilerplate
    rules) and write the rest as it was; the date line stays. strip | strip = strip.

    Example: anp-extract strip --show-removed page.txt > clean.txt
    """
    options = parse_options(boilerplate)
    out = stdout()
    between = _Between(out)

    def work(page: Document, text: str, warnings: Sequence[str]) -> None:
        source = page.source
        result = textops.strip(text, source, options(page), warnings)
        between.write(result.text.encode("utf-8"))
        if show_removed:
            for number, line in result.removed:
                _say_removed(source, number, line)

    raise typer.Exit(_each_text(paths, work))


JsonlBriefs = Annotated[
    bool,
    typer.Option(
        "--jsonl",
        help="Write one JSON object per brief instead: the brief of the page record, "
        "after its page's source, section and kind (the rows of --table briefs).",
    ),
]


@app.command(epilog=EXIT_CODES_HELP)
def split(
    paths: Paths = None,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
    jsonl: JsonlBriefs = False,
) -> None:
    """Rewrite pages one block per brief: glued ages cut loose; headline, dateline
    paragraph and age together; a blank line between blocks.

    Example: anp-extract split page.txt | grep -B2 'uur geleden'
    """
    options = parse_options(boilerplate, now)
    out = stdout()
    between = _Between(out)

    def work(page: Document, text: str, warnings: Sequence[str]) -> None:
        result = textops.split(text, page.source, options(page), warnings)
        if jsonl:
            for row in textops.brief_rows(result.page):
                out.write(dumps(row))
        else:
            between.write(result.text.encode("utf-8"))

    raise typer.Exit(_each_text(paths, work, options))


EveryLine = Annotated[
    bool, typer.Option("--all", help='Pass the other lines through too, as {"text": ...}.')
]


@app.command(epilog=EXIT_CODES_HELP)
def datelines(paths: Paths = None, every: EveryLine = False) -> None:
    """Write {"raw", "places", "agencies", "text"} for each line that opens with a
    dateline (PLACE (AGENCY) - ...), one JSON object per line.

    Example: anp-extract split dump.txt | anp-extract datelines | jq -r .raw
    """
    out = stdout()

    def work(page: Document, text: str, warnings: Sequence[str]) -> None:
        for row in textops.dateline_rows(text, every):
            out.write(dumps(row))

    raise typer.Exit(_each_text(paths, work))


# -- export ---------------------------------------------------------------------------------


@app.command(epilog=EXIT_CODES_HELP)
@with_table_options(ToOrExtension, to_default=None)
def export(
    paths: Paths = None, tables: TableArgs = TABLE_ARGS, output: OutputFile = None
) -> None:
    """Turn page records (the JSON Lines of 'parse') into a table: CSV, TSV, JSON or
    JSON Lines of pages, briefs or ticker items.

    Example: anp-extract parse *.txt | anp-extract export --to csv > pages.csv
    """
    check_output_name(output)
    shape = tables.options(to=None if tables.to else format_named(output, "export"))
    failed = False
    with output_file(output, paths) as out:
        writer = shape.writer(out)
        for source in sources(paths):
            try:
                failed |= not _export_one(source, writer, shape.table)
            except AnpExtractError as exc:
                fail(exc)
                failed = True
        writer.end()
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


# Bad lines named per input before the rest are only counted: a text page given to
# export by mistake should not bury the terminal.
MAX_NAMED = 10


def _export_one(source: str, writer: Format, table: Table) -> bool:
    """Write the rows of every record in *source*; False if some line was not one."""
    bad = 0
    for number, line in _numbered_lines(source):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if not line.strip():
            continue
        try:
            rows = _rows(_page_record(line, source, number), table, source, number)
        except RecordError as exc:
            bad += 1
            if bad <= MAX_NAMED:
                fail(exc)
            continue
        for row in rows:
            writer.row(row)
    if bad > MAX_NAMED:
        fail(f"{source}: {bad - MAX_NAMED} more lines were not page records")
    return bad == 0


def _numbered_lines(source: str) -> Iterator[tuple[int, bytes]]:
    """The lines of *source* as they come (a pipe is read while it is written)."""
    handle: IO[bytes]
    if source == STDIN:
        if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
            raise InputError("standard input is closed", source=source)
        handle = sys.stdin.buffer
    else:
        try:
            handle = open(source, "rb")  # noqa: SIM115 (closed below; stdin must stay open)
        except OSError:
            read_bytes(source)  # raises the InputError that names the problem
            raise
    with contextlib.nullcontext() if source == STDIN else handle:
        peek = getattr(handle, "peek", None)  # what is buffered, without consuming it
        if peek is not None:
            _refuse_binary(peek(1)[:8192], source)
        try:
            for number, line in enumerate(handle, start=1):
                _refuse_binary(line, source, number)
                yield number, line
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=source) from None


def _refuse_binary(data: bytes, source: str, line: int | None = None) -> None:
    """No JSON text holds a NUL byte: binary input is refused whole, in one message."""
    nul = data.find(b"\x00")
    if nul >= 0:
        if line is None:  # *data* is the start of the input: its line is counted here
            line = data.count(b"\n", 0, nul) + 1
        raise InputError("binary data (a NUL byte), not JSON Lines", source=source, line=line)


_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean",
               type(None): "null"}


def _page_record(line: bytes, source: str, number: int) -> dict[str, Any]:
    """One line as a page record of the version this program reads; RecordError if not."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise RecordError(
                f"not UTF-8 (byte {bad.start + 1} of the line); JSON Lines are UTF-8",
                source=source, line=number,
            ) from None
        raise RecordError(
            f"not JSON ({exc.msg}, column {exc.colno}); export reads what 'parse' writes",
            source=source, line=number,
        ) from None
    if not isinstance(record, dict):
        raise RecordError(
            f"a JSON {_JSON_TYPES.get(type(record), 'value')}, not a page record (an object)",
            source=source, line=number,
        )
    version = record.get("schema")
    if version not in SCHEMAS:
        problem = "no \"schema\" field" if version is None else f"schema {version!r}"
        raise RecordError(
            f"{problem}: not a page record this version reads ({', '.join(SCHEMAS)})",
            source=source, line=number,
        )
    broken = contract.problem(record)
    if broken is not None:
        raise RecordError(f"not a valid {version} record: {broken}", source=source,
                          line=number)
    return record


def _rows(record: dict[str, Any], table: Table, source: str, number: int) -> list[dict[str, Any]]:
    """The rows of *table* in a record, checked whole before any is written."""
    try:
        rows = list(items(record, table))
        for row in rows:
            flatten(row, table)
    except (TypeError, KeyError, AttributeError) as exc:
        raise RecordError(
            f"malformed page record ({type(exc).__name__}: {exc})", source=source, line=number
        ) from None
    return rows
