"""``show`` and ``stats``: look at pages, and count a scrape, before converting it.

Inspection commands: their output is for people, so it is rendered with rich on
standard output, in colour only on a terminal (``stats --json`` is for machines).
The engine decides what each line is; ``render`` decides how it looks.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Annotated, Any, cast

import orjson
import typer

from ..core.normalize import decode
from ..core.page import annotate, collector_paused, parse_bytes
from ..core.stats import PageFigures, Stats, figures
from ..errors import AnpExtractError
from ..sources import (
    DEFAULT_GLOBS,
    STDIN,
    Document,
    Skipped,
    WalkOptions,
    folder_problem,
    is_container,
    walk,
)
from ..streams import pages_of
from . import app
from .common import (
    INPUT_ARGS,
    BoilerplateFile,
    FollowLinks,
    Glob,
    InputArgs,
    Jobs,
    Now,
    OptionsFactory,
    Paths,
    Quiet,
    cpus,
    parse_options,
    run_each,
    stdout,
    with_input_options,
)
from .progress import BAR_FROM, progress_bar
from .terminal import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_OK,
    fail,
    usage_error,
    use_color,
    visible,
)

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_WIDTH, MIN_WIDTH = 80, 40

Lines = Annotated[
    bool,
    typer.Option("--lines", help="Show the page line by line, each labelled with what it "
                 "became (title, dateline, brief, age, boilerplate, unparsed, ...)."),
]
Pager = Annotated[
    bool,
    typer.Option("--pager", help="Page the output through $PAGER (default: less) when "
                 "standard output is a terminal."),
]
Json = Annotated[
    bool, typer.Option("--json", help="Write the figures as one JSON object (for machines).")
]
Top = Annotated[
    int,
    typer.Option("--top", min=1, metavar="N",
                 help="Rows per table, and pages in the worklist of most unparsed lines."),
]
StatsPaths = Annotated[
    list[str] | None,
    typer.Argument(help="Files and folders to count; '-' reads standard input.",
                   show_default=False, metavar="PATH"),
]


@app.command(epilog=EXIT_CODES_HELP)
def show(
    paths: Paths = None,
    lines: Lines = False,
    pager: Pager = False,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
) -> None:
    """Show pages as the parser read them: headline, dateline, body, briefs, ticker;
    unparsed lines highlighted, boilerplate dimmed at the end.

    Example: anp-extract show --lines page.txt
    """
    from . import render  # rich, imported by the commands that draw

    options = parse_options(boilerplate, now)
    view = render.lines_view if lines else render.page_view
    shown = 0
    with output_console() as console, paging(console, pager):

        def work(document: Document) -> None:
            nonlocal shown
            source = document.source
            decoded = decode(document.data, source)  # its warnings are shown with the page
            # What show draws is read from a copy without control characters: page text
            # can clear the screen or set the window title otherwise.
            text = visible(decoded.text)
            with collector_paused(text):
                page, labelled = annotate(text, visible(source, one_line=True),
                                          options(document), decoded.warnings)
                if shown:
                    console.print(render.separator())
                for part in view(page, labelled):  # runs of rows, each printed as drawn
                    console.print(part)
            shown += 1

        status = run_each(paths, work, options.read, options.now_from_mtime)
    raise typer.Exit(status)


@app.command(epilog=EXIT_CODES_HELP)
@with_input_options
def stats(
    paths: StatsPaths = None,
    glob: Glob = None,
    follow_links: FollowLinks = False,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
    as_json: Json = False,
    top: Top = 10,
    quiet: Quiet = False,
    jobs: Jobs = None,
    inputs: InputArgs = INPUT_ARGS,
) -> None:
    """Count what files and folders of pages hold: pages, briefs (unique too), failures,
    unparsed lines; briefs per section, agency and place; ages; pages to look at.

    Example: anp-extract stats --json scrape/ | jq .by_agency
    """
    options = parse_options(boilerplate, now, inputs.read())
    walking = WalkOptions(tuple(glob) if glob else DEFAULT_GLOBS, follow_links)
    paths = inputs.names(paths)
    if not paths:
        raise usage_error("stats: Missing argument 'PATH...': name files or folders to count "
                          "('-' for standard input), or give --files-from")
    totals = Stats(worklist_size=top)
    # Counting first costs a second walk; only worth it when a bar will be drawn.
    total = sum(1 for _ in walk(paths, walking)) if not quiet and sys.stderr.isatty() else 0

    def unreadable(folder: str, exc: OSError) -> None:  # as convert: a failure, named
        fail(f"{folder}: {folder_problem(exc)}")
        totals.fail()

    count = _Count(options)
    found: Iterable[str] = walk(paths, walking, unreadable)
    jobs = jobs or cpus()
    if jobs > 1:
        found = list(found)
    with _results(count, found, jobs) as results, \
            progress_bar(total, "Reading pages", quiet or total < BAR_FROM) as advance:
        for result in results:
            for item in result:
                if isinstance(item, Skipped):
                    fail(f"note: {item}")
                    totals.skip(item.records)
                elif isinstance(item, str):
                    fail(item)
                    totals.fail()
                else:
                    totals.add_figures(item)
            advance(1)
    if not (totals.pages or totals.failures):  # counts of nothing are true, but say why
        from ..batch.plan import links_skipped

        for path in paths:
            if links := os.path.isdir(path) and links_skipped(path, walking):
                fail(f"{path}: {links} links skipped (use --follow-links)")
        fail(f"no files to read (in folders, only names matching {walking.described} "
             "are read)")
    if as_json:
        stdout().write(orjson.dumps(totals.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        from . import render

        with output_console() as console:
            console.print(render.stats_view(totals, top, console.width))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


# -- helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    """The unit of work of ``stats``: one input's pages as the figures the parent counts
    (``core.stats.figures``: a few numbers and names a page, not the whole record, which
    would cost the parent of ``-j`` more to take in than counting it), the failures met
    reading it (their one line), and notes of records that are no pages; in a worker
    process with ``-j``.  Read as convert reads: only regular files in folders (a named
    pipe would block)."""

    options: OptionsFactory

    def __call__(self, source: str) -> list[PageFigures | str | Skipped]:
        return list(self.each(source))

    def each(self, source: str) -> Iterator[PageFigures | str | Skipped]:
        options = self.options
        for item in pages_of([source], options.read, options.now_from_mtime,
                             regular_only=source != STDIN):
            if isinstance(item, Document):
                try:
                    yield figures(parse_bytes(item.data, item.source, options(item)))
                except AnpExtractError as exc:
                    yield str(exc)
            else:
                yield item if isinstance(item, Skipped) else str(item)


@contextlib.contextmanager
def _results(
    count: _Count, found: Iterable[str], jobs: int
) -> Iterator[Iterator[Iterable[PageFigures | str | Skipped]]]:
    """The results of *count* over *found*, in order: in *jobs* worker processes when
    there are enough files to be worth starting them.  Standard input and containers
    stay here, read as a stream (a worker would send a whole archive's pages back at once)."""
    paths = found if isinstance(found, list) else None
    if (paths is None or len(paths) < BAR_FROM or STDIN in paths
            or any(is_container(path) for path in paths)):
        yield (count.each(source) for source in found)
        return
    from ..batch.pool import Pool
    from ..batch.run import chunk_size, chunked

    with Pool(min(jobs, len(paths)), cast(Any, count)) as pool:
        chunks = pool.map(chunked(paths, chunk_size(len(paths), jobs)))
        yield (cast("list[PageFigures | str | Skipped]", result)
               for chunk in chunks for result in chunk)


def terminal_width() -> int:
    """COLUMNS when set, else the terminal's width, else 80 (also for a terminal that
    reports no width, as under ``script`` or a serial console)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a terminal, or no file descriptor
        return DEFAULT_WIDTH
    return max(width, MIN_WIDTH) if width > 0 else DEFAULT_WIDTH


@contextlib.contextmanager
def output_console() -> Iterator[Console]:
    """A console on standard output: UTF-8, the terminal's width, and colour only on a
    terminal; elsewhere plain text without a single escape code."""
    from rich.console import Console

    stream = io.TextIOWrapper(stdout(), encoding="utf-8", errors="replace", newline="\n",
                              write_through=True)
    color = use_color(sys.stdout)
    plain = None if color else TrimmedLines(stream)
    try:
        yield Console(
            file=cast(IO[str], plain or stream),
            width=terminal_width(),
            color_system="auto" if color else None,
            force_terminal=color,
            force_interactive=False,
            force_jupyter=False,
            no_color=not color,
            highlight=False,
            markup=False,
            emoji=False,
            legacy_windows=False,
        )
    finally:
        with contextlib.suppress(ValueError, OSError):
            if plain is not None:
                plain.close()
            stream.flush()
            stream.detach()  # standard output stays open for whoever writes next


class TrimmedLines(io.TextIOBase):
    """Plain text without the blanks rich pads each line with up to the console width."""

    def __init__(self, stream: io.TextIOBase | IO[str]) -> None:
        super().__init__()
        self.stream, self.pending = stream, ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def close(self) -> None:
        if self.pending:
            self.stream.write(self.pending.rstrip(" "))
            self.pending = ""
        super().close()


@contextlib.contextmanager
def paging(console: Console, wanted: bool) -> Iterator[None]:
    """With ``--pager`` on a terminal, collect the output and hand it to the pager."""
    if not (wanted and sys.stdout.isatty()):
        yield
        return
    with console.capture() as captured:
        yield
    run_pager(captured.get())


def run_pager(text: str) -> None:
    """$PAGER, or ``less`` told to keep colours and quit when the text fits one screen."""
    command = os.environ.get("PAGER") or ("less" if shutil.which("less") else "")
    try:
        argv = shlex.split(command)
    except ValueError:
        argv = []
    if not argv or shutil.which(argv[0]) is None:
        if command:  # said once, then the page as without --pager
            fail(f"PAGER={command}: no such command; showing without a pager")
        sys.stdout.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    # Through the shell, as git runs $PAGER: it may hold options, pipes, redirections.
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env,
                             encoding="utf-8", errors="replace")
    assert pager.stdin is not None
    with contextlib.suppress(BrokenPipeError):  # the reader quit the pager early
        pager.stdin.write(text)
    with contextlib.suppress(BrokenPipeError):
        pager.stdin.close()
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:  # the pager handles ^C itself; leaving it would break the tty
            continue

