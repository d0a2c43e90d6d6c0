"""The thin I/O layer: reading inputs, walking folders, writing records atomically.

Nothing here parses; it hands bytes to the core and bytes to the filesystem.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import fnmatch
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import IO, Any
from zoneinfo import ZoneInfo

import orjson

from .errors import InputError
from .record import Page
from .tables import COLUMNS, Table, flatten, items

STDIN = "-"

# The portal's zone: where a time comes without an offset, it is Amsterdam's.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The process umask, read once (reading it means setting it).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
# The mode a new file gets here; mkstemp's 0600 is changed to it.
NEW_FILE_MODE = 0o666 & ~_UMASK


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
    """The modification time of *source*, in Europe/Amsterdam; None for stdin.

    The portal's zone, not the machine's: the same file gives the same record on a
    laptop in New York and on a CI runner in UTC.
    """
    if source == STDIN:
        return None
    try:
        return datetime.fromtimestamp(os.stat(source).st_mtime, tz=AMSTERDAM)
    except OSError:
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


def record_line(page: Page) -> bytes:
    """One JSON Lines line for a page: the contract's bytes, the same in every command."""
    return orjson.dumps(page.to_dict(), option=orjson.OPT_APPEND_NEWLINE)


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
        # mkstemp makes the file 0600; the result should have the mode any new file gets.
        os.fchmod(fd, NEW_FILE_MODE)
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- writing tables ------------------------------------------------------------------------

FORMATS = ("jsonl", "json", "csv", "tsv")


class TableWriter:
    """Streams rows of one table to a binary stream as JSON Lines, a JSON array, CSV or TSV.

    JSON keeps the nested shape of the contract; CSV and TSV flatten it, UTF-8, with a
    BOM for Excel when asked.  CSV follows RFC 4180 (quotes, CRLF).  TSV is one row per
    line for cut, awk and mlr: no quoting; a tab, line break or backslash inside a value
    is written ``\\t``, ``\\n``, ``\\r``, ``\\\\`` (the escapes of IANA "linear" TSV, as
    Miller and PostgreSQL read them).  Nothing is held in memory but the current row.
    """

    def __init__(
        self,
        stream: IO[bytes],
        to: str = "jsonl",
        table: Table = "pages",
        fields: Sequence[str] | None = None,
        header: bool = True,
        bom: bool = False,
    ) -> None:
        if to not in FORMATS:
            raise ValueError(f"unknown format {to!r}")
        self.stream, self.to, self.table = stream, to, table
        self.fields = list(fields) if fields else None
        self.count = 0
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None
        if to in ("csv", "tsv"):
            self._text = io.TextIOWrapper(
                stream, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True
            )
            self.columns = self.fields or list(COLUMNS[table])
            if to == "csv":
                self._csv = csv.DictWriter(
                    self._text, fieldnames=self.columns, extrasaction="ignore",
                    lineterminator="\r\n",
                )
            if header:
                self._write_flat(dict(zip(self.columns, self.columns, strict=True)))
        elif bom:
            stream.write(codecs.BOM_UTF8)

    def write_record(self, record: dict[str, Any]) -> None:
        """Write the rows of *table* found in one page record."""
        for item in items(record, self.table):
            self.write_row(item)

    def write_row(self, item: dict[str, Any]) -> None:
        if self._text is not None:
            self._write_flat(flatten(item, self.table))
        else:
            if self.fields:
                item = {name: _nested_field(item, name) for name in self.fields}
            line = orjson.dumps(item)
            if self.to == "jsonl":
                self.stream.write(line + b"\n")
            else:
                self.stream.write((b"[\n" if self.count == 0 else b",\n") + line)
        self.count += 1

    def _write_flat(self, row: dict[str, Any]) -> None:
        assert self._text is not None
        if self._csv is not None:
            self._csv.writerow(row)
        else:
            self._text.write("\t".join(tsv_value(row.get(name)) for name in self.columns) + "\n")

    def close(self) -> None:
        """Finish the output (the closing bracket of a JSON array) and flush."""
        if self.to == "json":
            self.stream.write(b"[]\n" if self.count == 0 else b"\n]\n")
        if self._text is not None:
            self._text.flush()
            self._text.detach()
        self.stream.flush()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_value(value: Any) -> str:
    """A value as a TSV cell: null is empty; tab, line breaks and backslash escaped."""
    return "" if value is None else str(value).translate(_TSV_ESCAPES)


def _nested_field(item: dict[str, Any], name: str) -> Any:
    """A --fields column of a nested (JSON) row; places and agencies live in the dateline."""
    if name in ("places", "agencies") and name not in item:
        return (item.get("dateline") or {}).get(name)
    return item.get(name)


def format_for(path: str) -> str | None:
    """The output format a file name's extension names (.csv, .tsv, .json, .jsonl or
    .ndjson; JSON Lines without an extension); None for any other extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix:
        return "jsonl"
    if suffix == "ndjson":
        return "jsonl"
    return suffix if suffix in FORMATS else None
