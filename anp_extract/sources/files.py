"""Pages from the file system: a file's bytes, its modification time, the files of a folder.

Nothing here parses; it hands bytes to the core.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from ..errors import InputError

STDIN = "-"

# The portal's zone: where a time comes without an offset, it is Amsterdam's.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

def read_bytes(source: str) -> bytes:
    """The bytes of *source* (a path, or ``-`` for standard input); InputError if unreadable."""
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        return _read_file(source)
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except IsADirectoryError:
        raise InputError("is a directory (use 'convert' or 'stats' for folders)",
                         source=source) from None
    except PermissionError:
        raise InputError("permission denied", source=source) from None
    except OSError as exc:
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "unreadable")
        raise InputError(f"cannot read: {reason}", source=source) from None


# Bytes asked for by each read: a page is a few kilobytes, so one read and the empty one
# that says the end.
READ_SIZE = 1 << 17


def _read_file(path: str) -> bytes:
    """The bytes of the file *path*, read with ``os.read``: no buffered file object around
    a descriptor read once (a few microseconds a page, a tenth of reading it)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, READ_SIZE):  # a folder: IsADirectoryError here
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)  # b"" for an empty file


def mtime(source: str) -> datetime | None:
    """The modification time of *source*, in Europe/Amsterdam; None for stdin.

    The portal's zone, not the machine's: the same file gives the same record on a
    laptop in New York and on a CI runner in UTC.
    """
    if source == STDIN:
        return None
    try:
        return datetime.fromtimestamp(os.stat(source).st_mtime, tz=AMSTERDAM)
    except (OSError, OverflowError, ValueError):  # a time past the year 9999 is no scrape time
        return None


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """How folders are walked: which files, and whether links are followed."""

    glob: str = "*.txt"
    follow_links: bool = False


def folder_problem(exc: OSError) -> str:
    """Why a folder could not be walked, as ``convert`` and ``stats`` both say it."""
    why = "permission denied" if isinstance(exc, PermissionError) else exc.strerror or exc
    return f"cannot read folder: {why}"


def walk(
    paths: Iterable[str], options: WalkOptions = WalkOptions(),
    unreadable: Callable[[str, OSError], None] | None = None,
) -> Iterator[str]:
    """Every file under *paths*, in sorted order; files named directly are kept as given.

    Hidden files and folders are skipped, and links are not followed unless asked (then a
    folder reached twice through links is walked once).  A path that does not exist is
    yielded as is, so the reader reports it.  A folder that cannot be read is passed
    over, and told to *unreadable* when given.
    """
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield given
            continue
        yield from sorted(_files_under(given, options, unreadable))


def _files_under(
    folder: str, options: WalkOptions, unreadable: Callable[[str, OSError], None] | None
) -> Iterator[str]:
    # os.scandir, not pathlib: a DirEntry knows its type and link status without another
    # system call, which is most of the cost on a folder of a million pages.
    by_name = "/" not in options.glob
    follow = options.follow_links
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            if follow:
                info = os.stat(current)
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(current))
        except OSError as exc:  # an unreadable folder, as os.walk: passed over
            if unreadable is not None:
                unreadable(current, exc)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=follow):
                stack.append(entry.path)
            elif (follow or not entry.is_symlink()) and (
                fnmatch.fnmatchcase(entry.name, options.glob)
                if by_name
                else PurePath(entry.path).match(options.glob)
            ):
                yield entry.path
