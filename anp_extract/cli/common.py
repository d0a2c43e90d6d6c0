"""What every command shares: options defined once, input loops, errors, consoles.

No command parses by itself: each reads its inputs here, calls the core, writes.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, BinaryIO, cast

import typer

from .. import sinks
from ..core.ages import usable_now
from ..core.boilerplate import DEFAULT_RULES, Rules, load_rules
from ..core.page import ParseOptions
from ..errors import AnpExtractError
from ..sources import AMSTERDAM, STDIN, Document, ReadOptions, page_options, read_bytes
from .terminal import fail, usage_error

# -- shared options, defined once ---------------------------------------------------------

Paths = Annotated[
    list[str] | None,
    typer.Argument(help="Files to read; '-' or none reads standard input.", show_default=False,
                   metavar="PATH"),
]
BoilerplateFile = Annotated[
    Path | None,
    typer.Option(
        "--boilerplate",
        metavar="FILE",
        help="Extra boilerplate rules: one literal line, or 're:' + a regular expression "
        "matching the whole line, per line; '#' starts a comment.",
        show_default=False,
    ),
]
Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="ISO|mtime",
        help="Scrape time (scraped_at), to turn ages into published_at: ISO 8601 "
        "(Europe/Amsterdam when it has no offset), or 'mtime' for each file's (or archive "
        "member's) modification time. Without it, the time the source carries (WARC-Date, "
        "the JSON Lines time key); --now wins over it.",
        show_default=False,
    ),
]


def parse_now(value: str | None) -> datetime | str | None:
    """``--now``: an aware datetime, the string 'mtime', or None."""
    if value is None or value == "mtime":
        return value
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise usage_error(
            f"--now: {value!r} is neither ISO 8601 (2025-11-04T14:30) nor 'mtime'"
        ) from None
    when = when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)
    if not usable_now(when):
        raise usage_error(
            f"--now: {value!r} is out of range: in UTC it falls before the year 1 or after 9999"
        )
    return when


MaxPageSize = Annotated[
    str,
    typer.Option(
        "--max-page-size", metavar="SIZE",
        help="Largest page read (bytes, or with K, M, G: 512K, 64M); a larger input or "
        "member fails alone, unread past the limit.",
    ),
]
JsonlText = Annotated[
    str | None,
    typer.Option("--jsonl-text", metavar="KEY", show_default=False,
                 help="JSON Lines documents: the key of the page's text (default: the first "
                 "of text, content, body present)."),
]
JsonlUrl = Annotated[
    str, typer.Option("--jsonl-url", metavar="KEY", help="JSON Lines documents: the URL's key.")
]
JsonlTime = Annotated[
    str | None,
    typer.Option("--jsonl-time", metavar="KEY", show_default=False,
                 help="JSON Lines documents: the key of the scrape time, ISO 8601 (default: "
                 "scraped_at when present)."),
]
FilesFrom = Annotated[
    str | None,
    typer.Option("--files-from", metavar="FILE", show_default=False,
                 help="Also read the inputs named in FILE, one per line ('-': standard "
                 "input); for more names than a command line holds."),
]
Null = Annotated[
    bool,
    typer.Option("--null", "-0", help="--files-from names end with a NUL byte, not a line "
                 "end (find -print0)."),
]


@dataclass(frozen=True)
class OptionsFactory:
    """Builds the ParseOptions for each page: its URL, and its scrape time.

    Which scrape time wins: ``--now ISO`` (the user said so), else ``--now mtime`` (the
    file's or member's time), else the time the source carries (WARC-Date, the JSON
    Lines time key), else none.
    """

    base: ParseOptions
    now_from_mtime: bool = False
    read: ReadOptions = ReadOptions()  # noqa: RUF009 (frozen)

    def __call__(self, document: Document) -> ParseOptions:
        if self.now_from_mtime and document.source == STDIN:  # said, not silently null
            fail(f"{STDIN}: warning: --now mtime: standard input has no modification "
                 "time; published_at stays null (give --now ISO-8601)")
        return page_options(self.base, document, self.now_from_mtime)


def page_size(value: str) -> int:
    """``--max-page-size``: bytes, or a number with K, M or G (powers of 1024)."""
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.strip().isdigit() or int(digits) < 1:
        raise usage_error(f"--max-page-size: {value!r} is not a size (65536, 512K, 64M)")
    return int(digits) * scale


def read_options(max_page_size: str = "64M", jsonl_text: str | None = None,
                 jsonl_url: str = "url", jsonl_time: str | None = None) -> ReadOptions:
    """The reading options as given; a bad size is a usage error (exit 2)."""
    return ReadOptions(page_size(max_page_size), jsonl_text, jsonl_url, jsonl_time)


def input_names(paths: list[str] | None, files_from: str | None, null: bool) -> list[str]:
    """The inputs named on the command line, then those in ``--files-from``."""
    names = list(paths or [])
    if files_from is None:
        return names
    try:
        data = read_bytes(files_from, limit=1 << 34)
    except AnpExtractError as exc:
        raise usage_error(f"--files-from {exc}") from None
    names.extend(os.fsdecode(name) for name in data.split(b"\0" if null else b"\n")
                 if name and name != b"\r")
    return names


@dataclass(frozen=True, slots=True)
class InputArgs:
    """How inputs are named and read, as typed: --files-from, --null, --max-page-size and
    the JSON Lines keys."""

    files_from: str | None
    null: bool
    max_page_size: str
    jsonl_text: str | None
    jsonl_url: str
    jsonl_time: str | None

    def names(self, paths: list[str] | None) -> list[str] | None:
        """The inputs: *paths*, then those in --files-from (None: none named at all)."""
        if self.files_from is None:
            return paths
        return input_names(paths, self.files_from, self.null)

    def read(self) -> ReadOptions:
        return read_options(self.max_page_size, self.jsonl_text, self.jsonl_url,
                            self.jsonl_time)


INPUT_ARGS = InputArgs(None, False, "64M", None, "url", None)  # a default: set by the decorator


def with_input_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the input options, defined here once, as ``inputs: InputArgs``."""
    return bundled("inputs", InputArgs, [
        ("files_from", FilesFrom, None), ("null", Null, False),
        ("max_page_size", MaxPageSize, "64M"), ("jsonl_text", JsonlText, None),
        ("jsonl_url", JsonlUrl, "url"), ("jsonl_time", JsonlTime, None),
    ])(command)


