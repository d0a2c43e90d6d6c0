"""The ``anp-extract`` command's entry point.

The CLI (typer, rich and the core: about a third of a second of imports) is imported
inside the guard, so that Ctrl-C while it loads ends as quietly as Ctrl-C later on:
status 130 and no traceback.  The package's ``__init__`` imports nothing heavy itself
(its names are looked up when first used), so the guard covers nearly all of start-up.

``parse`` with paths alone, the command a shell loop or ``xargs`` runs page after page,
takes a route without typer (``streams.plain_parse``): the same loop and the same
output, in a third of typer's start-up.  Every other command line goes through typer,
with only the module of its command imported.
"""

from __future__ import annotations

import gc
import os
import sys

EXIT_INTERRUPTED = 130  # as streams.EXIT_INTERRUPTED, which is not imported yet here

# Each command and the module of ``cli`` that defines it.  A run of one command imports
# that module alone (``parse`` need not load the batch engine, multiprocessing and the
# manifest code of ``convert``); help, a typo or no command at all imports them all.
# tests/cli/test_startup.py holds this table to what the modules register.
COMMAND_MODULES = {
    "parse": "parse", "schema": "parse",
    "strip": "pipeline", "split": "pipeline", "datelines": "pipeline", "export": "pipeline",
    "convert": "convert",
    "show": "inspect", "stats": "inspect",
}
ALL_MODULES = ("parse", "pipeline", "convert", "inspect")  # the order of --help

# What ``main`` found it needs; ``cli`` reads it when imported.  None (``import
# anp_extract.cli`` from anywhere else: tests, a library user): every command.
needed: tuple[str, ...] | None = None


def command_modules(args: list[str]) -> tuple[str, ...]:
    """The ``cli`` modules a command line needs: its command's, or all of them."""
    for arg in args:
        if arg.startswith("-"):  # a root option (--no-color); --help and --version
            if arg in ("-h", "--help", "--version"):
                return ALL_MODULES
            continue
        module = COMMAND_MODULES.get(arg)
        return (module,) if module else ALL_MODULES  # a typo: click suggests from all
    return ALL_MODULES


def plain_parse(args: list[str]) -> bool:
    """``parse`` and paths only (``-`` for standard input): the route without typer."""
    return args[:1] == ["parse"] and all(arg == "-" or arg[:1] != "-" for arg in args[1:])


def main() -> None:
    global needed
    _stderr_open()
    args = sys.argv[1:]
    if plain_parse(args):
        try:
            from .streams import plain_parse as run_plain
        except KeyboardInterrupt:
            sys.exit(EXIT_INTERRUPTED)
        try:
            sys.exit(run_plain(args[1:]))
        finally:
            _ending()
    needed = command_modules(args)
    # Imports make many objects and few cycles: collecting while they load costs start-up
    # time for nothing.  What they made is then moved out of the collector's sight.
    gc.disable()
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    finally:
        gc.freeze()
        gc.enable()
    try:
        run()
    finally:
        _ending()


def _stderr_open() -> None:
    """Started with stderr closed (``2>&-``): the null device in its place.  Messages are
    then lost, not the run (the other inputs are still read, standard output is whole,
    the exit status still says what failed); and no file or pipe opened later takes
    descriptor 2, where a message would be written into it."""
    try:
        os.fstat(2)
    except OSError:
        fd = os.open(os.devnull, os.O_WRONLY)
        if fd != 2:
            os.dup2(fd, 2)
            os.close(fd)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115


def _ending() -> None:
    """The process ends now: the interpreter's last collection, on the way out, need not
    walk every object the run made (a convert run's parent: a tenth of its own work)."""
    gc.freeze()
