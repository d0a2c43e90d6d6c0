"""``convert``: a whole tree of scraped pages into one dataset, in parallel, resumably.

The work is in ``batch`` (the plan, the unit of work, the ordered parallel run, the
sinks and ``--resume``); this module reads the options, calls it, and reports.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated

import orjson
import typer

from .. import sinks
from ..batch import SEEN, Dedupe, Failed, Job, Output, Totals, run
from ..batch.plan import Request, plan
from ..batch.store import manifest_path
from ..errors import Refused, WorkerDied
from ..sinks import atomic_output
from ..sources import DEFAULT_GLOBS, STDIN, WalkOptions
from . import app
from .common import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    BoilerplateFile,
    Bom,
    Fields,
    FilesFrom,
    FollowLinks,
    FormatName,
    Glob,
    JsonlText,
    JsonlTime,
    JsonlUrl,
    MaxPageSize,
    NoHeader,
    Now,
    Null,
    Quiet,
    TableName,
    To,
    fail,
    input_names,
    parse_options,
    read_options,
    stdout,
    table_options,
    usage_error,
)
from .progress import progress_bar

BAR_FROM = 100  # files: fewer are done before a bar would be worth drawing

Inputs = Annotated[
    list[str] | None,
    typer.Argument(help="Files and folders to convert; folders are walked.", show_default=False,
                   metavar="PATH"),
]
Out = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="OUT",
        help=f"The dataset to write; its extension ({sinks.extensions_help()}) gives the "
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
ToOrExtension = Annotated[FormatName | None, To.__metadata__[0]]
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
    paths: Inputs = None, output: Out = None, out_dir: OutDir = None, to: ToOrExtension = None,
    table: TableName = "pages", fields: Fields = None, no_header: NoHeader = False,
    bom: Bom = False, jobs: Jobs = None, glob: Glob = None,
    follow_links: FollowLinks = False, resume: Resume = False, dedupe: DedupeOpt = False,
    errors: Errors = None, quiet: Quiet = False, boilerplate: BoilerplateFile = None,
    now: Now = None, files_from: FilesFrom = None, null: Null = False,
    max_page_size: MaxPageSize = "64M", jsonl_text: JsonlText = None,
    jsonl_url: JsonlUrl = "url", jsonl_time: JsonlTime = None,
) -> None:
    """Convert folders of scraped pages into one dataset, in parallel: JSON Lines, JSON,
    CSV or TSV, in sorted path order whatever -j. Failures are named on stderr and the run
    goes on; a summary ends it (--quiet: failures only). Ctrl-C leaves no partial output;
    --resume continues.

    Example: anp-extract convert scrapes/ -o pages.jsonl --table pages -j 4
    """
    reading = read_options(max_page_size, jsonl_text, jsonl_url, jsonl_time)
    factory = parse_options(boilerplate, now, reading)
    shape = table_options(to or _named(output), table, fields, no_header, bom,
                          extra=(SEEN,) if dedupe and table == "briefs" else ())
    job = Job(factory.base, Output(shape.to, table, shape.fields, dedupe),
              factory.now_from_mtime, reading)
    paths = input_names(paths, files_from, null)
    if not paths:
        raise usage_error("convert: name files or folders to convert (or give --files-from)")
    walking = WalkOptions(tuple(glob) if glob else DEFAULT_GLOBS, follow_links)
    request = Request(paths, job, output, out_dir, walking,
                      shape.header, bom, resume, None if errors is None else str(errors))
    started = time.perf_counter()
    with _stops(output, out_dir):
        try:
            planned = plan(request, stdout)
        except Refused as exc:
            raise usage_error(str(exc)) from None
        for note in planned.notes:
            fail(note)
        with _failures(errors) as report:
            for failed in planned.skipped:
                report(failed)
            totals, unique = run(
                planned.files, job, jobs or _cpus(), planned.sink, report,
                lambda total: progress_bar(total, "convert", quiet or total < BAR_FROM),
            )
    totals.failures += len(planned.skipped)
    totals.inputs = len(planned.files)
    if not quiet:
        fail(_summary(totals, unique, time.perf_counter() - started))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


def _named(output: str | None) -> str:
    """The format OUT's extension names (JSON Lines for standard output)."""
    named = "jsonl" if output in (None, STDIN) else sinks.format_for(str(output))
    if named is None:
        raise usage_error(f"convert: -o {output}: the extension names no format this writes "
                          f"({sinks.extensions_help()}); give --to")
    return named


@contextlib.contextmanager
def _stops(output: str | None, out_dir: str | None) -> Iterator[None]:
    """A run that stops early says why in one line, and what is left to resume from."""
    try:
        yield
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
    files = _count(totals.inputs, "file") + " read"
    if totals.files != totals.inputs:  # containers: their pages are tasks of their own
        files += f" ({totals.files} pages and failures inside)"
    if totals.reused:
        files += f" ({totals.reused} from the manifest, {totals.files - totals.reused} parsed)"
    briefs = _count(totals.briefs, "brief")
    if unique is not None:
        briefs += f" ({unique.unique} unique)"
    return (f"convert: {files}, {_count(totals.pages, 'page')}, {briefs}, "
            f"{_count(totals.unparsed, 'unparsed line')}, {_count(totals.failures, 'failure')}"
            f"{_odd(totals)}, {seconds:.2f} s")


def _odd(totals: Totals) -> str:
    """What is no page, counted apart (said only when there is some)."""
    said = ""
    if totals.not_pages:
        pages = "page looks" if totals.not_pages == 1 else "pages look"
        said += f", {totals.not_pages} {pages} like no page (warned)"
    if totals.skipped:
        said += f", {_count(totals.skipped, 'record')} skipped (no pages)"
    return said


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
