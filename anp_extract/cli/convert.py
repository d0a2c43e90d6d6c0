"""``convert``: a whole tree of scraped pages into one dataset, in parallel, resumably.

The work is in ``batch`` (the unit of work and the ordered parallel run) and ``store``
(the output, its manifest and ``--resume``); this module reads the options, walks the
folders, and reports.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, cast

import orjson
import typer

from .. import __version__, manifest
from ..batch import SEEN, Dedupe, Failed, Job, Output, Sink, Totals, digest, run
from ..io import STDIN, WalkOptions, atomic_output, folder_problem, format_for, walk
from ..outdir import DirSink, mirror
from ..store import FileStore, SpoolSink, StreamSink, manifest_path, parts_path
from ..tables import COLUMNS, Table, check_fields
from ..workers import WorkerDied
from . import app
from .common import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    BoilerplateFile,
    Bom,
    Fields,
    FollowLinks,
    Format,
    Glob,
    NoHeader,
    Now,
    OptionsFactory,
    Quiet,
    TableName,
    To,
    fail,
    parse_options,
    stdout,
    usage_error,
)
from .progress import progress_bar

BAR_FROM = 100  # files: fewer are done before a bar would be worth drawing

Inputs = Annotated[
    list[str],
    typer.Argument(help="Files and folders to convert; folders are walked.", show_default=False,
                   metavar="PATH"),
]
Out = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="OUT",
        help="The dataset to write; its extension (.jsonl, .ndjson, .json, .csv, .tsv) gives the "
        "format unless --to does. '-' writes to standard output.", show_default=False,
    ),
]
OutDir = Annotated[
    str | None,
    typer.Option(
        "--out-dir", metavar="DIR",
        help="Instead of one dataset, write one .json page record per input under DIR, "
        "mirroring the folders read. Nothing is written outside DIR or over an input.",
        show_default=False,
    ),
]
# --to without a default: the extension of OUT decides when it is not given.
ToOrExtension = Annotated[Format | None, To.__metadata__[0]]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, metavar="N",
                 help="Worker processes (default: the number of CPUs). The output is the "
                 "same whatever N.", show_default=False),
]
Resume = Annotated[
    bool,
    typer.Option("--resume", help="Continue an interrupted run from the manifest beside "
                 "OUT: files already done (same size and time, or same content) are not "
                 "parsed again."),
]
DedupeOpt = Annotated[
    bool,
    typer.Option("--dedupe", help="Each brief once across the run, by its id: the first "
                 f"is kept, with a '{SEEN}' field counting how often the run met it."),
]
Errors = Annotated[
    Path | None,
    typer.Option("--errors", metavar="FILE", help="Also write the failures to FILE as JSON "
                 "Lines: {\"path\": ..., \"reason\": ...}.", show_default=False),
]


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@app.command(epilog=EXIT_CODES_HELP)
def convert(
    paths: Inputs,
    output: Out = None,
    out_dir: OutDir = None,
    to: ToOrExtension = None,
    table: TableName = "pages",
    fields: Fields = None,
    no_header: NoHeader = False,
    bom: Bom = False,
    jobs: Jobs = None,
    glob: Glob = "*.txt",
    follow_links: FollowLinks = False,
    resume: Resume = False,
    dedupe: DedupeOpt = False,
    errors: Errors = None,
    quiet: Quiet = False,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
) -> None:
    """Convert folders of scraped pages into one dataset, in parallel: JSON Lines, JSON,
    CSV or TSV, in sorted path order whatever -j. Failures are named on stderr and the run
    goes on; a summary ends it (--quiet: failures only). Ctrl-C leaves no partial output;
    --resume continues.

    Example: anp-extract convert scrapes/ -o pages.jsonl --table pages -j 4
    """
    if (output is None) == (out_dir is None):
        raise usage_error("convert: give -o OUT (or -o - for standard output) or --out-dir DIR")
    if STDIN in paths:
        raise usage_error("convert reads files and folders, not standard input (use 'parse')")
    if out_dir is not None and (to or fields or table != "pages" or dedupe):
        raise usage_error("--out-dir writes one page record per input: --to, --table, "
                          "--fields and --dedupe go with -o")
    if dedupe and table == "ticker":
        raise usage_error("--dedupe is about briefs: use it with --table pages or briefs")
    if resume and output == STDIN:
        raise usage_error("--resume needs an output file: standard output cannot be resumed")
    factory = parse_options(boilerplate, now)
    if to is None:
        named = "jsonl" if output in (None, STDIN) else format_for(str(output))
        if named is None:
            raise usage_error(
                f"convert: -o {output}: the extension names no format this writes "
                "(.jsonl, .ndjson, .json, .csv, .tsv); give --to"
            )
        to = cast(Format, named)
    shape = Output(to, table, _fields(fields, table, dedupe), dedupe)
    job = Job(factory.base, shape, factory.now_from_mtime)
    settings = _settings(shape, factory, not no_header, bom)
    started = time.perf_counter()
    try:
        found, names, skipped = _walk(paths, WalkOptions(glob, follow_links), out_dir)
        if output not in (None, STDIN):
            found = _not_ours(found, str(output))
        if errors is not None:
            _check_errors_file(str(errors), found, output)
        sink = _sink(output, out_dir, shape, job, settings, found, names, not no_header, bom,
                     resume)
        with _failures(errors) as report:
            for failed in skipped:
                report(failed)
            totals, unique = run(
                found, job, jobs or _cpus(), sink, report,
                lambda total: progress_bar(total, "convert", quiet or total < BAR_FROM),
            )
    except KeyboardInterrupt:
        fail(_stopped("interrupted", output, out_dir))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except WorkerDied as exc:  # killed from outside (out of memory?): what is done is kept
        fail(_stopped(str(exc), output, out_dir))
        raise typer.Exit(EXIT_FAILED) from None
    except BrokenPipeError:  # the reader of -o - went away: SIGPIPE's business, not ours
        raise
    except OSError as exc:  # the output side (an input that cannot be read is a Failed)
        if output == STDIN and exc.filename is None:  # stdout: said as for every command
            raise
        fail(_unwritable(exc, output, out_dir))
        raise typer.Exit(EXIT_FAILED) from None
    totals.failures += len(skipped)
    if not quiet:
        fail(_summary(totals, unique, time.perf_counter() - started))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


def _fields(fields: str | None, table: Table, dedupe: bool) -> tuple[str, ...] | None:
    """``--fields`` checked against the table's columns (and ``seen`` with --dedupe)."""
    if fields is None:
        return None
    names = tuple(name.strip() for name in fields.split(",") if name.strip())
    extra = [SEEN] if dedupe and table == "briefs" else []
    unknown = check_fields([name for name in names if name not in extra], table)
    if names and not unknown:
        return names
    what = f"{', '.join(unknown)}: not a column of" if unknown else "no column named for"
    valid = ",".join([*COLUMNS[table], *extra])
    raise usage_error(f"--fields: {what} the {table} table; valid: {valid}")


