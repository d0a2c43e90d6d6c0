"""What every command does with its inputs, its output and its messages, without typer.

``cli.common`` re-exports all of it for the commands.  It lives outside ``cli`` so that
the plain ``anp-extract parse PATH...`` (no options, the shape of a shell loop or
``xargs``) can run the same loop without loading typer, pydantic and click: start-up is
most of the cost of one page.  ``entry`` picks that route by the command line alone.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import signal
import stat
import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .core.page import ParseOptions, parse_bytes
from .errors import AnpExtractError
from .sinks import record_pieces
from .sources import STDIN, Document, ReadOptions, Skipped, documents, page_options

PROG = "anp-extract"

# Exit statuses, documented in --help.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

# Records are gathered up to this many bytes before each write: one system call per
# thirty-odd pages rather than one per two (the buffer of sys.stdout is 8 KiB).
OUTPUT_BATCH = 128 * 1024


# Control characters from page text or file names are drawn, never obeyed, in what a
# person reads (show, stats, stderr): C0 as their control pictures (ESC as "␛"), DEL as
# "␡", C1 as U+FFFD.  Data output keeps them as they are.
# A page keeps its line ends (LF, CR, NEL: the parser splits lines there, and draws no
# line end); a message is one line.
_BREAKS = (0x0A, 0x0D, 0x85)
_VISIBLE_LINE = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
_VISIBLE_LINE |= {0x0A: 0x2424, 0x7F: 0x2421} | dict.fromkeys(range(0x80, 0xA0), 0xFFFD)
_VISIBLE = {code: to for code, to in _VISIBLE_LINE.items() if code not in _BREAKS}


def visible(text: str, *, one_line: bool = False) -> str:
    """*text* with its control characters made harmless to a terminal (tabs and, unless
    *one_line*, line breaks kept)."""
    return text.translate(_VISIBLE_LINE if one_line else _VISIBLE)


def fail(message: str | AnpExtractError) -> None:
    """One line on stderr, prefixed with the program name; never markup, never a traceback,
    never a control character from a file name or a page."""
    # A message that cannot be written (stderr closed, or on a full disk) is lost, not
    # the run: the other inputs are still processed, and the exit status still says it.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"{PROG}: {visible(str(message), one_line=True)}\n")
        sys.stderr.flush()


def sources(paths: list[str] | None) -> list[str]:
    """The inputs of a filter command: the paths given, or standard input (said on a
    terminal, where a command waiting silently looks hung)."""
    if paths:
        return list(paths)
    with contextlib.suppress(AttributeError, ValueError):
        if sys.stdin.isatty():
            fail("reading standard input (end it with Ctrl-D; or give files to read, "
                 "--help for more)")
    return [STDIN]


# A line holding only a form feed separates pages in one stream: the text filters write
# it between their inputs (and never inside a page: see ``one_page``), and the page
# readers split standard input there, so that ``strip *.txt | parse`` gives one record
# per page.  A file is one page: named on the command line, or standard input
# redirected from it (``parse < page.txt``), its own form feed lines are blank lines.
PAGE_BREAK = b"\f\n"
_PAGE_BREAK = re.compile(rb"^\f\r?(?:\n|\Z)", re.MULTILINE)
_INNER_BREAK = re.compile(rb"^\f(?=\r?(?:\n|\Z))", re.MULTILINE)


def pages_of_stream(data: bytes) -> list[bytes]:
    """The pages of standard input: split at form feed lines (empty pieces dropped)."""
    pieces = _PAGE_BREAK.split(data)
    if len(pieces) == 1:
        return pieces
    return [piece for piece in pieces if piece] or [b""]


def one_page(page: bytes) -> bytes:
    """*page* as a text filter writes it: a form feed line of its own (a PDF-ish scrape's
    page end) becomes the blank line the parser reads it as, so that the reader of the
    stream does not cut the page there."""
    return _INNER_BREAK.sub(b"", page) if b"\f" in page else page


def stdin_is_file() -> bool:
    """Standard input is redirected from a regular file (``< page.txt``): one page."""
    try:
        return stat.S_ISREG(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def pages_of(
    paths: list[str], read: ReadOptions = ReadOptions(), with_mtime: bool = False,
    regular_only: bool = False,
) -> Iterator[Document | AnpExtractError | Skipped]:
    """``sources.documents``, with a plain page on standard input (a pipe, not a file)
    cut at its form feed lines (see ``PAGE_BREAK``): each page, or why an input (or a
    page in it) gave none."""
    for item in documents(paths, read, with_mtime=with_mtime, regular_only=regular_only):
        if isinstance(item, Document) and item.source == STDIN and not stdin_is_file():
            for page in pages_of_stream(item.data):
                yield item._replace(data=page)
        else:
            yield item


def each_input(
    paths: list[str] | None, read: ReadOptions = ReadOptions(), with_mtime: bool = False,
) -> Iterator[Document | None]:
    """Each page of the inputs (a container gives many, and so may standard input).  One
    that cannot be read is reported and gives ``None``; records a container holds that
    are no pages are said in a note."""
    for item in pages_of(sources(paths), read, with_mtime):
        if isinstance(item, Skipped):
            fail(f"note: {item}")
        elif isinstance(item, AnpExtractError):
            fail(item)
            yield None
        else:
            yield item


def run_each(
    paths: list[str] | None, work: Callable[[Document], None],
    read: ReadOptions = ReadOptions(), with_mtime: bool = False,
) -> int:
    """Call *work* on every page; report domain errors and go on.  The exit status."""
    failed = False
    for document in each_input(paths, read, with_mtime):
        if document is None:
            failed = True
            continue
        try:
            work(document)
        except AnpExtractError as exc:
            fail(exc)
            failed = True
    return EXIT_FAILED if failed else EXIT_OK


def stdout() -> BinaryIO:
    """Standard output as bytes, looked up at call time so tests can swap it."""
    if sys.stdout is None:  # started with stdout closed (>&-): the write error cat gives
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    return sys.stdout.buffer


def parse_records(
    paths: list[str] | None, options: Callable[[Document], ParseOptions],
    read: ReadOptions = ReadOptions(), with_mtime: bool = False,
) -> int:
    """``parse`` as JSON Lines: one record line per page, written in batches of
    ``OUTPUT_BATCH`` bytes.  The exit status."""
    out = stdout()
    batch: list[bytes] = []
    size = 0

    def work(document: Document) -> None:
        nonlocal size
        page = parse_bytes(document.data, document.source, options(document))
        # One piece for the usual page; a long record in pieces, never held whole.
        for piece in record_pieces(page):
            batch.append(piece)
            size += len(piece)
            if size >= OUTPUT_BATCH:
                out.write(b"".join(batch))
                batch.clear()
                size = 0

    try:
        return run_each(paths, work, read, with_mtime)
    finally:
        if batch:
            out.write(b"".join(batch))
        out.flush()


def output_failed(exc: OSError) -> int:
    """The output could not be written (a full disk, a closed stdout): one line, as cat
    says it, not a traceback.  The exit status."""
    where = f"{exc.filename}: " if exc.filename else ""
    with contextlib.suppress(OSError, ValueError):
        fail(f"cannot write the output: {where}{exc.strerror or exc}")
    _discard_stdout()
    return EXIT_FAILED


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush of what could not
    be written does not print an "Exception ignored" block on the way out."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def default_sigpipe() -> None:
    """A closed pipe (``anp-extract parse big/* | head -1``) ends the process quietly with
    status 141, the way ``cat`` and ``grep`` end: the default action of SIGPIPE."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def plain_parse(paths: list[str]) -> int:
    """``anp-extract parse PATH...`` with no option: the same loop, records and messages
    as through typer (``cli.parse``), and the same exit statuses."""
    default_sigpipe()
    options = ParseOptions()
    try:
        return parse_records(paths, lambda document: page_options(options, document, False))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as exc:
        return output_failed(exc)
