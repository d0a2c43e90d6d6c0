"""``convert --out-dir``: one ``.json`` page record per input, mirroring the input tree.

No output path may land outside the folder (a name with ``..``, an absolute name, a
link inside the folder that leads elsewhere), and no input is ever overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import Any

from ..errors import Refused
from ..sinks import NEW_FILE_MODE
from . import manifest
from .job import Converted, Failed, Job, Result
from .manifest import TaskList
from .run import Dedupe


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
        self.ledger: manifest.Ledger | None = None

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

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        kept: list[bytes] = []
        if self.resume:
            entries = manifest.entries(self.manifest_path, self.settings, 0)
            for result, entry in manifest.resumed(entries, paths, self.job, self._written, kept):
                self.index += 1
                if entry is not None:
                    self.written.add(str(self.folder / _output(entry)))
                yield result, entry is not None
        self.ledger = manifest.Ledger(self.manifest_path, manifest.header(self.settings, 0), kept)

    def _written(self, entry: dict[str, Any]) -> bool:
        """The output of *entry* is there, whole (a power cut may lose recent files)."""
        try:
            return os.path.getsize(self.folder / _output(entry)) == entry.get("length")
        except (OSError, KeyError, TypeError, ValueError):
            return False

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
                self.ledger.add(
                    manifest.entry_of(result, False, **_output_field(name),
                                      length=len(result.data))
                )
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
    run over a big tree.  A power cut may lose the last files written; ``--resume``
    checks each output's size and writes again what is missing.
    """
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                     dir=target.parent)
    try:
        os.fchmod(fd, NEW_FILE_MODE)  # not mkstemp's 0600: the records are for others too
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _output_field(name: str) -> dict[str, str]:
    """Where an output went, as the manifest keeps it: a name that is not UTF-8 (a file
    name with byte 0xff, surrogate-escaped by Python) as the hex of its bytes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return {"output_hex": os.fsencode(name).hex()}
    return {"output": name}


def _output(entry: dict[str, Any]) -> str:
    if "output_hex" in entry:
        return os.fsdecode(bytes.fromhex(entry["output_hex"]))
    output: str = entry["output"]
    return output
