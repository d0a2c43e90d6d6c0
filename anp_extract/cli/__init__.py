"""The ``anp-extract`` command: a thin typer layer over the core.

Data goes to stdout, messages to stderr; every way a run can end has one documented
exit status (``terminal.EXIT_CODES_HELP``).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup

from .. import __version__, entry
from ..streams import default_sigpipe, output_failed
from .terminal import (
    EXIT_CODES_HELP,
    EXIT_OK,
    SETTINGS,
    ColorOpt,
    NoColor,
    set_color,
    with_color_options,
)


class _Argument(TyperArgument):
    """A PATH argument shown as ``PATH...`` or ``[PATH]...``, not ``{PATH}...`` with a
    ``<list[str]>`` type beside it."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Commands(TyperGroup):
    """The command group, with the arguments of every command shown plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            for param in command.params:
                if type(param) is TyperArgument:
                    param.__class__ = _Argument


app = typer.Typer(
    name="anp-extract",
    cls=_Commands,
    help="Turn scraped plain-text pages of Dutch ANP news into structured records.\n\n"
    "Example: anp-extract parse seeds/*.txt | jq -r .title\n\n"
    + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion (bash, zsh, fish)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"anp-extract {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    color: ColorOpt = None,
    no_color: NoColor = False,
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit."
    ),
) -> None:
    """Turn scraped plain-text pages of Dutch ANP news into structured records."""
    SETTINGS.color = "auto"  # each run anew (the tests run many in one process)
    set_color(color, no_color)


# The commands register themselves on ``app`` when imported; --help lists them in this
# order: the record, the filters, the batch job, the inspection commands.  Started as
# the command, only the module of the command run is imported (``entry.needed``).
for _module in entry.needed or entry.ALL_MODULES:
    importlib.import_module(f"{__name__}.{_module}")
for _command in app.registered_commands:  # --color and --no-color on every command
    assert _command.callback is not None
    _command.callback = with_color_options(_command.callback)


def main() -> None:
    """Console entry point.

    A closed pipe (``anp-extract parse big/* | head -1``) ends the process quietly with
    status 141, the way ``cat`` and ``grep`` end: the default action of SIGPIPE.
    """
    default_sigpipe()
    try:
        app(prog_name="anp-extract")
    except OSError as exc:
        # Every read is turned into an InputError where it happens; what is left is the
        # output failing (a full disk, a closed stdout): one line, not a traceback.
        sys.exit(output_failed(exc))
