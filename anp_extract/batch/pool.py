"""Worker processes for ``convert``: a pool that gives results back in input order.

Written on ``multiprocessing`` processes and pipes rather than ``Pool.imap`` or
``ProcessPoolExecutor``, for three things a long batch run needs: a worker that
dies (killed, out of memory) ends the run with an error instead of hanging it;
nothing is read ahead of what is written, so memory stays flat; and Ctrl-C ends
every worker at once, with no traceback from any of them.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import multiprocessing
import os
import resource
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from ..errors import WorkerDied, WorkerError
from .spool import Rows, Spool, Writer, open_spool

if TYPE_CHECKING:
    from .job import Result, Task


# Parent ends of the pipes of the workers started so far.  A forked worker inherits
# them and must close them, or a dead parent would never look dead to it.
_PARENT_ENDS: list[Connection] = []


def _serve(conn: Connection, job: Callable[[Task], Result], spool: int | None) -> None:
    """A worker: convert chunks of paths until told to stop or the parent is gone.

    With a *spool* (a file descriptor, see ``batch.spool``) a chunk's rows are written
    there and only where they are goes back with the results."""
    for end in _PARENT_ENDS:
        end.close()
    writer = None if spool is None else Writer(spool)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, paths, copied = task
        results: list[Result] | str
        rows: tuple[int, int] | None = None  # offset and length in the spool
        try:
            results = [job(path) for path in paths]
            if writer is not None:
                results, spooled = writer.put(results, copied)
                rows = spooled.offset, spooled.length
        except Exception:  # a bug: the parent shows it, without locals
            results = traceback.format_exc()
        try:
            conn.send((index, results, rows))
        except OSError:
            return


def _context() -> Any:
    # fork starts a worker in milliseconds with the core already imported; elsewhere
    # (macOS, Windows) spawn, which pickles the Job once per worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class Spooled(list):  # type: ignore[type-arg]
    """A chunk's results whose rows are in a worker's spool file, at ``rows``."""

    rows: Rows


class Pool:
    """Worker processes converting chunks of files, results given back in input order.

    Each worker holds at most two chunks (one at work, one waiting), and no chunk is
    sent more than ``window`` chunks ahead of the next one to be given back, so memory
    stays flat however long the run.  Workers ignore Ctrl-C: the parent decides, and
    on any exception it ends them at once (``close``).

    With *spool* (``fork`` only) each worker gets a spool file in its folder
    (``batch.spool``) and the chunks come back ``Spooled``: the caller copies their rows
    out before it asks for the next chunk.
    """

    def __init__(
        self, jobs: int, job: Callable[[Task], Result], spool: Spool | None = None
    ) -> None:
        context = _context()
        self.frozen = False
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        self.spools: dict[Connection, int] = {}
        if context.get_start_method() != "fork":  # a spawned worker has no descriptors
            spool = None
        sys.stdout.flush()  # a forked child must not write the parent's buffers again
        sys.stderr.flush()
        # Objects made so far (the paths, the modules) go where the collector never
        # looks: a collection in a forked worker would otherwise write to every one of
        # them and so copy the parent's whole heap into each worker.  They stay there in
        # the parent too until ``close``: they live for the whole run, and each full
        # collection there would walk them all, on a core the workers need.
        gc.freeze()
        self.frozen = True
        ignore = _ignore_sigint()
        try:
            for _ in range(jobs):
                parent, child = context.Pipe()
                # Listed before the fork: the worker closes its own parent end too.
                _PARENT_ENDS.append(parent)
                self.conns.append(parent)
                fd = None
                if spool is not None:
                    fd = self.spools[parent] = open_spool(spool.folder, spool.name)
                proc = context.Process(target=_serve, args=(child, job, fd), daemon=True)
                proc.start()
                child.close()
                self.procs.append(proc)
        except OSError as exc:
            self.close(abort=True)
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                raise WorkerDied(_out_of_descriptors(jobs)) from None
            raise
        except BaseException:
            self.close(abort=True)
            raise
        finally:
            ignore()

    def map(self, chunks: Iterable[Sequence[Task]]) -> Iterator[list[Result]]:
        """The results of each chunk, in the order of *chunks* (``Spooled`` with a
        spool: the rows of one are to be copied before the next is asked for)."""
        todo = enumerate(chunks)
        window = 4 * len(self.conns)
        load = dict.fromkeys(self.conns, 0)
        copied = dict.fromkeys(self.conns, 0)  # chunks given back, so their rows copied
        owner: dict[int, Connection] = {}
        done: dict[int, list[Result]] = {}
        sent = given = 0
        more = True
        sentinels = {proc.sentinel: proc for proc in self.procs}
        while True:
            for conn in self.conns:
                while more and load[conn] < 2 and sent < given + window:
                    task = next(todo, None)
                    if task is None:
                        more = False
                        break
                    if not _send(conn, (task[0], list(task[1]), copied[conn])):
                        raise self._died()
                    owner[task[0]] = conn
                    load[conn] += 1
                    sent += 1
            if given in done:
                yield done.pop(given)
                copied[owner.pop(given)] += 1
                given += 1
                continue
            if given == sent and not more:
                return
            ready = wait([*self.conns, *sentinels])
            for source in ready:
                if isinstance(source, Connection):
                    try:
                        index, results, rows = source.recv()
                    except (EOFError, OSError):
                        raise self._died() from None
                    if isinstance(results, str):
                        raise WorkerError(f"a worker failed:\n{results}")
                    load[source] -= 1
                    if rows is not None:
                        results = Spooled(results)
                        results.rows = Rows(self.spools[source], *rows)
                    done[index] = results
            if not any(isinstance(source, Connection) for source in ready):
                raise self._died()

    def _died(self) -> WorkerDied:
        """The error for a worker that is gone, with its exit status once it is known."""
        gone = wait([proc.sentinel for proc in self.procs], timeout=1.0)
        for proc in self.procs:
            if proc.sentinel in gone:
                proc.join(1.0)  # its pipes close a moment before its exit status is there
                return WorkerDied(f"a worker process died (exit status {proc.exitcode})")
        return WorkerDied("a worker process died")

    def close(self, abort: bool = False) -> None:
        """Stop the workers: politely at the end of a run, at once after an error."""
        for conn in self.conns:
            if not abort:
                with contextlib.suppress(OSError):
                    conn.send(None)
        for proc in self.procs:
            if abort and proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join(timeout=1.0 if abort else None)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self.conns:
            conn.close()
            if conn in _PARENT_ENDS:
                _PARENT_ENDS.remove(conn)
        for fd in self.spools.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self.conns, self.procs, self.spools = [], [], {}
        if self.frozen:  # a caller that goes on (tests, a library) gets its collector back
            gc.unfreeze()
            self.frozen = False

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self.close(abort=kind is not None)


def _out_of_descriptors(jobs: int) -> str:
    """Why the workers could not start when the pipes to them ran out of descriptors:
    the output is not the culprit, though it is the file a user would suspect."""
    try:
        limit = f" ({resource.getrlimit(resource.RLIMIT_NOFILE)[0]})"
    except (OSError, ValueError):
        limit = ""
    return (f"cannot start {jobs} worker processes: the pipes to them (two open files "
            f"each) need more open files than ulimit -n{limit} allows; use a lower -j or "
            "raise ulimit -n")


def _send(conn: Connection, task: object) -> bool:
    """Send a worker its next chunk; False if it is dead (an error, not a silent exit).

    The command lets SIGPIPE end it quietly when the reader of its output goes away
    (``| head``); a worker that died is another matter, so here SIGPIPE waits.
    """
    try:
        previous = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    except (ValueError, AttributeError):  # not the main thread, or no SIGPIPE (Windows)
        previous = None
    try:
        conn.send(task)
    except OSError:
        return False
    finally:
        if previous is not None:
            signal.signal(signal.SIGPIPE, previous)
    return True


def _ignore_sigint() -> Any:
    """Ignore Ctrl-C while workers start (they inherit it); returns the undo."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to inherit
        return lambda: None
    return lambda: signal.signal(signal.SIGINT, previous)
