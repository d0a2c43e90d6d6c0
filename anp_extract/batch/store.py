"""Where converted files go: standard output, one dataset file, or a folder of files.

A dataset file is built beside its target as the run goes: each finished file's rows
are appended to ``OUT.parts`` and listed, with the file's size, modification time and
content hash, in ``OUT.manifest.jsonl``.  Only at the end does ``OUT`` appear (renamed,
or assembled through a temporary file), and the two sidecars go.  A run that is
interrupted leaves no ``OUT``, but keeps the sidecars, so that ``--resume`` continues
it: the files already done are checked, not parsed again, and the result is the same
bytes as an uninterrupted run's.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import orjson

from .. import sinks
from ..sinks import Format, atomic_output, open_writer
from ..sinks.files import OutputLock, in_place, open_existing, replace_with_new
from ..sources.ours import LOCK, PARTS
from . import manifest, remote, spool
from .job import SEEN, Converted, Failed, Job, Output, Result, digest
from .manifest import TaskList
from .run import Dedupe
from .spool import Rows, Spool


def manifest_path(out: str) -> str:
    return f"{out}.manifest.jsonl"


def parts_path(out: str) -> str:
    return out + PARTS


def lock_path(out: str) -> str:
    return out + LOCK


def lead(output: Output, header: bool, bom: bool) -> bytes:
    """What comes before the first row: a byte order mark, a flat format's header."""
    buffer = io.BytesIO()
    final(buffer, output, header, bom)
    return buffer.getvalue()


def final(
    stream: IO[bytes], output: Output, header: bool, bom: bool, scratch: str | None = None
) -> Format:
    """The writer of the final output on *stream* (its lead written already); a file
    format may keep working files in *scratch*."""
    fields = list(output.columns) if sinks.FORMATS[output.to].flat else output.fields
    return open_writer(stream, output.to, output.table, fields, header, bom,
                       dedupe=output.dedupe, scratch=scratch)


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    """Whole lines of a JSON Lines file, about a megabyte at a time."""
    rest = b""
    while block := handle.read(1 << 20):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest + b"\n"


def assemble(
    parts: IO[bytes], stream: IO[bytes], output: Output, header: bool, bom: bool,
    dedupe: Dedupe | None, scratch: str | None = None,
) -> None:
    """The final output from stored JSON Lines rows: JSON array, Parquet, SQLite, or
    rows deduplicated."""
    writer = final(stream, output, header, bom, scratch)
    try:
        _assemble(parts, writer, output, dedupe)
    except BaseException:
        writer.abort()
        raise


def _assemble(parts: IO[bytes], writer: Format, output: Output, dedupe: Dedupe | None) -> None:
    if dedupe is None or writer.whole_records:
        for block in _blocks(parts):
            writer.encoded(block)
        writer.end()
        return
    flat = sinks.FORMATS[output.to].flat
    if output.table == "briefs":  # the timeline needs every sighting before the first row
        start = parts.tell()
        for block in _blocks(parts):
            for line in block.split(b"\n")[:-1]:
                dedupe.timelines.add_row(orjson.loads(line))
        parts.seek(start)
    for block in _blocks(parts):
        for line in block.split(b"\n")[:-1]:
            item = orjson.loads(line)
            if output.table == "briefs":
                seen = dedupe.keep(item["id"])
                if seen:
                    item[SEEN] = seen
                    item.update(dedupe.timelines.get(item["id"]).columns(flat))
                    writer.row(item)
                continue
            kept = []  # a page stays; its briefs met on an earlier page go
            for brief in item["briefs"]:
                seen = dedupe.keep(brief["id"])
                if seen:
                    brief[SEEN] = seen
                    kept.append(brief)
            item["briefs"] = kept
            writer.row(item)
    writer.end()


# -- a stream: standard output, a device, a pipe -----------------------------------------


class _Stream:
    """A sink on a stream; one it opened itself (a device, a named pipe) it closes."""

    stream: IO[bytes]
    owned: bool
    complete = False
    spool = None  # rows come with the results

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        return iter(())

    def done(self) -> None:
        self.complete = True
        if self.owned:
            self.stream.close()

    def abort(self) -> None:
        """Nothing to undo: what was written to a stream is gone."""
        if self.owned:
            with contextlib.suppress(OSError):
                self.stream.close()


class StreamSink(_Stream):
    """Rows straight to a stream as they come (``-o -``): nothing to resume."""

    def __init__(
        self, stream: IO[bytes], output: Output, header: bool, bom: bool, owned: bool = False
    ) -> None:
        self.rows = final(stream, output, header, bom)
        self.stream, self.owned = stream, owned

    def add(self, result: Result) -> Result:
        if isinstance(result, Converted):
            self.rows.encoded(result.data)
        return result

    def flush(self) -> None:
        self.stream.flush()

    def finish(self, dedupe: Dedupe | None) -> None:
        self.rows.end()
        self.done()


