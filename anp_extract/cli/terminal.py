"""What a person sees: messages on stderr (one line each, never a control character
from a page), usage errors, and colour (``--color``, ``--no-color``, ``NO_COLOR``,
``FORCE_COLOR``), for every command.  Split from ``common`` to keep each module short.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

# The messages and exit statuses are typer-free (``streams``): re-exported here.
from ..streams import EXIT_FAILED as EXIT_FAILED
from ..streams import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from ..streams import EXIT_OK as EXIT_OK
from ..streams import EXIT_USAGE as EXIT_USAGE
from ..streams import PROG as PROG
from ..streams import fail as fail
from ..streams import visible as visible

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
