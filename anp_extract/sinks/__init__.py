"""Every output format, in one registry: the CLI's choices, the extension table and the
help are read from it.  A new format is one class (see ``base.Format``) and one line
in ``FORMATS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from ..core.record import Page
from ..core.tables import Table
from .base import Format
from .files import NEW_FILE_MODE, atomic_output, write_atomically
from .text import Csv, JsonArray, JsonLines, Tsv, tsv_value

FORMATS: dict[str, type[Format]] = {
    cls.name: cls for cls in (JsonLines, JsonArray, Csv, Tsv)
}


def names() -> tuple[str, ...]:
    return tuple(FORMATS)


def choices_help() -> str:
    """The formats for --to's help: 'jsonl (one object per line), json (…), …'."""
    return ", ".join(cls.help for cls in FORMATS.values())


def extensions_help() -> str:
    """The file name endings that name a format: '.jsonl, .ndjson, .json, …'."""
    return ", ".join(ext for cls in FORMATS.values() for ext in cls.extensions if ext)


def format_for(path: str) -> str | None:
    """The output format a file name's extension names (JSON Lines without one); None
    for any other extension."""
    suffix = Path(path).suffix.lower()
    for cls in FORMATS.values():
        if suffix in cls.extensions:
            return cls.name
    return None


def open_writer(
    stream: IO[bytes], to: str = "jsonl", table: Table = "pages",
    fields: Sequence[str] | None = None, header: bool = True, bom: bool = False,
) -> Format:
    """A writer of *to* on *stream* (its lead written already)."""
    try:
        cls = FORMATS[to]
    except KeyError:
        raise ValueError(f"unknown format {to!r}") from None
    return cls(stream, table, fields, header, bom)


def record_line(page: Page) -> bytes:
    """One JSON Lines line for a page: the contract's bytes, the same in every command."""
    return orjson.dumps(page.to_dict(), option=orjson.OPT_APPEND_NEWLINE)


def dumps(record: dict[str, Any]) -> bytes:
    """A record dict as one JSON Lines line (compact, UTF-8, newline-terminated)."""
    return orjson.dumps(record) + b"\n"


__all__ = [
    "FORMATS",
    "NEW_FILE_MODE",
    "Csv",
    "Format",
    "JsonArray",
    "JsonLines",
    "Tsv",
    "atomic_output",
    "dumps",
    "format_for",
    "names",
    "open_writer",
    "record_line",
    "tsv_value",
    "write_atomically",
]