def bundled(
    name: str, bundle: Callable[..., Any], added: list[tuple[str, Any, Any]]
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A decorator that gives a command the options *added* (name, annotation, default),
    in the place of its parameter *name*, which gets them as one ``bundle(*values)``."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        params: list[inspect.Parameter] = []
        for param in signature.parameters.values():
            if param.name == name:
                params += [inspect.Parameter(option, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                             default=default, annotation=annotation)
                           for option, annotation, default in added]
            else:
                params.append(param)

        @functools.wraps(command)
        def wrapper(**given: Any) -> None:
            command(**{name: bundle(*(given.pop(option) for option, _, _ in added))}, **given)

        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {param.name: param.annotation for param in params}
        return wrapper

    return decorate


def parse_options(
    boilerplate: Path | None = None, now: str | None = None,
    read: ReadOptions = ReadOptions(),
) -> OptionsFactory:
    """The shared options turned into what the core takes; usage errors exit 2."""
    rules: Rules = DEFAULT_RULES
    if boilerplate is not None:
        try:
            text = read_bytes(str(boilerplate)).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise usage_error(f"{boilerplate}: --boilerplate file is not UTF-8") from None
        except AnpExtractError as exc:
            raise usage_error(f"--boilerplate {exc}") from None
        try:
            rules = load_rules(text, str(boilerplate))
        except AnpExtractError as exc:
            raise usage_error(str(exc)) from None
    when = parse_now(now)
    if when == "mtime":
        return OptionsFactory(ParseOptions(rules=rules), now_from_mtime=True, read=read)
    assert not isinstance(when, str)
    return OptionsFactory(ParseOptions(rules=rules, now=when), read=read)


# -- inputs and outputs -------------------------------------------------------------------


# The input loop is typer-free (``streams``): ``parse PATH...`` runs it without typer.
from ..streams import PAGE_BREAK as PAGE_BREAK  # noqa: E402
from ..streams import each_input as each_input  # noqa: E402
from ..streams import pages_of_stream as pages_of_stream  # noqa: E402
from ..streams import run_each as run_each  # noqa: E402
from ..streams import sources as sources  # noqa: E402
from ..streams import stdout as stdout  # noqa: E402


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``: the one spelling of a count in messages and views."""
    return f"{count} {word if count == 1 else word + 's'}"


OutputFile = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write to FILE instead of standard output, whole or not at all (a temporary "
        "file renamed into place); missing folders are made. '-' is standard output.",
        show_default=False,
    ),
]


def check_output_name(
    output: str | None, option: str = "-o",
    wanted: str = "a file name, or '-' for standard output",
) -> None:
    """``-o ''`` is a usage error (exit 2), said in one line, for every command; so are
    ``--out-dir ''`` and ``--errors ''`` (*option*, and what it wants)."""
    if output is not None and not output.strip():
        raise usage_error(f"{option}: an empty name; give {wanted}")


@contextlib.contextmanager
def output_file(output: str | None, inputs: list[str] | None) -> Iterator[BinaryIO]:
    """Standard output, or ``-o FILE`` written atomically (``sinks.atomic_output``): a
    run stopped by Ctrl-C or a full disk leaves FILE as it was.  FILE may not be one of
    *inputs* (it would be lost); its missing folders are made, as ``--out-dir`` does."""
    check_output_name(output)
    if output is None or output == STDIN:
        yield stdout()
        return
    from ..batch.plan import linked_input, placed

    target = placed(output)
    if any(source != STDIN and placed(source) == target for source in inputs or ()):
        raise usage_error(f"-o {output}: is one of the inputs; it would be overwritten")
    if (linked := linked_input(output, inputs or ())) is not None:
        raise usage_error(f"-o {output}: is a link to one of the inputs ({linked}); it would "
                          "be overwritten")
    if os.path.isdir(output):
        raise usage_error(f"-o {output}: is a folder")
    folder = os.path.dirname(output)
    blocked = sinks.files.in_the_way(folder)  # said as convert says it (batch.plan)
    if blocked is not None:
        raise usage_error(f"-o {output}: {blocked}")
    if folder:
        os.makedirs(folder, exist_ok=True)
    with sinks.atomic_output(output) as handle:
        yield cast(BinaryIO, handle)


# -- walking folders (convert, stats): defined once ---------------------------------------

Glob = Annotated[
    list[str] | None,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help="In folders, read the files whose names match this pattern (may be repeated; "
        "default: pages, compressed pages, archives, WARC/WET and JSON Lines files: "
        "*.txt, *.txt.gz, *.tar.gz, *.zip, *.warc.gz, *.jsonl, ...). Files named "
        "directly are always read. Hidden files and folders are skipped.",
        show_default=False,
    ),
]
FollowLinks = Annotated[
    bool,
    typer.Option("--follow-links", help="Follow symbolic links in folders (skipped by default)."),
]
Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar on stderr.")
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, metavar="N",
                 help="Worker processes (default: the number of CPUs). The output is the "
                 "same whatever N.", show_default=False),
]


def cpus() -> int:
    """The CPUs this process may run on: the default of -j."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
