"""``show`` and ``stats``: look at pages, and count a scrape, before converting it.

Inspection commands: their output is for people, so it is rendered with rich on
standard output, in colour only on a terminal (``stats --json`` is for machines).
The engine decides what each line is; ``render`` decides how it looks.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Annotated, cast

import orjson
import typer

from ..core.normalize import decode
from ..core.page import annotate, parse_bytes
from ..core.stats import Stats
from ..errors import AnpExtractError
from ..sources import (
    DEFAULT_GLOBS,
    STDIN,
    Document,
    Skipped,
    WalkOptions,
    documents,
    folder_problem,
    walk,
)
from . import app
from .common import (
    EXIT_CODES_HELP,
    EXIT_FAILED,
    EXIT_OK,
    BoilerplateFile,
    FilesFrom,
    FollowLinks,
    Glob,
    JsonlText,
    JsonlTime,
    JsonlUrl,
    MaxPageSize,
    NoColor,
    Now,
    Null,
    Paths,
    Quiet,
    fail,
    input_names,
    parse_options,
    read_options,
    run_each,
    stdout,
    usage_error,
    use_color,
)
from .progress import progress_bar

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_WIDTH, MIN_WIDTH = 80, 40
BAR_FROM = 100  # files: fewer are read before a bar would be worth drawing

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
    no_color: NoColor = False,
) -> None:
    """Show pages as the parser read them: headline, dateline, body, briefs, ticker;
    unparsed lines highlighted, boilerplate dimmed at the end.

    Example: anp-extract show --lines page.txt
    """
    from . import render  # rich, imported by the commands that draw

    options = parse_options(boilerplate, now)
    view = render.lines_view if lines else render.page_view
    shown = 0
    with output_console(no_color) as console, paging(console, pager):

        def work(document: Document) -> None:
            nonlocal shown
            source = document.source
            decoded = decode(document.data, source)  # its warnings are shown with the page
            page, labelled = annotate(decoded.text, source, options(document), decoded.warnings)
            if shown:
                console.print(render.separator())
            console.print(view(page, labelled))
            shown += 1

        status = run_each(paths, work, options)
    raise typer.Exit(status)


@app.command(epilog=EXIT_CODES_HELP)
def stats(
    paths: StatsPaths = None,
    glob: Glob = None,
    follow_links: FollowLinks = False,
    boilerplate: BoilerplateFile = None,
    now: Now = None,
    as_json: Json = False,
    top: Top = 10,
    quiet: Quiet = False,
    no_color: NoColor = False,
    files_from: FilesFrom = None,
    null: Null = False,
    max_page_size: MaxPageSize = "64M",
    jsonl_text: JsonlText = None,
    jsonl_url: JsonlUrl = "url",
    jsonl_time: JsonlTime = None,
) -> None:
    """Count what files and folders of pages hold: pages, briefs (unique too), failures,
    unparsed lines; briefs per section, agency and place; ages; pages to look at.

    Example: anp-extract stats --json scrape/ | jq .by_agency
    """
    reading = read_options(max_page_size, jsonl_text, jsonl_url, jsonl_time)
    options = parse_options(boilerplate, now, reading)
    walking = WalkOptions(tuple(glob) if glob else DEFAULT_GLOBS, follow_links)
    paths = input_names(paths, files_from, null)
    if not paths:
        raise usage_error("stats: Missing argument 'PATH...': name files or folders to count "
                          "('-' for standard input), or give --files-from")
    totals = Stats(worklist_size=top)
    # Counting first costs a second walk; only worth it when a bar will be drawn.
    total = sum(1 for _ in walk(paths, walking)) if not quiet and sys.stderr.isatty() else 0

    def unreadable(folder: str, exc: OSError) -> None:  # as convert: a failure, named
        fail(f"{folder}: {folder_problem(exc)}")
        totals.fail()

    # Read as convert reads: only regular files (a named pipe in a folder would block).
    found = walk(paths, walking, unreadable)
    with progress_bar(total, "Reading pages", quiet or total < BAR_FROM) as advance:
        for source in found:
            for item in documents([source], reading, with_mtime=options.now_from_mtime,
                                  regular_only=source != STDIN):
                if isinstance(item, Skipped):
                    fail(f"note: {item}")
                    totals.skip(item.records)
                    continue
                try:
                    if isinstance(item, AnpExtractError):
                        raise item
                    totals.add(parse_bytes(item.data, item.source, options(item)))
                except AnpExtractError as exc:
                    fail(exc)
                    totals.fail()
            advance(1)
    if not (totals.pages or totals.failures):  # counts of nothing are true, but say why
        fail(f"no files to read (in folders, only names matching {walking.described} "
             "are read)")
    if as_json:
        stdout().write(orjson.dumps(totals.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        from . import render

        with output_console(no_color) as console:
            console.print(render.stats_view(totals, top))
    raise typer.Exit(EXIT_FAILED if totals.failures else EXIT_OK)


# -- helpers ------------------------------------------------------------------------------


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
def output_console(no_color: bool = False) -> Iterator[Console]:
    """A console on standard output: UTF-8, the terminal's width, and colour only on a
    terminal; elsewhere plain text without a single escape code."""
    from rich.console import Console

    stream = io.TextIOWrapper(stdout(), encoding="utf-8", errors="replace", newline="\n",
                              write_through=True)
    color = not no_color and use_color(sys.stdout)
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
    if not command:
        sys.stdout.write(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
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

