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

from ..core.timeline import Timelines
from .job import Failed, Job, Result, Task
from .manifest import TaskList
from .pool import Pool, Spooled
from .spool import Spool
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


# Worker processes per CPU at most: parsing is CPU-bound, so more only add memory (each
# worker is a whole interpreter) and pipes; -j 200 once forked 201 processes.
WORKERS_PER_CPU = 4


def cap_workers(jobs: int, cpus: int) -> tuple[int, str | None]:
    """*jobs* bounded by ``WORKERS_PER_CPU`` per CPU, and the note to print when it was."""
    most = WORKERS_PER_CPU * max(1, cpus)
    if jobs <= most:
        return jobs, None
    return most, (f"-j {jobs}: capped at {most} worker processes ({WORKERS_PER_CPU} per "
                  f"CPU, {cpus} CPU{'s' if cpus != 1 else ''})")


# Pages per task when the parent reads them from containers (their number is not known
# before): small enough that a few hundred pages keep two workers busy.
CONTAINER_CHUNK = 16


def task_chunks(tasks: Iterable[Task], left: int | None, workers: int) -> Iterator[list[Task]]:
    """*tasks* in chunks for *workers*: sized by their number *left*, or, when that is
    not known before they are read (pages of containers), ``CONTAINER_CHUNK``."""
    return chunked(tasks, CONTAINER_CHUNK if left is None else chunk_size(left, workers))


def _workers(
    job: Job, jobs: int, files: int, spool: Spool | None = None
) -> contextlib.AbstractContextManager[Pool | None]:
    """A pool, or none when one process will do (one job, one file): no start-up cost.
    Never more workers than files."""
    if jobs <= 1 or files <= 1:
        return contextlib.nullcontext()
    return Pool(min(jobs, files), job, spool)


# What runs the unit of work: given the tasks (their number when known, see
# ``task_chunks``) and the job, the results of chunks of tasks, in input order, for as
# long as the context is open (workers, a cluster).
Engine = Callable[
    [Iterable[Task], int | None, Job], contextlib.AbstractContextManager[Iterator[list[Result]]]
]


def processes(jobs: int, spool: Spool | None = None) -> Engine:
    """The engine of -j: *jobs* worker processes on this machine; with *spool*, chunks
    of results come back ``pool.Spooled``, their rows left in the workers' spool files."""

    @contextlib.contextmanager
    def engine(
        tasks: Iterable[Task], left: int | None, job: Job
    ) -> Iterator[Iterator[list[Result]]]:
        chunks = task_chunks(tasks, left, jobs)
        with _workers(job, jobs, jobs if left is None else left, spool) as pool:
            if pool is None:
                yield ([job(task) for task in chunk] for chunk in chunks)
            else:
                yield pool.map(chunks)

    return engine


# -- what the parent keeps across the run ------------------------------------------------


class Dedupe:
    """Brief ids across the whole run: how often each was met, and which are written.

    Only the ids grow with the run (one 16-digit hex string per distinct brief).
    """

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        # Each brief's sightings, for the timeline columns of the briefs table (filled
        # from the stored rows when the output is assembled: store.assemble).
        self.timelines = Timelines()

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

    @property
    def complete(self) -> bool:
        """The output is in place: an interruption now cannot undo it."""
        ...

    @property
    def spool(self) -> Spool | None:
        """Where workers may leave their rows (``batch.spool``); None: they send them."""
        ...

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
    engine: Engine | None = None,
) -> tuple[Totals, Dedupe | None]:
    """Convert *paths* into *sink*, in order, in *jobs* processes (or on *engine*: a
    Dask cluster, see ``batch.dask``); the totals.

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
        left = None if tasks.containers else len(paths) - totals.files
        spool = None if engine else sink.spool
        start = engine or processes(jobs, spool)
        # Workers first: forking after the progress display starts its thread is unsafe.
        with start(tasks.rest(totals.files), left, job) as results, \
                progress(0 if tasks.containers else len(paths)) as advance:
            advance(totals.files)
            for chunk in results:
                if isinstance(chunk, Spooled):
                    assert spool is not None
                    spool.take(chunk.rows)
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
