"""The run of a conversion: the ordered parallel map over the files, and what the parent
keeps across it (totals, the ids seen for ``--dedupe``).

The results come back in input order whatever the number of workers: ``-j 8`` writes
the same bytes as ``-j 1``.  What is kept across the run lives in the parent only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from .job import Failed, Job, Result, Task
from .manifest import TaskList
from .pool import Pool
from .tasks import Tasks


def chunked(items: Iterable[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def chunk_size(files: int, jobs: int) -> int:
    """Files per task: big enough that messages cost little next to parsing, small
    enough to keep every worker busy to the end and to flush the manifest often."""
    return max(1, min(64, files // (jobs * 8)))


# Pages per task when the parent reads them from containers (their number is not known
# before): small enough that a few hundred pages keep two workers busy.
CONTAINER_CHUNK = 16


def _workers(job: Job, jobs: int, files: int) -> contextlib.AbstractContextManager[Pool | None]:
    """A pool, or none when one process will do (one job, one file): no start-up cost."""
    if jobs <= 1 or files <= 1:
        return contextlib.nullcontext()
    return Pool(min(jobs, files), job)


def _chunk_results(
    tasks: Iterable[Task], size: int, job: Job, pool: Pool | None
) -> Iterator[list[Result]]:
    chunks = chunked(tasks, size)
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

    files: int = 0  # results: a plain file, or a page of a container
    reused: int = 0  # taken from the manifest of an interrupted run, not parsed again
    pages: int = 0
    briefs: int = 0
    unparsed: int = 0
    rows: int = 0
    failures: int = 0
    not_pages: int = 0  # pages that look like no page at all (HTML, JSON, ...)
    skipped: int = 0  # records of containers that are no pages (WARC requests, ...)
    inputs: int = 0  # files read (the summary's count; files counts results)

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
        self.not_pages += result.not_pages


class Sink(Protocol):
    """Where results go (``store``): a stream, a dataset file, a folder of files."""

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
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
    tasks = Tasks(paths, job.read, job.now_from_mtime)
    try:
        for result, reused in sink.reuse(tasks):
            totals.add(result, reused)
            if isinstance(result, Failed):
                report(result)
            elif dedupe is not None:
                dedupe.count(result.ids)
        # A container's pages are not counted before they are read: no bar then.
        left = len(paths) - totals.files if not tasks.containers else jobs
        size = chunk_size(left, jobs) if not tasks.containers else CONTAINER_CHUNK
        # Workers first: forking after the progress display starts its thread is unsafe.
        with _workers(job, jobs, left) as pool, \
                progress(0 if tasks.containers else len(paths)) as advance:
            advance(totals.files)
            for chunk in _chunk_results(tasks.rest(totals.files), size, job, pool):
                for converted in chunk:
                    result = sink.add(converted)
                    totals.add(result)
                    if isinstance(result, Failed):
                        report(result)
                    elif dedupe is not None:
                        dedupe.count(result.ids)
                sink.flush()
                advance(len(chunk))
        totals.skipped = sum(skipped.records for skipped in tasks.skipped)
        sink.finish(dedupe)
    except BaseException:
        sink.abort()
        raise
    return totals, dedupe
