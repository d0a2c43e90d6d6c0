"""What every command shares: options defined once, input loops, errors, consoles.

No command parses by itself: each reads its inputs here, calls the core, writes.
"""

from __future__ import annotations

import enum
import errno
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from .. import sinks
from ..batch.job import page_options
from ..core.boilerplate import DEFAULT_RULES, Rules, load_rules
from ..core.page import ParseOptions
from ..core.tables import COLUMNS, Table, check_fields
from ..errors import AnpExtractError
from ..sinks import Format, open_writer
from ..sources import (
    AMSTERDAM,
    STDIN,
    Document,
    ReadOptions,
    Skipped,
    documents,
    read_bytes,
)

if TYPE_CHECKING:
    from rich.console import Console

PROG = "anp-extract"

# Exit statuses, documented in --help.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141

EXIT_CODES_HELP = (
    "Exit status: 0 all inputs read; 1 some input failed (each named on stderr) or the "
    "output could not be written; "
    "2 usage error; 130 interrupted; 141 the reader closed the pipe."
)


@dataclass
class Settings:
    """Global switches from the top-level callback."""

    color: bool = True


SETTINGS = Settings()


# -- shared options, defined once ---------------------------------------------------------

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files to read; '-' or none reads standard input.", show_default=False,
                   metavar="PATH"),
]
BoilerplateFile = Annotated[
    Path | None,
    typer.Option(
        "--boilerplate",
        metavar="FILE",
        help="Extra boilerplate rules: one literal line, or 're:' + a regular expression "
        "matching the whole line, per line; '#' starts a comment.",
        show_default=False,
    ),
]
Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="ISO|mtime",
        help="Scrape time (scraped_at), to turn ages into published_at: ISO 8601 "
        "(Europe/Amsterdam when it has no offset), or 'mtime' for each file's (or archive "
        "member's) modification time. Without it, the time the source carries (WARC-Date, "
        "the JSON Lines time key); --now wins over it.",
        show_default=False,
    ),
]
MaxPageSize = Annotated[
    str,
    typer.Option(
        "--max-page-size", metavar="SIZE",
        help="Largest page read (bytes, or with K, M, G: 512K, 64M); a larger input or "
        "member fails alone, unread past the limit.",
    ),
]
JsonlText = Annotated[
    str | None,
    typer.Option("--jsonl-text", metavar="KEY", show_default=False,
                 help="JSON Lines documents: the key of the page's text (default: the first "
                 "of text, content, body present)."),
]
JsonlUrl = Annotated[
    str, typer.Option("--jsonl-url", metavar="KEY", help="JSON Lines documents: the URL's key.")
]
JsonlTime = Annotated[
    str | None,
    typer.Option("--jsonl-time", metavar="KEY", show_default=False,
                 help="JSON Lines documents: the key of the scrape time, ISO 8601 (default: "
                 "scraped_at when present)."),
]
FilesFrom = Annotated[
    str | None,
    typer.Option("--files-from", metavar="FILE", show_default=False,
                 help="Also read the inputs named in FILE, one per line ('-': standard "
                 "input); for more names than a command line holds."),
]
Null = Annotated[
    bool,
    typer.Option("--null", "-0", help="--files-from names end with a NUL byte, not a line "
                 "end (find -print0)."),
]
NoColor = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR works too).")
]


def fail(message: str | AnpExtractError) -> None:
    """One line on stderr, prefixed with the program name; never markup, never a traceback."""
    sys.stderr.write(f"{PROG}: {message}\n")
    sys.stderr.flush()


def usage_error(message: str) -> typer.Exit:
    """Print a usage problem and give the Exit to raise (status 2)."""
    fail(message)
    return typer.Exit(EXIT_USAGE)


def parse_now(value: str | None) -> datetime | str | None:
    """``--now``: an aware datetime, the string 'mtime', or None."""
    if value is None or value == "mtime":
        return value
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise usage_error(
            f"--now: {value!r} is neither ISO 8601 (2025-11-04T14:30) nor 'mtime'"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)


@dataclass(frozen=True)
class OptionsFactory:
    """Builds the ParseOptions for each page: its URL, and its scrape time.

    Which scrape time wins: ``--now ISO`` (the user said so), else ``--now mtime`` (the
    file's or member's time), else the time the source carries (WARC-Date, the JSON
    Lines time key), else none.
    """

    base: ParseOptions
    now_from_mtime: bool = False
    read: ReadOptions = ReadOptions()  # noqa: RUF009 (frozen)

    def __call__(self, document: Document) -> ParseOptions:
        if self.now_from_mtime and document.source == STDIN:  # said, not silently null
            fail(f"{STDIN}: warning: --now mtime: standard input has no modification "
                 "time; published_at stays null (give --now ISO-8601)")
        return page_options(self.base, document, self.now_from_mtime)


def page_size(value: str) -> int:
    """``--max-page-size``: bytes, or a number with K, M or G (powers of 1024)."""
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.strip().isdigit() or int(digits) < 1:
        raise usage_error(f"--max-page-size: {value!r} is not a size (65536, 512K, 64M)")
    return int(digits) * scale


def read_options(max_page_size: str = "64M", jsonl_text: str | None = None,
                 jsonl_url: str = "url", jsonl_time: str | None = None) -> ReadOptions:
    """The reading options as given; a bad size is a usage error (exit 2)."""
    return ReadOptions(page_size(max_page_size), jsonl_text, jsonl_url, jsonl_time)