class SpoolSink(_Stream):
    """Rows kept in an anonymous temporary file, then written deduplicated to a stream."""

    def __init__(
        self, stream: IO[bytes], output: Output, header: bool, bom: bool, owned: bool = False
    ) -> None:
        self.stream, self.output, self.header, self.bom = stream, output, header, bom
        self.owned = owned
        self.held: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/abort)

    def add(self, result: Result) -> Result:
        if isinstance(result, Converted):
            self.held.write(result.data)
        return result

    def flush(self) -> None:
        """Nothing to keep: a spool is not resumed."""

    def finish(self, dedupe: Dedupe | None) -> None:
        self.held.seek(0)
        assemble(self.held, self.stream, self.output, self.header, self.bom, dedupe)
        self.held.close()
        self.done()

    def abort(self) -> None:
        self.held.close()
        super().abort()


# -- one dataset file ---------------------------------------------------------------------

# OUT.parts' buffer: a chunk's rows (64 files of a few kB) in one or two writes, not
# one a file (it is flushed at the end of each chunk anyway).
PARTS_BUFFER = 256 << 10
# Rows written since the last start of a write-back, in bytes (see ``_write_back``).
WRITEBACK = 8 << 20


def _write_back(fd: int, offset: int, length: int) -> None:
    """Start writing *length* bytes of *fd* from *offset* to the disk, without waiting.

    OUT is fsync'ed whole before it is renamed into place; done alone at the end, that
    waited for all of a run's rows at once (60 ms for 75 MB), after the workers of -j2
    were done.  Started as the run goes, the writing overlaps the parse and the final
    fsync waits for the last few megabytes.  On Linux ``POSIX_FADV_DONTNEED`` starts the
    write-back of the range's dirty pages and returns (only pages already clean are let
    go of: none of these, just written).  The rows are not read again: OUT is the parts
    file renamed (``FileStore.direct``).
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            advise(fd, offset, length, os.POSIX_FADV_DONTNEED)


class FileStore:
    """The rows of a run kept in ``OUT.parts`` and listed in ``OUT.manifest.jsonl``."""

    def __init__(
        self, out: str, output: Output, header: bool, bom: bool, settings: dict[str, Any],
        job: Job, resume: bool, compression: str | None = None,
    ) -> None:
        self.out, self.output, self.header, self.bom = out, output, header, bom
        self.job, self.resume, self.compression = job, resume, compression
        # CSV, TSV and JSON Lines rows are final: OUT is the parts file, renamed.
        self.direct = (not output.dedupe and sinks.FORMATS[output.to].concatenable
                       and compression is None)
        self.start = lead(output, header, bom) if self.direct else b""
        self.settings = settings
        self.parts_path, self.manifest_path = parts_path(out), manifest_path(out)
        self.parts: IO[bytes] | None = None
        self.ledger: manifest.Ledger | None = None
        self.offset = 0
        self.written = 0  # the rows up to here are on their way to the disk (_write_back)
        self.final = -1  # the inode that becomes OUT, once it is written
        # One run at a time on OUT: a second one is refused, not let in to interleave.
        self.lock = OutputLock(lock_path(out))
        self.lock.acquire(out)

    @property
    def complete(self) -> bool:
        """OUT is in place (whatever interrupted the run after the rename)."""
        return in_place(self.out, self.final)

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        """With ``--resume``, the files an earlier run finished, as long as they are
        the first of *paths* and unchanged; then the store is ready for the rest."""
        kept: list[bytes] = []
        offset = len(self.start)
        try:
            info = os.lstat(self.parts_path) if self.resume else None
            size = info.st_size if info and stat.S_ISREG(info.st_mode) else -1
        except OSError:
            size = -1
        if size >= offset:
            earlier = open(self.parts_path, "rb")  # noqa: SIM115 (closed below)

            def whole(entry: dict[str, Any]) -> bool:
                """Its rows stand next in OUT.parts, with the bytes they had (a hash)."""
                if not manifest.counts(entry, "offset", "length") or entry["offset"] != offset \
                        or offset + entry["length"] > size or "rows_blake2b" not in entry:
                    return False
                earlier.seek(offset)
                return bool(digest(earlier.read(entry["length"])) == entry["rows_blake2b"])

            with earlier:
                entries = manifest.entries(self.manifest_path, self.settings, offset)
                for result, entry in manifest.resumed(entries, paths, self.job, whole, kept):
                    if entry is not None:
                        offset += entry["length"]
                    yield result, entry is not None
        top = manifest.header(self.settings, len(self.start))
        self.ledger = manifest.Ledger(self.manifest_path, top, kept)
        parts = None
        if kept:
            with contextlib.suppress(OSError):  # a link there now: not ours, start over
                parts = open_existing(self.parts_path, "r+b")
                parts.truncate(offset)
                parts.seek(offset)
        if parts is None:  # a new file; whatever had the name (a planted link) is replaced
            parts = replace_with_new(self.parts_path, self.start, buffering=PARTS_BUFFER)
            offset = len(self.start)
        self.parts = parts
        self.offset = self.written = offset

    def add(self, result: Result) -> Result:
        assert self.parts is not None and self.ledger is not None
        if isinstance(result, Failed):
            self.ledger.add({"path": result.path, "error": result.reason})
            return result
        length = result.length
        if result.spooled < 0:  # else ``take`` copied them
            self.parts.write(result.data)
        self.ledger.add(
            manifest.entry_of(result, self.output.dedupe, offset=self.offset, length=length)
        )
        self.offset += length
        return result

    @property
    def spool(self) -> Spool:
        """Workers of -j N leave their rows in spool files beside OUT (``batch.spool``)."""
        folder, name = os.path.split(self.parts_path)
        return Spool(folder or ".", name, self.take)

    def take(self, rows: Rows) -> None:
        """The rows of the chunk whose results come next, copied from a worker's spool
        file to the end of OUT.parts (the results' ``add`` then lists them)."""
        assert self.parts is not None
        if rows.length:
            self.parts.flush()  # the rows of earlier files come first
            spool.copy(rows, self.parts.fileno())

    def flush(self) -> None:
        """The end of a chunk: rows on disk first, then the entries that point at them."""
        assert self.parts is not None and self.ledger is not None
        self.parts.flush()
        self.ledger.flush()
        if self.direct and self.offset - self.written >= WRITEBACK:
            _write_back(self.parts.fileno(), self.written, self.offset - self.written)
            self.written = self.offset

    def finish(self, dedupe: Dedupe | None) -> None:
        assert self.parts is not None and self.ledger is not None
        self.flush()
        self.ledger.close()
        if self.direct:
            os.fsync(self.parts.fileno())  # as atomic_output does: whole, or not at all
            self.final = os.fstat(self.parts.fileno()).st_ino
            self.parts.close()
            os.replace(self.parts_path, self.out)
        else:
            self.parts.close()
            with (open_existing(self.parts_path) as parts, atomic_output(self.out) as raw,
                  sinks.compressed(raw, self.compression) as stream):
                assemble(parts, stream, self.output, self.header, self.bom, dedupe,
                         os.path.dirname(self.out) or ".")
                self.final = os.fstat(raw.fileno()).st_ino
            os.unlink(self.parts_path)
        os.unlink(self.manifest_path)
        self.lock.release()

    @contextlib.contextmanager
    def given_up(self) -> Iterator[None]:
        """``--update`` writes OUT its own way (``batch.update``): this store writes
        nothing, and its lock on OUT stays held until the update is done."""
        held, self.lock = self.lock, OutputLock(self.lock.path)  # abort releases a blank
        self.abort()
        try:
            yield
        finally:
            held.release()

    def abort(self) -> None:
        """Interrupted: no OUT; the sidecars keep what is complete, for --resume.
        (Interrupted after OUT was put in place: the sidecars go, as they would have:
        OUT.parts too, when OUT was assembled from it rather than renamed from it.)"""
        if self.complete:
            for sidecar in (self.parts_path, self.manifest_path):
                with contextlib.suppress(OSError):
                    os.unlink(sidecar)
            self.lock.release()
            return
        with contextlib.suppress(OSError, ValueError):
            if self.parts is not None and self.ledger is not None:
                self.flush()
        for handle in (self.parts, self.ledger):
            if handle is not None:
                with contextlib.suppress(OSError):
                    handle.close()
        self.lock.release()




class Upload(FileStore):
    """A dataset for an fsspec URL: built in a local temporary folder as ``FileStore``
    builds a file, then uploaded whole; nothing is left behind either way."""

    def __init__(
        self, url: str, output: Output, header: bool, bom: bool, settings: dict[str, Any],
        job: Job,
    ) -> None:
        self.url, self.folder = url, tempfile.mkdtemp(prefix="anp-extract-")
        local = os.path.join(self.folder, os.path.basename(url.rstrip("/")) or "out")
        super().__init__(local, output, header, bom, settings, job, False,
                         sinks.compression_for(url))

    def finish(self, dedupe: Dedupe | None) -> None:
        try:
            super().finish(dedupe)
            remote.upload(self.out, self.url)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def abort(self) -> None:
        super().abort()
        shutil.rmtree(self.folder, ignore_errors=True)
