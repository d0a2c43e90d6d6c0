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
from ..batch.update import can_update
from ..batch.update import update as run_update
from ..errors import Refused, WorkerDied
from ..sinks import atomic_output
from ..sources import STDIN, WalkOptions
from . import app
from .common import (
    BoilerplateFile,
    Bom,
    Fields,
    FollowLinks,
    Glob,
    Jobs,
    NoHeader,
    Now,
    TableName,
    ToOrExtension,
    check_output_name,
    cpus,
    format_named,
    parse_options,
    stdout,
    table_options,
)
from .progress import progress_bar
from .terminal import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    fail,
    usage_error,
)

BAR_FROM = 100  # files: fewer are done before a bar would be worth drawing

Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar and no summary on stderr; "
                       "failures are still named.")
]
Inputs = Annotated[
    list[str],
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
Resume = Annotated[
    bool,
    typer.Option("--resume", help="Continue an interrupted run from the manifest beside "
                 "OUT: files already done (same size and time, or same content) are not "
                 "parsed again."),
]
UpdateOpt = Annotated[
    bool,
    typer.Option("--update", help="Convert a growing scrape again: parse only the files "
                 "that are new or changed since the last --update run into OUT (listed in "
                 "OUT.index.jsonl) and keep the rows of the rest. JSON Lines, CSV or TSV, "
                 "without --dedupe."),
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


@app.command(epilog=EXIT_CODES_HELP)
def convert(
    paths: Inputs, output: Out = None, out_dir: OutDir = None, to: ToOrExtension = None,
    table: TableName = "pages", fields: Fields = None, no_header: NoHeader = False,
    bom: Bom = False, jobs: Jobs = None, glob: Glob = "*.txt",
    follow_links: FollowLinks = False, resume: Resume = False, dedupe: DedupeOpt = False,
    errors: Errors = None, quiet: Quiet = False, boilerplate: BoilerplateFile = None,
    now: Now = None, update: UpdateOpt = False,
) -> None:
    """Convert folders of scraped pages into one dataset, in parallel: JSON Lines, JSON,
    CSV or TSV, in sorted path order whatever -j. Failures are named on stderr and the run
    goes on; a summary ends it (--quiet: failures only). Ctrl-C leaves no partial output;
    --resume continues.

    Example: anp-extract convert scrapes/ -o pages.jsonl --table pages -j 4
    """
    check_output_name(output)
    factory = parse_options(boilerplate, now)
    shape = table_options(to or format_named(output, "convert"), table, fields, no_header, bom,
                          extra=(SEEN,) if dedupe and table.lower() == "briefs" else ())
    job = Job(factory.base, Output(shape.to, shape.table, shape.fields, dedupe),
              factory.now_from_mtime)
    request = Request(paths, job, output, out_dir, WalkOptions(glob, follow_links),
                      shape.header, bom, resume, None if errors is None else str(errors))
    if update:
        _check_update(job, output, out_dir, resume)
    started = time.perf_counter()
    unique: Dedupe | None = None
    with _stops(output, out_dir):
        try:
            planned = plan(request, stdout)
        except Refused as exc:
            raise usage_error(str(exc)) from None
        for note in planned.notes if not update else ():
            fail(note)
        with _failures(errors) as report:
            for failed in planned.skipped:
                report(failed)

            def bar(total: int) -> contextlib.AbstractContextManager[Callable[[int], None]]:
                return progress_bar(total, "convert", quiet or total < BAR_FROM)

            if update:
                assert output is not None
                totals = run_update(planned.files, job, jobs or cpus(), output,
                                    request.settings(), shape.header, bom, report, bar)
            else:
                totals, unique = run(planned.files, job, jobs or cpus(), planned.sink,
                                     report, bar)
    totals.failures += len(planned.skipped)
    if not quiet:
        fail(_summary(totals, unique, time.perf_counter() - started, planned.repeated,
                      "unchanged, kept" if update else "from the manifest"))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


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


def _check_update(job: Job, output: str | None, out_dir: str | None, resume: bool) -> None:
    if output in (None, STDIN) or out_dir is not None:
        raise usage_error("--update needs -o FILE: it keeps what FILE already holds")
    if resume:
        raise usage_error("--update and --resume: give one (--update continues from "
                          "OUT.index.jsonl, --resume from an interrupted run's manifest)")
    if not can_update(job):
        raise usage_error("--update keeps rows per file: JSON Lines, CSV or TSV, "
                          "without --dedupe")


def _summary(totals: Totals, unique: Dedupe | None, seconds: float, repeated: int = 0,
             reused: str = "from the manifest") -> str:
    files = _count(totals.files, "file") + " read"
    if totals.reused:
        files += f" ({totals.reused} {reused}, {totals.files - totals.reused} parsed)"
    if repeated:
        files += f" ({repeated} named again, read once)"
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