def input_names(paths: list[str] | None, files_from: str | None, null: bool) -> list[str]:
    """The inputs named on the command line, then those in ``--files-from``."""
    names = list(paths or [])
    if files_from is None:
        return names
    try:
        data = read_bytes(files_from, limit=1 << 34)
    except AnpExtractError as exc:
        raise usage_error(f"--files-from {exc}") from None
    names.extend(os.fsdecode(name) for name in data.split(b"\0" if null else b"\n")
                 if name and name != b"\r")
    return names


def parse_options(
    boilerplate: Path | None = None, now: str | None = None,
    read: ReadOptions = ReadOptions(),
) -> OptionsFactory:
    """The shared options turned into what the core takes; usage errors exit 2."""
    rules: Rules = DEFAULT_RULES
    if boilerplate is not None:
        try:
            text = read_bytes(str(boilerplate)).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise usage_error(f"{boilerplate}: --boilerplate file is not UTF-8") from None
        except AnpExtractError as exc:
            raise usage_error(f"--boilerplate {exc}") from None
        try:
            rules = load_rules(text, str(boilerplate))
        except AnpExtractError as exc:
            raise usage_error(str(exc)) from None
    when = parse_now(now)
    if when == "mtime":
        return OptionsFactory(ParseOptions(rules=rules), now_from_mtime=True, read=read)
    assert not isinstance(when, str)
    return OptionsFactory(ParseOptions(rules=rules, now=when), read=read)


# -- inputs and outputs -------------------------------------------------------------------


def sources(paths: list[str] | None) -> list[str]:
    """The inputs of a filter command: the paths given, or standard input."""
    return list(paths) if paths else [STDIN]


def each_input(
    paths: list[str] | None, read: ReadOptions = ReadOptions(), with_mtime: bool = False,
) -> Iterator[Document | None]:
    """Each page of the inputs (a container gives many); one that cannot be read is
    reported and gives ``None``; records a container holds that are no pages are said."""
    for item in documents(sources(paths), read, with_mtime=with_mtime):
        if isinstance(item, Skipped):
            fail(f"note: {item}")
        elif isinstance(item, AnpExtractError):
            fail(item)
            yield None
        else:
            yield item


def run_each(
    paths: list[str] | None, work: Callable[[Document], None],
    options: OptionsFactory | None = None,
) -> int:
    """Call *work* on every page; report domain errors and go on.  The exit status."""
    failed = False
    read = options.read if options is not None else ReadOptions()
    with_mtime = options is not None and options.now_from_mtime
    for document in each_input(paths, read, with_mtime):
        if document is None:
            failed = True
            continue
        try:
            work(document)
        except AnpExtractError as exc:
            fail(exc)
            failed = True
    return EXIT_FAILED if failed else EXIT_OK


def stdout() -> BinaryIO:
    """Standard output as bytes, looked up at call time so tests can swap it."""
    if sys.stdout is None:  # started with stdout closed (>&-): the write error cat gives
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    return sys.stdout.buffer


def stderr_console() -> Console:
    """Rich console for messages and progress: stderr, colour only where it belongs."""
    from rich.console import Console  # here: a command that draws nothing starts without rich

    return Console(stderr=True, no_color=not use_color(sys.stderr), highlight=False)


def use_color(stream: object) -> bool:
    """Colour only on a terminal, never with NO_COLOR or --no-color."""
    if not SETTINGS.color or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# -- table output (export, parse --to, convert): defined once -----------------------------

# The --to choices, read from the registry of output formats.
if TYPE_CHECKING:
    FormatName = str
else:
    FormatName = enum.Enum("FormatName", {name: name for name in sinks.names()}, type=str)

To = Annotated[
    FormatName,
    typer.Option(
        "--to",
        case_sensitive=False,
        help=f"Output format: {sinks.choices_help()}. Flat formats join list fields with "
        "'/', texts with line breaks.",
    ),
]
TableName = Annotated[
    Table,
    typer.Option(
        "--table",
        help="Rows of the output: pages (one per page), briefs or ticker (one per item; "
        "each row carries its page's source, section and kind).",
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

    to: str = "jsonl"
    table: Table = "pages"
    fields: tuple[str, ...] | None = None
    header: bool = True
    bom: bool = False

    @property
    def plain(self) -> bool:
        """The page records as ``parse`` writes them: nothing to reshape."""
        return (self.to, self.table, self.fields, self.bom) == ("jsonl", "pages", None, False)

    def writer(self, stream: BinaryIO) -> Format:
        return open_writer(stream, self.to, self.table, self.fields, self.header, self.bom)


def table_options(
    to: FormatName | str | None, table: Table, fields: str | None, no_header: bool, bom: bool,
    extra: tuple[str, ...] = (),
) -> TableOptions:
    """The table options as given; unknown or repeated --fields are a usage error (exit 2).
    *extra* names columns a command adds to the table (``seen`` with --dedupe)."""
    name = str(getattr(to, "value", to or "jsonl"))
    return TableOptions(name, table, field_list(fields, table, extra),
                        not no_header, bom)


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


# -- walking folders (convert, stats): defined once ---------------------------------------

Glob = Annotated[
    list[str] | None,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help="In folders, read the files whose names match this pattern (may be repeated; "
        "default: pages, compressed pages, archives, WARC/WET and JSON Lines files: "
        "*.txt, *.txt.gz, *.tar.gz, *.zip, *.warc.gz, *.jsonl, ...). Files named "
        "directly are always read. Hidden files and folders are skipped.",
        show_default=False,
    ),
]
FollowLinks = Annotated[
    bool,
    typer.Option("--follow-links", help="Follow symbolic links in folders (skipped by default)."),
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar on stderr.")
]
