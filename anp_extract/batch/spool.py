"""Workers' spool files: the rows of ``convert -j N`` go from a worker to ``OUT.parts``
without passing through the parent's memory.

A worker writes each chunk's rows, all of its files' at once, to a spool file of its own
and sends the parent only where they are (offset and length) with the files' small
results (digests, counts, errors).  The parent copies that range into ``OUT.parts`` in
input order with ``os.copy_file_range``: a copy inside the kernel, on the same file
system (``sendfile``, or reading and writing, where that is refused).  Before, the rows
crossed a socket, were assembled and unpickled into a bytes object a file and written
again, about 13 µs a page of the parent's time on a core the workers need.

The spool files are made by the parent before the workers fork, in the output's folder
(the same file system as ``OUT.parts``, so the copy can stay in the kernel), and they
have no name: ``O_TMPFILE`` makes a file that never had one; elsewhere a new file
(created exclusively, never through a link) is unlinked at once.  Nothing is left to
clean up, whatever ends the run (an error, Ctrl-C, a ``kill -9`` of the whole tree); a
name left by a kill in the instant between the two calls is one ``sources.ours`` refuses
as input.

A spool is reused: the parent says with each chunk it sends how many of the worker's
chunks it has copied, and the worker writes a chunk's rows at the first place free of
the ranges not yet copied (a handful), so the file stays within the rows of the chunks
in flight, not the run's.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..sources.ours import SPOOL
from .job import Converted, Result


class Rows(NamedTuple):
    """Where a chunk's rows are: a range of a spool file."""

    fd: int
    offset: int
    length: int


@dataclass(frozen=True)
class Spool:
    """Where the workers of a run keep their rows, and what takes them out (a sink's)."""

    folder: str  # the output's: the spool files are made there
    name: str  # the output's name (in a spool's name, where files cannot be nameless)
    take: Callable[[Rows], None]  # the rows of the chunk whose results come next


_TMPFILE = getattr(os, "O_TMPFILE", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FLAGS = os.O_RDWR | _CLOEXEC
_NEW = _FLAGS | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def open_spool(folder: str, name: str) -> int:
    """A new spool file in *folder* (the output's), with no name: its descriptor.

    ``O_TMPFILE`` where the system and the file system have it; else a file created
    exclusively under a random hidden name (``.NAME.xxxx.spool``) and unlinked at once,
    both through one handle on the folder: a folder swapped for another (or for a link)
    in between cannot make the unlink take a file of the same name there.
    """
    if _TMPFILE:
        with contextlib.suppress(OSError):  # EOPNOTSUPP, EISDIR (an older kernel), ...
            return os.open(folder, _FLAGS | _TMPFILE, 0o600)
    here = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        for _ in range(100):
            spool = f".{name}.{secrets.token_hex(6)}{SPOOL}"
            try:
                fd = os.open(spool, _NEW, 0o600, dir_fd=here)
            except FileExistsError:
                continue
            try:
                os.unlink(spool, dir_fd=here)
            except BaseException:
                os.close(fd)
                raise
            return fd
    finally:
        os.close(here)
    raise FileExistsError(f"no free name for a spool file in {folder}")


class Writer:
    """A worker's side of its spool: chunks' rows written, their ranges given back."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pending: collections.deque[tuple[int, int]] = collections.deque()
        self.copied = 0  # chunks of this worker the parent has copied (it says so)

    def put(self, results: list[Result], copied: int) -> tuple[list[Result], Rows]:
        """*results* with their rows moved to the spool (``Converted.spooled``), and
        where the rows are; *copied*: how many of the chunks put so far the parent has
        copied out (their space is free again)."""
        for _ in range(copied - self.copied):
            self.pending.popleft()
        self.copied = copied
        rows = b"".join([result.data for result in results if isinstance(result, Converted)])
        offset = self.free(len(rows))
        view = memoryview(rows)
        at = offset
        while view:
            written = os.pwrite(self.fd, view, at)
            view, at = view[written:], at + written
        self.pending.append((offset, offset + len(rows)))
        spooled = [
            result._replace(data=b"", spooled=len(result.data))
            if isinstance(result, Converted) else result
            for result in results
        ]
        return spooled, Rows(self.fd, offset, len(rows))

    def free(self, length: int) -> int:
        """The first offset with *length* bytes free of the ranges not yet copied."""
        offset = 0
        for start, end in sorted(self.pending):
            if offset + length <= start:
                break
            offset = max(offset, end)
        return offset


def copy(rows: Rows, out: int) -> None:
    """Append the range *rows* to *out* at its position (which moves past it)."""
    offset, left = rows.offset, rows.length
    while left:
        moved = _copy(rows.fd, out, left, offset)
        if moved <= 0:
            raise OSError(errno.EIO, "a worker's spool file is shorter than it said")
        offset, left = offset + moved, left - moved


def _read_write(source: int, out: int, count: int, offset: int) -> int:
    data = os.pread(source, min(count, 1 << 20), offset)
    view = memoryview(data)
    while view:
        view = view[os.write(out, view):]
    return len(data)


def _sendfile(source: int, out: int, count: int, offset: int) -> int:
    return os.sendfile(out, source, offset, count)


def _copy_file_range(source: int, out: int, count: int, offset: int) -> int:
    return os.copy_file_range(source, out, count, offset)


# The ways to copy, best first; one the system refuses is dropped for the rest of the run.
_WAYS = [way for way, there in ((_copy_file_range, hasattr(os, "copy_file_range")),
                                (_sendfile, hasattr(os, "sendfile")),
                                (_read_write, True)) if there]
_REFUSED = {errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF,
            getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


def _copy(source: int, out: int, count: int, offset: int) -> int:
    while True:
        try:
            return _WAYS[0](source, out, count, offset)
        except OSError as exc:
            if exc.errno not in _REFUSED or len(_WAYS) == 1:
                raise
            _WAYS.pop(0)
