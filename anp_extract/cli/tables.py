"""Table output, defined once for ``export``, ``parse --to`` and ``convert``: the --to,
--table, --fields, --no-header and --bom options, bundled as one ``TableArgs``, and the
checks that turn them into ``TableOptions``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, BinaryIO, cast

import typer

from .. import sinks
from ..core.tables import COLUMNS, TABLES, Table, check_fields
from ..sinks import Format, open_writer
from ..sources import STDIN
from .common import bundled
from .terminal import choice, metavar, usage_error

# The --to choices, read from the registry of output formats (checked in table_options,
# in any case: a plain str here, so the error is ours, in one line).
To = Annotated[
    str,
    typer.Option(
        "--to", "--format",
        metavar=metavar(sinks.names()),
        help=f"Output format: {sinks.choices_help()}. Flat formats join list fields with "
        "'/', texts with line breaks.",
    ),
]
# --to without a default: the extension of -o FILE decides when it is not given.
ToOrExtension = Annotated[str | None, To.__metadata__[0]]


def format_named(output: str | None, command: str) -> str:
    """The format -o FILE's extension names (JSON Lines for standard output or no
    extension); another extension is a usage error, not a guess."""
    named = sinks.DEFAULT if output in (None, STDIN) else sinks.format_for(str(output))
    if named is None:
        raise usage_error(f"{command}: -o {output}: the extension names no format this "
                          f"writes ({sinks.extensions_help()}); give --to")
    return named


TableName = Annotated[
    str,
    typer.Option(
        "--table",
        metavar=metavar(TABLES),
        help="Rows of the output: pages (one per page; in csv/tsv its briefs and ticker "
        "columns are counts), briefs or ticker (one per item; each row carries its page's "
        "source, section and kind).",
    ),
]
Fields = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,C",
        help="Columns to write, in this order (comma-separated); default: all of the table.",
        show_default=False,
    ),
]
NoHeader = Annotated[
    bool, typer.Option("--no-header", help="csv/tsv: leave out the header row.")
]
Bom = Annotated[
    bool, typer.Option("--bom", help="Start the output with a UTF-8 byte order mark (Excel).")
]


@dataclass(frozen=True, slots=True)
class TableOptions:
    """--to, --table, --fields, --no-header and --bom, checked once for every command."""

    to: str = sinks.DEFAULT
    table: Table = "pages"
    fields: tuple[str, ...] | None = None
    header: bool = True
    bom: bool = False

    @property
    def plain(self) -> bool:
        """The page records as ``parse`` writes them: nothing to reshape."""
        return (self.to, self.table, self.fields, self.bom) == (sinks.DEFAULT, "pages", None, False)

    def writer(self, stream: BinaryIO) -> Format:
        kind = sinks.FORMATS[self.to]
        if kind.binary:  # Parquet, SQLite: a file, which convert -o writes
            raise usage_error(f"--to {self.to}: writes a file, not a stream: use "
                              f"'anp-extract convert PATH… -o NAME{kind.extensions[0]}'")
        return open_writer(stream, self.to, self.table, self.fields, self.header, self.bom)


def table_options(
    to: str | None, table: str, fields: str | None, no_header: bool, bom: bool,
    extra: tuple[str, ...] = (),
) -> TableOptions:
    """The table options as given; unknown or repeated --fields are a usage error (exit 2).
    *extra* names columns a command adds to the table (``seen`` with --dedupe)."""
    name = choice(to or sinks.DEFAULT, "--to", sinks.names())
    rows = cast(Table, choice(table, "--table", TABLES))
    return TableOptions(name, rows, field_list(fields, rows, extra), not no_header, bom)


@dataclass(frozen=True, slots=True)
class TableArgs:
    """The five table options as typed, before they are checked."""

    to: str | None
    table: str
    fields: str | None
    no_header: bool
    bom: bool

    def options(self, *, to: str | None = None, extra: tuple[str, ...] = ()) -> TableOptions:
        """Checked: unknown or repeated --fields are a usage error (exit 2).  *to* is the
        format when --to is not given; *extra* names columns a command adds to the table
        (``seen`` with --dedupe)."""
        return table_options(self.to or to, self.table, self.fields, self.no_header, self.bom,
                             extra)


TABLE_ARGS = TableArgs(None, "pages", None, False, False)  # a default: the decorator sets it


def with_table_options(
    to_option: Any = None, to_default: str | None = sinks.DEFAULT
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the table options, defined here once: typer sees --to, --table,
    --fields, --no-header and --bom; the command gets them as one ``tables: TableArgs``.
    """
    return bundled("tables", TableArgs, [
        ("to", to_option or To, to_default), ("table", TableName, "pages"),
        ("fields", Fields, None), ("no_header", NoHeader, False), ("bom", Bom, False),
    ])


def field_list(
    fields: str | None, table: Table, extra: tuple[str, ...] = ()
) -> tuple[str, ...] | None:
    """``--fields`` as column names; unknown names are a usage error (exit 2)."""
    if fields is None:
        return None
    names = [name.strip() for name in fields.split(",") if name.strip()]
    unknown = check_fields([name for name in names if name not in extra], table)
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice and not unknown:  # a CSV would get two columns, a JSON object one key
        raise usage_error(f"--fields: {', '.join(twice)} named more than once")
    if names and not unknown:
        return tuple(names)
    what = f"{', '.join(unknown)}: not a column of" if unknown else "no column named for"
    valid = ",".join([*COLUMNS[table], *extra])
    raise usage_error(f"--fields: {what} the {table} table; valid: {valid}")
