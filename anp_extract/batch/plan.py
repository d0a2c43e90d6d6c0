"""What a conversion will do before it does it: the files to read, in order, the names
they get under ``--out-dir``, the folders that fail, and the sink the rows go to.

Every refusal is made here, before anything is written: an output that is one of the
inputs, an ``--errors`` file that is the output, a folder named as ``-o``.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from .. import __version__, sinks
from ..errors import Refused
from ..sinks.files import in_the_way, open_through, resolve_target
from ..sources import STDIN, WalkOptions, display, folder_problem, is_container, urls, walk
from . import manifest, remote
from .job import Failed, Job, Output, digest
from .outdir import DirSink, mirror
from .run import Sink
from .store import (
    FileStore,
    SpoolSink,
    StreamSink,
    Upload,
    lock_path,
    manifest_path,
    parts_path,
)
from .update import index_path


@dataclass(frozen=True)
class Request:
    """A conversion as asked for: inputs, one output (``-o``) or a folder (``--out-dir``)."""

    paths: Sequence[str]
    job: Job
    output: str | None = None  # a file, or "-" for standard output
    out_dir: str | None = None
    walk: WalkOptions = WalkOptions()  # noqa: RUF009 (frozen, so one shared default is safe)
    header: bool = True
    bom: bool = False
    resume: bool = False
    errors: str | None = None  # --errors FILE

    def check(self) -> None:
        """Options that do not go together: :class:`Refused`, before anything is read."""
        shape = self.shape
        if (self.output is None) == (self.out_dir is None):
            raise Refused("convert: give -o OUT (or -o - for standard output) or --out-dir DIR")
        if STDIN in self.paths:
            raise Refused("convert reads files and folders, not standard input (use 'parse')")
        if self.out_dir is not None and (shape.to != "jsonl" or shape.fields
                                         or shape.table != "pages" or shape.dedupe):
            raise Refused("--out-dir writes one page record per input: --to, --table, "
                          "--fields and --dedupe go with -o")
        if shape.dedupe and shape.table == "ticker":
            raise Refused("--dedupe is about briefs: use it with --table pages or briefs")
        if self.resume and self.output == STDIN:
            raise Refused("--resume needs an output file: standard output cannot be resumed")
        if any(remote.is_url(path) for path in self.paths) and self.out_dir is not None:
            raise Refused("--out-dir writes local files: read URLs with -o OUT")
        if self.output is not None and remote.is_url(self.output) and self.resume:
            raise Refused(f"-o {self.output}: --resume needs a local output (the manifest "
                          "is kept beside it)")
        if self.output is not None:
            why = sinks.refusal(shape.to, shape.table, shape.fields, self.bom, self.output)
            if why:
                raise Refused(why)
        for option, name, folder in (  # a file where a folder of the output should be
            ("-o", self.output, os.path.dirname(self.output or "")),
            ("--out-dir", self.out_dir, self.out_dir),
            ("--errors", self.errors, os.path.dirname(self.errors or "")),
        ):
            if name not in (None, STDIN) and not remote.is_url(str(name)):
                blocked = in_the_way(str(folder))
                if blocked is not None:
                    raise Refused(f"{option} {name}: {blocked}")

    @property
    def shape(self) -> Output:
        return self.job.output

    def settings(self) -> dict[str, object]:
        """What the output depends on besides the inputs: a manifest made with other
        settings is not resumed from."""
        now = "mtime" if self.job.now_from_mtime else self.job.options.now
        shape = self.shape
        read = self.job.read
        return {
            "anp-extract": __version__, "to": shape.to, "table": shape.table,
            "fields": shape.fields, "dedupe": shape.dedupe, "header": self.header,
            "bom": self.bom,
            "rules": digest("\n".join(self.job.options.rules.texts).encode("utf-8")),
            "now": now.isoformat() if not isinstance(now, str | None) else now,
            "read": [read.max_page_size, read.jsonl_text, read.jsonl_url, read.jsonl_time],
        }


@dataclass
class Plan:
    """The files to convert, the failures known before any is read, and the sink."""

    files: list[str]
    skipped: list[Failed]
    sink: Sink
    notes: list[str]  # said on stderr before the run (a manifest not used)
    repeated: int = 0  # files named again (a folder given twice): read once


def plan(request: Request, stdout: Callable[[], IO[bytes]]) -> Plan:
    """The plan of *request*; :class:`Refused` when it must not run at all."""
    request.check()
    found, names, skipped = files(request.paths, request.walk, request.out_dir)
    repeated = 0
    if not walked_once(request.paths, request.walk):
        found, names, repeated = once(found, names)
    if request.out_dir is not None:
        several = next((path for path in found if is_container(path)), None)
        if several is not None:
            raise Refused(f"--out-dir writes one record per input file; {display(several)} "
                          "holds many pages: convert it with -o")
    if request.output not in (None, STDIN) and not remote.is_url(str(request.output)):
        found = not_ours(found, str(request.output))
    if request.errors is not None:
        check_errors_file(request.errors, found, request.output, request.out_dir)
    notes: list[str] = []
    sink = _sink(request, found, names, notes, stdout)
    return Plan(found, skipped, sink, notes, repeated)


def walked_once(given: Sequence[str], options: WalkOptions) -> bool:
    """Whether the walk of *given* cannot have met a file twice, so that ``once`` (a
    system call a file, serially before the workers of -j2 start) has nothing to do.

    So it is for one path given without ``--follow-links``: a file alone, or a folder
    walked as a tree (links neither followed nor read, ``sources.walk``), whose entries
    are distinct files.  Several paths may overlap (``seeds seeds/a.txt``), and followed
    links may lead to a file twice.
    """
    return len(given) == 1 and not options.follow_links


def once(found: list[str], names: list[str]) -> tuple[list[str], list[str], int]:
    """Each real file once, where it is first met (``convert seeds seeds/a.txt ./seeds``);
    its --out-dir name goes with it.  How many were left out."""
    seen: set[str] = set()
    keep: list[int] = []
    folders: dict[str, str] = {}
    for index, path in enumerate(found):
        real = _realpath(path, folders)
        if real not in seen:
            seen.add(real)
            keep.append(index)
    if len(keep) == len(found):
        return found, names, 0
    return ([found[i] for i in keep], [names[i] for i in keep] if names else names,
            len(found) - len(keep))


def _realpath(path: str, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, its folder resolved once for all the files in it (in
    *folders*): realpath looks at every part of every path, five system calls a file, and
    this ran alone before the workers of -j2 started."""
    folder, name = os.path.split(path)
    try:
        if name in ("", ".", "..") or stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:  # not there (the reader says so): as realpath has it
        return os.path.realpath(path)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)


