"""The thin I/O layer: reading inputs, walking folders, writing records atomically.

Nothing here parses; it hands bytes to the core and bytes to the filesystem.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

from .errors import InputError
from .record import Page

STDIN = "-"


def read_bytes(source: str) -> bytes:
    """The bytes of *source* (a path, or ``-`` for standard input); InputError if unreadable."""
    if source == STDIN:
        return sys.stdin.buffer.read()
    try:
        with open(source, "rb") as handle:
            return handle.read()
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


def mtime(source: str) -> datetime | None:
    """The modification time of *source* as an aware datetime; None for stdin."""
    if source == STDIN:
        return None
    try:
        return datetime.fromtimestamp(os.stat(source).st_mtime).astimezone()
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """How folders are walked: which files, and whether links are followed."""

    glob: str = "*.txt"
    follow_links: bool = False


def walk(paths: Iterable[str], options: WalkOptions = WalkOptions()) -> Iterator[str]:
    """Every file under *paths*, in sorted order; files named directly are kept as given.

    Hidden files and folders are skipped, and links are not followed unless asked.
    A path that does not exist is yielded as is, so the reader reports it.
    """
    for given in paths:
        path = Path(given)
        if given == STDIN or not path.is_dir():
            yield given
            continue
        found: list[str] = []
        for root, dirs, files in os.walk(path, followlinks=options.follow_links):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith("."):
                    continue
                full = Path(root, name)
                if not options.follow_links and full.is_symlink():
                    continue
                if full.match(options.glob):
                    found.append(str(full))
        yield from sorted(found)


def record_line(page: Page) -> bytes:
    """One JSON Lines line for a page: the contract's bytes, the same in every command."""
    return dumps(page.to_dict())


def dumps(record: dict[str, Any]) -> bytes:
    """A record dict as one JSON Lines line (compact, UTF-8, newline-terminated)."""
    return orjson.dumps(record) + b"\n"


@contextlib.contextmanager
def atomic_output(path: str, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write *path* through a temporary file in its folder, renamed into place on success.

    On any exception (including KeyboardInterrupt) the temporary file is removed and
    *path* is left as it was: never a partial output file.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
