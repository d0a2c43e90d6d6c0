"""Batch conversion: the unit of work.

:func:`convert_one` turns one input file into the bytes of its output rows.  It is a
pure function of its picklable arguments that never raises for bad input (a file that
cannot be read or parsed gives a :class:`Failed`), so the same unit of work can be
handed to worker processes here, or to a distributed engine (Dask, Spark) later.

``run`` maps it over many files in worker processes (``pool``), in input order.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import orjson

from .. import sinks, sources
from ..core import timeline
from ..core.page import ParseOptions, parse_bytes
from ..core.tables import COLUMNS, Table
from ..errors import AnpExtractError
from . import remote

# The extra field each kept brief carries with --dedupe: how often the run met it.
SEEN = "seen"


def dedupe_columns(table: Table, dedupe: bool) -> tuple[str, ...]:
    """The columns --dedupe adds to a table: on briefs, ``seen`` and the timeline's."""
    return (SEEN, *timeline.COLUMNS) if dedupe and table == "briefs" else ()


@dataclass(frozen=True, slots=True)
class Output:
    """What one file becomes: rows of a table, in a format, with some columns."""

    to: str = "jsonl"  # a name in sinks.FORMATS
    table: Table = "pages"
    fields: tuple[str, ...] | None = None
    dedupe: bool = False

    @property
    def stored(self) -> str:
        """The format of one file's rows as workers write them.

        The final format, except where the parent still has work on the rows: a format
        that is not ``concatenable`` (a JSON array's commas depend on the rows before),
        and dedupe, which depends on the whole run.  Those get JSON Lines, which the
        parent can cut at newlines.
        """
        return "jsonl" if self.dedupe else sinks.FORMATS[self.to].stored()

    @property
    def columns(self) -> tuple[str, ...]:
        """The flat columns of the final output (csv and tsv)."""
        if self.fields:
            return self.fields
        return COLUMNS[self.table] + dedupe_columns(self.table, self.dedupe)

    def rows(self, record: dict[str, Any]) -> tuple[bytes, int]:
        """The rows of one page record in the stored format, and how many there are."""
        fields = None if self.dedupe else self.fields  # dedupe applies them at the end
        if self.stored == "jsonl" and self.table == "pages" and fields is None:
            # The common case, as `parse` writes it (the newline added without a copy).
            return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE), 1
        buffer = io.BytesIO()
        writer = sinks.open_writer(buffer, self.stored, self.table, fields, header=False)
        writer.write_record(record)
        writer.end()
        return buffer.getvalue(), writer.count


class Converted(NamedTuple):
    """One file done: its output rows and what the summary and the manifest need.

    A named tuple, not a dataclass: workers send thousands of these a second, and a
    tuple pickles and unpickles several times faster.
    """

    path: str
    data: bytes  # rows in Output.stored format; empty when reused from a manifest
    rows: int
    briefs: int
    unparsed: int
    ids: tuple[str, ...]  # brief ids, in order (only with dedupe)
    size: int
    mtime_ns: int
    digest: str  # blake2b of the file's bytes


class Failed(NamedTuple):
    """One file that could not be converted, and why (one line, no traceback)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


Result = Converted | Failed


def digest(data: bytes) -> str:
    """The content hash the manifest keeps for each file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe)"
    return "not a regular file"


def convert_one(
    path: str,
    options: ParseOptions,
    output: Output = Output(),
    *,
    now_from_mtime: bool = False,
) -> Result:
    """Read, decode and parse one file; its output rows, or why it failed.

    Never raises for bad input.  Only regular files are read: a named pipe would
    block the run forever.  An fsspec URL is read through its file system.
    """
    if remote.is_url(path):
        return remote.convert_url(path, options, output, now_from_mtime)  # type: ignore[no-any-return]
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Failed(path, _not_a_file(info.st_mode))
        document = next(sources.read(path, with_mtime=now_from_mtime))
        data = document.data
        if now_from_mtime:  # the same scrape time `parse --now mtime` takes
            options = replace(options, now=document.mtime)
        record = parse_bytes(data, path, options).to_dict()
    except (AnpExtractError, OSError) as exc:
        return failed_read(path, exc)
    return converted(path, record, data, output, info.st_size, info.st_mtime_ns)


def failed_read(path: str, exc: AnpExtractError | OSError) -> Failed:
    """Why *path* could not be read or parsed, in one line (the same for every reader)."""
    if isinstance(exc, AnpExtractError):
        return Failed(path, exc.message)
    if isinstance(exc, FileNotFoundError):
        return Failed(path, "broken symbolic link" if os.path.islink(path) else "no such file")
    if isinstance(exc, PermissionError):
        return Failed(path, "permission denied")
    return Failed(path, f"cannot read: {exc.strerror or exc}")


def converted(
    path: str, record: dict[str, Any], data: bytes, output: Output, size: int, mtime_ns: int
) -> Converted:
    """One file's result from its page record and bytes."""
    body, rows = output.rows(record)
    briefs = record["briefs"]
    ids = tuple(brief["id"] for brief in briefs) if output.dedupe else ()
    return Converted(path, body, rows, len(briefs), len(record["unparsed"]), ids, size,
                     mtime_ns, digest(data))


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the paths: sent once, not with every chunk."""

    options: ParseOptions
    output: Output
    now_from_mtime: bool = False

    def __call__(self, path: str) -> Result:
        return convert_one(path, self.options, self.output, now_from_mtime=self.now_from_mtime)
