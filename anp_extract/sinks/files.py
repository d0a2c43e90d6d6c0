"""Writing files so that nothing is ever destroyed: the one atomic-write helper.

A result is written to a fresh temporary file beside its target, created exclusively
(``O_CREAT|O_EXCL|O_NOFOLLOW``, a random name: never opened through a link planted
there), and renamed over the target only when complete.  A target that is not a
regular file the run may replace is treated as what it is:

- a device, a FIFO or a socket (``/dev/null``, ``/dev/stdout``, a named pipe) is written
  through, streamed, never replaced by a regular file;
- a symbolic link to a regular file has its target written atomically; the link stays;
- a folder is refused.
"""

from __future__ import annotations

import contextlib
import os
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


def resolve_target(path: str) -> tuple[str, bool]:
    """Where writing *path* really goes, and whether it is written through (a device,
    FIFO or socket: streamed in place) rather than replaced atomically.

    A symbolic link to a regular file (or to nothing yet) resolves to its target: the
    target is replaced, the link stays.  A folder is refused.
    """
    real = os.path.realpath(path) if os.path.islink(path) else path
    try:
        info = os.stat(real)
    except FileNotFoundError:
        if os.path.islink(real):
            raise Unsafe(f"{path}: a link that leads nowhere") from None
        return real, False
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "is a folder", path)
    return real, not stat.S_ISREG(info.st_mode)


def is_stream(path: str) -> bool:
    """Whether *path* is a device, FIFO or socket (written through, never replaced)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "wb", *, durable: bool = True) -> Iterator[IO[Any]]:
    """Write *path* whole or not at all.

    On any exception (KeyboardInterrupt included) the temporary file is removed and
    *path* is left as it was.  A device or FIFO target is written through instead (it
    cannot be replaced, and must not be).
    """
    target, through = resolve_target(path)
    if through:
        with open(target, mode) as handle:
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


def write_atomically(path: str, data: bytes) -> None:
    """*data* as the whole of *path* (see :func:`atomic_output`), without fsync."""
    with atomic_output(path, durable=False) as handle:
        handle.write(data)
