"""``convert --out-dir``: one ``.json`` page record per input, mirroring the input tree.

No output path may land outside the folder (a name with ``..``, an absolute name, a
link inside the folder that leads elsewhere), and no input is ever overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import Any

from ..errors import Refused
from ..sinks.files import OutputLock, create_new
from . import manifest
from .job import Converted, Failed, Job, Result, digest
from .manifest import TaskList
from .run import Dedupe


def mirror(path: str, root: str | None) -> str:
    """The output name of *path* under ``--out-dir``: its place below the folder it was
    found in (the bare name for a file given directly), ending in ``.json``."""
    relative = PurePath(os.path.relpath(path, root)) if root else PurePath(PurePath(path).name)
    return str(relative.with_suffix(".json") if relative.suffix else relative.with_name(
        relative.name + ".json"))


class DirSink:
    """One ``.json`` per input under a folder, each written whole or not at all.

    Every path is resolved below an open handle on the folder, one component at a time,
    never through a link (``O_NOFOLLOW``): a subfolder swapped for a link during the run
    makes that write fail, it cannot lead it outside.
    """

    spool = None  # one file an input: the rows come with the results

    def __init__(
        self, folder: str, names: Sequence[str], inputs: set[tuple[int, int]],
        settings: dict[str, Any], job: Job, resume: bool,
    ) -> None:
        os.makedirs(folder, exist_ok=True)
        self.folder = Path(folder)
        self.fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self.names, self.inputs, self.settings = names, inputs, settings
        self.job, self.resume = job, resume
        self.index = 0
        self.written: set[str] = set()
        self.manifest_path = str(self.folder / MANIFEST_NAME)
        self.ledger: manifest.Ledger | None = None
        self.complete = False
        self.lock = OutputLock(LOCK_NAME, dir_fd=self.fd)
        try:
            self.lock.acquire(folder)
        except BaseException:
            os.close(self.fd)
            raise

    def place(self, name: str) -> tuple[int, str]:
        """An open handle on the folder to write *name* in, and the file's name there;
        Refused if it would land outside the folder, on a link, a folder or an input."""
        relative = PurePath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise Refused(f"output name {name!r} would land outside {self.folder}")
        target = self.folder / relative
        if str(target) in self.written:
            raise Refused(f"output {target} was written for another input already")
        here = os.dup(self.fd)
        try:
            for part in relative.parts[:-1]:
                here = _down(here, part, target, self.folder)
            try:
                info = os.stat(relative.name, dir_fd=here, follow_symlinks=False)
            except FileNotFoundError:
                return here, relative.name
            if stat.S_ISLNK(info.st_mode) or stat.S_ISDIR(info.st_mode):
                raise Refused(f"output {target} is a link or a folder: not overwritten")
            if (info.st_dev, info.st_ino) in self.inputs:
                raise Refused(f"output {target} is an input: not overwritten")
            return here, relative.name
        except BaseException:
            os.close(here)
            raise

    def reuse(self, paths: TaskList) -> Iterator[tuple[Result, bool]]:
        kept: list[bytes] = []
        if self.resume:
            entries = manifest.entries(MANIFEST_NAME, self.settings, 0, dir_fd=self.fd)
            for result, entry in manifest.resumed(entries, paths, self.job, self._written, kept):
                self.index += 1
                if entry is not None:
                    self.written.add(str(self.folder / _output(entry)))
                yield result, entry is not None
        self.ledger = manifest.Ledger(MANIFEST_NAME, manifest.header(self.settings, 0), kept,
                                      dir_fd=self.fd)

    def _written(self, entry: dict[str, Any]) -> bool:
        """The output of *entry* is there, whole and as written: its size, then the hash
        of its bytes against the manifest's (a power cut may lose recent files, a disk or
        a hand may change one; what cannot be trusted is parsed again)."""
        length, expected = entry.get("length"), entry.get("rows_blake2b")
        if not manifest.counts(entry, "length") or not isinstance(expected, str):
            return False
        try:
            where, name = self.place(_output(entry))
        except (Refused, OSError, KeyError, TypeError, ValueError):
            return False
        try:
            fd = os.open(name, _READ, dir_fd=where)
        except OSError:
            return False
        finally:
            os.close(where)
        try:
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size != length:
                    return False
                return digest(handle.read(length + 1)) == expected
        except OSError:
            return False

    def add(self, result: Result) -> Result:
        assert self.ledger is not None
        name = self.names[self.index]
        self.index += 1
        if isinstance(result, Converted):
            try:
                where, leaf = self.place(name)
            except Refused as exc:
                result = Failed(result.path, str(exc))
            else:
                try:
                    _write(where, leaf, result.data)
                finally:
                    os.close(where)
                self.written.add(str(self.folder / name))
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
        os.unlink(MANIFEST_NAME, dir_fd=self.fd)
        self.complete = True
        self._close()

    def abort(self) -> None:
        if self.ledger is not None:
            with contextlib.suppress(OSError, ValueError):
                self.ledger.flush()
                self.ledger.close()
        self._close()

    def _close(self) -> None:
        self.lock.release()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


MANIFEST_NAME = ".anp-extract.manifest.jsonl"
LOCK_NAME = ".anp-extract.lock"
_DOWN = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# An output read back by --resume: never through a link, never waiting on a named pipe
# planted at its name.
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def _down(here: int, part: str, target: Path, top: Path) -> int:
    """The handle of subfolder *part* below the handle *here* (made when missing); never
    through a link.  *here* is closed once the new handle is open (on failure, the caller
    still holds it)."""
    try:
        try:
            below = os.open(part, _DOWN, dir_fd=here)
        except FileNotFoundError:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=here)
            below = os.open(part, _DOWN, dir_fd=here)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise Refused(f"output {target} would land outside {top} (a link)") from None
        raise
    os.close(here)
    return below


def _write(where: int, name: str, data: bytes) -> None:
    """A new temporary file in the folder *where*, renamed over *name*: never a
    half-written file, never through a link.

    Unlike ``atomic_output``, no fsync: one per small file would double the time of a
    run over a big tree.  A power cut may lose the last files written; ``--resume``
    checks each output's size and content hash and writes again what is not whole.
    """
    fd, temporary = create_new(".", name, dir_fd=where)
    temporary = os.path.basename(temporary)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=where, dst_dir_fd=where)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=where)
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