def links_skipped(folder: str, options: WalkOptions) -> int:
    """How many matching files under *folder* a walk that follows links would read (told
    when a walk that does not follow them finds none)."""
    if options.follow_links:
        return 0
    return sum(1 for _ in walk([folder], WalkOptions(options.globs, True)))


def files(
    given: Sequence[str], options: WalkOptions, out_dir: str | None
) -> tuple[list[str], list[str], list[Failed]]:
    """The files to read in order, their names under --out-dir, and the folders that
    fail: one that cannot be read, one in which nothing matches.

    Under --out-dir one folder is mirrored as it is; of several folders each is mirrored
    under its own name (``convert a/ b/ --out-dir out``: ``out/a/…``, ``out/b/…``), so the
    same name in two of them makes two files.  A file given directly keeps its bare name.
    A DIR inside a folder walked is not read: what is there is output, an earlier run's.
    """
    found: list[str] = []
    names: list[str] = []
    skipped: list[Failed] = []
    several = len(given) > 1

    def unreadable(folder: str, exc: OSError) -> None:
        skipped.append(Failed(display(folder), folder_problem(exc)))

    for root in given:
        before, failed = len(found), len(skipped)
        if remote.is_url(root):  # an fsspec URL: walked by its file system
            try:
                found.extend(urls.walk(root, options))
            except OSError as exc:
                skipped.append(Failed(root, folder_problem(exc)))
            if len(found) == before and len(skipped) == failed:
                skipped.append(Failed(root, f"no files matching {options.described}"))
            continue
        folder = os.path.isdir(root)
        found.extend(walk([root], options, unreadable))
        if out_dir is not None:
            if folder:
                found[before:] = _outside(found[before:], root, out_dir)
            under = os.path.basename(os.path.abspath(root)) if folder and several else ""
            names.extend(
                os.path.join(under, mirror(path, root if folder else None))
                for path in found[before:]
            )
        if folder and len(found) == before and len(skipped) == failed:
            links = links_skipped(root, options)
            skipped.append(Failed(display(root), f"{links} links skipped (use --follow-links)"
                                  if links else f"no files matching {options.described}"))
    return found, names, skipped


def _outside(paths: list[str], root: str, out_dir: str) -> list[str]:
    """*paths* found under *root* without those under *out_dir*, if it is inside *root*
    (and not *root* itself): they would be parsed as pages and written again nested."""
    top, inner = os.path.abspath(root), os.path.abspath(out_dir)
    if inner == top or os.path.commonpath([top, inner]) != top:
        return paths
    # The walk builds each path on the root as given: the same prefix marks DIR's files.
    prefix = os.path.join(root, os.path.relpath(inner, top)) + os.sep
    return [path for path in paths if not path.startswith(prefix)]


def not_ours(found: list[str], out: str) -> list[str]:
    """The inputs without this run's own output and sidecars (a folder holding OUT).

    OUT itself as an input is refused: converting a file over itself loses it.  Paths
    are compared by the real folder they are in, so a link to the folder read does not
    hide an input.
    """
    if _is_input(placed(out), found):
        raise Refused(f"-o {out}: is one of the inputs; it would be overwritten")
    if (linked := linked_input(out, found)) is not None:
        raise Refused(f"-o {out}: is a link to one of the inputs ({display(linked)}); it "
                      "would be overwritten")
    ours = own_files(out)
    ends = _name_ends({os.path.basename(name) for name in ours})
    return [path for path in found if not (_named(path, ends) and placed(path) in ours)]


