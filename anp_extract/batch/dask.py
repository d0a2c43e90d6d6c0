"""``convert --scheduler``: the same run on a Dask cluster.

Only the engine changes: the unit of work (``Job``, pure and picklable) runs on the
cluster's workers, one task per chunk of paths (or of pages the parent read out of a
container), and the results come back to this
process in input order, where the sink, the manifest, ``--dedupe`` and the summary are
what they are with ``-j``.  So the output bytes, the failure list and ``--resume`` are
the same as a ``-j 1`` run's.

A cluster pays for every task (the scheduler's bookkeeping, a message each way, the
worker's thread hand-off): some milliseconds, as long as parsing a dozen pages.  So a
task is a big chunk, up to ``DASK_CHUNK`` files (the process pool's are at most 64),
still small enough that each worker gets several.  Each worker freezes what it has
imported (``gc.freeze``, as the pool's workers do): Dask's own hundreds of thousands of
objects are then not walked by every full collection during parsing; so does this
process for the length of the run.

A bounded number of chunks is in flight at once (a few per worker), so neither the
cluster nor this process holds more than a window of results, however long the run.
The workers must reach the paths: a shared file system, or fsspec URLs.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from multiprocessing import resource_tracker
from typing import Any

from ..errors import WorkerDied, need
from .job import Job, Result, Task
from .run import CONTAINER_CHUNK, Engine, chunked

LOCAL = "local"  # --scheduler local: a LocalCluster of this machine's processes
IN_FLIGHT = 3  # chunks per worker submitted ahead of the one being written
CONNECT = "10s"  # how long to try reaching a scheduler
# Files per task at most; a run of fewer files has chunks of a quarter of its share of
# each worker (at least one file), so a small run still spreads over every worker.
DASK_CHUNK = 512
PER_WORKER = 4
# Pages per task when the parent reads them out of containers (their number unknown).
DASK_CONTAINER_CHUNK = 8 * CONTAINER_CHUNK


def chunk_size(files: int, workers: int) -> int:
    """Files per Dask task for a run of *files* on *workers* threads."""
    return max(1, min(DASK_CHUNK, files // (max(1, workers) * PER_WORKER)))


def task_chunks(tasks: Iterable[Task], left: int | None, workers: int) -> Iterator[list[Task]]:
    return chunked(tasks, DASK_CONTAINER_CHUNK if left is None else chunk_size(left, workers))


class SchedulerUnreachable(WorkerDied):
    """The scheduler named cannot be reached (nothing was converted)."""


class ClusterFailed(WorkerDied):
    """A local cluster would not start (a worker's preload, no free port, ...)."""


def _said(exc: BaseException) -> str:
    """*exc* in one line: "type: message" (Dask hands a worker's error back as a bare
    Exception whose message names the type already)."""
    text = str(exc).replace("\n", " ")
    return text if type(exc) is Exception and text else f"{type(exc).__name__}: {text}"


def _root(exc: BaseException) -> str:
    """The first cause of *exc*, as "type: message", for one line."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def convert_chunk(job: Job, tasks: Sequence[Task]) -> list[Result]:
    """One Dask task: the results of a chunk of tasks (files, or pages of a container the
    parent read), in order (never raises for bad input)."""
    return [job(task) for task in tasks]


def distributed() -> Any:
    return need("distributed", "dask", "--scheduler")


def _warm() -> None:
    """On a worker: import the unit of work, then freeze everything imported so far (the
    worker's and Dask's modules) out of the collector's reach for the worker's life."""
    from . import job  # noqa: F401 (the parser and every module a task needs)

    gc.freeze()


def warm_workers(connected: Any) -> None:
    """``_warm`` on every worker, and on any that joins later (a worker plugin)."""
    dist = distributed()

    class Warm(dist.WorkerPlugin):  # type: ignore[misc,name-defined]
        name = "anp-extract-warm"

        def setup(self, worker: Any) -> None:
            _warm()

    connected.register_plugin(Warm(), name=Warm.name)


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """SIGINT blocked in this thread while a local cluster starts.  The threads it starts
    inherit the mask, and so do the worker processes they spawn (a blocked signal stays
    blocked across exec): a Ctrl-C, which the terminal sends to the whole process group,
    reaches this process alone, which decides and closes the cluster (as the pool's
    workers ignore it), instead of each worker dying with a traceback.  A Ctrl-C while
    the cluster starts is not lost: it is delivered here when the mask is restored."""
    if threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # multiprocessing starts its resource tracker on first need with SIGINT blocked, then
    # unblocks it, whatever the mask was: started now, it leaves the mask alone.
    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def client(scheduler: str, workers: int) -> Iterator[Any]:
    """A Dask client of the scheduler at *scheduler*, or of a new local cluster of
    *workers* single-threaded processes (``local``), closed at the end."""
    dist = distributed()
    # Dask's event loop logs the errors it hands back to this process ("Future exception
    # was never retrieved", with a traceback) as well: they are said here, in one line.
    quiet = logging.getLogger("asyncio")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        with _connected(dist, scheduler, workers) as connected:
            yield connected
    finally:
        quiet.setLevel(level)


@contextlib.contextmanager
def _connected(dist: Any, scheduler: str, workers: int) -> Iterator[Any]:
    if scheduler == LOCAL:
        with contextlib.ExitStack() as stack:
            with sigint_blocked():
                # Everything on the loopback: the scheduler's HTTP server too (None would
                # still serve it on :8787 of every interface).  Dask's own log lines stay
                # quiet: what goes wrong reaches this process as an exception.
                try:
                    cluster = stack.enter_context(dist.LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        host="127.0.0.1", dashboard_address="127.0.0.1:0",
                        silence_logs=logging.CRITICAL,
                    ))
                except Exception as exc:  # Dask's RuntimeError, with the cause in a worker
                    raise ClusterFailed(
                        f"cannot start a local Dask cluster: {str(exc).rstrip('.')} "
                        f"({_root(exc)})") from None
                connected = stack.enter_context(dist.Client(cluster, direct_to_workers=True))
            yield connected
        return
    try:
        connected = dist.Client(scheduler, timeout=CONNECT, direct_to_workers=True)
    except (OSError, ValueError) as exc:  # refused, timed out, not an address
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with connected:
        yield connected


@contextlib.contextmanager
def interrupts() -> Iterator[threading.Event]:
    """Ctrl-C while a cluster runs, as an event that ``ordered`` looks at between waits,
    raised as KeyboardInterrupt there (or at the end).  Raised wherever this thread
    happens to be, it could land in a finalizer of Dask's (``Future.__del__``), where
    Python prints it as ignored and the run goes on as if no Ctrl-C had come."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)
    if stop.is_set():
        raise KeyboardInterrupt


POLL = 0.1  # seconds between looks at Ctrl-C while a chunk is awaited


def ordered(
    connected: Any, tasks: Iterable[Task], left: int | None, job: Job, workers: int,
    stop: threading.Event | None = None,
) -> Generator[list[Result], None, None]:
    """The results of chunks of *tasks* computed on the cluster, in input order; a
    KeyboardInterrupt as soon as *stop* is set."""
    dist = distributed()
    chunks = task_chunks(tasks, left, workers)
    if left == 0:
        return
    try:
        warm_workers(connected)
    except Exception as exc:  # the plugin could not be unpickled or run on a worker
        raise ClusterFailed(f"the Dask workers cannot run anp-extract (is it installed "
                            f"there?): {_said(exc)}") from None
    # The job is sent to each worker once, not with every chunk.
    shared = connected.scatter(job, broadcast=True)
    pending: deque[Any] = deque()

    def submit() -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            future = connected.submit(convert_chunk, shared, list(chunk), pure=False)
            done = threading.Event()  # set from Dask's thread when the future finishes
            future.add_done_callback(lambda _: done.set())
            pending.append((future, done))

    try:
        for _ in range(max(1, workers) * IN_FLIGHT):
            submit()
        while pending:
            future, done = pending.popleft()
            # Not future.result(timeout=...): Dask's sync() can then fail with an
            # UnboundLocalError when the result and the timeout meet.
            while not done.wait(POLL):
                if stop is not None and stop.is_set():
                    raise KeyboardInterrupt
            try:
                results = future.result()
            except dist.KilledWorker as exc:
                raise WorkerDied(f"a Dask worker died: {exc}") from None
            submit()
            yield results
            if stop is not None and stop.is_set():
                raise KeyboardInterrupt
    finally:
        for future, _ in pending:
            future.cancel()


def engine(scheduler: str, workers: int) -> Engine:
    """The engine of ``--scheduler``: chunks of paths as tasks on a Dask cluster.
    *workers* sizes a local cluster and the chunks (the cluster's threads, when known,
    for a remote one)."""

    @contextlib.contextmanager
    def run(
        tasks: Iterable[Task], left: int | None, job: Job
    ) -> Iterator[Iterator[list[Result]]]:
        with interrupts() as stop, client(scheduler, workers) as connected:
            threads = sum(connected.nthreads().values()) or workers
            results = ordered(connected, tasks, left, job, threads, stop)
            # What this process holds now (Dask, the paths) lives to the end of the run:
            # out of every full collection while it writes the results.  (A caller that
            # froze its own objects keeps them frozen.)
            frozen = gc.get_freeze_count() == 0
            gc.freeze()
            try:
                yield results
            finally:
                results.close()  # cancel what is still in flight before the client goes
                if frozen:
                    gc.unfreeze()

    return run
