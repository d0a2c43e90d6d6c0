"""Writing files so that nothing is ever destroyed: the one atomic-write helper.

A result is written to a fresh temporary file beside its target, created exclusively
(``O_CREAT|O_EXCL|O_NOFOLLOW``, a random name: never opened through a link planted
there), and renamed over the target only when complete.  A target that is not a
regular file the run may replace is treated as what it is:

- a device, a FIFO or a socket (``/dev/null``, a named pipe) is written through,
  streamed, never replaced by a regular file;
- a name of an open descriptor (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``, or a
  link to one) is written through that descriptor, whatever it leads to: ``-o /dev/stdout
  >> log`` appends to ``log``, it does not replace it;
- a symbolic link to a regular file has its target written atomically; the link stays;
- a folder is refused.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from typing import IO, Any

# The process umask, read once (reading it means setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
# The mode a new file gets here; a temporary file's 0600 is changed to it.
NEW_FILE_MODE = 0o666 & ~_UMASK

_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
    os, "O_CLOEXEC", 0
)


class Unsafe(OSError):
    """A target that must not be written this way (a folder, a dangling link)."""


def create_new(folder: str, name: str, *, dir_fd: int | None = None) -> tuple[int, str]:
    """A new empty file in *folder* named after *name* with random letters: its
    descriptor and path.  Never an existing file, never through a link."""
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.part")
        try:
            fd = os.open(path if dir_fd is None else os.path.basename(path), _EXCLUSIVE,
                         0o600, dir_fd=dir_fd)
        except FileExistsError:
            continue
        os.fchmod(fd, NEW_FILE_MODE)  # the mode any new file gets, not 0600
        return fd, path
    raise FileExistsError(f"no free temporary name in {folder}")


# A folder of open descriptors, as os.path.realpath gives it (/dev/fd, /proc/self/fd and
# /proc/thread-self/fd all come to one of these).
_DESCRIPTORS = re.compile(r"/proc/(\d+)(?:/task/\d+)?/fd")


def descriptor(path: str) -> tuple[int, int] | None:
    """The process and descriptor that *path* names, when it is (or is a link, or a chain
    of links, to) ``/dev/stdout``, ``/dev/fd/N`` or ``/proc/PID/fd/N``; else None.

    Such a name is a link to whatever the descriptor has open, a regular file too (the
    file a shell's ``>> log`` opened): replacing "its target" would replace that file.
    """
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's limit on links followed in one name
        folder, name = os.path.split(current)
        folder = os.path.realpath(folder)
        found = _DESCRIPTORS.fullmatch(folder)
        if found and name.isdigit():
            return int(found[1]), int(name)
        try:
            link = os.readlink(os.path.join(folder, name))
        except OSError:  # not a link (or nothing there): the end of the chain
            return None
        current = os.path.normpath(os.path.join(folder, link))
    return None


def in_the_way(folder: str) -> str | None:
    """What stands where *folder* (an output's folder, made when missing) should be: the
    nearest part of it that is there and is no folder (a regular file named like the
    folder, or like one above it), said as ``X is a file, not a folder``; None when the
    folder is there or can be made (anything else wrong is said when it is written)."""
    here = os.path.normpath(folder) if folder else "."
    while True:
        try:
            info = os.stat(here)
        except (FileNotFoundError, NotADirectoryError):
            parent = os.path.dirname(here)
            if parent in ("", here):
                return None
            here = parent
            continue
        except (OSError, ValueError):
            return None
        if stat.S_ISDIR(info.st_mode):
            return None
        return f"{here} is {'a file, not' if stat.S_ISREG(info.st_mode) else 'not'} a folder"


def in_place(path: str, inode: int) -> bool:
    """Whether the file at *path* is the one with *inode* (-1: none yet) that a run
    renamed there: once it is, an interruption can no longer undo the output."""
    try:
        return inode >= 0 and os.stat(path).st_ino == inode
    except OSError:
        return False


def resolve_target(path: str) -> tuple[str, bool]:
    """Where writing *path* really goes, and whether it is written through (a device,
    FIFO or socket, or an open descriptor's name: streamed in place, see
    :func:`open_through`) rather than replaced atomically.

    A symbolic link to a regular file (or to nothing yet) resolves to its target: the
    target is replaced, the link stays.  A folder is refused.
    """
    if descriptor(path) is not None:
        return path, True
    try:
        info = os.stat(path)  # what a link leads to
    except FileNotFoundError:
        if os.path.islink(path):
            raise Unsafe(f"{path}: a link that leads nowhere") from None
        return path, False
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "is a folder", path)
    if not stat.S_ISREG(info.st_mode):  # opened by its own name (/proc/self/fd/1 has no other)
        return path, True
    return (os.path.realpath(path) if os.path.islink(path) else path), False


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "wb", *, durable: bool = True) -> Iterator[IO[Any]]:
    """Write *path* whole or not at all.

    On any exception (KeyboardInterrupt included) the temporary file is removed and
    *path* is left as it was.  A device or FIFO target is written through instead (it
    cannot be replaced, and must not be).
    """
    target, through = resolve_target(path)
    if through:
        with open_through(target, mode) as handle:
            yield handle
        return
    folder = os.path.dirname(target) or "."
    fd, temporary = create_new(folder, os.path.basename(target))
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def open_through(path: str, mode: str = "wb") -> IO[Any]:
    """A target :func:`resolve_target` says is written through, open for writing.

    A descriptor of this process (``/dev/stdout``) is duplicated, not opened again: the
    writes share its offset and its ``O_APPEND``, as the shell meant them (``>> log``
    appends; opening ``log`` again would truncate it, or write from its start).  Another
    process's descriptor is opened to append, never truncated; a device, FIFO or socket
    is opened as it is.
    """
    named = descriptor(path)
    if named is not None and named[0] == os.getpid():
        return os.fdopen(os.dup(named[1]), mode)
    if named is not None:
        return open(path, mode.replace("w", "a"))
    return open(path, mode)


def replace_with_new(
    path: str, data: bytes = b"", *, dir_fd: int | None = None, buffering: int = -1
) -> IO[bytes]:
    """A fresh file at *path* holding *data*, open for appending; whatever was at *path*
    (a stale sidecar, a link planted there) is replaced, never written through.

    The file is made under a random name (``create_new``), then renamed into place, so
    no existing file or link is ever opened for writing.
    """
    folder, name = os.path.split(path)
    fd, temporary = create_new(folder or ".", name, dir_fd=dir_fd)
    try:
        _write_all(fd, data)
        if dir_fd is None:
            os.replace(temporary, path)
        else:
            os.replace(os.path.basename(temporary), name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary if dir_fd is None else os.path.basename(temporary),
                      dir_fd=dir_fd)
        raise
    return os.fdopen(fd, "ab", buffering)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def open_existing(path: str, mode: str = "rb", *, dir_fd: int | None = None) -> IO[bytes]:
    """An existing regular file of the run's own (a sidecar), never through a link:
    ``OSError`` for a link, a device or a folder at *path*."""
    flags = {"rb": os.O_RDONLY, "r+b": os.O_RDWR}[mode] | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags, dir_fd=dir_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path}: not a regular file")
    return os.fdopen(fd, mode)


class Busy(OSError):
    """The output is being written by another run."""


class OutputLock:
    """An exclusive lock on an output, held by a run from its start to its end: a lock
    file beside it (``OUT.lock``) holding the pid, locked with ``flock``.

    A second run on the same output is refused (:class:`Busy`, naming the pid) instead
    of both writing it.  The lock file goes when the run ends.
    """

    def __init__(self, path: str, *, dir_fd: int | None = None) -> None:
        self.path, self.dir_fd = path, dir_fd
        self.fd = -1

    def acquire(self, what: str) -> None:
        import fcntl

        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW, NEW_FILE_MODE,
                         dir_fd=self.dir_fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise Busy(f"{what} is being written by another run (pid {holder})") from None
            try:  # the file locked must still be the one at the path (not removed since)
                same = os.fstat(fd).st_ino == os.stat(
                    self.path, dir_fd=self.dir_fd, follow_symlinks=False).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path, dir_fd=self.dir_fd)
        os.close(self.fd)
        self.fd = -1
