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

import codecs
import contextlib
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import IO, Any

import orjson

from .batch import SEEN, Converted, Dedupe, Failed, Job, Output, Result, digest
from .errors import AnpExtractError
from .io import TableWriter, atomic_output, read_bytes

MANIFEST = "anp-extract convert manifest"
MANIFEST_VERSION = 1


def manifest_path(out: str) -> str:
    return f"{out}.manifest.jsonl"


def parts_path(out: str) -> str:
    return f"{out}.parts"


def lead(output: Output, header: bool, bom: bool) -> bytes:
    """What comes before the first row: a byte order mark, the CSV/TSV header."""
    start = codecs.BOM_UTF8 if bom else b""
    if output.to in ("csv", "tsv") and header:
        buffer = io.BytesIO()
        TableWriter(buffer, output.to, output.table, output.columns, header=True).close()
        start += buffer.getvalue()
    return start


class Rows:
    """Writes stored rows (see ``Output.stored``) as the final output.

    CSV, TSV and JSON Lines rows are final already; JSON gets its array punctuation
    here, since a row's comma depends on the rows before it.
    """

    def __init__(self, stream: IO[bytes], output: Output, header: bool, bom: bool) -> None:
        self.stream, self.array, self.count = stream, output.to == "json", 0
        stream.write(lead(output, header, bom))

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.array:
            lines = data.split(b"\n")
            lines.pop()  # after the last newline
            self.stream.write((b",\n" if self.count else b"[\n") + b",\n".join(lines))
            self.count += len(lines)
        else:
            self.stream.write(data)
            self.count += 1

    def end(self) -> None:
        if self.array:
            self.stream.write(b"\n]\n" if self.count else b"[]\n")
        self.stream.flush()


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
        rows = Rows(stream, output, header, bom)
        for block in _blocks(parts):
            rows.write(block)
        rows.end()
        return
    fields = list(output.columns) if output.to in ("csv", "tsv") else output.fields
    writer = TableWriter(stream, output.to, output.table, fields, header, bom)
    for block in _blocks(parts):
        for line in block.split(b"\n")[:-1]:
            item = orjson.loads(line)
            if output.table == "briefs":
                seen = dedupe.keep(item["id"])
                if seen:
                    item[SEEN] = seen
                    writer.write_row(item)
                continue
            kept = []  # a page stays; its briefs met on an earlier page go
            for brief in item["briefs"]:
                seen = dedupe.keep(brief["id"])
                if seen:
                    brief[SEEN] = seen
                    kept.append(brief)
            item["briefs"] = kept
            writer.write_row(item)
    writer.close()


# -- standard output ----------------------------------------------------------------------


class StreamSink:
    """Rows straight to a stream as they come (``-o -``): nothing to resume."""

    def __init__(self, stream: IO[bytes], output: Output, header: bool, bom: bool) -> None:
        self.rows = Rows(stream, output, header, bom)
        self.stream = stream

    def reuse(self, paths: Sequence[str]) -> Iterator[tuple[Result, bool]]:
        return iter(())

    def add(self, result: Result) -> Result:
        if isinstance(result, Converted):
            self.rows.write(result.data)
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

    def reuse(self, paths: Sequence[str]) -> Iterator[tuple[Result, bool]]:
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


# -- the manifest -------------------------------------------------------------------------


def _header(settings: dict[str, Any], start: int) -> bytes:
    return orjson.dumps(
        {"manifest": MANIFEST, "version": MANIFEST_VERSION, "settings": settings, "lead": start}
    ) + b"\n"


def _entries(path: str, settings: dict[str, Any], start: int) -> Iterator[dict[str, Any]]:
    """The entries of a manifest made with the same settings; none otherwise.

    A line cut short by a killed run ends the list: what follows cannot be trusted.
    """
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, also when abandoned)
    except OSError:
        return
    with handle:
        if handle.readline() != _header(settings, start):
            return
        for line in handle:
            try:
                entry = orjson.loads(line)
            except orjson.JSONDecodeError:
                return
            if not isinstance(entry, dict) or not line.endswith(b"\n"):
                return
            yield entry


