"""What a person sees: messages on stderr (one line each, never a control character
from a page), usage errors, and colour (``--color``, ``--no-color``, ``NO_COLOR``,
``FORCE_COLOR``), for every command.  Split from ``common`` to keep each module short.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import AnpExtractError

if TYPE_CHECKING:
    from rich.console import Console

PROG = "anp-extract"

# Exit statuses, documented in --help.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141

EXIT_CODES_HELP = (
    "Exit status: 0 all inputs read; 1 some input failed (each named on stderr) or the "
    "output could not be written; "
    "2 usage error; 130 interrupted; 141 the reader closed the pipe."
)


COLOR_MODES = ("always", "auto", "never")


def choice(value: str, option: str, choices: Sequence[str]) -> str:
    """*value* as one of *choices*, in any case; else a one-line usage error (exit 2)."""
    if value.lower() in choices:
        return value.lower()
    raise usage_error(f"{option}: {value!r} is not one of {', '.join(choices)}")


def metavar(choices: Sequence[str]) -> str:
    return "[" + "|".join(choices) + "]"



@dataclass
class Settings:
    """Global switches, set again for every run (``--color``, ``--no-color``)."""

    color: str = "auto"  # one of COLOR_MODES


SETTINGS = Settings()


ColorOpt = Annotated[
    str | None,
    typer.Option("--color", metavar=metavar(COLOR_MODES), show_default=False,
                 help="Colour on messages and show/stats: auto (only on a terminal; "
                 "NO_COLOR turns it off, FORCE_COLOR on), always (show | less -R), never."),
]
NoColor = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (--color never).")
]


def set_color(color: str | None, no_color: bool) -> None:
    """Apply --color / --no-color (given after the command name, or before it)."""
    if no_color:
        SETTINGS.color = "never"
    if color is not None:
        SETTINGS.color = choice(color, "--color", COLOR_MODES)


def with_color_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """*command* taking --color and --no-color too, defined once here: every command
    gets them (``cli.__init__`` wraps each) without a parameter in its signature."""
    signature = inspect.signature(command, eval_str=True)

    @functools.wraps(command)
    def wrapper(*args: Any, color: str | None = None, no_color: bool = False,
                **kwargs: Any) -> Any:
        set_color(color, no_color)
        return command(*args, **kwargs)

    extra = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                               annotation=annotation)
             for name, default, annotation in (("color", None, ColorOpt),
                                               ("no_color", False, NoColor))]
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra])
    wrapper.__annotations__ = {**command.__annotations__, "color": ColorOpt,
                               "no_color": NoColor}
    return wrapper


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


def usage_error(message: str) -> typer.Exit:
    """Print a usage problem and give the Exit to raise (status 2)."""
    fail(message)
    return typer.Exit(EXIT_USAGE)


def stderr_console() -> Console:
    """Rich console for messages and progress: stderr, colour only where it belongs."""
    from rich.console import Console  # here: a command that draws nothing starts without rich

    return Console(stderr=True, no_color=not use_color(sys.stderr), highlight=False)


def use_color(stream: object) -> bool:
    """--color always or never as said; otherwise (auto) never with NO_COLOR, always with
    FORCE_COLOR, and else only on a terminal."""
    if SETTINGS.color != "auto":
        return SETTINGS.color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
