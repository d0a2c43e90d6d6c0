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
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import orjson

from .. import sinks
from ..sinks import Format, atomic_output, open_writer
from . import manifest
from .job import SEEN, Converted, Failed, Job, Output, Result
from .manifest import TaskList
from .run import Dedupe


def manifest_path(out: str) -> str:
    return f"{out}.manifest.jsonl"


def parts_path(out: str) -> str:
    return f"{out}.parts"


def lead(output: Output, header: bool, bom: bool) -> bytes:
    """What comes before the first row: a byte order mark, a flat format's header."""
    buffer = io.BytesIO()
    final(buffer, output, header, bom)
    return buffer.getvalue()


def final(stream: IO[bytes], output: Output, header: bool, bom: bool) -> Format:
    """The writer of the final output on *stream* (its lead written already)."""
    return open_writer(stream, output.to, output.table, output.columns, header, bom)


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
    dedupe: Dedupe | None,
) -> None:
    """The final output from stored JSON Lines rows: JSON array, or rows deduplicated."""
    if dedupe is None:
        rows = final(stream, output, header, bom)
        for block in _blocks(parts):
            rows.encoded(block)
        rows.end()
        return
    fields = list(output.columns) if sinks.FORMATS[output.to].flat else output.fields
    writer = open_writer(stream, output.to, output.table, fields, header, bom)
    for block in _blocks(parts):
        for line in block.split(b"\n")[:-1]:
            item = orjson.loads(line)
            if output.table == "briefs":
                seen = dedupe.keep(item["id"])
                if seen:
                    item[SEEN] = seen
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


# -- standard output ----------------------------------------------------------------------


class StreamSink:
    """Rows straight to a stream as they come (``-o -``): nothing to resume."""

    def __init__(self, stream: IO[bytes], output: Output, header: bool, bom: bool) -> None:
        self.rows = final(stream, output, header, bom)
        self.stream = stream

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        return iter(())

    def add(self, result: Result) -> Result:
        if isinstance(result, Converted):
            self.rows.encoded(result.data)
        return result

    def flush(self) -> None:
        self.stream.flush()

    def finish(self, dedupe: Dedupe | None) -> None:
        self.rows.end()

    def abort(self) -> None:
        """Nothing to undo: what was written to a stream is gone."""


class SpoolSink:
    """Rows kept in an anonymous temporary file, then written deduplicated to a stream."""

    def __init__(self, stream: IO[bytes], output: Output, header: bool, bom: bool) -> None:
        self.stream, self.output, self.header, self.bom = stream, output, header, bom
        self.spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/abort)

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        return iter(())

    def add(self, result: Result) -> Result:
        if isinstance(result, Converted):
            self.spool.write(result.data)
        return result

    def flush(self) -> None:
        """Nothing to keep: a spool is not resumed."""

    def finish(self, dedupe: Dedupe | None) -> None:
        self.spool.seek(0)
        assemble(self.spool, self.stream, self.output, self.header, self.bom, dedupe)
        self.spool.close()

    def abort(self) -> None:
        self.spool.close()


# -- one dataset file ---------------------------------------------------------------------


class FileStore:
    """The rows of a run kept in ``OUT.parts`` and listed in ``OUT.manifest.jsonl``."""

    def __init__(
        self, out: str, output: Output, header: bool, bom: bool, settings: dict[str, Any],
        job: Job, resume: bool,
    ) -> None:
        self.out, self.output, self.header, self.bom = out, output, header, bom
        self.job, self.resume = job, resume
        # CSV, TSV and JSON Lines rows are final: OUT is the parts file, renamed.
        self.direct = not output.dedupe and sinks.FORMATS[output.to].concatenable
        self.start = lead(output, header, bom) if self.direct else b""
        self.settings = settings
        self.parts_path, self.manifest_path = parts_path(out), manifest_path(out)
        self.parts: IO[bytes] | None = None
        self.ledger: manifest.Ledger | None = None
        self.offset = 0

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        """With ``--resume``, the files an earlier run finished, as long as they are
        the first of *paths* and unchanged; then the store is ready for the rest."""
        kept: list[bytes] = []
        offset = len(self.start)
        try:
            size = os.path.getsize(self.parts_path) if self.resume else -1
        except OSError:
            size = -1
        if size >= offset:

            def whole(entry: dict[str, Any]) -> bool:  # its rows stand next in OUT.parts
                return entry.get("offset") == offset and offset + entry.get("length", 0) <= size

            entries = manifest.entries(self.manifest_path, self.settings, offset)
            for result, entry in manifest.resumed(entries, paths, self.job, whole, kept):
                if entry is not None:
                    offset += entry["length"]
                yield result, entry is not None
        top = manifest.header(self.settings, len(self.start))
        self.ledger = manifest.Ledger(self.manifest_path, top, kept)
        if kept:
            self.parts = open(self.parts_path, "r+b")  # noqa: SIM115 (closed in finish/abort)
            self.parts.truncate(offset)
            self.parts.seek(offset)
        else:
            self.parts = open(self.parts_path, "wb")  # noqa: SIM115
            self.parts.write(self.start)
        self.offset = offset

    def add(self, result: Result) -> Result:
        assert self.parts is not None and self.ledger is not None
        if isinstance(result, Failed):
            self.ledger.add({"path": result.path, "error": result.reason})
            return result
        self.parts.write(result.data)
        self.ledger.add(
            manifest.entry_of(
                result, self.output.dedupe, offset=self.offset, length=len(result.data)
            )
        )
        self.offset += len(result.data)
        return result

    def flush(self) -> None:
        """The end of a chunk: rows on disk first, then the entries that point at them."""
        assert self.parts is not None and self.ledger is not None
        self.parts.flush()
        self.ledger.flush()

    def finish(self, dedupe: Dedupe | None) -> None:
        assert self.parts is not None and self.ledger is not None
        self.flush()
        self.ledger.close()
        if self.direct:
            os.fsync(self.parts.fileno())  # as atomic_output does: whole, or not at all
            self.parts.close()
            os.replace(self.parts_path, self.out)
        else:
            self.parts.close()
            with open(self.parts_path, "rb") as parts, atomic_output(self.out) as stream:
                assemble(parts, stream, self.output, self.header, self.bom, dedupe)
            os.unlink(self.parts_path)
        os.unlink(self.manifest_path)

    def abort(self) -> None:
        """Interrupted: no OUT; the sidecars keep what is complete, for --resume."""
        with contextlib.suppress(OSError, ValueError):
            if self.parts is not None and self.ledger is not None:
                self.flush()
        for handle in (self.parts, self.ledger):
            if handle is not None:
                with contextlib.suppress(OSError):
                    handle.close()
        with contextlib.suppress(OSError):
            os.unlink(f"{self.manifest_path}.new")


