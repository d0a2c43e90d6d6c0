"""Batch conversion: the unit of work, and the ordered parallel map that runs it.

:func:`convert_one` turns one input file into the bytes of its output rows.  It is a
pure function of its picklable arguments that never raises for bad input (a file that
cannot be read or parsed gives a :class:`Failed`), so the same unit of work can be
handed to worker processes here, or to a distributed engine (Dask, Spark) later.

:class:`Pool` runs it over many files in worker processes and gives the results back
in input order, whatever the number of workers: ``-j 8`` writes the same bytes as
``-j 1``.  What is kept across the run (totals, the ids seen for ``--dedupe``) lives in
the parent process only.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple, Protocol

import orjson

from . import io as anp_io
from .errors import AnpExtractError
from .page import ParseOptions, parse_bytes
from .tables import COLUMNS, Table
from .workers import Pool

Format = Literal["jsonl", "json", "csv", "tsv"]

# The extra field each kept brief carries with --dedupe: how often the run met it.
SEEN = "seen"


@dataclass(frozen=True, slots=True)
class Output:
    """What one file becomes: rows of a table, in a format, with some columns."""

    to: Format = "jsonl"
    table: Table = "pages"
    fields: tuple[str, ...] | None = None
    dedupe: bool = False

    @property
    def stored(self) -> Format:
        """The format of one file's rows as workers write them.

        The final format, except where the parent still has work on the rows: the
        commas of a JSON array depend on the rows before, and dedupe on the whole run.
        Those get JSON Lines, which the parent can cut at newlines.
        """
        return "jsonl" if self.to == "json" or self.dedupe else self.to

    @property
    def columns(self) -> tuple[str, ...]:
        """The flat columns of the final output (csv and tsv)."""
        if self.fields:
            return self.fields
        extra = (SEEN,) if self.dedupe and self.table == "briefs" else ()
        return COLUMNS[self.table] + extra

    def rows(self, record: dict[str, Any]) -> tuple[bytes, int]:
        """The rows of one page record in the stored format, and how many there are."""
        fields = None if self.dedupe else self.fields  # dedupe applies them at the end
        if self.stored == "jsonl" and self.table == "pages" and fields is None:
            return orjson.dumps(record) + b"\n", 1  # the common case, as `parse` writes it
        buffer = io.BytesIO()
        writer = anp_io.TableWriter(buffer, self.stored, self.table, fields, header=False)
        writer.write_record(record)
        writer.close()
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
    block the run forever.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Failed(path, _not_a_file(info.st_mode))
        data = anp_io.read_bytes(path)
        if now_from_mtime:  # the same scrape time `parse --now mtime` takes
            options = replace(options, now=anp_io.mtime(path))
        record = parse_bytes(data, path, options).to_dict()
    except AnpExtractError as exc:
        return Failed(path, exc.message)
    except FileNotFoundError:
        gone = "broken symbolic link" if os.path.islink(path) else "no such file"
        return Failed(path, gone)
    except PermissionError:
        return Failed(path, "permission denied")
    except OSError as exc:
        return Failed(path, f"cannot read: {exc.strerror or exc}")
    body, rows = output.rows(record)
    briefs = record["briefs"]
    ids = tuple(brief["id"] for brief in briefs) if output.dedupe else ()
    return Converted(
        path, body, rows, len(briefs), len(record["unparsed"]), ids,
        info.st_size, info.st_mtime_ns, digest(data),
    )


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs besides the paths: sent once, not with every chunk."""

    options: ParseOptions
    output: Output
    now_from_mtime: bool = False

    def __call__(self, path: str) -> Result:
        return convert_one(path, self.options, self.output, now_from_mtime=self.now_from_mtime)


