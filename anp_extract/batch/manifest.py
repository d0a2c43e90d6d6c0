"""The manifest of a run: one line per finished file, so an interrupted run resumes.

The first line holds the settings the output depends on; a manifest made with other
settings is not used.  Each further line is one file, in the order of the run: its
path, size, modification time (ns), blake2b content hash, where its output is, and
its counts; or its path and why it failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Protocol

import orjson

from ..errors import AnpExtractError
from ..sinks.files import open_existing, replace_with_new
from ..sources import Document, read_bytes, urls
from ..sources.ours import MANIFEST
from .job import Converted, Failed, Job, Result, Task, digest

MANIFEST_VERSION = 1


def header(settings: dict[str, Any], start: int) -> bytes:
    return orjson.dumps(
        {"manifest": MANIFEST, "version": MANIFEST_VERSION, "settings": settings, "lead": start}
    ) + b"\n"


def changed(
    path: str, settings: dict[str, Any], *, dir_fd: int | None = None
) -> list[str] | None:
    """The names of the settings that differ from those *path* was made with; None when
    there is no manifest there (or not one of ours)."""
    try:
        with open_existing(path, dir_fd=dir_fd) as handle:
            top = orjson.loads(handle.readline(1 << 20))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(top, dict) or top.get("manifest") != MANIFEST:
        return None
    before = top.get("settings")
    before = before if isinstance(before, dict) else {}
    # orjson gives lists where the settings hold tuples: compare them as JSON.
    now = orjson.loads(orjson.dumps(settings))
    return [name for name in now if before.get(name) != now[name]]


def entries(
    path: str, settings: dict[str, Any], start: int, *, dir_fd: int | None = None
) -> Iterator[dict[str, Any]]:
    """The entries of a manifest made with the same settings; none otherwise.

    A line cut short by a killed run ends the list: what follows cannot be trusted.
    """
    try:
        handle = open_existing(path, dir_fd=dir_fd)
    except OSError:
        return
    with handle:
        if handle.readline() != header(settings, start):
            return
        for line in handle:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                return
            if not isinstance(entry, dict) or not line.endswith(b"\n"):
                return
            yield entry


def unchanged(entry: dict[str, Any], path: Task, job: Job) -> dict[str, Any] | None:
    """*entry*, brought up to date, when *path* still holds the bytes it was made from.

    Size and modification time decide when both match; when only the time changed
    (a copy, a ``touch``) the content hash does.  With ``--now mtime`` the time is
    part of the output, so it must match.  A page of a container is read again by the
    parent anyway (a stream cannot skip): its content hash decides, and it is not
    parsed again.
    """
    if isinstance(path, Document):
        same = (len(path.data) == entry.get("size") and digest(path.data) == entry.get("blake2b")
                and not job.now_from_mtime)
        return entry if same else None
    if isinstance(path, Failed):
        return None
    try:
        if urls.is_url(path):  # an fsspec URL: its file system says
            size, mtime_ns = urls.stat(path)
        else:
            info = os.stat(path)
            size, mtime_ns = info.st_size, info.st_mtime_ns
    except OSError:
        return None
    if size != entry.get("size"):
        return None
    if mtime_ns == entry.get("mtime_ns"):
        return entry
    if job.now_from_mtime:
        return None
    try:
        data = read_bytes(path)
    except (AnpExtractError, OSError):
        return None
    if digest(data) != entry.get("blake2b"):
        return None
    return {**entry, "mtime_ns": mtime_ns}


def entry_of(result: Converted, dedupe: bool, **where: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": result.path, "size": result.size, "mtime_ns": result.mtime_ns,
        "blake2b": result.digest, **where, "rows": result.rows, "briefs": result.briefs,
        "unparsed": result.unparsed, "not_pages": result.not_pages,
        # what --resume checks the kept rows against (hashed by the worker, see Converted)
        "rows_blake2b": result.rows_digest or digest(result.data),
    }
    if dedupe:
        entry["ids"] = list(result.ids)
    return entry


def counts(entry: dict[str, Any], *names: str) -> bool:
    """Whether *names* in *entry* are all counts (integers from 0, not booleans)."""
    return all(type(entry.get(name)) is int and entry[name] >= 0 for name in names)


def sound(entry: dict[str, Any]) -> bool:
    """Whether a manifest entry of a converted file has every field, of its type (a
    manifest edited or damaged by hand is not trusted: its files are parsed again)."""
    if not counts(entry, "size", "mtime_ns", "rows", "briefs", "unparsed"):
        return False
    if not all(isinstance(entry.get(name), str) for name in ("path", "blake2b")):
        return False
    ids = entry.get("ids", [])
    return isinstance(ids, list) and all(isinstance(brief, str) for brief in ids)


def converted_from(entry: dict[str, Any]) -> Converted:
    return Converted(
        entry["path"], b"", entry["rows"], entry["briefs"], entry["unparsed"],
        tuple(entry.get("ids", ())), entry["size"], entry["mtime_ns"], entry["blake2b"],
        entry.get("not_pages", 0), entry.get("rows_blake2b", ""),
    )


class Ledger:
    """The manifest being written: entries wait until their rows are on disk."""

    def __init__(
        self, path: str, header: bytes, entries: Sequence[bytes] = (), *,
        dir_fd: int | None = None,
    ) -> None:
        self.path = path
        # A fresh file renamed into place: a link planted at the name is replaced, never
        # followed; the handle stays on the file made.
        self.handle: IO[bytes] = replace_with_new(path, header + b"".join(entries),
                                                  dir_fd=dir_fd)
        self.pending: list[bytes] = []

    def add(self, entry: dict[str, Any]) -> None:
        self.pending.append(orjson.dumps(entry) + b"\n")

    def flush(self) -> None:
        self.handle.writelines(self.pending)
        self.handle.flush()
        self.pending.clear()

    def close(self) -> None:
        self.handle.close()


def resumed(
    entries: Iterator[dict[str, Any]], paths: TaskList, job: Job,
    whole: Callable[[dict[str, Any]], bool], kept: list[bytes],
) -> Iterator[tuple[Result, dict[str, Any] | None]]:
    """What an earlier run did for the first of *paths*, file by file, while it holds.

    Each step gives a file's result and, when its output can be kept, its entry (None
    for a file that fails again).  The walk stops at the first file that is not the
    next in *paths*, that changed, that failed before and reads now, or whose output
    the store finds not *whole*.  The manifest lines to keep are added to *kept*.
    """
    from .tasks import task_name

    for index, entry in enumerate(entries):
        try:
            path = paths[index]
        except IndexError:
            return
        if entry.get("path") != task_name(path):
            return
        if "error" in entry:
            failed = retry(entry, path, job)
            if failed is None:
                return
            kept.append(orjson.dumps({"path": failed.path, "error": failed.reason}) + b"\n")
            yield failed, None
            continue
        checked = unchanged(entry, path, job) if sound(entry) and whole(entry) else None
        if checked is None:
            return
        kept.append(orjson.dumps(checked) + b"\n")
        yield converted_from(checked), checked


class TaskList(Protocol):
    """The tasks of a run by index (``tasks.Tasks``, or a list of paths)."""

    def __getitem__(self, index: int, /) -> Task: ...


def retry(entry: dict[str, Any], path: Task, job: Job) -> Failed | None:
    """A file that failed before is read again: it may have been fixed since."""
    result = job(path)
    return result if isinstance(result, Failed) else None
