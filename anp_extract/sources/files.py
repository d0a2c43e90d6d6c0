"""Pages from the file system: a file's bytes, its modification time, the files of a folder.

Nothing here parses; it hands bytes to the core.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import IO
from zoneinfo import ZoneInfo

from ..errors import InputError
from . import urls

STDIN = "-"

# The portal's zone: where a time comes without an offset, it is Amsterdam's.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# Pages are small (a few kB); anything past this is not a page, and reading it whole
# could take the machine down (/dev/zero, an 8 GB sparse file).
MAX_PAGE_SIZE = 64 << 20
CHUNK = 1 << 20  # bytes per read: memory stays flat whatever the input


def display(path: str) -> str:
    """*path* as it can be written in UTF-8 (a record, a manifest, stderr).

    Python hands over file names that are not UTF-8 with surrogate escapes (byte 0xFF as
    U+DCFF), which no UTF-8 writer takes; each such byte is written as ``\\xff``.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogateescape") if _escaped_only(path) else None
        if raw is None:
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return path


def _escaped_only(path: str) -> bool:
    return all(not "\ud800" <= char <= "\udfff" or "\udc80" <= char <= "\udcff"
               for char in path)


def size_text(limit: int) -> str:
    """A byte count as people say it: 64 MiB, 512 KiB, 100 bytes."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if limit >= 1 << shift and limit % (1 << shift) == 0:
            return f"{limit >> shift} {unit}"
    return f"{limit} bytes"


def too_big(source: str, limit: int) -> InputError:
    return InputError(f"larger than the page size limit ({size_text(limit)}; "
                      "--max-page-size): not a page", source=source)


def read_limited(handle: IO[bytes], source: str, limit: int = MAX_PAGE_SIZE) -> bytes:
    """All of *handle*, read in bounded chunks; InputError past *limit* bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = handle.read(min(CHUNK, limit + 1 - size))
        except OSError as exc:
            raise InputError(read_problem(exc, source), source=source) from None
        except EOFError:
            raise InputError("compressed data cut short", source=source) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_big(source, limit)


def not_a_file(mode: int) -> str:
    """Why a path that is not a regular file is not read where only files are."""
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe)"
    return "not a regular file"


def open_input(source: str, regular_only: bool = False) -> IO[bytes]:
    """*source* opened for reading (``-``: standard input, left open by the caller).

    With *regular_only* (folders walked by ``convert`` and ``stats``) a named pipe or a
    device is refused before it is opened: opening a FIFO blocks until someone writes.
    """
    if source == STDIN:
        if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
            raise InputError("standard input is closed", source=source)
        return sys.stdin.buffer
    name = display(source)
    try:
        if urls.is_url(source):  # its file system says what it is
            return urls.open_url(source)
        if regular_only:
            info = os.stat(source)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(not_a_file(info.st_mode), source=name)
        return open(source, "rb")
    except IsADirectoryError:
        raise InputError("is a directory (use 'convert' or 'stats' for folders)",
                         source=name) from None
    except OSError as exc:
        raise InputError(read_problem(exc, source), source=name) from None


def read_problem(exc: OSError, source: str) -> str:
    """Why *source* could not be read, in the words of every reader's failure line."""
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link" if os.path.islink(source) else "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "cannot read: a looping symbolic link"
    why = exc.strerror or errno.errorcode.get(exc.errno or 0) or str(exc) or "unreadable"
    return f"cannot read: {why}"


def read_bytes(source: str, limit: int = MAX_PAGE_SIZE, regular_only: bool = False) -> bytes:
    """The bytes of *source* (a path, or ``-`` for standard input), at most *limit* of
    them; InputError if unreadable or larger."""
    handle = open_input(source, regular_only)
    if source == STDIN:
        return read_limited(handle, source, limit)
    with handle:
        with contextlib.suppress(OSError):
            if os.fstat(handle.fileno()).st_size > limit:  # a sparse 8 GB file: not read
                raise too_big(display(source), limit)
        return read_limited(handle, display(source), limit)


def mtime(source: str) -> datetime | None:
    """The modification time of *source*, in Europe/Amsterdam; None for stdin.

    The portal's zone, not the machine's: the same file gives the same record on a
    laptop in New York and on a CI runner in UTC.
    """
    if source == STDIN:
        return None
    try:
        if urls.is_url(source):
            return datetime.fromtimestamp(urls.stat(source)[1] / 1e9, tz=AMSTERDAM)
        return mtime_of(os.stat(source).st_mtime)
    except OSError:
        return None


def mtime_of(seconds: float) -> datetime | None:
    """A modification time (``st_mtime``) in Europe/Amsterdam, as :func:`mtime` gives it."""
    try:
        return datetime.fromtimestamp(seconds, tz=AMSTERDAM)
    except (OverflowError, ValueError, OSError):  # a time past the year 9999 is no scrape time
        return None


# What a folder walk reads by default: pages, compressed pages, archives, WARC and WET
# files, JSON Lines of documents (``sources.read`` tells them apart by their bytes).
_COMPRESSED = ("", ".gz", ".bz2", ".xz", ".zst")
DEFAULT_GLOBS: tuple[str, ...] = (
    *(f"*.txt{end}" for end in _COMPRESSED),
    *(f"*.tar{end}" for end in _COMPRESSED), "*.tgz", "*.zip",
    *(f"*.{kind}{end}" for kind in ("warc", "wet", "jsonl", "ndjson") for end in _COMPRESSED),
)


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """How folders are walked: which files (any of the patterns), whether links are followed."""

    globs: tuple[str, ...] = DEFAULT_GLOBS
    follow_links: bool = False

    @property
    def described(self) -> str:
        """The patterns as a message says them."""
        if self.globs == DEFAULT_GLOBS:
            return "the default --glob patterns (pages, archives, WARC, JSON Lines)"
        return " or ".join(repr(glob) for glob in self.globs)

    def matches(self, path: str, name: str) -> bool:
        names, paths = _patterns(self.globs)
        return bool(names is not None and names.match(name)) or any(
            PurePath(path).match(glob) for glob in paths
        )


@functools.lru_cache(maxsize=16)
def _patterns(globs: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """The patterns on names of *globs* as one regular expression (``fnmatchcase`` of each
    in one call: a walk tests every file of a scrape against twenty-odd patterns, serially
    before the workers of -j2 start), and the patterns on paths (with a "/")."""
    names = [fnmatch.translate(glob) for glob in globs if "/" not in glob]
    pattern = re.compile("|".join(names)) if names else None
    return pattern, tuple(glob for glob in globs if "/" in glob)


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
            try:
                is_folder = entry.is_dir(follow_symlinks=follow)
            except OSError:  # a looping link: yielded, so that reading it says so, alone
                is_folder = False
            if is_folder:
                stack.append(entry.path)
            elif (follow or not entry.is_symlink()) and options.matches(entry.path, entry.name):
                yield entry.path