def chunked(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunk_size(files: int, jobs: int) -> int:
    """Files per task: big enough that messages cost little next to parsing, small
    enough to keep every worker busy to the end and to flush the manifest often."""
    return max(1, min(64, files // (jobs * 8)))


def ordered_map(paths: Sequence[str], job: Job, jobs: int) -> Iterator[Result]:
    """The results of *paths* in order, converted in *jobs* processes."""
    with _workers(job, jobs, len(paths)) as pool:
        for chunk in _chunk_results(paths, job, jobs, pool):
            yield from chunk


def _workers(job: Job, jobs: int, files: int) -> contextlib.AbstractContextManager[Pool | None]:
    """A pool, or none when one process will do (one job, one file): no start-up cost."""
    if jobs <= 1 or files <= 1:
        return contextlib.nullcontext()
    return Pool(min(jobs, files), job)


def _chunk_results(
    paths: Sequence[str], job: Job, jobs: int, pool: Pool | None
) -> Iterator[list[Result]]:
    chunks = chunked(paths, chunk_size(len(paths), jobs))
    if pool is None:
        return ([job(path) for path in chunk] for chunk in chunks)
    return pool.map(chunks)


# -- what the parent keeps across the run ------------------------------------------------


class Dedupe:
    """Brief ids across the whole run: how often each was met, and which are written.

    Only the ids grow with the run (one 16-digit hex string per distinct brief).
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def count(self, ids: Iterable[str]) -> None:
        counts = self.counts
        for brief in ids:
            counts[brief] = counts.get(brief, 0) + 1

    def keep(self, brief: str) -> int:
        """``seen`` for the first row of a brief; 0 for a later one (drop it)."""
        seen = self.counts.get(brief, 1)
        if seen <= 0:
            return 0
        self.counts[brief] = -seen  # written: later copies are dropped
        return seen

    @property
    def unique(self) -> int:
        return len(self.counts)


@dataclass
class Totals:
    """The summary of a run."""

    files: int = 0
    reused: int = 0  # taken from the manifest of an interrupted run, not parsed again
    pages: int = 0
    briefs: int = 0
    unparsed: int = 0
    rows: int = 0
    failures: int = 0

    def add(self, result: Result, reused: bool = False) -> None:
        self.files += 1
        self.reused += reused
        if isinstance(result, Failed):
            self.failures += 1
            return
        self.pages += 1
        self.briefs += result.briefs
        self.unparsed += result.unparsed
        self.rows += result.rows


class Sink(Protocol):
    """Where results go (``store``): a stream, a dataset file, a folder of files."""

    def reuse(self, paths: Sequence[str]) -> Iterator[tuple[Result, bool]]:
        """Results an interrupted run left for the first of *paths* (with ``reused``)."""
        ...

    def add(self, result: Result) -> Result:
        """Keep one result; what became of it (writing its output may fail)."""
        ...

    def flush(self) -> None:
        """The end of a chunk: make what was added durable enough to resume from."""
        ...

    def finish(self, dedupe: Dedupe | None) -> None:
        """The run is complete: put the output in place."""
        ...

    def abort(self) -> None:
        """The run stops early: leave no partial output."""
        ...


def run(
    paths: Sequence[str],
    job: Job,
    jobs: int,
    sink: Sink,
    report: Callable[[Failed], None],
    progress: Callable[[int], contextlib.AbstractContextManager[Callable[[int], None]]],
) -> tuple[Totals, Dedupe | None]:
    """Convert *paths* into *sink*, in order, in *jobs* processes; the totals.

    *report* hears of each failure as it happens; *progress* gives the ``advance``
    callback of a progress display for a number of files.  On any exception
    (KeyboardInterrupt included) the workers are ended and the sink aborted.
    """
    totals = Totals()
    dedupe = Dedupe() if job.output.dedupe else None
    try:
        for result, reused in sink.reuse(paths):
            totals.add(result, reused)
            if isinstance(result, Failed):
                report(result)
            elif dedupe is not None:
                dedupe.count(result.ids)
        rest = paths[totals.files :]
        # Workers first: forking after the progress display starts its thread is unsafe.
        with _workers(job, jobs, len(rest)) as pool, progress(len(paths)) as advance:
            advance(totals.files)
            for chunk in _chunk_results(rest, job, jobs, pool):
                for converted in chunk:
                    result = sink.add(converted)
                    totals.add(result)
                    if isinstance(result, Failed):
                        report(result)
                    elif dedupe is not None:
                        dedupe.count(result.ids)
                sink.flush()
                advance(len(chunk))
        sink.finish(dedupe)
    except BaseException:
        sink.abort()
        raise
    return totals, dedupe