def check_errors_file(
    errors: str, found: list[str], output: str | None, out_dir: str | None
) -> None:
    """--errors may not name the dataset, its sidecars, an input or a file under
    --out-dir: it would replace it."""
    target = placed(errors)
    if output not in (None, STDIN) and target in own_files(output):
        raise Refused(f"--errors {errors}: is the output (-o {output})")
    if _is_input(target, found):
        raise Refused(f"--errors {errors}: is one of the inputs; it would be overwritten")
    if (linked := linked_input(errors, found)) is not None:
        raise Refused(f"--errors {errors}: is a link to one of the inputs "
                      f"({display(linked)}); it would be overwritten")
    if out_dir is not None:
        top = os.path.realpath(out_dir)
        if target == top or target.startswith(top + os.sep):
            raise Refused(f"--errors {errors}: is inside --out-dir {out_dir}; it would "
                          "be taken for an output")


def linked_input(path: str, found: Sequence[str]) -> str | None:
    """The input that writing *path* would overwrite because *path* is a symbolic link
    (to the input, or to the file an input is a link to as well); None when it is no
    link, or leads to no regular file that is an input.

    Names compared (``placed``) miss this, and a link's target is what gets written.
    Files are compared by device and inode, a ``stat`` an input: paid only when *path*
    is a link.
    """
    if not os.path.islink(path):
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe is written through
        return None
    for source in found:
        if source == STDIN:
            continue
        with contextlib.suppress(OSError):
            other = os.stat(source)
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                return source
    return None


def own_files(out: str) -> set[str]:
    """OUT and its sidecars (the parts, the manifest, the lock), as ``placed`` gives it."""
    sidecars = (parts_path(out), manifest_path(out), lock_path(out), index_path(out))
    return {placed(name) for name in (out, *sidecars)}


def _is_input(where: str, found: list[str]) -> bool:
    """Whether the file at *where* (as ``placed`` gives it) is one of the inputs."""
    ends = _name_ends({os.path.basename(where)})  # the cheap test first: most names differ
    return any(_named(path, ends) and placed(path) == where for path in found)


def _name_ends(names: set[str]) -> tuple[set[str], tuple[str, ...]]:
    """*names* for ``_named``: as they are, and as the ends of paths."""
    return names, tuple(os.sep + name for name in names)


def _named(path: str, ends: tuple[set[str], tuple[str, ...]]) -> bool:
    """Whether the base name of *path* is one of the names of *ends* (``os.path.basename``
    without its calls: these tests run on every input, before the workers start)."""
    return path.endswith(ends[1]) or path in ends[0]


def placed(path: str) -> str:
    """Where a file named *path* is: its folder's real path, and its name."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(folder), name)


def _sink(
    request: Request, found: list[str], names: list[str], notes: list[str],
    stdout: Callable[[], IO[bytes]],
) -> Sink:
    settings, shape = request.settings(), request.shape
    header, bom, resume = request.header, request.bom, request.resume
    if request.out_dir is not None:
        inputs = set()
        for path in found:
            with contextlib.suppress(OSError):
                info = os.stat(path)
                inputs.add((info.st_dev, info.st_ino))
        sink = DirSink(request.out_dir, names, inputs, settings, request.job, resume)
        notes.extend(_manifest_notes(sink.manifest_path, settings, resume))
        return sink
    output = request.output
    assert output is not None
    if output == STDIN:
        if shape.dedupe:
            return SpoolSink(stdout(), shape, header, bom)
        return StreamSink(stdout(), shape, header, bom)
    if remote.is_url(output):
        return Upload(output, shape, header, bom, settings, request.job)
    if os.path.isdir(output):
        raise Refused(f"-o {output}: is a folder (use --out-dir for one file per input)")
    try:  # a link to a file: its target is written; a device or a pipe: written through
        target, through = resolve_target(output)
    except OSError as exc:
        raise Refused(f"-o {output}: {exc.strerror or exc}") from None
    if through:
        if resume:
            raise Refused(f"--resume needs an output file: -o {output} is a device or a pipe")
        stream = open_through(target)  # the sink's to the end of the run
        return (SpoolSink if shape.dedupe else StreamSink)(stream, shape, header, bom, owned=True)
    folder = os.path.dirname(target) or "."
    os.makedirs(folder, exist_ok=True)  # as --out-dir makes its folders
    notes.extend(_manifest_notes(manifest_path(target), settings, resume))
    return FileStore(target, shape, header, bom, settings, request.job, resume,
                     sinks.compression_for(output))


def _manifest_notes(path: str, settings: dict[str, Any], resume: bool) -> list[str]:
    """What to say when the manifest of an interrupted run is there and not used."""
    changed = manifest.changed(path, settings)
    if changed is None:
        return []
    if not resume:
        return [f"{path}: an earlier run was interrupted; starting over "
                "(--resume would continue it)"]
    if changed:
        return [f"{path}: made with other settings ({', '.join(changed)}); starting over"]
    return []
