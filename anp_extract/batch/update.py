"""``convert --update``: convert a growing scrape again, parsing only what is new.

A run with ``--update`` leaves ``OUT.index.jsonl`` beside its output: the settings, then
one line per file converted, with its size, modification time and content hash, and
where its rows are in OUT (offset, length and their hash).  The next ``--update`` walks
the inputs again and, file by file in path order, copies the rows of each file that is
unchanged (same size and time, or same content) from the old OUT, after checking them
against their hash, and parses the rest (new files, changed ones, ones that failed, and
any whose rows cannot be trusted) in worker processes.  The new OUT is written whole,
through a temporary file, and is byte for byte what a fresh run writes.

Only formats whose rows are final per file can be kept this way: JSON Lines, CSV and TSV,
without ``--dedupe`` (whose ``seen`` counts depend on the whole run).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

import orjson

from .. import sinks
from ..sinks import atomic_output
from ..sinks.files import in_place
from ..sources.ours import INDEX
from . import manifest
from .job import Converted, Failed, Job, Result, digest
from .run import Totals, processes
from .store import lead


def index_path(out: str) -> str:
    return f"{out}.index.jsonl"


def can_update(job: Job) -> bool:
    """Whether the output's rows are final per file (see the module's docstring)."""
    return not job.output.dedupe and sinks.FORMATS[job.output.to].concatenable


def _header(settings: dict[str, Any], start: bytes) -> bytes:
    return orjson.dumps({"index": INDEX, "settings": settings, "lead": digest(start)}) + b"\n"


def _entries(out: str, settings: dict[str, Any], start: bytes) -> dict[str, dict[str, Any]]:
    """The files of the last --update run with these settings, by path; none otherwise."""
    try:
        handle = open(index_path(out), "rb")  # noqa: SIM115 (closed below)
    except OSError:
        return {}
    found: dict[str, dict[str, Any]] = {}
    with handle:
        if handle.readline() != _header(settings, start):
            return {}
        for line in handle:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                break
            if isinstance(entry, dict) and manifest.sound(entry) \
                    and manifest.counts(entry, "offset", "length") \
                    and isinstance(entry.get("rows_blake2b"), str):
                found[entry["path"]] = entry
    return found


class _Old:
    """The previous OUT, read where an index entry points, checked against its hash."""

    def __init__(self, out: str) -> None:
        try:
            self.handle: IO[bytes] | None = open(out, "rb")  # noqa: SIM115 (close())
        except OSError:
            self.handle = None

    def rows(self, entry: dict[str, Any]) -> bytes | None:
        if self.handle is None:
            return None
        self.handle.seek(entry["offset"])
        data = self.handle.read(entry["length"])
        return data if digest(data) == entry["rows_blake2b"] else None

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def _kept(entry: dict[str, Any], data: bytes) -> Converted:
    return manifest.converted_from(entry)._replace(data=data)


class Written:
    """Whether an --update run's OUT is in place: once its new file is at OUT's name, an
    interruption (while the index is written) must say OUT was written, not that it
    was not."""

    def __init__(self, out: str) -> None:
        self.out, self.inode = out, -1

    @property
    def complete(self) -> bool:
        return in_place(self.out, self.inode)


def update(
    paths: Sequence[str], job: Job, jobs: int, out: str, settings: dict[str, Any],
    header: bool, bom: bool, report: Callable[[Failed], None],
    progress: Callable[[int], contextlib.AbstractContextManager[Callable[[int], None]]],
    written: Written | None = None,
) -> Totals:
    """Write OUT for *paths*, parsing only the files the index does not vouch for;
    *written* learns which file becomes OUT."""
    start = lead(job.output, header, bom)
    known = _entries(out, settings, start)
    old = _Old(out)
    totals = Totals()
    keep: dict[str, Converted] = {}
    try:
        for path in paths:
            entry = known.get(path)
            checked = entry and manifest.unchanged(entry, path, job)
            if checked:
                keep[path] = _kept(checked, b"")  # its rows are read when written
        todo = [path for path in paths if path not in keep]
        lines: list[bytes] = []
        with atomic_output(out) as stream, _parsed(todo, job, jobs) as parsed, \
                progress(len(paths)) as advance:
            stream.write(start)
            offset = len(start)
            for path in paths:
                result: Result | None = None
                reused = path in keep
                if reused:
                    entry = known[path]
                    data = old.rows(entry)
                    if data is None:  # the old rows are not what the index says: parse
                        reused = False
                        result = job(path)
                    else:
                        result = keep[path]._replace(data=data)
                else:
                    result = next(parsed)
                assert result is not None
                totals.add(result, reused)
                if isinstance(result, Failed):
                    report(result)
                else:
                    stream.write(result.data)
                    lines.append(orjson.dumps(manifest.entry_of(
                        result, False, offset=offset, length=len(result.data))) + b"\n")
                    offset += len(result.data)
                advance(1)
            if written is not None:  # the file about to be renamed into place
                written.inode = os.fstat(stream.fileno()).st_ino
    finally:
        old.close()
    with atomic_output(index_path(out), durable=False) as index:
        index.write(_header(settings, start))
        index.writelines(lines)
    return totals


@contextlib.contextmanager
def _parsed(todo: Sequence[str], job: Job, jobs: int) -> Iterator[Iterator[Result]]:
    """The results of *todo*, in order: in worker processes when there are several."""
    with processes(jobs)(todo, len(todo), job) as chunks:
        yield (result for chunk in chunks for result in chunk)