def _settings(
    shape: Output, factory: OptionsFactory, header: bool, bom: bool
) -> dict[str, object]:
    """What the output depends on besides the inputs: a manifest made with other
    settings is not resumed from."""
    now = "mtime" if factory.now_from_mtime else factory.base.now
    return {
        "anp-extract": __version__, "to": shape.to, "table": shape.table,
        "fields": shape.fields, "dedupe": shape.dedupe, "header": header, "bom": bom,
        "rules": digest("\n".join(factory.base.rules.texts).encode("utf-8")),
        "now": now.isoformat() if not isinstance(now, str | None) else now,
    }


def _walk(
    given: list[str], options: WalkOptions, out_dir: str | None
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
        skipped.append(Failed(folder, folder_problem(exc)))

    for root in given:
        before, failed = len(found), len(skipped)
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
            skipped.append(Failed(root, f"no files matching {options.glob!r}"))
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


def _not_ours(found: list[str], out: str) -> list[str]:
    """The inputs without this run's own output and sidecars (a folder holding OUT).

    OUT itself as an input is refused: converting a file over itself loses it.  Paths
    are compared by the real folder they are in, so a link to the folder read does not
    hide an input (OUT itself a link is replaced, not written through).
    """
    if _is_input(_placed(out), found):
        raise usage_error(f"-o {out}: is one of the inputs; it would be overwritten")
    ours = _own_files(out)
    short = {os.path.basename(name) for name in ours}
    return [path for path in found
            if not (os.path.basename(path) in short and _placed(path) in ours)]


def _check_errors_file(errors: str, found: list[str], output: str | None) -> None:
    """--errors may not name the dataset, its sidecars or an input: it would replace it."""
    target = _placed(errors)
    if output not in (None, STDIN) and target in _own_files(output):
        raise usage_error(f"--errors {errors}: is the output (-o {output})")
    if _is_input(target, found):
        raise usage_error(f"--errors {errors}: is one of the inputs; it would be overwritten")


def _own_files(out: str) -> set[str]:
    """OUT and its sidecars (the parts and the manifest), each as ``_placed`` gives it."""
    return {_placed(name) for name in (out, parts_path(out), manifest_path(out))}


def _is_input(placed: str, found: list[str]) -> bool:
    """Whether the file at *placed* (as ``_placed`` gives it) is one of the inputs."""
    name = os.path.basename(placed)  # the cheap test first: most names differ
    return any(os.path.basename(path) == name and _placed(path) == placed for path in found)


def _placed(path: str) -> str:
    """Where a file named *path* is: its folder's real path, and its name."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(folder), name)


def _sink(
    output: str | None, out_dir: str | None, shape: Output, job: Job,
    settings: dict[str, object], found: list[str], names: list[str], header: bool,
    bom: bool, resume: bool,
) -> Sink:
    if out_dir is not None:
        inputs = set()
        for path in found:
            with contextlib.suppress(OSError):
                info = os.stat(path)
                inputs.add((info.st_dev, info.st_ino))
        sink = DirSink(out_dir, names, inputs, settings, job, resume)
        _note_manifest(sink.manifest_path, settings, resume)
        return sink
    assert output is not None
    if output == STDIN:
        if shape.dedupe:
            return SpoolSink(stdout(), shape, header, bom)
        return StreamSink(stdout(), shape, header, bom)
    folder = os.path.dirname(output) or "."
    if os.path.isdir(output):
        raise usage_error(f"-o {output}: is a folder (use --out-dir for one file per input)")
    if not os.path.isdir(folder):
        raise usage_error(f"-o {output}: no such folder {folder!r}")
    _note_manifest(manifest_path(output), settings, resume)
    return FileStore(output, shape, header, bom, settings, job, resume)


def _note_manifest(path: str, settings: dict[str, object], resume: bool) -> None:
    """Say so when the manifest of an interrupted run is there and not used."""
    changed = manifest.changed(path, settings)
    if changed is None:
        return
    if not resume:
        fail(f"{path}: an earlier run was interrupted; starting over "
             "(--resume would continue it)")
    elif changed:
        fail(f"{path}: made with other settings ({', '.join(changed)}); starting over")


@contextlib.contextmanager
def _failures(errors: Path | None) -> Iterator[Callable[[Failed], None]]:
    """A reporter for failures: one line on stderr each, and JSON Lines in --errors."""
    with contextlib.ExitStack() as stack:
        log: IO[bytes] | None = None
        if errors is not None:
            log = stack.enter_context(atomic_output(str(errors)))

        def report(failed: Failed) -> None:
            fail(str(failed))
            if log is not None:
                log.write(orjson.dumps({"path": failed.path, "reason": failed.reason}) + b"\n")

        yield report


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _summary(totals: Totals, unique: Dedupe | None, seconds: float) -> str:
    files = _count(totals.files, "file") + " read"
    if totals.reused:
        files += f" ({totals.reused} from the manifest, {totals.files - totals.reused} parsed)"
    briefs = _count(totals.briefs, "brief")
    if unique is not None:
        briefs += f" ({unique.unique} unique)"
    return (f"convert: {files}, {_count(totals.pages, 'page')}, {briefs}, "
            f"{_count(totals.unparsed, 'unparsed line')}, {_count(totals.failures, 'failure')}"
            f", {seconds:.2f} s")


def _unwritable(exc: OSError, output: str | None, out_dir: str | None) -> str:
    """An output, sidecar or --errors file that cannot be written (a full disk, a
    read-only folder), in one line; with the resume hint once there is something to
    resume from."""
    why = f"cannot write {exc.filename or output or out_dir}: {exc.strerror or exc}"
    if output not in (None, STDIN) and os.path.exists(manifest_path(str(output))):
        return _stopped(why, output, out_dir)
    return f"convert: {why}"


def _stopped(why: str, output: str | None, out_dir: str | None) -> str:
    """Why the run stopped early, and what is left to resume from."""
    if output == STDIN:
        return f"convert: {why}"
    if out_dir is not None:
        return f"convert: {why}; the files written under {out_dir} stay, and --resume continues"
    return (f"convert: {why}; {output} not written; --resume continues from "
            f"{manifest_path(str(output))}")
