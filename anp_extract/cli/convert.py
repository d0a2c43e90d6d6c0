"""``convert``: a whole tree of scraped pages into one dataset, in parallel, resumably.

The work is in ``batch`` (the plan, the unit of work, the ordered parallel run, the
sinks and ``--resume``); this module reads the options, calls it, and reports.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import IO, Annotated, cast

import orjson
import typer

from .. import sinks
from ..batch import SEEN, Dedupe, Failed, Job, Output, Totals, dedupe_columns, run
from ..batch.plan import Plan, Request, plan
from ..batch.run import Engine, cap_workers
from ..batch.store import FileStore, manifest_path
from ..batch.update import Written, can_update
from ..batch.update import update as run_update
from ..core.tables import Table
from ..errors import Refused, WorkerDied
from ..sinks import atomic_output
from ..sinks.files import Busy
from ..sources import DEFAULT_GLOBS, STDIN, WalkOptions, is_container
from . import app
from .common import (
    INPUT_ARGS,
    BoilerplateFile,
    FollowLinks,
    Glob,
    InputArgs,
    Jobs,
    Now,
    check_output_name,
    cpus,
    parse_options,
    plural,
    stdout,
    with_input_options,
)
from .progress import BAR_FROM, progress_bar
from .tables import (
    TABLE_ARGS,
    TableArgs,
    ToOrExtension,
    format_named,
    with_table_options,
)
from .terminal import EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, fail, usage_error

Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar and no summary on stderr; "
                       "failures are still named.")
]
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
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", metavar="ADDRESS",
                 help="Run on a Dask cluster: its scheduler (tcp://host:8786), or 'local' "
                 "for a local cluster of -j processes. Same output as -j; the workers must "
                 "see the paths. Needs the extra dask.", show_default=False),
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
                 f"is kept, with a '{SEEN}' field counting how often the run met it; "
                 "--table briefs adds its timeline (first_seen, last_seen, sources, "
                 "published_between, conflict; published_at the best estimate)."),
]
Errors = Annotated[
    str | None,
    typer.Option("--errors", metavar="FILE", help="Also write the failures to FILE as JSON "
                 "Lines: {\"path\": ..., \"reason\": ...}.", show_default=False),
]


@app.command(epilog=EXIT_CODES_HELP)
@with_input_options
@with_table_options(ToOrExtension, to_default=None)
def convert(
    paths: Inputs = None, output: Out = None, out_dir: OutDir = None,
    tables: TableArgs = TABLE_ARGS, jobs: Jobs = None, scheduler: Scheduler = None,
    glob: Glob = None, follow_links: FollowLinks = False, resume: Resume = False,
    dedupe: DedupeOpt = False, errors: Errors = None, quiet: Quiet = False,
    boilerplate: BoilerplateFile = None, now: Now = None, update: UpdateOpt = False,
    inputs: InputArgs = INPUT_ARGS,
) -> None:
    """Convert folders of scraped pages (plain or compressed, tar/zip archives, WARC/WET,
    JSON Lines) into one dataset, in parallel: JSON Lines, JSON, CSV or TSV (.gz, .zst),
    Parquet or SQLite, in sorted path order whatever -j, or on a Dask cluster
    (--scheduler). Failures are named on stderr and the run goes on; a summary ends it
    (--quiet: failures only). Ctrl-C leaves no partial output; --resume continues.

    Example: anp-extract convert scrapes/ -o pages.jsonl --table pages -j 4
    """
    check_output_name(output)
    check_output_name(out_dir, "--out-dir", "a folder name")
    check_output_name(errors, "--errors", "a file name")
    factory = parse_options(boilerplate, now, inputs.read())
    shape = tables.options(to=None if tables.to else format_named(output, "convert"),
                           extra=dedupe_columns(cast(Table, tables.table.lower()), dedupe))
    table = shape.table
    job = Job(factory.base, Output(shape.to, table, shape.fields, dedupe),
              factory.now_from_mtime, factory.read)
    paths = inputs.names(paths)
    if not paths:
        raise usage_error("convert: name files or folders to convert (or give --files-from)")
    walking = WalkOptions(tuple(glob) if glob else DEFAULT_GLOBS, follow_links)
    request = Request(paths, job, output, out_dir, walking, shape.header, shape.bom, resume,
                      errors)
    if update:
        _check_update(job, output, out_dir, resume)
    workers, capped = cap_workers(jobs or cpus(), cpus())
    if capped:
        fail(f"convert: {capped}")
    started = time.perf_counter()
    engine = None if scheduler is None else _cluster(scheduler, jobs or cpus())
    made: list[Plan] = []  # the plan, once there is one: did its sink finish?
    written = Written(str(output)) if update else None  # --update writes OUT itself
    with _stops(output, out_dir, made, written):
        try:
            planned = plan(request, stdout)
        except Refused as exc:
            raise usage_error(str(exc)) from None
        made.append(planned)
        if update and (several := next(filter(is_container, planned.files), None)):
            raise usage_error(f"--update keeps rows per file; {several} holds many pages: "
                              "convert it without --update (or --resume an interrupted run)")
        for note in planned.notes if not update else ():
            fail(note)
        with _failures(errors) as report:
            for failed in planned.skipped:
                report(failed)

            def bar(total: int) -> contextlib.AbstractContextManager[Callable[[int], None]]:
                return progress_bar(total, "convert", quiet or total < BAR_FROM)

            unique: Dedupe | None = None
            if update:
                assert output is not None
                if type(planned.sink) is not FileStore:  # a device, a pipe, a URL
                    raise usage_error(f"--update needs -o FILE, a local file it keeps: "
                                      f"{output} is not one")
                with planned.sink.given_up():  # --update writes OUT its own way
                    totals = run_update(planned.files, job, workers, output,
                                        request.settings(), shape.header, shape.bom, report,
                                        bar, written)
            else:
                totals, unique = run(planned.files, job, workers, planned.sink, report, bar,
                                     engine)
        totals.failures += len(planned.skipped)  # an interrupt now: said as after the output
        totals.inputs = len(planned.files)
        if not quiet:
            fail(_summary(totals, unique, time.perf_counter() - started, planned.repeated,
                          "unchanged, kept" if update else "from the manifest"))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


def _cluster(scheduler: str, jobs: int) -> Engine:
    """The Dask engine; a usage error when the extra is not installed."""
    from ..batch import dask

    try:
        dask.distributed()
    except Refused as exc:
        raise usage_error(str(exc)) from None
    return dask.engine(scheduler, jobs)


@contextlib.contextmanager
def _stops(
    output: str | None, out_dir: str | None, made: list[Plan], written: Written | None = None
) -> Iterator[None]:
    """A run that stops early says why in one line, and what is left to resume from."""
    try:
        try:
            yield
        except BaseException:  # its sink may not have started: leave nothing (the lock)
            if made and not made[0].sink.complete:
                with contextlib.suppress(Exception):
                    made[0].sink.abort()
            raise
    except KeyboardInterrupt:
        if (made and made[0].sink.complete) or (written is not None and written.complete):
            # too late to stop: the output is in place
            fail(f"convert: interrupted after the output was written; {output or out_dir} "
                 "is complete")
        else:
            fail(_stopped("interrupted", output, out_dir))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except Busy as exc:  # another run writes OUT: this one did nothing
        fail(f"convert: {exc}")
        raise typer.Exit(EXIT_FAILED) from None
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
def _failures(errors: str | None) -> Iterator[Callable[[Failed], None]]:
    """A reporter for failures: one line on stderr each, and JSON Lines in --errors."""
    with contextlib.ExitStack() as stack:
        log: IO[bytes] | None = None
        if errors is not None:
            log = stack.enter_context(atomic_output(errors))

        def report(failed: Failed) -> None:
            fail(str(failed))
            if log is not None:
                log.write(orjson.dumps({"path": failed.path, "reason": failed.reason}) + b"\n")

        yield report


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
    files = plural(totals.inputs, "file") + " read"
    if totals.files != totals.inputs:  # containers: their pages are tasks of their own
        files += f" ({totals.files} pages and failures inside)"
    if totals.reused:
        files += f" ({totals.reused} {reused}, {totals.files - totals.reused} parsed)"
    if repeated:
        files += f" ({repeated} named again, read once)"
    briefs = plural(totals.briefs, "brief")
    if unique is not None:
        briefs += f" ({unique.unique} unique)"
    return (f"convert: {files}, {plural(totals.pages, 'page')}, {briefs}, "
            f"{plural(totals.unparsed, 'unparsed line')}, {plural(totals.failures, 'failure')}"
            f"{_odd(totals)}, {seconds:.2f} s")


def _odd(totals: Totals) -> str:
    """What is no page, counted apart (said only when there is some)."""
    said = ""
    if totals.not_pages:
        pages = "page looks" if totals.not_pages == 1 else "pages look"
        said += f", {totals.not_pages} {pages} like no page (warned)"
    if totals.skipped:
        said += f", {plural(totals.skipped, 'record')} skipped (no pages)"
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
