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
from dataclasses import dataclass
from typing import NamedTuple

from .. import sinks, sources
from ..core import timeline
from ..core.page import ParseOptions, parse_bytes
from ..core.record import Page
from ..core.shapes import NOT_A_PAGE
from ..core.tables import COLUMNS, Table
from ..errors import AnpExtractError, InputError
from ..sources import Document, ReadOptions, page_options, urls
from ..sources.files import read_problem

# The extra field each kept brief carries with --dedupe: how often the run met it.
SEEN = "seen"


def dedupe_columns(table: Table, dedupe: bool) -> tuple[str, ...]:
    """The columns --dedupe adds to a table: on briefs, ``seen`` and the timeline's."""
    return (SEEN, *timeline.COLUMNS) if dedupe and table == "briefs" else ()


@dataclass(frozen=True, slots=True)
class Output:
    """What one file becomes: rows of a table, in a format, with some columns."""

    to: str = sinks.DEFAULT  # a name in sinks.FORMATS
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

    def rows(self, page: Page) -> tuple[bytes, int]:
        """The rows of one page's record in the stored format, and how many there are."""
        fields = None if self.dedupe else self.fields  # dedupe applies them at the end
        if self.stored == "jsonl" and self.table == "pages" and fields is None:
            # The common case, as `parse` writes it: a long body without a dict a block.
            return sinks.record_line(page), 1
        buffer = io.BytesIO()
        writer = sinks.open_writer(buffer, self.stored, self.table, fields, header=False)
        writer.write_record(page.to_dict())
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
    mtime_ns: int  # 0 for a page in a container
    digest: str  # blake2b of the file's bytes
    not_pages: int = 0  # 1 when the page looks like no page at all (HTML, JSON, ...)
    # blake2b of ``data``, for the manifest (what --resume checks the kept rows against):
    # hashed in the worker, where the rows were just made, not in the parent of -j2,
    # whose core the workers need.  Empty when not known (the manifest hashes the data).
    rows_digest: str = ""
    # With -j N into a file, the rows' length when the worker left them in its spool
    # file (``batch.spool``) and ``data`` is empty; -1 when the rows are in ``data``.
    spooled: int = -1

    @property
    def length(self) -> int:
        """The length of the rows, wherever they are."""
        return len(self.data) if self.spooled < 0 else self.spooled


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


def convert_one(
    path: str,
    options: ParseOptions,
    output: Output = Output(),
    *,
    now_from_mtime: bool = False,
    read: ReadOptions = ReadOptions(),
) -> Result:
    """Read, decode and parse one file (a page, compressed or not); its output rows, or
    why it failed.

    Never raises for bad input.  Only regular files are read: a named pipe would
    block the run forever.  Containers (archives, WARC, JSON Lines) are read by the
    parent, which sends their pages as documents (:func:`convert_document`).  An fsspec
    URL is read through its file system, as ``sources`` reads it.
    """
    name = sources.display(path)
    try:
        if urls.is_url(path):
            size, mtime_ns = urls.stat(path)
        else:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(sources.not_a_file(info.st_mode), source=name)
            size, mtime_ns = info.st_size, info.st_mtime_ns
            # Most files are one plain page of a few kB: read at once, told by its bytes.
            page = sources.read_plain(path, name, info, read, with_mtime=now_from_mtime)
            if page is not None:
                return converted(page, page_options(options, page, now_from_mtime), output,
                                 size, mtime_ns)
        items = sources.read(path, read, with_mtime=now_from_mtime)
        first = next(items, None)
        if next(items, None) is not None:
            return Failed(name, "holds several pages (an archive, WARC or JSON Lines file?): "
                          "give it the extension of what it is, so it is read as one")
        if first is None:
            return Failed(name, "no page in it")
        if isinstance(first, AnpExtractError):
            return Failed(name, first.message)
        if isinstance(first, sources.Skipped):
            return Failed(name, str(first))
        return converted(first, page_options(options, first, now_from_mtime), output,
                         size, mtime_ns)
    except (AnpExtractError, OSError) as exc:
        return failed_read(path, exc)


def failed_read(path: str, exc: AnpExtractError | OSError) -> Failed:
    """Why *path* could not be read or parsed, in one line (the same for every reader)."""
    name = sources.display(path)
    if isinstance(exc, AnpExtractError):
        return Failed(name, exc.message)
    return Failed(name, read_problem(exc, path))


def convert_document(
    document: Document, options: ParseOptions, output: Output = Output(), *,
    now_from_mtime: bool = False,
) -> Result:
    """A page the parent read out of a container: its output rows, or why it failed."""
    try:
        return converted(document, page_options(options, document, now_from_mtime), output,
                         len(document.data), 0)
    except AnpExtractError as exc:
        return Failed(document.source, exc.message)


def converted(
    document: Document, options: ParseOptions, output: Output, size: int, mtime_ns: int
) -> Converted:
    """One page's result: its record parsed from its bytes, in rows (raises InputError
    for bytes that are no text)."""
    data = document.data
    page = parse_bytes(data, document.source, options)
    body, rows = output.rows(page)
    briefs = page.briefs
    ids = tuple(brief.id for brief in briefs) if output.dedupe else ()
    odd = any(warning.startswith(NOT_A_PAGE) for warning in page.warnings)
    return Converted(
        document.source, body, rows, len(briefs), len(page.unparsed), ids,
        size, mtime_ns, digest(data), int(odd), digest(body),
    )


# What a worker is given: a file to read, a page the parent read from a container, or a
# failure the parent met reading one (passed through, to keep the order).
Task = str | Document | Failed


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the paths: sent once, not with every chunk."""

    options: ParseOptions
    output: Output
    now_from_mtime: bool = False
    read: ReadOptions = ReadOptions()  # noqa: RUF009 (frozen)

    def __call__(self, task: Task) -> Result:
        if isinstance(task, str):
            return convert_one(task, self.options, self.output,
                               now_from_mtime=self.now_from_mtime, read=self.read)
        if isinstance(task, Failed):
            return task
        return convert_document(task, self.options, self.output,
                                now_from_mtime=self.now_from_mtime)
