"""Every output format, in one registry: the CLI's choices, the extension table and the
help are read from it.  A new format is one class (see ``base.Format``) and one line
in ``FORMATS``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import orjson

from ..core.record import Page
from ..core.tables import Table
from ..errors import MissingExtra
from .base import Format
from .compress import check as check_compression
from .compress import compressed, compression_for, uncompressed_name
from .files import NEW_FILE_MODE, atomic_output
from .parquet import Parquet
from .sqlite import Sqlite
from .text import Csv, JsonArray, JsonLines, Tsv, tsv_value

FORMATS: dict[str, type[Format]] = {
    cls.name: cls for cls in (JsonLines, JsonArray, Csv, Tsv, Parquet, Sqlite)
}
# The format written when none is named (no --to, standard output, -o FILE without an
# extension): the one name every command and the engine default to.
DEFAULT = JsonLines.name


def names() -> tuple[str, ...]:
    return tuple(FORMATS)


def choices_help() -> str:
    """The formats for --to's help: 'jsonl (one object per line), json (…), …'."""
    return ", ".join(cls.help for cls in FORMATS.values())


def extensions_help() -> str:
    """The file name endings that name a format: '.jsonl, .ndjson, .json, …', and
    the compressions."""
    names = [ext for cls in FORMATS.values() for ext in cls.extensions if ext]
    return ", ".join(names) + "; text formats compressed with .gz or .zst after theirs"


def format_for(path: str) -> str | None:
    """The output format a file name's extension names (JSON Lines without one), before
    a compression's (``pages.csv.gz``: csv); None for any other extension."""
    suffix = Path(uncompressed_name(path)).suffix.lower()
    for cls in FORMATS.values():
        if suffix in cls.extensions:
            return cls.name
    return None


def open_writer(
    stream: IO[bytes], to: str = DEFAULT, table: Table = "pages",
    fields: Sequence[str] | None = None, header: bool = True, bom: bool = False, *,
    dedupe: bool = False, scratch: str | None = None,
) -> Format:
    """A writer of *to* on *stream* (its lead written already).  *dedupe*: briefs
    carry ``seen``; *scratch*: where a file format may keep working files."""
    try:
        cls = FORMATS[to]
    except KeyError:
        raise ValueError(f"unknown format {to!r}") from None
    return cls(stream, table, fields, header, bom, dedupe=dedupe, scratch=scratch)


def refusal(
    to: str, table: Table, fields: Sequence[str] | None, bom: bool, output: str | None,
) -> str | None:
    """Why *to* cannot be written with these options to *output* (a file name, "-" for
    standard output); None when it can.  :class:`MissingExtra` for a missing extra."""
    cls = FORMATS[to]
    compression = compression_for(output) if output not in (None, "-") else None
    if cls.binary and output in (None, "-"):
        return f"--to {to}: writes a file, not a stream: give -o NAME{cls.extensions[0]}"
    if cls.binary and compression:
        return f"-o {output}: {to} is compressed inside; leave out the {compression} extension"
    check_compression(compression)
    return cls.refusal(table, fields, bom)


# A body of more blocks than this is written a piece at a time: orjson's buffer for one
# record grows to several times the record (15 MiB for 3 MB of blocks), and the dicts of
# ``to_dict`` cost about 200 bytes a block, so a page of a million short lines would hold
# gigabytes at once.  Pieces give the same bytes.
MANY_BLOCKS = 4096

_BODY = b'"body":['  # the first, unescaped, is the key: strings before it escape quotes


def record_line(page: Page) -> bytes:
    """One JSON Lines line for a page: the contract's bytes, the same in every command."""
    if len(page.body) <= MANY_BLOCKS:
        return orjson.dumps(page.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
    return b"".join(record_pieces(page))


def record_pieces(page: Page) -> Iterator[bytes]:
    """``record_line(page)`` in pieces whose bytes joined are the line: one piece for the
    usual page, a piece a ``MANY_BLOCKS`` blocks for a long body, so that a writer never
    holds the whole line of a page of a million short lines (15 times its input)."""
    if len(page.body) <= MANY_BLOCKS:
        yield orjson.dumps(page.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
        return
    line = orjson.dumps(replace(page, body=()).to_dict(), option=orjson.OPT_APPEND_NEWLINE)
    at = line.index(_BODY) + len(_BODY)
    yield line[:at]
    body = page.body
    for start in range(0, len(body), MANY_BLOCKS):
        if start:
            yield b","
        yield orjson.dumps([
            {"kind": block.kind, "text": block.text}
            for block in body[start : start + MANY_BLOCKS]
        ])[1:-1]
    yield line[at:]  # the rest of the record, "]," on


def dumps(record: dict[str, Any]) -> bytes:
    """A record dict as one JSON Lines line (compact, UTF-8, newline-terminated)."""
    return orjson.dumps(record) + b"\n"


__all__ = [
    "DEFAULT",
    "FORMATS",
    "NEW_FILE_MODE",
    "Csv",
    "Format",
    "JsonArray",
    "JsonLines",
    "MissingExtra",
    "Parquet",
    "Sqlite",
    "Tsv",
    "atomic_output",
    "compressed",
    "compression_for",
    "dumps",
    "format_for",
    "names",
    "open_writer",
    "record_line",
    "record_pieces",
    "refusal",
    "tsv_value",
]
