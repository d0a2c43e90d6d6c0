"""``convert --scheduler``: the same run on a Dask cluster.

Only the engine changes: the unit of work (``Job``, pure and picklable) runs on the
cluster's workers, one task per chunk of paths (or of pages the parent read out of a
container), and the results come back to this
process in input order, where the sink, the manifest, ``--dedupe`` and the summary are
what they are with ``-j``.  So the output bytes, the failure list and ``--resume`` are
the same as a ``-j 1`` run's.

A bounded number of chunks is in flight at once (a few per worker), so neither the
cluster nor this process holds more than a window of results, however long the run.
The workers must reach the paths: a shared file system, or fsspec URLs.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import Any

from ..errors import WorkerDied, need
from .job import Job, Result, Task
from .run import Engine, task_chunks

LOCAL = "local"  # --scheduler local: a LocalCluster of this machine's processes
IN_FLIGHT = 3  # chunks per worker submitted ahead of the one being written
CONNECT = "10s"  # how long to try reaching a scheduler


class SchedulerUnreachable(WorkerDied):
    """The scheduler named cannot be reached (nothing was converted)."""


def convert_chunk(job: Job, tasks: Sequence[Task]) -> list[Result]:
    """One Dask task: the results of a chunk of tasks (files, or pages of a container the
    parent read), in order (never raises for bad input)."""
    return [job(task) for task in tasks]


def distributed() -> Any:
    return need("distributed", "dask", "--scheduler")


@contextlib.contextmanager
def client(scheduler: str, workers: int) -> Iterator[Any]:
    """A Dask client of the scheduler at *scheduler*, or of a new local cluster of
    *workers* single-threaded processes (``local``), closed at the end."""
    dist = distributed()
    if scheduler == LOCAL:
        # Everything on the loopback: the scheduler's HTTP server too (None would still
        # serve it on :8787 of every interface).
        cluster = dist.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
        )
        with cluster, dist.Client(cluster, direct_to_workers=True) as connected:
            yield connected
        return
    try:
        connected = dist.Client(scheduler, timeout=CONNECT, direct_to_workers=True)
    except (OSError, ValueError) as exc:  # refused, timed out, not an address
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with connected:
        yield connected


def ordered(
    connected: Any, tasks: Iterable[Task], left: int | None, job: Job, workers: int
) -> Generator[list[Result], None, None]:
    """The results of chunks of *tasks* computed on the cluster, in input order."""
    dist = distributed()
    chunks = task_chunks(tasks, left, workers)
    # The job is sent to each worker once, not with every chunk.
    shared = connected.scatter(job, broadcast=True) if left != 0 else None
    pending: deque[Any] = deque()

    def submit() -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            pending.append(connected.submit(convert_chunk, shared, list(chunk), pure=False))

    try:
        for _ in range(max(1, workers) * IN_FLIGHT):
            submit()
        while pending:
            future = pending.popleft()
            try:
                results = future.result()
            except dist.KilledWorker as exc:
                raise WorkerDied(f"a Dask worker died: {exc}") from None
            submit()
            yield results
    finally:
        for future in pending:
            future.cancel()


def engine(scheduler: str, workers: int) -> Engine:
    """The engine of ``--scheduler``: chunks of paths as tasks on a Dask cluster.
    *workers* sizes a local cluster and the chunks (the cluster's threads, when known,
    for a remote one)."""

    @contextlib.contextmanager
    def run(
        tasks: Iterable[Task], left: int | None, job: Job
    ) -> Iterator[Iterator[list[Result]]]:
        with client(scheduler, workers) as connected:
            threads = sum(connected.nthreads().values()) or workers
            results = ordered(connected, tasks, left, job, threads)
            try:
                yield results
            finally:
                results.close()  # cancel what is still in flight before the client goes

    return run