def unchanged(entry: dict[str, Any], path: str, job: Job) -> dict[str, Any] | None:
    """*entry*, brought up to date, when *path* still holds the bytes it was made from.

    Size and modification time decide when both match; when only the time changed
    (a copy, a ``touch``) the content hash does.  With ``--now mtime`` the time is
    part of the output, so it must match.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size != entry.get("size"):
        return None
    if info.st_mtime_ns == entry.get("mtime_ns"):
        return entry
    if job.now_from_mtime:
        return None
    try:
        data = read_bytes(path)
    except AnpExtractError:
        return None
    if digest(data) != entry.get("blake2b"):
        return None
    return {**entry, "mtime_ns": info.st_mtime_ns}


def _entry(result: Converted, dedupe: bool, **where: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": result.path, "size": result.size, "mtime_ns": result.mtime_ns,
        "blake2b": result.digest, **where, "rows": result.rows, "briefs": result.briefs,
        "unparsed": result.unparsed,
    }
    if dedupe:
        entry["ids"] = list(result.ids)
    return entry


def _from_entry(entry: dict[str, Any]) -> Converted:
    return Converted(
        entry["path"], b"", entry["rows"], entry["briefs"], entry["unparsed"],
        tuple(entry.get("ids", ())), entry["size"], entry["mtime_ns"], entry["blake2b"],
    )


class _Ledger:
    """The manifest being written: entries wait until their rows are on disk."""

    def __init__(self, path: str, header: bytes, entries: Sequence[bytes] = ()) -> None:
        self.path = path
        temporary = f"{path}.new"
        with open(temporary, "wb") as handle:
            handle.write(header)
            handle.writelines(entries)
        os.replace(temporary, path)
        self.handle: IO[bytes] = open(path, "ab")  # noqa: SIM115 (closed in close())
        self.pending: list[bytes] = []

    def add(self, entry: dict[str, Any]) -> None:
        self.pending.append(orjson.dumps(entry) + b"\n")

    def flush(self) -> None:
        self.handle.writelines(self.pending)
        self.handle.flush()
        self.pending.clear()

    def close(self) -> None:
        self.handle.close()


def _retry(entry: dict[str, Any], path: str, job: Job) -> Failed | None:
    """A file that failed before is read again: it may have been fixed since."""
    result = job(path)
    return result if isinstance(result, Failed) else None


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
        self.direct = not output.dedupe and output.to != "json"
        self.start = lead(output, header, bom) if self.direct else b""
        self.settings = settings
        self.parts_path, self.manifest_path = parts_path(out), manifest_path(out)
        self.parts: IO[bytes] | None = None
        self.ledger: _Ledger | None = None
        self.offset = 0

    def reuse(self, paths: Sequence[str]) -> Iterator[tuple[Result, bool]]:
        """With ``--resume``, the files an earlier run finished, as long as they are
        the first of *paths* and unchanged; then the store is ready for the rest."""
        kept: list[bytes] = []
        offset = len(self.start)
        try:
            size = os.path.getsize(self.parts_path) if self.resume else -1
        except OSError:
            size = -1
        if size >= offset:
            entries = _entries(self.manifest_path, self.settings, offset)
            for index, entry in enumerate(entries):
                path = paths[index] if index < len(paths) else None
                if entry.get("path") != path or path is None:
                    break
                if "error" in entry:
                    failed = _retry(entry, path, self.job)
                    if failed is None:
                        break
                    kept.append(orjson.dumps({"path": path, "error": failed.reason}) + b"\n")
                    yield failed, False
                    continue
                if entry.get("offset") != offset or offset + entry.get("length", 0) > size:
                    break
                checked = unchanged(entry, path, self.job)
                if checked is None:
                    break
                kept.append(orjson.dumps(checked) + b"\n")
                offset += checked["length"]
                yield _from_entry(checked), True
        self.ledger = _Ledger(self.manifest_path, _header(self.settings, len(self.start)), kept)
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
            _entry(result, self.output.dedupe, offset=self.offset, length=len(result.data))
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


# -- a folder of files --------------------------------------------------------------------


class Refused(ValueError):
    """An output path that must not be written (outside the folder, over an input)."""


def mirror(path: str, root: str | None) -> str:
    """The output name of *path* under ``--out-dir``: its place below the folder it was
    found in (the bare name for a file given directly), ending in ``.json``."""
    relative = PurePath(os.path.relpath(path, root)) if root else PurePath(PurePath(path).name)
    return str(relative.with_suffix(".json") if relative.suffix else relative.with_name(
        relative.name + ".json"))


class DirSink:
    """One ``.json`` per input under a folder, each written whole or not at all."""

    def __init__(
        self, folder: str, names: Sequence[str], inputs: set[tuple[int, int]],
        settings: dict[str, Any], job: Job, resume: bool,
    ) -> None:
        os.makedirs(folder, exist_ok=True)
        self.folder = Path(folder)
        self.real = os.path.realpath(folder)
        self.names, self.inputs, self.settings = names, inputs, settings
        self.job, self.resume = job, resume
        self.index = 0
        self.written: set[str] = set()
        self.manifest_path = str(self.folder / ".anp-extract.manifest.jsonl")
        self.ledger: _Ledger | None = None

    def place(self, name: str) -> Path:
        """The path to write *name* to; Refused if it would land outside the folder or
        on an input.  Every folder on the way is checked before any is made, so a link
        inside the folder cannot lead a write elsewhere."""
        relative = PurePath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise Refused(f"output name {name!r} would land outside {self.folder}")
        target = self.folder / relative
        existing = target.parent
        while not existing.exists():
            existing = existing.parent
        real = os.path.realpath(existing)
        if real != self.real and not real.startswith(self.real + os.sep):
            raise Refused(f"output {target} would land outside {self.folder} (a link)")
        if target.is_symlink() or target.is_dir():
            raise Refused(f"output {target} is a link or a folder: not overwritten")
        if target.exists():
            info = target.stat()
            if (info.st_dev, info.st_ino) in self.inputs:
                raise Refused(f"output {target} is an input: not overwritten")
        if str(target) in self.written:
            raise Refused(f"output {target} was written for another input already")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def reuse(self, paths: Sequence[str]) -> Iterator[tuple[Result, bool]]:
        kept: list[bytes] = []
        if self.resume:
            for index, entry in enumerate(_entries(self.manifest_path, self.settings, 0)):
                path = paths[index] if index < len(paths) else None
                if entry.get("path") != path or path is None:
                    break
                if "error" in entry:
                    failed = _retry(entry, path, self.job)
                    if failed is None:
                        break
                    kept.append(orjson.dumps({"path": path, "error": failed.reason}) + b"\n")
                    self.index += 1
                    yield failed, False
                    continue
                checked = unchanged(entry, path, self.job)
                if checked is None or not (self.folder / checked["output"]).is_file():
                    break
                kept.append(orjson.dumps(checked) + b"\n")
                self.written.add(str(self.folder / checked["output"]))
                self.index += 1
                yield _from_entry(checked), True
        self.ledger = _Ledger(self.manifest_path, _header(self.settings, 0), kept)

    def add(self, result: Result) -> Result:
        assert self.ledger is not None
        name = self.names[self.index]
        self.index += 1
        if isinstance(result, Converted):
            try:
                target = self.place(name)
            except Refused as exc:
                result = Failed(result.path, str(exc))
            else:
                _write(target, result.data)
                self.written.add(str(target))
                self.ledger.add(_entry(result, False, output=name))
                return result
        self.ledger.add({"path": result.path, "error": result.reason})
        return result

    def flush(self) -> None:
        assert self.ledger is not None
        self.ledger.flush()

    def finish(self, dedupe: Dedupe | None) -> None:
        assert self.ledger is not None
        self.ledger.close()
        os.unlink(self.manifest_path)

    def abort(self) -> None:
        if self.ledger is not None:
            with contextlib.suppress(OSError, ValueError):
                self.ledger.flush()
                self.ledger.close()


def _write(target: Path, data: bytes) -> None:
    """A temporary file beside *target*, renamed over it: never a half-written file.

    Unlike ``atomic_output``, no fsync: one per small file would double the time of a
    run over a big tree, and a crash costs at worst files that ``--resume`` rewrites.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
