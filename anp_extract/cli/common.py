"""What every command shares: options defined once, input loops, errors, consoles.

No command parses by itself: each reads its inputs here, calls the core, writes.
"""

from __future__ import annotations

import enum
import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from .. import sinks
from ..core.ages import usable_now
from ..core.boilerplate import DEFAULT_RULES, Rules, load_rules
from ..core.page import ParseOptions
from ..core.tables import COLUMNS, Table, check_fields
from ..errors import AnpExtractError
from ..sinks import Format, open_writer
from ..sources import AMSTERDAM, STDIN, mtime, read_bytes

# What every command does with inputs, outputs and messages: typer-free, re-exported.
from ..streams import (
    EXIT_FAILED as EXIT_FAILED,
)
from ..streams import (
    EXIT_INTERRUPTED as EXIT_INTERRUPTED,
)
from ..streams import (
    EXIT_OK as EXIT_OK,
)
from ..streams import (
    EXIT_PIPE as EXIT_PIPE,
)
from ..streams import (
    EXIT_USAGE as EXIT_USAGE,
)
from ..streams import (
    PROG as PROG,
)
from ..streams import (
    each_input as each_input,
)
from ..streams import (
    fail as fail,
)
from ..streams import (
    run_each as run_each,
)
from ..streams import (
    sources as sources,
)
from ..streams import (
    stdout as stdout,
)

if TYPE_CHECKING:
    from rich.console import Console

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
        help="Scrape time, to turn ages into published_at: ISO 8601 (Europe/Amsterdam "
        "when it has no offset), or 'mtime' for each file's modification time.",
        show_default=False,
    ),
]
NoColor = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR works too).")
]


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``: the one spelling of a count in messages and views."""
    return f"{count} {word if count == 1 else word + 's'}"


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
    when = when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)
    if not usable_now(when):
        raise usage_error(
            f"--now: {value!r} is out of range: in UTC it falls before the year 1 or after 9999"
        )
    return when


@dataclass(frozen=True)
class OptionsFactory:
    """Builds the ParseOptions for each input (``--now mtime`` differs per file)."""

    base: ParseOptions
    now_from_mtime: bool = False

    def __call__(self, source: str) -> ParseOptions:
        if self.now_from_mtime:
            if source == STDIN:  # said, not silently left null
                fail(f"{STDIN}: warning: --now mtime: standard input has no modification "
                     "time; published_at stays null (give --now ISO-8601)")
            return replace(self.base, now=mtime(source))
        return self.base


def parse_options(boilerplate: Path | None = None, now: str | None = None) -> OptionsFactory:
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
        return OptionsFactory(ParseOptions(rules=rules), now_from_mtime=True)
    assert not isinstance(when, str)
    return OptionsFactory(ParseOptions(rules=rules, now=when))


# -- inputs and outputs -------------------------------------------------------------------


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
        kind = sinks.FORMATS[self.to]
        if kind.binary:  # Parquet, SQLite: a file, which convert -o writes
            raise usage_error(f"--to {self.to}: writes a file, not a stream: use "
                              f"'anp-extract convert PATH… -o NAME{kind.extensions[0]}'")
        return open_writer(stream, self.to, self.table, self.fields, self.header, self.bom)


@dataclass(frozen=True, slots=True)
class TableArgs:
    """The five table options as typed, before they are checked."""

    to: FormatName | str | None
    table: Table
    fields: str | None
    no_header: bool
    bom: bool

    def options(self, *, to: str | None = None, extra: tuple[str, ...] = ()) -> TableOptions:
        """Checked: unknown or repeated --fields are a usage error (exit 2).  *to* is the
        format when --to is not given; *extra* names columns a command adds to the table
        (``seen`` with --dedupe)."""
        name = str(getattr(self.to, "value", self.to or to or "jsonl"))
        return TableOptions(name, self.table, field_list(self.fields, self.table, extra),
                            not self.no_header, self.bom)


TABLES = TableArgs(None, "pages", None, False, False)  # a default: the decorator sets it


def with_table_options(
    to_option: Any = None, to_default: str | None = "jsonl"
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the table options, defined here once: typer sees --to, --table,
    --fields, --no-header and --bom; the command gets them as one ``tables: TableArgs``.
    """
    added = [
        ("to", to_option or To, to_default), ("table", TableName, "pages"),
        ("fields", Fields, None), ("no_header", NoHeader, False), ("bom", Bom, False),
    ]

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        params: list[inspect.Parameter] = []
        for param in signature.parameters.values():
            if param.name == "tables":
                params += [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                             default=default, annotation=annotation)
                           for name, annotation, default in added]
            else:
                params.append(param)

        @functools.wraps(command)
        def wrapper(**given: Any) -> None:
            tables = TableArgs(*(given.pop(name) for name, _, _ in added))
            command(tables=tables, **given)

        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {param.name: param.annotation for param in params}
        return wrapper

    return decorate


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
    str,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help="In folders, read the files whose names match this pattern. Files named "
        "directly are always read. Hidden files and folders are skipped.",
    ),
]
FollowLinks = Annotated[
    bool,
    typer.Option("--follow-links", help="Follow symbolic links in folders (skipped by default)."),
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar on stderr.")
]
